# Rancher on AWS: the whole AWS side of Rancher's "Amazon cloud provider" page
# (seed 001) and of the CSP adapter requirements (seed 000), with no JSON.

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

# --- CSP adapter (Rancher on the AWS Marketplace) ----------------------------

# Step 4: an IAM OIDC provider for the EKS cluster Rancher runs on. If one
# exists already, it is adopted and left in place on destroy.
data "clusteriam_eks_cluster_oidc" "rancher" {
  cluster_name = var.eks_cluster_name
}

resource "clusteriam_oidc_provider" "rancher" {
  url = data.clusteriam_eks_cluster_oidc.rancher.issuer_url

  # A rebuilt cluster's new issuer replaces the provider while the roles
  # below trust it: the new one first, then the roles, then the old one goes.
  lifecycle {
    create_before_destroy = true
  }
}

# Step 5: the adapter's role, trusted by exactly its service account.
resource "clusteriam_rancher_csp_adapter_role" "this" {
  name              = "rancher-csp-adapter"
  oidc_provider_arn = clusteriam_oidc_provider.rancher.arn
}

# --- Amazon cloud provider ---------------------------------------------------

# Step 1: a role and instance profile per node role, with the documented policies.
resource "clusteriam_rancher_node_role" "controlplane" {
  name           = "${var.cluster_id}-controlplane"
  node_role      = "controlplane"
  cloud_provider = var.cloud_provider
}

resource "clusteriam_rancher_node_role" "etcd" {
  name           = "${var.cluster_id}-etcd"
  node_role      = "etcd"
  cloud_provider = var.cloud_provider
}

resource "clusteriam_rancher_node_role" "worker" {
  name           = "${var.cluster_id}-worker"
  node_role      = "worker"
  cloud_provider = var.cloud_provider
}

# Step 2: the ClusterID tag on the nodes, the subnet and exactly one security group.
resource "clusteriam_cluster_tags" "this" {
  cluster_id        = var.cluster_id
  ownership         = "owned"
  instance_ids      = var.instance_ids
  subnet_ids        = [var.subnet_id]
  security_group_id = var.security_group_id
}
