# The policy of the Kubermatic KKP documentation (the current KKP's), with
# YOUR_ACCOUNT_ID filled in with the caller's account, attached to the IAM user
# KKP runs as.
resource "clusteriam_kkp_account_policy" "kkp" {
  name        = "kubermatic-kkp"
  description = "What Kubermatic KKP needs to manage user cluster machines"
  user_name   = "kubermatic"

  tags = {
    team = "platform"
  }
}

# The policy for another account's roles and instance profiles, managed by a
# KKP 2.22 installation (the older documented policy), with a generated name
# and no attachment.
resource "clusteriam_kkp_account_policy" "other_account" {
  account_id  = "111122223333"
  kkp_version = "2.22"
  name_prefix = "kkp-111122223333-"
  path        = "/kubermatic/"
}
