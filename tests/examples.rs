//! The examples are part of the documentation: every one is formatted and
//! valid, and every platform scenario applies, re-plans empty and destroys
//! cleanly against the emulator.

use crate::common;

use common::scenarios::Scenario;
use common::{Emulator, Workspace, block_on, example_dirs};

#[test]
fn examples_are_formatted_and_valid() {
    let ws = Workspace::new();
    let examples = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("examples");
    ws.run(&[
        "fmt",
        "-check",
        "-recursive",
        "-diff",
        examples.to_str().unwrap(),
    ])
    .assert_ok();
    let dirs = example_dirs();
    assert!(
        dirs.len() >= 15,
        "expected the provider, resource, data source and scenario examples: {dirs:?}"
    );
    for dir in dirs {
        if dir.ends_with("target-account") {
            continue; // a module, validated through examples/torque
        }
        let ws = Workspace::new();
        ws.copy_example(&dir);
        // Resource and data source examples are snippets, as on the registry;
        // they need the provider's source address to validate.
        let has_terraform_block = std::fs::read_dir(ws.path())
            .unwrap()
            .filter_map(Result::ok)
            .any(|e| {
                std::fs::read_to_string(e.path()).is_ok_and(|t| t.contains("required_providers"))
            });
        if !has_terraform_block {
            std::fs::write(
                ws.path().join("terraform.tf"),
                "terraform {\n  required_providers {\n    clusteriam = { source = \"clusteriam/clusteriam\" }\n  }\n}\n",
            )
            .unwrap();
        }
        // `get` installs local modules only; providers come from dev_overrides.
        ws.run(&["get", "-no-color"]).assert_ok();
        let run = ws.validate();
        assert_eq!(
            run.code,
            0,
            "examples/{dir} is not valid:\n{}",
            run.output()
        );
    }
}

fn apply_plan_destroy(scenario: &Scenario) {
    scenario.apply().assert_ok();
    let run = scenario.plan();
    assert_eq!(
        run.code,
        0,
        "the plan after apply must be empty:\n{}",
        run.output()
    );
    scenario.destroy().assert_ok();
}

fn iam_is_empty(aws: &Emulator) -> bool {
    let iam = aws.iam();
    block_on(async {
        iam.list_roles()
            .send()
            .await
            .unwrap()
            .roles
            .iter()
            .all(|r| r.path.starts_with("/aws-service-role/"))
            && iam
                .list_instance_profiles()
                .send()
                .await
                .unwrap()
                .instance_profiles
                .is_empty()
            && iam
                .list_open_id_connect_providers()
                .send()
                .await
                .unwrap()
                .open_id_connect_provider_list
                .unwrap_or_default()
                .is_empty()
    })
}

#[test]
fn rancher_scenario_applies_and_destroys() {
    let aws = Emulator::start();
    let scenario = Scenario::prepare("rancher", &aws, &aws.url);
    apply_plan_destroy(&scenario);
    assert!(iam_is_empty(&aws), "destroy left IAM objects behind");
    let tags = block_on(
        aws.ec2()
            .describe_tags()
            .filters(
                aws_sdk_ec2::types::Filter::builder()
                    .name("key")
                    .values("kubernetes.io/cluster/prod")
                    .build(),
            )
            .send(),
    )
    .unwrap();
    assert!(
        tags.tags.unwrap_or_default().is_empty(),
        "destroy left cluster tags behind"
    );
}

#[test]
fn torque_scenario_applies_in_two_target_accounts() {
    let aws = Emulator::start();
    let scenario = Scenario::prepare("torque", &aws, &aws.url);
    let ws = &scenario.ws;
    scenario.apply().assert_ok();
    let arns = ws.output("role_arns");
    assert_eq!(
        arns["target_a"],
        "arn:aws:iam::111111111111:role/torque-agent"
    );
    assert_eq!(
        arns["target_b"],
        "arn:aws:iam::222222222222:role/torque-agent"
    );
    let manifest = ws.output("service_account_manifests")["target_a"]
        .as_str()
        .unwrap()
        .to_string();
    assert!(
        manifest.contains(
            "eks.amazonaws.com/role-arn: \"arn:aws:iam::111111111111:role/torque-agent\""
        ),
        "{manifest}"
    );
    assert!(
        iam_is_empty(&aws),
        "nothing was created in the cluster account"
    );
    apply_plan_destroy(&scenario);
}

#[test]
fn eks_connector_scenario_applies_and_destroys() {
    let aws = Emulator::start();
    let scenario = Scenario::prepare("eks-connector", &aws, &aws.url);
    apply_plan_destroy(&scenario);
    let roles = block_on(aws.iam().list_roles().send()).unwrap().roles;
    assert!(roles.is_empty(), "destroy left roles behind: {roles:?}");
}

#[test]
fn kkp_scenario_applies_and_destroys() {
    let aws = Emulator::start();
    let scenario = Scenario::prepare("kkp", &aws, &aws.url);
    let vpc = scenario.vars[1].trim_start_matches("vpc_id=").to_string();
    apply_plan_destroy(&scenario);
    let policies = block_on(
        aws.iam()
            .list_policies()
            .scope(aws_sdk_iam::types::PolicyScopeType::Local)
            .send(),
    )
    .unwrap();
    assert!(
        policies.policies.unwrap_or_default().is_empty(),
        "destroy left the KKP policy behind"
    );
    let hostnames = block_on(
        aws.ec2()
            .describe_vpc_attribute()
            .vpc_id(&vpc)
            .attribute(aws_sdk_ec2::types::VpcAttributeName::EnableDnsHostnames)
            .send(),
    )
    .unwrap();
    assert_eq!(
        hostnames.enable_dns_hostnames.unwrap().value,
        Some(false),
        "destroy restores DNS hostnames"
    );
}

/// The demo's quick-start, on the fixtures the demo creates.
#[test]
fn quickstart_applies_on_the_demo_fixtures() {
    let aws = Emulator::start();
    let scenario = Scenario::prepare("quickstart", &aws, &aws.url);
    assert_eq!(scenario.vars.len(), 6, "{:?}", scenario.vars);
    apply_plan_destroy(&scenario);
    assert!(iam_is_empty(&aws), "destroy left IAM objects behind");
}

/// Copies `examples/<dir>` with its `terraform test` files.
fn copy_with_tests(ws: &Workspace, dir: &str) {
    ws.copy_example(dir);
    let from = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("examples")
        .join(dir);
    for entry in std::fs::read_dir(from).unwrap().map(Result::unwrap) {
        if entry.file_name().to_string_lossy().ends_with(".tftest.hcl") {
            std::fs::copy(entry.path(), ws.path().join(entry.file_name())).unwrap();
        }
    }
}

/// examples/testing: `terraform test` with a mocked provider and
/// `mock_resource` defaults, no AWS involved.
#[test]
fn testing_example_passes_terraform_test_with_a_mocked_provider() {
    let ws = Workspace::new();
    copy_with_tests(&ws, "testing");
    let run = ws.run(&["test", "-no-color"]);
    assert_eq!(run.code, 0, "terraform test failed:\n{}", run.output());
    assert!(run.mentions("2 passed, 0 failed"), "{}", run.output());

    // The pitfall the example documents: without an ARN-shaped default, the
    // mocked provider's random `arn` fails the role's validation.
    let tests = ws.path().join("agent.tftest.hcl");
    let text = std::fs::read_to_string(&tests).unwrap();
    let start = text
        .find("  mock_resource \"clusteriam_oidc_provider\"")
        .unwrap();
    let end = start + text[start..].find("\n  }\n").unwrap() + "\n  }\n".len();
    std::fs::write(&tests, format!("{}{}", &text[..start], &text[end..])).unwrap();
    let run = ws.run(&["test", "-no-color"]);
    assert_ne!(run.code, 0, "{}", run.output());
    assert!(
        run.mentions("Invalid `oidc_provider_arn`"),
        "{}",
        run.output()
    );
}
