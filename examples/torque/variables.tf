variable "region" {
  description = "The AWS region."
  type        = string
  default     = "us-east-1"
}

variable "cluster_name" {
  description = "The EKS cluster the Torque agent runs on, in the cluster account."
  type        = string
}

variable "target_a_role_arn" {
  description = "A role Terraform can assume in the first target account."
  type        = string
}

variable "target_b_role_arn" {
  description = "A role Terraform can assume in the second target account."
  type        = string
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

variable "policy_arns" {
  description = "The managed policies the IaC runs need, in each target account."
  type        = list(string)
  default     = []
}
