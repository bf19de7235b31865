# Kubermatic KKP, "Deploy with AWS AssumeRole": KKP runs as a principal of
# account A (the credentials Terraform runs with here) and runs user clusters
# in account B, through a role in B that holds the KKP policy and trusts
# KKP's principal, with an external id.

terraform {
  required_providers {
    clusteriam = {
      source = "clusteriam/clusteriam"
    }
  }
}

# Account B, where the user clusters run and are billed: through a role
# Terraform may assume there.
provider "clusteriam" {
  alias  = "account_b"
  region = var.region
  assume_role {
    role_arn = var.account_b_role_arn
  }
}

# Role R: the KKP policy of the KKP version in use, with account B filled in,
# trusting KKP's principal in account A.
resource "clusteriam_kkp_assume_role" "kkp" {
  provider = clusteriam.account_b

  name              = var.role_name
  kkp_principal_arn = var.kkp_principal_arn
  external_id       = var.external_id
  kkp_version       = var.kkp_version
}

# KKP's AWS requirements: the user clusters' VPC has DNS hostnames enabled.
resource "clusteriam_vpc_dns_hostnames" "user_clusters" {
  provider = clusteriam.account_b

  vpc_id = var.vpc_id
}
