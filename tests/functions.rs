//! Provider functions through real Terraform: offline with the provider
//! unconfigured (console and plan), under `mock_provider` in `terraform
//! test`, with errors naming the argument, unknown results for unknown
//! arguments, and the same results as the resources and data sources.

use crate::common;

use std::io::Write;
use std::process::{Command, Stdio};

use common::{ACCOUNT, Emulator, Workspace, block_on, terraform_bin};
use terraform_provider_clusteriam::arn::OidcProviderArn;
use terraform_provider_clusteriam::kubernetes;
use terraform_provider_clusteriam::policy::{presets, published};

const OIDC_ARN: &str = "arn:aws:iam::111122223333:oidc-provider/oidc.eks.eu-central-1.amazonaws.com/id/EXAMPLED539D4633E53DE1B71EXAMPLE";
const ISSUER: &str =
    "https://oidc.eks.eu-central-1.amazonaws.com/id/EXAMPLED539D4633E53DE1B71EXAMPLE";
const ROLE_ARN: &str = "arn:aws:iam::111122223333:role/torque-agent";

pub(crate) const REQUIRED_PROVIDERS: &str = r#"terraform {
  required_providers {
    clusteriam = { source = "clusteriam/clusteriam" }
  }
}
"#;

/// A workspace with no credentials, no region and no endpoint: a provider
/// that needed configuring could not be configured here.
pub(crate) fn offline_workspace() -> Workspace {
    let mut ws = Workspace::new();
    for key in ["AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY"] {
        ws.remove_env(key);
    }
    ws
}

/// Each function called once, by output name, with the value the Rust code
/// the resources and data sources use computes for the same inputs.
fn calls() -> Vec<(&'static str, String, String)> {
    let oidc: OidcProviderArn = OIDC_ARN.parse().unwrap();
    vec![
        (
            "kkp_2_22",
            r#"provider::clusteriam::policy_document("kkp_account", { account_id = "111122223333", kkp_version = "2.22" })"#.to_string(),
            published::KKP_2_22_AND_EARLIER
                .render("aws", "111122223333")
                .to_canonical_json(),
        ),
        (
            "kkp_current",
            r#"provider::clusteriam::policy_document("kkp_account", { account_id = "111122223333" })"#.to_string(),
            published::kkp_account(None)
                .render("aws", "111122223333")
                .to_canonical_json(),
        ),
        (
            "controlplane_out_of_tree",
            r#"provider::clusteriam::policy_document("rancher_controlplane", { cloud_provider = "out-of-tree" })"#.to_string(),
            published::CLOUD_PROVIDER_AWS_CONTROL_PLANE
                .render_in("aws")
                .to_canonical_json(),
        ),
        (
            "node_trust",
            r#"provider::clusteriam::policy_document("rancher_node_trust", {})"#.to_string(),
            presets::ec2_trust().to_canonical_json(),
        ),
        (
            "controlplane_extra_actions",
            r#"provider::clusteriam::policy_document("rancher_controlplane", { cloud_provider = "out-of-tree", extra_controller_actions = "true" })"#.to_string(),
            published::rancher_node_policy(
                published::CloudProvider::OutOfTree,
                published::NodeRole::Controlplane,
                true,
                "aws",
            )
            .to_canonical_json(),
        ),
        (
            "billing_adapter_trust",
            format!(
                r#"provider::clusteriam::policy_document("rancher_billing_adapter_trust", {{ oidc_provider_arn = "{OIDC_ARN}" }})"#
            ),
            presets::rancher_billing_adapter_trust(&oidc).to_canonical_json(),
        ),
        (
            "torque_target_trust",
            format!(
                r#"provider::clusteriam::policy_document("torque_target_trust", {{ master_role_arn = "{ROLE_ARN}", partition = "aws" }})"#
            ),
            presets::cross_account_trust(ROLE_ARN, None).to_canonical_json(),
        ),
        (
            "kkp_assume_role_trust",
            r#"provider::clusteriam::policy_document("kkp_assume_role_trust", { kkp_principal_arn = "arn:aws:iam::111122223333:root", external_id = "kkp-1" })"#.to_string(),
            presets::cross_account_trust("arn:aws:iam::111122223333:root", Some("kkp-1"))
                .to_canonical_json(),
        ),
        (
            "trust",
            format!(r#"provider::clusteriam::irsa_trust("{OIDC_ARN}", "torque-envs", "torque-runner")"#),
            presets::irsa_trust(&oidc, "torque-envs", "torque-runner").to_canonical_json(),
        ),
        (
            "oidc_provider_arn",
            format!(r#"provider::clusteriam::oidc_provider_arn("{ISSUER}", "111122223333", "aws")"#),
            OIDC_ARN.to_string(),
        ),
        (
            "cluster_tag_key",
            r#"provider::clusteriam::cluster_tag_key("prod")"#.to_string(),
            kubernetes::cluster_tag_key("prod"),
        ),
        (
            "manifest",
            format!(
                r#"provider::clusteriam::service_account_manifest("{ROLE_ARN}", "torque-envs", "torque-runner")"#
            ),
            kubernetes::service_account_manifest("torque-envs", "torque-runner", ROLE_ARN),
        ),
    ]
}

/// `terraform console` evaluating `expression`; stdout and success.
pub(crate) fn console(ws: &Workspace, expression: &str) -> (bool, String) {
    let mut cmd = Command::new(terraform_bin());
    cmd.args(["console", "-no-color"])
        .current_dir(ws.path())
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    ws.configure(&mut cmd);
    let mut child = cmd.spawn().expect("terraform console");
    child
        .stdin
        .take()
        .unwrap()
        .write_all(format!("jsonencode({expression})\n").as_bytes())
        .unwrap();
    let out = child.wait_with_output().unwrap();
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    (out.status.success(), text)
}

#[test]
fn functions_evaluate_in_console_and_plan_with_the_provider_unconfigured() {
    let ws = offline_workspace();
    let mut hcl = REQUIRED_PROVIDERS.to_string();
    for (name, call, _) in calls() {
        hcl.push_str(&format!("output \"{name}\" {{\n  value = {call}\n}}\n"));
    }
    ws.write(&hcl);

    for (name, call, expected) in calls() {
        let (ok, out) = console(&ws, &call);
        assert!(ok, "{name}: {out}");
        // jsonencode() gives an unambiguous string to compare; console prints it quoted.
        let printed: String = serde_json::from_str(out.trim()).expect("a quoted string");
        let value: String = serde_json::from_str(&printed).expect("a JSON string");
        assert_eq!(value, expected, "{name} in terraform console");
    }

    let plan = ws.plan();
    assert_eq!(plan.code, 2, "outputs to add:\n{}", plan.output());
    assert!(
        plan.stdout.contains("kubernetes.io/cluster/prod"),
        "{}",
        plan.stdout
    );
    // Outputs only: applying needs no provider configuration either.
    ws.apply().assert_ok();
    for (name, _, expected) in calls() {
        assert_eq!(ws.output(name), expected.as_str(), "{name}");
    }
}

#[test]
fn functions_run_under_mock_provider_in_terraform_test() {
    let ws = offline_workspace();
    ws.copy_example("terraform-test");
    let tests =
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/terraform-test/tests");
    std::fs::create_dir_all(ws.path().join("tests")).unwrap();
    for entry in std::fs::read_dir(&tests).unwrap().map(Result::unwrap) {
        std::fs::copy(
            entry.path(),
            ws.path().join("tests").join(entry.file_name()),
        )
        .unwrap();
    }
    let run = ws.run(&["test", "-no-color"]);
    run.assert_ok();
    assert!(
        run.stdout.contains("Success! 3 passed, 0 failed."),
        "{}",
        run.stdout
    );

    // The assertions see the functions' real results: a wrong expectation fails.
    let test_file = ws.path().join("tests/functions.tftest.hcl");
    let text = std::fs::read_to_string(&test_file).unwrap();
    std::fs::write(
        &test_file,
        text.replace(
            "\"kubernetes.io/cluster/staging\"",
            "\"kubernetes.io/cluster/prod\"",
        ),
    )
    .unwrap();
    let run = ws.run(&["test", "-no-color"]);
    assert_ne!(run.code, 0, "{}", run.output());
    assert!(
        run.mentions("The cluster tag key follows the variable."),
        "{}",
        run.output()
    );
}

#[test]
fn function_errors_name_the_argument_and_unknown_arguments_give_unknown_results() {
    let ws = offline_workspace();
    let cases: &[(&str, &[&str])] = &[
        (
            r#"provider::clusteriam::policy_document("rancher_master", {})"#,
            &[
                "Invalid value for \"preset\" parameter",
                "`preset` must be one of rancher_controlplane,",
                "got `rancher_master`",
            ],
        ),
        (
            r#"provider::clusteriam::policy_document("kkp_account", { account_id = "111122223333", kkp_version = "latest" })"#,
            &[
                "Invalid value for \"params\" parameter",
                "`kkp_version` must be a KKP version",
            ],
        ),
        (
            r#"provider::clusteriam::irsa_trust("arn:aws:iam::111122223333:role/x", "ns", "sa")"#,
            &[
                "Invalid value for \"oidc_provider_arn\" parameter",
                "expected an OIDC provider ARN",
            ],
        ),
        (
            &format!(r#"provider::clusteriam::irsa_trust("{OIDC_ARN}", "Torque_Envs", "sa")"#),
            &[
                "Invalid value for \"namespace\" parameter",
                "`namespace` must be a Kubernetes namespace name",
            ],
        ),
        (
            r#"provider::clusteriam::cluster_tag_key("")"#,
            &[
                "Invalid value for \"cluster_id\" parameter",
                "`cluster_id` must be 1 to 106",
            ],
        ),
        (
            r#"provider::clusteriam::oidc_provider_arn("https://x", "1234", "aws")"#,
            &[
                "Invalid value for \"account_id\" parameter",
                "`account_id` must be 12 digits",
            ],
        ),
        (
            r#"provider::clusteriam::service_account_manifest("arn:aws:iam::111122223333:policy/x", "ns", "sa")"#,
            &[
                "Invalid value for \"role_arn\" parameter",
                "is not an IAM role ARN",
            ],
        ),
    ];
    for (call, needles) in cases {
        ws.write(&format!(
            "{REQUIRED_PROVIDERS}output \"bad\" {{\n  value = {call}\n}}\n"
        ));
        ws.plan().assert_error(needles);
    }

    // Known only after apply: the plan shows an unknown result, not an error.
    ws.write(&format!(
        r#"{REQUIRED_PROVIDERS}
resource "terraform_data" "later" {{
  input = "prod"
}}
output "key" {{
  value = provider::clusteriam::cluster_tag_key(terraform_data.later.output)
}}
output "trust" {{
  value = provider::clusteriam::irsa_trust("{OIDC_ARN}", terraform_data.later.id, "sa")
}}
"#
    ));
    let plan = ws.plan();
    assert_eq!(plan.code, 2, "{}", plan.output());
    assert!(
        plan.stdout.contains("+ key   = (known after apply)"),
        "{}",
        plan.stdout
    );
    assert!(
        plan.stdout.contains("+ trust = (known after apply)"),
        "{}",
        plan.stdout
    );
    ws.apply().assert_ok();
    assert_eq!(ws.output("key"), "kubernetes.io/cluster/prod");
}

#[test]
fn providers_schema_lists_the_functions() {
    let ws = offline_workspace();
    ws.write(REQUIRED_PROVIDERS);
    let run = ws.run(&["providers", "schema", "-json"]);
    run.assert_ok();
    let schema: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    let functions =
        &schema["provider_schemas"]["registry.terraform.io/clusteriam/clusteriam"]["functions"];
    let mut names: Vec<&str> = functions
        .as_object()
        .expect("a functions object")
        .keys()
        .map(String::as_str)
        .collect();
    names.sort();
    assert_eq!(
        names,
        [
            "cluster_tag_key",
            "irsa_trust",
            "oidc_provider_arn",
            "policy_document",
            "service_account_manifest",
            "validate_policy"
        ]
    );
    let irsa = &functions["irsa_trust"];
    assert_eq!(irsa["return_type"], "string");
    assert_eq!(irsa["parameters"][1]["name"], "namespace");
}

/// The functions' results are exactly what the resources and data sources
/// put in state for the same inputs.
#[test]
fn functions_equal_what_resources_and_data_sources_produce() {
    let aws = Emulator::start();
    let cluster = block_on(
        aws.eks()
            .create_cluster()
            .name("torque")
            .role_arn(format!("arn:aws:iam::{ACCOUNT}:role/eks"))
            .resources_vpc_config(
                aws_sdk_eks::types::VpcConfigRequest::builder()
                    .subnet_ids("subnet-11111111")
                    .build(),
            )
            .send(),
    )
    .expect("creating an EKS cluster in the emulator");
    assert!(cluster.cluster.is_some());
    let ec2 = aws.ec2();
    let vpc = block_on(ec2.create_vpc().cidr_block("10.9.0.0/16").send())
        .unwrap()
        .vpc
        .and_then(|v| v.vpc_id)
        .unwrap();
    let subnet = block_on(
        ec2.create_subnet()
            .vpc_id(&vpc)
            .cidr_block("10.9.1.0/24")
            .send(),
    )
    .unwrap()
    .subnet
    .and_then(|s| s.subnet_id)
    .unwrap();

    let ws = Workspace::new();
    ws.write(&format!(
        r#"{provider}
data "clusteriam_eks_cluster_oidc" "this" {{
  cluster_name = "torque"
}}

resource "clusteriam_oidc_provider" "this" {{
  url = data.clusteriam_eks_cluster_oidc.this.issuer_url
}}

resource "clusteriam_torque_agent_role" "agent" {{
  name              = "torque-agent"
  oidc_provider_arn = clusteriam_oidc_provider.this.arn
  namespace         = "torque-envs"
  service_account   = "torque-runner"
}}

resource "clusteriam_rancher_node_role" "cp" {{
  name           = "cp"
  node_role      = "controlplane"
  cloud_provider = "out-of-tree"
}}

resource "clusteriam_kkp_account_policy" "kkp" {{
  name        = "kkp"
  kkp_version = "2.22"
}}

resource "clusteriam_cluster_tags" "this" {{
  cluster_id = "prod"
  subnet_ids = ["{subnet}"]
}}

data "clusteriam_policy_document" "kkp" {{
  preset = "kkp_account"
}}

data "clusteriam_policy_document" "trust" {{
  preset            = "irsa_trust"
  oidc_provider_arn = clusteriam_oidc_provider.this.arn
  namespace         = "torque-envs"
  service_account   = "torque-runner"
}}

data "clusteriam_policy_document" "connector" {{
  preset = "eks_connector_agent"
}}

locals {{
  oidc = data.clusteriam_eks_cluster_oidc.this
  role = clusteriam_torque_agent_role.agent
}}

output "same" {{
  value = {{
    oidc_provider_arn = local.oidc.oidc_provider_arn == provider::clusteriam::oidc_provider_arn(local.oidc.issuer_url, "{ACCOUNT}", "aws")
    irsa_trust_data   = data.clusteriam_policy_document.trust.json == provider::clusteriam::irsa_trust(clusteriam_oidc_provider.this.arn, "torque-envs", "torque-runner")
    irsa_trust_role   = local.role.assume_role_policy == provider::clusteriam::irsa_trust(clusteriam_oidc_provider.this.arn, "torque-envs", "torque-runner")
    manifest          = local.role.service_account_manifest == provider::clusteriam::service_account_manifest(local.role.arn, "torque-envs", "torque-runner")
    node_policy       = clusteriam_rancher_node_role.cp.policy == provider::clusteriam::policy_document("rancher_controlplane", {{ cloud_provider = "out-of-tree" }})
    kkp_policy        = clusteriam_kkp_account_policy.kkp.policy == provider::clusteriam::policy_document("kkp_account", {{ account_id = "{ACCOUNT}", kkp_version = "2.22" }})
    kkp_data          = data.clusteriam_policy_document.kkp.json == provider::clusteriam::policy_document("kkp_account", {{ account_id = "{ACCOUNT}" }})
    connector_data    = data.clusteriam_policy_document.connector.json == provider::clusteriam::policy_document("eks_connector_agent", {{}})
    cluster_tag_key   = clusteriam_cluster_tags.this.tag_key == provider::clusteriam::cluster_tag_key("prod")
  }}
}}
"#,
        provider = aws.provider_block()
    ));
    ws.apply().assert_ok();
    let same = ws.output("same");
    let compared = same.as_object().unwrap();
    assert_eq!(compared.len(), 9);
    for (what, equal) in compared {
        assert_eq!(
            equal, true,
            "{what}: the function differs from the resource or data source"
        );
    }
    ws.assert_no_changes();
    ws.destroy().assert_ok();
}

/// An external id from a sensitive variable keeps the rendered trust
/// sensitive: an output of it must say so, and the plan never shows it.
#[test]
fn policy_document_keeps_a_sensitive_external_id_sensitive() {
    let ws = offline_workspace();
    let config = |sensitive_output: bool| {
        format!(
            r#"{REQUIRED_PROVIDERS}
variable "external_id" {{
  type      = string
  sensitive = true
  default   = "kept-out-of-sight"
}}
output "trust" {{
  value     = provider::clusteriam::policy_document("torque_target_trust", {{ master_role_arn = "{ROLE_ARN}", external_id = var.external_id }})
  sensitive = {sensitive_output}
}}
"#
        )
    };
    ws.write(&config(false));
    ws.plan()
        .assert_error(&["Output refers to sensitive values"]);
    ws.write(&config(true));
    let plan = ws.plan();
    assert_eq!(plan.code, 2, "{}", plan.output());
    assert!(
        !plan.output().contains("kept-out-of-sight"),
        "{}",
        plan.output()
    );
    ws.apply().assert_ok();
    let trust = ws.output("trust");
    assert_eq!(
        trust,
        presets::cross_account_trust(ROLE_ARN, Some("kept-out-of-sight"))
            .to_canonical_json()
            .as_str()
    );
}
