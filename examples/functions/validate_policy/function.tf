# Refuse a policy that IAM would refuse, or that names an action, service or
# wildcard IAM does not have, before anything is planned: for a variable that
# feeds `policy` here or an `aws_iam_policy` managed elsewhere.
variable "runner_policy" {
  description = "The inline policy of the Torque agent role, as JSON."
  type        = string

  validation {
    condition     = length(provider::clusteriam::validate_policy(var.runner_policy).errors) == 0
    error_message = "The runner policy has problems: ${join("; ", provider::clusteriam::validate_policy(var.runner_policy).errors)}."
  }
}

# Condition keys that no service of their statement defines are warnings.
output "runner_policy_warnings" {
  value = provider::clusteriam::validate_policy(var.runner_policy).warnings
}
