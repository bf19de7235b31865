# Rancher's "Configure the ClusterID" step: the tag
# kubernetes.io/cluster/my-cluster = owned on every node, the cluster's subnet
# and its one security group, so the Amazon cloud provider can find them.
# With the AWS provider, pass e.g. aws_instance.node[*].id instead of literals.
resource "clusteriam_cluster_tags" "example" {
  cluster_id = "my-cluster"

  instance_ids = [
    "i-0123456789abcdef0",
    "i-0fedcba9876543210",
  ]
  subnet_ids        = ["subnet-0123456789abcdef0"]
  security_group_id = "sg-0123456789abcdef0"

  # "shared" when these resources are shared between clusters.
  ownership = "owned"
}

output "tag_key" {
  value = clusteriam_cluster_tags.example.tag_key
}
