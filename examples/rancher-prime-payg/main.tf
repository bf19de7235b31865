# Rancher Prime pay-as-you-go from the AWS Marketplace ("Installing Rancher
# Prime"): the EKS cluster's IAM OIDC provider (check first, create if
# missing) and the billing adapter's IAM role with the AWS-managed
# AWSMarketplaceMeteringFullAccess, and the Helm values the Rancher Prime
# chart takes for it.

terraform {
  required_providers {
    clusteriam = {
      source = "clusteriam/clusteriam"
    }
  }
}

provider "clusteriam" {
  region = var.region
}

# The cluster's OIDC issuer...
data "clusteriam_eks_cluster_oidc" "rancher" {
  cluster_name = var.cluster_name
}

# ...and its IAM OIDC provider, adopted when it exists already.
resource "clusteriam_oidc_provider" "rancher" {
  url = data.clusteriam_eks_cluster_oidc.rancher.issuer_url
}

# What `eksctl create iamserviceaccount --role-only` makes on the page: a
# role trusted by exactly cattle-csp-billing-adapter-system/
# rancher-csp-billing-adapter (audience sts.amazonaws.com), with
# AWSMarketplaceMeteringFullAccess attached.
resource "clusteriam_rancher_billing_adapter_role" "billing" {
  name              = var.role_name
  oidc_provider_arn = clusteriam_oidc_provider.rancher.arn
}
