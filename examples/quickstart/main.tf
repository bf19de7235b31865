# The quick-start the demo applies against the local AWS emulator: the
# documented prerequisites of every platform, with no JSON written by hand.

terraform {
  required_providers {
    clusteriam = {
      source = "clusteriam/clusteriam"
    }
  }
}

variable "endpoint" {
  description = "The AWS API endpoint to use (the local emulator in the demo)."
  type        = string
}

provider "clusteriam" {
  region = "us-east-1"

  endpoints {
    iam = var.endpoint
    sts = var.endpoint
    ec2 = var.endpoint
    eks = var.endpoint
  }

  default_tags {
    tags = {
      demo = "clusteriam"
    }
  }
}

# Kubermatic KKP (seed 002): the account policy, with the caller's account filled in.
data "clusteriam_policy_document" "kkp" {
  preset = "kkp_account"
}

output "kkp_account_policy" {
  description = "The KKP policy document, ready for the KKP user."
  value       = data.clusteriam_policy_document.kkp.json
}
