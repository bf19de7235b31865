//! The account's IAM quotas, from GetAccountSummary: read at most once per
//! provider process, and only when a plan needs one.

use super::actions::IAM_GET_ACCOUNT_SUMMARY;
use super::call::call;
use super::client::{AccountSummary, Aws};
use super::error::AwsError;

impl Aws {
    /// The account's summary. The first call asks IAM; every later one, in
    /// this process, gets that answer (an error too: a denied call is not
    /// asked again for each resource).
    pub async fn account_summary(&self) -> Result<&AccountSummary, &AwsError> {
        self.account_summary
            .get_or_init(|| async {
                let out = call(
                    &IAM_GET_ACCOUNT_SUMMARY,
                    "",
                    self.iam.get_account_summary().send(),
                )
                .await?;
                Ok(out
                    .summary_map()
                    .into_iter()
                    .flatten()
                    .map(|(key, value)| (key.as_str().to_string(), i64::from(*value)))
                    .collect())
            })
            .await
            .as_ref()
    }
}
