//! Acceptance: `clusteriam_rancher_node_role` and
//! `clusteriam_rancher_csp_adapter_role` against the emulator, checking IAM
//! through the SDK after every step.

use crate::common;

use std::collections::{BTreeMap, BTreeSet};

use common::{ACCOUNT, Emulator, Workspace, block_on, current_document, seed_documents};
use terraform_provider_clusteriam::policy::{equivalent, from_iam};

struct Role {
    trust: String,
    policies: BTreeMap<String, String>,
    tags: BTreeMap<String, String>,
    profiles: Vec<(String, Vec<String>)>,
}

/// The role as IAM has it, or None.
fn role(aws: &Emulator, name: &str) -> Option<Role> {
    let iam = aws.iam();
    block_on(async {
        let role = match iam.get_role().role_name(name).send().await {
            Ok(out) => out.role.unwrap(),
            Err(e) if format!("{e:?}").contains("NoSuchEntity") => return None,
            Err(e) => panic!("GetRole: {e:?}"),
        };
        let mut policies = BTreeMap::new();
        for policy in iam
            .list_role_policies()
            .role_name(name)
            .send()
            .await
            .unwrap()
            .policy_names
        {
            let doc = iam
                .get_role_policy()
                .role_name(name)
                .policy_name(&policy)
                .send()
                .await
                .unwrap()
                .policy_document;
            policies.insert(policy, from_iam(&doc));
        }
        let tags = iam
            .list_role_tags()
            .role_name(name)
            .send()
            .await
            .unwrap()
            .tags;
        let profiles = iam
            .list_instance_profiles_for_role()
            .role_name(name)
            .send()
            .await
            .unwrap()
            .instance_profiles;
        Some(Role {
            trust: from_iam(role.assume_role_policy_document.as_deref().unwrap()),
            policies,
            tags: common::without_mark(tags.into_iter().map(|t| (t.key, t.value)).collect()),
            profiles: profiles
                .into_iter()
                .map(|p| {
                    (
                        p.instance_profile_name,
                        p.roles.into_iter().map(|r| r.role_name).collect(),
                    )
                })
                .collect(),
        })
    })
}

fn role_count(aws: &Emulator) -> usize {
    block_on(aws.iam().list_roles().send()).unwrap().roles.len()
}

fn profile_count(aws: &Emulator) -> usize {
    block_on(aws.iam().list_instance_profiles().send())
        .unwrap()
        .instance_profiles
        .len()
}

const EC2_TRUST: &str = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"ec2.amazonaws.com"},"Action":"sts:AssumeRole"}]}"#;

fn with_default_tags(aws: &Emulator) -> String {
    aws.provider_block().replace(
        "propagation_timeout = \"20s\"",
        "propagation_timeout = \"20s\"\n  default_tags {\n    tags = { team = \"platform\" }\n  }",
    )
}

fn node_roles(aws: &Emulator, controlplane_role: &str) -> String {
    format!(
        r#"{}
resource "clusteriam_rancher_node_role" "controlplane" {{
  name      = "rancher-controlplane"
  node_role = "{controlplane_role}"
  tags      = {{ cluster = "prod" }}
}}

resource "clusteriam_rancher_node_role" "worker" {{
  name_prefix = "rancher-worker-"
  node_role   = "worker"
}}

output "profile" {{ value = clusteriam_rancher_node_role.controlplane.instance_profile_name }}
output "worker_name" {{ value = clusteriam_rancher_node_role.worker.name }}
"#,
        with_default_tags(aws)
    )
}

#[test]
fn rancher_node_role_basic() {
    let aws = Emulator::start();
    let ws = Workspace::new();
    ws.write(&node_roles(&aws, "controlplane"));
    ws.apply().assert_ok();

    let seed = seed_documents("001");
    let cp = role(&aws, "rancher-controlplane").expect("the controlplane role exists");
    assert!(equivalent(&cp.trust, EC2_TRUST), "trust: {}", cp.trust);
    assert!(
        equivalent(&cp.policies["RancherNodePolicy"], &seed[0]),
        "controlplane policy differs from seed 001"
    );
    assert_eq!(cp.policies.len(), 1);
    assert_eq!(
        cp.profiles,
        vec![(
            "rancher-controlplane".to_string(),
            vec!["rancher-controlplane".to_string()]
        )]
    );
    assert_eq!(
        cp.tags.get("team").map(String::as_str),
        Some("platform"),
        "default_tags reach AWS"
    );
    assert_eq!(cp.tags.get("cluster").map(String::as_str), Some("prod"));
    assert_eq!(ws.output("profile"), "rancher-controlplane");

    let worker_name = ws.output("worker_name").as_str().unwrap().to_string();
    assert!(worker_name.starts_with("rancher-worker-"), "{worker_name}");
    let worker = role(&aws, &worker_name).expect("the worker role exists");
    assert!(
        equivalent(&worker.policies["RancherNodePolicy"], &seed[1]),
        "worker policy differs from seed 001"
    );

    let state = ws.state_attributes("clusteriam_rancher_node_role.controlplane");
    assert_eq!(
        state["arn"],
        format!("arn:aws:iam::{ACCOUNT}:role/rancher-controlplane")
    );
    assert_eq!(
        state["instance_profile_arn"],
        format!("arn:aws:iam::{ACCOUNT}:instance-profile/rancher-controlplane")
    );
    assert_eq!(state["tags_all"]["team"], "platform");
    assert!(
        state["tags"].get("team").is_none(),
        "default tags stay out of `tags`"
    );
    assert!(equivalent(state["policy"].as_str().unwrap(), &seed[0]));

    ws.assert_no_changes();
    ws.destroy().assert_ok();
    assert_eq!(role_count(&aws), 0, "destroy leaves no role");
    assert_eq!(profile_count(&aws), 0, "destroy leaves no instance profile");
}

#[test]
fn rancher_node_role_update_policy_in_place() {
    let aws = Emulator::start();
    let ws = Workspace::new();
    ws.write(&node_roles(&aws, "controlplane"));
    ws.apply().assert_ok();
    let before =
        ws.state_attributes("clusteriam_rancher_node_role.controlplane")["unique_id"].clone();

    ws.write(&node_roles(&aws, "etcd"));
    let plan = ws.assert_changes(&[
        "update in-place",
        "~ node_role",
        "\"controlplane\" -> \"etcd\"",
    ]);
    assert!(!plan.stdout.contains("must be replaced"), "{}", plan.stdout);
    ws.apply().assert_ok();

    let cp = role(&aws, "rancher-controlplane").unwrap();
    assert!(equivalent(
        &cp.policies["RancherNodePolicy"],
        &seed_documents("001")[1]
    ));
    assert_eq!(
        ws.state_attributes("clusteriam_rancher_node_role.controlplane")["unique_id"],
        before,
        "same role, not replaced"
    );
    ws.assert_no_changes();
}

#[test]
fn rancher_node_role_disappears_and_is_recreated() {
    let aws = Emulator::start();
    let ws = Workspace::new();
    ws.write(&node_roles(&aws, "controlplane"));
    ws.apply().assert_ok();
    let iam = aws.iam();
    block_on(async {
        iam.remove_role_from_instance_profile()
            .instance_profile_name("rancher-controlplane")
            .role_name("rancher-controlplane")
            .send()
            .await
            .unwrap();
        iam.delete_instance_profile()
            .instance_profile_name("rancher-controlplane")
            .send()
            .await
            .unwrap();
        iam.delete_role_policy()
            .role_name("rancher-controlplane")
            .policy_name("RancherNodePolicy")
            .send()
            .await
            .unwrap();
        iam.delete_role()
            .role_name("rancher-controlplane")
            .send()
            .await
            .unwrap();
    });
    ws.assert_changes(&["clusteriam_rancher_node_role.controlplane will be created"]);
    ws.apply().assert_ok();
    assert!(role(&aws, "rancher-controlplane").is_some());
    ws.assert_no_changes();
}

#[test]
fn rancher_node_role_import() {
    let aws = Emulator::start();
    let ws = Workspace::new();
    ws.write(&node_roles(&aws, "etcd"));
    ws.apply().assert_ok();
    let worker = ws.output("worker_name").as_str().unwrap().to_string();
    ws.run(&[
        "state",
        "rm",
        "clusteriam_rancher_node_role.controlplane",
        "clusteriam_rancher_node_role.worker",
    ])
    .assert_ok();

    // etcd and worker share a policy: the import id says which one.
    ws.import(
        "clusteriam_rancher_node_role.controlplane",
        "rancher-controlplane/etcd",
    )
    .assert_ok();
    ws.import("clusteriam_rancher_node_role.worker", &worker)
        .assert_ok();
    // The worker was made from a prefix; after import its name is fixed.
    ws.write(&node_roles(&aws, "etcd").replace(
        "name_prefix = \"rancher-worker-\"",
        &format!("name = \"{worker}\""),
    ));
    ws.assert_no_changes();

    ws.import("clusteriam_rancher_node_role.controlplane", "no-such-role")
        .assert_error(&[
            "importing IAM role (`no-such-role`)",
            "There is no role named `no-such-role`",
        ]);
}

#[test]
fn rancher_node_role_rejects_bad_input_before_creating_anything() {
    let aws = Emulator::start();
    let ws = Workspace::new();
    let cases: &[(&str, &[&str])] = &[
        (
            "node_role = \"master\"",
            &[
                "Invalid `node_role`",
                "`node_role` must be one of controlplane, etcd, worker; got `master`",
            ],
        ),
        (
            "node_role = \"etcd\"\n name = \"a-name-that-is-far-too-long-for-iam-because-iam-allows-sixty-four\"",
            &["Invalid `name`", "1 to 64"],
        ),
        (
            "node_role = \"etcd\"\n name = \"has space\"",
            &["Invalid `name`"],
        ),
        (
            "node_role = \"etcd\"\n name = \"x\"\n name_prefix = \"y\"",
            &["Conflicting `name` and `name_prefix`"],
        ),
        (
            "node_role = \"etcd\"\n path = \"rancher\"",
            &["Invalid `path`", "begin and end with `/`"],
        ),
        (
            "node_role = \"etcd\"\n max_session_duration = 60",
            &["Invalid `max_session_duration`", "between 3600 and 43200"],
        ),
        (
            "node_role = \"etcd\"\n permissions_boundary = \"arn:aws:iam::123456789012:role/x\"",
            &["Invalid `permissions_boundary`"],
        ),
        (
            "node_role = \"etcd\"\n tags = { \"aws:reserved\" = \"x\" }",
            &["Invalid tag key", "reserved by AWS"],
        ),
        (
            "node_role = \"controlplane\"\n cloud_provider = \"external\"",
            &[
                "Invalid `cloud_provider`",
                "`cloud_provider` must be one of in-tree, out-of-tree; got `external`",
            ],
        ),
    ];
    for (body, needles) in cases {
        ws.write(&format!(
            "{}\nresource \"clusteriam_rancher_node_role\" \"bad\" {{\n {body}\n}}\n",
            aws.provider_block()
        ));
        ws.validate().assert_error(needles);
        ws.apply().assert_error(needles);
    }
    assert_eq!(role_count(&aws), 0, "nothing was created");
}

/// A controlplane and a worker role with the given cloud providers.
fn node_roles_with(aws: &Emulator, controlplane: &str, worker: &str) -> String {
    let line = |cloud_provider: &str| match cloud_provider {
        "" => String::new(),
        c => format!("\n  cloud_provider = \"{c}\""),
    };
    format!(
        r#"{}
resource "clusteriam_rancher_node_role" "controlplane" {{
  name      = "cp"
  node_role = "controlplane"{}
}}

resource "clusteriam_rancher_node_role" "worker" {{
  name      = "worker"
  node_role = "worker"{}
}}
"#,
        aws.provider_block(),
        line(controlplane),
        line(worker)
    )
}

/// The out-of-tree cloud controller's documents: applied, switched in place
/// to Rancher's page and back, imported, and each time an empty plan.
#[test]
fn rancher_node_role_out_of_tree_cloud_provider() {
    let aws = Emulator::start();
    let ws = Workspace::new();
    let control_plane = current_document("cloud-provider-aws-control-plane.json");
    let node = current_document("cloud-provider-aws-node.json");
    let seed = seed_documents("001");

    ws.write(&node_roles_with(&aws, "out-of-tree", "out-of-tree"));
    ws.apply().assert_ok();
    let cp = role(&aws, "cp").unwrap();
    assert!(
        equivalent(&cp.policies["RancherNodePolicy"], &control_plane),
        "controlplane policy differs from the controller's: {}",
        cp.policies["RancherNodePolicy"]
    );
    assert!(!equivalent(&cp.policies["RancherNodePolicy"], &seed[0]));
    let worker = role(&aws, "worker").unwrap();
    assert!(equivalent(&worker.policies["RancherNodePolicy"], &node));
    let state = ws.state_attributes("clusteriam_rancher_node_role.controlplane");
    assert_eq!(state["cloud_provider"], "out-of-tree");
    assert!(equivalent(
        state["policy"].as_str().unwrap(),
        &control_plane
    ));
    ws.assert_no_changes();

    // To Rancher's page: the policy changes in place, the role stays.
    let unique_id = state["unique_id"].clone();
    ws.write(&node_roles_with(&aws, "in-tree", "out-of-tree"));
    let plan = ws.assert_changes(&[
        "update in-place",
        "~ cloud_provider",
        "\"out-of-tree\" -> \"in-tree\"",
        "ec2:DescribeInstanceTopology",
    ]);
    assert!(!plan.stdout.contains("must be replaced"), "{}", plan.stdout);
    ws.apply().assert_ok();
    assert!(equivalent(
        &role(&aws, "cp").unwrap().policies["RancherNodePolicy"],
        &seed[0]
    ));
    let state = ws.state_attributes("clusteriam_rancher_node_role.controlplane");
    assert_eq!(state["unique_id"], unique_id, "updated in place");
    ws.assert_no_changes();

    // Unset is in-tree: nothing to do.
    ws.write(&node_roles_with(&aws, "", "out-of-tree"));
    ws.assert_no_changes();

    // And back.
    ws.write(&node_roles_with(&aws, "out-of-tree", "out-of-tree"));
    ws.apply().assert_ok();
    assert!(equivalent(
        &role(&aws, "cp").unwrap().policies["RancherNodePolicy"],
        &control_plane
    ));
    ws.assert_no_changes();

    // Import: the controlplane policy says which provider; the shared
    // worker policy needs the import id to say it.
    ws.run(&[
        "state",
        "rm",
        "clusteriam_rancher_node_role.controlplane",
        "clusteriam_rancher_node_role.worker",
    ])
    .assert_ok();
    ws.import("clusteriam_rancher_node_role.controlplane", "cp")
        .assert_ok();
    ws.import(
        "clusteriam_rancher_node_role.worker",
        "worker/worker/out-of-tree",
    )
    .assert_ok();
    assert_eq!(
        ws.state_attributes("clusteriam_rancher_node_role.controlplane")["cloud_provider"],
        "out-of-tree"
    );
    ws.assert_no_changes();

    ws.destroy().assert_ok();
    assert_eq!(role_count(&aws), 0);
    assert_eq!(profile_count(&aws), 0);
}

/// State written by older versions: before `extra_controller_actions`
/// (schema version 2), before `instance_profile_tags` and the `extra_*`
/// attributes (version 1), and before `cloud_provider` too (version 0,
/// which is in-tree): neither the plan nor the drift check
/// shows a change.
#[test]
fn rancher_node_role_state_of_older_versions_shows_no_changes() {
    let aws = Emulator::start();
    let ws = Workspace::new();
    ws.write(&node_roles_with(&aws, "", "out-of-tree"));
    ws.apply().assert_ok();
    let path = ws.path().join("terraform.tfstate");
    // Each version in turn, from the newest: what it did not have yet is
    // missing (and cloud_provider, before version 1, where it was in-tree).
    let newer = [
        "extra_controller_actions",
        "instance_profile_tags",
        "extra_inline_policies",
        "extra_policy_arns",
    ];
    for (version, absent) in [(2, &newer[..1]), (1, &newer[..]), (0, &newer[..])] {
        let mut state: serde_json::Value =
            serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
        for resource in state["resources"].as_array_mut().unwrap() {
            for instance in resource["instances"].as_array_mut().unwrap() {
                assert!(instance["schema_version"].as_i64().unwrap() > version);
                instance["schema_version"] = version.into();
                let attributes = instance["attributes"].as_object_mut().unwrap();
                for attr in absent {
                    attributes.remove(*attr);
                }
                if version == 0 && attributes["cloud_provider"] == "in-tree" {
                    attributes.remove("cloud_provider");
                }
            }
        }
        std::fs::write(&path, serde_json::to_string_pretty(&state).unwrap()).unwrap();
        ws.assert_no_changes();
    }
    ws.apply().assert_ok();
    let state = ws.state_attributes("clusteriam_rancher_node_role.controlplane");
    assert_eq!(state["cloud_provider"], "in-tree");
    assert_eq!(state["extra_controller_actions"], false);
    assert_eq!(state["instance_profile_tags"], state["tags_all"]);
}

/// `extra_controller_actions`: the out-of-tree controller's control-plane
/// policy as published, plus a statement with the four actions its code
/// calls; switched off in place; read back at import; refused where the
/// controller does not run.
#[test]
fn rancher_node_role_extra_controller_actions() {
    let aws = Emulator::start();
    let ws = Workspace::new();
    let control_plane = current_document("cloud-provider-aws-control-plane.json");
    let config = |extra: &str| {
        node_roles_with(&aws, "out-of-tree", "").replace(
            "  node_role = \"controlplane\"",
            &format!("  node_role = \"controlplane\"\n  extra_controller_actions = {extra}"),
        )
    };
    ws.write(&config("true"));
    ws.apply().assert_ok();
    let policy = role(&aws, "cp").unwrap().policies["RancherNodePolicy"].clone();
    let document: serde_json::Value = serde_json::from_str(&policy).unwrap();
    let statements = document["Statement"].as_array().unwrap();
    assert_eq!(statements.len(), 2, "{policy}");
    let published =
        serde_json::json!({"Version": "2012-10-17", "Statement": [statements[0].clone()]});
    assert!(equivalent(&published.to_string(), &control_plane));
    let extra: BTreeSet<&str> = statements[1]["Action"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a.as_str().unwrap())
        .collect();
    assert_eq!(
        extra,
        BTreeSet::from([
            "elasticloadbalancing:DescribeTargetGroupAttributes",
            "elasticloadbalancing:ModifyTargetGroupAttributes",
            "ec2:DeleteTags",
            "ec2:DescribeNetworkInterfaces",
        ])
    );
    ws.assert_no_changes();

    // Import reads it from the policy.
    ws.run(&["state", "rm", "clusteriam_rancher_node_role.controlplane"])
        .assert_ok();
    ws.import("clusteriam_rancher_node_role.controlplane", "cp")
        .assert_ok();
    let state = ws.state_attributes("clusteriam_rancher_node_role.controlplane");
    assert_eq!(state["extra_controller_actions"], true);
    assert_eq!(state["cloud_provider"], "out-of-tree");
    ws.assert_no_changes();

    // Off: the published policy again, in place.
    ws.write(&config("false"));
    ws.assert_changes(&["update in-place", "ec2:DeleteTags"]);
    ws.apply().assert_ok();
    assert!(equivalent(
        &role(&aws, "cp").unwrap().policies["RancherNodePolicy"],
        &control_plane
    ));
    ws.assert_no_changes();
    ws.destroy().assert_ok();

    // Only where the out-of-tree controller runs: its controlplane nodes.
    for hcl in [
        config("true").replace(
            "cloud_provider = \"out-of-tree\"",
            "cloud_provider = \"in-tree\"",
        ),
        node_roles_with(&aws, "out-of-tree", "").replace(
            "  node_role = \"worker\"",
            "  node_role = \"worker\"\n  extra_controller_actions = true",
        ),
    ] {
        ws.write(&hcl);
        ws.validate().assert_error(&[
            "Invalid `extra_controller_actions`",
            "node_role = \"controlplane\"",
        ]);
    }
    assert_eq!(role_count(&aws), 0);
}

fn csp_adapter(aws: &Emulator, provider_arn: &str) -> String {
    format!(
        r#"{}
resource "clusteriam_rancher_csp_adapter_role" "this" {{
  name              = "rancher-csp-adapter"
  oidc_provider_arn = "{provider_arn}"
}}
output "account_id" {{ value = clusteriam_rancher_csp_adapter_role.this.account_id }}
"#,
        aws.provider_block()
    )
}

fn oidc_provider(aws: &Emulator, id: &str) -> String {
    let out = block_on(
        aws.iam()
            .create_open_id_connect_provider()
            .url(format!("https://oidc.eks.us-east-1.amazonaws.com/id/{id}"))
            .client_id_list("sts.amazonaws.com")
            .thumbprint_list("9e99a48a9960b14926bb7f3b02e22da2b0ab7280")
            .send(),
    )
    .unwrap();
    out.open_id_connect_provider_arn.unwrap()
}

#[test]
fn rancher_csp_adapter_role_basic_update_import_destroy() {
    let aws = Emulator::start();
    let first = oidc_provider(&aws, "EXAMPLED539D4633E53DE1B71EXAMPLE");
    let ws = Workspace::new();
    ws.write(&csp_adapter(&aws, &first));
    ws.apply().assert_ok();

    let seed = seed_documents("000");
    let expected_trust = seed[0]
        .replace("${MY_AWS_ACC}", ACCOUNT)
        .replace("${MY_AWS_REGION}", "us-east-1")
        .replace("${MY_OIDC_PROVIDER}", "EXAMPLED539D4633E53DE1B71EXAMPLE");
    let r = role(&aws, "rancher-csp-adapter").unwrap();
    assert!(
        equivalent(&r.trust, &expected_trust),
        "trust differs from seed 000: {}",
        r.trust
    );
    assert!(equivalent(
        &r.policies["RancherCSPAdapterPermissions"],
        &seed[1]
    ));
    assert!(
        !r.trust.contains('*'),
        "no wildcard in a web-identity trust: {}",
        r.trust
    );
    assert_eq!(ws.output("account_id"), ACCOUNT);
    ws.assert_no_changes();

    // Another cluster's provider: the trust is updated in place.
    let second = oidc_provider(&aws, "SECONDCLUSTER000000000000000000");
    ws.write(&csp_adapter(&aws, &second));
    ws.assert_changes(&["update in-place", "~ oidc_provider_arn"]);
    ws.apply().assert_ok();
    assert!(
        role(&aws, "rancher-csp-adapter")
            .unwrap()
            .trust
            .contains("SECONDCLUSTER000000000000000000")
    );
    ws.assert_no_changes();

    ws.run(&["state", "rm", "clusteriam_rancher_csp_adapter_role.this"])
        .assert_ok();
    ws.import(
        "clusteriam_rancher_csp_adapter_role.this",
        "rancher-csp-adapter",
    )
    .assert_ok();
    ws.assert_no_changes();

    ws.destroy().assert_ok();
    assert_eq!(role_count(&aws), 0);
}

#[test]
fn rancher_csp_adapter_role_rejects_a_non_oidc_arn() {
    let aws = Emulator::start();
    let ws = Workspace::new();
    ws.write(&csp_adapter(
        &aws,
        "arn:aws:iam::123456789012:role/not-a-provider",
    ));
    ws.validate().assert_error(&[
        "Invalid `oidc_provider_arn`",
        "expected an OIDC provider ARN",
    ]);
    ws.write(&csp_adapter(
        &aws,
        "arn:aws-cn:iam::123456789012:oidc-provider/oidc.eks.cn-north-1.amazonaws.com.cn/id/X",
    ));
    ws.apply()
        .assert_error(&["Invalid `oidc_provider_arn`", "partition `aws-cn`"]);
    assert_eq!(role_count(&aws), 0);
}

/// The tags of an instance profile, without the ownership mark, and whether
/// it carries the mark.
fn profile_tags(aws: &Emulator, name: &str) -> (BTreeMap<String, String>, bool) {
    let profile = block_on(
        aws.iam()
            .get_instance_profile()
            .instance_profile_name(name)
            .send(),
    )
    .unwrap()
    .instance_profile
    .unwrap();
    let tags: BTreeMap<String, String> = profile
        .tags
        .unwrap_or_default()
        .into_iter()
        .map(|t| (t.key, t.value))
        .collect();
    let marked = tags.contains_key(common::OWNERSHIP_TAG);
    (common::without_mark(tags), marked)
}

fn tag_map(pairs: &[(&str, &str)]) -> BTreeMap<String, String> {
    pairs
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect()
}

#[test]
fn rancher_node_role_instance_profile_tags_follow_the_role() {
    let aws = Emulator::start();
    let ws = Workspace::new();
    ws.write(&node_roles(&aws, "controlplane"));
    ws.apply().assert_ok();
    let profile = "rancher-controlplane";
    let (tags, marked) = profile_tags(&aws, profile);
    assert_eq!(tags, tag_map(&[("cluster", "prod"), ("team", "platform")]));
    assert!(marked, "the profile carries the ownership mark");

    // The resource's own tags change: the profile's follow.
    ws.write(
        &node_roles(&aws, "controlplane").replace("cluster = \"prod\"", "cluster = \"staging\""),
    );
    ws.apply().assert_ok();
    assert_eq!(
        profile_tags(&aws, profile).0,
        tag_map(&[("cluster", "staging"), ("team", "platform")])
    );
    ws.assert_no_changes();

    // default_tags change: the profiles follow, and a resource that never set
    // `tags` shows no `tags` change (only `tags_all`).
    let config = node_roles(&aws, "controlplane")
        .replace("cluster = \"prod\"", "cluster = \"staging\"")
        .replace("team = \"platform\"", "team = \"infra\"");
    ws.write(&config);
    let plan = ws.assert_changes(&["~ tags_all"]);
    assert!(
        !plan.stdout.contains("-> null"),
        "no `tags` change to null:\n{}",
        plan.stdout
    );
    ws.apply().assert_ok();
    assert_eq!(
        profile_tags(&aws, profile).0,
        tag_map(&[("cluster", "staging"), ("team", "infra")])
    );
    let worker = ws.output("worker_name").as_str().unwrap().to_string();
    assert_eq!(profile_tags(&aws, &worker).0, tag_map(&[("team", "infra")]));
    ws.assert_no_changes();

    // A tag put on the profile out of band is drift: shown and removed.
    block_on(
        aws.iam()
            .tag_instance_profile()
            .instance_profile_name(profile)
            .tags(
                aws_sdk_iam::types::Tag::builder()
                    .key("rogue")
                    .value("1")
                    .build()
                    .unwrap(),
            )
            .send(),
    )
    .unwrap();
    ws.assert_changes(&["update in-place", "rogue"]);
    ws.apply().assert_ok();
    assert_eq!(
        profile_tags(&aws, profile).0,
        tag_map(&[("cluster", "staging"), ("team", "infra")])
    );
    ws.assert_no_changes();
    ws.destroy().assert_ok();
    assert_eq!(profile_count(&aws), 0);
}

/// Without the STS call the account is unknown at plan, but values already
/// in state are not: the plan after apply is empty.
#[test]
fn rancher_roles_plan_empty_with_skip_credentials_validation() {
    let aws = Emulator::start();
    let provider_arn = oidc_provider(&aws, "SKIPCREDS0000000000000000000000");
    let ws = Workspace::new();
    let provider = aws.provider_block().replace(
        "propagation_timeout = \"20s\"",
        "propagation_timeout = \"20s\"\n  skip_credentials_validation = true",
    );
    ws.write(&format!(
        r#"{provider}
resource "clusteriam_rancher_node_role" "worker" {{
  name      = "skip-creds-worker"
  node_role = "worker"
}}
resource "clusteriam_rancher_csp_adapter_role" "this" {{
  name              = "skip-creds-csp"
  oidc_provider_arn = "{provider_arn}"
}}
output "profile_arn" {{ value = clusteriam_rancher_node_role.worker.instance_profile_arn }}
output "account_id" {{ value = clusteriam_rancher_csp_adapter_role.this.account_id }}
"#
    ));
    ws.apply().assert_ok();
    assert_eq!(
        ws.output("profile_arn"),
        format!("arn:aws:iam::{ACCOUNT}:instance-profile/skip-creds-worker").as_str()
    );
    assert_eq!(ws.output("account_id"), ACCOUNT);
    ws.assert_no_changes();
    // A change elsewhere keeps them known too.
    ws.write(&ws_config_with_description(&ws));
    let plan = ws.assert_changes(&["update in-place"]);
    assert!(
        !plan.stdout.contains("known after apply"),
        "{}",
        plan.stdout
    );
    ws.destroy().assert_ok();
}

fn ws_config_with_description(ws: &Workspace) -> String {
    let config = std::fs::read_to_string(ws.path().join("main.tf")).unwrap();
    config.replace(
        "  node_role = \"worker\"",
        "  node_role = \"worker\"\n  description = \"workers\"",
    )
}

/// `create_before_destroy` with a fixed name cannot work: the error says
/// so, rather than suggesting an import of the resource's own role.
#[test]
fn rancher_node_role_create_before_destroy_with_a_fixed_name_explains_itself() {
    let aws = Emulator::start();
    let ws = Workspace::new();
    let config = |path: &str| {
        format!(
            r#"{}
resource "clusteriam_rancher_node_role" "cp" {{
  name      = "cbd-role"
  path      = "{path}"
  node_role = "controlplane"
  lifecycle {{
    create_before_destroy = true
  }}
}}
"#,
            aws.provider_block()
        )
    };
    ws.write(&config("/"));
    ws.apply().assert_ok();
    ws.write(&config("/rancher/"));
    ws.apply().assert_error(&[
        "creating IAM role (`cbd-role`)",
        "created by terraform-provider-clusteriam",
        "create_before_destroy",
        "use `name_prefix`",
        "clusteriam_rancher_node_role.cp",
    ]);
    assert!(
        role(&aws, "cbd-role").is_some(),
        "the old role is untouched"
    );
}
