# An OIDC provider is imported by its ARN. Destroy then does what `adopted`
# says: one a clusteriam configuration created (it carries the
# `clusteriam:created-by` tag) is managed and deleted on destroy; any other,
# such as one made by eksctl or in the console, is adopted and left in place.
terraform import clusteriam_oidc_provider.example arn:aws:iam::123456789012:oidc-provider/oidc.eks.us-east-1.amazonaws.com/id/EXAMPLED539D4633E53DE1B71EXAMPLE
