//! IAM finders and mutators.

use super::actions::IAM_GET_OPEN_ID_CONNECT_PROVIDER;
use super::{Aws, AwsError, found};

impl Aws {
    /// Whether an IAM OIDC provider with this ARN exists.
    pub async fn oidc_provider_exists(&self, arn: &str) -> Result<bool, AwsError> {
        let result = self
            .call(
                &IAM_GET_OPEN_ID_CONNECT_PROVIDER,
                arn,
                self.iam
                    .get_open_id_connect_provider()
                    .open_id_connect_provider_arn(arn)
                    .send(),
            )
            .await;
        found(result).map(|p| p.is_some())
    }
}
