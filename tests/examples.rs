//! The examples are part of the documentation: every one is formatted and
//! valid, and every platform scenario applies, re-plans empty and destroys
//! cleanly against the emulator.

mod common;

use common::{ACCOUNT, Emulator, Workspace, block_on, example_dirs};

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

/// A workspace for a scenario: AWS calls go to the emulator through the
/// standard AWS_ENDPOINT_URL, so the examples stay free of test settings.
fn scenario(aws: &Emulator, dir: &str) -> Workspace {
    let mut ws = Workspace::new();
    ws.copy_example(dir);
    ws.set_env("AWS_ENDPOINT_URL", &aws.url);
    ws.set_env("AWS_REGION", common::REGION);
    ws.run(&["get", "-no-color"]).assert_ok();
    ws
}

fn apply_plan_destroy(ws: &Workspace, vars: &[String]) {
    let mut args = vec![
        "apply".to_string(),
        "-auto-approve".into(),
        "-no-color".into(),
        "-input=false".into(),
    ];
    args.extend(vars.iter().flat_map(|v| ["-var".to_string(), v.clone()]));
    let refs: Vec<&str> = args.iter().map(String::as_str).collect();
    ws.run(&refs).assert_ok();
    let mut plan = refs.clone();
    plan[0] = "plan";
    plan[1] = "-detailed-exitcode";
    let run = ws.run(&plan);
    assert_eq!(
        run.code,
        0,
        "the plan after apply must be empty:\n{}",
        run.output()
    );
    let mut destroy = refs.clone();
    destroy[0] = "destroy";
    ws.run(&destroy).assert_ok();
}

fn eks_cluster(aws: &Emulator, name: &str) {
    block_on(
        aws.eks()
            .create_cluster()
            .name(name)
            .role_arn(format!("arn:aws:iam::{ACCOUNT}:role/eks"))
            .resources_vpc_config(
                aws_sdk_eks::types::VpcConfigRequest::builder()
                    .subnet_ids("subnet-11111111")
                    .build(),
            )
            .send(),
    )
    .expect("creating an EKS cluster in the emulator");
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
    eks_cluster(&aws, "rancher-mgmt");
    let ec2 = aws.ec2();
    let (subnet, group, instance) = block_on(async {
        let vpc = ec2
            .create_vpc()
            .cidr_block("10.0.0.0/16")
            .send()
            .await
            .unwrap()
            .vpc
            .unwrap()
            .vpc_id
            .unwrap();
        let subnet = ec2
            .create_subnet()
            .vpc_id(&vpc)
            .cidr_block("10.0.1.0/24")
            .send()
            .await
            .unwrap()
            .subnet
            .unwrap()
            .subnet_id
            .unwrap();
        let group = ec2
            .create_security_group()
            .group_name("rancher")
            .description("rancher")
            .vpc_id(&vpc)
            .send()
            .await
            .unwrap()
            .group_id
            .unwrap();
        let image = ec2.describe_images().send().await.unwrap().images.unwrap()[0]
            .image_id
            .clone()
            .unwrap();
        let instance = ec2
            .run_instances()
            .image_id(image)
            .min_count(1)
            .max_count(1)
            .subnet_id(&subnet)
            .send()
            .await
            .unwrap()
            .instances
            .unwrap()[0]
            .instance_id
            .clone()
            .unwrap();
        (subnet, group, instance)
    });
    let ws = scenario(&aws, "rancher");
    apply_plan_destroy(
        &ws,
        &[
            "eks_cluster_name=rancher-mgmt".into(),
            "cluster_id=prod".into(),
            format!("subnet_id={subnet}"),
            format!("security_group_id={group}"),
            format!("instance_ids=[\"{instance}\"]"),
        ],
    );
    assert!(iam_is_empty(&aws), "destroy left IAM objects behind");
    let tags = block_on(
        ec2.describe_tags()
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
    eks_cluster(&aws, "torque-agents");
    let ws = scenario(&aws, "torque");
    let mut args = vec!["apply", "-auto-approve", "-no-color", "-input=false"];
    let vars = [
        "cluster_name=torque-agents".to_string(),
        "target_a_role_arn=arn:aws:iam::111111111111:role/terraform".to_string(),
        "target_b_role_arn=arn:aws:iam::222222222222:role/terraform".to_string(),
    ];
    for v in &vars {
        args.extend(["-var", v.as_str()]);
    }
    ws.run(&args).assert_ok();
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
        manifest
            .contains("eks.amazonaws.com/role-arn: arn:aws:iam::111111111111:role/torque-agent"),
        "{manifest}"
    );
    assert!(
        iam_is_empty(&aws),
        "nothing was created in the cluster account"
    );
    apply_plan_destroy(&ws, &vars);
}

#[test]
fn eks_connector_scenario_applies_and_destroys() {
    let aws = Emulator::start();
    let ws = scenario(&aws, "eks-connector");
    apply_plan_destroy(&ws, &[]);
    let roles = block_on(aws.iam().list_roles().send()).unwrap().roles;
    assert!(roles.is_empty(), "destroy left roles behind: {roles:?}");
}

#[test]
fn kkp_scenario_applies_and_destroys() {
    let aws = Emulator::start();
    let (iam, ec2) = (aws.iam(), aws.ec2());
    let vpc = block_on(async {
        iam.create_user()
            .user_name("kubermatic")
            .send()
            .await
            .unwrap();
        ec2.create_vpc()
            .cidr_block("10.1.0.0/16")
            .send()
            .await
            .unwrap()
            .vpc
            .unwrap()
            .vpc_id
            .unwrap()
    });
    let ws = scenario(&aws, "kkp");
    apply_plan_destroy(&ws, &["region=us-east-1".into(), format!("vpc_id={vpc}")]);
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

/// The demo's quick-start, on the fixtures the demo creates (which also
/// checks `scripts/demo-fixtures.py` against the emulator).
#[test]
fn quickstart_applies_on_the_demo_fixtures() {
    let aws = Emulator::start();
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let out = std::process::Command::new(root.join(".venv/bin/python"))
        .arg(root.join("scripts/demo-fixtures.py"))
        .env("AWS_ENDPOINT_URL", &aws.url)
        .env("AWS_REGION", common::REGION)
        .env("AWS_ACCESS_KEY_ID", "testing")
        .env("AWS_SECRET_ACCESS_KEY", "testing")
        .output()
        .expect("running scripts/demo-fixtures.py");
    assert!(
        out.status.success(),
        "demo fixtures failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let vars: Vec<String> = String::from_utf8(out.stdout)
        .unwrap()
        .lines()
        .map(str::to_string)
        .collect();
    assert_eq!(vars.len(), 6, "{vars:?}");
    let ws = scenario(&aws, "quickstart");
    apply_plan_destroy(&ws, &vars);
    assert!(iam_is_empty(&aws), "destroy left IAM objects behind");
}
