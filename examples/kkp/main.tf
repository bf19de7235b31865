# The AWS prerequisites of Kubermatic KKP (https://docs.kubermatic.com, "AWS"):
# the policy of the IAM user KKP runs as, and a VPC with DNS hostnames enabled.

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

variable "region" {
  description = "The AWS region of the VPC."
  type        = string
  default     = "eu-central-1"
}

variable "user_name" {
  description = "The IAM user KKP runs as: the owner of the access key given to KKP. Create it with the AWS provider's aws_iam_user, or by hand."
  type        = string
  default     = "kubermatic"
}

variable "vpc_id" {
  description = "The VPC the user clusters run in."
  type        = string
}

# "IAM Role for KKP": the documented policy, YOUR_ACCOUNT_ID filled in with
# the caller's account, attached to the KKP user.
resource "clusteriam_kkp_account_policy" "kkp" {
  name        = "kubermatic-kkp"
  description = "Kubermatic KKP: manage user cluster machines, their roles and instance profiles"
  user_name   = var.user_name
}

# "VPC Requirements": Enable DNS hostnames (and DNS support, which it needs).
resource "clusteriam_vpc_dns_hostnames" "kkp" {
  vpc_id = var.vpc_id
}

output "policy_arn" {
  description = "The ARN of the KKP policy."
  value       = clusteriam_kkp_account_policy.kkp.arn
}

output "policy_json" {
  description = "The policy document, as canonical JSON."
  value       = clusteriam_kkp_account_policy.kkp.policy
}
