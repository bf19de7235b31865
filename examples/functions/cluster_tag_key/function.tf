# The tag key for the cluster, for tags set by other tools (e.g. node groups).
output "cluster_tag_key" {
  value = provider::clusteriam::cluster_tag_key("prod")
}
