output "master_role_arn" {
  description = "The agent's role in the master account."
  value       = clusteriam_torque_agent_role.master.arn
}

output "service_account_manifest" {
  description = "The agent's ServiceAccount (SA.yaml), annotated with the master role."
  value       = clusteriam_torque_agent_role.master.service_account_manifest
}

output "target_role_arns" {
  description = "The role Terraform on the agent assumes in each target account."
  value = {
    target_a = clusteriam_torque_target_role.target_a.arn
    target_b = clusteriam_torque_target_role.target_b.arn
  }
}

# The blueprint's "AWS Account" input offers `<name> | <account id>` values.
output "blueprint_account_values" {
  description = "allowed-values for the blueprint's account input."
  value = [
    for key, arn in local.target_role_arns : "${key} | ${split(":", arn)[4]}"
  ]
}
