variable "region" {
  description = "The AWS region of the EKS cluster."
  type        = string
  default     = "us-east-1"
}

variable "cluster_name" {
  description = "The EKS cluster Rancher Prime runs on."
  type        = string
}

variable "role_name" {
  description = "The billing adapter role's name (the page's example: rancher-csp-iam-role)."
  type        = string
  default     = "rancher-csp-iam-role"
}
