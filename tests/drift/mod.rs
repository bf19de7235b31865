//! The drift matrix (issue 26): for each resource type, every change the AWS
//! API lets someone else make to the objects the resource manages, built
//! from AWS's side (the API's operations on each object), not from the
//! changes a test's author happened to think of.
//!
//! Each type's table is data ([`Row`]s in `roles.rs`, `oidc.rs`, `kkp.rs`,
//! `ec2.rs`, `slr.rs`), and the same table generates the "What drift is
//! detected" section of the type's docs page (`tests/docs.rs` calls
//! [`docs_section`]), so the docs say exactly what "exactly" means.
//!
//! For every row: the configuration is applied, the change is made with the
//! SDK, and then
//! (a) `plan -detailed-exitcode -out` plans an update that shows exactly the
//!     row's attributes, a create for an object that was deleted, or nothing
//!     at all where the resource deliberately leaves the change alone;
//! (b) applying that plan converges;
//! (c) the next plan is empty;
//! (d) the emulator holds, object by object, the state the row documents:
//!     what the apply before the change made (for a change the resource
//!     repairs), or the change itself (for one it leaves alone).
//!
//! Cost: one emulator and one workspace per type, and every row of a type
//! on its own resource instance in the same configuration, so one plan
//! checks all rows (each row's instance must show its own change and no
//! other), one apply repairs them all and one plan proves the result. A
//! type whose object exists once per account (the service-linked role) runs
//! its rows one after another instead. Types whose refresh reads can use
//! the bulk read run with `bulk_reads` on and off; OIDC providers and EC2
//! objects are never read in bulk, so once is enough for them.

mod ec2;
mod kkp;
mod oidc;
mod roles;
mod slr;

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Debug;

use crate::common::faults::{FaultProxy, Faults};
use crate::common::{Emulator, Run, Workspace, block_on};

/// The tag every configuration of the matrix sets, and the provider's
/// default tag: rows remove and change both.
pub const OWN_TAGS: &str = r#"tags = { cluster = "prod" }"#;
pub const DEFAULT_TAGS: &str = r#"team = "platform""#;

/// What the plan and apply do about one change.
#[derive(Clone, Debug)]
pub enum Expect {
    /// The plan updates the resource in place, showing exactly these
    /// attributes; the apply does what `apply` says.
    Repaired {
        shows: &'static [&'static str],
        apply: &'static str,
    },
    /// The object is gone: the plan creates it again.
    Recreated { apply: &'static str },
    /// Deliberately left alone: the plan is empty; `why` says why, for the
    /// docs. With `warning`, the plan warns: what the docs say it warns
    /// about, and text the warning contains.
    LeftAlone {
        why: &'static str,
        warning: Option<(&'static str, &'static str)>,
    },
    /// Nothing the resource may do repairs it (the object it acts on is
    /// gone): the plan shows these attributes and warns (`warns_about`, in
    /// text containing `says`); the apply fails saying `fails` and changes
    /// nothing; `remedy` is what the user does, for the docs.
    Unrepairable {
        shows: &'static [&'static str],
        warns_about: &'static str,
        says: &'static str,
        fails: &'static str,
        remedy: &'static str,
    },
}

/// One change someone else may make, and what the resource does about it.
pub struct Row<M: Matrix + ?Sized> {
    /// The object changed, as the docs name it.
    pub object: &'static str,
    /// The change, as the docs say it.
    pub change: &'static str,
    /// Attributes the row's resource sets beyond the type's own.
    pub config: String,
    /// Makes the change with the SDK.
    pub act: fn(&Lab, &M::Target),
    pub expect: Expect,
    /// The state a repair documents when it is not the state before the
    /// change (from the state before and the state right after it).
    pub after: Option<After<M>>,
}

/// The documented state after a repair, from the states before and right
/// after the change.
pub type After<M> = fn(&<M as Matrix>::Model, &<M as Matrix>::Model) -> <M as Matrix>::Model;

impl<M: Matrix + ?Sized> Row<M> {
    pub fn new(
        object: &'static str,
        change: &'static str,
        act: fn(&Lab, &M::Target),
        expect: Expect,
    ) -> Self {
        Row {
            object,
            change,
            config: String::new(),
            act,
            expect,
            after: None,
        }
    }

    /// With `config` in the row's resource block.
    pub fn config(mut self, config: impl Into<String>) -> Self {
        self.config = config.into();
        self
    }

    /// With a documented state after the repair other than the one before.
    pub fn after(mut self, after: After<M>) -> Self {
        self.after = Some(after);
        self
    }
}

pub const fn repaired(shows: &'static [&'static str], apply: &'static str) -> Expect {
    Expect::Repaired { shows, apply }
}

pub const fn recreated(apply: &'static str) -> Expect {
    Expect::Recreated { apply }
}

pub const fn left_alone(why: &'static str) -> Expect {
    Expect::LeftAlone { why, warning: None }
}

pub const fn left_alone_warning(
    why: &'static str,
    warns_about: &'static str,
    says: &'static str,
) -> Expect {
    Expect::LeftAlone {
        why,
        warning: Some((warns_about, says)),
    }
}

/// One resource type's matrix.
pub trait Matrix {
    /// What identifies one row's objects in AWS.
    type Target;
    /// What the emulator holds of one row's objects.
    type Model: Debug + PartialEq + Clone;

    fn type_name(&self) -> &'static str;
    fn rows(&self) -> Vec<Row<Self>>;
    /// Whether the rows can share one configuration (each on its own
    /// instance); not for an object AWS allows once per account.
    fn batch(&self) -> bool {
        true
    }
    /// Whether the provider must reach the emulator through the proxy
    /// (which implements the calls the emulator lacks).
    fn proxy(&self) -> bool {
        false
    }
    /// What every row needs first; returns configuration to add.
    fn prepare(&self, _lab: &Lab) -> String {
        String::new()
    }
    /// Row `index`'s objects, creating what they need first.
    fn target(&self, lab: &Lab, index: usize, row: &Row<Self>) -> Self::Target;
    /// The row's resource block, named `name`.
    fn resource(&self, name: &str, target: &Self::Target, row: &Row<Self>) -> String;
    fn observe(&self, lab: &Lab, target: &Self::Target) -> Self::Model;
}

/// The emulator, the workspace, and clients for the SDK's changes.
pub struct Lab {
    pub aws: Emulator,
    /// In front of the emulator when the type needs it ([`Matrix::proxy`]).
    proxy: Option<FaultProxy>,
    pub ws: Workspace,
    /// Reaches the emulator the way the provider does (through the proxy,
    /// when there is one).
    pub iam: aws_sdk_iam::Client,
    pub ec2: aws_sdk_ec2::Client,
}

impl Lab {
    fn start(proxy: bool, bulk_reads: bool) -> Lab {
        let aws = Emulator::start();
        let proxy = proxy.then(|| {
            FaultProxy::start(
                &aws.url,
                Faults {
                    emulate_client_ids: true,
                    ..Default::default()
                },
            )
        });
        let mut ws = Workspace::new();
        ws.set_env(
            "CLUSTERIAM_BULK_READS",
            if bulk_reads { "always" } else { "never" },
        );
        let iam = match &proxy {
            Some(proxy) => crate::common::iam_at(&proxy.url),
            None => aws.iam(),
        };
        let ec2 = aws.ec2();
        Lab {
            aws,
            proxy,
            ws,
            iam,
            ec2,
        }
    }

    /// The provider block: defaults, the provider's `default_tags`.
    fn provider_block(&self) -> String {
        let url = self.proxy.as_ref().map_or(&self.aws.url, |p| &p.url);
        crate::common::provider_block_for(url).replace(
            "propagation_timeout = \"20s\"",
            &format!("propagation_timeout = \"20s\"\n  default_tags {{\n    tags = {{ {DEFAULT_TAGS} }}\n  }}"),
        )
    }

    /// `terraform <command> -no-color [-input=false] <args>`.
    fn terraform(&self, args: &[&str]) -> Run {
        let (command, rest) = args.split_first().expect("a terraform command");
        let mut all = vec![*command, "-no-color"];
        if *command != "show" {
            all.push("-input=false");
        }
        all.extend(rest);
        self.ws.run(&all)
    }
}

/// Runs the SDK call `fut` to completion, panicking with `what` on failure.
pub fn sdk<T, E: Debug>(what: &str, fut: impl std::future::Future<Output = Result<T, E>>) -> T {
    block_on(fut).unwrap_or_else(|e| panic!("{what}: {e:?}"))
}

/// What the plan says about one resource instance.
#[derive(Debug, Default)]
struct Planned {
    actions: Vec<String>,
    /// The top-level attributes whose value changes or becomes unknown.
    changed: BTreeSet<String>,
}

/// The plan's resource changes by address, from `terraform show -json`.
fn planned_changes(json: &str) -> BTreeMap<String, Planned> {
    let plan: serde_json::Value = serde_json::from_str(json).expect("terraform show -json");
    let mut out = BTreeMap::new();
    for change in plan["resource_changes"].as_array().into_iter().flatten() {
        let address = change["address"].as_str().unwrap_or_default().to_string();
        let actions = change["change"]["actions"]
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(|a| a.as_str().map(str::to_string))
            .collect();
        let (before, after, unknown) = (
            &change["change"]["before"],
            &change["change"]["after"],
            &change["change"]["after_unknown"],
        );
        // Unknown values are left out of `after` and flagged in `after_unknown`.
        let names: BTreeSet<&String> = [before, after, unknown]
            .iter()
            .filter_map(|v| v.as_object())
            .flat_map(|o| o.keys())
            .collect();
        let mut changed = BTreeSet::new();
        for name in names {
            let became_unknown = match &unknown[name] {
                serde_json::Value::Bool(b) => *b,
                serde_json::Value::Null => false,
                other => other.to_string().contains("true"),
            };
            if became_unknown || before[name] != after[name] {
                changed.insert(name.clone());
            }
        }
        out.insert(address, Planned { actions, changed });
    }
    out
}

/// The human plan's text for each resource, by address.
fn plan_blocks(text: &str) -> BTreeMap<String, String> {
    let mut blocks = BTreeMap::new();
    let mut current: Option<(String, String)> = None;
    for line in text.lines() {
        if let Some(rest) = line.trim_start().strip_prefix("# ")
            && let Some(address) = rest.split_whitespace().next()
            && address.contains('.')
        {
            if let Some((address, block)) = current.take() {
                blocks.insert(address, block);
            }
            current = Some((address.to_string(), String::new()));
            continue;
        }
        if let Some((_, block)) = current.as_mut() {
            block.push_str(line);
            block.push('\n');
        }
    }
    if let Some((address, block)) = current {
        blocks.insert(address, block);
    }
    blocks
}

/// Whether a plan block shows attribute `name` changing.
fn block_shows(block: &str, name: &str) -> bool {
    block.lines().any(|line| {
        let line = line.trim_start().trim_start_matches(['~', '+', '-', ' ']);
        line.strip_prefix(name)
            .is_some_and(|rest| rest.starts_with(' ') || rest.starts_with('='))
    })
}

/// Runs `matrix` with `bulk_reads` on or off; fails listing every row that
/// does not behave as its table says.
pub fn run<M: Matrix>(matrix: &M, bulk_reads: bool) {
    let lab = Lab::start(matrix.proxy(), bulk_reads);
    let prelude = matrix.prepare(&lab);
    let rows = matrix.rows();
    // A row whose apply fails by design runs alone, after the others.
    let unrepairable = |i: &usize| matches!(rows[*i].expect, Expect::Unrepairable { .. });
    let (alone, together): (Vec<usize>, Vec<usize>) = (0..rows.len()).partition(unrepairable);
    let mut waves: Vec<Vec<usize>> = if matrix.batch() {
        vec![together]
    } else {
        together.into_iter().map(|i| vec![i]).collect()
    };
    waves.extend(alone.into_iter().map(|i| vec![i]));
    let mut failures = Vec::new();
    for wave in &waves {
        run_wave(matrix, &lab, &prelude, &rows, wave, &mut failures);
    }
    assert!(
        failures.is_empty(),
        "{} (bulk_reads {}): {} problem(s) in {} rows:\n\n{}",
        matrix.type_name(),
        if bulk_reads { "on" } else { "off" },
        failures.len(),
        rows.len(),
        failures.join("\n\n")
    );
}

fn instance_name<M: Matrix>(matrix: &M, index: usize) -> String {
    if matrix.batch() {
        format!("r{index:02}")
    } else {
        "only".to_string()
    }
}

fn run_wave<M: Matrix>(
    matrix: &M,
    lab: &Lab,
    prelude: &str,
    rows: &[Row<M>],
    wave: &[usize],
    failures: &mut Vec<String>,
) {
    let type_name = matrix.type_name();
    let label = |i: usize| {
        format!(
            "row {i} `{}.{}` ({}: {})",
            type_name,
            instance_name(matrix, i),
            rows[i].object,
            rows[i].change
        )
    };
    let targets: BTreeMap<usize, M::Target> = wave
        .iter()
        .map(|&i| (i, matrix.target(lab, i, &rows[i])))
        .collect();
    let mut config = format!("{}\n{prelude}\n", lab.provider_block());
    for (&i, target) in &targets {
        config.push_str(&matrix.resource(&instance_name(matrix, i), target, &rows[i]));
        config.push('\n');
    }
    lab.ws.write(&config);
    let applied = lab.terraform(&["apply", "-auto-approve"]);
    assert_eq!(
        applied.code,
        0,
        "{type_name}: the configuration does not apply:\n{}",
        applied.output()
    );

    let before: BTreeMap<usize, M::Model> = targets
        .iter()
        .map(|(&i, t)| (i, matrix.observe(lab, t)))
        .collect();
    for (&i, target) in &targets {
        (rows[i].act)(lab, target);
    }
    let changed: BTreeMap<usize, M::Model> = targets
        .iter()
        .map(|(&i, t)| (i, matrix.observe(lab, t)))
        .collect();

    // (a) The plan: exit code, and each row's instance on its own.
    let plan = lab.terraform(&["plan", "-detailed-exitcode", "-out=drift.tfplan"]);
    let any_change = wave
        .iter()
        .any(|&i| !matches!(rows[i].expect, Expect::LeftAlone { .. }));
    let wanted_code = if any_change { 2 } else { 0 };
    if plan.code != wanted_code {
        failures.push(format!(
            "{type_name}: `plan -detailed-exitcode` exited {}, expected {wanted_code}:\n{}",
            plan.code,
            plan.output()
        ));
        return;
    }
    let json = lab.terraform(&["show", "-json", "drift.tfplan"]);
    assert_eq!(json.code, 0, "{}", json.output());
    let planned = planned_changes(&json.stdout);
    let blocks = plan_blocks(&plan.stdout);
    for &i in wave {
        let address = format!("{type_name}.{}", instance_name(matrix, i));
        let change = planned.get(&address);
        let actions = change.map(|c| c.actions.join(",")).unwrap_or_default();
        let block = blocks.get(&address).map(String::as_str).unwrap_or_default();
        match &rows[i].expect {
            Expect::Repaired { shows, .. } | Expect::Unrepairable { shows, .. } => {
                let shown: BTreeSet<String> = shows.iter().map(|s| s.to_string()).collect();
                let changed = change.map(|c| c.changed.clone()).unwrap_or_default();
                if actions != "update" || changed != shown {
                    failures.push(format!(
                        "{}: expected an update showing {shown:?}; the plan {actions:?} changes \
                         {changed:?}:\n{block}",
                        label(i)
                    ));
                } else if let Some(missing) = shows.iter().find(|s| !block_shows(block, s)) {
                    failures.push(format!(
                        "{}: the plan's text does not show `{missing}`:\n{block}",
                        label(i)
                    ));
                }
                if let Expect::Unrepairable { says, .. } = &rows[i].expect
                    && !plan.mentions(says)
                {
                    failures.push(format!(
                        "{}: the plan does not warn `{says}`:\n{}",
                        label(i),
                        plan.output()
                    ));
                }
            }
            Expect::Recreated { .. } => {
                if actions != "create" {
                    failures.push(format!(
                        "{}: expected a create, the plan says {actions:?}:\n{block}",
                        label(i)
                    ));
                }
            }
            Expect::LeftAlone { warning, .. } => {
                if actions != "no-op" {
                    failures.push(format!(
                        "{}: expected no change, the plan says {actions:?}:\n{block}",
                        label(i)
                    ));
                }
                if let Some((_, warning)) = warning
                    && !plan.mentions(warning)
                {
                    failures.push(format!(
                        "{}: the plan does not warn `{warning}`:\n{}",
                        label(i),
                        plan.output()
                    ));
                }
            }
        }
    }

    // An unrepairable row (alone in its wave): the apply fails as
    // documented and changes nothing.
    if let [i] = wave
        && let Expect::Unrepairable { fails, .. } = &rows[*i].expect
    {
        let apply = lab.terraform(&["apply", "drift.tfplan"]);
        if apply.code == 0 || !apply.mentions(fails) {
            failures.push(format!(
                "{}: expected the apply to fail saying `{fails}`:\n{}",
                label(*i),
                apply.output()
            ));
        }
        let now = matrix.observe(lab, &targets[i]);
        if now != changed[i] {
            failures.push(format!(
                "{}: the failed apply changed the emulator to\n{now:#?}\nfrom\n{:#?}",
                label(*i),
                changed[i]
            ));
        }
        return;
    }

    // (b) One apply converges, (c) the next plan is empty.
    if any_change {
        let apply = lab.terraform(&["apply", "drift.tfplan"]);
        if apply.code != 0 {
            failures.push(format!(
                "{type_name}: applying the plan failed:\n{}",
                apply.output()
            ));
        }
        let again = lab.terraform(&["plan", "-detailed-exitcode"]);
        if again.code != 0 {
            let still: Vec<String> = plan_blocks(&again.stdout).into_keys().collect();
            failures.push(format!(
                "{type_name}: the plan after the apply is not empty (exit {}), for {still:?}:\n{}",
                again.code,
                again.output()
            ));
        }
    }

    // (d) The emulator holds the documented state, object by object.
    for (&i, target) in &targets {
        let now = matrix.observe(lab, target);
        let expected = match (&rows[i].expect, rows[i].after) {
            (Expect::LeftAlone { .. }, _) => changed[&i].clone(),
            (_, Some(after)) => after(&before[&i], &changed[&i]),
            (_, None) => before[&i].clone(),
        };
        if now != expected {
            failures.push(format!(
                "{}: the emulator holds\n{now:#?}\nexpected\n{expected:#?}",
                label(i)
            ));
        }
    }
}

/// A row as the docs show it.
pub struct DocRow {
    pub object: &'static str,
    pub change: &'static str,
    pub expect: Expect,
}

fn doc_rows<M: Matrix>(matrix: &M) -> Vec<DocRow> {
    matrix
        .rows()
        .into_iter()
        .map(|r| DocRow {
            object: r.object,
            change: r.change,
            expect: r.expect,
        })
        .collect()
}

/// The rows of `type_name`'s matrix, None for a type without one.
pub fn rows_of(type_name: &str) -> Option<Vec<DocRow>> {
    if let Some(kind) = roles::Kind::ALL.iter().find(|k| k.type_name() == type_name) {
        return Some(doc_rows(&roles::RoleMatrix(*kind)));
    }
    match type_name {
        "clusteriam_oidc_provider" => Some(doc_rows(&oidc::OidcMatrix)),
        "clusteriam_kkp_account_policy" => Some(doc_rows(&kkp::KkpMatrix)),
        "clusteriam_cluster_tags" => Some(doc_rows(&ec2::ClusterTagsMatrix)),
        "clusteriam_vpc_dns_hostnames" => Some(doc_rows(&ec2::VpcMatrix)),
        "clusteriam_eks_connector_service_linked_role" => Some(doc_rows(&slr::SlrMatrix)),
        _ => None,
    }
}

/// The "What drift is detected" section of `type_name`'s docs page.
pub fn docs_section(type_name: &str) -> Option<String> {
    let rows = rows_of(type_name)?;
    let mut out = String::from(
        "## What drift is detected\n\n\
         Every change the AWS API lets someone else make to the objects this resource manages, \
         and what the next plan and apply do about it. The provider's tests make each of these \
         changes against an emulated AWS, with `bulk_reads` on and off where it applies, and \
         check the plan, that one apply repairs it, that the plan after is empty, and what AWS \
         holds then.\n\n\
         | object | change made outside Terraform | the plan shows | apply |\n|---|---|---|---|\n",
    );
    for row in rows {
        let (shows, apply) = match &row.expect {
            Expect::Repaired { shows, apply } => (
                shows
                    .iter()
                    .map(|s| format!("`{s}`"))
                    .collect::<Vec<_>>()
                    .join(", "),
                apply.to_string(),
            ),
            Expect::Recreated { apply } => {
                ("the resource, to be created".into(), apply.to_string())
            }
            Expect::Unrepairable {
                shows,
                warns_about,
                fails,
                remedy,
                ..
            } => (
                format!(
                    "{}; warns {warns_about}",
                    shows
                        .iter()
                        .map(|s| format!("`{s}`"))
                        .collect::<Vec<_>>()
                        .join(", ")
                ),
                format!("fails (\"{fails}\"): {remedy}"),
            ),
            Expect::LeftAlone { why, warning } => (
                match warning {
                    Some((about, _)) => format!("no change; warns {about}"),
                    None => "no change".into(),
                },
                format!("leaves it: {why}"),
            ),
        };
        out.push_str(&format!(
            "| {} | {} | {shows} | {apply} |\n",
            row.object, row.change
        ));
    }
    Some(out)
}

#[test]
fn every_resource_type_has_a_drift_matrix_of_sixty_rows_or_more() {
    use terraform_provider_clusteriam::provider::ClusterIam;
    use terraform_provider_clusteriam::tfplugin::Provider;
    let mut total = 0;
    for resource in ClusterIam.resources() {
        let rows = rows_of(resource.type_name())
            .unwrap_or_else(|| panic!("{} has no drift matrix", resource.type_name()));
        assert!(!rows.is_empty(), "{}", resource.type_name());
        total += rows.len();
    }
    assert!(total >= 60, "{total} rows");
}

#[test]
fn rancher_node_role_drift_matrix() {
    run(&roles::RoleMatrix(roles::Kind::Node), false);
}

#[test]
fn rancher_node_role_drift_matrix_bulk_reads() {
    run(&roles::RoleMatrix(roles::Kind::Node), true);
}

#[test]
fn rancher_csp_adapter_role_drift_matrix() {
    run(&roles::RoleMatrix(roles::Kind::CspAdapter), false);
}

#[test]
fn rancher_csp_adapter_role_drift_matrix_bulk_reads() {
    run(&roles::RoleMatrix(roles::Kind::CspAdapter), true);
}

#[test]
fn torque_agent_role_drift_matrix() {
    run(&roles::RoleMatrix(roles::Kind::TorqueAgent), false);
}

#[test]
fn torque_agent_role_drift_matrix_bulk_reads() {
    run(&roles::RoleMatrix(roles::Kind::TorqueAgent), true);
}

#[test]
fn eks_connector_agent_role_drift_matrix() {
    run(&roles::RoleMatrix(roles::Kind::ConnectorAgent), false);
}

#[test]
fn eks_connector_agent_role_drift_matrix_bulk_reads() {
    run(&roles::RoleMatrix(roles::Kind::ConnectorAgent), true);
}

#[test]
fn rancher_billing_adapter_role_drift_matrix() {
    run(&roles::RoleMatrix(roles::Kind::BillingAdapter), false);
}

#[test]
fn rancher_billing_adapter_role_drift_matrix_bulk_reads() {
    run(&roles::RoleMatrix(roles::Kind::BillingAdapter), true);
}

#[test]
fn torque_target_role_drift_matrix() {
    run(&roles::RoleMatrix(roles::Kind::TorqueTarget), false);
}

#[test]
fn torque_target_role_drift_matrix_bulk_reads() {
    run(&roles::RoleMatrix(roles::Kind::TorqueTarget), true);
}

#[test]
fn kkp_assume_role_drift_matrix() {
    run(&roles::RoleMatrix(roles::Kind::KkpAssume), false);
}

#[test]
fn kkp_assume_role_drift_matrix_bulk_reads() {
    run(&roles::RoleMatrix(roles::Kind::KkpAssume), true);
}

#[test]
fn kkp_account_policy_drift_matrix() {
    run(&kkp::KkpMatrix, false);
}

#[test]
fn kkp_account_policy_drift_matrix_bulk_reads() {
    run(&kkp::KkpMatrix, true);
}

#[test]
fn eks_connector_service_linked_role_drift_matrix() {
    run(&slr::SlrMatrix, false);
}

#[test]
fn eks_connector_service_linked_role_drift_matrix_bulk_reads() {
    run(&slr::SlrMatrix, true);
}

#[test]
fn oidc_provider_drift_matrix() {
    run(&oidc::OidcMatrix, false);
}

#[test]
fn cluster_tags_drift_matrix() {
    run(&ec2::ClusterTagsMatrix, false);
}

#[test]
fn vpc_dns_hostnames_drift_matrix() {
    run(&ec2::VpcMatrix, false);
}
