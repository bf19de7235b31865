//! EKS lookups.

use super::{Aws, AwsError, Found, found};

impl Aws {
    /// The OIDC issuer URL of an EKS cluster; None when the cluster does not exist.
    pub async fn eks_cluster_issuer(&self, cluster_name: &str) -> Found<Option<String>> {
        tracing::debug!(
            service = "eks",
            operation = "DescribeCluster",
            cluster = cluster_name
        );
        let result = self
            .eks
            .describe_cluster()
            .name(cluster_name)
            .send()
            .await
            .map_err(AwsError::from);
        found(result).map(|cluster| {
            cluster.map(|c| {
                c.cluster
                    .and_then(|c| c.identity)
                    .and_then(|i| i.oidc)
                    .and_then(|o| o.issuer)
            })
        })
    }
}
