//! Adopting what a team made by hand from the documentation ("Adopting
//! existing roles" in docs/guides): each seed's set-up is created through
//! the AWS API as the documentation tells a person to, then taken over with
//! `import {}` blocks and `terraform plan -generate-config-out`. The
//! generated configuration must be valid as generated, the apply must
//! change nothing it shouldn't, the next plan must be empty, and nothing may
//! be recreated: the role, policy and provider ids are those of before.

use crate::common;

use common::{ACCOUNT, Emulator, Workspace, block_on, seed_documents};
use terraform_provider_clusteriam::policy::{from_iam, web_identity_subject};

const ISSUER: &str = "oidc.eks.us-east-1.amazonaws.com/id/EXAMPLED539D4633E53DE1B71EXAMPLE";

/// What the migration must keep: an id that changes only when an object is
/// deleted and made again.
fn role_id(aws: &Emulator, name: &str) -> String {
    block_on(aws.iam().get_role().role_name(name).send())
        .unwrap_or_else(|e| panic!("role {name}: {e:?}"))
        .role
        .unwrap()
        .role_id
}

fn instance_profile_id(aws: &Emulator, name: &str) -> String {
    block_on(
        aws.iam()
            .get_instance_profile()
            .instance_profile_name(name)
            .send(),
    )
    .unwrap_or_else(|e| panic!("instance profile {name}: {e:?}"))
    .instance_profile
    .unwrap()
    .instance_profile_id
}

fn policy_id(aws: &Emulator, arn: &str) -> String {
    block_on(aws.iam().get_policy().policy_arn(arn).send())
        .unwrap_or_else(|e| panic!("policy {arn}: {e:?}"))
        .policy
        .unwrap()
        .policy_id
        .unwrap()
}

/// Imports with `imports` (`(address, id)`), generating the configuration,
/// and checks that it is usable as generated: valid, applied without
/// replacing anything (with `changes` in-place updates), then an empty plan.
/// Returns the generated config.
fn migrate(aws: &Emulator, imports: &[(&str, &str)], changes: usize) -> (Workspace, String) {
    migrate_with(aws, imports, changes, |generated| generated.to_string())
}

/// [`migrate`], with `edit` applied to the generated configuration before
/// it is validated: what a user fills in that Terraform cannot generate,
/// such as a sensitive value (generated as `null # sensitive`).
fn migrate_with(
    aws: &Emulator,
    imports: &[(&str, &str)],
    changes: usize,
    edit: impl Fn(&str) -> String,
) -> (Workspace, String) {
    let ws = Workspace::new();
    let mut config = aws.provider_block();
    for (address, id) in imports {
        config.push_str(&format!(
            "\nimport {{\n  to = {address}\n  id = \"{id}\"\n}}\n"
        ));
    }
    ws.write(&config);
    let plan = ws.run(&[
        "plan",
        "-no-color",
        "-input=false",
        "-generate-config-out=generated.tf",
    ]);
    plan.assert_ok();
    let summary = format!(
        "Plan: {} to import, 0 to add, {changes} to change, 0 to destroy.",
        imports.len()
    );
    assert!(
        plan.mentions(&summary),
        "expected `{summary}`:\n{}",
        plan.output()
    );
    let generated = std::fs::read_to_string(ws.path().join("generated.tf"))
        .unwrap_or_else(|_| panic!("no generated.tf:\n{}", plan.output()));
    std::fs::write(ws.path().join("generated.tf"), edit(&generated)).unwrap();
    let run = ws.validate();
    assert_eq!(
        run.code,
        0,
        "the generated configuration is not valid as generated:\n{generated}\n{}",
        run.output()
    );
    let apply = ws.apply();
    apply.assert_ok();
    assert!(
        apply.mentions(&format!("{} imported", imports.len())) && apply.mentions("0 destroyed"),
        "the apply imports everything and destroys nothing:\n{}",
        apply.output()
    );
    ws.assert_no_changes();
    (ws, generated)
}

/// Seed 001: a role per node role trusted by EC2 with the documented policy
/// (inline, named as the person chose), and its instance profile.
#[test]
fn rancher_node_role_adopts_a_hand_made_role_and_instance_profile() {
    let aws = Emulator::start();
    let iam = aws.iam();
    let controlplane_policy = &seed_documents("001")[0];
    block_on(async {
        iam.create_role()
            .role_name("rancher-controlplane")
            .assume_role_policy_document(
                r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"ec2.amazonaws.com"},"Action":"sts:AssumeRole"}]}"#,
            )
            .send()
            .await
            .unwrap();
        iam.put_role_policy()
            .role_name("rancher-controlplane")
            .policy_name("rancher-controlplane-policy")
            .policy_document(controlplane_policy)
            .send()
            .await
            .unwrap();
        iam.create_instance_profile()
            .instance_profile_name("rancher-controlplane")
            .send()
            .await
            .unwrap();
        iam.add_role_to_instance_profile()
            .instance_profile_name("rancher-controlplane")
            .role_name("rancher-controlplane")
            .send()
            .await
            .unwrap();
    });
    let before = (
        role_id(&aws, "rancher-controlplane"),
        instance_profile_id(&aws, "rancher-controlplane"),
    );

    let (ws, generated) = migrate(
        &aws,
        &[(
            "clusteriam_rancher_node_role.controlplane",
            "rancher-controlplane/controlplane",
        )],
        // The documented policy moves to the inline policy `RancherNodePolicy`.
        1,
    );
    assert!(generated.contains("node_role"), "{generated}");
    assert_eq!(
        (
            role_id(&aws, "rancher-controlplane"),
            instance_profile_id(&aws, "rancher-controlplane"),
        ),
        before,
        "the role and its instance profile are the same objects"
    );
    let attrs = ws.state_attributes("clusteriam_rancher_node_role.controlplane");
    assert_eq!(attrs["node_role"], "controlplane");
    assert_eq!(attrs["instance_profile_name"], "rancher-controlplane");
    // The documented policy is in place (under the provider's name for it).
    let policies = block_on(
        iam.list_role_policies()
            .role_name("rancher-controlplane")
            .send(),
    )
    .unwrap()
    .policy_names;
    assert_eq!(policies, ["RancherNodePolicy"]);
}

/// Seed 002: the KKP policy, `YOUR_ACCOUNT_ID` filled in, attached to the
/// user KKP runs as.
#[test]
fn kkp_account_policy_adopts_a_hand_made_policy_and_attachment() {
    let aws = Emulator::start();
    let iam = aws.iam();
    let document = seed_documents("002")[0].replace("YOUR_ACCOUNT_ID", ACCOUNT);
    let arn = block_on(async {
        iam.create_user()
            .user_name("kubermatic")
            .send()
            .await
            .unwrap();
        let arn = iam
            .create_policy()
            .policy_name("kubermatic")
            .policy_document(document)
            .send()
            .await
            .unwrap()
            .policy
            .unwrap()
            .arn
            .unwrap();
        iam.attach_user_policy()
            .user_name("kubermatic")
            .policy_arn(&arn)
            .send()
            .await
            .unwrap();
        arn
    });
    let before = policy_id(&aws, &arn);

    let (ws, generated) = migrate(&aws, &[("clusteriam_kkp_account_policy.kkp", &arn)], 0);
    assert!(generated.contains("user_name"), "{generated}");
    assert_eq!(
        policy_id(&aws, &arn),
        before,
        "the policy is the same object"
    );
    let attrs = ws.state_attributes("clusteriam_kkp_account_policy.kkp");
    assert_eq!(attrs["user_name"], "kubermatic");
    let attached = block_on(
        iam.list_attached_user_policies()
            .user_name("kubermatic")
            .send(),
    )
    .unwrap()
    .attached_policies
    .unwrap_or_default();
    assert_eq!(attached.len(), 1, "{attached:?}");
    assert_eq!(attached[0].policy_arn.as_deref(), Some(arn.as_str()));
}

/// Seed 003: the cluster's OIDC provider (made without thumbprints, as IAM
/// now allows) and a web-identity role for the agent's service account with
/// the IaC policy attached.
#[test]
fn torque_agent_role_adopts_a_hand_made_irsa_role_and_oidc_provider() {
    let aws = Emulator::start();
    let iam = aws.iam();
    let (provider_arn, iac_policy) = block_on(async {
        let provider_arn = iam
            .create_open_id_connect_provider()
            .url(format!("https://{ISSUER}"))
            .client_id_list("sts.amazonaws.com")
            .send()
            .await
            .unwrap()
            .open_id_connect_provider_arn
            .unwrap();
        let iac_policy = iam
            .create_policy()
            .policy_name("torque-iac")
            .policy_document(r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:*","Resource":"*"}]}"#)
            .send()
            .await
            .unwrap()
            .policy
            .unwrap()
            .arn
            .unwrap();
        (provider_arn, iac_policy)
    });
    let trust = format!(
        r#"{{"Version":"2012-10-17","Statement":[{{"Effect":"Allow","Principal":{{"Federated":"{provider_arn}"}},"Action":"sts:AssumeRoleWithWebIdentity","Condition":{{"StringEquals":{{"{ISSUER}:aud":"sts.amazonaws.com","{ISSUER}:sub":"system:serviceaccount:torque-envs:torque-runner"}}}}}}]}}"#
    );
    block_on(async {
        iam.create_role()
            .role_name("torque-agent")
            .assume_role_policy_document(trust)
            .send()
            .await
            .unwrap();
        iam.attach_role_policy()
            .role_name("torque-agent")
            .policy_arn(&iac_policy)
            .send()
            .await
            .unwrap();
    });
    let before = role_id(&aws, "torque-agent");

    let (ws, generated) = migrate(
        &aws,
        &[
            ("clusteriam_oidc_provider.cluster", &provider_arn),
            ("clusteriam_torque_agent_role.agent", "torque-agent"),
        ],
        0,
    );
    assert!(!generated.contains("thumbprints = []"), "{generated}");
    assert_eq!(
        role_id(&aws, "torque-agent"),
        before,
        "the role is the same object"
    );
    let attrs = ws.state_attributes("clusteriam_torque_agent_role.agent");
    assert_eq!(attrs["namespace"], "torque-envs");
    assert_eq!(attrs["service_account"], "torque-runner");
    assert_eq!(attrs["oidc_provider_arn"], provider_arn.as_str());
    assert_eq!(attrs["policy_arns"], serde_json::json!([iac_policy]));
    let providers = block_on(iam.list_open_id_connect_providers().send())
        .unwrap()
        .open_id_connect_provider_list
        .unwrap_or_default();
    assert_eq!(providers.len(), 1, "{providers:?}");
    assert_eq!(providers[0].arn.as_deref(), Some(provider_arn.as_str()));
}

/// Seed 004: `AmazonEKSConnectorAgentRole` with the inline
/// `AmazonEKSConnectorAgentPolicy`, made with the documentation's commands.
#[test]
fn eks_connector_agent_role_adopts_the_documented_hand_made_role() {
    let aws = Emulator::start();
    let iam = aws.iam();
    let documents = seed_documents("004");
    let policy = documents
        .iter()
        .find(|d| d.contains("ssmmessages:CreateControlChannel"))
        .expect("the agent policy in seed 004");
    block_on(async {
        iam.create_role()
            .role_name("AmazonEKSConnectorAgentRole")
            .assume_role_policy_document(
                r#"{"Version":"2012-10-17","Statement":[{"Sid":"SSMAccess","Effect":"Allow","Principal":{"Service":["ssm.amazonaws.com"]},"Action":"sts:AssumeRole"}]}"#,
            )
            .send()
            .await
            .unwrap();
        iam.put_role_policy()
            .role_name("AmazonEKSConnectorAgentRole")
            .policy_name("AmazonEKSConnectorAgentPolicy")
            .policy_document(policy)
            .send()
            .await
            .unwrap();
    });
    let before = role_id(&aws, "AmazonEKSConnectorAgentRole");

    let (ws, _) = migrate(
        &aws,
        &[(
            "clusteriam_eks_connector_agent_role.agent",
            "AmazonEKSConnectorAgentRole",
        )],
        // The documentation's `["ssm.amazonaws.com"]` is the same trust.
        0,
    );
    assert_eq!(
        role_id(&aws, "AmazonEKSConnectorAgentRole"),
        before,
        "the role is the same object"
    );
    let attrs = ws.state_attributes("clusteriam_eks_connector_agent_role.agent");
    assert_eq!(attrs["policy_name"], "AmazonEKSConnectorAgentPolicy");
}

/// Rancher Prime PAYG: the billing adapter's role as `eksctl create
/// iamserviceaccount --role-only --attach-policy-arn ...` makes it (its
/// trust, the AWS-managed policy, the tags eksctl's stack sets).
#[test]
fn rancher_billing_adapter_role_adopts_the_role_eksctl_made() {
    let aws = Emulator::start();
    let iam = aws.iam();
    let provider_arn = block_on(
        iam.create_open_id_connect_provider()
            .url(format!("https://{ISSUER}"))
            .client_id_list("sts.amazonaws.com")
            .send(),
    )
    .unwrap()
    .open_id_connect_provider_arn
    .unwrap();
    let trust = format!(
        r#"{{"Version":"2012-10-17","Statement":[{{"Effect":"Allow","Principal":{{"Federated":"{provider_arn}"}},"Action":"sts:AssumeRoleWithWebIdentity","Condition":{{"StringEquals":{{"{ISSUER}:aud":"sts.amazonaws.com","{ISSUER}:sub":"system:serviceaccount:cattle-csp-billing-adapter-system:rancher-csp-billing-adapter"}}}}}}]}}"#
    );
    block_on(async {
        iam.create_role()
            .role_name("rancher-csp-iam-role")
            .assume_role_policy_document(trust)
            .tags(common::iam_tag(
                "alpha.eksctl.io/cluster-name",
                "rancher-prime",
            ))
            .tags(common::iam_tag(
                "alpha.eksctl.io/iamserviceaccount-name",
                "cattle-csp-billing-adapter-system/rancher-csp-billing-adapter",
            ))
            .send()
            .await
            .unwrap();
        iam.attach_role_policy()
            .role_name("rancher-csp-iam-role")
            .policy_arn("arn:aws:iam::aws:policy/AWSMarketplaceMeteringFullAccess")
            .send()
            .await
            .unwrap();
    });
    let before = role_id(&aws, "rancher-csp-iam-role");

    let (ws, generated) = migrate(
        &aws,
        &[(
            "clusteriam_rancher_billing_adapter_role.billing",
            "rancher-csp-iam-role",
        )],
        0,
    );
    assert!(
        generated.contains("alpha.eksctl.io/cluster-name"),
        "{generated}"
    );
    assert_eq!(role_id(&aws, "rancher-csp-iam-role"), before);
    let attrs = ws.state_attributes("clusteriam_rancher_billing_adapter_role.billing");
    assert_eq!(attrs["oidc_provider_arn"], provider_arn.as_str());
    assert_eq!(
        attrs["helm_values"]["global.aws.roleName"],
        "rancher-csp-iam-role"
    );
}

/// Torque Option B: a target role with the page's trust (the master role's
/// ARN, no external id) and the policy Terraform needs there, attached.
#[test]
fn torque_target_role_adopts_a_hand_made_target_role() {
    let aws = Emulator::start();
    let iam = aws.iam();
    let page_trust = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::111111111111:role/My_AWS_ROLE"},"Action":"sts:AssumeRole"}]}"#;
    block_on(async {
        iam.create_role()
            .role_name("My_AWS_ROLE")
            .assume_role_policy_document(page_trust)
            .send()
            .await
            .unwrap();
        iam.attach_role_policy()
            .role_name("My_AWS_ROLE")
            .policy_arn("arn:aws:iam::aws:policy/PowerUserAccess")
            .send()
            .await
            .unwrap();
    });
    let before = role_id(&aws, "My_AWS_ROLE");
    let (ws, generated) = migrate(
        &aws,
        &[("clusteriam_torque_target_role.target", "My_AWS_ROLE")],
        0,
    );
    assert!(generated.contains("master_role_arn"), "{generated}");
    assert_eq!(role_id(&aws, "My_AWS_ROLE"), before);
    let attrs = ws.state_attributes("clusteriam_torque_target_role.target");
    assert_eq!(
        attrs["master_role_arn"],
        "arn:aws:iam::111111111111:role/My_AWS_ROLE"
    );
    assert_eq!(attrs["external_id"], serde_json::Value::Null);
    assert_eq!(
        attrs["policy_arns"],
        serde_json::json!(["arn:aws:iam::aws:policy/PowerUserAccess"])
    );
}

/// KKP AssumeRole: role R trusting KKP's user in account A with an external
/// id, holding the KKP 2.22 policy inline under its author's name.
#[test]
fn kkp_assume_role_adopts_a_hand_made_role() {
    let aws = Emulator::start();
    let iam = aws.iam();
    let trust = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::111111111111:user/kubermatic"},"Action":"sts:AssumeRole","Condition":{"StringEquals":{"sts:ExternalId":"kkp-external-7"}}}]}"#;
    let policy = seed_documents("002")[0].replace("YOUR_ACCOUNT_ID", ACCOUNT);
    block_on(async {
        iam.create_role()
            .role_name("kkp-r")
            .assume_role_policy_document(trust)
            .send()
            .await
            .unwrap();
        iam.put_role_policy()
            .role_name("kkp-r")
            .policy_name("kubermatic-permissions")
            .policy_document(policy)
            .send()
            .await
            .unwrap();
    });
    let before = role_id(&aws, "kkp-r");
    // Terraform generates a sensitive value as `null # sensitive`: the user
    // fills it in, or the apply would drop the external id from the trust.
    let (ws, generated) = migrate_with(
        &aws,
        &[("clusteriam_kkp_assume_role.kkp", "kkp-r")],
        // The policy moves to the inline policy `KubermaticKKPPolicy`.
        1,
        |generated| {
            let sensitive = |line: &str| {
                line.trim_start().starts_with("external_id ") && line.ends_with("null # sensitive")
            };
            assert!(generated.lines().any(sensitive), "{generated}");
            generated
                .lines()
                .map(|line| match sensitive(line) {
                    true => "  external_id = \"kkp-external-7\"",
                    false => line,
                })
                .collect::<Vec<_>>()
                .join("\n")
        },
    );
    assert!(generated.contains("kkp_version"), "{generated}");
    assert_eq!(role_id(&aws, "kkp-r"), before);
    let attrs = ws.state_attributes("clusteriam_kkp_assume_role.kkp");
    assert_eq!(attrs["kkp_version"], "2.22");
    assert_eq!(attrs["external_id"], "kkp-external-7");
    let policies = block_on(iam.list_role_policies().role_name("kkp-r").send())
        .unwrap()
        .policy_names;
    assert_eq!(policies, ["KubermaticKKPPolicy"]);
}

/// Seed 003 as Torque's page makes the role, in the AWS console: web
/// identity, the cluster's provider, audience `sts.amazonaws.com`, and no
/// condition on the service account (the console asks for none). The
/// import succeeds, and the plan with the configuration's `namespace` and
/// `service_account` updates the trust in place to name that service
/// account, as least privilege wants (issue 26, item 5).
#[test]
fn torque_agent_role_adopts_a_console_made_role_and_plans_its_subject() {
    let aws = Emulator::start();
    let iam = aws.iam();
    let provider_arn = block_on(
        iam.create_open_id_connect_provider()
            .url(format!("https://{ISSUER}"))
            .client_id_list("sts.amazonaws.com")
            .send(),
    )
    .unwrap()
    .open_id_connect_provider_arn
    .unwrap();
    let console_trust = format!(
        r#"{{"Version":"2012-10-17","Statement":[{{"Effect":"Allow","Principal":{{"Federated":"{provider_arn}"}},"Action":"sts:AssumeRoleWithWebIdentity","Condition":{{"StringEquals":{{"{ISSUER}:aud":"sts.amazonaws.com"}}}}}}]}}"#
    );
    block_on(
        iam.create_role()
            .role_name("torque-agent")
            .assume_role_policy_document(console_trust)
            .send(),
    )
    .unwrap();
    let before = role_id(&aws, "torque-agent");

    let ws = Workspace::new();
    ws.write(&format!(
        r#"{}
resource "clusteriam_oidc_provider" "cluster" {{
  url = "https://{ISSUER}"
}}

resource "clusteriam_torque_agent_role" "agent" {{
  name              = "torque-agent"
  oidc_provider_arn = clusteriam_oidc_provider.cluster.arn
  namespace         = "torque-envs"
  service_account   = "torque-runner"
}}
"#,
        aws.provider_block()
    ));
    ws.import("clusteriam_oidc_provider.cluster", &provider_arn)
        .assert_ok();
    ws.import("clusteriam_torque_agent_role.agent", "torque-agent")
        .assert_ok();
    let plan = ws.assert_changes(&[
        "clusteriam_torque_agent_role.agent will be updated in-place",
        "system:serviceaccount:torque-envs:torque-runner",
    ]);
    assert!(
        plan.mentions("0 to add, 1 to change, 0 to destroy"),
        "{}",
        plan.output()
    );
    ws.apply().assert_ok();
    ws.assert_no_changes();
    assert_eq!(role_id(&aws, "torque-agent"), before, "the same role");
    let trust = block_on(iam.get_role().role_name("torque-agent").send())
        .unwrap()
        .role
        .unwrap()
        .assume_role_policy_document
        .unwrap();
    assert_eq!(
        web_identity_subject(&from_iam(&trust)),
        Some(("torque-envs".to_string(), "torque-runner".to_string()))
    );
}

/// Seed 000: the cluster's OIDC provider made as AWS's guide says, and the
/// CSP adapter's role with the page's trust and its policy inline under a
/// name the person chose.
#[test]
fn rancher_csp_adapter_role_adopts_a_hand_made_role() {
    let aws = Emulator::start();
    let iam = aws.iam();
    let documents = seed_documents("000");
    let trust = documents
        .iter()
        .find(|d| d.contains("AssumeRoleWithWebIdentity"))
        .expect("the trust in seed 000")
        .replace("${MY_AWS_ACC}", ACCOUNT)
        .replace("${MY_AWS_REGION}", "us-east-1")
        .replace("${MY_OIDC_PROVIDER}", "EXAMPLED539D4633E53DE1B71EXAMPLE");
    let policy = documents
        .iter()
        .find(|d| d.contains("license-manager:CheckoutLicense"))
        .expect("the policy in seed 000");
    let provider_arn = block_on(async {
        let arn = iam
            .create_open_id_connect_provider()
            .url(format!("https://{ISSUER}"))
            .client_id_list("sts.amazonaws.com")
            .send()
            .await
            .unwrap()
            .open_id_connect_provider_arn
            .unwrap();
        iam.create_role()
            .role_name("rancher-csp-adapter")
            .assume_role_policy_document(trust)
            .send()
            .await
            .unwrap();
        iam.put_role_policy()
            .role_name("rancher-csp-adapter")
            .policy_name("csp-adapter-license-manager")
            .policy_document(policy)
            .send()
            .await
            .unwrap();
        arn
    });
    let before = role_id(&aws, "rancher-csp-adapter");
    let (ws, _) = migrate(
        &aws,
        &[
            ("clusteriam_oidc_provider.cluster", &provider_arn),
            (
                "clusteriam_rancher_csp_adapter_role.csp",
                "rancher-csp-adapter",
            ),
        ],
        // The policy moves to the resource's own inline policy name.
        1,
    );
    assert_eq!(role_id(&aws, "rancher-csp-adapter"), before);
    let attrs = ws.state_attributes("clusteriam_rancher_csp_adapter_role.csp");
    assert_eq!(attrs["oidc_provider_arn"], provider_arn.as_str());
}

/// Seed 001's tags, put by hand with `aws ec2 create-tags` on a node, the
/// subnet and the one security group, and seed 002's "Enable DNS
/// hostnames", turned on by hand: both imported as they are.
#[test]
fn cluster_tags_and_vpc_dns_hostnames_adopt_what_was_set_by_hand() {
    let aws = Emulator::start();
    let (subnet, group, instance) = common::scenarios::rancher_network(&aws);
    let vpc = common::scenarios::kkp_prerequisites(&aws);
    let ec2 = aws.ec2();
    block_on(async {
        ec2.create_tags()
            .resources(&instance)
            .resources(&subnet)
            .resources(&group)
            .tags(
                aws_sdk_ec2::types::Tag::builder()
                    .key("kubernetes.io/cluster/prod")
                    .value("owned")
                    .build(),
            )
            .send()
            .await
            .unwrap();
        ec2.modify_vpc_attribute()
            .vpc_id(&vpc)
            .enable_dns_hostnames(
                aws_sdk_ec2::types::AttributeBooleanValue::builder()
                    .value(true)
                    .build(),
            )
            .send()
            .await
            .unwrap();
    });
    let (ws, generated) = migrate(
        &aws,
        &[
            ("clusteriam_cluster_tags.prod", "prod"),
            ("clusteriam_vpc_dns_hostnames.kkp", &vpc),
        ],
        0,
    );
    assert!(generated.contains(&instance), "{generated}");
    let attrs = ws.state_attributes("clusteriam_cluster_tags.prod");
    assert_eq!(attrs["security_group_id"], group.as_str());
    assert_eq!(attrs["subnet_ids"], serde_json::json!([subnet]));
}

/// Seed 004's service-linked role, made with the page's
/// `aws iam create-service-linked-role`: imported, it is adopted (nothing
/// says a clusteriam configuration made it), and destroy leaves it.
#[test]
fn eks_connector_service_linked_role_adopts_the_one_made_by_hand() {
    let aws = Emulator::start();
    let name = block_on(
        aws.iam()
            .create_service_linked_role()
            .aws_service_name("eks-connector.amazonaws.com")
            .send(),
    )
    .unwrap()
    .role
    .unwrap()
    .role_name;
    let before = role_id(&aws, &name);
    let (ws, _) = migrate(
        &aws,
        &[("clusteriam_eks_connector_service_linked_role.this", &name)],
        0,
    );
    let attrs = ws.state_attributes("clusteriam_eks_connector_service_linked_role.this");
    assert_eq!(attrs["adopted"], true);
    ws.destroy().assert_ok();
    assert_eq!(role_id(&aws, &name), before, "left in place");
}
