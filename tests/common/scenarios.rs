//! The platform scenarios of `examples/` with what each needs in the
//! emulator first, and a comparison of what the emulator holds with what the
//! state says. Shared by tests/examples.rs and tests/reliability.rs.

use std::collections::BTreeSet;

use super::{ACCOUNT, Emulator, REGION, Workspace, block_on};

/// A scenario ready to apply: its workspace and its `-var`s.
pub struct Scenario {
    pub name: &'static str,
    pub ws: Workspace,
    pub vars: Vec<String>,
    /// The accounts the scenario creates objects in.
    pub accounts: Vec<&'static str>,
}

pub const SCENARIOS: [&str; 7] = [
    "rancher",
    "kkp",
    "torque",
    "eks-connector",
    "rancher-prime-payg",
    "torque-cross-account",
    "kkp-assume-role",
];

/// The account B of `kkp-assume-role`, and the target accounts of the two
/// Torque scenarios.
pub const OTHER_ACCOUNTS: [&str; 2] = ["111111111111", "222222222222"];
/// The external id the cross-account scenarios' trusts require.
pub const EXTERNAL_ID: &str = "clusteriam-proof-3f9a";

impl Scenario {
    /// Creates what `name` needs in the emulator and a workspace whose AWS
    /// calls go to `endpoint` (the emulator, or a proxy in front of it)
    /// through the standard AWS_ENDPOINT_URL, so the examples stay free of
    /// test settings.
    pub fn prepare(name: &'static str, aws: &Emulator, endpoint: &str) -> Scenario {
        let (vars, accounts) = match name {
            "rancher" => {
                eks_cluster(aws, "rancher-mgmt");
                let (subnet, group, instance) = rancher_network(aws);
                (
                    vec![
                        "eks_cluster_name=rancher-mgmt".into(),
                        "cluster_id=prod".into(),
                        format!("subnet_id={subnet}"),
                        format!("security_group_id={group}"),
                        format!("instance_ids=[\"{instance}\"]"),
                    ],
                    vec![ACCOUNT],
                )
            }
            "kkp" => {
                let vpc = kkp_prerequisites(aws);
                (
                    vec![format!("region={REGION}"), format!("vpc_id={vpc}")],
                    vec![ACCOUNT],
                )
            }
            "torque" => {
                eks_cluster(aws, "torque-agents");
                (
                    vec![
                        "cluster_name=torque-agents".into(),
                        "target_a_role_arn=arn:aws:iam::111111111111:role/terraform".into(),
                        "target_b_role_arn=arn:aws:iam::222222222222:role/terraform".into(),
                    ],
                    vec![ACCOUNT, "111111111111", "222222222222"],
                )
            }
            "eks-connector" => (Vec::new(), vec![ACCOUNT]),
            "rancher-prime-payg" => {
                eks_cluster(aws, "rancher-prime");
                (vec!["cluster_name=rancher-prime".into()], vec![ACCOUNT])
            }
            "torque-cross-account" => {
                eks_cluster(aws, "torque-master");
                (
                    vec![
                        "cluster_name=torque-master".into(),
                        format!(
                            "target_a_admin_role_arn=arn:aws:iam::{}:role/terraform",
                            OTHER_ACCOUNTS[0]
                        ),
                        format!(
                            "target_b_admin_role_arn=arn:aws:iam::{}:role/terraform",
                            OTHER_ACCOUNTS[1]
                        ),
                        format!("external_id={EXTERNAL_ID}"),
                    ],
                    vec![ACCOUNT, OTHER_ACCOUNTS[0], OTHER_ACCOUNTS[1]],
                )
            }
            "kkp-assume-role" => {
                // KKP's user in account A (the caller's); the VPC in B.
                block_on(aws.iam().create_user().user_name("kubermatic").send()).unwrap();
                let ec2 = aws_sdk_ec2::Client::new(&sdk_config_in(aws, OTHER_ACCOUNTS[0]));
                let vpc = block_on(ec2.create_vpc().cidr_block("10.2.0.0/16").send())
                    .unwrap()
                    .vpc
                    .unwrap()
                    .vpc_id
                    .unwrap();
                (
                    vec![
                        format!("region={REGION}"),
                        format!(
                            "account_b_role_arn=arn:aws:iam::{}:role/terraform",
                            OTHER_ACCOUNTS[0]
                        ),
                        format!("kkp_principal_arn=arn:aws:iam::{ACCOUNT}:user/kubermatic"),
                        format!("external_id={EXTERNAL_ID}"),
                        format!("vpc_id={vpc}"),
                    ],
                    vec![ACCOUNT, OTHER_ACCOUNTS[0]],
                )
            }
            "quickstart" => (demo_fixtures(aws), vec![ACCOUNT]),
            other => panic!("no scenario `{other}`"),
        };
        let mut ws = Workspace::new();
        ws.copy_example(name);
        ws.set_env("AWS_ENDPOINT_URL", endpoint);
        ws.set_env("AWS_REGION", REGION);
        ws.run(&["get", "-no-color"]).assert_ok();
        Scenario {
            name,
            ws,
            vars,
            accounts,
        }
    }

    /// Runs `terraform <command> <args> -var ...`.
    pub fn run(&self, command: &str, args: &[&str]) -> super::Run {
        let mut all = vec![command, "-no-color", "-input=false"];
        all.extend(args);
        for v in &self.vars {
            all.extend(["-var", v.as_str()]);
        }
        self.ws.run(&all)
    }
    pub fn apply(&self) -> super::Run {
        self.run("apply", &["-auto-approve"])
    }
    pub fn destroy(&self) -> super::Run {
        self.run("destroy", &["-auto-approve"])
    }
    /// Exit code 0: no changes; 2: changes.
    pub fn plan(&self) -> super::Run {
        self.run("plan", &["-detailed-exitcode"])
    }
}

/// The demo's own fixtures (`scripts/demo-fixtures.py`), as `-var`s; running
/// it here also checks the script against the emulator.
fn demo_fixtures(aws: &Emulator) -> Vec<String> {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let out = std::process::Command::new(root.join(".venv/bin/python"))
        .arg(root.join("scripts/demo-fixtures.py"))
        .env("AWS_ENDPOINT_URL", &aws.url)
        .env("AWS_REGION", REGION)
        .env("AWS_ACCESS_KEY_ID", "testing")
        .env("AWS_SECRET_ACCESS_KEY", "testing")
        .output()
        .expect("running scripts/demo-fixtures.py");
    assert!(
        out.status.success(),
        "demo fixtures failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout)
        .unwrap()
        .lines()
        .map(str::to_string)
        .collect()
}

pub fn eks_cluster(aws: &Emulator, name: &str) {
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

/// A VPC with a subnet, a security group and an instance: (subnet, group, instance).
pub fn rancher_network(aws: &Emulator) -> (String, String, String) {
    let ec2 = aws.ec2();
    block_on(async {
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
    })
}

/// The KKP user and a VPC; returns the VPC id.
pub fn kkp_prerequisites(aws: &Emulator) -> String {
    let (iam, ec2) = (aws.iam(), aws.ec2());
    block_on(async {
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
    })
}

/// An IAM client acting in `account` (moto keeps one IAM per account; the
/// provider reaches the others through `assume_role`).
pub fn iam_in(aws: &Emulator, account: &str) -> aws_sdk_iam::Client {
    aws_sdk_iam::Client::new(&sdk_config_in(aws, account))
}

/// An SDK config acting in `account`: the caller's own, an administrator's
/// given to the emulator, or the role `terraform` assumed there.
pub fn sdk_config_in(aws: &Emulator, account: &str) -> aws_config::SdkConfig {
    if account == ACCOUNT {
        return aws.sdk_config();
    }
    if let Some(config) = aws.admin_config(account) {
        return config;
    }
    let config = aws.sdk_config();
    let sts = aws_sdk_sts::Client::new(&config);
    let credentials = block_on(
        sts.assume_role()
            .role_arn(format!("arn:aws:iam::{account}:role/terraform"))
            .role_session_name("inventory")
            .send(),
    )
    .expect("assuming a role in the emulator")
    .credentials
    .expect("credentials");
    config
        .to_builder()
        .credentials_provider(
            aws_credential_types::provider::SharedCredentialsProvider::new(
                aws_credential_types::Credentials::new(
                    credentials.access_key_id,
                    credentials.secret_access_key,
                    Some(credentials.session_token),
                    None,
                    "assumed",
                ),
            ),
        )
        .build()
}

/// What the emulator holds that this provider manages, one line per object:
/// `role:<account>:<name>`, `inline:<account>:<role>`, `attach:<account>:<role>:<arn>`,
/// `profile:<account>:<name>`, `oidc:<arn>`, `policy:<arn>`, `tag:<id>:<key>`.
pub fn emulator_inventory(aws: &Emulator, accounts: &[&str]) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    for account in accounts {
        let iam = iam_in(aws, account);
        block_on(async {
            for role in iam.list_roles().send().await.unwrap().roles {
                let name = role.role_name;
                out.insert(format!("role:{account}:{name}"));
                let inline = iam
                    .list_role_policies()
                    .role_name(&name)
                    .send()
                    .await
                    .unwrap()
                    .policy_names;
                for _ in inline {
                    out.insert(format!("inline:{account}:{name}"));
                }
                let attached = iam
                    .list_attached_role_policies()
                    .role_name(&name)
                    .send()
                    .await
                    .unwrap()
                    .attached_policies
                    .unwrap_or_default();
                for policy in attached {
                    out.insert(format!(
                        "attach:{account}:{name}:{}",
                        policy.policy_arn.unwrap_or_default()
                    ));
                }
            }
            for profile in iam
                .list_instance_profiles()
                .send()
                .await
                .unwrap()
                .instance_profiles
            {
                out.insert(format!(
                    "profile:{account}:{}",
                    profile.instance_profile_name
                ));
            }
            for provider in iam
                .list_open_id_connect_providers()
                .send()
                .await
                .unwrap()
                .open_id_connect_provider_list
                .unwrap_or_default()
            {
                out.insert(format!("oidc:{}", provider.arn.unwrap_or_default()));
            }
            for policy in iam
                .list_policies()
                .scope(aws_sdk_iam::types::PolicyScopeType::Local)
                .send()
                .await
                .unwrap()
                .policies
                .unwrap_or_default()
            {
                out.insert(format!("policy:{}", policy.arn.unwrap_or_default()));
            }
        });
    }
    let tags = block_on(aws.ec2().describe_tags().max_results(1000).send()).unwrap();
    for tag in tags.tags.unwrap_or_default() {
        let key = tag.key.unwrap_or_default();
        if key.starts_with("kubernetes.io/cluster/") {
            out.insert(format!("tag:{}:{key}", tag.resource_id.unwrap_or_default()));
        }
    }
    out
}

/// Every managed resource in the state, modules included: (type, values).
pub fn state_resources(ws: &Workspace) -> Vec<(String, serde_json::Value)> {
    fn walk(module: &serde_json::Value, out: &mut Vec<(String, serde_json::Value)>) {
        for r in module["resources"].as_array().into_iter().flatten() {
            if r["mode"] == "managed" {
                out.push((r["type"].as_str().unwrap().to_string(), r["values"].clone()));
            }
        }
        for child in module["child_modules"].as_array().into_iter().flatten() {
            walk(child, out);
        }
    }
    let run = ws.run(&["show", "-json", "-no-color"]);
    run.assert_ok();
    let state: serde_json::Value = serde_json::from_str(&run.stdout).expect("terraform show -json");
    let mut out = Vec::new();
    walk(&state["values"]["root_module"], &mut out);
    out
}

/// What the state says exists, in the shape of [`emulator_inventory`].
pub fn state_inventory(ws: &Workspace) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    let s = |v: &serde_json::Value, k: &str| v[k].as_str().unwrap_or_default().to_string();
    for (kind, v) in state_resources(ws) {
        match kind.as_str() {
            "clusteriam_rancher_node_role"
            | "clusteriam_rancher_csp_adapter_role"
            | "clusteriam_rancher_billing_adapter_role"
            | "clusteriam_torque_agent_role"
            | "clusteriam_torque_target_role"
            | "clusteriam_kkp_assume_role"
            | "clusteriam_eks_connector_agent_role" => {
                // The account is in the ARN: roles may live in other accounts.
                let account = s(&v, "arn")
                    .split(':')
                    .nth(4)
                    .unwrap_or_default()
                    .to_string();
                let name = s(&v, "name");
                out.insert(format!("role:{account}:{name}"));
                if !v["policy"].is_null() {
                    out.insert(format!("inline:{account}:{name}"));
                }
                for arn in v["policy_arns"].as_array().into_iter().flatten() {
                    out.insert(format!("attach:{account}:{name}:{}", arn.as_str().unwrap()));
                }
                if !v["instance_profile_name"].is_null() {
                    out.insert(format!(
                        "profile:{account}:{}",
                        s(&v, "instance_profile_name")
                    ));
                }
            }
            "clusteriam_eks_connector_service_linked_role" => {
                let account = s(&v, "arn")
                    .split(':')
                    .nth(4)
                    .unwrap_or_default()
                    .to_string();
                out.insert(format!("role:{account}:{}", s(&v, "name")));
            }
            "clusteriam_oidc_provider" => {
                out.insert(format!("oidc:{}", s(&v, "arn")));
            }
            "clusteriam_kkp_account_policy" => {
                out.insert(format!("policy:{}", s(&v, "arn")));
            }
            "clusteriam_cluster_tags" => {
                let key = s(&v, "tag_key");
                let mut ids: Vec<String> = Vec::new();
                for attr in ["instance_ids", "subnet_ids"] {
                    for id in v[attr].as_array().into_iter().flatten() {
                        ids.push(id.as_str().unwrap().to_string());
                    }
                }
                if let Some(group) = v["security_group_id"].as_str() {
                    ids.push(group.to_string());
                }
                for id in ids {
                    out.insert(format!("tag:{id}:{key}"));
                }
            }
            _ => {}
        }
    }
    out
}

/// Asserts that the emulator holds exactly what the state says: nothing
/// leaked (in AWS, not in state), nothing lost (in state, not in AWS).
#[track_caller]
pub fn assert_emulator_matches_state(aws: &Emulator, scenario: &Scenario) {
    assert_workspace_matches(aws, &scenario.ws, &scenario.accounts, scenario.name);
}

#[track_caller]
pub fn assert_workspace_matches(aws: &Emulator, ws: &Workspace, accounts: &[&str], label: &str) {
    let in_aws = emulator_inventory(aws, accounts);
    let in_state = state_inventory(ws);
    let leaked: Vec<_> = in_aws.difference(&in_state).collect();
    let lost: Vec<_> = in_state.difference(&in_aws).collect();
    assert!(
        leaked.is_empty() && lost.is_empty(),
        "{label}: the emulator and the state disagree.\nin AWS, not in state (leaked): {leaked:?}\n\
         in state, not in AWS (lost): {lost:?}"
    );
}
