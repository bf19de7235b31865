# The KKP policy of the Kubermatic documentation, with YOUR_ACCOUNT_ID filled in
# with the caller's account, for use with another tool: the policy of KKP 2.22
# and earlier, which the current KKP's extends.
data "clusteriam_policy_document" "kkp" {
  preset      = "kkp_account"
  kkp_version = "2.22"
}

# The web-identity trust for a Torque agent's service account.
data "clusteriam_policy_document" "torque_trust" {
  preset            = "irsa_trust"
  oidc_provider_arn = "arn:aws:iam::111122223333:oidc-provider/oidc.eks.eu-central-1.amazonaws.com/id/EXAMPLED539D4633E53DE1B71EXAMPLE"
  namespace         = "torque-envs"
  service_account   = "torque-runner"
}

output "kkp_policy_json" {
  value = data.clusteriam_policy_document.kkp.json
}

# Where that document is published and which KKP versions it serves.
output "kkp_policy_source" {
  value = data.clusteriam_policy_document.kkp.source
}
