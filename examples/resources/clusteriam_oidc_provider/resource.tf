# The IAM OIDC provider for an EKS cluster's issuer (Rancher CSP adapter
# step 4, Torque agent prerequisites). If the account already has one for
# this issuer, it is adopted (adopted = true) and left in place on destroy.
data "clusteriam_eks_cluster_oidc" "this" {
  cluster_name = "rancher-mgmt"
}

resource "clusteriam_oidc_provider" "example" {
  url = data.clusteriam_eks_cluster_oidc.this.issuer_url

  # Optional: these are the defaults. Leave `thumbprints` out to let IAM
  # manage them; nothing is fetched at plan time.
  client_ids = ["sts.amazonaws.com"]

  tags = {
    Name = "rancher-mgmt"
  }

  # A rebuilt cluster has a new issuer, which replaces the provider. Roles
  # of this configuration trust it: create the new provider first, move the
  # roles to it, and only then delete the old one.
  lifecycle {
    create_before_destroy = true
  }
}

output "oidc_provider_arn" {
  value = clusteriam_oidc_provider.example.arn
}
