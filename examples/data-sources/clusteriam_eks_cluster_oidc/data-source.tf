# The cluster's OIDC issuer, and whether this account already has an IAM OIDC
# provider for it (seed 003 asks to check before creating one).
data "clusteriam_eks_cluster_oidc" "this" {
  cluster_name = "my-cluster"
}

output "oidc_provider_arn" {
  value = data.clusteriam_eks_cluster_oidc.this.oidc_provider_arn
}

output "oidc_provider_exists" {
  value = data.clusteriam_eks_cluster_oidc.this.oidc_provider_exists
}
