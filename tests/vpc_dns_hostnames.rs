//! Acceptance: seed 002's VPC step (Kubermatic KKP on AWS) —
//! `clusteriam_vpc_dns_hostnames` through real Terraform against the
//! emulator, checking EC2 through the SDK after every step.

use crate::common;

use common::{Emulator, Workspace, block_on};

fn create_vpc(aws: &Emulator, cidr: &str) -> String {
    block_on(aws.ec2().create_vpc().cidr_block(cidr).send())
        .expect("creating a VPC")
        .vpc
        .and_then(|v| v.vpc_id)
        .expect("a VPC id")
}

/// (enableDnsSupport, enableDnsHostnames) as EC2 reports them.
fn vpc_dns(aws: &Emulator, vpc_id: &str) -> (bool, bool) {
    use aws_sdk_ec2::types::VpcAttributeName;
    let ec2 = aws.ec2();
    let get = |attribute: VpcAttributeName| {
        block_on(
            ec2.describe_vpc_attribute()
                .vpc_id(vpc_id)
                .attribute(attribute)
                .send(),
        )
        .expect("DescribeVpcAttribute")
    };
    let support = get(VpcAttributeName::EnableDnsSupport)
        .enable_dns_support
        .and_then(|v| v.value)
        .unwrap_or(false);
    let hostnames = get(VpcAttributeName::EnableDnsHostnames)
        .enable_dns_hostnames
        .and_then(|v| v.value)
        .unwrap_or(false);
    (support, hostnames)
}

fn set_vpc_dns(aws: &Emulator, vpc_id: &str, support: Option<bool>, hostnames: Option<bool>) {
    use aws_sdk_ec2::types::AttributeBooleanValue;
    let ec2 = aws.ec2();
    let value = |on| AttributeBooleanValue::builder().value(on).build();
    if let Some(on) = support {
        block_on(
            ec2.modify_vpc_attribute()
                .vpc_id(vpc_id)
                .enable_dns_support(value(on))
                .send(),
        )
        .expect("ModifyVpcAttribute");
    }
    if let Some(on) = hostnames {
        block_on(
            ec2.modify_vpc_attribute()
                .vpc_id(vpc_id)
                .enable_dns_hostnames(value(on))
                .send(),
        )
        .expect("ModifyVpcAttribute");
    }
}

fn vpc_config(aws: &Emulator, vpc_ids: &[&str]) -> String {
    let mut hcl = aws.provider_block();
    for (i, id) in vpc_ids.iter().enumerate() {
        hcl.push_str(&format!(
            "\nresource \"clusteriam_vpc_dns_hostnames\" \"vpc{i}\" {{\n  vpc_id = \"{id}\"\n}}\n"
        ));
    }
    hcl
}

#[test]
fn vpc_dns_hostnames_turns_both_on_and_destroy_restores_only_what_it_changed() {
    let aws = Emulator::start();
    // One VPC as EC2 makes them (DNS support on, hostnames off), one with both off.
    let usual = create_vpc(&aws, "10.1.0.0/16");
    let bare = create_vpc(&aws, "10.2.0.0/16");
    set_vpc_dns(&aws, &usual, Some(true), Some(false));
    set_vpc_dns(&aws, &bare, Some(false), Some(false));

    let ws = Workspace::new();
    ws.write(&vpc_config(&aws, &[&usual, &bare]));
    ws.apply().assert_ok();
    assert_eq!(vpc_dns(&aws, &usual), (true, true));
    assert_eq!(vpc_dns(&aws, &bare), (true, true));
    let state = ws.state_attributes("clusteriam_vpc_dns_hostnames.vpc0");
    assert_eq!(state["id"], usual.as_str());
    assert_eq!(state["enable_dns_support"], true);
    assert_eq!(state["enable_dns_hostnames"], true);
    ws.assert_no_changes();

    ws.destroy().assert_ok();
    assert_eq!(
        vpc_dns(&aws, &usual),
        (true, false),
        "support was already on"
    );
    assert_eq!(vpc_dns(&aws, &bare), (false, false));
}

#[test]
fn vpc_dns_hostnames_import_by_vpc_id_then_empty_plan() {
    let aws = Emulator::start();
    let vpc = create_vpc(&aws, "10.4.0.0/16");
    set_vpc_dns(&aws, &vpc, Some(true), Some(true));
    let ws = Workspace::new();
    ws.write(&vpc_config(&aws, &[&vpc]));
    ws.import("clusteriam_vpc_dns_hostnames.vpc0", &vpc)
        .assert_ok();
    ws.assert_no_changes();
    // It changed nothing, so destroy leaves the VPC as it was.
    ws.destroy().assert_ok();
    assert_eq!(vpc_dns(&aws, &vpc), (true, true));
}

#[test]
fn vpc_dns_hostnames_rejects_bad_and_missing_vpcs() {
    let aws = Emulator::start();
    let vpc = create_vpc(&aws, "10.5.0.0/16");
    set_vpc_dns(&aws, &vpc, Some(true), Some(false));
    let ws = Workspace::new();
    ws.write(&vpc_config(&aws, &["subnet-12345678"]));
    let needles = [
        "Invalid `vpc_id`",
        "`vpc_id` must be a VPC id such as `vpc-0123456789abcdef0`; got `subnet-12345678`",
    ];
    ws.validate().assert_error(&needles);
    ws.plan().assert_error(&needles);

    ws.write(&vpc_config(&aws, &["vpc-0000000000000000f"]));
    ws.plan().assert_error(&[
        "checking VPC (`vpc-0000000000000000f`)",
        "InvalidVpcID.NotFound",
    ]);
    ws.apply().assert_error(&["vpc-0000000000000000f"]);
    assert_eq!(vpc_dns(&aws, &vpc), (true, false), "nothing was changed");
}

#[test]
fn vpc_dns_hostnames_import_then_apply_turns_off_on_destroy_what_it_turned_on() {
    let aws = Emulator::start();
    let vpc = create_vpc(&aws, "10.6.0.0/16");
    set_vpc_dns(&aws, &vpc, Some(false), Some(false));
    let ws = Workspace::new();
    ws.write(&vpc_config(&aws, &[&vpc]));
    ws.import("clusteriam_vpc_dns_hostnames.vpc0", &vpc)
        .assert_ok();
    ws.assert_changes(&["enable_dns_support", "enable_dns_hostnames"]);
    ws.apply().assert_ok();
    assert_eq!(vpc_dns(&aws, &vpc), (true, true));
    ws.assert_no_changes();
    // What this resource turned on, at any apply, destroy turns off.
    ws.destroy().assert_ok();
    assert_eq!(vpc_dns(&aws, &vpc), (false, false));
}

#[test]
fn vpc_dns_hostnames_destroy_succeeds_when_the_vpc_is_gone() {
    let aws = Emulator::start();
    let vpc = create_vpc(&aws, "10.7.0.0/16");
    set_vpc_dns(&aws, &vpc, Some(true), Some(false));
    let ws = Workspace::new();
    ws.write(&vpc_config(&aws, &[&vpc]));
    ws.apply().assert_ok();
    block_on(aws.ec2().delete_vpc().vpc_id(&vpc).send()).expect("DeleteVpc");

    // A plan says what happened, and that destroy works.
    let plan = ws.plan();
    assert!(plan.mentions("no longer exists"), "{}", plan.output());
    let run = ws.destroy();
    run.assert_ok();
    assert!(
        run.mentions("Destroy complete! Resources: 1 destroyed."),
        "{}",
        run.output()
    );
}
