# Import a KKP policy by its ARN. When the policy is attached to exactly one
# IAM user, `user_name` is picked up too.
terraform import clusteriam_kkp_account_policy.kkp arn:aws:iam::111122223333:policy/kubermatic-kkp
