variable "region" {
  description = "The AWS region of the user clusters."
  type        = string
  default     = "eu-central-1"
}

variable "account_b_role_arn" {
  description = "A role Terraform can assume in account B, to create role R there."
  type        = string
}

variable "kkp_principal_arn" {
  description = "KKP's principal in account A: the IAM user KKP runs as (arn:aws:iam::<A>:user/<name>), or the account (arn:aws:iam::<A>:root)."
  type        = string
}

variable "external_id" {
  description = "The external id KKP is given with the role's ARN (recommended); null for none."
  type        = string
  default     = null
  sensitive   = true
}

variable "kkp_version" {
  description = "The KKP version in use, MAJOR.MINOR; null for the current KKP."
  type        = string
  default     = null
}

variable "role_name" {
  description = "The name of role R in account B."
  type        = string
  default     = "kubermatic"
}

variable "vpc_id" {
  description = "The VPC in account B the user clusters run in."
  type        = string
}
