# global.aws.accountNumber and global.aws.roleName, for the helm provider's
# `set` blocks or values...
output "helm_values" {
  description = "The Rancher Prime chart's values for the billing adapter."
  value       = clusteriam_rancher_billing_adapter_role.billing.helm_values
}

# ...or for `helm install` on the command line.
output "helm_set_arguments" {
  description = "The same values as `--set` arguments."
  value = join(" ", [
    for key, value in clusteriam_rancher_billing_adapter_role.billing.helm_values :
    "--set ${key}=${value}"
  ])
}

output "role_arn" {
  description = "The billing adapter role's ARN."
  value       = clusteriam_rancher_billing_adapter_role.billing.arn
}
