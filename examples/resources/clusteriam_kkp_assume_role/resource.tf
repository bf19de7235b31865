variable "external_id" {
  type      = string
  sensitive = true
}

# In account B, where KKP runs user clusters: the role KKP assumes, with the
# KKP policy of the KKP version in use, trusting the KKP user of account A.
resource "clusteriam_kkp_assume_role" "this" {
  name              = "kubermatic"
  kkp_principal_arn = "arn:aws:iam::111111111111:user/kubermatic"
  external_id       = var.external_id
  kkp_version       = "2.28"
}

# For KKP's "Enable Assume Role": the role ARN (and the external id).
output "assume_role_arn" {
  value = clusteriam_kkp_assume_role.this.arn
}

# To attach to the KKP user in account A, which needs sts:AssumeRole too.
output "kkp_user_policy" {
  value = clusteriam_kkp_assume_role.this.kkp_principal_policy
}
