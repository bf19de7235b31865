//! The permissions the provider needs (`docs/guides/permissions.md`),
//! proven against moto's enforcing mode: once `POST /moto-api/reset-auth`
//! (body `0`) turns it on, moto checks every request against the policies
//! of the access key's user or role.
//!
//! - Every platform scenario of `examples/` runs under an IAM user that
//!   holds exactly the generated policy (`permissions::policy`, all types)
//!   and nothing more: apply (through the fault proxy, with one step denied
//!   and then allowed, answers lost and objects not yet visible, so the
//!   error, lost-answer and propagation paths run too), empty plan, drift
//!   made by an administrator and repaired, import (one resource of each
//!   type), destroy, nothing left.
//! - Each resource type's create, read, update, delete and import run in
//!   small configurations under exactly what `permissions::by_type` lists
//!   for that operation, and each action is shown to be needed: with it
//!   removed from the policy, the step that uses it fails with AccessDenied
//!   naming it; granted again, the step converges.
//!
//! moto's enforcement differs from AWS, and the tests work around it (the
//! "Emulator differences" of RELIABILITY.md list these):
//! - It matches actions only, always against the resource `*`: a statement
//!   scoped to `arn:aws:iam::123456789012:role/*` never matches. And it
//!   evaluates a statement's `Condition` only for `sts:ExternalId`: any
//!   other key counts as absent, and the statement then denies. So the tests
//!   grant the generated policy with every `Resource` replaced by `*` and
//!   every `Condition` left out (the same statements and actions); the
//!   resources and conditions are the unit tests' (`permissions::policy`).
//! - It does not ask for `iam:PassRole` when AddRoleToInstanceProfile adds
//!   a role, as AWS does: that action is not proven here.
//! - Its EKS answers SignatureDoesNotMatch under enforcement: EKS calls go to
//!   a second emulator that does not enforce, so `eks:DescribeCluster` is
//!   not proven here.
//! - AddClientIDToOpenIDConnectProvider and RemoveClientIDFromOpenIDConnectProvider
//!   answer 500 in moto: those two actions are not proven here.
//! - It does not ask for `iam:TagRole` (and the like) when a create call
//!   carries tags, as AWS does; the tagging actions are shown needed by tag
//!   changes. It lets anyone call `sts:GetCallerIdentity`, as AWS does.
//! - A space in a request parameter fails its signature check (see
//!   [`without_spaces_in_sent_descriptions`]), and its refusals come in a
//!   shape the SDK cannot read (the fault proxy reshapes them).
//!
//! `cargo test --test integration permissions:: -- --nocapture` prints each test's time
//! and Terraform runs; RELIABILITY.md records them.

use crate::common;

use std::cell::Cell;
use std::collections::BTreeSet;
use std::io::{Read as _, Write as _};
use std::time::Instant;

use common::faults::{FaultProxy, Faults, seed_for};
use common::scenarios::{
    Scenario, eks_cluster, emulator_inventory, iam_in, rancher_network, state_inventory,
    state_resources,
};
use common::{ACCOUNT, Emulator, Run, Workspace, block_on};
use terraform_provider_clusteriam::aws::permissions::{self, Needs, Operation};

/// The user Terraform runs as, and the group whose policy the tests set.
const USER: &str = "terraform";
const GROUP: &str = "clusteriam-terraform";
/// What every AccessDenied error points at.
const GUIDE: &str = "docs/guides/permissions.md";

#[derive(Clone, Debug)]
pub(crate) struct Keys {
    pub(crate) id: String,
    pub(crate) secret: String,
}

/// A user with access keys; `policy` inline, if given.
pub(crate) fn user_with_keys(iam: &aws_sdk_iam::Client, name: &str, policy: Option<&str>) -> Keys {
    block_on(async {
        iam.create_user().user_name(name).send().await.unwrap();
        if let Some(policy) = policy {
            iam.put_user_policy()
                .user_name(name)
                .policy_name("all")
                .policy_document(policy)
                .send()
                .await
                .unwrap();
        }
        let key = iam
            .create_access_key()
            .user_name(name)
            .send()
            .await
            .unwrap()
            .access_key
            .unwrap();
        Keys {
            id: key.access_key_id,
            secret: key.secret_access_key,
        }
    })
}

fn allow(actions: impl IntoIterator<Item = impl Into<String>>) -> serde_json::Value {
    let mut actions: Vec<String> = actions.into_iter().map(Into::into).collect();
    // A statement needs an action: this one needs no permission anyway.
    if actions.is_empty() {
        actions.push("sts:GetCallerIdentity".into());
    }
    serde_json::json!({
        "Version": "2012-10-17",
        "Statement": [{ "Effect": "Allow", "Action": actions, "Resource": "*" }],
    })
}

const ADMIN_POLICY: &str =
    r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]}"#;

/// The generated policy for `types` (all when empty) with every `Resource`
/// replaced by `*` and no `Condition`, since moto matches a statement's
/// resources against `*` only and cannot evaluate its conditions (see the
/// module's comment). The statements and actions are the generated ones,
/// all of them `Allow`.
fn generated_policy(types: &[&str]) -> serde_json::Value {
    let json = permissions::policy(types, "aws", ACCOUNT).to_canonical_json();
    let mut document: serde_json::Value = serde_json::from_str(&json).unwrap();
    for statement in document["Statement"].as_array_mut().unwrap() {
        assert_eq!(statement["Effect"], "Allow", "{statement}");
        statement["Resource"] = "*".into();
        statement.as_object_mut().unwrap().remove("Condition");
    }
    document
}

fn actions_of(document: &serde_json::Value) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    for statement in document["Statement"].as_array().unwrap() {
        match &statement["Action"] {
            serde_json::Value::String(a) => {
                out.insert(a.clone());
            }
            serde_json::Value::Array(all) => {
                out.extend(all.iter().map(|a| a.as_str().unwrap().to_string()))
            }
            other => panic!("unexpected Action {other}"),
        }
    }
    out
}

/// Turns moto's IAM enforcement on: every request after this one is checked.
pub(crate) fn enforce(aws: &Emulator) {
    let port = aws.url.rsplit(':').next().unwrap();
    let mut conn = std::net::TcpStream::connect(format!("127.0.0.1:{port}")).unwrap();
    conn.write_all(
        format!(
            "POST /moto-api/reset-auth HTTP/1.0\r\nHost: 127.0.0.1:{port}\r\n\
             Content-Type: text/plain\r\nContent-Length: 1\r\n\r\n0"
        )
        .as_bytes(),
    )
    .unwrap();
    let mut answer = String::new();
    conn.read_to_string(&mut answer).unwrap();
    assert!(answer.contains(" 200 OK"), "reset-auth: {answer}");
}

/// An emulator that enforces IAM, with an administrator for the test's own
/// set-up and checks, and the user `terraform` whose policy the test sets.
/// The provider reaches it through a fault proxy (which also gives moto's
/// authorization errors the shape AWS gives them).
struct Lab {
    aws: Emulator,
    /// EKS only, not enforcing (moto's EKS refuses every signature under
    /// enforcement).
    eks: Option<Emulator>,
    proxy: FaultProxy,
    /// Set by [`Lab::enforce`].
    user: Option<Keys>,
    /// Terraform runs so far, for the figures.
    runs: Cell<u32>,
}

impl Lab {
    /// The emulators, not enforcing yet: set up fixtures now, with the
    /// `testing` keys.
    fn start(seed: u64, with_eks: bool) -> Lab {
        let aws = Emulator::start();
        let proxy = FaultProxy::start(
            &aws.url,
            Faults {
                seed,
                ..Default::default()
            },
        );
        Lab {
            aws,
            eks: with_eks.then(Emulator::start),
            proxy,
            user: None,
            runs: Cell::new(0),
        }
    }

    /// Makes the administrator and the user with the `testing` keys, then
    /// turns enforcement on; the emulator's own clients use the
    /// administrator's keys from then on.
    fn enforce(&mut self) {
        let iam = self.aws.iam();
        let admin = user_with_keys(&iam, "admin", Some(ADMIN_POLICY));
        let user = user_with_keys(&iam, USER, None);
        block_on(async {
            iam.create_group().group_name(GROUP).send().await.unwrap();
            iam.add_user_to_group()
                .group_name(GROUP)
                .user_name(USER)
                .send()
                .await
                .unwrap();
        });
        enforce(&self.aws);
        // The proof is only worth something if moto now refuses what the
        // policies do not allow.
        let refused = block_on(iam.list_users().send()).expect_err("the `testing` keys still work");
        assert!(
            format!("{refused:?}").contains("InvalidClientTokenId"),
            "{refused:?}"
        );
        self.aws.use_admin_keys(ACCOUNT, &admin.id, &admin.secret);
        self.user = Some(user);
    }

    /// Gives the user exactly `document` (the group's only policy).
    fn grant(&self, document: &serde_json::Value) {
        block_on(
            self.aws
                .iam()
                .put_group_policy()
                .group_name(GROUP)
                .policy_name("clusteriam-provider")
                .policy_document(document.to_string())
                .send(),
        )
        .expect("setting the user's policy");
    }

    /// A workspace whose Terraform runs with the user's keys.
    fn workspace(&self) -> Workspace {
        let mut ws = Workspace::new();
        self.as_user(&mut ws);
        ws
    }

    fn as_user(&self, ws: &mut Workspace) {
        let user = self.user.as_ref().expect("enforcement is on");
        ws.set_env("AWS_ACCESS_KEY_ID", &user.id);
        ws.set_env("AWS_SECRET_ACCESS_KEY", &user.secret);
        if let Some(eks) = &self.eks {
            ws.set_env("AWS_ENDPOINT_URL_EKS", &eks.url);
        }
    }

    fn provider_block(&self) -> String {
        let url = &self.proxy.url;
        let eks = self.eks.as_ref().map_or(url, |e| &e.url);
        common::provider_block_with_eks(url, eks)
    }

    fn run(&self, ws: &Workspace, args: &[&str]) -> Run {
        self.runs.set(self.runs.get() + 1);
        ws.run(args)
    }
}

/// What the emulator holds of what the provider manages, without the
/// harness's own objects (the target accounts' `terraform` roles).
fn inventory(lab: &Lab, accounts: &[&str]) -> BTreeSet<String> {
    emulator_inventory(&lab.aws, accounts)
        .into_iter()
        .filter(|item| !item.ends_with(":terraform"))
        .collect()
}

#[track_caller]
fn assert_matches_state(lab: &Lab, ws: &Workspace, accounts: &[&str], label: &str) {
    let in_aws = inventory(lab, accounts);
    let in_state = state_inventory(ws);
    let leaked: Vec<_> = in_aws.difference(&in_state).collect();
    let lost: Vec<_> = in_state.difference(&in_aws).collect();
    assert!(
        leaked.is_empty() && lost.is_empty(),
        "{label}: the emulator and the state disagree.\nin AWS, not in state (leaked): {leaked:?}\n\
         in state, not in AWS (lost): {lost:?}"
    );
}

/// Whether `run` failed with AccessDenied for `action`, pointing at the guide.
#[track_caller]
fn assert_denied(run: &Run, action: &str, context: &str) {
    assert_ne!(
        run.code,
        0,
        "{context}: should fail without `{action}`:\n{}",
        run.output()
    );
    assert!(
        run.mentions(action) && run.mentions(GUIDE),
        "{context}: the error should name `{action}` and point at {GUIDE}:\n{}",
        run.output()
    );
}

// ---------------------------------------------------------------------------
// 1. The platform scenarios under exactly the generated policy.
// ---------------------------------------------------------------------------

/// What the first apply of a scenario meets on its way (through the fault
/// proxy): one operation denied (the apply fails naming it, and converges
/// once it is allowed), the answer of each create lost (the retry meets the
/// object its own lost attempt made), and objects not yet visible to IAM
/// (the propagation retries).
struct Troubles {
    /// The query protocol's operation, and the action the error must name.
    denied: (&'static str, &'static str),
    not_yet_visible: &'static [&'static str],
}

fn troubles(name: &str) -> Troubles {
    match name {
        // EC2's UnauthorizedOperation does not name the action: the
        // provider's error does.
        "rancher" => Troubles {
            denied: ("CreateTags", "ec2:CreateTags"),
            not_yet_visible: &["PutRolePolicy", "AddRoleToInstanceProfile"],
        },
        "kkp" => Troubles {
            denied: ("ModifyVpcAttribute", "ec2:ModifyVpcAttribute"),
            not_yet_visible: &["AttachUserPolicy"],
        },
        // In the target accounts, through the assumed roles.
        "torque" => Troubles {
            denied: ("PutRolePolicy", "iam:PutRolePolicy"),
            not_yet_visible: &["PutRolePolicy"],
        },
        // A create that fails after CreateRole: the role is tainted, and the
        // next apply replaces it (delete and create) under the same policy.
        "eks-connector" => Troubles {
            denied: ("PutRolePolicy", "iam:PutRolePolicy"),
            not_yet_visible: &["PutRolePolicy"],
        },
        "quickstart" => Troubles {
            denied: ("AddRoleToInstanceProfile", "iam:AddRoleToInstanceProfile"),
            not_yet_visible: &["AttachUserPolicy", "PutRolePolicy"],
        },
        other => panic!("no troubles for `{other}`"),
    }
}

/// The target accounts of the torque scenario: an administrator (for the
/// test's checks) and the role `terraform` the provider assumes, holding
/// exactly the generated policy. Made before enforcement.
fn target_account(aws: &Emulator, account: &str) -> Keys {
    let iam = iam_in(aws, account);
    let admin = user_with_keys(&iam, "admin", Some(ADMIN_POLICY));
    let trust = serde_json::json!({
        "Version": "2012-10-17",
        "Statement": [{
            "Effect": "Allow",
            "Principal": { "AWS": format!("arn:aws:iam::{ACCOUNT}:user/{USER}") },
            "Action": "sts:AssumeRole",
        }],
    });
    block_on(async {
        iam.create_role()
            .role_name("terraform")
            .assume_role_policy_document(trust.to_string())
            .send()
            .await
            .unwrap();
        iam.put_role_policy()
            .role_name("terraform")
            .policy_name("clusteriam-provider")
            .policy_document(generated_policy(&[]).to_string())
            .send()
            .await
            .unwrap();
    });
    admin
}

/// The scenario's `-var`s as a tfvars file, so that plain `terraform plan`
/// and `import` see them too.
fn write_tfvars(scenario: &Scenario) {
    let vars: serde_json::Map<String, serde_json::Value> = scenario
        .vars
        .iter()
        .map(|v| {
            let (k, v) = v.split_once('=').unwrap();
            let value = if v.starts_with('[') {
                serde_json::from_str(v).unwrap()
            } else {
                serde_json::Value::String(v.to_string())
            };
            (k.to_string(), value)
        })
        .collect();
    std::fs::write(
        scenario.ws.path().join("proof.auto.tfvars.json"),
        serde_json::Value::Object(vars).to_string(),
    )
    .unwrap();
}

/// moto checks a signature against the form body it re-encodes itself,
/// writing a space as `+` where the SDK sends `%20`: a request with a space
/// in a parameter fails with SignatureDoesNotMatch under enforcement (an
/// emulator difference). The KKP example's policy description has spaces,
/// so the copy here has hyphens instead.
fn without_spaces_in_sent_descriptions(ws: &Workspace) {
    let main = ws.path().join("main.tf");
    let text = std::fs::read_to_string(&main).unwrap();
    let kkp = "Kubermatic KKP: manage user cluster machines, their roles and instance profiles";
    std::fs::write(&main, text.replace(kkp, &kkp.replace(' ', "-"))).unwrap();
}

/// Every managed resource in state: (address, type, values).
fn resources(ws: &Workspace) -> Vec<(String, String, serde_json::Value)> {
    fn walk(module: &serde_json::Value, out: &mut Vec<(String, String, serde_json::Value)>) {
        for r in module["resources"].as_array().into_iter().flatten() {
            if r["mode"] == "managed" {
                out.push((
                    r["address"].as_str().unwrap().to_string(),
                    r["type"].as_str().unwrap().to_string(),
                    r["values"].clone(),
                ));
            }
        }
        for child in module["child_modules"].as_array().into_iter().flatten() {
            walk(child, out);
        }
    }
    let run = ws.run(&["show", "-json", "-no-color"]);
    run.assert_ok();
    let state: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    let mut out = Vec::new();
    walk(&state["values"]["root_module"], &mut out);
    out
}

/// The id `terraform import` takes for a resource of `kind`.
fn import_id(kind: &str, values: &serde_json::Value) -> String {
    let value = |attr: &str| values[attr].as_str().unwrap().to_string();
    // etcd and worker nodes share a policy: the id says which.
    if kind == "clusteriam_rancher_node_role" {
        return format!("{}/{}", value("name"), value("node_role"));
    }
    let attr = match kind {
        "clusteriam_oidc_provider" | "clusteriam_kkp_account_policy" => "arn",
        "clusteriam_cluster_tags" => "cluster_id",
        "clusteriam_vpc_dns_hostnames" => "vpc_id",
        _ => "name",
    };
    // A shared object this configuration made is imported as its own
    // explicitly: any other import adopts it.
    match kind {
        "clusteriam_oidc_provider" | "clusteriam_eks_connector_service_linked_role" => {
            format!("{},owned", value(attr))
        }
        _ => value(attr),
    }
}

/// Changes an administrator makes behind Terraform's back, touching every
/// kind of object the scenario holds, so the repair needs the update
/// actions: tags added (UntagRole, UntagOpenIDConnectProvider), an inline
/// policy deleted (PutRolePolicy), an instance profile deleted
/// (CreateInstanceProfile, AddRoleToInstanceProfile), a user detached
/// (AttachUserPolicy), a cluster tag removed (CreateTags), DNS hostnames off
/// (ModifyVpcAttribute).
fn make_drift(lab: &Lab, ws: &Workspace) {
    let aws = &lab.aws;
    let tag = |k: &str| {
        aws_sdk_iam::types::Tag::builder()
            .key(k)
            .value("out-of-band")
            .build()
            .unwrap()
    };
    let ec2 = aws.ec2();
    let mut profile_deleted = false;
    for (_, kind, values) in resources(ws) {
        let arn = values["arn"].as_str().unwrap_or_default();
        let account = arn.split(':').nth(4).unwrap_or(ACCOUNT);
        let iam = iam_in(aws, account);
        let name = values["name"].as_str().unwrap_or_default();
        block_on(async {
            match kind.as_str() {
                "clusteriam_eks_connector_service_linked_role" => {}
                k if k.ends_with("_role") => {
                    iam.tag_role()
                        .role_name(name)
                        .tags(tag("drift"))
                        .send()
                        .await
                        .unwrap();
                    if let Some(policy) = iam
                        .list_role_policies()
                        .role_name(name)
                        .send()
                        .await
                        .unwrap()
                        .policy_names
                        .first()
                    {
                        iam.delete_role_policy()
                            .role_name(name)
                            .policy_name(policy)
                            .send()
                            .await
                            .unwrap();
                    }
                    if k == "clusteriam_rancher_node_role" && !profile_deleted {
                        profile_deleted = true;
                        iam.remove_role_from_instance_profile()
                            .instance_profile_name(name)
                            .role_name(name)
                            .send()
                            .await
                            .unwrap();
                        iam.delete_instance_profile()
                            .instance_profile_name(name)
                            .send()
                            .await
                            .unwrap();
                    }
                }
                "clusteriam_oidc_provider" => {
                    iam.tag_open_id_connect_provider()
                        .open_id_connect_provider_arn(arn)
                        .tags(tag("drift"))
                        .send()
                        .await
                        .unwrap();
                }
                "clusteriam_kkp_account_policy" => {
                    iam.detach_user_policy()
                        .user_name(values["user_name"].as_str().unwrap())
                        .policy_arn(arn)
                        .send()
                        .await
                        .unwrap();
                }
                "clusteriam_cluster_tags" => {
                    ec2.delete_tags()
                        .resources(values["subnet_ids"][0].as_str().unwrap())
                        .tags(
                            aws_sdk_ec2::types::Tag::builder()
                                .key(values["tag_key"].as_str().unwrap())
                                .build(),
                        )
                        .send()
                        .await
                        .unwrap();
                }
                "clusteriam_vpc_dns_hostnames" => {
                    ec2.modify_vpc_attribute()
                        .vpc_id(values["vpc_id"].as_str().unwrap())
                        .enable_dns_hostnames(
                            aws_sdk_ec2::types::AttributeBooleanValue::builder()
                                .value(false)
                                .build(),
                        )
                        .send()
                        .await
                        .unwrap();
                }
                other => panic!("no drift for {other}"),
            }
        });
    }
}

#[track_caller]
fn assert_empty_plan(lab: &Lab, ws: &Workspace, label: &str) {
    let run = lab.run(
        ws,
        &["plan", "-no-color", "-input=false", "-detailed-exitcode"],
    );
    assert_eq!(
        run.code,
        0,
        "{label}: the plan must be empty:\n{}",
        run.output()
    );
}

fn scenario_under_the_generated_policy(name: &'static str) {
    let started = Instant::now();
    // The set-ups that read an EKS cluster (`clusteriam_eks_cluster_oidc`).
    let with_eks = matches!(name, "rancher" | "torque" | "quickstart");
    let mut lab = Lab::start(seed_for(name), with_eks);
    let mut scenario = Scenario::prepare(name, &lab.aws, &lab.proxy.url);
    for var in &scenario.vars {
        if let Some(cluster) = var
            .strip_prefix("eks_cluster_name=")
            .or(var.strip_prefix("cluster_name="))
        {
            eks_cluster(lab.eks.as_ref().unwrap(), cluster);
        }
    }
    let targets: Vec<(&str, Keys)> = scenario
        .accounts
        .iter()
        .filter(|a| **a != ACCOUNT)
        .map(|a| (*a, target_account(&lab.aws, a)))
        .collect();
    lab.enforce();
    for (account, admin) in &targets {
        lab.aws.use_admin_keys(account, &admin.id, &admin.secret);
    }
    let proxy = &lab.proxy;
    lab.as_user(&mut scenario.ws);
    write_tfvars(&scenario);
    without_spaces_in_sent_descriptions(&scenario.ws);
    let ws = &scenario.ws;
    let accounts = scenario.accounts.clone();

    let generated = generated_policy(&[]);
    if targets.is_empty() {
        lab.grant(&generated);
    } else {
        // The roles in the target accounts hold the generated policy; the
        // user only reads the cluster and assumes them. Without
        // sts:AssumeRole, configuring the target providers fails naming it.
        let mut actions = actions_of(&generated_policy(&["clusteriam_eks_cluster_oidc"]));
        lab.grant(&allow(actions.clone()));
        let run = lab.run(ws, &["plan", "-no-color", "-input=false"]);
        assert_denied(&run, "sts:AssumeRole", "assume_role");
        actions.insert("sts:AssumeRole".into());
        lab.grant(&allow(actions));
    }

    // Apply: one operation denied, lost answers, objects not yet visible.
    let troubles = troubles(name);
    let (denied_operation, denied_action) = troubles.denied;
    proxy.configure(|f| {
        f.deny = [denied_operation.to_string()].into();
        f.lose_response = CREATES.map(String::from).into();
        f.not_yet_visible = troubles
            .not_yet_visible
            .iter()
            .map(|s| s.to_string())
            .collect();
    });
    let run = lab.run(ws, &["apply", "-auto-approve", "-no-color", "-input=false"]);
    assert_denied(&run, denied_action, name);
    proxy.configure(|f| f.deny.clear());
    lab.run(ws, &["apply", "-auto-approve", "-no-color", "-input=false"])
        .assert_ok();
    let counts = proxy.counts();
    assert!(counts.denied > 0, "{counts}");
    assert!(
        counts.failed.get("not yet visible").copied().unwrap_or(0) > 0,
        "no propagation retry ran: {counts}"
    );
    assert!(
        counts.failed.get("lost response").copied().unwrap_or(0) > 0,
        "no answer was lost: {counts}"
    );
    assert_matches_state(&lab, ws, &accounts, "after apply");
    assert!(!state_resources(ws).is_empty());

    // The plan after apply is empty. (A refresh-only plan would read with
    // the same actions: the other acceptance tests check it.)
    assert_empty_plan(&lab, ws, "after apply");

    // Drift made by the administrator, repaired.
    make_drift(&lab, ws);
    lab.runs.set(lab.runs.get() + 1);
    ws.assert_changes(&[]);
    lab.run(ws, &["apply", "-auto-approve", "-no-color", "-input=false"])
        .assert_ok();
    assert_empty_plan(&lab, ws, "after the drift repair");
    assert_matches_state(&lab, ws, &accounts, "after the drift repair");

    // Import: one resource of each type out of state and back (each type's
    // import is proven under its own list below; this is the example's).
    let mut kinds = BTreeSet::new();
    for (address, kind, values) in resources(ws) {
        if !kinds.insert(kind.clone()) {
            continue;
        }
        ws.run(&["state", "rm", "-no-color", &address]).assert_ok();
        let run = lab.run(
            ws,
            &[
                "import",
                "-no-color",
                "-input=false",
                &address,
                &import_id(&kind, &values),
            ],
        );
        assert_eq!(run.code, 0, "importing {address}:\n{}", run.output());
    }
    let run = lab.run(
        ws,
        &["plan", "-no-color", "-input=false", "-detailed-exitcode"],
    );
    assert_eq!(
        run.code,
        0,
        "the plan after import must be empty:\n{}",
        run.output()
    );
    // Destroy: nothing left.
    lab.run(
        ws,
        &["destroy", "-auto-approve", "-no-color", "-input=false"],
    )
    .assert_ok();
    assert!(state_resources(ws).is_empty());
    assert_matches_state(&lab, ws, &accounts, "after destroy");

    println!(
        "permissions: scenario {name} under the generated policy: {} Terraform runs, {:.1}s; {}",
        lab.runs.get(),
        started.elapsed().as_secs_f64(),
        proxy.counts()
    );
}

#[test]
fn rancher_scenario_runs_under_the_generated_policy() {
    scenario_under_the_generated_policy("rancher");
}

#[test]
fn kkp_scenario_runs_under_the_generated_policy() {
    scenario_under_the_generated_policy("kkp");
}

#[test]
fn torque_scenario_runs_under_the_generated_policy_in_the_target_accounts() {
    scenario_under_the_generated_policy("torque");
}

#[test]
fn eks_connector_scenario_runs_under_the_generated_policy() {
    scenario_under_the_generated_policy("eks-connector");
}

#[test]
fn quickstart_runs_under_the_generated_policy() {
    scenario_under_the_generated_policy("quickstart");
}

// ---------------------------------------------------------------------------
// 2. Each operation under exactly its list; each action needed.
// ---------------------------------------------------------------------------

/// The actions moto cannot show needed (see the module's comment).
const NOT_PROVABLE_HERE: [&str; 4] = [
    "eks:DescribeCluster",
    "iam:AddClientIDToOpenIDConnectProvider",
    "iam:RemoveClientIDFromOpenIDConnectProvider",
    "iam:PassRole",
];

/// Every action of the generated policy is shown needed by some step below
/// (each named in a step's list of actions it proves, which the step
/// checks), except those moto cannot show: a new action in
/// `permissions::by_type` fails here until a step proves it.
#[test]
fn every_action_of_the_generated_policy_is_shown_needed_below() {
    // The steps follow this test, which names no action itself. Every
    // quoted stretch is looked at (a `'"'` would upset counting pairs).
    let source = include_str!("permissions.rs");
    let (_, below) = source
        .split_once(concat!("use Operation::", "{Create"))
        .unwrap();
    let named: BTreeSet<String> = below
        .split('"')
        .filter(|s| {
            s.split_once(':').is_some_and(|(service, op)| {
                ["iam", "ec2", "eks", "sts"].contains(&service)
                    && !op.is_empty()
                    && op.chars().all(|c| c.is_ascii_alphanumeric())
            })
        })
        .map(str::to_string)
        .collect();
    let missing: Vec<String> = actions_of(&generated_policy(&[]))
        .into_iter()
        .filter(|a| !named.contains(a) && !NOT_PROVABLE_HERE.contains(&a.as_str()))
        .collect();
    assert!(
        missing.is_empty(),
        "no step shows these needed: {missing:?}"
    );
}

use Operation::{Create, Delete, Import, Read, Update};

/// The creates whose first answer is lost (the SDK's retry meets what the
/// lost attempt made), and the calls IAM first answers NoSuchEntity.
const CREATES: [&str; 5] = [
    "CreateRole",
    "CreateInstanceProfile",
    "CreatePolicy",
    "CreateOpenIDConnectProvider",
    "CreateServiceLinkedRole",
];
const NOT_YET_VISIBLE: [&str; 4] = [
    "PutRolePolicy",
    "AttachRolePolicy",
    "AddRoleToInstanceProfile",
    "AttachUserPolicy",
];

#[derive(Clone, Copy)]
enum Command<'a> {
    /// `apply`; it refreshes only when the step's operations include Read.
    Apply,
    /// `plan`, which must show no changes.
    Plan,
    Destroy,
    /// `state rm` and `import` of (address, id).
    Import(&'a str, &'a str),
}

/// One resource type's operations, each run under exactly what
/// `permissions::by_type` says it needs.
struct Case<'a> {
    lab: &'a Lab,
    type_name: &'static str,
    needs: Needs,
    ws: Workspace,
    started: Instant,
    /// The actions shown needed so far.
    proven: BTreeSet<&'static str>,
    /// What the emulator held before, the fixtures: what it must hold after.
    before: BTreeSet<String>,
}

impl<'a> Case<'a> {
    fn new(lab: &'a Lab, type_name: &'static str) -> Case<'a> {
        Case {
            lab,
            type_name,
            needs: permissions::by_type(type_name).unwrap(),
            ws: lab.workspace(),
            started: Instant::now(),
            proven: BTreeSet::new(),
            before: inventory(lab, &[ACCOUNT]),
        }
    }

    /// The configuration: the provider block and `hcl`.
    fn config(&self, hcl: &str) {
        self.ws
            .write(&format!("{}\n{hcl}", self.lab.provider_block()));
    }

    fn run(&self, command: Command<'_>, refresh: bool) -> Run {
        let refresh = if refresh {
            "-refresh=true"
        } else {
            "-refresh=false"
        };
        let lab = self.lab;
        match command {
            Command::Apply => lab.run(
                &self.ws,
                &[
                    "apply",
                    "-auto-approve",
                    "-no-color",
                    "-input=false",
                    refresh,
                ],
            ),
            Command::Plan => lab.run(
                &self.ws,
                &["plan", "-no-color", "-input=false", "-detailed-exitcode"],
            ),
            Command::Destroy => lab.run(
                &self.ws,
                &[
                    "destroy",
                    "-auto-approve",
                    "-no-color",
                    "-input=false",
                    refresh,
                ],
            ),
            Command::Import(address, id) => {
                // Not in state after a failed import: nothing to remove.
                let _ = self.ws.run(&["state", "rm", "-no-color", address]);
                lab.run(
                    &self.ws,
                    &["import", "-no-color", "-input=false", address, id],
                )
            }
        }
    }

    /// What `operations` need, and the optional actions (which the
    /// generated policy holds too).
    fn granted(&self, operations: &[Operation]) -> BTreeSet<&'static str> {
        operations
            .iter()
            .flat_map(|op| self.needs.of(*op).iter())
            .chain(&self.needs.optional)
            .map(|a| a.name)
            .collect()
    }

    /// Runs `command` under exactly what `operations` need, first without
    /// each of `proves` in turn, expecting AccessDenied naming it, then with
    /// all of it, expecting success (see [`Case::succeed`]).
    #[track_caller]
    fn step(
        &mut self,
        what: &str,
        operations: &[Operation],
        command: Command<'_>,
        proves: &[&'static str],
    ) {
        self.deny_each(what, operations, command, proves);
        self.succeed(what, operations, command);
    }

    /// Runs `command` under what `operations` need without each of `proves`
    /// in turn: each run fails naming the missing action. A denial may leave
    /// the step half done; in the order the provider calls them, each of
    /// `proves` is still reached.
    #[track_caller]
    fn deny_each(
        &mut self,
        what: &str,
        operations: &[Operation],
        command: Command<'_>,
        proves: &[&'static str],
    ) {
        let context = format!("{} {what}", self.type_name);
        let granted = self.granted(operations);
        self.lab.proxy.configure(|f| {
            f.lose_response.clear();
            f.not_yet_visible.clear();
        });
        for action in proves {
            assert!(
                granted.contains(action),
                "{context}: `{action}` is called, but permissions::by_type does not list it for {operations:?}"
            );
            self.lab
                .grant(&allow(granted.iter().filter(|a| *a != action).copied()));
            let run = self.run(command, operations.contains(&Read));
            assert_denied(&run, action, &context);
            self.proven.insert(action);
        }
    }

    /// Runs `command` under exactly what `operations` need; it must succeed
    /// (a plan: with no changes). On the way the answer of the first call
    /// of each create is lost and IAM does not yet show what the first
    /// attach or put names (once per operation and lab), so the lost-answer
    /// and propagation paths run under the same lists.
    #[track_caller]
    fn succeed(&mut self, what: &str, operations: &[Operation], command: Command<'_>) {
        let context = format!("{} {what}", self.type_name);
        let granted = self.granted(operations);
        self.lab.grant(&allow(granted.iter().copied()));
        self.lab.proxy.configure(|f| {
            f.lose_response = CREATES.map(String::from).into();
            f.not_yet_visible = NOT_YET_VISIBLE.map(String::from).into();
        });
        let run = self.run(command, operations.contains(&Read));
        let expected = match command {
            Command::Plan => "an empty plan",
            _ => "success",
        };
        assert_eq!(
            run.code,
            0,
            "{context}: expected {expected} under exactly {granted:?}:\n{}",
            run.output()
        );
    }

    /// Out of state and back, then an empty plan: import's and read's lists.
    #[track_caller]
    fn import(&mut self, address: &str, id: &str) {
        self.step("import", &[Import, Read], Command::Import(address, id), &[]);
        self.step("plan after import", &[Read], Command::Plan, &[]);
    }

    /// The emulator holds what the state says, besides the fixtures.
    #[track_caller]
    fn assert_matches_state(&self, label: &str) {
        let in_aws: BTreeSet<String> = inventory(self.lab, &[ACCOUNT])
            .difference(&self.before)
            .cloned()
            .collect();
        let in_state = state_inventory(&self.ws);
        assert_eq!(
            in_aws, in_state,
            "{} {label}: the emulator (left, fixtures aside) and the state (right) disagree",
            self.type_name
        );
    }

    /// Nothing left but the fixtures; prints the figures.
    #[track_caller]
    fn finish(self) {
        assert!(
            state_resources(&self.ws).is_empty(),
            "{}: state not empty",
            self.type_name
        );
        assert_eq!(
            inventory(self.lab, &[ACCOUNT]),
            self.before,
            "{}: the emulator holds other objects than before",
            self.type_name
        );
        println!(
            "permissions: {} under its lists: {} Terraform runs, {:.1}s; needed: {:?}; {}",
            self.type_name,
            self.lab.runs.get(),
            self.started.elapsed().as_secs_f64(),
            self.proven,
            self.lab.proxy.counts()
        );
    }
}

/// A lab with enforcement on, for one resource type.
fn lab(type_name: &str) -> Lab {
    let mut lab = Lab::start(
        seed_for(type_name),
        type_name == "clusteriam_eks_cluster_oidc",
    );
    lab.enforce();
    lab
}

fn admin_oidc_provider(lab: &Lab, url: &str) -> String {
    block_on(
        lab.aws
            .iam()
            .create_open_id_connect_provider()
            .url(url)
            .client_id_list("sts.amazonaws.com")
            .thumbprint_list("9e99a48a9960b14926bb7f3b02e22da2b0ab7280")
            .send(),
    )
    .unwrap()
    .open_id_connect_provider_arn
    .unwrap()
}

/// A customer managed policy the administrator makes (moto holds no AWS
/// managed policies), to attach and to use as a boundary.
fn admin_policy(lab: &Lab, name: &str) -> String {
    block_on(
        lab.aws
            .iam()
            .create_policy()
            .policy_name(name)
            .policy_document(allow(["s3:ListAllMyBuckets"]).to_string())
            .send(),
    )
    .unwrap()
    .policy
    .unwrap()
    .arn
    .unwrap()
}

#[test]
fn torque_agent_role_operations_need_exactly_their_actions() {
    let lab = lab("clusteriam_torque_agent_role");
    let oidc = admin_oidc_provider(
        &lab,
        "https://oidc.eks.us-east-1.amazonaws.com/id/PROOF0001",
    );
    let attached = admin_policy(&lab, "proof-attached");
    let boundary = admin_policy(&lab, "proof-boundary");
    let mut case = Case::new(&lab, "clusteriam_torque_agent_role");
    let role = |extra: &str| {
        format!(
            r#"
resource "clusteriam_torque_agent_role" "this" {{
  name              = "proof-agent"
  oidc_provider_arn = "{oidc}"
  service_account   = "runner"
{extra}
}}
"#
        )
    };
    case.config(&role(
        r#"  namespace = "envs-a"
  tags      = { a = "1" }
  policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Action = "s3:ListBucket", Resource = "*" }]
  })"#,
    ));
    // Denied half-way, the create keeps the role it made in state (to be
    // replaced), reading it back as it is: nothing is left orphaned.
    case.deny_each(
        "create",
        &[Create],
        Command::Apply,
        &["iam:GetRole", "iam:CreateRole", "iam:PutRolePolicy"],
    );
    case.assert_matches_state("after a create denied half-way");
    case.succeed(
        "create, replacing the half-made role",
        &[Create, Delete],
        Command::Apply,
    );
    case.step(
        "read",
        &[Read],
        Command::Plan,
        &[
            "iam:GetRole",
            "iam:ListRolePolicies",
            "iam:ListAttachedRolePolicies",
        ],
    );
    // Everything changes, in the order the engine changes it.
    case.config(&role(&format!(
        r#"  namespace            = "envs-b"
  description          = "proof"
  max_session_duration = 7200
  permissions_boundary = "{boundary}"
  tags                 = {{ b = "2" }}
  policy_arns          = ["{attached}"]
  policy = jsonencode({{
    Version   = "2012-10-17"
    Statement = [{{ Effect = "Allow", Action = "s3:ListAllMyBuckets", Resource = "*" }}]
  }})"#
    )));
    case.step(
        "update: trust, settings, boundary, tags, policies",
        &[Update],
        Command::Apply,
        &[
            "iam:UpdateAssumeRolePolicy",
            "iam:UpdateRole",
            "iam:PutRolePermissionsBoundary",
            "iam:UntagRole",
            "iam:TagRole",
            "iam:PutRolePolicy",
            "iam:AttachRolePolicy",
        ],
    );
    case.step(
        "read with an inline policy",
        &[Read],
        Command::Plan,
        &["iam:GetRolePolicy"],
    );
    case.config(&role(
        r#"  namespace            = "envs-b"
  description          = "proof"
  max_session_duration = 7200
  tags                 = { b = "2" }"#,
    ));
    case.step(
        "update: boundary and policies removed",
        &[Update],
        Command::Apply,
        &[
            "iam:DeleteRolePermissionsBoundary",
            "iam:DeleteRolePolicy",
            "iam:DetachRolePolicy",
        ],
    );
    case.import("clusteriam_torque_agent_role.this", "proof-agent");
    case.step(
        "delete",
        &[Delete],
        Command::Destroy,
        &["iam:ListInstanceProfilesForRole", "iam:DeleteRole"],
    );
    case.finish();

    // The optional action: more managed policies than IAM's default quota
    // (10) need the account's own quota, from iam:GetAccountSummary.
    // Without it the plan warns, naming it, and leaves the decision to IAM;
    // with it the plan says the role would exceed the quota.
    let arns: Vec<String> = (0..11)
        .map(|n| format!("\"arn:aws:iam::{ACCOUNT}:policy/proof-{n}\""))
        .collect();
    let mut case = Case::new(&lab, "clusteriam_torque_agent_role");
    case.config(&role(&format!(
        "  namespace   = \"envs-a\"\n  policy_arns = [{}]",
        arns.join(", ")
    )));
    let granted = case.granted(&[Create]);
    lab.grant(&allow(
        granted
            .iter()
            .filter(|a| **a != "iam:GetAccountSummary")
            .copied(),
    ));
    let run = case.run(Command::Plan, true);
    assert_eq!(run.code, 2, "{}", run.output());
    assert!(
        run.mentions("may exceed an IAM quota") && run.mentions("iam:GetAccountSummary"),
        "{}",
        run.output()
    );
    lab.grant(&allow(granted.iter().copied()));
    let run = case.run(Command::Plan, true);
    assert_eq!(run.code, 1, "{}", run.output());
    assert!(run.mentions("exceeds an IAM limit"), "{}", run.output());
    case.proven.insert("iam:GetAccountSummary");
    case.finish();
}

/// The administrator attaches `policy` to `role`.
fn attach(lab: &Lab, role: &str, policy: &str) {
    block_on(
        lab.aws
            .iam()
            .attach_role_policy()
            .role_name(role)
            .policy_arn(policy)
            .send(),
    )
    .unwrap();
}

#[test]
fn rancher_node_role_operations_need_exactly_their_actions() {
    let lab = lab("clusteriam_rancher_node_role");
    let foreign = admin_policy(&lab, "proof-foreign");
    let mut case = Case::new(&lab, "clusteriam_rancher_node_role");
    let role = |tags: &str| {
        format!(
            r#"
resource "clusteriam_rancher_node_role" "this" {{
  name      = "proof-worker"
  node_role = "worker"
  tags      = {tags}
}}
"#
        )
    };
    case.config(&role(r#"{ a = "1" }"#));
    case.step("create", &[Create], Command::Apply, &[]);
    case.step("read", &[Read], Command::Plan, &["iam:GetInstanceProfile"]);
    // The instance profile deleted out of band: made again.
    let iam = lab.aws.iam();
    block_on(async {
        iam.remove_role_from_instance_profile()
            .instance_profile_name("proof-worker")
            .role_name("proof-worker")
            .send()
            .await
            .unwrap();
        iam.delete_instance_profile()
            .instance_profile_name("proof-worker")
            .send()
            .await
            .unwrap();
    });
    case.step(
        "update: its deleted instance profile made again",
        &[Read, Update],
        Command::Apply,
        &["iam:CreateInstanceProfile", "iam:AddRoleToInstanceProfile"],
    );
    // A policy attached out of band is detached: this role kind has none.
    attach(&lab, "proof-worker", &foreign);
    case.config(&role(r#"{ b = "2" }"#));
    case.step(
        "update: tags of the role and its instance profile, a policy detached",
        &[Read, Update],
        Command::Apply,
        &[
            "iam:DetachRolePolicy",
            "iam:UntagInstanceProfile",
            "iam:TagInstanceProfile",
        ],
    );
    case.import("clusteriam_rancher_node_role.this", "proof-worker");
    // A policy attached out of band: IAM deletes no role with one attached.
    attach(&lab, "proof-worker", &foreign);
    case.step(
        "delete",
        &[Delete],
        Command::Destroy,
        &[
            "iam:RemoveRoleFromInstanceProfile",
            "iam:DeleteInstanceProfile",
            "iam:DeleteRolePolicy",
            "iam:DetachRolePolicy",
        ],
    );
    case.finish();
}

#[test]
fn eks_connector_agent_role_operations_need_exactly_their_lists() {
    let lab = lab("clusteriam_eks_connector_agent_role");
    let mut case = Case::new(&lab, "clusteriam_eks_connector_agent_role");
    case.config(r#"resource "clusteriam_eks_connector_agent_role" "this" {}"#);
    case.step("create", &[Create], Command::Apply, &[]);
    case.step("read", &[Read], Command::Plan, &[]);
    case.import(
        "clusteriam_eks_connector_agent_role.this",
        "AmazonEKSConnectorAgentRole",
    );
    case.step("delete", &[Delete], Command::Destroy, &[]);
    case.finish();
}

#[test]
fn rancher_csp_adapter_role_operations_need_exactly_their_lists() {
    let lab = lab("clusteriam_rancher_csp_adapter_role");
    let oidc = admin_oidc_provider(
        &lab,
        "https://oidc.eks.us-east-1.amazonaws.com/id/PROOF0002",
    );
    let mut case = Case::new(&lab, "clusteriam_rancher_csp_adapter_role");
    case.config(&format!(
        r#"
resource "clusteriam_rancher_csp_adapter_role" "this" {{
  name              = "proof-csp"
  oidc_provider_arn = "{oidc}"
}}
"#
    ));
    case.step("create", &[Create], Command::Apply, &[]);
    case.step("read", &[Read], Command::Plan, &[]);
    case.import("clusteriam_rancher_csp_adapter_role.this", "proof-csp");
    case.step("delete", &[Delete], Command::Destroy, &[]);
    case.finish();
}

#[test]
fn eks_connector_service_linked_role_operations_need_exactly_their_actions() {
    let lab = lab("clusteriam_eks_connector_service_linked_role");
    let mut case = Case::new(&lab, "clusteriam_eks_connector_service_linked_role");
    case.config(r#"resource "clusteriam_eks_connector_service_linked_role" "this" {}"#);
    case.step(
        "create",
        &[Create],
        Command::Apply,
        &["iam:CreateServiceLinkedRole"],
    );
    case.step("read", &[Read], Command::Plan, &["iam:GetRole"]);
    let name = resources(&case.ws)[0].2["name"]
        .as_str()
        .unwrap()
        .to_string();
    case.import(
        "clusteriam_eks_connector_service_linked_role.this",
        &format!("{name},owned"),
    );
    case.step(
        "delete",
        &[Delete],
        Command::Destroy,
        &[
            "iam:DeleteServiceLinkedRole",
            "iam:GetServiceLinkedRoleDeletionStatus",
        ],
    );
    // One that exists already is found by its path, and adopted.
    let made = block_on(
        lab.aws
            .iam()
            .create_service_linked_role()
            .aws_service_name("eks-connector.amazonaws.com")
            .send(),
    )
    .unwrap()
    .role
    .unwrap()
    .role_name;
    case.step(
        "create, adopting",
        &[Create],
        Command::Apply,
        &["iam:ListRoles"],
    );
    case.step(
        "delete, leaving the adopted role",
        &[Delete],
        Command::Destroy,
        &[],
    );
    block_on(
        lab.aws
            .iam()
            .delete_service_linked_role()
            .role_name(&made)
            .send(),
    )
    .unwrap();
    case.finish();
}

#[test]
fn oidc_provider_operations_need_exactly_their_actions() {
    let lab = lab("clusteriam_oidc_provider");
    let mut case = Case::new(&lab, "clusteriam_oidc_provider");
    let provider = |thumbprint: &str, tags: &str| {
        format!(
            r#"
resource "clusteriam_oidc_provider" "this" {{
  url         = "https://oidc.eks.us-east-1.amazonaws.com/id/PROOF0003"
  thumbprints = ["{thumbprint}"]
  tags        = {tags}
}}
"#
        )
    };
    case.config(&provider(
        "9e99a48a9960b14926bb7f3b02e22da2b0ab7280",
        r#"{ a = "1" }"#,
    ));
    case.step(
        "create",
        &[Create],
        Command::Apply,
        &["iam:CreateOpenIDConnectProvider"],
    );
    case.step(
        "read",
        &[Read],
        Command::Plan,
        &["iam:GetOpenIDConnectProvider"],
    );
    // Client ids stay as they are: moto answers 500 to adding or removing one.
    case.config(&provider(
        "1111111111111111111111111111111111111111",
        r#"{ b = "2" }"#,
    ));
    case.step(
        "update: thumbprints and tags",
        &[Update],
        Command::Apply,
        &[
            "iam:UpdateOpenIDConnectProviderThumbprint",
            "iam:UntagOpenIDConnectProvider",
            "iam:TagOpenIDConnectProvider",
        ],
    );
    let arn = resources(&case.ws)[0].2["arn"]
        .as_str()
        .unwrap()
        .to_string();
    case.import("clusteriam_oidc_provider.this", &format!("{arn},owned"));
    // Destroy reads whose it is, then checks that no role still trusts it.
    case.step(
        "delete",
        &[Delete],
        Command::Destroy,
        &[
            "iam:GetOpenIDConnectProvider",
            "iam:ListRoles",
            "iam:DeleteOpenIDConnectProvider",
        ],
    );
    case.finish();
}

#[test]
fn eks_cluster_oidc_data_source_needs_exactly_its_actions() {
    let lab = lab("clusteriam_eks_cluster_oidc");
    eks_cluster(lab.eks.as_ref().unwrap(), "proof");
    let mut case = Case::new(&lab, "clusteriam_eks_cluster_oidc");
    case.config(
        r#"
data "clusteriam_eks_cluster_oidc" "this" {
  cluster_name = "proof"
}
"#,
    );
    // eks:DescribeCluster is not proven: moto's EKS does not enforce.
    case.step(
        "read",
        &[Read],
        Command::Plan,
        &["iam:GetOpenIDConnectProvider"],
    );
    case.finish();
}

#[test]
fn kkp_account_policy_operations_need_exactly_their_actions() {
    let lab = lab("clusteriam_kkp_account_policy");
    let iam = lab.aws.iam();
    block_on(async {
        for user in ["kkp-a", "kkp-b"] {
            iam.create_user().user_name(user).send().await.unwrap();
        }
    });
    let mut case = Case::new(&lab, "clusteriam_kkp_account_policy");
    let policy = |user: &str, tags: &str, version: &str| {
        format!(
            r#"
resource "clusteriam_kkp_account_policy" "this" {{
  name        = "proof-kkp"
  user_name   = "{user}"
  kkp_version = "{version}"
  tags        = {tags}
}}
"#
        )
    };
    case.config(&policy("kkp-a", r#"{ a = "1" }"#, "2.28"));
    case.step("create", &[Create], Command::Apply, &["iam:CreatePolicy"]);
    case.step(
        "read",
        &[Read],
        Command::Plan,
        &[
            "iam:GetPolicy",
            "iam:GetPolicyVersion",
            "iam:ListEntitiesForPolicy",
        ],
    );
    case.config(&policy("kkp-b", r#"{ b = "2" }"#, "2.28"));
    case.step(
        "update: the user and tags",
        &[Update],
        Command::Apply,
        &[
            "iam:DetachUserPolicy",
            "iam:AttachUserPolicy",
            "iam:UntagPolicy",
            "iam:TagPolicy",
        ],
    );
    // Five versions, IAM's limit: a new one needs the oldest deleted first.
    let arn = resources(&case.ws)[0].2["arn"]
        .as_str()
        .unwrap()
        .to_string();
    block_on(async {
        for n in 0..4 {
            let document = allow([["ec2:DescribeRegions", "ec2:DescribeVpcs"][n % 2]]).to_string();
            iam.create_policy_version()
                .policy_arn(&arn)
                .policy_document(document)
                .send()
                .await
                .unwrap();
        }
    });
    case.config(&policy("kkp-b", r#"{ b = "2" }"#, "2.22"));
    case.step(
        "update: a new document at IAM's limit of versions",
        &[Update],
        Command::Apply,
        &[
            "iam:ListPolicyVersions",
            "iam:DeletePolicyVersion",
            "iam:CreatePolicyVersion",
        ],
    );
    case.import("clusteriam_kkp_account_policy.this", &arn);
    case.step("delete", &[Delete], Command::Destroy, &["iam:DeletePolicy"]);
    case.finish();
}

#[test]
fn cluster_tags_operations_need_exactly_their_actions() {
    let lab = lab("clusteriam_cluster_tags");
    let (subnet, group, instance) = rancher_network(&lab.aws);
    let mut case = Case::new(&lab, "clusteriam_cluster_tags");
    let tags = |instances: &str, ownership: &str| {
        format!(
            r#"
resource "clusteriam_cluster_tags" "this" {{
  cluster_id        = "proof"
  ownership         = "{ownership}"
  instance_ids      = {instances}
  subnet_ids        = ["{subnet}"]
  security_group_id = "{group}"
}}
"#
        )
    };
    case.config(&tags(&format!(r#"["{instance}"]"#), "owned"));
    // Checked at plan: every resource exists, no other group carries the key.
    case.step(
        "create",
        &[Create],
        Command::Apply,
        &[
            "ec2:DescribeInstances",
            "ec2:DescribeSubnets",
            "ec2:DescribeSecurityGroups",
            "ec2:DescribeTags",
            "ec2:CreateTags",
        ],
    );
    case.step("read", &[Read], Command::Plan, &["ec2:DescribeTags"]);
    case.config(&tags("null", "shared"));
    case.step(
        "update: an instance left out, ownership changed",
        &[Update],
        Command::Apply,
        &["ec2:DeleteTags"],
    );
    case.import("clusteriam_cluster_tags.this", "proof");
    case.step("delete", &[Delete], Command::Destroy, &[]);
    case.finish();
}

#[test]
fn vpc_dns_hostnames_operations_need_exactly_their_actions() {
    let lab = lab("clusteriam_vpc_dns_hostnames");
    let vpc = block_on(lab.aws.ec2().create_vpc().cidr_block("10.9.0.0/16").send())
        .unwrap()
        .vpc
        .unwrap()
        .vpc_id
        .unwrap();
    let mut case = Case::new(&lab, "clusteriam_vpc_dns_hostnames");
    case.config(&format!(
        r#"
resource "clusteriam_vpc_dns_hostnames" "this" {{
  vpc_id = "{vpc}"
}}
"#
    ));
    case.step(
        "create",
        &[Create],
        Command::Apply,
        &["ec2:DescribeVpcAttribute", "ec2:ModifyVpcAttribute"],
    );
    case.step("read", &[Read], Command::Plan, &[]);
    case.import("clusteriam_vpc_dns_hostnames.this", &vpc);
    // Turned off out of band: turned on again (and so off on destroy).
    block_on(
        lab.aws
            .ec2()
            .modify_vpc_attribute()
            .vpc_id(&vpc)
            .enable_dns_hostnames(
                aws_sdk_ec2::types::AttributeBooleanValue::builder()
                    .value(false)
                    .build(),
            )
            .send(),
    )
    .unwrap();
    case.step(
        "update: drift repaired",
        &[Read, Update],
        Command::Apply,
        &[],
    );
    case.step("delete", &[Delete], Command::Destroy, &[]);
    case.finish();
}

// The roles of the set-ups beyond the seeds (`shared/seeds/beyond/`).

#[test]
fn rancher_billing_adapter_role_operations_need_exactly_their_actions() {
    let lab = lab("clusteriam_rancher_billing_adapter_role");
    let oidc = admin_oidc_provider(
        &lab,
        "https://oidc.eks.us-east-1.amazonaws.com/id/PROOF0004",
    );
    let mut case = Case::new(&lab, "clusteriam_rancher_billing_adapter_role");
    case.config(&format!(
        r#"
resource "clusteriam_rancher_billing_adapter_role" "this" {{
  name              = "proof-billing"
  oidc_provider_arn = "{oidc}"
}}
"#
    ));
    // The AWS-managed policy (moto knows it: MOTO_IAM_LOAD_MANAGED_POLICIES)
    // is attached after the role is created.
    case.deny_each(
        "create",
        &[Create],
        Command::Apply,
        &["iam:CreateRole", "iam:AttachRolePolicy"],
    );
    case.assert_matches_state("after a create denied half-way");
    case.succeed(
        "create, replacing the half-made role",
        &[Create, Delete],
        Command::Apply,
    );
    case.step(
        "read",
        &[Read],
        Command::Plan,
        &["iam:GetRole", "iam:ListAttachedRolePolicies"],
    );
    // Detached out of band: attached again.
    block_on(
        lab.aws
            .iam()
            .detach_role_policy()
            .role_name("proof-billing")
            .policy_arn("arn:aws:iam::aws:policy/AWSMarketplaceMeteringFullAccess")
            .send(),
    )
    .unwrap();
    case.step(
        "update: the metering policy attached again",
        &[Read, Update],
        Command::Apply,
        &["iam:AttachRolePolicy"],
    );
    case.import(
        "clusteriam_rancher_billing_adapter_role.this",
        "proof-billing",
    );
    case.step(
        "delete",
        &[Delete],
        Command::Destroy,
        &["iam:DetachRolePolicy", "iam:DeleteRole"],
    );
    case.finish();
}

#[test]
fn torque_target_role_operations_need_exactly_their_actions() {
    let lab = lab("clusteriam_torque_target_role");
    let attached = admin_policy(&lab, "proof-target-attached");
    let mut case = Case::new(&lab, "clusteriam_torque_target_role");
    let role = |external_id: &str, extra: &str| {
        format!(
            r#"
resource "clusteriam_torque_target_role" "this" {{
  name            = "proof-target"
  master_role_arn = "arn:aws:iam::111111111111:role/proof-master"
  external_id     = "{external_id}"
{extra}
}}
"#
        )
    };
    case.config(&role(
        "proof-id-1",
        r#"  policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Action = "s3:ListBucket", Resource = "*" }]
  })"#,
    ));
    case.deny_each(
        "create",
        &[Create],
        Command::Apply,
        &["iam:GetRole", "iam:CreateRole", "iam:PutRolePolicy"],
    );
    case.assert_matches_state("after a create denied half-way");
    case.succeed(
        "create, replacing the half-made role",
        &[Create, Delete],
        Command::Apply,
    );
    case.step(
        "read",
        &[Read],
        Command::Plan,
        &["iam:GetRole", "iam:GetRolePolicy"],
    );
    // Another external id (the trust), the inline policy off, a managed
    // policy on.
    case.config(&role(
        "proof-id-2",
        &format!("  policy_arns = [\"{attached}\"]"),
    ));
    case.step(
        "update: the trust's external id, the policies",
        &[Update],
        Command::Apply,
        &[
            "iam:UpdateAssumeRolePolicy",
            "iam:DeleteRolePolicy",
            "iam:AttachRolePolicy",
        ],
    );
    case.import("clusteriam_torque_target_role.this", "proof-target");
    case.step(
        "delete",
        &[Delete],
        Command::Destroy,
        &["iam:DetachRolePolicy", "iam:DeleteRole"],
    );
    case.finish();
}

#[test]
fn kkp_assume_role_operations_need_exactly_their_actions() {
    let lab = lab("clusteriam_kkp_assume_role");
    let mut case = Case::new(&lab, "clusteriam_kkp_assume_role");
    let role = |kkp_version: &str| {
        format!(
            r#"
resource "clusteriam_kkp_assume_role" "this" {{
  name              = "proof-kkp"
  kkp_principal_arn = "arn:aws:iam::111111111111:user/kubermatic"
  external_id       = "proof-kkp-id"
{kkp_version}
}}
"#
        )
    };
    case.config(&role("  kkp_version = \"2.22\""));
    case.deny_each(
        "create",
        &[Create],
        Command::Apply,
        &["iam:CreateRole", "iam:PutRolePolicy"],
    );
    case.assert_matches_state("after a create denied half-way");
    case.succeed(
        "create, replacing the half-made role",
        &[Create, Delete],
        Command::Apply,
    );
    case.step("read", &[Read], Command::Plan, &["iam:GetRolePolicy"]);
    // The current KKP: a new inline policy.
    case.config(&role(""));
    case.step(
        "update: the KKP version",
        &[Update],
        Command::Apply,
        &["iam:PutRolePolicy"],
    );
    case.import("clusteriam_kkp_assume_role.this", "proof-kkp");
    case.step(
        "delete",
        &[Delete],
        Command::Destroy,
        &["iam:DeleteRolePolicy", "iam:DeleteRole"],
    );
    case.finish();
}
