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

/// The trust of `role` in `account`, decoded.
fn trust_in(aws: &Emulator, account: &str, role: &str) -> serde_json::Value {
    let iam = common::scenarios::iam_in(aws, account);
    let role = block_on(iam.get_role().role_name(role).send())
        .unwrap_or_else(|e| panic!("role {role} in {account}: {e:?}"))
        .role
        .unwrap();
    let text = terraform_provider_clusteriam::policy::from_iam(
        role.assume_role_policy_document.as_deref().unwrap(),
    );
    serde_json::from_str(&text).unwrap()
}

/// The one statement of a trust, as IAM gives it back.
fn only_statement(trust: &serde_json::Value) -> serde_json::Value {
    match &trust["Statement"] {
        serde_json::Value::Array(all) if all.len() == 1 => all[0].clone(),
        serde_json::Value::Object(_) => trust["Statement"].clone(),
        other => panic!("expected one statement: {other}"),
    }
}

/// A value IAM may give back as a string or a list of one.
fn one(value: &serde_json::Value) -> &str {
    match value {
        serde_json::Value::Array(items) if items.len() == 1 => items[0].as_str().unwrap(),
        other => other
            .as_str()
            .unwrap_or_else(|| panic!("a string: {other}")),
    }
}

fn attached_in(aws: &Emulator, account: &str, role: &str) -> Vec<String> {
    let iam = common::scenarios::iam_in(aws, account);
    block_on(iam.list_attached_role_policies().role_name(role).send())
        .unwrap()
        .attached_policies
        .unwrap_or_default()
        .into_iter()
        .filter_map(|p| p.policy_arn)
        .collect()
}

#[test]
fn rancher_prime_payg_scenario_applies_and_destroys() {
    let aws = Emulator::start();
    let scenario = Scenario::prepare("rancher-prime-payg", &aws, &aws.url);
    scenario.apply().assert_ok();
    common::scenarios::assert_emulator_matches_state(&aws, &scenario);
    let ws = &scenario.ws;
    assert_eq!(
        ws.output("helm_values"),
        serde_json::json!({
            "global.aws.accountNumber": common::ACCOUNT,
            "global.aws.roleName": "rancher-csp-iam-role",
        })
    );
    assert_eq!(
        ws.output("helm_set_arguments"),
        format!(
            "--set global.aws.accountNumber={} --set global.aws.roleName=rancher-csp-iam-role",
            common::ACCOUNT
        )
        .as_str()
    );
    assert_eq!(
        attached_in(&aws, common::ACCOUNT, "rancher-csp-iam-role"),
        ["arn:aws:iam::aws:policy/AWSMarketplaceMeteringFullAccess"]
    );
    let statement = only_statement(&trust_in(&aws, common::ACCOUNT, "rancher-csp-iam-role"));
    let conditions = statement["Condition"]["StringEquals"].as_object().unwrap();
    let sub = conditions
        .iter()
        .find(|(k, _)| k.ends_with(":sub"))
        .unwrap();
    let aud = conditions
        .iter()
        .find(|(k, _)| k.ends_with(":aud"))
        .unwrap();
    assert_eq!(
        one(sub.1),
        "system:serviceaccount:cattle-csp-billing-adapter-system:rancher-csp-billing-adapter"
    );
    assert_eq!(one(aud.1), "sts.amazonaws.com");
    let run = scenario.plan();
    assert_eq!(
        run.code,
        0,
        "the plan after apply must be empty:\n{}",
        run.output()
    );
    scenario.destroy().assert_ok();
    assert!(iam_is_empty(&aws), "destroy left IAM objects behind");
}

#[test]
fn torque_cross_account_scenario_assumes_a_role_of_one_name_in_each_target_account() {
    use common::scenarios::{EXTERNAL_ID, OTHER_ACCOUNTS};
    let aws = Emulator::start();
    let scenario = Scenario::prepare("torque-cross-account", &aws, &aws.url);
    let ws = &scenario.ws;
    scenario.apply().assert_ok();
    common::scenarios::assert_emulator_matches_state(&aws, &scenario);
    let master = format!("arn:aws:iam::{}:role/torque-agent", common::ACCOUNT);
    assert_eq!(ws.output("master_role_arn"), master.as_str());
    for (key, account) in [
        ("target_a", OTHER_ACCOUNTS[0]),
        ("target_b", OTHER_ACCOUNTS[1]),
    ] {
        let arn = format!("arn:aws:iam::{account}:role/torque-target");
        assert_eq!(ws.output("target_role_arns")[key], arn.as_str());
        // The page's trust: the master role's ARN, and the external id.
        let statement = only_statement(&trust_in(&aws, account, "torque-target"));
        assert_eq!(one(&statement["Principal"]["AWS"]), master);
        assert_eq!(one(&statement["Action"]), "sts:AssumeRole");
        assert_eq!(
            one(&statement["Condition"]["StringEquals"]["sts:ExternalId"]),
            EXTERNAL_ID
        );
    }
    // The blueprint offers exactly the target accounts.
    let values = ws.output("blueprint_account_values");
    assert_eq!(
        values,
        serde_json::json!([
            format!("target_a | {}", OTHER_ACCOUNTS[0]),
            format!("target_b | {}", OTHER_ACCOUNTS[1]),
        ])
    );
    let blueprint = std::fs::read_to_string(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("examples/torque-cross-account/blueprint.yaml"),
    )
    .unwrap();
    for value in values.as_array().unwrap() {
        assert!(
            blueprint.contains(&format!("- \"{}\"", value.as_str().unwrap())),
            "the blueprint's allowed-values offer {value}"
        );
    }
    let run = scenario.plan();
    assert_eq!(
        run.code,
        0,
        "the plan after apply must be empty:\n{}",
        run.output()
    );

    // What the blueprint's grain applies: the chosen account's target role,
    // assumed with the external id; it provisions in that account only.
    let workload = Workspace::new();
    workload.copy_example("torque-cross-account/workload");
    let mut workload = workload;
    workload.set_env("AWS_ENDPOINT_URL", &aws.url);
    workload.set_env("AWS_REGION", common::REGION);
    let vars = [
        "-var".to_string(),
        format!("aws_account_id={}", OTHER_ACCOUNTS[1]),
        "-var".to_string(),
        format!("external_id={EXTERNAL_ID}"),
    ];
    let vars: Vec<&str> = vars.iter().map(String::as_str).collect();
    let apply = [
        &["apply", "-auto-approve", "-no-color", "-input=false"][..],
        &vars,
    ]
    .concat();
    workload.run(&apply).assert_ok();
    let role = workload.output("role_arn");
    assert!(
        role.as_str().unwrap().starts_with(&format!(
            "arn:aws:iam::{}:role/workload-worker-",
            OTHER_ACCOUNTS[1]
        )),
        "{role}"
    );
    let destroy = [
        &["destroy", "-auto-approve", "-no-color", "-input=false"][..],
        &vars,
    ]
    .concat();
    workload.run(&destroy).assert_ok();

    scenario.destroy().assert_ok();
    common::scenarios::assert_emulator_matches_state(&aws, &scenario);
    assert!(iam_is_empty(&aws), "destroy left IAM objects behind");
}

#[test]
fn kkp_assume_role_scenario_applies_in_account_b() {
    use common::scenarios::{EXTERNAL_ID, OTHER_ACCOUNTS};
    let aws = Emulator::start();
    let scenario = Scenario::prepare("kkp-assume-role", &aws, &aws.url);
    let ws = &scenario.ws;
    scenario.apply().assert_ok();
    common::scenarios::assert_emulator_matches_state(&aws, &scenario);
    let account_b = OTHER_ACCOUNTS[0];
    let arn = format!("arn:aws:iam::{account_b}:role/kubermatic");
    assert_eq!(ws.output("assume_role_arn"), arn.as_str());
    let statement = only_statement(&trust_in(&aws, account_b, "kubermatic"));
    assert_eq!(
        one(&statement["Principal"]["AWS"]),
        format!("arn:aws:iam::{}:user/kubermatic", common::ACCOUNT)
    );
    assert_eq!(
        one(&statement["Condition"]["StringEquals"]["sts:ExternalId"]),
        EXTERNAL_ID
    );
    // The KKP policy names account B, where KKP manages roles.
    let iam = common::scenarios::iam_in(&aws, account_b);
    let policy = block_on(
        iam.get_role_policy()
            .role_name("kubermatic")
            .policy_name("KubermaticKKPPolicy")
            .send(),
    )
    .unwrap()
    .policy_document;
    let policy = terraform_provider_clusteriam::policy::from_iam(&policy);
    assert!(
        policy.contains(&format!("arn:aws:iam::{account_b}:role/kubernetes-*")),
        "{policy}"
    );
    // What KKP's user in account A needs in turn.
    let user_policy: serde_json::Value =
        serde_json::from_str(ws.output("kkp_user_policy").as_str().unwrap()).unwrap();
    let user_statement = only_statement(&user_policy);
    assert_eq!(one(&user_statement["Action"]), "sts:AssumeRole");
    assert_eq!(one(&user_statement["Resource"]), arn);
    let run = scenario.plan();
    assert_eq!(
        run.code,
        0,
        "the plan after apply must be empty:\n{}",
        run.output()
    );
    scenario.destroy().assert_ok();
    common::scenarios::assert_emulator_matches_state(&aws, &scenario);
}
