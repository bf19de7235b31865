# Torque agents on EKS (seed 003): the cluster's OIDC provider and an agent
# role in every target account, one provider alias per account, and the
# ServiceAccount manifest to apply in the cluster.

terraform {
  required_providers {
    clusteriam = {
      source = "clusteriam/clusteriam"
    }
  }
}

# The cluster account, where the EKS cluster runs.
provider "clusteriam" {
  alias  = "cluster"
  region = var.region
}

# The target accounts, where the agent's IaC creates resources.
provider "clusteriam" {
  alias  = "target_a"
  region = var.region
  assume_role {
    role_arn = var.target_a_role_arn
  }
}

provider "clusteriam" {
  alias  = "target_b"
  region = var.region
  assume_role {
    role_arn = var.target_b_role_arn
  }
}

# Step 1: the cluster's OIDC issuer.
data "clusteriam_eks_cluster_oidc" "cluster" {
  provider     = clusteriam.cluster
  cluster_name = var.cluster_name
}

# Steps 2 and 3 and the role, in every target account.
module "target_a" {
  source    = "./target-account"
  providers = { clusteriam = clusteriam.target_a }

  issuer_url      = data.clusteriam_eks_cluster_oidc.cluster.issuer_url
  namespace       = var.namespace
  service_account = var.service_account
  policy_arns     = var.policy_arns
}

module "target_b" {
  source    = "./target-account"
  providers = { clusteriam = clusteriam.target_b }

  issuer_url      = data.clusteriam_eks_cluster_oidc.cluster.issuer_url
  namespace       = var.namespace
  service_account = var.service_account
  policy_arns     = var.policy_arns
}
