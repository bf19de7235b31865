# The KKP policy for an account, as the data source renders it, but offline.
output "kkp_policy" {
  value = provider::clusteriam::policy_document("kkp_account", {
    account_id  = "111122223333"
    kkp_version = "2.28"
  })
}

# The AWS cloud controller manager's control-plane policy (Kubernetes 1.27+).
output "controlplane_policy" {
  value = provider::clusteriam::policy_document("rancher_controlplane", {
    cloud_provider = "out-of-tree"
  })
}

# A preset without parameters, in another partition.
output "eks_connector_agent_policy" {
  value = provider::clusteriam::policy_document("eks_connector_agent", { partition = "aws-cn" })
}
