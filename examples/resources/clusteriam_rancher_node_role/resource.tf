# One role per Rancher node role, each with the documented policy and an
# instance profile of the same name for the node template. Kubernetes 1.27 and
# later run the out-of-tree AWS cloud controller manager, whose documented
# control-plane policy has more actions than Rancher's page prints.
resource "clusteriam_rancher_node_role" "controlplane" {
  name           = "rancher-controlplane"
  node_role      = "controlplane"
  cloud_provider = "out-of-tree"
}

resource "clusteriam_rancher_node_role" "worker" {
  name      = "rancher-worker"
  node_role = "worker"

  tags = {
    cluster = "prod"
  }
}

# Enter this as the node template's "IAM Instance Profile Name".
output "controlplane_instance_profile" {
  value = clusteriam_rancher_node_role.controlplane.instance_profile_name
}
