# The ARN of the IAM OIDC provider for an EKS cluster's issuer, without
# looking anything up.
output "oidc_provider_arn" {
  value = provider::clusteriam::oidc_provider_arn(
    "https://oidc.eks.eu-central-1.amazonaws.com/id/EXAMPLED539D4633E53DE1B71EXAMPLE",
    "111122223333",
    "aws",
  )
}
