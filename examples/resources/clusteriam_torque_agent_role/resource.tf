data "clusteriam_eks_cluster_oidc" "cluster" {
  cluster_name = "torque-agents"
}

# In each target account: the cluster's OIDC provider (adopted if it exists)...
resource "clusteriam_oidc_provider" "cluster" {
  url = data.clusteriam_eks_cluster_oidc.cluster.issuer_url
}

# ...and the agent's role, trusted by exactly its service account.
resource "clusteriam_torque_agent_role" "agent" {
  name              = "torque-agent"
  oidc_provider_arn = clusteriam_oidc_provider.cluster.arn
  namespace         = "torque-envs"
  service_account   = "torque-runner"
  policy_arns       = ["arn:aws:iam::aws:policy/PowerUserAccess"]
}

# The SA.yaml of the Torque documentation, with the role ARN filled in.
output "service_account_manifest" {
  value = clusteriam_torque_agent_role.agent.service_account_manifest
}
