//! `clusteriam_kkp_account_policy`: the managed policy Kubermatic KKP needs
//! on the AWS user it runs as (seed 002, or today's document for KKP 2.23 and
//! later), optionally attached to that user.

use async_trait::async_trait;

mod import;
mod model;

use model::AccountPolicyModel;

use crate::arn::{Arn, IamKind, is_account_id};
use crate::aws::AwsError;
use crate::clients::Clients;
use crate::engine::managed_policy::{self, PolicyModel, PolicyStep, PolicyUpdate};
use crate::policy::published::kkp::{SECURITY_CONSIDERATIONS, kkp_account_document};
use crate::policy::{canonical_json, equivalent, from_iam};
use crate::resources::common::kkp::{
    kkp_version_attribute, planned_kkp_version, validate_kkp_version,
};
use crate::resources::common::naming::{check_naming, iam_name_error};
use crate::resources::common::{
    limits, own_tags_after_read, own_tags_for_import, ownership_mark, plan_tags_all, report,
    report_on, same_policy, tag_attributes, unique_name,
};
use crate::tfplugin::{
    Attr, Attribute, Block, CreateRequest, CreateResponse, DeleteRequest, DeleteResponse,
    Diagnostics, ImportRequest, ImportResponse, Model, PlanRequest, PlanResponse, ReadRequest,
    ReadResponse, Resource, Schema, UpdateRequest, UpdateResponse, Value,
};
use crate::validate::check_attr;

pub struct KkpAccountPolicy;

const DEFAULT_PREFIX: &str = "kkp-";
/// IAM policy names: 128 characters; a prefix leaves room for the suffix.
const NAME_LIMITS: (usize, usize) = (128, 100);

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
        .attribute(
            Attribute::computed_string("policy", "The policy document as canonical JSON.")
                .semantic_equality(same_policy),
        )
        .attribute(Attribute::computed_string(
            "default_version_id",
            "The id of the policy's default version, such as `v1`.",
        ))
        .into_schema(0)
    }

    fn validate(&self, config: &Value, diags: &mut Diagnostics) {
        check_naming(config, "policy", NAME_LIMITS, diags);
        check_attr(config, AccountPolicyModel::account_id, diags, |a| {
            if is_account_id(a) {
                Ok(())
            } else {
                Err(format!("`account_id` must be 12 digits; got `{a}`"))
            }
        });
        validate_kkp_version(config, diags);
        check_attr(config, AccountPolicyModel::user_name, diags, |n| {
            iam_name_error(n, 64, AccountPolicyModel::user_name).map_err(|_| {
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
        let prior = AccountPolicyModel::read(req.prior);
        let mut planned = AccountPolicyModel::read(&resp.planned);
        let account = match AccountPolicyModel::read(config).account_id {
            Attr::Known(a) => Some(a),
            Attr::Null => match &clients.aws.account_id {
                Some(a) => {
                    planned.account_id = a.as_str().into();
                    Some(a.clone())
                }
                None => {
                    return resp.diagnostics.attribute_error(
                        AccountPolicyModel::account_id,
                        "Missing `account_id`",
                        "The caller's account is unknown because `skip_credentials_validation` is set; give `account_id`.",
                    );
                }
            },
            Attr::Unknown => None,
        };
        match (account, planned_kkp_version(config)) {
            (Some(account), Some(kkp_version)) => {
                let wanted = kkp_account_document(&clients.aws.partition, &account, kkp_version);
                // Keep the stored text when it means the same, so nothing
                // shows, and with it the version that holds it (which is why
                // this is not left to the server's semantic equality).
                match prior.policy.as_deref() {
                    Some(stored) if equivalent(stored, &wanted) => {
                        planned.policy = stored.into();
                        planned.default_version_id = prior.default_version_id;
                    }
                    _ => {
                        planned.policy = wanted.into();
                        planned.default_version_id = Attr::Unknown;
                    }
                }
            }
            _ => {
                planned.policy = Attr::Unknown;
                planned.default_version_id = Attr::Unknown;
            }
        }
        planned.write(&mut resp.planned);
        let measures = limits::managed_policy_measures(&resp.planned, &clients.default_tags);
        limits::check(&clients.aws, &measures, &mut resp.diagnostics).await;
    }

    async fn create(&self, req: CreateRequest<'_, Clients>, resp: &mut CreateResponse) {
        let clients = req.client;
        let planned = AccountPolicyModel::read(req.planned);
        let aws = &clients.aws;
        let diags = &mut resp.diagnostics;
        resp.private.clear();
        let mark = ownership_mark(&mut resp.private);
        let name = match (planned.name.as_deref(), planned.name_prefix.as_deref()) {
            (Some(name), _) => name.to_string(),
            (None, prefix) => unique_name(prefix.unwrap_or(DEFAULT_PREFIX)),
        };
        let summary = format!("creating IAM policy (`{name}`)");
        // What was unknown at plan is known now: create nothing IAM would refuse.
        let measures = limits::managed_policy_measures(req.planned, &clients.default_tags);
        if !limits::check_before_write(aws, &measures, diags).await {
            return;
        }
        let path = planned.path.as_deref().unwrap_or("/");
        let Some(document) = planned.policy.as_deref() else {
            return diags.error(
                summary,
                "The policy document is unknown at apply; `account_id` and `kkp_version` must be known.",
            );
        };
        let wanted = planned.policy_model(&clients.default_tags);
        let description = planned.description.as_deref();
        let created = aws
            .create_policy(&name, path, description, document, &wanted.tags, &mark)
            .await;
        let policy = match created {
            Ok(policy) => policy,
            Err(e) if e.is_already_exists() => {
                let account = aws.account_id.as_deref().unwrap_or("<account>");
                let arn = Arn::iam(IamKind::Policy, &aws.partition, account, path, &name);
                return diags.attribute_error(
                    AccountPolicyModel::name,
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
        state.set_identity(&policy);
        state.tags_all = wanted.tags.clone().into();
        if let Some(user) = &wanted.user {
            // The policy exists: keep it in state with the error, so the next
            // apply attaches it, never orphaned.
            let attached = PolicyModel {
                user: None,
                ..wanted.clone()
            };
            let update = PolicyUpdate::new(aws, (&policy.arn, &name), &attached, &wanted);
            if let Err(failure) = managed_policy::update(&update, Some(req.cancel)).await {
                state.user_name = Attr::Null;
                let step = failure.step.unwrap_or(PolicyStep::AttachUser(user.clone()));
                attach_failed(diags, &name, &step, user, &failure.error);
            }
        }
        resp.state = state.to_value();
    }

    async fn read(&self, req: ReadRequest<'_, Clients>, resp: &mut ReadResponse) {
        let clients = req.client;
        let state = AccountPolicyModel::read(req.state);
        let aws = &clients.aws;
        let Some(arn) = state.arn.as_deref() else {
            resp.state = Value::Null;
            return;
        };
        let summary = format!("reading IAM policy (`{arn}`)");
        let policy = match aws.get_policy(arn).await {
            Ok(Some(policy)) => policy,
            Ok(None) => return resp.state = Value::Null,
            Err(e) => return report(&mut resp.diagnostics, summary, &e),
        };
        let user = state.user_name.as_deref();
        let (document, users) = match aws
            .read_policy_details(arn, &policy.default_version_id, user.is_some())
            .await
        {
            Ok(Some(details)) => details,
            Ok(None) => return resp.state = Value::Null,
            Err(e) => return report(&mut resp.diagnostics, summary, &e),
        };
        let mut new = state.clone();
        new.set_identity(&policy);
        new.path = policy.path.as_str().into();
        new.description = Attr::from_option(policy.description.clone());
        // The server keeps the stored text while it means the same (the
        // attribute's semantic equality), so IAM's rewriting never shows.
        let text = canonical_json(&document).unwrap_or_else(|_| from_iam(&document));
        new.policy = text.into();
        // An imported state has no `default_version_id` yet, and no
        // configuration says which tags are its own: they come from AWS.
        new.tags = if state.default_version_id.is_null() {
            own_tags_for_import(&policy.tags, &clients.default_tags)
        } else {
            own_tags_after_read(&policy.tags, &state.tags)
        };
        new.tags_all = policy.tags.clone().into();
        // A detached user shows as a planned attachment.
        if let Some(user) = user
            && !users.iter().any(|u| u == user)
        {
            new.user_name = Attr::Null;
        }
        resp.state = new.to_value();
    }

    async fn update(&self, req: UpdateRequest<'_, Clients>, resp: &mut UpdateResponse) {
        let clients = req.client;
        let prior = AccountPolicyModel::read(req.prior);
        let planned = AccountPolicyModel::read(req.planned);
        let aws = &clients.aws;
        let diags = &mut resp.diagnostics;
        let name = prior.name_or_empty();
        let Some(arn) = prior.arn.as_deref() else {
            return diags.error(
                format!("updating IAM policy (`{name}`)"),
                "The state has no `arn`; remove the resource from state and import it.",
            );
        };
        let measures = limits::managed_policy_measures(req.planned, &clients.default_tags);
        if !limits::check_before_write(aws, &measures, diags).await {
            return;
        }
        let before = PolicyModel {
            tags: prior.tags_all.known().cloned().unwrap_or_default(),
            ..prior.policy_model(&clients.default_tags)
        };
        let wanted = planned.policy_model(&clients.default_tags);
        let update = PolicyUpdate::new(aws, (arn, name), &before, &wanted);
        let failure = managed_policy::update(&update, Some(req.cancel))
            .await
            .err();
        // Start from the plan and put back the prior value of what was not done.
        let mut state = planned.clone();
        if let Some(version) = update.new_version() {
            state.default_version_id = version.into();
        }
        let (done, not_done) = match &failure {
            Some(failure) => (&failure.done[..], &failure.not_done[..]),
            None => (&[][..], &[][..]),
        };
        for step in not_done {
            state.put_back(step, &prior);
            // An attach that failed after the detach: attached to no one.
            if matches!(step, PolicyStep::AttachUser(_))
                && done.iter().any(|s| matches!(s, PolicyStep::DetachUser(_)))
            {
                state.user_name = Attr::Null;
            }
        }
        let Some(failure) = &failure else {
            resp.state = state.to_value();
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
        resp.state = state.to_value();
    }

    async fn delete(&self, req: DeleteRequest<'_, Clients>, resp: &mut DeleteResponse) {
        let prior = AccountPolicyModel::read(req.prior);
        let name = prior.name_or_empty();
        let Some(arn) = prior.arn.as_deref() else {
            return;
        };
        let user = prior.user_name.as_deref();
        if let Err(failure) = managed_policy::destroy(&req.client.aws, arn, name, user).await {
            report(&mut resp.diagnostics, failure.summary, &failure.error);
        }
    }

    async fn import(&self, req: ImportRequest<'_, Clients>, resp: &mut ImportResponse) {
        import::import(req, resp).await;
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
        diags.attribute_error(
            AccountPolicyModel::user_name,
            summary,
            format!("{err}\n\n{remedy}"),
        );
    } else {
        report_on(diags, AccountPolicyModel::user_name, summary, err);
    }
}

#[cfg(test)]
mod tests;
