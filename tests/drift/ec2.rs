//! The EC2 resources' drift matrices.
//!
//! Cluster tags: EC2 lets someone else remove or change a tag on any
//! instance, subnet or security group (DeleteTags, CreateTags), put the
//! cluster's key on others, and terminate an instance.
//!
//! VPC DNS settings: EC2 lets someone else turn `enableDnsHostnames` and
//! `enableDnsSupport` off (ModifyVpcAttribute).

use std::collections::BTreeMap;

use aws_sdk_ec2::types::{AttributeBooleanValue, Filter, Tag, VpcAttributeName};

use super::{Expect, Lab, Matrix, Row, left_alone, left_alone_warning, repaired, sdk};

pub struct ClusterTagsMatrix;

/// The VPC of the clusters' subnets.
const CLUSTER_CIDR: &str = "10.0.0.0/16";
/// The tag saying which row an instance is for.
const SLOT: &str = "drift-row";

/// A row's EC2 resources: the three the resource tags, and an instance and
/// a security group that are not the resource's.
pub struct Tagged {
    cluster_id: String,
    instance: String,
    subnet: String,
    group: String,
    other_instance: String,
    other_group: String,
}

impl Tagged {
    fn key(&self) -> String {
        format!("kubernetes.io/cluster/{}", self.cluster_id)
    }

    fn all(&self) -> [&String; 5] {
        [
            &self.instance,
            &self.subnet,
            &self.group,
            &self.other_instance,
            &self.other_group,
        ]
    }
}

/// Per resource: the value of the cluster's key and of `Name`, and whether
/// it still runs (instances).
pub type TagsModel = BTreeMap<String, (Option<String>, Option<String>, bool)>;

fn tag(lab: &Lab, id: &str, key: &str, value: &str) {
    sdk(
        "CreateTags",
        lab.ec2
            .create_tags()
            .resources(id)
            .tags(Tag::builder().key(key).value(value).build())
            .send(),
    );
}

fn untag(lab: &Lab, id: &str, key: &str) {
    sdk(
        "DeleteTags",
        lab.ec2
            .delete_tags()
            .resources(id)
            .tags(Tag::builder().key(key).build())
            .send(),
    );
}

const NOT_OURS: &str =
    "other resources carrying the key, such as nodes Rancher tagged itself, are not the resource's";

impl Matrix for ClusterTagsMatrix {
    type Target = Tagged;
    type Model = TagsModel;

    fn type_name(&self) -> &'static str {
        "clusteriam_cluster_tags"
    }

    fn rows(&self) -> Vec<Row<Self>> {
        vec![
            row(
                "instance",
                "the tag removed",
                |lab, t| untag(lab, &t.instance, &t.key()),
                repaired(&["instance_ids"], "tags it again"),
            ),
            row(
                "subnet",
                "the tag removed",
                |lab, t| untag(lab, &t.subnet, &t.key()),
                repaired(&["subnet_ids"], "tags it again"),
            ),
            row(
                "security group",
                "the tag removed",
                |lab, t| untag(lab, &t.group, &t.key()),
                repaired(&["security_group_id"], "tags it again"),
            ),
            row(
                "instance",
                "the tag's value changed",
                |lab, t| tag(lab, &t.instance, &t.key(), "shared"),
                repaired(&["instance_ids"], "puts the configured value back"),
            ),
            row(
                "subnet",
                "the tag's value changed",
                |lab, t| tag(lab, &t.subnet, &t.key(), "shared"),
                repaired(&["subnet_ids"], "puts the configured value back"),
            ),
            row(
                "security group",
                "the tag's value changed",
                |lab, t| tag(lab, &t.group, &t.key(), "shared"),
                repaired(&["security_group_id"], "puts the configured value back"),
            ),
            row(
                "another security group",
                "the tag put on it",
                |lab, t| tag(lab, &t.other_group, &t.key(), "owned"),
                left_alone_warning(
                    "the group is not the resource's; with two tagged groups, creating a load balancer fails, so every plan warns until one of them loses the tag",
                    "that a second security group carries the cluster tag",
                    "A second security group carries the cluster tag",
                ),
            ),
            row(
                "another instance",
                "the tag put on it",
                |lab, t| tag(lab, &t.other_instance, &t.key(), "owned"),
                left_alone(NOT_OURS),
            ),
            row(
                "instance",
                "another tag changed",
                |lab, t| tag(lab, &t.instance, "Name", "renamed"),
                left_alone("the resource owns only the cluster's key"),
            ),
            row(
                "instance",
                "terminated",
                |lab, t| {
                    sdk(
                        "TerminateInstances",
                        lab.ec2
                            .terminate_instances()
                            .instance_ids(&t.instance)
                            .send(),
                    );
                },
                left_alone_warning(
                    "there is nothing to tag; remove it from `instance_ids` (until then applying a change fails; destroying works)",
                    "that the instance no longer exists",
                    "no longer exist in region",
                ),
            ),
        ]
    }

    /// The VPC, and two instances for each row made at once (listing the
    /// emulator's images takes seconds), each tagged with its row.
    fn prepare(&self, lab: &Lab) -> String {
        let ec2 = &lab.ec2;
        let vpc = sdk(
            "CreateVpc",
            ec2.create_vpc().cidr_block(CLUSTER_CIDR).send(),
        )
        .vpc
        .and_then(|v| v.vpc_id)
        .unwrap();
        let subnet = sdk(
            "CreateSubnet",
            ec2.create_subnet()
                .vpc_id(&vpc)
                .cidr_block("10.0.250.0/24")
                .send(),
        )
        .subnet
        .and_then(|s| s.subnet_id)
        .unwrap();
        let image = sdk("DescribeImages", ec2.describe_images().send()).images()[0]
            .image_id()
            .unwrap()
            .to_string();
        let count = 2 * self.rows().len() as i32;
        let launched = sdk(
            "RunInstances",
            ec2.run_instances()
                .image_id(image)
                .min_count(count)
                .max_count(count)
                .subnet_id(&subnet)
                .send(),
        );
        for (n, instance) in launched.instances().iter().enumerate() {
            tag(
                lab,
                instance.instance_id().unwrap(),
                SLOT,
                &(n / 2).to_string(),
            );
        }
        String::new()
    }

    fn target(&self, lab: &Lab, index: usize, _row: &Row<Self>) -> Tagged {
        let ec2 = &lab.ec2;
        let cidr = Filter::builder().name("cidr").values(CLUSTER_CIDR).build();
        let vpc = sdk("DescribeVpcs", ec2.describe_vpcs().filters(cidr).send()).vpcs()[0]
            .vpc_id()
            .unwrap()
            .to_string();
        let subnet = sdk(
            "CreateSubnet",
            ec2.create_subnet()
                .vpc_id(&vpc)
                .cidr_block(format!("10.0.{index}.0/24"))
                .send(),
        )
        .subnet
        .and_then(|s| s.subnet_id)
        .unwrap();
        let slot = Filter::builder()
            .name(format!("tag:{SLOT}"))
            .values(index.to_string())
            .build();
        let mut instances: Vec<String> = sdk(
            "DescribeInstances",
            ec2.describe_instances().filters(slot).send(),
        )
        .reservations()
        .iter()
        .flat_map(|r| r.instances())
        .map(|i| i.instance_id().unwrap().to_string())
        .collect();
        instances.sort();
        let group = |name: String| {
            sdk(
                "CreateSecurityGroup",
                ec2.create_security_group()
                    .group_name(name.clone())
                    .description(name)
                    .vpc_id(&vpc)
                    .send(),
            )
            .group_id
            .unwrap()
        };
        let tagged = Tagged {
            cluster_id: format!("drift-{index:02}"),
            instance: instances[0].clone(),
            subnet,
            group: group(format!("drift-{index:02}")),
            other_instance: instances[1].clone(),
            other_group: group(format!("drift-{index:02}-other")),
        };
        tag(lab, &tagged.instance, "Name", "node");
        tagged
    }

    fn resource(&self, name: &str, t: &Tagged, row: &Row<Self>) -> String {
        format!(
            "resource \"clusteriam_cluster_tags\" \"{name}\" {{\n  cluster_id = \"{}\"\n  instance_ids = [\"{}\"]\n  subnet_ids = [\"{}\"]\n  security_group_id = \"{}\"\n  {}\n}}\n",
            t.cluster_id, t.instance, t.subnet, t.group, row.config
        )
    }

    fn observe(&self, lab: &Lab, t: &Tagged) -> TagsModel {
        let ids: Vec<String> = t.all().into_iter().cloned().collect();
        let tags = sdk(
            "DescribeTags",
            lab.ec2
                .describe_tags()
                .filters(
                    Filter::builder()
                        .name("resource-id")
                        .set_values(Some(ids.clone()))
                        .build(),
                )
                .send(),
        );
        let running: Vec<String> = sdk(
            "DescribeInstances",
            lab.ec2
                .describe_instances()
                .instance_ids(&t.instance)
                .instance_ids(&t.other_instance)
                .send(),
        )
        .reservations()
        .iter()
        .flat_map(|r| r.instances())
        .filter(|i| {
            i.state()
                .and_then(|s| s.name())
                .is_some_and(|n| n.as_str() == "running")
        })
        .filter_map(|i| i.instance_id().map(str::to_string))
        .collect();
        let value = |id: &str, key: &str| {
            tags.tags()
                .iter()
                .find(|d| d.resource_id() == Some(id) && d.key() == Some(key))
                .and_then(|d| d.value().map(str::to_string))
        };
        ids.iter()
            .map(|id| {
                let is_instance = id.starts_with("i-");
                (
                    id.clone(),
                    (
                        value(id, &t.key()),
                        value(id, "Name"),
                        !is_instance || running.contains(id),
                    ),
                )
            })
            .collect()
    }
}

pub struct VpcMatrix;

pub struct Vpc(String);

/// Whether the VPC exists, then `enableDnsSupport` and `enableDnsHostnames`.
pub type DnsModel = (bool, bool, bool);

fn set_attribute(lab: &Lab, vpc: &Vpc, attribute: VpcAttributeName) {
    let off = AttributeBooleanValue::builder().value(false).build();
    let modify = lab.ec2.modify_vpc_attribute().vpc_id(&vpc.0);
    let modify = match attribute {
        VpcAttributeName::EnableDnsSupport => modify.enable_dns_support(off),
        _ => modify.enable_dns_hostnames(off),
    };
    sdk("ModifyVpcAttribute", modify.send());
}

fn attribute(lab: &Lab, vpc: &Vpc, attribute: VpcAttributeName) -> bool {
    let out = sdk(
        "DescribeVpcAttribute",
        lab.ec2
            .describe_vpc_attribute()
            .vpc_id(&vpc.0)
            .attribute(attribute.clone())
            .send(),
    );
    let value = match attribute {
        VpcAttributeName::EnableDnsSupport => out.enable_dns_support,
        _ => out.enable_dns_hostnames,
    };
    value.and_then(|v| v.value).unwrap_or(false)
}

impl Matrix for VpcMatrix {
    type Target = Vpc;
    type Model = DnsModel;

    fn type_name(&self) -> &'static str {
        "clusteriam_vpc_dns_hostnames"
    }

    fn rows(&self) -> Vec<Row<Self>> {
        vec![
            vpc_row(
                "VPC",
                "`enableDnsHostnames` turned off",
                |lab, v| {
                    set_attribute(lab, v, VpcAttributeName::EnableDnsHostnames);
                },
                repaired(&["enable_dns_hostnames"], "turns it on again"),
            ),
            vpc_row(
                "VPC",
                "`enableDnsHostnames` and `enableDnsSupport` turned off",
                |lab, v| {
                    set_attribute(lab, v, VpcAttributeName::EnableDnsHostnames);
                    set_attribute(lab, v, VpcAttributeName::EnableDnsSupport);
                },
                repaired(
                    &["enable_dns_hostnames", "enable_dns_support"],
                    "turns both on again",
                ),
            ),
            vpc_row(
                "VPC",
                "deleted",
                |lab, v| {
                    sdk("DeleteVpc", lab.ec2.delete_vpc().vpc_id(&v.0).send());
                },
                Expect::Unrepairable {
                    shows: &["enable_dns_hostnames", "enable_dns_support"],
                    warns_about: "that the VPC no longer exists",
                    says: "no longer exists",
                    fails: "The VPC was deleted outside Terraform",
                    remedy: "remove the resource (its destroy succeeds) or point `vpc_id` at an existing VPC",
                },
            ),
        ]
    }

    fn target(&self, lab: &Lab, index: usize, _row: &Row<Self>) -> Vpc {
        let vpc = sdk(
            "CreateVpc",
            lab.ec2
                .create_vpc()
                .cidr_block(format!("10.{index}.0.0/16"))
                .send(),
        )
        .vpc
        .and_then(|v| v.vpc_id)
        .unwrap();
        Vpc(vpc)
    }

    fn resource(&self, name: &str, vpc: &Vpc, row: &Row<Self>) -> String {
        format!(
            "resource \"clusteriam_vpc_dns_hostnames\" \"{name}\" {{\n  vpc_id = \"{}\"\n  {}\n}}\n",
            vpc.0, row.config
        )
    }

    fn observe(&self, lab: &Lab, vpc: &Vpc) -> DnsModel {
        let listed = sdk(
            "DescribeVpcs",
            lab.ec2
                .describe_vpcs()
                .filters(Filter::builder().name("vpc-id").values(&vpc.0).build())
                .send(),
        );
        if listed.vpcs().is_empty() {
            return (false, false, false);
        }
        (
            true,
            attribute(lab, vpc, VpcAttributeName::EnableDnsSupport),
            attribute(lab, vpc, VpcAttributeName::EnableDnsHostnames),
        )
    }
}

/// A row of this matrix.
fn row(
    object: &'static str,
    change: &'static str,
    act: fn(&Lab, &Tagged),
    expect: super::Expect,
) -> Row<ClusterTagsMatrix> {
    Row::new(object, change, act, expect)
}

fn vpc_row(
    object: &'static str,
    change: &'static str,
    act: fn(&Lab, &Vpc),
    expect: super::Expect,
) -> Row<VpcMatrix> {
    Row::new(object, change, act, expect)
}
