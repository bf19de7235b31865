# Import a KKP policy by its ARN. When the policy is attached to exactly one
# IAM user, `user_name` is picked up too; `kkp_version` is set to "2.22" when
# the policy is the document of KKP 2.22 and earlier, and left unset when it is
# the current KKP's.
terraform import clusteriam_kkp_account_policy.kkp arn:aws:iam::111122223333:policy/kubermatic-kkp
