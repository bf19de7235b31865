"""Prints the IAM and EC2 objects the provider manages, read back from AWS
(or the emulator named by AWS_ENDPOINT_URL). Used by scripts/demo."""

import json
import urllib.parse

import os

import boto3

session = boto3.session.Session(region_name=os.environ.get("AWS_REGION", "us-east-1"))

iam = session.client("iam")
ec2 = session.client("ec2")


def doc(text):
    if isinstance(text, str):
        text = json.loads(urllib.parse.unquote(text))
    return json.dumps(text, separators=(",", ":"))


def short(text, width=110):
    return text if len(text) <= width else text[: width - 3] + "..."


found = 0
for role in iam.list_roles()["Roles"]:
    found += 1
    name = role["RoleName"]
    print(f"IAM role {role['Path']}{name}")
    print(f"    trust: {short(doc(role['AssumeRolePolicyDocument']))}")
    tags = iam.list_role_tags(RoleName=name)["Tags"]
    if tags:
        print("    tags: " + ", ".join(f"{t['Key']}={t['Value']}" for t in tags))
    for policy in iam.list_role_policies(RoleName=name)["PolicyNames"]:
        body = iam.get_role_policy(RoleName=name, PolicyName=policy)["PolicyDocument"]
        print(f"    inline policy {policy}: {short(doc(body))}")
    for attached in iam.list_attached_role_policies(RoleName=name)["AttachedPolicies"]:
        print(f"    attached policy {attached['PolicyArn']}")
for profile in iam.list_instance_profiles()["InstanceProfiles"]:
    found += 1
    roles = ", ".join(r["RoleName"] for r in profile["Roles"])
    print(f"IAM instance profile {profile['InstanceProfileName']} (roles: {roles})")
for policy in iam.list_policies(Scope="Local")["Policies"]:
    found += 1
    print(f"IAM managed policy {policy['Arn']} (default version {policy['DefaultVersionId']})")
    for entity in iam.list_entities_for_policy(PolicyArn=policy["Arn"])["PolicyUsers"]:
        print(f"    attached to user {entity['UserName']}")
for provider in iam.list_open_id_connect_providers()["OpenIDConnectProviderList"]:
    found += 1
    detail = iam.get_open_id_connect_provider(OpenIDConnectProviderArn=provider["Arn"])
    print(f"IAM OIDC provider {provider['Arn']} (client ids: {', '.join(detail['ClientIDList'])})")
# The default VPC has DNS hostnames on from the start; the others only when
# turned on (clusteriam_vpc_dns_hostnames).
for vpc in ec2.describe_vpcs()["Vpcs"]:
    if vpc.get("IsDefault"):
        continue
    hostnames = ec2.describe_vpc_attribute(VpcId=vpc["VpcId"], Attribute="enableDnsHostnames")
    if hostnames["EnableDnsHostnames"]["Value"]:
        found += 1
        support = ec2.describe_vpc_attribute(VpcId=vpc["VpcId"], Attribute="enableDnsSupport")
        print(f"EC2 VPC {vpc['VpcId']}: DNS hostnames on, DNS support "
              f"{'on' if support['EnableDnsSupport']['Value'] else 'off'}")
tags = ec2.describe_tags(Filters=[{"Name": "key", "Values": ["kubernetes.io/cluster/*"]}])["Tags"]
for tag in tags:
    found += 1
    print(f"EC2 tag {tag['Key']}={tag['Value']} on {tag['ResourceId']}")
if not found:
    print("(nothing)")
