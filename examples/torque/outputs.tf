output "service_account_manifests" {
  description = "The SA.yaml for each target account's role: apply the one for the account the blueprint deploys to."
  value = {
    target_a = module.target_a.service_account_manifest
    target_b = module.target_b.service_account_manifest
  }
}

output "role_arns" {
  description = "The agent role in each target account."
  value = {
    target_a = module.target_a.role_arn
    target_b = module.target_b.role_arn
  }
}
