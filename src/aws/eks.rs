//! EKS lookups.

use super::actions::EKS_DESCRIBE_CLUSTER;
use super::{Aws, Found, call, found};

impl Aws {
    /// The OIDC issuer URL of an EKS cluster; None when the cluster does not exist.
    pub async fn eks_cluster_issuer(&self, cluster_name: &str) -> Found<Option<String>> {
        let result = call(
            &EKS_DESCRIBE_CLUSTER,
            cluster_name,
            self.eks.describe_cluster().name(cluster_name).send(),
        )
        .await;
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
