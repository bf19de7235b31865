variable "region" {
  description = "The AWS region of the cluster."
  type        = string
  default     = "us-east-1"
}

variable "eks_cluster_name" {
  description = "The EKS cluster Rancher runs on (for the CSP adapter)."
  type        = string
}

variable "cloud_provider" {
  description = "The cluster's AWS cloud provider: \"in-tree\" (Rancher's page) or \"out-of-tree\" (the AWS cloud controller manager, which Kubernetes 1.27 and later need)."
  type        = string
  default     = "in-tree"
}

variable "cluster_id" {
  description = "The ClusterID: any string, equal across all tags (and used in the role names here)."
  type        = string
}

variable "instance_ids" {
  description = "The cluster's nodes."
  type        = list(string)
  default     = []
}

variable "subnet_id" {
  description = "The subnet used for the cluster."
  type        = string
}

variable "security_group_id" {
  description = "The one security group used for the cluster."
  type        = string
}
