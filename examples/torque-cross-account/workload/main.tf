# What the blueprint applies on the agent: Terraform assumes the target role
# of the account the blueprint's user picked, and provisions there. Here it
# creates a Rancher worker node role; your IaC goes in its place.

terraform {
  required_providers {
    clusteriam = {
      source = "clusteriam/clusteriam"
    }
  }
}

variable "aws_account_id" {
  description = "The target account, as the blueprint splits it out of its account input."
  type        = string
}

variable "target_role_name" {
  description = "The target role's name, the same in every target account."
  type        = string
  default     = "torque-target"
}

variable "external_id" {
  description = "The external id the target roles require; null for none."
  type        = string
  default     = null
  sensitive   = true
}

variable "partition" {
  description = "The AWS partition of the accounts."
  type        = string
  default     = "aws"
}

variable "region" {
  description = "The AWS region."
  type        = string
  default     = "us-east-1"
}

# The agent's credentials are the master role's (IRSA); from them, the target
# role of the chosen account, as Torque's page writes it.
provider "clusteriam" {
  region = var.region
  assume_role {
    role_arn     = "arn:${var.partition}:iam::${var.aws_account_id}:role/${var.target_role_name}"
    session_name = "torque"
    external_id  = var.external_id
  }
}

resource "clusteriam_rancher_node_role" "worker" {
  name_prefix = "workload-worker-"
  node_role   = "worker"
}

output "role_arn" {
  description = "The node role, in the chosen account."
  value       = clusteriam_rancher_node_role.worker.arn
}
