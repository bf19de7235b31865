//! Acceptance: both data sources through real Terraform against the emulator.

use crate::common;

use common::{ACCOUNT, Emulator, Workspace, block_on, current_document, seed_documents};
use terraform_provider_clusteriam::policy::{equivalent, equivalent_ignoring_sids};

const OIDC_ARN: &str = "arn:aws:iam::123456789012:oidc-provider/oidc.eks.us-east-1.amazonaws.com/id/EXAMPLED539D4633E53DE1B71EXAMPLE";

#[test]
fn policy_document_renders_the_seed_documents() {
    let aws = Emulator::start();
    let ws = Workspace::new();
    ws.write(&format!(
        r#"{provider}
data "clusteriam_policy_document" "kkp" {{
  preset      = "kkp_account"
  kkp_version = "2.22"
}}
data "clusteriam_policy_document" "kkp_current" {{
  preset = "kkp_account"
}}
data "clusteriam_policy_document" "kkp_2_23" {{
  preset      = "kkp_account"
  kkp_version = "2.23"
}}
data "clusteriam_policy_document" "controlplane" {{
  preset = "rancher_controlplane"
}}
data "clusteriam_policy_document" "controlplane_out_of_tree" {{
  preset         = "rancher_controlplane"
  cloud_provider = "out-of-tree"
}}
data "clusteriam_policy_document" "node_out_of_tree" {{
  preset         = "rancher_etcd_worker"
  cloud_provider = "out-of-tree"
}}
data "clusteriam_policy_document" "etcd_worker" {{
  preset = "rancher_etcd_worker"
}}
data "clusteriam_policy_document" "csp_adapter" {{
  preset = "rancher_csp_adapter"
}}
data "clusteriam_policy_document" "csp_adapter_trust" {{
  preset            = "rancher_csp_adapter_trust"
  oidc_provider_arn = "{OIDC_ARN}"
}}
data "clusteriam_policy_document" "connector" {{
  preset = "eks_connector_agent"
}}
data "clusteriam_policy_document" "connector_trust" {{
  preset = "eks_connector_agent_trust"
}}
data "clusteriam_policy_document" "torque" {{
  preset            = "irsa_trust"
  oidc_provider_arn = "{OIDC_ARN}"
  namespace         = "torque-envs"
  service_account   = "torque-runner"
}}
output "kkp" {{ value = data.clusteriam_policy_document.kkp.json }}
output "kkp_current" {{ value = data.clusteriam_policy_document.kkp_current.json }}
output "kkp_2_23" {{ value = data.clusteriam_policy_document.kkp_2_23.json }}
output "kkp_source" {{ value = data.clusteriam_policy_document.kkp.source }}
output "kkp_current_source" {{ value = data.clusteriam_policy_document.kkp_current.source }}
output "controlplane_out_of_tree" {{ value = data.clusteriam_policy_document.controlplane_out_of_tree.json }}
output "controlplane_out_of_tree_source" {{ value = data.clusteriam_policy_document.controlplane_out_of_tree.source }}
output "node_out_of_tree" {{ value = data.clusteriam_policy_document.node_out_of_tree.json }}
output "controlplane" {{ value = data.clusteriam_policy_document.controlplane.json }}
output "etcd_worker" {{ value = data.clusteriam_policy_document.etcd_worker.json }}
output "csp_adapter" {{ value = data.clusteriam_policy_document.csp_adapter.json }}
output "csp_adapter_trust" {{ value = data.clusteriam_policy_document.csp_adapter_trust.json }}
output "connector" {{ value = data.clusteriam_policy_document.connector.json }}
output "connector_trust" {{ value = data.clusteriam_policy_document.connector_trust.json }}
output "torque" {{ value = data.clusteriam_policy_document.torque.json }}
"#,
        provider = aws.provider_block()
    ));
    ws.apply().assert_ok();
    let out = |name: &str| ws.output(name).as_str().expect("a JSON string").to_string();

    // Seed 002 is KKP 2.22: YOUR_ACCOUNT_ID is the caller's account, read from STS.
    let kkp = seed_documents("002")[0].replace("YOUR_ACCOUNT_ID", ACCOUNT);
    assert!(
        equivalent(&out("kkp"), &kkp),
        "kkp_account differs from seed 002:\n{}",
        out("kkp")
    );
    // Unset and 2.23 are today's document.
    let kkp_current =
        current_document("kkp-2.23-and-later.json").replace("YOUR_ACCOUNT_ID", ACCOUNT);
    assert!(equivalent(&out("kkp_current"), &kkp_current));
    assert!(equivalent(&out("kkp_2_23"), &kkp_current));
    assert!(!equivalent(&out("kkp_current"), &kkp));
    let source = ws.output("kkp_source");
    assert_eq!(source["platform"], "Kubermatic KKP");
    assert_eq!(source["versions"], "KKP 2.22 and earlier");
    assert!(
        source["page"]
            .as_str()
            .unwrap()
            .contains("supported-providers/aws"),
        "{source}"
    );
    assert_eq!(
        ws.output("kkp_current_source")["versions"],
        "KKP 2.23 and later"
    );

    // The out-of-tree cloud controller's documents.
    assert!(equivalent(
        &out("controlplane_out_of_tree"),
        &current_document("cloud-provider-aws-control-plane.json")
    ));
    assert!(equivalent(
        &out("node_out_of_tree"),
        &current_document("cloud-provider-aws-node.json")
    ));
    let source = ws.output("controlplane_out_of_tree_source");
    assert_eq!(source["versions"], "Kubernetes 1.27 and later");
    assert!(
        source["page"]
            .as_str()
            .unwrap()
            .contains("cloud-provider-aws"),
        "{source}"
    );

    let rancher = seed_documents("001");
    assert!(equivalent(&out("controlplane"), &rancher[0]));
    assert!(equivalent(&out("etcd_worker"), &rancher[1]));
    assert!(
        !equivalent(&out("controlplane"), &rancher[1]),
        "the two Rancher policies must differ"
    );

    let csp = seed_documents("000");
    let trust = csp[0]
        .replace("${MY_AWS_ACC}", ACCOUNT)
        .replace("${MY_AWS_REGION}", "us-east-1")
        .replace("${MY_OIDC_PROVIDER}", "EXAMPLED539D4633E53DE1B71EXAMPLE");
    assert!(
        equivalent(&out("csp_adapter_trust"), &trust),
        "{}",
        out("csp_adapter_trust")
    );
    assert!(equivalent(&out("csp_adapter"), &csp[1]));

    // Seed 004's trust without its `Sid`, as the EKS user guide prints it today.
    let connector = seed_documents("004");
    assert!(equivalent_ignoring_sids(
        &out("connector_trust"),
        &connector[0]
    ));
    assert!(!out("connector_trust").contains("Sid"));
    assert!(equivalent(&out("connector"), &connector[1]));

    // Seed 003's trust: the agent's exact service account, never a wildcard.
    let torque = out("torque");
    let sub = "oidc.eks.us-east-1.amazonaws.com/id/EXAMPLED539D4633E53DE1B71EXAMPLE:sub";
    let doc: serde_json::Value = serde_json::from_str(&torque).unwrap();
    let cond = &doc["Statement"][0]["Condition"]["StringEquals"];
    assert_eq!(cond[sub], "system:serviceaccount:torque-envs:torque-runner");
    assert_eq!(cond[sub.replace(":sub", ":aud")], "sts.amazonaws.com");
    assert!(!torque.contains('*'), "{torque}");
}

#[test]
fn policy_document_rejects_bad_parameters_at_validate_and_plan() {
    let aws = Emulator::start();
    let ws = Workspace::new();
    let cases: &[(&str, &[&str])] = &[
        (
            r#"preset = "rancher_master""#,
            &[
                "Invalid `preset`",
                "`preset` must be one of",
                "got `rancher_master`",
            ],
        ),
        (
            r#"preset = "kkp_account"
            account_id = "1234""#,
            &["Invalid `account_id`", "must be 12 digits"],
        ),
        (
            r#"preset = "irsa_trust"
            oidc_provider_arn = "arn:aws:iam::123456789012:role/not-a-provider"
            namespace = "ns"
            service_account = "sa""#,
            &[
                "Invalid `oidc_provider_arn`",
                "expected an OIDC provider ARN",
            ],
        ),
        (
            r#"preset = "irsa_trust"
            oidc_provider_arn = "OIDC"
            service_account = "sa""#,
            &[
                "Missing `namespace`",
                "Preset `irsa_trust` needs `namespace`",
            ],
        ),
        (
            r#"preset = "irsa_trust"
            oidc_provider_arn = "OIDC"
            namespace = "Torque_Envs"
            service_account = "sa""#,
            &["Invalid `namespace`", "Kubernetes namespace name"],
        ),
        (
            r#"preset = "rancher_controlplane"
            namespace = "kube-system""#,
            &["`namespace` is not used by preset `rancher_controlplane`"],
        ),
        (
            r#"preset = "kkp_account"
            kkp_version = "two""#,
            &[
                "Invalid `kkp_version`",
                "`kkp_version` must be a KKP version written MAJOR.MINOR",
            ],
        ),
        (
            r#"preset = "rancher_controlplane"
            cloud_provider = "aws""#,
            &[
                "Invalid `cloud_provider`",
                "`cloud_provider` must be one of in-tree, out-of-tree; got `aws`",
            ],
        ),
        (
            r#"preset = "rancher_csp_adapter"
            kkp_version = "2.22""#,
            &["`kkp_version` is not used by preset `rancher_csp_adapter`"],
        ),
        (
            r#"preset = "kkp_account"
            cloud_provider = "in-tree""#,
            &["`cloud_provider` is not used by preset `kkp_account`"],
        ),
    ];
    for (body, needles) in cases {
        ws.write(&format!(
            "{}\ndata \"clusteriam_policy_document\" \"bad\" {{\n{}\n}}\n",
            aws.provider_block(),
            body.replace("OIDC", OIDC_ARN)
        ));
        ws.validate().assert_error(needles);
        ws.plan().assert_error(needles);
    }
}

#[test]
fn eks_cluster_oidc_reports_the_issuer_and_whether_its_provider_exists() {
    let aws = Emulator::start();
    let eks = aws.eks();
    let cluster = block_on(
        eks.create_cluster()
            .name("rancher-mgmt")
            .role_arn(format!("arn:aws:iam::{ACCOUNT}:role/eks"))
            .resources_vpc_config(
                aws_sdk_eks::types::VpcConfigRequest::builder()
                    .subnet_ids("subnet-11111111")
                    .subnet_ids("subnet-22222222")
                    .build(),
            )
            .send(),
    )
    .expect("creating an EKS cluster in the emulator");
    let issuer = cluster
        .cluster
        .unwrap()
        .identity
        .unwrap()
        .oidc
        .unwrap()
        .issuer
        .unwrap();
    let host = issuer.trim_start_matches("https://").to_string();
    let expected_arn = format!("arn:aws:iam::{ACCOUNT}:oidc-provider/{host}");

    let ws = Workspace::new();
    ws.write(&format!(
        r#"{}
data "clusteriam_eks_cluster_oidc" "this" {{
  cluster_name = "rancher-mgmt"
}}
output "issuer_url" {{ value = data.clusteriam_eks_cluster_oidc.this.issuer_url }}
output "issuer_host" {{ value = data.clusteriam_eks_cluster_oidc.this.issuer_host }}
output "arn" {{ value = data.clusteriam_eks_cluster_oidc.this.oidc_provider_arn }}
output "exists" {{ value = data.clusteriam_eks_cluster_oidc.this.oidc_provider_exists }}
"#,
        aws.provider_block()
    ));
    ws.apply().assert_ok();
    assert_eq!(ws.output("issuer_url"), issuer.as_str());
    assert_eq!(ws.output("issuer_host"), host.as_str());
    assert_eq!(ws.output("arn"), expected_arn.as_str());
    assert_eq!(ws.output("exists"), false);

    // Seed 003, step 3: once the provider exists, the data source says so.
    block_on(
        aws.iam()
            .create_open_id_connect_provider()
            .url(&issuer)
            .client_id_list("sts.amazonaws.com")
            .send(),
    )
    .expect("creating the OIDC provider");
    ws.apply().assert_ok();
    assert_eq!(ws.output("exists"), true);

    ws.write(&format!(
        "{}\ndata \"clusteriam_eks_cluster_oidc\" \"gone\" {{\n  cluster_name = \"no-such-cluster\"\n}}\n",
        aws.provider_block()
    ));
    ws.plan().assert_error(&[
        "reading EKS cluster (`no-such-cluster`)",
        "ResourceNotFoundException",
    ]);
}

/// The documents of the set-ups beyond the seeds: the billing adapter's
/// trust, the two cross-account trusts (with and without an external id),
/// and the controlplane policy with the controller's code actions.
#[test]
fn policy_document_renders_the_documents_beyond_the_seeds() {
    use terraform_provider_clusteriam::policy::published::{self, CloudProvider, NodeRole};
    use terraform_provider_clusteriam::policy::trusts;
    let aws = Emulator::start();
    let ws = Workspace::new();
    ws.write(&format!(
        r#"{provider}
data "clusteriam_policy_document" "billing" {{
  preset            = "rancher_billing_adapter_trust"
  oidc_provider_arn = "{OIDC_ARN}"
}}
data "clusteriam_policy_document" "torque_target" {{
  preset          = "torque_target_trust"
  master_role_arn = "arn:aws:iam::111111111111:role/My_AWS_ROLE"
}}
data "clusteriam_policy_document" "kkp" {{
  preset            = "kkp_assume_role_trust"
  kkp_principal_arn = "arn:aws:iam::111111111111:user/kubermatic"
  external_id       = "kkp-7"
}}
data "clusteriam_policy_document" "controlplane_extra" {{
  preset                   = "rancher_controlplane"
  cloud_provider           = "out-of-tree"
  extra_controller_actions = "true"
}}
output "billing" {{ value = data.clusteriam_policy_document.billing.json }}
output "billing_source" {{ value = data.clusteriam_policy_document.billing.source }}
output "torque_target" {{ value = data.clusteriam_policy_document.torque_target.json }}
output "kkp" {{
  value     = data.clusteriam_policy_document.kkp.json
  sensitive = true
}}
output "controlplane_extra" {{ value = data.clusteriam_policy_document.controlplane_extra.json }}
"#,
        provider = aws.provider_block()
    ));
    ws.apply().assert_ok();
    let out = |name: &str| ws.output(name).as_str().expect("a JSON string").to_string();
    let oidc = OIDC_ARN.parse().unwrap();
    assert_eq!(
        out("billing"),
        trusts::rancher_billing_adapter_trust(&oidc).to_canonical_json()
    );
    assert!(
        ws.output("billing_source")["page"]
            .as_str()
            .unwrap()
            .contains("aws-marketplace-payg-integration")
    );
    // The page's own example.
    assert!(equivalent(
        &out("torque_target"),
        r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::111111111111:role/My_AWS_ROLE"},"Action":"sts:AssumeRole"}]}"#
    ));
    assert_eq!(
        out("kkp"),
        trusts::cross_account_trust("arn:aws:iam::111111111111:user/kubermatic", Some("kkp-7"))
            .to_canonical_json()
    );
    assert_eq!(
        out("controlplane_extra"),
        published::rancher_node_policy(
            CloudProvider::OutOfTree,
            NodeRole::Controlplane,
            true,
            "aws"
        )
        .to_canonical_json()
    );
    // The extra actions without the out-of-tree controller: refused.
    ws.write(&format!(
        r#"{provider}
data "clusteriam_policy_document" "bad" {{
  preset                   = "rancher_controlplane"
  extra_controller_actions = "true"
}}
"#,
        provider = aws.provider_block()
    ));
    ws.plan()
        .assert_error(&["extra_controller_actions", "out-of-tree"]);
}
