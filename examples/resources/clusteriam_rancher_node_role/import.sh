# A node role is imported by its role name. etcd and worker nodes share one
# documented policy, so for those add the node role after a slash. Their
# policy is also the same for both cloud providers: for out-of-tree, add
# `/out-of-tree` too (a controlplane role's policy says which it is).
terraform import clusteriam_rancher_node_role.controlplane rancher-controlplane
terraform import clusteriam_rancher_node_role.etcd rancher-etcd/etcd
terraform import clusteriam_rancher_node_role.worker rancher-worker/worker/out-of-tree
