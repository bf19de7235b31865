# KKP's AssumeRole role is imported by its role name; KKP's principal, the
# external id and `kkp_version` are read from its trust and policy.
terraform import clusteriam_kkp_assume_role.this kubermatic
