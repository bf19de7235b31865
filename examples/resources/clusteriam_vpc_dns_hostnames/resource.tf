# The VPC that KKP user clusters run in must have DNS hostnames enabled, or
# machines cannot register as nodes. DNS support is turned on too when off.
resource "clusteriam_vpc_dns_hostnames" "kkp" {
  vpc_id = "vpc-0123456789abcdef0"
}
