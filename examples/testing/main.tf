# A configuration to unit-test with `terraform test` and a mocked provider
# (agent.tftest.hcl): no AWS account, no credentials. It is the Torque set-up
# in one account, with a variable check of its own.

terraform {
  required_providers {
    clusteriam = {
      source = "clusteriam/clusteriam"
    }
  }
}

variable "issuer_url" {
  description = "The EKS cluster's OIDC issuer URL."
  type        = string
}

variable "namespace" {
  description = "The environment namespace the agent's runners use."
  type        = string
  default     = "torque-envs"

  validation {
    condition     = can(regex("^torque-", var.namespace))
    error_message = "Torque environment namespaces start with `torque-`."
  }
}

resource "clusteriam_oidc_provider" "cluster" {
  url = var.issuer_url
}

resource "clusteriam_torque_agent_role" "agent" {
  name              = "torque-agent"
  oidc_provider_arn = clusteriam_oidc_provider.cluster.arn
  namespace         = var.namespace
  service_account   = "torque-runner"
}

output "role_arn" {
  value = clusteriam_torque_agent_role.agent.arn
}
