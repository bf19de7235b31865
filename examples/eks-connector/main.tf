# The Amazon EKS Connector (seed 004): the service-linked role and the agent role.

terraform {
  required_providers {
    clusteriam = {
      source = "clusteriam/clusteriam"
    }
  }
}

variable "region" {
  description = "The AWS region to register clusters in."
  type        = string
  default     = "us-east-1"
}

provider "clusteriam" {
  region = var.region
}

# aws iam create-service-linked-role --aws-service-name eks-connector.amazonaws.com,
# adopting the role when the account already has it.
resource "clusteriam_eks_connector_service_linked_role" "this" {}

# AmazonEKSConnectorAgentRole with AmazonEKSConnectorAgentPolicy.
resource "clusteriam_eks_connector_agent_role" "this" {}

output "agent_role_arn" {
  description = "The role ARN to give `aws eks register-cluster --connector-config roleArn=...`."
  value       = clusteriam_eks_connector_agent_role.this.arn
}
