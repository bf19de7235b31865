# AmazonEKSConnectorAgentRole with AmazonEKSConnectorAgentPolicy, as documented.
resource "clusteriam_eks_connector_agent_role" "this" {}
