variable "region" {
  description = "The AWS region."
  type        = string
  default     = "us-east-1"
}

variable "cluster_id" {
  description = "The Rancher ClusterID."
  type        = string
  default     = "demo"
}

variable "eks_cluster_name" {
  description = "An EKS cluster (Rancher's management cluster, or the Torque agent's)."
  type        = string
}

variable "vpc_id" {
  description = "The cluster VPC."
  type        = string
}

variable "subnet_id" {
  description = "The cluster subnet."
  type        = string
}

variable "security_group_id" {
  description = "The one cluster security group."
  type        = string
}

variable "instance_ids" {
  description = "The cluster nodes."
  type        = list(string)
}

variable "kkp_user_name" {
  description = "The IAM user KKP runs as."
  type        = string
}
