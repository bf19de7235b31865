//! `clusteriam_kkp_account_policy`: the managed policy Kubermatic KKP needs
//! on the AWS user it runs as (the document for `kkp_version`: seed 002 or
//! today's), optionally attached to that user.

use async_trait::async_trait;

use crate::arn::{Arn, is_account_id};
use crate::aws::AwsError;
use crate::policy::documents::{self, Version};
use crate::policy::presets::parse_kkp_version;
use crate::policy::{canonical_json, equivalent};
use crate::provider::Clients;
use crate::resources::{
    limits, merged_tags, ownership_mark, plan_tags_all, tag_attributes, tags_after_read,
    tags_for_import, unique_name, validate_tags,
};
use crate::tfplugin::{Attribute, Block, Ctx, Diagnostics, Plan, Resource, Schema, Type, Value};
use crate::validate::{check_attr, is_iam_name, is_iam_path};

pub struct KkpAccountPolicy;

const DEFAULT_PREFIX: &str = "kkp-";
/// Room left in IAM's 128-character policy names for the generated suffix.
const MAX_PREFIX_LEN: usize = 100;

/// What the document lets its holder do, for the resource's page (issue 20).
const SECURITY_CONSIDERATIONS: &str = "\
## Security considerations

The document, as KKP publishes it, lets whoever holds it become an administrator of the \
account:

- With `iam:CreateRole` and `iam:PutRolePolicy` on `role/kubernetes-*`, the holder can create a \
role named `kubernetes-<anything>` that trusts a principal of its choice (another AWS account, \
for instance) and give it an inline policy that allows every action. The same two actions \
replace the inline policy of any existing role named `kubernetes-*`, other clusters' included.
- With `iam:PassRole` on those roles, the instance profile actions on \
`instance-profile/kubernetes-*` and `ec2:*`, it can also start an instance that runs with such a \
role.
- `ec2:*` on `*` is full control of every EC2 and VPC resource in the account: instances, \
volumes, snapshots (which it can share with other accounts), security groups, routes and \
network interfaces.
- Its `elasticloadbalancing` actions on `*` let it change or delete any load balancer of the \
account, and `sts:GetFederationToken` issues temporary credentials with the user's permissions, \
valid for up to 36 hours, which deactivating the user's access key does not end (only a deny \
policy on the user does).

Treat the access key of the KKP user like an administrator's. What you can add around it:

- Run KKP's user clusters in an AWS account of their own, so that all of the above stays \
within that account.
- A service control policy on that account, or a permissions boundary on the KKP user, that \
denies what this document does not list takes away only what KKP's documentation does not ask \
for. A boundary that equals the document also keeps a policy attached to the user later from \
widening its rights. Neither limits the roles the user creates.
- Requiring a permissions boundary on every role the user creates (an `iam:PermissionsBoundary` \
condition on `iam:CreateRole` and `iam:PutRolePolicy`) would close the way to administrator, \
but KKP's documentation does not say that KKP sets a boundary on the roles it creates, so such \
a condition is likely to stop KKP from creating its node roles. This provider does not offer it.";

/// The document for `account_id` and the KKP version (unset: the current
/// KKP), in the caller's partition.
fn document(partition: &str, account_id: &str, kkp_version: Option<Version>) -> String {
    documents::kkp_account(kkp_version)
        .render(partition, account_id)
        .to_canonical_json()
}

/// The `kkp_version` to import for a policy: unset when it is the current
/// document, the newest version a seed document serves when it is that one,
/// unset when it is neither (the plan then shows the current document).
fn kkp_version_of(partition: &str, account_id: &str, policy: &str) -> Option<Version> {
    if equivalent(policy, &document(partition, account_id, None)) {
        return None;
    }
    documents::KKP_ACCOUNT
        .iter()
        .find(|doc| {
            equivalent(
                policy,
                &doc.render(partition, account_id).to_canonical_json(),
            )
        })
        .and_then(|doc| doc.source.versions.bound())
}

/// The `kkp_version` attribute's description: the documents and how each
/// differs from the one before, from the documents themselves.
fn kkp_version_description() -> String {
    let ranges: Vec<String> = documents::KKP_ACCOUNT
        .iter()
        .map(|doc| doc.source.version_range())
        .collect();
    let changes: Vec<String> = documents::KKP_ACCOUNT
        .windows(2)
        .map(|pair| {
            let added: Vec<String> = pair[1]
                .actions_beyond(pair[0])
                .iter()
                .map(|a| format!("`{a}`"))
                .collect();
            format!(
                "the policy of {} adds {}",
                pair[1].source.version_range(),
                added.join(" and ")
            )
        })
        .collect();
    format!(
        "The KKP version the policy is for, written `MAJOR.MINOR` such as `\"2.28\"`. KKP's \
         documentation prints one policy for each of: {}; {}. Unset, the policy is the current \
         KKP's (the last of these). Changing it updates the policy in place (a new default \
         policy version).",
        ranges.join(", "),
        changes.join("; ")
    )
}

fn name_of(state: &Value) -> &str {
    state.get_str("name").unwrap_or_default()
}

#[async_trait]
impl Resource<Clients> for KkpAccountPolicy {
    fn type_name(&self) -> &'static str {
        "clusteriam_kkp_account_policy"
    }

    fn schema(&self) -> Schema {
        Schema::new(
            0,
            Block::new(&format!(
                "The IAM managed policy that Kubermatic KKP needs on the AWS user it runs as, as \
                 documented in KKP's AWS requirements for the KKP version in `kkp_version` (the \
                 current KKP when unset), with `YOUR_ACCOUNT_ID` filled in and every ARN in the \
                 caller's partition. Optionally attaches it to that user. A change of the \
                 document becomes a new default policy version; the oldest one is deleted when IAM's \
                 limit of five versions is reached. Destroy detaches it from that user, deletes its \
                 other versions and deletes it.\n\n{SECURITY_CONSIDERATIONS}",
            ))
            .attribute(Attribute::computed("id", Type::String, "The ARN of the policy.").stable())
            .attribute(
                Attribute::optional_computed(
                    "account_id",
                    Type::String,
                    "The 12-digit AWS account whose roles and instance profiles KKP manages (`YOUR_ACCOUNT_ID` in the documentation). Defaults to the caller's account.",
                )
                .stable(),
            )
            .attribute(Attribute::optional(
                "kkp_version",
                Type::String,
                &kkp_version_description(),
            ))
            .attribute(Attribute::optional(
                "user_name",
                Type::String,
                "The IAM user KKP runs as (the owner of the access key given to KKP). When set, the policy is attached to this user; changing it moves the attachment.",
            ))
            .attribute(
                Attribute::optional_computed(
                    "name",
                    Type::String,
                    "The name of the policy. Conflicts with `name_prefix`. Defaults to a unique name starting with `kkp-`. Changing it replaces the policy.",
                )
                .requires_replace()
                .stable(),
            )
            .attribute(
                Attribute::optional(
                    "name_prefix",
                    Type::String,
                    "Create a unique policy name starting with this prefix, at most 100 characters (IAM's 128 less room for the generated suffix). Conflicts with `name`. Changing it replaces the policy.",
                )
                .requires_replace(),
            )
            .attribute(
                Attribute::optional_computed(
                    "path",
                    Type::String,
                    "The IAM path of the policy, such as `/kubermatic/`. Defaults to `/`. Changing it replaces the policy.",
                )
                .default(Value::string("/"))
                .requires_replace(),
            )
            .attribute(
                Attribute::optional(
                    "description",
                    Type::String,
                    "A description of the policy. IAM cannot change it later, so changing it replaces the policy.",
                )
                .requires_replace(),
            )
            .attributes(tag_attributes())
            .attribute(Attribute::computed("arn", Type::String, "The ARN of the policy.").stable())
            .attribute(Attribute::computed(
                "policy",
                Type::String,
                "The policy document as canonical JSON.",
            ))
            .attribute(Attribute::computed(
                "default_version_id",
                Type::String,
                "The id of the policy's default version, such as `v1`.",
            )),
        )
    }

    fn validate(&self, config: &Value, diags: &mut Diagnostics) {
        if !config.get("name").is_null() && !config.get("name_prefix").is_null() {
            diags.attribute_error(
                "name_prefix",
                "Conflicting `name` and `name_prefix`",
                "`name` and `name_prefix` are both set; set one of them, or neither for a generated name.",
            );
        }
        check_attr(config, "account_id", diags, |a| {
            if is_account_id(a) {
                Ok(())
            } else {
                Err(format!("`account_id` must be 12 digits; got `{a}`"))
            }
        });
        check_attr(config, "kkp_version", diags, |v| {
            parse_kkp_version(v).map(|_| ())
        });
        check_attr(config, "name", diags, |n| {
            if is_iam_name(n, 128) {
                Ok(())
            } else {
                Err(format!(
                    "`name` must be 1 to 128 letters, digits and `+=,.@_-`; got `{n}`"
                ))
            }
        });
        check_attr(config, "name_prefix", diags, |n| {
            if is_iam_name(n, MAX_PREFIX_LEN) {
                Ok(())
            } else {
                Err(format!(
                    "`name_prefix` must be 1 to {MAX_PREFIX_LEN} letters, digits and `+=,.@_-`; got `{n}`"
                ))
            }
        });
        check_attr(config, "user_name", diags, |n| {
            if is_iam_name(n, 64) {
                Ok(())
            } else {
                Err(format!(
                    "`user_name` must be an IAM user name (1 to 64 letters, digits and `+=,.@_-`); got `{n}`"
                ))
            }
        });
        check_attr(config, "path", diags, |p| {
            if is_iam_path(p) {
                Ok(())
            } else {
                Err(format!(
                    "`path` must start and end with `/` and hold at most 512 printable characters, such as `/kubermatic/`; got `{p}`"
                ))
            }
        });
        check_attr(config, "description", diags, |d| {
            if d.chars().count() <= 1000 {
                Ok(())
            } else {
                Err("`description` must be at most 1000 characters".to_string())
            }
        });
        validate_tags(config, diags);
    }

    async fn plan(&self, ctx: &Ctx<Clients>, plan: &mut Plan<'_>, diags: &mut Diagnostics) {
        let Some(clients) = ctx.client(diags) else {
            return;
        };
        plan_tags_all(plan, &clients.default_tags);

        let account = match plan.config.get("account_id") {
            Value::String(a) => Some(a.clone()),
            Value::Null => match &clients.aws.account_id {
                Some(a) => {
                    plan.planned.set("account_id", Value::string(a));
                    Some(a.clone())
                }
                None => {
                    diags.attribute_error(
                        "account_id",
                        "Missing `account_id`",
                        "The caller's account is unknown because `skip_credentials_validation` is set; give `account_id`.",
                    );
                    return;
                }
            },
            _ => None,
        };
        let kkp_version = match plan.config.get("kkp_version") {
            Value::Null => Some(None),
            value => value
                .as_str()
                .and_then(|v| parse_kkp_version(v).ok())
                .map(Some),
        };
        let (Some(account), Some(kkp_version)) = (account, kkp_version) else {
            plan.planned.set("policy", Value::Unknown);
            plan.planned.set("default_version_id", Value::Unknown);
            check_limits(plan, clients, diags).await;
            return;
        };
        let wanted = document(&clients.aws.partition, &account, kkp_version);
        // Keep the stored text when it means the same, so nothing shows.
        match plan.prior.get_str("policy") {
            Some(prior) if equivalent(prior, &wanted) => {
                plan.planned.set("policy", Value::string(prior));
                plan.planned.set(
                    "default_version_id",
                    plan.prior.get("default_version_id").clone(),
                );
            }
            _ => {
                plan.planned.set("policy", Value::string(wanted));
                plan.planned.set("default_version_id", Value::Unknown);
            }
        }
        check_limits(plan, clients, diags).await;
    }

    async fn create(
        &self,
        ctx: &Ctx<Clients>,
        planned: &Value,
        private: &mut Vec<u8>,
        diags: &mut Diagnostics,
    ) -> Value {
        let Some(clients) = ctx.client(diags) else {
            return Value::Null;
        };
        let aws = &clients.aws;
        private.clear();
        let mark = ownership_mark(private);
        let name = match (planned.get_str("name"), planned.get_str("name_prefix")) {
            (Some(name), _) => name.to_string(),
            (None, Some(prefix)) => unique_name(prefix),
            (None, None) => unique_name(DEFAULT_PREFIX),
        };
        // What was unknown at plan is known now: create nothing IAM would refuse.
        let measures = limits::managed_policy_measures(planned, &clients.default_tags);
        if !limits::check_before_write(aws, &measures, diags).await {
            return Value::Null;
        }
        let path = planned.get_str("path").unwrap_or("/");
        let Some(document) = planned.get_str("policy") else {
            diags.error(
                format!("creating IAM policy (`{name}`)"),
                "The policy document is unknown at apply; `account_id` and `kkp_version` must be known.",
            );
            return Value::Null;
        };
        let tags = merged_tags(&clients.default_tags, &planned.get_string_map("tags"));
        let policy = match aws
            .create_policy(
                &name,
                path,
                planned.get_str("description"),
                document,
                &tags,
                &mark,
            )
            .await
        {
            Ok(policy) => policy,
            Err(e) if e.code.as_deref() == Some("EntityAlreadyExists") => {
                diags.attribute_error(
                    "name",
                    format!("creating IAM policy (`{name}`)"),
                    format!(
                        "{e}\n\nA managed policy named {name} already exists under path `{path}`. \
                         To manage it with this resource, import it by its ARN: `terraform import \
                         <address> arn:{}:iam::<account>:policy{path}{name}`, with this resource's \
                         address shown below. If this resource is being replaced with \
                         `create_before_destroy`, a fixed `name` cannot exist twice: use \
                         `name_prefix`. Otherwise choose another name.",
                        aws.partition
                    ),
                );
                return Value::Null;
            }
            Err(e) => {
                diags.error(format!("creating IAM policy (`{name}`)"), e.detail());
                return Value::Null;
            }
        };

        let mut state = planned.clone();
        state.set("id", Value::string(&policy.arn));
        state.set("arn", Value::string(&policy.arn));
        state.set("name", Value::string(&policy.name));
        state.set(
            "default_version_id",
            Value::string(&policy.default_version_id),
        );
        state.set("tags_all", Value::string_map(tags));
        if let Some(user) = planned.get_str("user_name")
            && let Err(e) = aws.attach_user_policy(user, &policy.arn).await
        {
            // The policy exists: return it with the error so Terraform keeps
            // track of it (as tainted, replaced by the next apply), never orphaned.
            state.set("user_name", Value::Null);
            diags.attribute_error(
                "user_name",
                format!("attaching IAM policy (`{name}`) to user (`{user}`)"),
                attach_detail(&e, user),
            );
        }
        state
    }

    async fn read(
        &self,
        ctx: &Ctx<Clients>,
        state: &Value,
        _private: &mut Vec<u8>,
        diags: &mut Diagnostics,
    ) -> Value {
        let Some(clients) = ctx.client(diags) else {
            return Value::Null;
        };
        let aws = &clients.aws;
        let Some(arn) = state.get_str("arn") else {
            return Value::Null;
        };
        let summary = || format!("reading IAM policy (`{arn}`)");
        let policy = match aws.get_policy(arn).await {
            Ok(Some(policy)) => policy,
            Ok(None) => return Value::Null,
            Err(e) => {
                diags.error(summary(), e.detail());
                return Value::Null;
            }
        };
        let document = match aws
            .policy_version_document(arn, &policy.default_version_id)
            .await
        {
            Ok(Some(document)) => document,
            Ok(None) => return Value::Null,
            Err(e) => {
                diags.error(summary(), e.detail());
                return Value::Null;
            }
        };
        let aws_tags = policy.tags.clone();

        let mut new = state.clone();
        new.set("id", Value::string(&policy.arn));
        new.set("arn", Value::string(&policy.arn));
        new.set("name", Value::string(&policy.name));
        new.set("path", Value::string(&policy.path));
        new.set("description", Value::opt_string(policy.description));
        new.set(
            "default_version_id",
            Value::string(&policy.default_version_id),
        );
        let keep = state
            .get_str("policy")
            .is_some_and(|stored| equivalent(stored, &document));
        if !keep {
            let text =
                canonical_json(&document).unwrap_or_else(|_| crate::policy::from_iam(&document));
            new.set("policy", Value::string(text));
        }
        // An imported state has no `default_version_id` yet, and no
        // configuration says which tags are its own: they come from AWS.
        let importing = state.get("default_version_id").is_null();
        new.set(
            "tags",
            if importing {
                tags_for_import(&aws_tags, &clients.default_tags)
            } else {
                tags_after_read(&aws_tags, state.get("tags"))
            },
        );
        new.set("tags_all", Value::string_map(aws_tags));

        // A detached user shows as a planned attachment.
        if let Some(user) = state.get_str("user_name") {
            match aws.policy_users(arn).await {
                Ok(users) if users.iter().any(|u| u == user) => {}
                Ok(_) => new.set("user_name", Value::Null),
                Err(e) => {
                    diags.error(summary(), e.detail());
                    return Value::Null;
                }
            }
        }
        new
    }

    async fn update(
        &self,
        ctx: &Ctx<Clients>,
        prior: &Value,
        planned: &Value,
        _private: &mut Vec<u8>,
        diags: &mut Diagnostics,
    ) -> Value {
        let Some(clients) = ctx.client(diags) else {
            return prior.clone();
        };
        let aws = &clients.aws;
        let name = name_of(prior);
        let Some(arn) = prior.get_str("arn") else {
            diags.error(
                format!("updating IAM policy (`{name}`)"),
                "The state has no `arn`; remove the resource from state and import it.",
            );
            return prior.clone();
        };
        let measures = limits::managed_policy_measures(planned, &clients.default_tags);
        if !limits::check_before_write(aws, &measures, diags).await {
            return prior.clone();
        }
        // Start from the plan and put back the prior value of whatever fails.
        let mut state = planned.clone();

        let wanted = planned.get_str("policy").unwrap_or_default();
        if prior.get_str("policy") != Some(wanted) {
            match aws.new_default_policy_version(arn, wanted).await {
                Ok(version) => state.set("default_version_id", Value::string(version)),
                Err(e) => {
                    state.set("policy", prior.get("policy").clone());
                    state.set("account_id", prior.get("account_id").clone());
                    state.set(
                        "default_version_id",
                        prior.get("default_version_id").clone(),
                    );
                    diags.error(
                        format!("creating IAM policy version (`{name}`)"),
                        e.detail(),
                    );
                }
            }
        }

        let (old_user, new_user) = (prior.get_str("user_name"), planned.get_str("user_name"));
        if old_user != new_user {
            let mut detached = true;
            if let Some(old) = old_user
                && let Err(e) = aws.detach_user_policy(old, arn).await
            {
                detached = false;
                state.set("user_name", Value::string(old));
                diags.error(
                    format!("detaching IAM policy (`{name}`) from user (`{old}`)"),
                    e.detail(),
                );
            }
            if detached
                && let Some(new) = new_user
                && let Err(e) = aws.attach_user_policy(new, arn).await
            {
                state.set("user_name", Value::Null);
                diags.attribute_error(
                    "user_name",
                    format!("attaching IAM policy (`{name}`) to user (`{new}`)"),
                    attach_detail(&e, new),
                );
            }
        }

        let current = prior.get_string_map("tags_all");
        let wanted_tags = planned.get_string_map("tags_all");
        if current != wanted_tags
            && let Err(e) = aws.set_policy_tags(arn, &current, &wanted_tags).await
        {
            state.set("tags", prior.get("tags").clone());
            state.set("tags_all", prior.get("tags_all").clone());
            diags.error(format!("tagging IAM policy (`{name}`)"), e.detail());
        }
        state
    }

    async fn delete(
        &self,
        ctx: &Ctx<Clients>,
        prior: &Value,
        _private: &[u8],
        diags: &mut Diagnostics,
    ) {
        let Some(clients) = ctx.client(diags) else {
            return;
        };
        let aws = &clients.aws;
        let name = name_of(prior);
        let Some(arn) = prior.get_str("arn") else {
            return;
        };
        if let Some(user) = prior.get_str("user_name")
            && let Err(e) = aws.detach_user_policy(user, arn).await
        {
            diags.error(
                format!("detaching IAM policy (`{name}`) from user (`{user}`)"),
                e.detail(),
            );
            return;
        }
        if let Err(e) = aws.delete_policy(arn).await {
            let remedy = if e.code.as_deref() == Some("DeleteConflict") {
                "\n\nThe policy is still attached to other users, groups or roles; detach it from them and destroy again."
            } else {
                ""
            };
            diags.error(
                format!("deleting IAM policy (`{name}`)"),
                format!("{e}{remedy}"),
            );
        }
    }

    async fn import(&self, ctx: &Ctx<Clients>, id: &str, diags: &mut Diagnostics) -> Value {
        let Some(clients) = ctx.client(diags) else {
            return Value::Null;
        };
        let arn = match id.parse::<Arn>() {
            Ok(arn)
                if arn.service == "iam"
                    && arn.resource.starts_with("policy/")
                    && crate::arn::is_account_id(&arn.account) =>
            {
                arn
            }
            _ => {
                diags.error(
                    format!("importing IAM policy (`{id}`)"),
                    format!("Import by the policy's ARN, such as `arn:{}:iam::123456789012:policy/kkp`; got `{id}`.", clients.aws.partition),
                );
                return Value::Null;
            }
        };
        // Every attribute, null until `read` fills it in.
        let mut state = Value::Map(
            self.schema()
                .block
                .attributes
                .iter()
                .map(|a| (a.name.to_string(), Value::Null))
                .collect(),
        );
        state.set("id", Value::string(id));
        state.set("arn", Value::string(id));
        // The document names the account whose roles KKP manages: the owner's.
        state.set("account_id", Value::string(&arn.account));
        // Pick the KKP version whose document the policy is.
        let summary = || format!("importing IAM policy (`{id}`)");
        let policy = match clients.aws.get_policy(id).await {
            Ok(Some(policy)) => policy,
            Ok(None) => {
                diags.error(
                    summary(),
                    "NoSuchEntity: no such policy in this account; check the ARN.",
                );
                return Value::Null;
            }
            Err(e) => {
                diags.error(summary(), e.detail());
                return Value::Null;
            }
        };
        match clients
            .aws
            .policy_version_document(id, &policy.default_version_id)
            .await
        {
            Ok(Some(document)) => {
                let version = kkp_version_of(&clients.aws.partition, &arn.account, &document);
                state.set(
                    "kkp_version",
                    Value::opt_string(version.map(|v| v.to_string())),
                );
            }
            Ok(None) => {}
            Err(e) => {
                diags.error(summary(), e.detail());
                return Value::Null;
            }
        }
        // Pick up the attachment when there is exactly one user to pick.
        match clients.aws.policy_users(id).await {
            Ok(users) if users.len() == 1 => state.set("user_name", Value::string(&users[0])),
            Ok(_) => {}
            Err(e) if e.is_not_found() => {
                diags.error(
                    format!("importing IAM policy (`{id}`)"),
                    format!("{e}\n\nNo such policy in this account; check the ARN."),
                );
                return Value::Null;
            }
            Err(e) => {
                diags.error(format!("importing IAM policy (`{id}`)"), e.detail());
                return Value::Null;
            }
        }
        state
    }
}

/// IAM's limits on the policy `plan` describes.
async fn check_limits(plan: &Plan<'_>, clients: &Clients, diags: &mut Diagnostics) {
    let measures = limits::managed_policy_measures(&plan.planned, &clients.default_tags);
    limits::check(&clients.aws, &measures, diags).await;
}

/// Why attaching to the user failed, and what to do about it.
fn attach_detail(err: &AwsError, user: &str) -> String {
    if err.is_not_found() {
        format!("{err}\n\nCheck that the IAM user `{user}` exists, then apply again.")
    } else {
        err.detail()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn document_uses_the_partition_and_account() {
        let doc = document("aws-cn", "111122223333", None);
        assert!(doc.contains("arn:aws-cn:iam::111122223333:role/kubernetes-*"));
        assert!(!doc.contains("arn:aws:"));
    }

    #[test]
    fn import_picks_the_version_whose_document_the_policy_is() {
        let account = "111122223333";
        let at = |v| document("aws", account, Some(Version::new(2, v)));
        assert_eq!(kkp_version_of("aws", account, &at(23)), None);
        assert_eq!(kkp_version_of("aws", account, &at(31)), None);
        assert_eq!(
            kkp_version_of("aws", account, &at(20)),
            Some(Version::new(2, 22))
        );
        // Another account's policy, or an edited one, is neither.
        assert_eq!(kkp_version_of("aws", "999988887777", &at(20)), None);
        let edited = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"ec2:*","Resource":"*"}]}"#;
        assert_eq!(kkp_version_of("aws", account, edited), None);
    }
}
