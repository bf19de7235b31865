//! IAM finders and mutators.

use super::{Aws, AwsError, found};

impl Aws {
    /// Whether an IAM OIDC provider with this ARN exists.
    pub async fn oidc_provider_exists(&self, arn: &str) -> Result<bool, AwsError> {
        tracing::debug!(service = "iam", operation = "GetOpenIDConnectProvider", arn);
        let result = self
            .iam
            .get_open_id_connect_provider()
            .open_id_connect_provider_arn(arn)
            .send()
            .await
            .map_err(AwsError::from);
        found(result).map(|p| p.is_some())
    }
}
