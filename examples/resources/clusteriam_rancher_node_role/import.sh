# A node role is imported by its role name. etcd and worker nodes share one
# documented policy, so for those add the node role after a slash.
terraform import clusteriam_rancher_node_role.controlplane rancher-controlplane
terraform import clusteriam_rancher_node_role.etcd rancher-etcd/etcd
