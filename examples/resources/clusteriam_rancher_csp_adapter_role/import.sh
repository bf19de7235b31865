# The CSP adapter role is imported by its role name.
terraform import clusteriam_rancher_csp_adapter_role.this rancher-csp-adapter
