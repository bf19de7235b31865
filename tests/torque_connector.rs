//! Acceptance: `clusteriam_torque_agent_role` (seed 003) and the EKS
//! Connector roles (seed 004) against the emulator.

use crate::common;

use std::collections::BTreeSet;

use common::{ACCOUNT, Emulator, Workspace, block_on, seed_documents};
use terraform_provider_clusteriam::policy::{equivalent, equivalent_ignoring_sids, from_iam};

const ISSUER: &str = "oidc.eks.us-east-1.amazonaws.com/id/EXAMPLED539D4633E53DE1B71EXAMPLE";

fn oidc_provider(aws: &Emulator) -> String {
    block_on(
        aws.iam()
            .create_open_id_connect_provider()
            .url(format!("https://{ISSUER}"))
            .client_id_list("sts.amazonaws.com")
            .thumbprint_list("9e99a48a9960b14926bb7f3b02e22da2b0ab7280")
            .send(),
    )
    .unwrap()
    .open_id_connect_provider_arn
    .unwrap()
}

fn managed_policy(aws: &Emulator, name: &str) -> String {
    block_on(
        aws.iam()
            .create_policy()
            .policy_name(name)
            .policy_document(r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:*","Resource":"*"}]}"#)
            .send(),
    )
    .unwrap()
    .policy
    .unwrap()
    .arn
    .unwrap()
}

fn trust(aws: &Emulator, role: &str) -> String {
    let out = block_on(aws.iam().get_role().role_name(role).send()).unwrap();
    from_iam(
        out.role
            .unwrap()
            .assume_role_policy_document
            .as_deref()
            .unwrap(),
    )
}

fn attached(aws: &Emulator, role: &str) -> BTreeSet<String> {
    let out = block_on(
        aws.iam()
            .list_attached_role_policies()
            .role_name(role)
            .send(),
    )
    .unwrap();
    out.attached_policies
        .unwrap_or_default()
        .into_iter()
        .filter_map(|p| p.policy_arn)
        .collect()
}

fn inline(aws: &Emulator, role: &str, policy: &str) -> Option<String> {
    block_on(
        aws.iam()
            .get_role_policy()
            .role_name(role)
            .policy_name(policy)
            .send(),
    )
    .ok()
    .map(|o| from_iam(&o.policy_document))
}

fn role_exists(aws: &Emulator, role: &str) -> bool {
    block_on(aws.iam().get_role().role_name(role).send()).is_ok()
}

fn torque(aws: &Emulator, provider_arn: &str, policy_arns: &[&str], with_inline: bool) -> String {
    let arns: Vec<String> = policy_arns.iter().map(|a| format!("\"{a}\"")).collect();
    let inline = if with_inline {
        r#"policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Action = ["ec2:Describe*"], Resource = "*" }]
  })"#
    } else {
        ""
    };
    format!(
        r#"{}
resource "clusteriam_torque_agent_role" "this" {{
  name              = "torque-agent"
  oidc_provider_arn = "{provider_arn}"
  namespace         = "torque-envs"
  service_account   = "torque-runner"
  policy_arns       = [{}]
  {inline}
}}
output "manifest" {{ value = clusteriam_torque_agent_role.this.service_account_manifest }}
output "annotations" {{ value = clusteriam_torque_agent_role.this.service_account_annotations }}
"#,
        aws.provider_block(),
        arns.join(", ")
    )
}

#[test]
fn torque_agent_role_basic() {
    let aws = Emulator::start();
    let provider = oidc_provider(&aws);
    let s3 = managed_policy(&aws, "torque-s3");
    let ws = Workspace::new();
    ws.write(&torque(&aws, &provider, &[&s3], true));
    ws.apply().assert_ok();

    let doc: serde_json::Value = serde_json::from_str(&trust(&aws, "torque-agent")).unwrap();
    let statement = match &doc["Statement"] {
        serde_json::Value::Array(s) => s[0].clone(),
        s => s.clone(),
    };
    assert_eq!(statement["Action"], "sts:AssumeRoleWithWebIdentity");
    assert_eq!(statement["Principal"]["Federated"], provider);
    let cond = &statement["Condition"]["StringEquals"];
    assert_eq!(
        cond[format!("{ISSUER}:sub")],
        "system:serviceaccount:torque-envs:torque-runner"
    );
    assert_eq!(cond[format!("{ISSUER}:aud")], "sts.amazonaws.com");
    assert!(
        !doc.to_string().contains('*'),
        "a web-identity trust never has a wildcard: {doc}"
    );

    assert_eq!(attached(&aws, "torque-agent"), BTreeSet::from([s3.clone()]));
    let policy = inline(&aws, "torque-agent", "TorqueAgentPolicy").expect("the inline policy");
    assert!(equivalent(
        &policy,
        r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"ec2:Describe*","Resource":"*"}]}"#
    ));

    let arn = format!("arn:aws:iam::{ACCOUNT}:role/torque-agent");
    assert_eq!(
        ws.output("manifest"),
        format!(
            "apiVersion: v1\nkind: ServiceAccount\nmetadata:\n  annotations:\n    eks.amazonaws.com/role-arn: \"{arn}\"\n  name: \"torque-runner\"\n  namespace: \"torque-envs\"\n"
        )
        .as_str()
    );
    assert_eq!(
        ws.output("annotations")["eks.amazonaws.com/role-arn"],
        arn.as_str()
    );
    ws.assert_no_changes();

    // Exactly the configured attachments: swapping one detaches the other.
    let ec2 = managed_policy(&aws, "torque-ec2");
    ws.write(&torque(&aws, &provider, &[&ec2], false));
    ws.assert_changes(&["update in-place"]);
    ws.apply().assert_ok();
    assert_eq!(attached(&aws, "torque-agent"), BTreeSet::from([ec2]));
    assert_eq!(
        inline(&aws, "torque-agent", "TorqueAgentPolicy"),
        None,
        "the removed inline policy is gone"
    );
    ws.assert_no_changes();

    ws.destroy().assert_ok();
    assert!(!role_exists(&aws, "torque-agent"));
}

#[test]
fn torque_agent_role_drift_and_import() {
    let aws = Emulator::start();
    let provider = oidc_provider(&aws);
    let s3 = managed_policy(&aws, "torque-s3");
    let other = managed_policy(&aws, "someone-elses");
    let ws = Workspace::new();
    ws.write(&torque(&aws, &provider, &[&s3], true));
    ws.apply().assert_ok();

    let iam = aws.iam();
    let wildcard = trust(&aws, "torque-agent").replace(
        "system:serviceaccount:torque-envs:torque-runner",
        "system:serviceaccount:torque-envs:*",
    );
    block_on(async {
        iam.detach_role_policy()
            .role_name("torque-agent")
            .policy_arn(&s3)
            .send()
            .await
            .unwrap();
        iam.attach_role_policy()
            .role_name("torque-agent")
            .policy_arn(&other)
            .send()
            .await
            .unwrap();
        iam.delete_role_policy()
            .role_name("torque-agent")
            .policy_name("TorqueAgentPolicy")
            .send()
            .await
            .unwrap();
        iam.update_assume_role_policy()
            .role_name("torque-agent")
            .policy_document(wildcard)
            .send()
            .await
            .unwrap();
    });
    ws.assert_changes(&["~ policy_arns", "~ assume_role_policy", "+ policy"]);
    ws.apply().assert_ok();
    assert_eq!(attached(&aws, "torque-agent"), BTreeSet::from([s3.clone()]));
    assert!(inline(&aws, "torque-agent", "TorqueAgentPolicy").is_some());
    assert!(!trust(&aws, "torque-agent").contains('*'));
    ws.assert_no_changes();

    ws.run(&["state", "rm", "clusteriam_torque_agent_role.this"])
        .assert_ok();
    ws.import("clusteriam_torque_agent_role.this", "torque-agent")
        .assert_ok();
    ws.assert_no_changes();
}

#[test]
fn torque_agent_role_rejects_bad_input_before_creating_anything() {
    let aws = Emulator::start();
    let provider = oidc_provider(&aws);
    let ws = Workspace::new();
    let good = torque(&aws, &provider, &[], false);
    let cases: Vec<(String, &[&str])> = vec![
        (
            good.replace("\"torque-envs\"", "\"Torque_Envs\""),
            &["Invalid `namespace`", "Kubernetes namespace name"],
        ),
        (
            good.replace("\"torque-runner\"", "\"Runner SA\""),
            &["Invalid `service_account`"],
        ),
        (
            good.replace(
                "policy_arns       = []",
                "policy_arns = [\"arn:aws:iam::123456789012:role/x\"]",
            ),
            &["Invalid `policy_arns`", "managed IAM policy"],
        ),
        (
            good.replace("policy_arns       = []", "policy = \"{not json\""),
            &["Invalid `policy`", "the policy is not valid JSON"],
        ),
        (
            good.replace(&provider, "arn:aws:iam::123456789012:oidc-provider/"),
            &["Invalid `oidc_provider_arn`"],
        ),
    ];
    for (hcl, needles) in cases {
        ws.write(&hcl);
        ws.validate().assert_error(needles);
        ws.apply().assert_error(needles);
    }
    assert!(!role_exists(&aws, "torque-agent"));
}

#[test]
fn eks_connector_agent_role_is_the_documented_role() {
    let aws = Emulator::start();
    let ws = Workspace::new();
    ws.write(&format!(
        "{}\nresource \"clusteriam_eks_connector_agent_role\" \"this\" {{}}\n",
        aws.provider_block()
    ));
    ws.apply().assert_ok();
    let seed = seed_documents("004");
    // Today's trust: seed 004's without its `Sid`.
    let trust_now = trust(&aws, "AmazonEKSConnectorAgentRole");
    assert!(
        equivalent_ignoring_sids(&trust_now, &seed[0]) && !trust_now.contains("Sid"),
        "trust differs from today's page: {trust_now}"
    );
    let policy = inline(
        &aws,
        "AmazonEKSConnectorAgentRole",
        "AmazonEKSConnectorAgentPolicy",
    )
    .expect("the documented inline policy");
    assert!(
        equivalent(&policy, &seed[1]),
        "policy differs from seed 004: {policy}"
    );
    ws.assert_no_changes();

    ws.run(&["state", "rm", "clusteriam_eks_connector_agent_role.this"])
        .assert_ok();
    ws.import(
        "clusteriam_eks_connector_agent_role.this",
        "AmazonEKSConnectorAgentRole",
    )
    .assert_ok();
    ws.assert_no_changes();
    ws.destroy().assert_ok();
    assert!(!role_exists(&aws, "AmazonEKSConnectorAgentRole"));
}

fn service_linked_roles(aws: &Emulator) -> Vec<String> {
    let out = block_on(
        aws.iam()
            .list_roles()
            .path_prefix("/aws-service-role/eks-connector.amazonaws.com/")
            .send(),
    )
    .unwrap();
    out.roles.into_iter().map(|r| r.role_name).collect()
}

const SLR: &str = "resource \"clusteriam_eks_connector_service_linked_role\" \"this\" {}\noutput \"adopted\" { value = clusteriam_eks_connector_service_linked_role.this.adopted }\noutput \"name\" { value = clusteriam_eks_connector_service_linked_role.this.name }\n";

#[test]
fn eks_connector_service_linked_role_created_and_deleted() {
    let aws = Emulator::start();
    let ws = Workspace::new();
    ws.write(&format!("{}\n{SLR}", aws.provider_block()));
    ws.apply().assert_ok();
    assert_eq!(ws.output("adopted"), false);
    let name = ws.output("name");
    assert_eq!(
        service_linked_roles(&aws),
        vec![name.as_str().unwrap().to_string()]
    );
    ws.assert_no_changes();

    ws.run(&[
        "state",
        "rm",
        "clusteriam_eks_connector_service_linked_role.this",
    ])
    .assert_ok();
    // `,owned`: this configuration made it (its tags could not prove that).
    ws.import(
        "clusteriam_eks_connector_service_linked_role.this",
        &format!("{},owned", name.as_str().unwrap()),
    )
    .assert_ok();
    assert_eq!(ws.output("adopted"), false);
    ws.assert_no_changes();

    ws.destroy().assert_ok();
    assert!(
        service_linked_roles(&aws).is_empty(),
        "destroy deletes a role it created"
    );
}

#[test]
fn eks_connector_service_linked_role_adopts_and_keeps_an_existing_one() {
    let aws = Emulator::start();
    block_on(
        aws.iam()
            .create_service_linked_role()
            .aws_service_name("eks-connector.amazonaws.com")
            .send(),
    )
    .unwrap();
    let before = service_linked_roles(&aws);
    let ws = Workspace::new();
    ws.write(&format!("{}\n{SLR}", aws.provider_block()));
    ws.apply().assert_ok();
    assert_eq!(ws.output("adopted"), true);
    assert_eq!(ws.output("name"), before[0].as_str());
    ws.assert_no_changes();
    let run = ws.destroy();
    run.assert_ok();
    assert!(run.output().contains("left in place"), "{}", run.output());
    assert_eq!(
        service_linked_roles(&aws),
        before,
        "an adopted role survives destroy"
    );
}

/// A policy rewritten in an equivalent form (a single action as a string
/// instead of a one-item list, statements reordered) plans nothing.
#[test]
fn torque_agent_role_equivalent_policy_plans_no_change() {
    let aws = Emulator::start();
    let provider_arn = oidc_provider(&aws);
    let ws = Workspace::new();
    let config = |policy: &str| {
        torque(&aws, &provider_arn, &[], true).replace(
            r#"Statement = [{ Effect = "Allow", Action = ["ec2:Describe*"], Resource = "*" }]"#,
            policy,
        )
    };
    ws.write(&config(
        r#"Statement = [{ Effect = "Allow", Action = ["s3:GetObject"], Resource = "*" }, { Effect = "Allow", Action = "ec2:DescribeInstances", Resource = ["*"] }]"#,
    ));
    ws.apply().assert_ok();
    ws.write(&config(
        r#"Statement = [{ Effect = "Allow", Action = ["ec2:DescribeInstances"], Resource = "*" }, { Effect = "Allow", Action = "s3:GetObject", Resource = "*" }]"#,
    ));
    ws.assert_no_changes();
    // A real change still shows.
    ws.write(&config(
        r#"Statement = [{ Effect = "Allow", Action = "s3:PutObject", Resource = "*" }]"#,
    ));
    ws.assert_changes(&["update in-place", "s3:PutObject"]);
}

/// Without managed policies, `policy_arns = []` and leaving it out mean the
/// same (none attached): neither plans a change, also right after an import,
/// which cannot tell them apart, nor after upgrading a state written before
/// the attribute had a default (schema version 0, where it was null).
#[test]
fn torque_agent_role_without_managed_policies_plans_no_change_either_way() {
    const ROLE: &str = "clusteriam_torque_agent_role.this";
    let aws = Emulator::start();
    let provider = oidc_provider(&aws);
    let ws = Workspace::new();
    let empty = torque(&aws, &provider, &[], false);
    let unset = empty.replace("  policy_arns       = []\n", "");
    assert_ne!(empty, unset, "the configuration changed shape");
    ws.write(&empty);
    ws.apply().assert_ok();
    for config in [&unset, &empty, &unset] {
        ws.write(config);
        ws.assert_no_changes();
        ws.run(&["state", "rm", ROLE]).assert_ok();
        ws.import(ROLE, "torque-agent").assert_ok();
        ws.assert_no_changes();
    }

    // Unset still means none: a policy attached behind Terraform's back is
    // detached.
    let other = managed_policy(&aws, "someone-elses");
    block_on(
        aws.iam()
            .attach_role_policy()
            .role_name("torque-agent")
            .policy_arn(&other)
            .send(),
    )
    .unwrap();
    ws.assert_changes(&["~ policy_arns"]);
    ws.apply().assert_ok();
    assert!(attached(&aws, "torque-agent").is_empty());
    ws.assert_no_changes();

    let path = ws.path().join("terraform.tfstate");
    let mut state: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
    let instance = &mut state["resources"][0]["instances"][0];
    assert_eq!(instance["schema_version"], 1);
    instance["schema_version"] = 0.into();
    instance["attributes"]["policy_arns"] = serde_json::Value::Null;
    std::fs::write(&path, serde_json::to_string_pretty(&state).unwrap()).unwrap();
    ws.assert_no_changes();
}

/// Seed 004's trust has `"Sid": "SSMAccess"`, which today's EKS user guide
/// leaves out. A role that holds the older trust (made by an earlier version
/// of this provider, or by hand), and a state that stores it, mean the same
/// and plan no change; a change that matters still shows.
#[test]
fn eks_connector_agent_role_with_the_older_trust_plans_no_change() {
    const ADDRESS: &str = "clusteriam_eks_connector_agent_role.this";
    let aws = Emulator::start();
    let ws = Workspace::new();
    ws.write(&format!(
        "{}\nresource \"clusteriam_eks_connector_agent_role\" \"this\" {{}}\n",
        aws.provider_block()
    ));
    ws.apply().assert_ok();
    let older = &seed_documents("004")[0];
    assert!(older.contains("\"Sid\""));
    let set_trust = |document: &str| {
        block_on(
            aws.iam()
                .update_assume_role_policy()
                .role_name("AmazonEKSConnectorAgentRole")
                .policy_document(document)
                .send(),
        )
        .unwrap();
    };
    set_trust(older);
    ws.assert_no_changes();

    // The state an earlier version wrote: the older text stored.
    let path = ws.path().join("terraform.tfstate");
    let mut state: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
    let canonical = terraform_provider_clusteriam::policy::canonical_json(older).unwrap();
    state["resources"][0]["instances"][0]["attributes"]["assume_role_policy"] =
        canonical.clone().into();
    std::fs::write(&path, serde_json::to_string_pretty(&state).unwrap()).unwrap();
    ws.assert_no_changes();
    assert_eq!(
        ws.state_attributes(ADDRESS)["assume_role_policy"],
        canonical.as_str()
    );

    // Another service is a real change.
    set_trust(&older.replace("ssm.amazonaws.com", "ec2.amazonaws.com"));
    ws.assert_changes(&["~ assume_role_policy"]);
    ws.apply().assert_ok();
    let repaired = trust(&aws, "AmazonEKSConnectorAgentRole");
    assert!(equivalent_ignoring_sids(&repaired, older), "{repaired}");
    ws.assert_no_changes();
    ws.destroy().assert_ok();
}
