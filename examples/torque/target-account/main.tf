# One target account: the cluster's OIDC provider (adopted if it exists, as
# the documentation asks to check first) and the agent's role.

terraform {
  required_providers {
    clusteriam = {
      source = "clusteriam/clusteriam"
    }
  }
}

variable "issuer_url" {
  description = "The cluster's OIDC issuer URL."
  type        = string
}

variable "namespace" {
  description = "The agent service account's namespace."
  type        = string
}

variable "service_account" {
  description = "The agent service account's name."
  type        = string
}

variable "policy_arns" {
  description = "The managed policies to attach to the role."
  type        = list(string)
}

resource "clusteriam_oidc_provider" "cluster" {
  url = var.issuer_url

  # A rebuilt cluster's new issuer replaces the provider while the roles
  # below trust it: the new one first, then the roles, then the old one goes.
  lifecycle {
    create_before_destroy = true
  }
}

# What a runner needs to apply this provider's own resources in the account
# (the "chosen policy" the Torque page leaves to you): this provider's
# least-privilege policy, as its permissions guide lists it.
data "clusteriam_policy_document" "provider_permissions" {
  preset = "provider_permissions"
}

resource "clusteriam_torque_agent_role" "agent" {
  name              = "torque-agent"
  oidc_provider_arn = clusteriam_oidc_provider.cluster.arn
  namespace         = var.namespace
  service_account   = var.service_account
  policy_arns       = var.policy_arns
  policy            = data.clusteriam_policy_document.provider_permissions.json
}

output "role_arn" {
  value = clusteriam_torque_agent_role.agent.arn
}

output "service_account_manifest" {
  value = clusteriam_torque_agent_role.agent.service_account_manifest
}
