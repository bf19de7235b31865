data "clusteriam_eks_cluster_oidc" "rancher" {
  cluster_name = "rancher-management"
}

resource "clusteriam_oidc_provider" "rancher" {
  url = data.clusteriam_eks_cluster_oidc.rancher.issuer_url
}

# The CSP adapter's role: trusted by exactly its service account.
resource "clusteriam_rancher_csp_adapter_role" "this" {
  name              = "rancher-csp-adapter"
  oidc_provider_arn = clusteriam_oidc_provider.rancher.arn
}

# The adapter install asks for these two.
output "csp_adapter_role_name" {
  value = clusteriam_rancher_csp_adapter_role.this.name
}

output "csp_adapter_account_id" {
  value = clusteriam_rancher_csp_adapter_role.this.account_id
}
