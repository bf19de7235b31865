# The service-linked role is imported by its role name. It is adopted:
# destroy leaves it in place, whatever tags it carries.
terraform import clusteriam_eks_connector_service_linked_role.this AWSServiceRoleForAmazonEKSConnector

# To delete it on destroy (this configuration created it, e.g. before the
# state was lost), add `,owned` to the name.
terraform import clusteriam_eks_connector_service_linked_role.this AWSServiceRoleForAmazonEKSConnector,owned
