variable "region" {
  description = "The AWS region."
  type        = string
  default     = "us-east-1"
}

variable "cluster_name" {
  description = "The EKS cluster the Torque agent runs on, in the master account."
  type        = string
}

variable "target_a_admin_role_arn" {
  description = "A role Terraform can assume in the first target account, to create the target role there."
  type        = string
}

variable "target_b_admin_role_arn" {
  description = "A role Terraform can assume in the second target account."
  type        = string
}

variable "master_role_name" {
  description = "The name of the agent's role in the master account."
  type        = string
  default     = "torque-agent"
}

variable "target_role_name" {
  description = "The name of the role in every target account: the same everywhere."
  type        = string
  default     = "torque-target"
}

variable "external_id" {
  description = "The external id the agent's Terraform passes when it assumes a target role; null for none."
  type        = string
  default     = null
  sensitive   = true
}

variable "namespace" {
  description = "The environment namespace the agent's runners use."
  type        = string
  default     = "torque-envs"
}

variable "service_account" {
  description = "The service account named in the blueprint's agent section."
  type        = string
  default     = "torque-runner"
}
