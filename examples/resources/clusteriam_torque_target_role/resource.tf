variable "external_id" {
  type      = string
  sensitive = true
}

# In one target account (a provider alias with `assume_role` per account, in
# practice): the role the Torque agent's master role assumes there. Every
# target account gets one of the same name.
resource "clusteriam_torque_target_role" "this" {
  name            = "torque-target"
  master_role_arn = "arn:aws:iam::111111111111:role/torque-agent"
  external_id     = var.external_id
  policy_arns     = ["arn:aws:iam::aws:policy/PowerUserAccess"]
}

# What Terraform on the agent assumes: `assume_role { role_arn = ... }`.
output "target_role_arn" {
  value = clusteriam_torque_target_role.this.arn
}
