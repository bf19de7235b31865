terraform {
  required_providers {
    clusteriam = {
      source = "clusteriam/clusteriam"
    }
  }
}

# Credentials and region come from the usual places (AWS_* environment
# variables, ~/.aws/config and ~/.aws/credentials), as with the AWS provider.
provider "clusteriam" {
  region = "eu-central-1"

  default_tags {
    tags = {
      managed-by = "terraform"
    }
  }
}

# One alias per target account, through a role in that account.
provider "clusteriam" {
  alias  = "target"
  region = "eu-central-1"

  assume_role {
    role_arn     = "arn:aws:iam::111122223333:role/terraform"
    session_name = "cluster-prerequisites"
  }
}
