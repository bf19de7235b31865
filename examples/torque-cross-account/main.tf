# Torque's "Cross Account Provisioning (AWS)", Option B: one Torque agent in a
# master account, where its EKS cluster runs, provisions into many target
# accounts. The agent's IRSA role lives in the master account; every target
# account has a role of the same name that trusts the master role (with an
# external id), holding what the IaC needs there. The blueprint
# (blueprint.yaml) lets its user pick the account; ./workload is what it
# applies there.

terraform {
  required_providers {
    clusteriam = {
      source = "clusteriam/clusteriam"
    }
  }
}

# The master account, where the EKS cluster and the agent run.
provider "clusteriam" {
  alias  = "master"
  region = var.region
}

# The target accounts, reached through an administrator's role in each.
provider "clusteriam" {
  alias  = "target_a"
  region = var.region
  assume_role {
    role_arn = var.target_a_admin_role_arn
  }
}

provider "clusteriam" {
  alias  = "target_b"
  region = var.region
  assume_role {
    role_arn = var.target_b_admin_role_arn
  }
}

locals {
  # arn:<partition>:iam::<account>:role/<name>: the target roles' ARNs,
  # known before they exist, so that the master role's policy can name them.
  targets = {
    target_a = split(":", var.target_a_admin_role_arn)
    target_b = split(":", var.target_b_admin_role_arn)
  }
  target_role_arns = {
    for key, arn in local.targets :
    key => "arn:${arn[1]}:iam::${arn[4]}:role/${var.target_role_name}"
  }
}

# The agent's role in the master account (Torque's "Agents on AWS" steps):
# the cluster's OIDC provider, then an IRSA role for the agent's service
# account, allowed to assume the target roles and nothing else.
data "clusteriam_eks_cluster_oidc" "cluster" {
  provider     = clusteriam.master
  cluster_name = var.cluster_name
}

resource "clusteriam_oidc_provider" "cluster" {
  provider = clusteriam.master
  url      = data.clusteriam_eks_cluster_oidc.cluster.issuer_url
}

resource "clusteriam_torque_agent_role" "master" {
  provider          = clusteriam.master
  name              = var.master_role_name
  oidc_provider_arn = clusteriam_oidc_provider.cluster.arn
  namespace         = var.namespace
  service_account   = var.service_account
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect   = "Allow"
      Action   = "sts:AssumeRole"
      Resource = values(local.target_role_arns)
    }]
  })
}

# What the IaC the blueprint runs needs in each target account: here this
# provider's own least-privilege policy for the Rancher node roles the
# workload creates (replace it with what your IaC needs).
data "clusteriam_policy_document" "workload_a" {
  provider       = clusteriam.target_a
  preset         = "provider_permissions"
  resource_types = "clusteriam_rancher_node_role"
}

data "clusteriam_policy_document" "workload_b" {
  provider       = clusteriam.target_b
  preset         = "provider_permissions"
  resource_types = "clusteriam_rancher_node_role"
}

# In every target account, a role of the same name trusting the master role.
resource "clusteriam_torque_target_role" "target_a" {
  provider        = clusteriam.target_a
  name            = var.target_role_name
  master_role_arn = clusteriam_torque_agent_role.master.arn
  external_id     = var.external_id
  policy          = data.clusteriam_policy_document.workload_a.json
}

resource "clusteriam_torque_target_role" "target_b" {
  provider        = clusteriam.target_b
  name            = var.target_role_name
  master_role_arn = clusteriam_torque_agent_role.master.arn
  external_id     = var.external_id
  policy          = data.clusteriam_policy_document.workload_b.json
}
