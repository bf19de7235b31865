# Import by VPC id. An imported VPC has nothing recorded as changed by
# Terraform, so destroying the resource leaves its DNS settings as they are.
terraform import clusteriam_vpc_dns_hostnames.kkp vpc-0123456789abcdef0
