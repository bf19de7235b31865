//! Acceptance: `clusteriam_rancher_billing_adapter_role` (Rancher Prime
//! pay-as-you-go from the AWS Marketplace, `shared/seeds/beyond/`) against
//! the emulator, which knows AWS's managed policies
//! (`MOTO_IAM_LOAD_MANAGED_POLICIES`, set by tests/common). Create, the
//! empty plan after, drift repaired, import, replacement, destroy, bad input
//! at plan. The role eksctl makes is adopted in tests/migration.rs.

use crate::common;

use std::collections::BTreeSet;

use common::{ACCOUNT, Emulator, Workspace, block_on};
use terraform_provider_clusteriam::policy::{equivalent, from_iam};

const ISSUER: &str = "oidc.eks.us-east-1.amazonaws.com/id/B1LL1NGADAPTER0000000000000000AB";
const METERING: &str = "arn:aws:iam::aws:policy/AWSMarketplaceMeteringFullAccess";

fn oidc_provider(aws: &Emulator) -> String {
    block_on(
        aws.iam()
            .create_open_id_connect_provider()
            .url(format!("https://{ISSUER}"))
            .client_id_list("sts.amazonaws.com")
            .send(),
    )
    .unwrap()
    .open_id_connect_provider_arn
    .unwrap()
}

fn attached(aws: &Emulator, role: &str) -> BTreeSet<String> {
    block_on(
        aws.iam()
            .list_attached_role_policies()
            .role_name(role)
            .send(),
    )
    .unwrap()
    .attached_policies
    .unwrap_or_default()
    .into_iter()
    .filter_map(|p| p.policy_arn)
    .collect()
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

fn roles(aws: &Emulator) -> Vec<String> {
    block_on(aws.iam().list_roles().send())
        .unwrap()
        .roles
        .into_iter()
        .map(|r| r.role_name)
        .collect()
}

/// What `eksctl create iamserviceaccount` writes for the billing adapter.
fn eksctl_trust(provider_arn: &str) -> String {
    format!(
        r#"{{"Version":"2012-10-17","Statement":[{{"Effect":"Allow","Principal":{{"Federated":"{provider_arn}"}},"Action":"sts:AssumeRoleWithWebIdentity","Condition":{{"StringEquals":{{"{ISSUER}:aud":"sts.amazonaws.com","{ISSUER}:sub":"system:serviceaccount:cattle-csp-billing-adapter-system:rancher-csp-billing-adapter"}}}}}}]}}"#
    )
}

fn billing(aws: &Emulator, provider_arn: &str, name: &str) -> String {
    format!(
        r#"{}
resource "clusteriam_rancher_billing_adapter_role" "this" {{
  name              = "{name}"
  oidc_provider_arn = "{provider_arn}"
}}
output "helm_values" {{ value = clusteriam_rancher_billing_adapter_role.this.helm_values }}
output "account_id" {{ value = clusteriam_rancher_billing_adapter_role.this.account_id }}
"#,
        aws.provider_block()
    )
}

#[test]
fn rancher_billing_adapter_role_basic() {
    let aws = Emulator::start();
    let provider = oidc_provider(&aws);
    let ws = Workspace::new();
    ws.write(&billing(&aws, &provider, "rancher-csp-iam-role"));
    ws.apply().assert_ok();
    assert!(equivalent(
        &trust(&aws, "rancher-csp-iam-role"),
        &eksctl_trust(&provider)
    ));
    assert_eq!(
        attached(&aws, "rancher-csp-iam-role"),
        BTreeSet::from([METERING.to_string()])
    );
    assert_eq!(
        ws.output("helm_values"),
        serde_json::json!({
            "global.aws.accountNumber": ACCOUNT,
            "global.aws.roleName": "rancher-csp-iam-role",
        })
    );
    assert_eq!(ws.output("account_id"), ACCOUNT);
    ws.assert_no_changes();

    // Drift: the metering policy detached, another attached, the subject
    // widened: all repaired.
    let iam = aws.iam();
    block_on(async {
        iam.detach_role_policy()
            .role_name("rancher-csp-iam-role")
            .policy_arn(METERING)
            .send()
            .await
            .unwrap();
        iam.attach_role_policy()
            .role_name("rancher-csp-iam-role")
            .policy_arn("arn:aws:iam::aws:policy/AdministratorAccess")
            .send()
            .await
            .unwrap();
        iam.update_assume_role_policy()
            .role_name("rancher-csp-iam-role")
            .policy_document(eksctl_trust(&provider).replace(
                "cattle-csp-billing-adapter-system:rancher-csp-billing-adapter",
                "cattle-csp-billing-adapter-system:*",
            ))
            .send()
            .await
            .unwrap();
    });
    ws.assert_changes(&[
        "~ policy_arns",
        "~ assume_role_policy",
        "AdministratorAccess",
    ]);
    ws.apply().assert_ok();
    assert_eq!(
        attached(&aws, "rancher-csp-iam-role"),
        BTreeSet::from([METERING.to_string()])
    );
    assert!(equivalent(
        &trust(&aws, "rancher-csp-iam-role"),
        &eksctl_trust(&provider)
    ));
    ws.assert_no_changes();

    // Another name replaces the role; the chart's values follow.
    ws.write(&billing(&aws, &provider, "rancher-billing"));
    ws.assert_changes(&["must be replaced", "rancher-billing"]);
    ws.apply().assert_ok();
    assert_eq!(roles(&aws), ["rancher-billing"]);
    assert_eq!(
        ws.output("helm_values")["global.aws.roleName"],
        "rancher-billing"
    );
    ws.assert_no_changes();

    ws.destroy().assert_ok();
    assert!(roles(&aws).is_empty());
}

#[test]
fn rancher_billing_adapter_role_import_and_generated_name() {
    const ADDRESS: &str = "clusteriam_rancher_billing_adapter_role.this";
    let aws = Emulator::start();
    let provider = oidc_provider(&aws);
    let ws = Workspace::new();
    // No name: a generated one, which the Helm values carry.
    ws.write(&billing(&aws, &provider, "").replace("  name              = \"\"\n", ""));
    ws.apply().assert_ok();
    let name = ws.output("helm_values")["global.aws.roleName"]
        .as_str()
        .unwrap()
        .to_string();
    assert!(name.starts_with("rancher-billing-adapter-"), "{name}");
    assert_eq!(roles(&aws), std::slice::from_ref(&name));
    ws.assert_no_changes();
    ws.run(&["state", "rm", ADDRESS]).assert_ok();
    ws.import(ADDRESS, &name).assert_ok();
    let state = ws.state_attributes(ADDRESS);
    assert_eq!(state["oidc_provider_arn"], provider.as_str());
    assert_eq!(state["policy_arns"], serde_json::json!([METERING]));
    // Imported, the name is known: the configuration names it.
    ws.write(&billing(&aws, &provider, &name));
    ws.assert_no_changes();
    ws.destroy().assert_ok();
    assert!(roles(&aws).is_empty());
}

#[test]
fn rancher_billing_adapter_role_rejects_bad_input_before_creating_anything() {
    let aws = Emulator::start();
    let provider = oidc_provider(&aws);
    let ws = Workspace::new();
    let good = billing(&aws, &provider, "rancher-csp-iam-role");
    let cases: Vec<(String, &[&str])> = vec![
        (
            good.replace(&provider, "arn:aws:iam::123456789012:role/x"),
            &["Invalid `oidc_provider_arn`", "expected an OIDC provider ARN"],
        ),
        (
            good.replace("rancher-csp-iam-role", "rancher csp"),
            &["Invalid `name`"],
        ),
        (
            good.replace(
                "  name              = \"rancher-csp-iam-role\"\n",
                "  name = \"rancher-csp-iam-role\"\n  policy_arns = [\"arn:aws:iam::aws:policy/AdministratorAccess\"]\n",
            ),
            &["policy_arns"],
        ),
    ];
    for (hcl, needles) in cases {
        ws.write(&hcl);
        ws.validate().assert_error(needles);
        ws.apply().assert_error(needles);
    }
    ws.write(&good.replace(&provider, &provider.replace("arn:aws:", "arn:aws-cn:")));
    ws.plan()
        .assert_error(&["Invalid `oidc_provider_arn`", "partition `aws-cn`"]);
    assert!(roles(&aws).is_empty(), "nothing was created");
}
