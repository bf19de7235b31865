# Import by cluster id: the instances, subnets and security group that carry
# kubernetes.io/cluster/my-cluster become the resource's, and the value they
# carry becomes its ownership.
terraform import clusteriam_cluster_tags.example my-cluster
