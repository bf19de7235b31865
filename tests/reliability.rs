//! Reliability: what AWS does on a bad day must never leave an orphaned
//! role, a half-tagged cluster or a lost state entry.
//!
//! - fault injection: single calls throttled, unavailable or answered and
//!   lost (the platform scenarios under random faults are in
//!   `fault_scenarios.rs`);
//! - partial failure: one step of a multi-step resource denied for good,
//!   also with the read after it failing;
//! - interruption: SIGINT to Terraform in the middle of an apply;
//! - concurrency: 100+ resources at `-parallelism=20`.
//!
//! Each test prints its figures (`cargo test --test integration reliability:: -- --nocapture`);
//! RELIABILITY.md records them.

use crate::common;

use std::time::{Duration, Instant};

use common::faults::{FaultProxy, Faults};
use common::scenarios::{assert_workspace_matches, state_resources};
use common::{Emulator, block_on};

/// When AWS throttles a call on every attempt, the error says so: the
/// code, how many attempts were made, and what to do.
#[test]
fn a_call_throttled_on_every_attempt_fails_saying_what_to_do() {
    let aws = Emulator::start();
    let proxy = FaultProxy::start(&aws.url, Faults::default());
    proxy.burst(0, 1_000_000);
    let ws = common::Workspace::new();
    ws.write(&format!(
        "{}\ndata \"clusteriam_policy_document\" \"p\" {{\n  preset = \"rancher_etcd_worker\"\n}}\n",
        common::provider_block_for(&proxy.url).replace("region ", "max_retries = 2\n  region ")
    ));
    ws.plan().assert_error(&[
        "Cannot validate the AWS credentials",
        "Throttling: Rate exceeded (all 3 attempts failed)",
        "Raise `max_retries`",
        "lower `-parallelism`",
    ]);
    assert_eq!(proxy.counts().by_service.get("sts"), Some(&3));
}

// --- Partial failure ---------------------------------------------------------

/// Every multi-step IAM resource, with each step its own AWS operation.
fn multi_step_config(endpoint: &str) -> String {
    format!(
        r#"{}
resource "clusteriam_oidc_provider" "this" {{
  url  = "https://oidc.eks.us-east-1.amazonaws.com/id/PARTIALFAILURE0000000000000000001"
  tags = {{ team = "platform" }}
}}

resource "clusteriam_rancher_node_role" "node" {{
  name      = "pf-node"
  node_role = "worker"
}}

resource "clusteriam_torque_agent_role" "agent" {{
  name              = "pf-agent"
  oidc_provider_arn = clusteriam_oidc_provider.this.arn
  namespace         = "torque"
  service_account   = "torque-agent"
  policy_arns       = [clusteriam_kkp_account_policy.kkp.arn]
}}

resource "clusteriam_kkp_account_policy" "kkp" {{
  name      = "pf-kkp"
  user_name = "pf-user"
}}
"#,
        common::provider_block_for(endpoint)
    )
}

/// For each operation: deny it for good, apply (fails naming the step, the
/// state records what exists), allow it again, apply (converges, empty
/// re-plan), destroy (nothing left).
fn each_step_failing_for_good(steps: &[(&str, &[&str])]) {
    let started = Instant::now();
    let aws = Emulator::start();
    block_on(aws.iam().create_user().user_name("pf-user").send()).unwrap();
    let proxy = FaultProxy::start(&aws.url, Faults::default());
    let ws = common::Workspace::new();
    ws.write(&multi_step_config(&proxy.url));
    for (operation, needles) in steps {
        proxy.configure(|f| f.deny = [operation.to_string()].into());
        let run = ws.apply();
        run.assert_error(needles);
        assert!(
            run.output().contains("AccessDenied"),
            "the AWS error code is shown:\n{}",
            run.output()
        );
        assert!(
            run.mentions("Grant it to the caller")
                || run.mentions("permission on this OIDC provider"),
            "the error says how to fix it:\n{}",
            run.output()
        );
        assert!(proxy.counts().denied > 0, "{operation} was never called");
        assert_matches_allowing_orphan_profile(&aws, &ws, operation);

        proxy.configure(|f| f.deny.clear());
        ws.apply().assert_ok();
        ws.assert_no_changes();
        assert_workspace_matches(&aws, &ws, &[common::ACCOUNT], operation);
        ws.destroy().assert_ok();
        assert_workspace_matches(&aws, &ws, &[common::ACCOUNT], operation);
        assert!(state_resources(&ws).is_empty());
        proxy.reset_counts();
    }
    println!(
        "partial failure: {} operations denied in turn, each failed, converged and destroyed cleanly ({:.1}s)",
        steps.len(),
        started.elapsed().as_secs_f64()
    );
}

/// Like [`assert_workspace_matches`], except that an instance profile that
/// was created but never got its role is not in state: the node role owns
/// the profile of its own name, so the next apply takes it over and destroy
/// deletes it (both checked by the caller).
#[track_caller]
fn assert_matches_allowing_orphan_profile(aws: &Emulator, ws: &common::Workspace, label: &str) {
    let in_aws = common::scenarios::emulator_inventory(aws, &[common::ACCOUNT]);
    let in_state = common::scenarios::state_inventory(ws);
    let leaked: Vec<_> = in_aws
        .difference(&in_state)
        .filter(|line| {
            let role = line.replacen("profile:", "role:", 1);
            !(line.starts_with("profile:") && in_state.contains(&role))
        })
        .collect();
    let lost: Vec<_> = in_state.difference(&in_aws).collect();
    assert!(
        leaked.is_empty() && lost.is_empty(),
        "{label}: the emulator and the state disagree.\nleaked: {leaked:?}\nlost: {lost:?}"
    );
}

#[test]
fn role_create_failing_at_each_step_keeps_what_exists_and_converges() {
    each_step_failing_for_good(&[
        ("CreateRole", &["creating IAM role (`pf-node`)"]),
        (
            "PutRolePolicy",
            &["putting inline policy", "on IAM role (`pf-node`)"],
        ),
        (
            "AttachRolePolicy",
            &[
                "attaching policy `arn:aws:iam::123456789012:policy/pf-kkp` to IAM role (`pf-agent`)",
            ],
        ),
        (
            "CreateInstanceProfile",
            &["creating the instance profile of IAM role (`pf-node`)"],
        ),
        (
            "AddRoleToInstanceProfile",
            &["adding IAM role to its instance profile (`pf-node`)"],
        ),
    ]);
}

#[test]
fn policy_and_oidc_create_failing_at_each_step_keeps_what_exists_and_converges() {
    each_step_failing_for_good(&[
        ("CreatePolicy", &["creating IAM policy (`pf-kkp`)"]),
        (
            "AttachUserPolicy",
            &["attaching IAM policy (`pf-kkp`) to user (`pf-user`)"],
        ),
        (
            "CreateOpenIDConnectProvider",
            &["creating IAM OIDC provider"],
        ),
        ("GetOpenIDConnectProvider", &["creating IAM OIDC provider"]),
    ]);
}

/// An update whose step is refused and whose look at AWS after it is
/// refused too (`then_deny`), so the provider cannot say what AWS holds:
/// the error is shown, the resource stays in state as the same object
/// (dropped, the next apply would create it again over the existing one,
/// or adopt and so orphan it), and the next apply converges from it, with
/// nothing left behind by destroy. `config` writes the configuration of a
/// generation, 1 before the update and 2 after; `kept` names attributes
/// the state must still show as before the update, besides `arn`.
fn update_failing_and_then_unreadable(
    address: &str,
    config: impl Fn(&str, u8) -> String,
    (refused, unread): (&str, &str),
    needles: &[&str],
    kept: &[&str],
) {
    let aws = Emulator::start();
    let proxy = FaultProxy::start(&aws.url, Faults::default());
    let ws = common::Workspace::new();
    let accounts = [common::ACCOUNT];
    ws.write(&config(&proxy.url, 1));
    ws.apply().assert_ok();
    let created = ws.state_attributes(address);

    ws.write(&config(&proxy.url, 2));
    proxy.configure(|f| {
        f.deny = [refused.to_string()].into();
        f.then_deny = [(refused.to_string(), [unread.to_string()].into())].into();
    });
    ws.apply().assert_error(needles);
    assert!(
        proxy.counts().denied >= 2,
        "{refused} and the {unread} after it were refused: {}",
        proxy.counts()
    );
    let after_failure = ws.state_attributes(address);
    for attribute in ["arn"].iter().chain(kept) {
        assert_eq!(
            after_failure[attribute], created[attribute],
            "the state still says what it said of `{attribute}`"
        );
    }
    assert_workspace_matches(&aws, &ws, &accounts, "after the failure");

    proxy.configure(|f| *f = Faults::default());
    ws.apply().assert_ok();
    ws.assert_no_changes();
    let converged = ws.state_attributes(address);
    assert_eq!(converged["arn"], created["arn"], "the same object");
    assert_eq!(
        converged["adopted"], created["adopted"],
        "still ours, so destroy deletes it"
    );
    assert_workspace_matches(&aws, &ws, &accounts, "after the next apply");
    ws.destroy().assert_ok();
    assert_workspace_matches(&aws, &ws, &accounts, "after destroy");
    assert!(state_resources(&ws).is_empty());
}

/// A new node role (so a new inline policy) and new tags: tagging the role
/// succeeds, putting the policy is refused, and the role cannot be read
/// after that (the `Left::Unread` arm of the role resources' update).
#[test]
fn a_role_update_failing_and_then_unreadable_keeps_the_role_and_converges() {
    let config = |endpoint: &str, generation: u8| {
        let node_role = ["worker", "controlplane"][usize::from(generation - 1)];
        format!(
            r#"{}
resource "clusteriam_rancher_node_role" "node" {{
  name      = "unread-node"
  node_role = "{node_role}"
  tags      = {{ generation = "{generation}" }}
}}
"#,
            common::provider_block_for(endpoint)
        )
    };
    update_failing_and_then_unreadable(
        "clusteriam_rancher_node_role.node",
        config,
        ("PutRolePolicy", "GetRole"),
        &[
            "putting inline policy",
            "on IAM role (`unread-node`)",
            "AccessDenied",
        ],
        &["node_role", "policy", "tags"],
    );
}

/// New tags on a provider this configuration created: tagging it is
/// refused, and it cannot be read after that (`minimal_state` in
/// `converge_and_read`).
#[test]
fn an_oidc_provider_update_failing_and_then_unreadable_keeps_the_provider_and_converges() {
    let config = |endpoint: &str, generation: u8| {
        format!(
            r#"{}
resource "clusteriam_oidc_provider" "this" {{
  url  = "https://oidc.eks.us-east-1.amazonaws.com/id/UNREADABLEUNREADABLE000000000001"
  tags = {{ generation = "{generation}" }}
}}
"#,
            common::provider_block_for(endpoint)
        )
    };
    update_failing_and_then_unreadable(
        "clusteriam_oidc_provider.this",
        config,
        ("TagOpenIDConnectProvider", "GetOpenIDConnectProvider"),
        &["tagging IAM OIDC provider", "AccessDenied"],
        &["adopted", "tags", "tags_all"],
    );
}

#[test]
fn cluster_tags_failing_half_way_keeps_what_exists_and_converges() {
    let aws = Emulator::start();
    let (subnet, group_a, instance) = common::scenarios::rancher_network(&aws);
    let ec2 = aws.ec2();
    let group_b = block_on(async {
        let vpc = ec2
            .describe_subnets()
            .subnet_ids(&subnet)
            .send()
            .await
            .unwrap()
            .subnets
            .unwrap()[0]
            .vpc_id
            .clone()
            .unwrap();
        ec2.create_security_group()
            .group_name("rancher-b")
            .description("rancher-b")
            .vpc_id(vpc)
            .send()
            .await
            .unwrap()
            .group_id
            .unwrap()
    });
    let proxy = FaultProxy::start(&aws.url, Faults::default());
    let ws = common::Workspace::new();
    let config = |group: &str| {
        format!(
            r#"{}
resource "clusteriam_cluster_tags" "this" {{
  cluster_id        = "pf"
  instance_ids      = ["{instance}"]
  subnet_ids        = ["{subnet}"]
  security_group_id = "{group}"
}}
"#,
            common::provider_block_for(&proxy.url)
        )
    };
    let accounts = [common::ACCOUNT];

    // Create: the tagging call is refused; nothing is tagged, nothing is in state.
    ws.write(&config(&group_a));
    proxy.configure(|f| f.deny = ["CreateTags".to_string()].into());
    ws.apply().assert_error(&[
        "tagging EC2 resources for cluster (`pf`)",
        "UnauthorizedOperation",
        "ec2:CreateTags",
    ]);
    assert_workspace_matches(&aws, &ws, &accounts, "create");
    proxy.configure(|f| f.deny.clear());
    ws.apply().assert_ok();
    assert_workspace_matches(&aws, &ws, &accounts, "create");

    // Moving the tag to another group: the old group is untagged first, then
    // tagging the new one is refused; the state says what carries the tag.
    ws.write(&config(&group_b));
    proxy.configure(|f| f.deny = ["CreateTags".to_string()].into());
    ws.apply()
        .assert_error(&["tagging EC2 resources for cluster (`pf`)"]);
    assert_workspace_matches(&aws, &ws, &accounts, "update");
    proxy.configure(|f| f.deny.clear());
    ws.apply().assert_ok();
    ws.assert_no_changes();
    assert_workspace_matches(&aws, &ws, &accounts, "update");

    // Destroy refused half-way keeps the state; the next destroy finishes.
    proxy.configure(|f| f.deny = ["DeleteTags".to_string()].into());
    ws.destroy()
        .assert_error(&["untagging EC2 resources for cluster (`pf`)"]);
    assert_workspace_matches(&aws, &ws, &accounts, "destroy");
    proxy.configure(|f| f.deny.clear());
    ws.destroy().assert_ok();
    assert_workspace_matches(&aws, &ws, &accounts, "destroy");
    assert!(state_resources(&ws).is_empty());
}

// --- Interruption ------------------------------------------------------------

/// A terraform process, interrupted or killed if still running when dropped.
struct Running(std::process::Child);

impl Drop for Running {
    fn drop(&mut self) {
        if matches!(self.0.try_wait(), Ok(None)) {
            interrupt(self.0.id());
            let deadline = Instant::now() + Duration::from_secs(20);
            while matches!(self.0.try_wait(), Ok(None)) && Instant::now() < deadline {
                std::thread::sleep(Duration::from_millis(100));
            }
            let _ = self.0.kill();
            let _ = self.0.wait();
        }
    }
}

fn interrupt(pid: u32) {
    let _ = std::process::Command::new("kill")
        .args(["-INT", &pid.to_string()])
        .status();
}

#[test]
fn interrupted_apply_leaves_consistent_state_and_converges() {
    const ROLES: usize = 12;
    let started = Instant::now();
    let aws = Emulator::start();
    // Slow AWS: every answer takes 150ms, so the apply is mid-way when interrupted.
    let proxy = FaultProxy::start(
        &aws.url,
        Faults {
            delay: Duration::from_millis(150),
            ..Default::default()
        },
    );
    let ws = common::Workspace::new();
    ws.write(&format!(
        r#"{}
resource "clusteriam_rancher_node_role" "node" {{
  count     = {ROLES}
  name      = "interrupted-${{count.index}}"
  node_role = "worker"
}}
"#,
        common::provider_block_for(&proxy.url)
    ));

    let mut command = std::process::Command::new(common::terraform_bin());
    command
        .args([
            "apply",
            "-auto-approve",
            "-no-color",
            "-input=false",
            "-parallelism=4",
        ])
        .current_dir(ws.path())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped());
    ws.configure(&mut command);
    let mut child = Running(command.spawn().expect("starting terraform apply"));
    // Interrupt once some roles are being created, well before all are.
    let deadline = Instant::now() + Duration::from_secs(60);
    while proxy.counts().forwarded < 30 {
        assert!(Instant::now() < deadline, "the apply never got going");
        std::thread::sleep(Duration::from_millis(50));
    }
    let interrupted_after = proxy.counts().forwarded;
    interrupt(child.0.id());
    let deadline = Instant::now() + Duration::from_secs(60);
    let status = loop {
        if let Some(status) = child.0.try_wait().unwrap() {
            break status;
        }
        assert!(
            Instant::now() < deadline,
            "terraform did not stop within 60s of SIGINT"
        );
        std::thread::sleep(Duration::from_millis(100));
    };
    let mut output = String::new();
    use std::io::Read;
    child
        .0
        .stdout
        .take()
        .unwrap()
        .read_to_string(&mut output)
        .unwrap();
    child
        .0
        .stderr
        .take()
        .unwrap()
        .read_to_string(&mut output)
        .unwrap();
    assert!(!status.success(), "the apply was interrupted:\n{output}");
    assert!(
        output.contains("Interrupt received") || output.contains("interrupt"),
        "{output}"
    );

    let in_state = state_resources(&ws).len();
    assert!(
        in_state < ROLES,
        "the interrupt came too late to test anything: {in_state} roles done\n{output}"
    );
    assert_matches_allowing_orphan_profile(&aws, &ws, "after the interrupt");

    proxy.configure(|f| f.delay = Duration::ZERO);
    ws.apply().assert_ok();
    ws.assert_no_changes();
    assert_workspace_matches(&aws, &ws, &[common::ACCOUNT], "after the next apply");
    assert_eq!(state_resources(&ws).len(), ROLES);
    ws.destroy().assert_ok();
    assert_workspace_matches(&aws, &ws, &[common::ACCOUNT], "after destroy");
    println!(
        "interruption: SIGINT after {interrupted_after} AWS calls; {in_state} of {ROLES} roles in state \
         after the interrupt, state matched the emulator; the next apply converged, destroy left nothing ({:.1}s)",
        started.elapsed().as_secs_f64()
    );
}

// --- Concurrency -------------------------------------------------------------

#[test]
fn hundred_resources_apply_in_parallel_and_destroy_cleanly() {
    let started = Instant::now();
    let aws = Emulator::start();
    block_on(aws.iam().create_user().user_name("kkp").send()).unwrap();
    let proxy = FaultProxy::start(&aws.url, Faults::default());
    let ws = common::Workspace::new();
    ws.write(&format!(
        r#"{}
locals {{
  ids = [for i in range(10) : format("CONCURRENT%022d", i)]
}}

resource "clusteriam_oidc_provider" "cluster" {{
  count = 10
  url   = "https://oidc.eks.us-east-1.amazonaws.com/id/${{local.ids[count.index]}}"
}}

resource "clusteriam_rancher_node_role" "node" {{
  count     = 30
  name      = "node-${{count.index}}"
  node_role = ["controlplane", "etcd", "worker"][count.index % 3]
}}

resource "clusteriam_rancher_csp_adapter_role" "csp" {{
  count             = 20
  name              = "csp-${{count.index}}"
  oidc_provider_arn = clusteriam_oidc_provider.cluster[count.index % 10].arn
}}

resource "clusteriam_torque_agent_role" "agent" {{
  count             = 25
  name              = "agent-${{count.index}}"
  oidc_provider_arn = clusteriam_oidc_provider.cluster[count.index % 10].arn
  namespace         = "torque-${{count.index}}"
  service_account   = "runner"
  policy_arns       = [clusteriam_kkp_account_policy.kkp[count.index % 20].arn]
}}

resource "clusteriam_kkp_account_policy" "kkp" {{
  count       = 20
  name        = "kkp-${{count.index}}"
  user_name   = count.index == 0 ? "kkp" : null
}}
"#,
        common::provider_block_for(&proxy.url)
    ));
    let parallel = |command: &str, extra: &[&str]| {
        let mut args = vec![command, "-no-color", "-input=false", "-parallelism=20"];
        args.extend(extra);
        ws.run(&args)
    };

    let t = Instant::now();
    parallel("apply", &["-auto-approve"]).assert_ok();
    let apply_time = t.elapsed();
    let apply_calls = proxy.counts().seen;
    let resources = state_resources(&ws).len();
    assert!(resources >= 100, "{resources} resources");
    assert_workspace_matches(&aws, &ws, &[common::ACCOUNT], "after apply");

    let run = parallel("plan", &["-detailed-exitcode"]);
    assert_eq!(run.code, 0, "the re-plan must be empty:\n{}", run.output());

    proxy.reset_counts();
    let t = Instant::now();
    parallel("destroy", &["-auto-approve"]).assert_ok();
    let destroy_time = t.elapsed();
    let destroy_calls = proxy.counts().seen;
    assert_workspace_matches(&aws, &ws, &[common::ACCOUNT], "after destroy");
    assert!(state_resources(&ws).is_empty());
    println!(
        "concurrency: {resources} resources at -parallelism=20: apply {:.1}s ({apply_calls} AWS calls), \
         empty re-plan, destroy {:.1}s ({destroy_calls} AWS calls), nothing left; {:.1}s in all",
        apply_time.as_secs_f64(),
        destroy_time.as_secs_f64(),
        started.elapsed().as_secs_f64()
    );
}

// --- Lost answers ------------------------------------------------------------

/// IAM makes the object but its answer is lost: the SDK's retry meets
/// EntityAlreadyExists for what the first attempt made. For every create
/// that is not idempotent, that object is ours: the apply succeeds without
/// adopting it, the state matches AWS, and destroy removes it.
#[test]
fn creates_whose_answer_is_lost_are_ours_and_destroyed() {
    let aws = Emulator::start();
    block_on(aws.iam().create_user().user_name("pf-user").send()).unwrap();
    let lost = [
        "CreateOpenIDConnectProvider",
        "CreateRole",
        "CreateInstanceProfile",
        "CreatePolicy",
        "CreateServiceLinkedRole",
    ];
    let proxy = FaultProxy::start(
        &aws.url,
        Faults {
            lose_response: lost.iter().map(|op| op.to_string()).collect(),
            ..Default::default()
        },
    );
    let ws = common::Workspace::new();
    ws.write(&format!(
        "{}\nresource \"clusteriam_eks_connector_service_linked_role\" \"this\" {{}}\n",
        multi_step_config(&proxy.url)
    ));
    ws.apply().assert_ok();
    assert_eq!(
        proxy.counts().failed.get("lost response"),
        Some(&(lost.len() as u64)),
        "{}",
        proxy.counts()
    );
    for address in [
        "clusteriam_oidc_provider.this",
        "clusteriam_eks_connector_service_linked_role.this",
    ] {
        assert_eq!(
            ws.state_attributes(address)["adopted"],
            false,
            "{address} was made by this apply"
        );
    }
    ws.assert_no_changes();
    assert_workspace_matches(&aws, &ws, &[common::ACCOUNT], "after apply");
    ws.destroy().assert_ok();
    assert_workspace_matches(&aws, &ws, &[common::ACCOUNT], "after destroy");
    assert!(state_resources(&ws).is_empty());
}

/// A create whose first attempt is throttled while another party creates
/// the same object must not claim that object: a throttle is an answer that
/// AWS did nothing, so what the retry meets is someone else's.
#[test]
fn a_throttled_create_never_claims_what_someone_else_made_meanwhile() {
    use common::faults::Interloper;
    use std::sync::Arc;

    const URL: &str =
        "https://oidc.eks.us-east-1.amazonaws.com/id/RACEDRACEDRACEDRACEDRACED0000001";
    let aws = Emulator::start();
    let foreign_provider = {
        let aws_url = aws.url.clone();
        Interloper(Arc::new(move || {
            let iam = common::iam_at(&aws_url);
            block_on(
                iam.create_open_id_connect_provider()
                    .url(URL)
                    .client_id_list("other-audience")
                    .tags(
                        aws_sdk_iam::types::Tag::builder()
                            .key("owner")
                            .value("other-team")
                            .build()
                            .unwrap(),
                    )
                    .send(),
            )
            .expect("the other party's CreateOpenIDConnectProvider");
        }))
    };
    let foreign_role = {
        let aws_url = aws.url.clone();
        Interloper(Arc::new(move || {
            let iam = common::iam_at(&aws_url);
            block_on(
                iam.create_role()
                    .role_name("raced-role")
                    .assume_role_policy_document(
                        r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::999999999999:root"},"Action":"sts:AssumeRole"}]}"#,
                    )
                    .send(),
            )
            .expect("the other party's CreateRole");
        }))
    };
    let proxy = FaultProxy::start(
        &aws.url,
        Faults {
            throttle_first_after: [
                ("CreateOpenIDConnectProvider".to_string(), foreign_provider),
                ("CreateRole".to_string(), foreign_role),
            ]
            .into(),
            // Adopting adds our audience: answered as IAM does, not with
            // the emulator's "not implemented" (which the provider retried
            // as a server error for minutes).
            emulate_client_ids: true,
            ..Default::default()
        },
    );
    let ws = common::Workspace::new();
    ws.write(&format!(
        r#"{}
resource "clusteriam_oidc_provider" "this" {{
  url = "{URL}"
}}
resource "clusteriam_eks_connector_agent_role" "raced" {{
  name = "raced-role"
}}
"#,
        common::provider_block_for(&proxy.url)
    ));
    let run = ws.apply();
    assert_eq!(
        proxy.counts().failed.get("throttled for an interloper"),
        Some(&2),
        "{}",
        proxy.counts()
    );

    // The role is someone else's: the apply fails on it and grants nothing.
    run.assert_error(&["creating IAM role (`raced-role`)", "EntityAlreadyExists"]);
    let iam = aws.iam();
    let role = block_on(iam.get_role().role_name("raced-role").send()).unwrap();
    let trust = terraform_provider_clusteriam::policy::from_iam(
        role.role().unwrap().assume_role_policy_document().unwrap(),
    );
    assert!(trust.contains("999999999999"), "trust untouched: {trust}");
    let inline = block_on(iam.list_role_policies().role_name("raced-role").send()).unwrap();
    assert!(
        inline.policy_names().is_empty(),
        "nothing granted to a role that isn't ours"
    );
    let state = run_state_addresses(&ws);
    assert!(
        !state.contains(&"clusteriam_eks_connector_agent_role.raced".to_string()),
        "the other party's role is not in state: {state:?}"
    );

    // The provider is someone else's: adopted, it keeps its audience and tags.
    assert_eq!(
        ws.state_attributes("clusteriam_oidc_provider.this")["adopted"],
        true
    );
    let arn = ws.state_attributes("clusteriam_oidc_provider.this")["arn"]
        .as_str()
        .unwrap()
        .to_string();
    let adopted = block_on(
        iam.get_open_id_connect_provider()
            .open_id_connect_provider_arn(&arn)
            .send(),
    )
    .unwrap();
    assert_eq!(
        adopted.client_id_list(),
        ["other-audience", "sts.amazonaws.com"],
        "the adopter added the audience it needs beside theirs"
    );
    ws.run(&["state", "rm", "clusteriam_eks_connector_agent_role.raced"]);
    ws.destroy().assert_ok();
    let kept = block_on(
        iam.get_open_id_connect_provider()
            .open_id_connect_provider_arn(&arn)
            .send(),
    )
    .expect("destroy leaves the other party's provider");
    assert!(
        kept.client_id_list()
            .contains(&"other-audience".to_string())
    );
    assert!(
        kept.tags()
            .iter()
            .any(|t| t.key() == "owner" && t.value() == "other-team")
    );
    assert!(block_on(iam.get_role().role_name("raced-role").send()).is_ok());
}

fn run_state_addresses(ws: &common::Workspace) -> Vec<String> {
    let run = ws.run(&["state", "list"]);
    run.stdout.lines().map(str::to_string).collect()
}
