//! `clusteriam_kkp_account_policy`: the managed policy Kubermatic KKP needs
//! on the AWS user it runs as (seed 002, or today's document for KKP 2.23 and
//! later), optionally attached to that user.

use async_trait::async_trait;

use crate::arn::{Arn, IamKind, is_account_id};
use crate::aws::AwsError;
use crate::clients::Clients;
use crate::engine::managed_policy::{self, PolicyModel, PolicyStep, PolicyUpdate};
use crate::policy::published::kkp::{
    SECURITY_CONSIDERATIONS, kkp_account_document, kkp_version_of,
};
use crate::policy::{canonical_json, equivalent, from_iam};
use crate::resources::common::kkp::{
    kkp_version_attribute, planned_kkp_version, validate_kkp_version,
};
use crate::resources::common::naming::{check_naming, iam_name_error};
use crate::resources::common::{
    limits, merged_tags, ownership_mark, plan_tags_all, report, report_on, tag_attributes,
    tags_after_read, tags_for_import, unique_name,
};
use crate::tfplugin::{
    Attribute, Block, CreateRequest, CreateResponse, DeleteRequest, DeleteResponse, Diagnostics,
    ImportRequest, ImportResponse, PlanRequest, PlanResponse, ReadRequest, ReadResponse, Resource,
    Schema, UpdateRequest, UpdateResponse, Value,
};
use crate::validate::check_attr;

pub struct KkpAccountPolicy;

const DEFAULT_PREFIX: &str = "kkp-";
/// IAM policy names: 128 characters; a prefix leaves room for the suffix.
const NAME_LIMITS: (usize, usize) = (128, 100);

/// What the prior or planned state says the policy holds.
fn model(state: &Value, default_tags: &std::collections::BTreeMap<String, String>) -> PolicyModel {
    PolicyModel {
        document: state.get_str("policy").unwrap_or_default().to_string(),
        user: state.get_str("user_name").map(str::to_string),
        tags: merged_tags(default_tags, &state.get_string_map("tags")),
    }
}

fn name_of(state: &Value) -> &str {
    state.get_str("name").unwrap_or_default()
}

#[async_trait]
impl Resource<Clients> for KkpAccountPolicy {
    fn schema(&self) -> Schema {
        Block::new(&format!(
            "The IAM managed policy that Kubermatic KKP needs on the AWS user it runs as, as \
             documented in KKP's AWS requirements for the KKP version in `kkp_version` (the \
             current KKP when unset), with `YOUR_ACCOUNT_ID` filled in and every ARN in the \
             caller's partition. Optionally attaches it to that user. A change of the \
             document becomes a new default policy version; the oldest one is deleted when IAM's \
             limit of five versions is reached. Destroy detaches it from that user, deletes its \
             other versions and deletes it.\n\n{}",
            SECURITY_CONSIDERATIONS
        ))
        .attribute(Attribute::computed_string("id", "The ARN of the policy.").stable())
        .attribute(
            Attribute::optional_computed_string(
                "account_id",
                "The 12-digit AWS account whose roles and instance profiles KKP manages (`YOUR_ACCOUNT_ID` in the documentation). Defaults to the caller's account.",
            )
            .stable(),
        )
        .attribute(kkp_version_attribute())
        .attribute(Attribute::optional_string(
            "user_name",
            "The IAM user KKP runs as (the owner of the access key given to KKP). When set, the policy is attached to this user; changing it moves the attachment.",
        ))
        .attribute(
            Attribute::optional_computed_string(
                "name",
                "The name of the policy. Conflicts with `name_prefix`. Defaults to a unique name starting with `kkp-`. Changing it replaces the policy.",
            )
            .requires_replace()
            .stable(),
        )
        .attribute(
            Attribute::optional_string(
                "name_prefix",
                "Create a unique policy name starting with this prefix, at most 100 characters (IAM's 128 less room for the generated suffix). Conflicts with `name`. Changing it replaces the policy.",
            )
            .requires_replace(),
        )
        .attribute(
            Attribute::optional_computed_string(
                "path",
                "The IAM path of the policy, such as `/kubermatic/`. Defaults to `/`. Changing it replaces the policy.",
            )
            .default(Value::string("/"))
            .requires_replace(),
        )
        .attribute(
            Attribute::optional_string(
                "description",
                "A description of the policy. IAM cannot change it later, so changing it replaces the policy.",
            )
            .requires_replace(),
        )
        .attributes(tag_attributes())
        .attribute(Attribute::computed_string("arn", "The ARN of the policy.").stable())
        .attribute(Attribute::computed_string(
            "policy",
            "The policy document as canonical JSON.",
        ))
        .attribute(Attribute::computed_string(
            "default_version_id",
            "The id of the policy's default version, such as `v1`.",
        ))
        .into_schema(0)
    }

    fn validate(&self, config: &Value, diags: &mut Diagnostics) {
        check_naming(config, "policy", NAME_LIMITS, diags);
        check_attr(config, "account_id", diags, |a| {
            if is_account_id(a) {
                Ok(())
            } else {
                Err(format!("`account_id` must be 12 digits; got `{a}`"))
            }
        });
        validate_kkp_version(config, diags);
        check_attr(config, "user_name", diags, |n| {
            iam_name_error(n, 64, "user_name").map_err(|_| {
                format!(
                    "`user_name` must be an IAM user name (1 to 64 letters, digits and `+=,.@_-`); got `{n}`"
                )
            })
        });
        crate::resources::common::validate_tags(config, diags);
    }

    async fn plan(&self, req: PlanRequest<'_, Clients>, resp: &mut PlanResponse) {
        let (clients, config) = (req.client, req.config);
        plan_tags_all(resp, config, &clients.default_tags);
        let account = match config.get("account_id") {
            Value::String(a) => Some(a.clone()),
            Value::Null => match &clients.aws.account_id {
                Some(a) => {
                    resp.planned.set("account_id", Value::string(a));
                    Some(a.clone())
                }
                None => {
                    return resp.diagnostics.attribute_error(
                        "account_id",
                        "Missing `account_id`",
                        "The caller's account is unknown because `skip_credentials_validation` is set; give `account_id`.",
                    );
                }
            },
            _ => None,
        };
        match (account, planned_kkp_version(config)) {
            (Some(account), Some(kkp_version)) => {
                let wanted = kkp_account_document(&clients.aws.partition, &account, kkp_version);
                // Keep the stored text when it means the same, so nothing shows.
                match req.prior.get_str("policy") {
                    Some(prior) if equivalent(prior, &wanted) => {
                        resp.planned.set("policy", Value::string(prior));
                        let version = req.prior.get("default_version_id").clone();
                        resp.planned.set("default_version_id", version);
                    }
                    _ => {
                        resp.planned.set("policy", Value::string(wanted));
                        resp.planned.set("default_version_id", Value::Unknown);
                    }
                }
            }
            _ => {
                resp.planned.set("policy", Value::Unknown);
                resp.planned.set("default_version_id", Value::Unknown);
            }
        }
        let measures = limits::managed_policy_measures(&resp.planned, &clients.default_tags);
        limits::check(&clients.aws, &measures, &mut resp.diagnostics).await;
    }

    async fn create(&self, req: CreateRequest<'_, Clients>, resp: &mut CreateResponse) {
        let (clients, planned) = (req.client, req.planned);
        let aws = &clients.aws;
        let diags = &mut resp.diagnostics;
        resp.private.clear();
        let mark = ownership_mark(&mut resp.private);
        let name = match (planned.get_str("name"), planned.get_str("name_prefix")) {
            (Some(name), _) => name.to_string(),
            (None, prefix) => unique_name(prefix.unwrap_or(DEFAULT_PREFIX)),
        };
        let summary = format!("creating IAM policy (`{name}`)");
        // What was unknown at plan is known now: create nothing IAM would refuse.
        let measures = limits::managed_policy_measures(planned, &clients.default_tags);
        if !limits::check_before_write(aws, &measures, diags).await {
            return;
        }
        let path = planned.get_str("path").unwrap_or("/");
        let Some(document) = planned.get_str("policy") else {
            return diags.error(
                summary,
                "The policy document is unknown at apply; `account_id` and `kkp_version` must be known.",
            );
        };
        let wanted = model(planned, &clients.default_tags);
        let description = planned.get_str("description");
        let created = aws
            .create_policy(&name, path, description, document, &wanted.tags, &mark)
            .await;
        let policy = match created {
            Ok(policy) => policy,
            Err(e) if e.is_already_exists() => {
                let account = aws.account_id.as_deref().unwrap_or("<account>");
                let arn = Arn::iam(IamKind::Policy, &aws.partition, account, path, &name);
                return diags.attribute_error(
                    "name",
                    summary,
                    format!(
                        "{e}\n\nA managed policy named {name} already exists under path `{path}`. \
                         To manage it with this resource, import it by its ARN: `terraform import \
                         <address> {arn}`, with this resource's address shown below. If this \
                         resource is being replaced with `create_before_destroy`, a fixed `name` \
                         cannot exist twice: use `name_prefix`. Otherwise choose another name."
                    ),
                );
            }
            Err(e) => return report(diags, summary, &e),
        };
        let mut state = planned.clone();
        state.set("id", Value::string(&policy.arn));
        state.set("arn", Value::string(&policy.arn));
        state.set("name", Value::string(&policy.name));
        state.set(
            "default_version_id",
            Value::string(&policy.default_version_id),
        );
        state.set("tags_all", Value::string_map(wanted.tags.clone()));
        if let Some(user) = &wanted.user {
            // The policy exists: keep it in state with the error, so the next
            // apply attaches it, never orphaned.
            let attached = PolicyModel {
                user: None,
                ..wanted.clone()
            };
            let update = PolicyUpdate::new(aws, (&policy.arn, &name), &attached, &wanted);
            if let Err(failure) = managed_policy::update(&update, Some(req.cancel)).await {
                state.set("user_name", Value::Null);
                let step = failure.step.unwrap_or(PolicyStep::AttachUser(user.clone()));
                attach_failed(diags, &name, &step, user, &failure.error);
            }
        }
        resp.state = state;
    }

    async fn read(&self, req: ReadRequest<'_, Clients>, resp: &mut ReadResponse) {
        let (clients, state) = (req.client, req.state);
        let aws = &clients.aws;
        let Some(arn) = state.get_str("arn") else {
            resp.state = Value::Null;
            return;
        };
        let summary = format!("reading IAM policy (`{arn}`)");
        let policy = match aws.get_policy(arn).await {
            Ok(Some(policy)) => policy,
            Ok(None) => return resp.state = Value::Null,
            Err(e) => return report(&mut resp.diagnostics, summary, &e),
        };
        let user = state.get_str("user_name");
        let (document, users) = match aws
            .read_policy_details(arn, &policy.default_version_id, user.is_some())
            .await
        {
            Ok(Some(details)) => details,
            Ok(None) => return resp.state = Value::Null,
            Err(e) => return report(&mut resp.diagnostics, summary, &e),
        };
        let mut new = state.clone();
        new.set("id", Value::string(&policy.arn));
        new.set("arn", Value::string(&policy.arn));
        new.set(
            "default_version_id",
            Value::string(&policy.default_version_id),
        );
        new.set("name", Value::string(&policy.name));
        new.set("path", Value::string(&policy.path));
        new.set("description", Value::opt_string(policy.description.clone()));
        let keep = state
            .get_str("policy")
            .is_some_and(|stored| equivalent(stored, &document));
        if !keep {
            let text = canonical_json(&document).unwrap_or_else(|_| from_iam(&document));
            new.set("policy", Value::string(text));
        }
        // An imported state has no `default_version_id` yet, and no
        // configuration says which tags are its own: they come from AWS.
        let importing = state.get("default_version_id").is_null();
        new.set(
            "tags",
            if importing {
                tags_for_import(&policy.tags, &clients.default_tags)
            } else {
                tags_after_read(&policy.tags, state.get("tags"))
            },
        );
        new.set("tags_all", Value::string_map(policy.tags.clone()));
        // A detached user shows as a planned attachment.
        if let Some(user) = user
            && !users.iter().any(|u| u == user)
        {
            new.set("user_name", Value::Null);
        }
        resp.state = new;
    }

    async fn update(&self, req: UpdateRequest<'_, Clients>, resp: &mut UpdateResponse) {
        let (clients, prior, planned) = (req.client, req.prior, req.planned);
        let aws = &clients.aws;
        let diags = &mut resp.diagnostics;
        let name = name_of(prior);
        let Some(arn) = prior.get_str("arn") else {
            return diags.error(
                format!("updating IAM policy (`{name}`)"),
                "The state has no `arn`; remove the resource from state and import it.",
            );
        };
        let measures = limits::managed_policy_measures(planned, &clients.default_tags);
        if !limits::check_before_write(aws, &measures, diags).await {
            return;
        }
        let before = PolicyModel {
            tags: prior.get_string_map("tags_all"),
            ..model(prior, &clients.default_tags)
        };
        let wanted = model(planned, &clients.default_tags);
        let update = PolicyUpdate::new(aws, (arn, name), &before, &wanted);
        let failure = managed_policy::update(&update, Some(req.cancel))
            .await
            .err();
        // Start from the plan and put back the prior value of what was not done.
        let mut state = planned.clone();
        if let Some(version) = update.new_version() {
            state.set("default_version_id", Value::string(version));
        }
        let (done, not_done) = match &failure {
            Some(failure) => (&failure.done[..], &failure.not_done[..]),
            None => (&[][..], &[][..]),
        };
        for step in not_done {
            let attrs: &[&str] = match step {
                PolicyStep::NewDefaultVersion => {
                    &["policy", "account_id", "kkp_version", "default_version_id"]
                }
                PolicyStep::DetachUser(_) | PolicyStep::AttachUser(_) => &["user_name"],
                PolicyStep::Untag(_) | PolicyStep::Tag(_) => &["tags", "tags_all"],
            };
            for attr in attrs {
                state.set(attr, prior.get(attr).clone());
            }
            // An attach that failed after the detach: attached to no one.
            if matches!(step, PolicyStep::AttachUser(_))
                && done.iter().any(|s| matches!(s, PolicyStep::DetachUser(_)))
            {
                state.set("user_name", Value::Null);
            }
        }
        let Some(failure) = &failure else {
            resp.state = state;
            return;
        };
        let e = &failure.error;
        if let Some(step) = &failure.step {
            // The calls on the policy itself find no policy: deleted since
            // the plan. Terraform keeps the prior state; the next plan, after
            // a refresh, creates it anew.
            let on_the_policy =
                !matches!(step, PolicyStep::DetachUser(_) | PolicyStep::AttachUser(_));
            if on_the_policy && e.is_not_found() {
                resp.state = Value::Null;
                return diags.error(
                    format!("updating IAM policy (`{name}`)"),
                    format!(
                        "The policy {arn} was deleted outside Terraform after this plan was \
                         made, so the planned update cannot be applied ({e}). Run `terraform \
                         plan` (or `apply`) again: its plan creates the policy anew."
                    ),
                );
            }
            match step {
                PolicyStep::AttachUser(user) => attach_failed(diags, name, step, user, e),
                _ => report(diags, &failure.summary, e),
            }
        } else {
            report(diags, &failure.summary, e);
        }
        resp.state = state;
    }

    async fn delete(&self, req: DeleteRequest<'_, Clients>, resp: &mut DeleteResponse) {
        let prior = req.prior;
        let name = name_of(prior);
        let Some(arn) = prior.get_str("arn") else {
            return;
        };
        let user = prior.get_str("user_name");
        if let Err(failure) = managed_policy::destroy(&req.client.aws, arn, name, user).await {
            report(&mut resp.diagnostics, failure.summary, &failure.error);
        }
    }

    async fn import(&self, req: ImportRequest<'_, Clients>, resp: &mut ImportResponse) {
        let (aws, id) = (&req.client.aws, req.id);
        let diags = &mut resp.diagnostics;
        let summary = format!("importing IAM policy (`{id}`)");
        let arn = match id.parse::<Arn>() {
            Ok(arn)
                if arn.service == "iam"
                    && arn.resource.starts_with("policy/")
                    && is_account_id(&arn.account) =>
            {
                arn
            }
            _ => {
                return diags.error(
                    summary,
                    format!(
                        "Import by the policy's ARN, such as `arn:{}:iam::123456789012:policy/kkp`; got `{id}`.",
                        aws.partition
                    ),
                );
            }
        };
        let policy = match aws.get_policy(id).await {
            Ok(Some(policy)) => policy,
            Ok(None) => {
                return diags.error(
                    summary,
                    "There is no such policy in this account; check the ARN.",
                );
            }
            Err(e) => return report(diags, summary, &e),
        };
        // Every attribute, null until `read` fills it in.
        let mut state = self.schema().block.null_object();
        state.set("id", Value::string(id));
        state.set("arn", Value::string(id));
        // The document names the account whose roles KKP manages: the owner's.
        state.set("account_id", Value::string(&arn.account));
        // The KKP version whose document the policy is, and the attachment
        // when there is exactly one user to pick.
        match aws
            .read_policy_details(id, &policy.default_version_id, true)
            .await
        {
            Ok(Some((document, users))) => {
                let version = kkp_version_of(&aws.partition, &arn.account, &document);
                state.set(
                    "kkp_version",
                    Value::opt_string(version.map(|v| v.to_string())),
                );
                if let [user] = users.as_slice() {
                    state.set("user_name", Value::string(user));
                }
            }
            Ok(None) => {}
            Err(e) => return report(diags, summary, &e),
        }
        resp.state = state;
    }

    fn type_name(&self) -> &'static str {
        "clusteriam_kkp_account_policy"
    }
}

/// Why attaching to the user failed, and what to do about it.
fn attach_failed(
    diags: &mut Diagnostics,
    name: &str,
    step: &PolicyStep,
    user: &str,
    err: &AwsError,
) {
    let summary = step.summary(name);
    if err.is_not_found() {
        let remedy = format!("Check that the IAM user `{user}` exists, then apply again.");
        diags.attribute_error("user_name", summary, format!("{err}\n\n{remedy}"));
    } else {
        report_on(diags, "user_name", summary, err);
    }
}
