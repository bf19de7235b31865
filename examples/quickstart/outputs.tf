output "rancher_node_template_instance_profiles" {
  description = "Rancher: the IAM Instance Profile Name of each node template."
  value = {
    controlplane = clusteriam_rancher_node_role.controlplane.instance_profile_name
    worker       = clusteriam_rancher_node_role.worker.instance_profile_name
  }
}

output "rancher_csp_adapter" {
  description = "Rancher CSP adapter install: the role name and the account id."
  value = {
    role_name  = clusteriam_rancher_csp_adapter_role.this.name
    account_id = clusteriam_rancher_csp_adapter_role.this.account_id
  }
}

output "torque_service_account_manifest" {
  description = "Torque: the SA.yaml to kubectl apply."
  value       = clusteriam_torque_agent_role.this.service_account_manifest
}

output "kkp_policy_arn" {
  description = "KKP: the policy attached to the KKP user."
  value       = clusteriam_kkp_account_policy.this.arn
}

output "eks_connector_agent_role_arn" {
  description = "EKS Connector: the role for aws eks register-cluster."
  value       = clusteriam_eks_connector_agent_role.this.arn
}
