data "clusteriam_eks_cluster_oidc" "rancher" {
  cluster_name = "rancher-prime"
}

# The page checks for the cluster's OIDC provider first and creates it if it
# is missing: this adopts one that exists.
resource "clusteriam_oidc_provider" "rancher" {
  url = data.clusteriam_eks_cluster_oidc.rancher.issuer_url
}

# The billing adapter's role: trusted by exactly its service account, with
# AWSMarketplaceMeteringFullAccess attached.
resource "clusteriam_rancher_billing_adapter_role" "this" {
  name              = "rancher-csp-iam-role"
  oidc_provider_arn = clusteriam_oidc_provider.rancher.arn
}

# global.aws.accountNumber and global.aws.roleName for the Rancher Prime chart.
output "helm_values" {
  value = clusteriam_rancher_billing_adapter_role.this.helm_values
}
