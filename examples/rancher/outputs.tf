output "node_template_instance_profiles" {
  description = "The IAM Instance Profile Name to enter in each node template."
  value = {
    controlplane = clusteriam_rancher_node_role.controlplane.instance_profile_name
    etcd         = clusteriam_rancher_node_role.etcd.instance_profile_name
    worker       = clusteriam_rancher_node_role.worker.instance_profile_name
  }
}

output "csp_adapter_role_name" {
  description = "The role name the CSP adapter install asks for."
  value       = clusteriam_rancher_csp_adapter_role.this.name
}

output "csp_adapter_account_id" {
  description = "The account id the CSP adapter install asks for."
  value       = clusteriam_rancher_csp_adapter_role.this.account_id
}

output "cluster_tag" {
  description = "The tag now on the nodes, the subnet and the security group."
  value       = "${clusteriam_cluster_tags.this.tag_key}=owned"
}
