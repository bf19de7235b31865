"""Creates, in the AWS emulator named by AWS_ENDPOINT_URL, what a real account
would already have before the quick-start: an EKS cluster, a VPC with a subnet,
a security group and a node, and the IAM user KKP runs as. Prints them as
Terraform -var arguments, one per line."""

import json

import os

import boto3

session = boto3.session.Session(region_name=os.environ.get("AWS_REGION", "us-east-1"))

ec2 = session.client("ec2")
eks = session.client("eks")
iam = session.client("iam")

vpc = ec2.create_vpc(CidrBlock="10.0.0.0/16")["Vpc"]["VpcId"]
subnet = ec2.create_subnet(VpcId=vpc, CidrBlock="10.0.1.0/24")["Subnet"]["SubnetId"]
group = ec2.create_security_group(GroupName="demo-cluster", Description="demo cluster", VpcId=vpc)["GroupId"]
image = ec2.describe_images()["Images"][0]["ImageId"]
node = ec2.run_instances(ImageId=image, MinCount=1, MaxCount=1, SubnetId=subnet)["Instances"][0]["InstanceId"]
eks.create_cluster(
    name="demo-cluster",
    roleArn="arn:aws:iam::123456789012:role/eks-cluster",
    resourcesVpcConfig={"subnetIds": [subnet]},
)
iam.create_user(UserName="kubermatic")

for name, value in {
    "eks_cluster_name": "demo-cluster",
    "vpc_id": vpc,
    "subnet_id": subnet,
    "security_group_id": group,
    "instance_ids": json.dumps([node]),
    "kkp_user_name": "kubermatic",
}.items():
    print(f"{name}={value}")
