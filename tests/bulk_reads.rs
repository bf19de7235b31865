//! Bulk reads (`bulk_reads`, issue 18): the role, KKP, Torque / EKS
//! Connector, cross-account and billing adapter suites run again here with every refresh and import read from
//! the account's bulk read (`tests/common` sets `CLUSTERIAM_BULK_READS=always`
//! for tests under `bulk_reads::`, `never` for the others), and the tests below hold the two
//! paths to the same answers. The OIDC provider suite is not repeated: OIDC
//! providers are always read one by one (IAM has no bulk read for them).

// The suites a second time, on purpose (see above).
#[allow(clippy::duplicate_mod)]
#[path = "cross_account.rs"]
mod cross_account;
#[allow(clippy::duplicate_mod)]
#[path = "kkp.rs"]
mod kkp;
#[allow(clippy::duplicate_mod)]
#[path = "rancher_billing.rs"]
mod rancher_billing;
#[allow(clippy::duplicate_mod)]
#[path = "rancher_roles.rs"]
mod rancher_roles;
#[allow(clippy::duplicate_mod)]
#[path = "torque_connector.rs"]
mod torque_connector;

use crate::common;

use std::collections::BTreeMap;
use std::time::Duration;

use common::faults::{FaultProxy, Faults};
use common::{ACCOUNT, Emulator, REGION, Workspace, block_on, provider_block_for};
use terraform_provider_clusteriam::aws::{self, Aws, BulkReads, IamObject, Profiles};
use terraform_provider_clusteriam::policy::canonical_json;

const TRUST: &str = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"ec2.amazonaws.com"},"Action":"sts:AssumeRole"}]}"#;
const S3_READ: &str = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:GetObject","Resource":"*"}]}"#;
const S3_GET_BUCKET: &str = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:GetBucketLocation","Resource":"*"}]}"#;
/// The CSP adapter role's inline policy's name.
const CSP_POLICY: &str = "RancherCSPAdapterPermissions";
const S3_ALL: &str =
    r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:*","Resource":"*"}]}"#;

fn tag(key: &str, value: &str) -> aws_sdk_iam::types::Tag {
    aws_sdk_iam::types::Tag::builder()
        .key(key)
        .value(value)
        .build()
        .unwrap()
}

/// The provider's AWS access, as `configure` builds it, at `url`.
fn connect(url: &str, mode: BulkReads) -> Aws {
    let none = std::env::temp_dir().join("clusteriam-bulk-reads-no-aws-files");
    let settings = aws::Settings {
        region: Some(REGION.into()),
        access_key: Some("testing".into()),
        secret_key: Some("testing".into()),
        shared_config_files: vec![none.display().to_string()],
        shared_credentials_files: vec![none.display().to_string()],
        endpoints: aws::Endpoints {
            iam: Some(url.into()),
            sts: Some(url.into()),
            ec2: Some(url.into()),
            eks: Some(url.into()),
        },
        propagation_timeout: Duration::from_secs(20),
        bulk_reads: mode,
        ..Default::default()
    };
    block_on(aws::connect(&settings)).unwrap_or_else(|e| panic!("connect: {e:?}"))
}

/// Roles, instance profiles, policies and a user in the shapes a refresh
/// meets, drift included: everything the bulk read must say as the
/// per-object reads do.
fn account_with_every_shape(emulator: &Emulator) -> (String, String) {
    let iam = emulator.iam();
    block_on(async {
        let policy = |name: &'static str, document: &'static str| {
            iam.create_policy()
                .policy_name(name)
                .policy_document(document)
                .send()
        };
        let boundary = policy("boundary", S3_ALL).await.unwrap();
        let boundary = boundary.policy().and_then(|p| p.arn()).unwrap().to_string();
        let kkp = policy("kkp", S3_READ).await.unwrap();
        let kkp = kkp.policy().and_then(|p| p.arn()).unwrap().to_string();
        iam.create_policy_version()
            .policy_arn(&kkp)
            .policy_document(S3_ALL)
            .set_as_default(true)
            .send()
            .await
            .unwrap();
        policy("lonely", S3_READ).await.unwrap();
        iam.create_user()
            .user_name("kubermatic")
            .send()
            .await
            .unwrap();
        iam.attach_user_policy()
            .user_name("kubermatic")
            .policy_arn(&kkp)
            .send()
            .await
            .unwrap();

        // Everything a role can carry.
        iam.create_role()
            .role_name("full")
            .path("/k8s/")
            .description("every setting")
            .max_session_duration(7200)
            .permissions_boundary(&boundary)
            .assume_role_policy_document(TRUST)
            .tags(tag("team", "platform"))
            .tags(tag("clusteriam:created-by", "mark"))
            .send()
            .await
            .unwrap();
        for (name, document) in [("read", S3_READ), ("all", S3_ALL)] {
            iam.put_role_policy()
                .role_name("full")
                .policy_name(name)
                .policy_document(document)
                .send()
                .await
                .unwrap();
        }
        iam.attach_role_policy()
            .role_name("full")
            .policy_arn(&kkp)
            .send()
            .await
            .unwrap();
        // Its instance profile, whose tags drifted from the role's.
        iam.create_instance_profile()
            .instance_profile_name("full")
            .tags(tag("team", "drifted"))
            .tags(tag("clusteriam:created-by", "mark"))
            .send()
            .await
            .unwrap();
        iam.add_role_to_instance_profile()
            .instance_profile_name("full")
            .role_name("full")
            .send()
            .await
            .unwrap();
        iam.create_instance_profile()
            .instance_profile_name("another")
            .send()
            .await
            .unwrap();
        iam.add_role_to_instance_profile()
            .instance_profile_name("another")
            .role_name("full")
            .send()
            .await
            .unwrap();

        iam.create_role()
            .role_name("plain")
            .assume_role_policy_document(TRUST)
            .send()
            .await
            .unwrap();
        // A profile named like its role that lost the role, and one without tags.
        for (name, holds_role) in [("lost-profile", false), ("untagged-profile", true)] {
            iam.create_role()
                .role_name(name)
                .assume_role_policy_document(TRUST)
                .send()
                .await
                .unwrap();
            let mut profile = iam.create_instance_profile().instance_profile_name(name);
            if !holds_role {
                profile = profile.tags(tag("team", "platform"));
            }
            profile.send().await.unwrap();
            if holds_role {
                iam.add_role_to_instance_profile()
                    .instance_profile_name(name)
                    .role_name(name)
                    .send()
                    .await
                    .unwrap();
            }
        }
        let linked = iam
            .create_service_linked_role()
            .aws_service_name("eks-connector.amazonaws.com")
            .send()
            .await
            .unwrap();
        (kkp, linked.role().unwrap().role_name.clone())
    })
}

/// IAM calls a proxy saw.
fn iam_calls(proxy: &FaultProxy) -> u64 {
    proxy.counts().by_service.get("iam").copied().unwrap_or(0)
}

#[test]
fn bulk_and_per_object_reads_observe_the_same() {
    let emulator = Emulator::start();
    let (kkp, linked) = account_with_every_shape(&emulator);
    let bulk_proxy = FaultProxy::start(&emulator.url, Faults::default());
    let alone_proxy = FaultProxy::start(&emulator.url, Faults::default());
    let bulk = connect(&bulk_proxy.url, BulkReads::Always);
    let alone = connect(&alone_proxy.url, BulkReads::Never);
    bulk_proxy.reset_counts();
    alone_proxy.reset_counts();

    let names = [
        "full",
        "plain",
        "lost-profile",
        "untagged-profile",
        "missing",
        // IAM names are unique whatever their case.
        "FULL",
        linked.as_str(),
    ];
    block_on(async {
        for name in names {
            for profiles in [Profiles::Skip, Profiles::Own, Profiles::All] {
                let from_bulk = bulk.read_role(name, profiles).await.unwrap();
                let from_iam = alone.read_role(name, profiles).await.unwrap();
                assert_eq!(from_bulk, from_iam, "role {name}, {profiles:?}");
            }
            assert_eq!(
                bulk.read_service_linked_role(name).await.unwrap(),
                alone.read_service_linked_role(name).await.unwrap(),
                "service-linked role {name}"
            );
        }
        // A role the listing shows exactly as GetRole does, drift included.
        let full = bulk
            .read_role("full", Profiles::Own)
            .await
            .unwrap()
            .unwrap();
        assert_eq!(full.description.as_deref(), Some("every setting"));
        assert_eq!(full.max_session_duration, 7200);
        assert_eq!(full.inline_policies.len(), 2);
        assert_eq!(
            full.own_profile.unwrap().tags,
            BTreeMap::from([("team".to_string(), "drifted".to_string())])
        );

        let lonely = format!("arn:aws:iam::{ACCOUNT}:policy/lonely");
        let gone = format!("arn:aws:iam::{ACCOUNT}:policy/gone");
        for (arn, version) in [
            (&kkp, "v1"),
            (&kkp, "v2"),
            (&kkp, "v3"),
            (&lonely, "v1"),
            (&gone, "v1"),
        ] {
            let normal = |details: Option<(String, Vec<String>)>| {
                details.map(|(document, mut users)| {
                    users.sort();
                    (canonical_json(&document).unwrap(), users)
                })
            };
            assert_eq!(
                normal(bulk.read_policy_details(arn, version, true).await.unwrap()),
                normal(alone.read_policy_details(arn, version, true).await.unwrap()),
                "policy {arn} {version}"
            );
        }
    });
    // The same answers, for far fewer calls: the bulk read (two calls),
    // then only the objects it could not vouch for (a policy version it
    // does not list, profiles listed without tags or without their role,
    // a name in another case).
    let (with_bulk, without) = (iam_calls(&bulk_proxy), iam_calls(&alone_proxy));
    assert!(
        with_bulk * 3 < without,
        "IAM calls with the bulk read {with_bulk}, without {without}"
    );
}

#[test]
fn the_bulk_read_is_read_once_and_never_after_a_change() {
    let emulator = Emulator::start();
    account_with_every_shape(&emulator);
    let proxy = FaultProxy::start(&emulator.url, Faults::default());
    let bulk = connect(&proxy.url, BulkReads::Always);
    let iam = emulator.iam();
    block_on(async {
        let description = |role: Option<aws::ObservedRole>| role.unwrap().description;
        assert_eq!(
            description(bulk.read_role("plain", Profiles::Skip).await.unwrap()),
            None
        );
        let after_first = iam_calls(&proxy);
        // Changed by someone else meanwhile: the reads of this provider
        // process keep to the one bulk read, as one refresh's reads do.
        iam.update_role()
            .role_name("plain")
            .description("changed")
            .send()
            .await
            .unwrap();
        assert_eq!(
            description(bulk.read_role("plain", Profiles::Skip).await.unwrap()),
            None
        );
        assert_eq!(
            iam_calls(&proxy),
            after_first,
            "no call: the same bulk read"
        );
        // Once the provider itself changes something, every read asks IAM.
        bulk.tag_iam(
            IamObject::Role("full"),
            &BTreeMap::from([("k".to_string(), "v".to_string())]),
        )
        .await
        .unwrap();
        assert_eq!(
            description(bulk.read_role("plain", Profiles::Skip).await.unwrap()).as_deref(),
            Some("changed")
        );
    });
}

/// A configuration with every kind of IAM object a refresh reads in bulk.
fn fleet_config(url: &str, policy_arn: &str) -> String {
    format!(
        r#"{provider}
resource "clusteriam_oidc_provider" "cluster" {{
  url = "https://oidc.eks.us-east-1.amazonaws.com/id/BULKREADS"
}}
resource "clusteriam_rancher_node_role" "worker" {{
  name      = "bulk-worker"
  node_role = "worker"
}}
resource "clusteriam_torque_agent_role" "agent" {{
  name              = "bulk-torque"
  oidc_provider_arn = clusteriam_oidc_provider.cluster.arn
  namespace         = "torque"
  service_account   = "runner"
  policy_arns       = ["{policy_arn}"]
}}
resource "clusteriam_rancher_csp_adapter_role" "csp" {{
  name              = "bulk-csp"
  oidc_provider_arn = clusteriam_oidc_provider.cluster.arn
}}
resource "clusteriam_kkp_account_policy" "kkp" {{
  name      = "bulk-kkp"
  user_name = "kubermatic"
}}
resource "clusteriam_eks_connector_agent_role" "connector" {{
  name = "bulk-connector"
}}
resource "clusteriam_eks_connector_service_linked_role" "connector" {{}}
"#,
        provider = provider_block_for(url)
    )
}

/// A plan's text and exit code with bulk reads `mode`, without the
/// `Refreshing state...` lines (their order is the reads' completion order).
fn plan_with(ws: &mut Workspace, mode: &str, refresh_only: bool) -> (i32, String) {
    ws.set_env("CLUSTERIAM_BULK_READS", mode);
    let mut args = vec!["plan", "-no-color", "-input=false", "-detailed-exitcode"];
    if refresh_only {
        args.push("-refresh-only");
    }
    let run = ws.run(&args);
    assert_ne!(run.code, 1, "plan failed:\n{}", run.output());
    let plan: Vec<&str> = run
        .stdout
        .lines()
        .filter(|l| !l.contains(": Refreshing state..."))
        .collect();
    (run.code, plan.join("\n"))
}

#[test]
fn drift_between_two_plans_is_seen_alike_by_both_paths() {
    let emulator = Emulator::start();
    let iam = emulator.iam();
    let policy_arn = block_on(async {
        iam.create_user()
            .user_name("kubermatic")
            .send()
            .await
            .unwrap();
        let out = iam
            .create_policy()
            .policy_name("torque-iac")
            .policy_document(S3_ALL)
            .send()
            .await
            .unwrap();
        out.policy().and_then(|p| p.arn()).unwrap().to_string()
    });
    let mut ws = Workspace::new();
    ws.write(&fleet_config(&emulator.url, &policy_arn));
    ws.apply().assert_ok();
    for mode in ["never", "always"] {
        for refresh_only in [false, true] {
            let (code, out) = plan_with(&mut ws, mode, refresh_only);
            assert_eq!(code, 0, "{mode}: no changes expected:\n{out}");
        }
    }

    // Drift in every part of the bulk read, made between two plans.
    block_on(async {
        let kkp = format!("arn:aws:iam::{ACCOUNT}:policy/bulk-kkp");
        // (Not the worker's: its drifted profile tags would hide the role's.)
        iam.tag_role()
            .role_name("bulk-connector")
            .tags(tag("added", "by hand"))
            .send()
            .await
            .unwrap();
        iam.tag_instance_profile()
            .instance_profile_name("bulk-worker")
            .tags(tag("profile", "drift"))
            .send()
            .await
            .unwrap();
        iam.update_role()
            .role_name("bulk-connector")
            .description("changed by hand")
            .max_session_duration(7200)
            .send()
            .await
            .unwrap();
        iam.put_role_permissions_boundary()
            .role_name("bulk-connector")
            .permissions_boundary(&policy_arn)
            .send()
            .await
            .unwrap();
        iam.detach_role_policy()
            .role_name("bulk-torque")
            .policy_arn(&policy_arn)
            .send()
            .await
            .unwrap();
        iam.update_assume_role_policy()
            .role_name("bulk-torque")
            .policy_document(TRUST)
            .send()
            .await
            .unwrap();
        iam.put_role_policy()
            .role_name("bulk-csp")
            .policy_name(CSP_POLICY)
            .policy_document(S3_GET_BUCKET)
            .send()
            .await
            .unwrap();
        iam.create_policy_version()
            .policy_arn(&kkp)
            .policy_document(S3_READ)
            .set_as_default(true)
            .send()
            .await
            .unwrap();
        iam.detach_user_policy()
            .user_name("kubermatic")
            .policy_arn(&kkp)
            .send()
            .await
            .unwrap();
    });
    for refresh_only in [false, true] {
        let (alone_code, alone) = plan_with(&mut ws, "never", refresh_only);
        let (bulk_code, bulk) = plan_with(&mut ws, "always", refresh_only);
        assert_eq!(alone_code, 2, "the drift shows:\n{alone}");
        assert_eq!(
            (bulk_code, bulk.as_str()),
            (alone_code, alone.as_str()),
            "the same plan from both paths"
        );
        for drift in [
            "\"added\"",
            "\"profile\"",
            "changed by hand",
            "max_session_duration",
            "permissions_boundary",
            "policy_arns",
            "assume_role_policy",
            "user_name",
            "s3:GetObject",
            "s3:GetBucketLocation",
        ] {
            assert!(alone.contains(drift), "`{drift}` in the plan:\n{alone}");
        }
    }
    // Repaired with bulk reads, and empty again by both paths.
    ws.set_env("CLUSTERIAM_BULK_READS", "always");
    ws.apply().assert_ok();
    for mode in ["never", "always"] {
        let (code, out) = plan_with(&mut ws, mode, false);
        assert_eq!(code, 0, "{mode}: no changes after the repair:\n{out}");
    }
    ws.destroy().assert_ok();
}

/// `AWS call` DEBUG lines of `operation` in a Terraform log.
fn calls_of(log: &str, operation: &str) -> usize {
    log.lines()
        .filter(|l| l.contains("AWS call") && l.contains(&format!("operation={operation} ")))
        .count()
}

#[test]
fn auto_reads_ten_resources_alone_then_the_rest_in_bulk() {
    let emulator = Emulator::start();
    let mut ws = Workspace::new();
    let roles: String = (0..14)
        .map(|i| format!("resource \"clusteriam_eks_connector_agent_role\" \"r{i}\" {{\n  name = \"auto-{i}\"\n}}\n"))
        .collect();
    ws.write(&format!("{}{roles}", emulator.provider_block()));
    ws.apply().assert_ok();
    let log = ws.path().join("terraform.log");
    ws.set_env("TF_LOG_PROVIDER", "DEBUG");
    ws.set_env("TF_LOG_PATH", log.to_str().unwrap());
    let mut refresh = |mode: &str| {
        let _ = std::fs::remove_file(&log);
        let (code, out) = plan_with(&mut ws, mode, true);
        assert_eq!(code, 0, "{mode}: no drift:\n{out}");
        let text = std::fs::read_to_string(&log).unwrap();
        (
            calls_of(&text, "GetRole"),
            calls_of(&text, "GetAccountAuthorizationDetails"),
        )
    };
    assert_eq!(refresh("never"), (14, 0));
    assert_eq!(refresh("auto"), (10, 1), "ten alone, then one bulk read");
    assert_eq!(refresh("always"), (0, 1));
}

#[test]
fn a_denied_bulk_read_falls_back_to_reading_each_resource_silently() {
    let emulator = Emulator::start();
    let proxy = FaultProxy::start(
        &emulator.url,
        Faults {
            deny: ["GetAccountAuthorizationDetails".to_string()].into(),
            ..Default::default()
        },
    );
    let mut ws = Workspace::new();
    ws.write(&format!(
        "{}\nresource \"clusteriam_rancher_node_role\" \"worker\" {{\n  name      = \"denied-worker\"\n  node_role = \"worker\"\n}}\nresource \"clusteriam_eks_connector_agent_role\" \"agent\" {{\n  name = \"denied-agent\"\n}}\n",
        provider_block_for(&proxy.url)
    ));
    ws.apply().assert_ok();
    let log = ws.path().join("terraform.log");
    ws.set_env("TF_LOG_PROVIDER", "DEBUG");
    ws.set_env("TF_LOG_PATH", log.to_str().unwrap());
    proxy.reset_counts();
    for refresh_only in [false, true] {
        let (code, out) = plan_with(&mut ws, "always", refresh_only);
        assert_eq!(code, 0, "no changes, no error:\n{out}");
        // Terraform's own warning about the development override aside.
        assert_eq!(out.matches("Warning:").count(), 1, "nothing to see:\n{out}");
        assert!(
            !out.contains("GetAccountAuthorizationDetails"),
            "nothing to see:\n{out}"
        );
    }
    // Asked once per plan, refused, and every resource read on its own.
    assert_eq!(proxy.counts().denied, 2);
    let text = std::fs::read_to_string(&log).unwrap();
    assert!(
        text.contains("no bulk read of the account's IAM roles and policies"),
        "the DEBUG line says why"
    );
    assert_eq!(calls_of(&text, "GetRole"), 4, "two roles, two plans");
    // Drift is still found.
    block_on(
        emulator
            .iam()
            .update_role()
            .role_name("denied-agent")
            .max_session_duration(7200)
            .send(),
    )
    .unwrap();
    let (code, out) = plan_with(&mut ws, "always", false);
    assert_eq!(code, 2, "{out}");
    assert!(out.contains("max_session_duration"), "{out}");
    ws.destroy().assert_ok();
}
