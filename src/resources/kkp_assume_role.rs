//! `clusteriam_kkp_assume_role` (Kubermatic KKP, "Deploy with AWS
//! AssumeRole", `shared/seeds/beyond/`): the role in account B that KKP,
//! running as a principal of account A, assumes to run user clusters in B,
//! holding the KKP policy of the KKP version in use.

use super::common::cross_account::{self, external_id_attribute, import_principal};
use super::common::kkp::{
    KkpVersionModel, kkp_version_attribute, planned_kkp_version, validate_kkp_version,
};
use super::common::role::{Import, PolicyModel, RoleKind, role_arn};
use crate::arn::check_principal_arn;
use crate::aws::{Aws, ObservedRole};
use crate::model;
use crate::policy::published::kkp::{kkp_account_document, kkp_document_version};
use crate::policy::{Document, Statement};
use crate::tfplugin::{Attr, Attribute, AttributePath, Diagnostics, Model, Value};

pub struct KkpAssumeRole;

const INLINE_POLICY: &str = "KubermaticKKPPolicy";

/// The account of an ARN (`arn:<partition>:iam::<account>:...`).
fn account_of(arn: &str) -> Option<&str> {
    arn.split(':').nth(4).filter(|a| !a.is_empty())
}

impl RoleKind for KkpAssumeRole {
    const TYPE_NAME: &'static str = "clusteriam_kkp_assume_role";

    const DESCRIPTION: &'static str = "The IAM role Kubermatic KKP assumes to run user clusters in another AWS account, as KKP's \
         \"Deploy with AWS AssumeRole\" page describes it: a role in the account the provider works \
         in (account B, where the user clusters run and are billed) that holds the KKP policy of the \
         KKP version in use (`kkp_version`, as for `clusteriam_kkp_account_policy`, with account B \
         filled in) and trusts KKP's principal in its own account A for `sts:AssumeRole`, optionally \
         with an external id, which the page recommends. Give KKP the role's `arn` (\"Enable Assume \
         Role\" when creating a cluster) and the external id. KKP's principal needs \
         `sts:AssumeRole` on the role in its own account too (`kkp_principal_policy`). KKP cannot \
         clean up a cluster once this role is gone or no longer trusts it: delete the user clusters \
         it runs here first.";

    const NAME_PREFIX: &'static str = "kkp-assume-role-";

    const POLICY_NAME: Option<&'static str> = Some(INLINE_POLICY);

    const TRUST_HIDES_SECRET: bool = true;

    fn attributes(&self) -> Vec<Attribute> {
        vec![
            Attribute::required_string(
                KkpAssumeRoleModel::kkp_principal_arn,
                "The ARN of KKP's principal in account A, whose credentials KKP is given: the IAM \
                 user (`arn:aws:iam::<account A>:user/<name>`), or account A itself \
                 (`arn:aws:iam::<account A>:root`), which lets every principal of account A that \
                 its own policies allow assume the role. IAM checks that a user exists. Changing \
                 it updates the trust policy in place.",
            ),
            external_id_attribute("KKP (the cluster's \"External ID\")"),
            kkp_version_attribute(),
            Attribute::computed_string(
                PolicyModel::policy,
                "The role's inline policy (`KubermaticKKPPolicy`), as canonical JSON: KKP's \
                 documented policy for `kkp_version`, with the role's account where the \
                 documentation says `YOUR_ACCOUNT_ID`.",
            ),
            Attribute::computed_string(
                KkpAssumeRoleModel::account_id,
                "The AWS account id of the role (account B): where KKP creates the user clusters' \
                 resources.",
            ),
            Attribute::computed_string(
                KkpAssumeRoleModel::kkp_principal_policy,
                "An IAM policy (JSON) that allows `sts:AssumeRole` on this role, for KKP's \
                 principal in account A: a cross-account role is assumable only when the \
                 principal's own policies allow it too. Attach it to the KKP user there.",
            ),
        ]
    }

    fn validate(&self, config: &Value, diags: &mut Diagnostics) {
        let principal = KkpAssumeRoleModel::kkp_principal_arn;
        cross_account::validate(config, principal, check_principal_arn, diags);
        validate_kkp_version(config, diags);
    }

    fn trust(&self, input: &Value, aws: &Aws) -> Result<Option<String>, (AttributePath, String)> {
        let principal = KkpAssumeRoleModel::read(input).kkp_principal_arn;
        let principal_attr = KkpAssumeRoleModel::kkp_principal_arn;
        cross_account::trust(input, (principal_attr, &principal), &aws.partition)
    }

    /// KKP's policy names the account it manages: the role's own.
    fn policy(&self, input: &Value, aws: &Aws) -> Result<Option<String>, (AttributePath, String)> {
        let arn = role_arn(input, None);
        let account = aws
            .account_id
            .as_deref()
            .or_else(|| arn.as_deref().and_then(account_of));
        let Some(account) = account else {
            return Err((
                AttributePath::default(),
                "KKP's policy names the role's account, which is unknown because the provider's \
                 `skip_credentials_validation` is set: configure the provider without it."
                    .to_string(),
            ));
        };
        Ok(planned_kkp_version(input)
            .map(|version| kkp_account_document(&aws.partition, account, version)))
    }

    fn fill_computed(&self, state: &mut Value, _aws: &Aws, role: Option<&ObservedRole>) {
        let mut own = KkpAssumeRoleModel::read(state);
        (own.account_id, own.kkp_principal_policy) = match role_arn(state, role) {
            Some(arn) => (
                account_of(&arn).map_or(Attr::Unknown, Attr::from),
                Document::new([Statement::allow().action("sts:AssumeRole").resource(&arn)])
                    .to_canonical_json()
                    .into(),
            ),
            None => (Attr::Unknown, Attr::Unknown),
        };
        own.write(state);
    }

    /// The principal and external id from the trust; `kkp_version` from
    /// whichever inline policy is a KKP document of the role's account (a
    /// role made by hand names it as its author chose).
    fn import_inputs(&self, import: Import<'_>) -> Result<(), String> {
        let Import { state, role, .. } = import;
        let mut own = KkpAssumeRoleModel::read(state);
        if !import_principal(&mut own.kkp_principal_arn, role)? {
            return Ok(());
        }
        own.write(state);
        let partition = role.arn.split(':').nth(1).unwrap_or("aws");
        let account = account_of(&role.arn).unwrap_or_default();
        let mut documents = std::iter::once(role.inline_policies.get(INLINE_POLICY))
            .flatten()
            .chain(role.inline_policies.values());
        // Not a KKP document at all: unset, and the plan shows the current one.
        let version = documents
            .find_map(|policy| kkp_document_version(partition, account, policy))
            .flatten();
        KkpVersionModel {
            kkp_version: Attr::from_option(version.map(|v| v.to_string())),
        }
        .write(state);
        Ok(())
    }
}

model! {
    /// KKP's principal and what it is given; the rest are every role's
    /// attributes and `kkp_version` ([`KkpVersionModel`]).
    struct KkpAssumeRoleModel {
        kkp_principal_arn: Attr<String>,
        account_id: Attr<String>,
        kkp_principal_policy: Attr<String>,
    }
}

#[cfg(test)]
crate::role_models_test!(KkpAssumeRole, KkpAssumeRoleModel, KkpVersionModel);
