# The ServiceAccount for a role's pods, e.g. to write to a GitOps repository.
output "service_account_yaml" {
  value = provider::clusteriam::service_account_manifest(
    "arn:aws:iam::111122223333:role/torque-agent",
    "torque-envs",
    "torque-runner",
  )
}
