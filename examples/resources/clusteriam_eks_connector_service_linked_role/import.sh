# The service-linked role is imported by its role name.
terraform import clusteriam_eks_connector_service_linked_role.this AWSServiceRoleForAmazonEKSConnector
