# The quick-start: the documented AWS prerequisites of every platform in one
# configuration, with no JSON written by hand. `scripts/demo` applies it to a
# local AWS emulator (through AWS_ENDPOINT_URL) after creating the things a real
# account would already have: an EKS cluster, a VPC with a node, an IAM user.

terraform {
  required_providers {
    clusteriam = {
      source = "clusteriam/clusteriam"
    }
  }
}

provider "clusteriam" {
  region = var.region

  default_tags {
    tags = {
      managed-by = "clusteriam-quickstart"
    }
  }
}

# --- Rancher: Amazon cloud provider (seed 001) --------------------------------

resource "clusteriam_rancher_node_role" "controlplane" {
  name      = "${var.cluster_id}-controlplane"
  node_role = "controlplane"
}

resource "clusteriam_rancher_node_role" "worker" {
  name      = "${var.cluster_id}-worker"
  node_role = "worker"
}

resource "clusteriam_cluster_tags" "this" {
  cluster_id        = var.cluster_id
  instance_ids      = var.instance_ids
  subnet_ids        = [var.subnet_id]
  security_group_id = var.security_group_id
}

# --- Rancher CSP adapter (seed 000) and Torque agent (seed 003) ---------------

data "clusteriam_eks_cluster_oidc" "this" {
  cluster_name = var.eks_cluster_name
}

resource "clusteriam_oidc_provider" "this" {
  url = data.clusteriam_eks_cluster_oidc.this.issuer_url

  # A rebuilt cluster's new issuer replaces the provider while the roles
  # below trust it: the new one first, then the roles, then the old one goes.
  lifecycle {
    create_before_destroy = true
  }
}

resource "clusteriam_rancher_csp_adapter_role" "this" {
  name              = "rancher-csp-adapter"
  oidc_provider_arn = clusteriam_oidc_provider.this.arn
}

resource "clusteriam_torque_agent_role" "this" {
  name              = "torque-agent"
  oidc_provider_arn = clusteriam_oidc_provider.this.arn
  namespace         = "torque-envs"
  service_account   = "torque-runner"
}

# --- Kubermatic KKP (seed 002) ------------------------------------------------

resource "clusteriam_kkp_account_policy" "this" {
  name      = "kubermatic-kkp"
  user_name = var.kkp_user_name
}

resource "clusteriam_vpc_dns_hostnames" "this" {
  vpc_id = var.vpc_id
}

# --- Amazon EKS Connector (seed 004) ------------------------------------------

resource "clusteriam_eks_connector_service_linked_role" "this" {}

resource "clusteriam_eks_connector_agent_role" "this" {}
