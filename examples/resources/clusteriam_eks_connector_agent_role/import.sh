# The agent role is imported by its role name.
terraform import clusteriam_eks_connector_agent_role.this AmazonEKSConnectorAgentRole
