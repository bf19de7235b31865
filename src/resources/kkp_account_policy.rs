//! `clusteriam_kkp_account_policy`: the managed policy Kubermatic KKP needs
//! on the AWS user it runs as [seed 002], optionally attached to that user.

use async_trait::async_trait;

use crate::arn::{Arn, is_account_id};
use crate::aws::AwsError;
use crate::policy::{canonical_json, equivalent, presets};
use crate::provider::Clients;
use crate::resources::{
    merged_tags, plan_tags_all, tag_attributes, tags_from_aws, unique_name, validate_tags,
};
use crate::tfplugin::{Attribute, Block, Ctx, Diagnostics, Plan, Resource, Schema, Type, Value};
use crate::validate::{check_attr, is_iam_name, is_iam_path};

pub struct KkpAccountPolicy;

const DEFAULT_PREFIX: &str = "kkp-";
/// Room left in IAM's 128-character policy names for the generated suffix.
const MAX_PREFIX_LEN: usize = 100;

/// The document for `account_id`, in the caller's partition.
fn document(partition: &str, account_id: &str) -> String {
    presets::kkp_account(partition, account_id).to_canonical_json()
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
            Block::new(
                "The IAM managed policy that Kubermatic KKP needs on the AWS user it runs as, as \
                 documented in KKP's AWS requirements, with `YOUR_ACCOUNT_ID` filled in and every ARN \
                 in the caller's partition. Optionally attaches it to that user. A change of the \
                 document becomes a new default policy version; the oldest one is deleted when IAM's \
                 limit of five versions is reached. Destroy detaches it from that user, deletes its \
                 other versions and deletes it.",
            )
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
        let Some(account) = account else {
            plan.planned.set("policy", Value::Unknown);
            plan.planned.set("default_version_id", Value::Unknown);
            return;
        };
        let wanted = document(&clients.aws.partition, &account);
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
    }

    async fn create(
        &self,
        ctx: &Ctx<Clients>,
        planned: &Value,
        _private: &mut Vec<u8>,
        diags: &mut Diagnostics,
    ) -> Value {
        let Some(clients) = ctx.client(diags) else {
            return Value::Null;
        };
        let aws = &clients.aws;
        let name = match (planned.get_str("name"), planned.get_str("name_prefix")) {
            (Some(name), _) => name.to_string(),
            (None, Some(prefix)) => unique_name(prefix),
            (None, None) => unique_name(DEFAULT_PREFIX),
        };
        let path = planned.get_str("path").unwrap_or("/");
        let Some(document) = planned.get_str("policy") else {
            diags.error(
                format!("creating IAM policy (`{name}`)"),
                "The policy document is unknown at apply; `account_id` must be known.",
            );
            return Value::Null;
        };
        let tags = merged_tags(&clients.default_tags, &planned.get_string_map("tags"));
        let policy = match aws
            .create_policy(&name, path, planned.get_str("description"), document, &tags)
            .await
        {
            Ok(policy) => policy,
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
        new.set(
            "tags",
            tags_from_aws(&aws_tags, &clients.default_tags, state.get("tags")),
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
    fn names_and_paths() {}

    #[test]
    fn document_uses_the_partition_and_account() {
        let doc = document("aws-cn", "111122223333");
        assert!(doc.contains("arn:aws-cn:iam::111122223333:role/kubernetes-*"));
        assert!(!doc.contains("arn:aws:"));
    }
}
