//! Acceptance: the provider block — credentials from the environment, and a
//! clear diagnostic naming the setting for each misconfiguration.

mod common;

use common::{Emulator, Workspace};

/// A configuration that makes the provider configure (a data source needs it).
fn config(provider_body: &str) -> String {
    format!(
        r#"
terraform {{
  required_providers {{
    clusteriam = {{ source = "clusteriam/clusteriam" }}
  }}
}}
provider "clusteriam" {{
{provider_body}
}}
data "clusteriam_policy_document" "probe" {{
  preset = "rancher_etcd_worker"
}}
"#
    )
}

fn endpoints(url: &str) -> String {
    format!(
        "endpoints {{\n iam = \"{url}\"\n sts = \"{url}\"\n ec2 = \"{url}\"\n eks = \"{url}\"\n }}"
    )
}

#[test]
fn credentials_and_region_come_from_the_aws_environment() {
    let aws = Emulator::start();
    let mut ws = Workspace::new();
    ws.set_env("AWS_REGION", "eu-central-1");
    ws.write(&config(&endpoints(&aws.url)));
    ws.plan().assert_ok();
}

#[test]
fn static_keys_in_the_provider_block_work_without_environment_credentials() {
    let aws = Emulator::start();
    let mut ws = Workspace::new();
    ws.remove_env("AWS_ACCESS_KEY_ID");
    ws.remove_env("AWS_SECRET_ACCESS_KEY");
    ws.write(&config(&format!(
        "region = \"us-east-1\"\naccess_key = \"AKIDEXAMPLE\"\nsecret_key = \"s3cr3t-value-never-logged\"\n{}",
        endpoints(&aws.url)
    )));
    let run = ws.plan();
    run.assert_ok();
    assert!(!run.output().contains("s3cr3t-value-never-logged"));
}

#[test]
fn missing_region_is_reported_on_region() {
    let aws = Emulator::start();
    let ws = Workspace::new();
    ws.write(&config(&endpoints(&aws.url)));
    ws.plan()
        .assert_error(&["No AWS region", "Set `region` in the provider block"]);
}

#[test]
fn missing_credentials_are_reported_with_a_remedy() {
    let aws = Emulator::start();
    let mut ws = Workspace::new();
    ws.remove_env("AWS_ACCESS_KEY_ID");
    ws.remove_env("AWS_SECRET_ACCESS_KEY");
    ws.write(&config(&format!(
        "region = \"us-east-1\"\n{}",
        endpoints(&aws.url)
    )));
    ws.plan()
        .assert_error(&["No valid AWS credentials found", "AWS_ACCESS_KEY_ID"]);
}

#[test]
fn half_a_key_pair_is_rejected_at_validate() {
    let ws = Workspace::new();
    ws.write(&config(
        "region = \"us-east-1\"\naccess_key = \"AKIDEXAMPLE\"",
    ));
    ws.validate()
        .assert_error(&["Missing `secret_key`", "`access_key` is set"]);
}

#[test]
fn malformed_assume_role_arn_is_rejected_at_validate() {
    let ws = Workspace::new();
    ws.write(&config(
        "region = \"us-east-1\"\nassume_role {\n role_arn = \"arn:aws:iam::123456789012:user/terraform\"\n}",
    ));
    ws.validate()
        .assert_error(&["Invalid `assume_role.role_arn`", "is not an IAM role ARN"]);
    ws.write(&config(
        "region = \"us-east-1\"\nassume_role {\n role_arn = \"terraform\"\n}",
    ));
    ws.validate()
        .assert_error(&["Invalid `assume_role.role_arn`", "not a valid ARN"]);
    ws.write(&config(
        "region = \"us-east-1\"\nassume_role {\n role_arn = \"arn:aws:iam::123456789012:role/t\"\n duration = \"13h\"\n}",
    ));
    ws.validate()
        .assert_error(&["Invalid `assume_role.duration`", "between 15m and 12h"]);
}

#[test]
fn assume_role_reaches_the_target_account_through_sts() {
    let aws = Emulator::start();
    let ws = Workspace::new();
    let hcl = config(&format!(
        "region = \"us-east-1\"\nassume_role {{\n role_arn = \"arn:aws:iam::111122223333:role/terraform\"\n session_name = \"ci\"\n}}\n{}",
        endpoints(&aws.url)
    ))
    .replace("rancher_etcd_worker", "kkp_account");
    ws.write(&(hcl + "output \"json\" { value = data.clusteriam_policy_document.probe.json }\n"));
    ws.apply().assert_ok();
    // The caller is now the assumed role's account.
    let json = ws.output("json");
    assert!(
        json.as_str()
            .unwrap()
            .contains("arn:aws:iam::111122223333:role/kubernetes-*"),
        "{json}"
    );
}

#[test]
fn unreachable_endpoint_is_reported_on_the_endpoint() {
    let ws = Workspace::new();
    // Port 9 (discard) on loopback: nothing listens there.
    ws.write(&config(&format!(
        "region = \"us-east-1\"\n{}",
        endpoints("http://127.0.0.1:9")
    )));
    ws.plan().assert_error(&[
        "Cannot reach the AWS STS endpoint",
        "endpoints.sts",
        "skip_credentials_validation",
    ]);
}

#[test]
fn bad_endpoint_url_and_timeout_are_rejected_at_validate() {
    let ws = Workspace::new();
    ws.write(&config(
        "region = \"us-east-1\"\nendpoints {\n iam = \"localhost:5000\"\n}",
    ));
    ws.validate()
        .assert_error(&["Invalid `endpoints.iam`", "http:// or https:// URL"]);
    ws.write(&config(
        "region = \"us-east-1\"\npropagation_timeout = \"two minutes\"",
    ));
    ws.validate()
        .assert_error(&["Invalid `propagation_timeout`", "is not a duration"]);
}
