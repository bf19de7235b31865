//! Importing a `clusteriam_kkp_account_policy` by its ARN: the account
//! and KKP version its document names, and the user it is attached to
//! when there is exactly one. `read` fills in the rest.

use super::model::AccountPolicyModel;
use crate::arn::{Arn, is_account_id};
use crate::clients::Clients;
use crate::policy::published::kkp::kkp_version_of;
use crate::resources::common::report;
use crate::tfplugin::{Attr, ImportRequest, ImportResponse, Model};

pub(super) async fn import(req: ImportRequest<'_, Clients>, resp: &mut ImportResponse) {
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
    let mut state = AccountPolicyModel {
        id: id.into(),
        arn: id.into(),
        // The document names the account whose roles KKP manages: the owner's.
        account_id: arn.account.as_str().into(),
        ..Default::default()
    };
    // The KKP version whose document the policy is, and the attachment
    // when there is exactly one user to pick.
    match aws
        .read_policy_details(id, &policy.default_version_id, true)
        .await
    {
        Ok(Some((document, users))) => {
            let version = kkp_version_of(&aws.partition, &arn.account, &document);
            state.kkp_version = Attr::from_option(version.map(|v| v.to_string()));
            if let [user] = users.as_slice() {
                state.user_name = user.as_str().into();
            }
        }
        Ok(None) => {}
        Err(e) => return report(diags, summary, &e),
    }
    resp.state = state.to_value();
}
