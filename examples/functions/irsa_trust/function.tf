# The trust of a role that only the torque-envs/torque-runner service account
# may assume, e.g. for an aws_iam_role managed elsewhere.
output "torque_trust" {
  value = provider::clusteriam::irsa_trust(
    "arn:aws:iam::111122223333:oidc-provider/oidc.eks.eu-central-1.amazonaws.com/id/EXAMPLED539D4633E53DE1B71EXAMPLE",
    "torque-envs",
    "torque-runner",
  )
}
