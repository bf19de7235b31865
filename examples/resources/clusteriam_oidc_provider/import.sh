# An OIDC provider is imported by its ARN. An imported provider is managed:
# destroying the resource deletes it.
terraform import clusteriam_oidc_provider.example arn:aws:iam::123456789012:oidc-provider/oidc.eks.us-east-1.amazonaws.com/id/EXAMPLED539D4633E53DE1B71EXAMPLE
