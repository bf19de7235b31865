# An OIDC provider is imported by its ARN. It is adopted: it only gains what
# the configuration asks for, and destroy leaves it in place, whatever tags
# it carries.
terraform import clusteriam_oidc_provider.example arn:aws:iam::123456789012:oidc-provider/oidc.eks.us-east-1.amazonaws.com/id/EXAMPLED539D4633E53DE1B71EXAMPLE

# To manage it exactly and delete it on destroy (it is this configuration's
# own, e.g. after the state was lost), add `,owned` to the id.
terraform import clusteriam_oidc_provider.example arn:aws:iam::123456789012:oidc-provider/oidc.eks.us-east-1.amazonaws.com/id/EXAMPLED539D4633E53DE1B71EXAMPLE,owned
