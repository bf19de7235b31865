# The billing adapter role is imported by its role name, also when eksctl made
# it (`eksctl create iamserviceaccount --role-only --role-name ...`).
terraform import clusteriam_rancher_billing_adapter_role.this rancher-csp-iam-role
