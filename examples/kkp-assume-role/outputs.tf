# KKP's cluster wizard: "Enable Assume Role", this ARN, and the external id.
output "assume_role_arn" {
  description = "The ARN of role R, for KKP."
  value       = clusteriam_kkp_assume_role.kkp.arn
}

# Account A's side: KKP's principal may call sts:AssumeRole on role R only if
# its own policies allow it too. Attach this to the KKP user there.
output "kkp_user_policy" {
  description = "The policy KKP's principal in account A needs."
  value       = clusteriam_kkp_assume_role.kkp.kkp_principal_policy
}
