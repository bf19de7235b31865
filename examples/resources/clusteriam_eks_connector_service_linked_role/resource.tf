# Creates the EKS Connector's service-linked role, or adopts the existing one.
resource "clusteriam_eks_connector_service_linked_role" "this" {}
