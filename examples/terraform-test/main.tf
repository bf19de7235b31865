# A module whose IAM documents come from provider functions: `terraform test`
# checks them with a mock provider, without credentials or AWS.
terraform {
  required_providers {
    clusteriam = { source = "clusteriam/clusteriam" }
  }
}

variable "account_id" {
  description = "The target account."
  type        = string
  default     = "111122223333"
}

variable "issuer_url" {
  description = "The EKS cluster's OIDC issuer."
  type        = string
  default     = "https://oidc.eks.eu-central-1.amazonaws.com/id/EXAMPLED539D4633E53DE1B71EXAMPLE"
}

variable "agent_policy" {
  description = "The Torque agent role's inline policy."
  type        = string
  default     = <<-EOT
    {
      "Version": "2012-10-17",
      "Statement": [
        {"Effect": "Allow", "Action": ["s3:GetObject", "s3:List*"], "Resource": "*"}
      ]
    }
  EOT

  validation {
    condition     = length(provider::clusteriam::validate_policy(var.agent_policy).errors) == 0
    error_message = "The agent policy has problems: ${join("; ", provider::clusteriam::validate_policy(var.agent_policy).errors)}."
  }
}

variable "cluster_id" {
  description = "The ClusterID for the cluster tags."
  type        = string
  default     = "prod"
}

locals {
  oidc_provider_arn = provider::clusteriam::oidc_provider_arn(var.issuer_url, var.account_id, "aws")
}

resource "clusteriam_torque_agent_role" "agent" {
  name              = "torque-agent"
  oidc_provider_arn = local.oidc_provider_arn
  namespace         = "torque-envs"
  service_account   = "torque-runner"
  policy            = var.agent_policy
}

output "oidc_provider_arn" {
  value = local.oidc_provider_arn
}

output "trust" {
  value = provider::clusteriam::irsa_trust(local.oidc_provider_arn, "torque-envs", "torque-runner")
}

output "kkp_policy" {
  value = provider::clusteriam::policy_document("kkp_account", { account_id = var.account_id })
}

output "cluster_tag_key" {
  value = provider::clusteriam::cluster_tag_key(var.cluster_id)
}

output "service_account_yaml" {
  value = provider::clusteriam::service_account_manifest(
    "arn:aws:iam::${var.account_id}:role/torque-agent",
    "torque-envs",
    "torque-runner",
  )
}
