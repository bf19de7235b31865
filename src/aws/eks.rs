//! EKS lookups.

use super::actions::EKS_DESCRIBE_CLUSTER;
use super::call::call;
use super::client::Aws;
use super::error::AwsError;

impl Aws {
    /// The OIDC issuer URL of an EKS cluster; None when it has none (a
    /// connected cluster). A cluster that doesn't exist is EKS's not-found
    /// error.
    pub async fn eks_cluster_issuer(&self, cluster_name: &str) -> Result<Option<String>, AwsError> {
        let request = self.eks.describe_cluster().name(cluster_name);
        let cluster = call(&EKS_DESCRIBE_CLUSTER, cluster_name, request.send()).await?;
        Ok(cluster
            .cluster
            .and_then(|c| c.identity)
            .and_then(|i| i.oidc)
            .and_then(|o| o.issuer))
    }
}
