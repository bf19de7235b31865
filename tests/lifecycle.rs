//! The lifecycle matrix (issue 26), through real Terraform against the
//! emulator:
//!
//! - every attribute that forces replacement (`requires_replace` in the
//!   schemas: a role's `name`, `name_prefix` and `path`; the OIDC provider's
//!   `url`; the KKP policy's `name`, `name_prefix`, `path` and
//!   `description`; `cluster_id`; `vpc_id`), replaced with a dependent in
//!   the same configuration, in Terraform's default order and with
//!   `create_before_destroy`;
//! - two resources sharing one object (one OIDC URL; the service-linked
//!   role) destroyed in every order, forced with `-target` and with a
//!   dependent that is slow to destroy;
//! - `plan -out`, then an object deleted or changed out of band, then the
//!   saved plan applied, for every type;
//! - `state rm`, import and apply of every type (the objects made by hand
//!   as each platform's page says are in tests/migration.rs).
//!
//! Each test shares one emulator and workspace between the rows that do not
//! interfere, so that the matrix stays cheap: one apply replaces every row
//! of a type at once.

use crate::common;

use std::collections::BTreeSet;

use common::scenarios::{
    assert_workspace_matches, emulator_inventory, kkp_prerequisites, rancher_network,
};
use common::{ACCOUNT, Emulator, Run, Workspace, block_on};
use terraform_provider_clusteriam::policy::trusts::cross_account_trust;
use terraform_provider_clusteriam::policy::{equivalent, federated_principals, from_iam};

const ISSUER_A: &str = "oidc.eks.us-east-1.amazonaws.com/id/LIFECYCLEA";
const ISSUER_B: &str = "oidc.eks.us-east-1.amazonaws.com/id/LIFECYCLEB";

fn oidc_arn(issuer: &str) -> String {
    format!("arn:aws:iam::{ACCOUNT}:oidc-provider/{issuer}")
}

/// The ARNs of the OIDC providers in the emulator, sorted.
fn oidc_providers(aws: &Emulator) -> Vec<String> {
    let mut arns: Vec<String> = block_on(aws.iam().list_open_id_connect_providers().send())
        .expect("ListOpenIDConnectProviders")
        .open_id_connect_provider_list()
        .iter()
        .filter_map(|p| p.arn().map(str::to_string))
        .collect();
    arns.sort();
    arns
}

/// The role's trust policy, decoded; None when the role does not exist.
fn trust(aws: &Emulator, role: &str) -> Option<String> {
    match block_on(aws.iam().get_role().role_name(role).send()) {
        Ok(out) => Some(from_iam(
            out.role
                .unwrap()
                .assume_role_policy_document
                .as_deref()
                .unwrap(),
        )),
        Err(e) if format!("{e:?}").contains("NoSuchEntity") => None,
        Err(e) => panic!("GetRole {role}: {e:?}"),
    }
}

/// The OIDC provider the role trusts (the one, in these tests).
#[track_caller]
fn trusted_provider(aws: &Emulator, role: &str) -> String {
    let trust = trust(aws, role).unwrap_or_else(|| panic!("role {role} does not exist"));
    let principals = federated_principals(&trust);
    assert_eq!(principals.len(), 1, "{role}: {trust}");
    principals[0].clone()
}

fn role_names(aws: &Emulator) -> BTreeSet<String> {
    block_on(aws.iam().list_roles().send())
        .expect("ListRoles")
        .roles
        .into_iter()
        .map(|r| r.role_name)
        .collect()
}

fn set(items: &[&str]) -> BTreeSet<String> {
    items.iter().map(|s| s.to_string()).collect()
}

/// `terraform <command> -no-color -input=false <rest of args>`.
fn run(ws: &Workspace, args: &[&str]) -> Run {
    let mut all = vec![args[0], "-no-color", "-input=false"];
    all.extend(&args[1..]);
    ws.run(&all)
}

// ---------------------------------------------------------------------------
// Replacing an OIDC provider that roles of the configuration trust.
// ---------------------------------------------------------------------------

/// A provider for `issuer` and two roles that trust it.
fn trusted_provider_config(aws: &Emulator, issuer: &str, create_before_destroy: bool) -> String {
    let lifecycle = if create_before_destroy {
        "\n  lifecycle {\n    create_before_destroy = true\n  }"
    } else {
        ""
    };
    format!(
        r#"{}
resource "clusteriam_oidc_provider" "cluster" {{
  url = "https://{issuer}"{lifecycle}
}}

resource "clusteriam_torque_agent_role" "agent" {{
  name              = "torque-agent"
  oidc_provider_arn = clusteriam_oidc_provider.cluster.arn
  namespace         = "torque-envs"
  service_account   = "torque-runner"
}}

resource "clusteriam_rancher_csp_adapter_role" "csp" {{
  name              = "rancher-csp-adapter"
  oidc_provider_arn = clusteriam_oidc_provider.cluster.arn
}}
"#,
        aws.provider_block()
    )
}

/// Issue 26, item 3: a rebuilt cluster's new issuer replaces the provider
/// while roles of the same configuration trust it. In Terraform's default
/// order that would delete the provider before the roles move: refused at
/// once, naming the roles and the recipe, with nothing broken. The recipe
/// (`create_before_destroy`, as the resource's example has it) works, and so
/// does `-replace` with it, which keeps the URL: the new resource takes the
/// provider over instead of deleting it under the roles.
#[test]
fn oidc_provider_replaced_under_its_roles_by_the_documented_recipe() {
    let aws = Emulator::start();
    let ws = Workspace::new();
    ws.write(&trusted_provider_config(&aws, ISSUER_A, false));
    ws.apply().assert_ok();
    let (a, b) = (oidc_arn(ISSUER_A), oidc_arn(ISSUER_B));

    // A new issuer in the default order: refused before anything breaks.
    ws.write(&trusted_provider_config(&aws, ISSUER_B, false));
    ws.apply().assert_error(&[
        "deleting IAM OIDC provider",
        "`torque-agent`",
        "`rancher-csp-adapter`",
        "is being replaced",
        "lifecycle { create_before_destroy = true }",
    ]);
    assert_eq!(oidc_providers(&aws), vec![a.clone()]);
    assert_eq!(trusted_provider(&aws, "torque-agent"), a);
    assert_eq!(trusted_provider(&aws, "rancher-csp-adapter"), a);

    // The recipe: the new provider first, the roles moved, the old one gone.
    ws.write(&trusted_provider_config(&aws, ISSUER_B, true));
    ws.apply().assert_ok();
    assert_eq!(oidc_providers(&aws), vec![b.clone()]);
    assert_eq!(trusted_provider(&aws, "torque-agent"), b);
    assert_eq!(trusted_provider(&aws, "rancher-csp-adapter"), b);
    ws.assert_no_changes();

    // `-replace` keeps the URL: the new resource takes the provider over.
    let replaced = run(
        &ws,
        &[
            "apply",
            "-auto-approve",
            "-replace=clusteriam_oidc_provider.cluster",
        ],
    );
    replaced.assert_ok();
    assert!(replaced.mentions("took it over"), "{}", replaced.output());
    assert_eq!(oidc_providers(&aws), vec![b.clone()]);
    // The new resource adopted it, and the old one's destroy handed it over:
    // it is this configuration's own again, from the next refresh on.
    let plan = ws.plan();
    assert_eq!(plan.code, 0, "{}", plan.output());
    run(&ws, &["apply", "-refresh-only", "-auto-approve"]).assert_ok();
    let state = ws.state_attributes("clusteriam_oidc_provider.cluster");
    assert_eq!(state["adopted"], false, "this configuration's own");
    ws.assert_no_changes();

    ws.destroy().assert_ok();
    assert!(oidc_providers(&aws).is_empty());
    assert!(role_names(&aws).is_empty());
}

// ---------------------------------------------------------------------------
// Two resources sharing one object, destroyed in every order.
// ---------------------------------------------------------------------------

const SHARED_ISSUER: &str = "oidc.eks.us-east-1.amazonaws.com/id/SHAREDBYTWO";

/// A module of one team: the cluster's OIDC provider (created or adopted,
/// whichever comes second) and an IRSA role trusting it, whose destroy
/// waits `slow_destroy` seconds first.
const IRSA_MODULE: &str = r#"
terraform {
  required_providers {
    clusteriam = { source = "clusteriam/clusteriam" }
  }
}

variable "url" { type = string }
variable "role" { type = string }
variable "slow_destroy" {
  type    = number
  default = 0
}

resource "clusteriam_oidc_provider" "this" {
  url = var.url
}

resource "clusteriam_torque_agent_role" "agent" {
  name              = var.role
  oidc_provider_arn = clusteriam_oidc_provider.this.arn
  namespace         = "torque"
  service_account   = var.role
}

# Destroyed before the role, after a pause: the role goes late.
resource "terraform_data" "slow" {
  input      = var.slow_destroy
  depends_on = [clusteriam_torque_agent_role.agent]
  provisioner "local-exec" {
    when    = destroy
    command = "sleep ${self.input}"
  }
}

output "adopted" {
  value = clusteriam_oidc_provider.this.adopted
}
"#;

/// Two modules for one issuer, `platform` created first (it owns the
/// provider) and `apps` adopting it. `slow` says whose role goes late on
/// destroy.
fn shared_url_workspace(aws: &Emulator, ws: &Workspace, slow: (u32, u32)) {
    std::fs::create_dir_all(ws.path().join("irsa")).unwrap();
    std::fs::write(ws.path().join("irsa/main.tf"), IRSA_MODULE).unwrap();
    // Short, so that the refusal below does not take two minutes.
    let provider = aws.provider_block().replace(
        "propagation_timeout = \"20s\"",
        "propagation_timeout = \"6s\"",
    );
    ws.write(&format!(
        r#"{provider}
module "platform" {{
  source       = "./irsa"
  url          = "https://{SHARED_ISSUER}"
  role         = "platform-agent"
  slow_destroy = {}
}}

module "apps" {{
  source       = "./irsa"
  url          = "https://{SHARED_ISSUER}"
  role         = "apps-agent"
  slow_destroy = {}
}}

output "platform_adopted" {{ value = module.platform.adopted }}
output "apps_adopted" {{ value = module.apps.adopted }}
"#,
        slow.0, slow.1
    ));
    ws.run(&["get", "-no-color"]).assert_ok();
    run(ws, &["apply", "-auto-approve", "-target=module.platform"]).assert_ok();
    ws.apply().assert_ok();
    assert_eq!(ws.output("platform_adopted"), false);
    assert_eq!(ws.output("apps_adopted"), true);
}

#[track_caller]
fn assert_nothing_left(aws: &Emulator) {
    assert!(oidc_providers(aws).is_empty(), "{:?}", oidc_providers(aws));
    assert!(role_names(aws).is_empty(), "{:?}", role_names(aws));
}

/// Issue 26, item 4: one configuration, two resources for one OIDC URL (one
/// module creates the provider, the other adopts it), each trusted by its
/// module's role. Whatever order the destroy takes, it ends with nothing
/// left; only a destroy that leaves a trusting role in place refuses,
/// naming it.
#[test]
fn two_resources_for_one_oidc_url_destroy_in_every_order() {
    let aws = Emulator::start();

    // The adopter's role goes last: the owner waits for it, then deletes.
    let ws = Workspace::new();
    shared_url_workspace(&aws, &ws, (0, 3));
    ws.destroy().assert_ok();
    assert_nothing_left(&aws);

    // The owner's own role goes last: Terraform orders those two itself.
    let ws = Workspace::new();
    shared_url_workspace(&aws, &ws, (3, 0));
    ws.destroy().assert_ok();
    assert_nothing_left(&aws);

    // The adopting module first (it leaves the provider), then the rest.
    let ws = Workspace::new();
    shared_url_workspace(&aws, &ws, (0, 0));
    let apps_first = run(&ws, &["destroy", "-auto-approve", "-target=module.apps"]);
    apps_first.assert_ok();
    assert!(
        apps_first.mentions("left in place"),
        "{}",
        apps_first.output()
    );
    assert_eq!(oidc_providers(&aws), vec![oidc_arn(SHARED_ISSUER)]);
    ws.destroy().assert_ok();
    assert_nothing_left(&aws);

    // The owning module alone: the other module's role stays and still
    // trusts the provider, so it is refused, naming the role; the whole
    // destroy then goes through.
    let ws = Workspace::new();
    shared_url_workspace(&aws, &ws, (0, 0));
    run(
        &ws,
        &["destroy", "-auto-approve", "-target=module.platform"],
    )
    .assert_error(&[
        "deleting IAM OIDC provider",
        "after waiting 6s",
        "`apps-agent`",
    ]);
    assert_eq!(role_names(&aws), set(&["apps-agent"]));
    ws.destroy().assert_ok();
    assert_nothing_left(&aws);
}

/// The service-linked role the same way: two resources, one creates it, the
/// other adopts it; any order ends with it deleted by its creator.
#[test]
fn two_resources_for_the_service_linked_role_destroy_in_every_order() {
    let aws = Emulator::start();
    let config = format!(
        r#"{}
resource "clusteriam_eks_connector_service_linked_role" "platform" {{}}
resource "clusteriam_eks_connector_service_linked_role" "apps" {{}}
"#,
        aws.provider_block()
    );
    let slr = |aws: &Emulator| {
        block_on(
            aws.iam()
                .list_roles()
                .path_prefix("/aws-service-role/eks-connector.amazonaws.com/")
                .send(),
        )
        .unwrap()
        .roles
        .len()
    };
    let orders: [&[&str]; 3] = [
        &[],
        &["-target=clusteriam_eks_connector_service_linked_role.platform"],
        &["-target=clusteriam_eks_connector_service_linked_role.apps"],
    ];
    for first in orders {
        let ws = Workspace::new();
        ws.write(&config);
        run(
            &ws,
            &[
                "apply",
                "-auto-approve",
                "-target=clusteriam_eks_connector_service_linked_role.platform",
            ],
        )
        .assert_ok();
        ws.apply().assert_ok();
        let adopted = |r: &str| {
            ws.state_attributes(&format!(
                "clusteriam_eks_connector_service_linked_role.{r}"
            ))["adopted"]
                .clone()
        };
        assert_eq!(
            (adopted("platform"), adopted("apps")),
            (false.into(), true.into())
        );
        if !first.is_empty() {
            let mut args = vec!["destroy", "-auto-approve"];
            args.extend(first);
            run(&ws, &args).assert_ok();
        }
        ws.destroy().assert_ok();
        assert_eq!(slr(&aws), 0, "order {first:?} left the role");
    }
}

// ---------------------------------------------------------------------------
// Docs.
// ---------------------------------------------------------------------------

/// Issue 26, item 9: what the docs say destroy does to an imported OIDC
/// provider is what it does (tests/oidc_provider.rs: one made elsewhere is
/// adopted and left in place; one a clusteriam configuration created is
/// managed and deleted). No page may say an imported one is deleted,
/// without saying which.
#[test]
fn docs_agree_on_what_destroy_does_to_an_imported_oidc_provider() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    for page in [
        "docs/resources/oidc_provider.md",
        "docs/guides/adopting-existing-roles.md",
        "examples/resources/clusteriam_oidc_provider/import.sh",
    ] {
        let text = std::fs::read_to_string(root.join(page)).unwrap();
        let flat = text
            .replace('#', " ")
            .split_whitespace()
            .collect::<Vec<_>>()
            .join(" ");
        for wrong in [
            "An imported provider is managed: destroying the resource deletes it",
            "An imported OIDC provider is managed like one this provider created: destroying the resource deletes it",
        ] {
            assert!(!flat.contains(wrong), "{page} still says: {wrong}");
        }
        assert!(
            flat.contains("left in place") || flat.contains("leaves it in place"),
            "{page} does not say that an imported provider made elsewhere is left in place"
        );
    }
}

// ---------------------------------------------------------------------------
// Every attribute that forces replacement, replaced with a dependent.
// ---------------------------------------------------------------------------

/// One row: a resource of the type under test, its identity before and
/// after the change, whether it is replaced with `create_before_destroy`,
/// and a `terraform_data` that depends on it (its `output` must follow).
/// A `refused` row is one IAM cannot do (a fixed name created before the
/// old one goes): it is changed last, alone, and must fail with the remedy.
struct Row {
    name: &'static str,
    before: String,
    after: String,
    create_before_destroy: bool,
    refused: bool,
}

fn row(name: &'static str, before: &str, after: &str, create_before_destroy: bool) -> Row {
    Row {
        name,
        before: before.to_string(),
        after: after.to_string(),
        create_before_destroy,
        refused: false,
    }
}

/// What the rows of a type share: the resource type, the attribute its
/// dependents use, the other resources the rows need, and the attributes
/// every row has.
struct Rows<'a> {
    kind: &'a str,
    attribute: &'a str,
    extra: &'a str,
    common: &'a str,
    rows: Vec<Row>,
}

#[derive(Clone, Copy, PartialEq)]
enum Stage {
    Before,
    /// Every row changed but the refused ones.
    Changed,
    /// The refused ones too.
    Refused,
}

impl Rows<'_> {
    fn config(&self, aws: &Emulator, stage: Stage) -> String {
        let mut out = format!("{}\n{}", aws.provider_block(), self.extra);
        for row in &self.rows {
            let changed = match stage {
                Stage::Before => false,
                Stage::Changed => !row.refused,
                Stage::Refused => true,
            };
            let identity = if changed { &row.after } else { &row.before };
            let lifecycle = if row.create_before_destroy {
                "\n  lifecycle {\n    create_before_destroy = true\n  }"
            } else {
                ""
            };
            out.push_str(&format!(
                "\nresource \"{kind}\" \"{name}\" {{\n{identity}\n{common}{lifecycle}\n}}\n\
                 \nresource \"terraform_data\" \"{name}\" {{\n  input = {kind}.{name}.{attribute}\n}}\n",
                kind = self.kind,
                name = row.name,
                common = self.common,
                attribute = self.attribute,
            ));
        }
        out
    }

    fn value(&self, ws: &Workspace, row: &Row) -> String {
        let address = format!("{}.{}", self.kind, row.name);
        ws.state_attributes(&address)[self.attribute]
            .as_str()
            .unwrap()
            .to_string()
    }

    /// Applies the rows, then their change: each is replaced (a new
    /// `attribute`, unless `same_value` says the change keeps it), its
    /// dependent follows, the plan after is empty, and the emulator holds
    /// what the state says. Then the refused rows: the apply fails with
    /// `refusal` and leaves them as they were. Returns the workspace.
    fn replace(&self, aws: &Emulator, same_value: &[&str], refusal: &[&str]) -> Workspace {
        let ws = Workspace::new();
        ws.write(&self.config(aws, Stage::Before));
        ws.apply().assert_ok();
        let before: Vec<String> = self.rows.iter().map(|r| self.value(&ws, r)).collect();
        ws.write(&self.config(aws, Stage::Changed));
        let plan = ws.plan();
        for row in self.rows.iter().filter(|r| !r.refused) {
            let replaced = format!("# {}.{} must be replaced", self.kind, row.name);
            assert!(
                plan.stdout.contains(&replaced),
                "{replaced}:\n{}",
                plan.stdout
            );
        }
        ws.apply().assert_ok();
        for (row, old) in self.rows.iter().zip(&before) {
            let new = self.value(&ws, row);
            if row.refused || same_value.contains(&row.name) {
                assert_eq!(&new, old, "{}", row.name);
            } else {
                assert_ne!(&new, old, "{} was not replaced", row.name);
            }
            let dependent = ws.state_attributes(&format!("terraform_data.{}", row.name));
            assert_eq!(
                dependent["output"],
                new.as_str(),
                "{}'s dependent",
                row.name
            );
        }
        ws.assert_no_changes();
        assert_workspace_matches(aws, &ws, &[ACCOUNT], self.kind);
        if self.rows.iter().any(|r| r.refused) {
            let inventory = emulator_inventory(aws, &[ACCOUNT]);
            ws.write(&self.config(aws, Stage::Refused));
            ws.apply().assert_error(refusal);
            assert_eq!(
                emulator_inventory(aws, &[ACCOUNT]),
                inventory,
                "nothing changed"
            );
        }
        ws
    }
}

/// The rows every role kind has: `name`, `name_prefix` and `path` replaced
/// in the default order, and with `create_before_destroy` where a role of
/// the new name can exist beside the old one; a fixed `name` with
/// `create_before_destroy` cannot, and is refused with the remedy.
fn role_rows<'a>(kind: &'a str, short: &str, extra: &'a str, common: &'a str) -> Rows<'a> {
    let n = |s: &str| format!("  name = \"lc-{short}-{s}\"");
    let p = |s: &str| format!("  name_prefix = \"lc-{short}-{s}-\"");
    let path = |identity: String, path: &str| format!("{identity}\n  path = \"/{path}/\"");
    let mut fixed = row(
        "cbd_name",
        &path(n("fixed"), "a"),
        &path(n("fixed"), "b"),
        true,
    );
    fixed.refused = true;
    Rows {
        kind,
        attribute: "arn",
        extra,
        common,
        rows: vec![
            row("name", &n("a"), &n("b"), false),
            row("name_prefix", &p("a"), &p("b"), false),
            row("path", &path(n("path"), "a"), &path(n("path"), "b"), false),
            row("cbd_name_prefix", &p("ca"), &p("cb"), true),
            row("cbd_path", &path(p("cp"), "a"), &path(p("cp"), "b"), true),
            fixed,
        ],
    }
}

const ROLE_REFUSAL: [&str; 2] = ["already exists", "use `name_prefix`"];

const OIDC_FOR_ROLES: &str = r#"
resource "clusteriam_oidc_provider" "cluster" {
  url = "https://oidc.eks.us-east-1.amazonaws.com/id/ROLEROWS"
}
"#;

#[test]
fn rancher_node_role_replaced_with_dependents_in_both_orders() {
    let aws = Emulator::start();
    let rows = role_rows(
        "clusteriam_rancher_node_role",
        "node",
        "",
        "  node_role = \"worker\"",
    );
    rows.replace(&aws, &[], &ROLE_REFUSAL);
    // Each role's instance profile went and came with it.
    let profiles = block_on(aws.iam().list_instance_profiles().send())
        .unwrap()
        .instance_profiles
        .len();
    assert_eq!(profiles, rows.rows.len());
}

#[test]
fn torque_agent_role_replaced_with_dependents_in_both_orders() {
    let aws = Emulator::start();
    let common = "  oidc_provider_arn = clusteriam_oidc_provider.cluster.arn\n  namespace = \"ns\"\n  service_account = \"sa\"";
    role_rows(
        "clusteriam_torque_agent_role",
        "torque",
        OIDC_FOR_ROLES,
        common,
    )
    .replace(&aws, &[], &ROLE_REFUSAL);
}

#[test]
fn rancher_csp_adapter_role_replaced_with_dependents_in_both_orders() {
    let aws = Emulator::start();
    let common = "  oidc_provider_arn = clusteriam_oidc_provider.cluster.arn";
    role_rows(
        "clusteriam_rancher_csp_adapter_role",
        "csp",
        OIDC_FOR_ROLES,
        common,
    )
    .replace(&aws, &[], &ROLE_REFUSAL);
}

#[test]
fn eks_connector_agent_role_replaced_with_dependents_in_both_orders() {
    let aws = Emulator::start();
    role_rows("clusteriam_eks_connector_agent_role", "connector", "", "").replace(
        &aws,
        &[],
        &ROLE_REFUSAL,
    );
}

/// The Rancher Prime PAYG billing adapter's role: each new role has the
/// metering policy attached (the old one's went with it), and the chart's
/// `global.aws.roleName` follows the new name.
#[test]
fn rancher_billing_adapter_role_replaced_with_dependents_in_both_orders() {
    let aws = Emulator::start();
    let common = "  oidc_provider_arn = clusteriam_oidc_provider.cluster.arn";
    let rows = role_rows(
        "clusteriam_rancher_billing_adapter_role",
        "billing",
        OIDC_FOR_ROLES,
        common,
    );
    let ws = rows.replace(&aws, &[], &ROLE_REFUSAL);
    let metering = "arn:aws:iam::aws:policy/AWSMarketplaceMeteringFullAccess";
    for row in &rows.rows {
        let attrs = ws.state_attributes(&format!("{}.{}", rows.kind, row.name));
        let name = attrs["name"].as_str().unwrap();
        assert_eq!(
            attrs["helm_values"]["global.aws.roleName"], name,
            "{}",
            row.name
        );
        let attached = block_on(
            aws.iam()
                .list_attached_role_policies()
                .role_name(name)
                .send(),
        )
        .unwrap()
        .attached_policies
        .unwrap_or_default();
        let arns: Vec<_> = attached.iter().filter_map(|p| p.policy_arn()).collect();
        assert_eq!(arns, [metering], "{name}");
    }
    assert_eq!(role_names(&aws).len(), rows.rows.len(), "no old role left");
}

/// Torque's target role (cross-account Option B), with an external id: the
/// new role trusts the master role with the same external id, so the
/// agent's `assume_role` (the dependent) keeps working. Its `name` is
/// required (one name in every target account: no `name_prefix`), so with
/// `create_before_destroy` only a new name can be replaced; a new `path`
/// under the same name is refused with the remedy.
#[test]
fn torque_target_role_replaced_with_dependents_in_both_orders() {
    let aws = Emulator::start();
    let master = "arn:aws:iam::111111111111:role/torque-agent";
    let common = format!("  master_role_arn = \"{master}\"\n  external_id = \"lc-external-1\"");
    let n = |s: &str| format!("  name = \"lc-target-{s}\"");
    let path = |identity: String, path: &str| format!("{identity}\n  path = \"/{path}/\"");
    let mut fixed = row(
        "cbd_path",
        &path(n("fixed"), "a"),
        &path(n("fixed"), "b"),
        true,
    );
    fixed.refused = true;
    let rows = Rows {
        kind: "clusteriam_torque_target_role",
        attribute: "arn",
        extra: "",
        common: &common,
        rows: vec![
            row("name", &n("a"), &n("b"), false),
            row("path", &path(n("path"), "a"), &path(n("path"), "b"), false),
            row("cbd_name", &n("ca"), &n("cb"), true),
            fixed,
        ],
    };
    rows.replace(
        &aws,
        &[],
        &["already exists", "remove `create_before_destroy`"],
    );
    let expected = cross_account_trust(master, Some("lc-external-1")).to_canonical_json();
    for name in role_names(&aws) {
        let actual = trust(&aws, &name).unwrap();
        assert!(equivalent(&actual, &expected), "{name}: {actual}");
    }
    assert_eq!(role_names(&aws).len(), rows.rows.len(), "no old role left");
}

/// KKP's AssumeRole role in account B: the new role has the KKP policy and
/// trusts KKP's principal with the external id.
#[test]
fn kkp_assume_role_replaced_with_dependents_in_both_orders() {
    let aws = Emulator::start();
    let kkp_user = "arn:aws:iam::111111111111:user/kubermatic";
    let common = format!("  kkp_principal_arn = \"{kkp_user}\"\n  external_id = \"lc-external-2\"");
    let rows = role_rows("clusteriam_kkp_assume_role", "kkp", "", &common);
    rows.replace(&aws, &[], &ROLE_REFUSAL);
    let expected = cross_account_trust(kkp_user, Some("lc-external-2")).to_canonical_json();
    for name in role_names(&aws) {
        let actual = trust(&aws, &name).unwrap();
        assert!(equivalent(&actual, &expected), "{name}: {actual}");
        let inline = block_on(aws.iam().list_role_policies().role_name(&name).send())
            .unwrap()
            .policy_names;
        assert_eq!(inline, ["KubermaticKKPPolicy"], "{name}");
    }
    assert_eq!(role_names(&aws).len(), rows.rows.len(), "no old role left");
}

/// The KKP policy's `name`, `name_prefix`, `path` and `description`, with
/// the attachment to its user moving to the new policy.
#[test]
fn kkp_account_policy_replaced_with_dependents_in_both_orders() {
    let aws = Emulator::start();
    kkp_prerequisites(&aws);
    let n = |s: &str| format!("  name = \"lc-kkp-{s}\"");
    let p = |s: &str| format!("  name_prefix = \"lc-kkp-{s}-\"");
    let with =
        |identity: String, attr: &str, value: &str| format!("{identity}\n  {attr} = \"{value}\"");
    let mut fixed = row(
        "cbd_name",
        &with(n("fixed"), "description", "a"),
        &with(n("fixed"), "description", "b"),
        true,
    );
    fixed.refused = true;
    let rows = Rows {
        kind: "clusteriam_kkp_account_policy",
        attribute: "arn",
        extra: "",
        common: "  user_name = \"kubermatic\"",
        rows: vec![
            row("name", &n("a"), &n("b"), false),
            row("name_prefix", &p("a"), &p("b"), false),
            row(
                "path",
                &with(n("path"), "path", "/a/"),
                &with(n("path"), "path", "/b/"),
                false,
            ),
            row(
                "description",
                &with(n("d"), "description", "a"),
                &with(n("d"), "description", "b"),
                false,
            ),
            row("cbd_name_prefix", &p("ca"), &p("cb"), true),
            row(
                "cbd_description",
                &with(p("cd"), "description", "a"),
                &with(p("cd"), "description", "b"),
                true,
            ),
            fixed,
        ],
    };
    // A policy's description is not in its ARN: the plan says replaced.
    rows.replace(
        &aws,
        &["description"],
        &["already exists", "use `name_prefix`"],
    );
    let attached = block_on(
        aws.iam()
            .list_attached_user_policies()
            .user_name("kubermatic")
            .send(),
    )
    .unwrap()
    .attached_policies
    .unwrap_or_default()
    .len();
    assert_eq!(
        attached,
        rows.rows.len(),
        "each policy attached once, no old one"
    );
}

/// An OIDC provider that no role trusts, its `url` replaced in both orders
/// (with trusting roles: `oidc_provider_replaced_under_its_roles_...`).
#[test]
fn oidc_provider_replaced_with_dependents_in_both_orders() {
    let aws = Emulator::start();
    let url = |s: &str| format!("  url = \"https://oidc.eks.us-east-1.amazonaws.com/id/{s}\"");
    let rows = Rows {
        kind: "clusteriam_oidc_provider",
        attribute: "arn",
        extra: "",
        common: "",
        rows: vec![
            row("url", &url("LONEA"), &url("LONEB"), false),
            row("cbd_url", &url("LONEC"), &url("LONED"), true),
        ],
    };
    rows.replace(&aws, &[], &[]);
    let issuer = |s: &str| oidc_arn(&format!("oidc.eks.us-east-1.amazonaws.com/id/{s}"));
    assert_eq!(oidc_providers(&aws), vec![issuer("LONEB"), issuer("LONED")]);
}

/// `cluster_id` in both orders: the new key on the node, subnet and security
/// group, the old one gone from them (two keys on one group at a time is
/// allowed: the one-group rule is per key).
#[test]
fn cluster_tags_replaced_with_dependents_in_both_orders() {
    let aws = Emulator::start();
    let (subnet, group, instance) = rancher_network(&aws);
    let common = format!(
        "  instance_ids = [\"{instance}\"]\n  subnet_ids = [\"{subnet}\"]\n  security_group_id = \"{group}\""
    );
    let id = |s: &str| format!("  cluster_id = \"{s}\"");
    let rows = Rows {
        kind: "clusteriam_cluster_tags",
        attribute: "tag_key",
        extra: "",
        common: &common,
        rows: vec![
            row("cluster_id", &id("one"), &id("two"), false),
            row("cbd_cluster_id", &id("three"), &id("four"), true),
        ],
    };
    rows.replace(&aws, &[], &[]);
}

/// `vpc_id` in both orders: DNS hostnames on in the new VPC, and the old one
/// restored to what it was before (off), also by destroy.
#[test]
fn vpc_dns_hostnames_replaced_with_dependents_in_both_orders() {
    let aws = Emulator::start();
    let vpcs: Vec<String> = (0..4)
        .map(|i| {
            block_on(
                aws.ec2()
                    .create_vpc()
                    .cidr_block(format!("10.{}.0.0/16", 10 + i))
                    .send(),
            )
            .unwrap()
            .vpc
            .unwrap()
            .vpc_id
            .unwrap()
        })
        .collect();
    let vpc = |i: usize| format!("  vpc_id = \"{}\"", vpcs[i]);
    let rows = Rows {
        kind: "clusteriam_vpc_dns_hostnames",
        attribute: "id",
        extra: "",
        common: "",
        rows: vec![
            row("vpc_id", &vpc(0), &vpc(1), false),
            row("cbd_vpc_id", &vpc(2), &vpc(3), true),
        ],
    };
    let ws = rows.replace(&aws, &[], &[]);
    let hostnames = |vpc: &str| {
        block_on(
            aws.ec2()
                .describe_vpc_attribute()
                .vpc_id(vpc)
                .attribute(aws_sdk_ec2::types::VpcAttributeName::EnableDnsHostnames)
                .send(),
        )
        .unwrap()
        .enable_dns_hostnames
        .and_then(|v| v.value)
        .unwrap_or(false)
    };
    let on: Vec<bool> = vpcs.iter().map(|v| hostnames(v)).collect();
    assert_eq!(
        on,
        [false, true, false, true],
        "old VPCs restored, new ones on"
    );
    ws.destroy().assert_ok();
    assert!(
        vpcs.iter().all(|v| !hostnames(v)),
        "destroy restores every VPC"
    );
}

// ---------------------------------------------------------------------------
// A saved plan applied after the objects changed out of band.
// ---------------------------------------------------------------------------

/// Deletes a role the way a person would, with what hangs off it.
fn delete_role_by_hand(aws: &Emulator, name: &str) {
    let iam = aws.iam();
    block_on(async {
        for profile in iam
            .list_instance_profiles_for_role()
            .role_name(name)
            .send()
            .await
            .unwrap()
            .instance_profiles
        {
            let profile = profile.instance_profile_name;
            iam.remove_role_from_instance_profile()
                .instance_profile_name(&profile)
                .role_name(name)
                .send()
                .await
                .unwrap();
            iam.delete_instance_profile()
                .instance_profile_name(&profile)
                .send()
                .await
                .unwrap();
        }
        for policy in iam
            .list_attached_role_policies()
            .role_name(name)
            .send()
            .await
            .unwrap()
            .attached_policies
            .unwrap_or_default()
        {
            iam.detach_role_policy()
                .role_name(name)
                .policy_arn(policy.policy_arn.unwrap())
                .send()
                .await
                .unwrap();
        }
        for policy in iam
            .list_role_policies()
            .role_name(name)
            .send()
            .await
            .unwrap()
            .policy_names
        {
            iam.delete_role_policy()
                .role_name(name)
                .policy_name(policy)
                .send()
                .await
                .unwrap();
        }
        iam.delete_role().role_name(name).send().await.unwrap();
    });
}

fn saved_plan_roles_config(aws: &Emulator, stage: u32) -> String {
    format!(
        r#"{}
resource "clusteriam_oidc_provider" "cluster" {{
  url = "https://oidc.eks.us-east-1.amazonaws.com/id/SAVEDPLAN"
}}

resource "clusteriam_rancher_node_role" "node" {{
  name      = "lc-node"
  node_role = "worker"
  tags      = {{ stage = "{stage}" }}
}}

resource "clusteriam_rancher_csp_adapter_role" "csp" {{
  name              = "lc-csp"
  oidc_provider_arn = clusteriam_oidc_provider.cluster.arn
  tags              = {{ stage = "{stage}" }}
}}

resource "clusteriam_torque_agent_role" "agent" {{
  name              = "lc-agent"
  oidc_provider_arn = clusteriam_oidc_provider.cluster.arn
  namespace         = "ns"
  service_account   = "sa"
  tags              = {{ stage = "{stage}" }}
}}

resource "clusteriam_eks_connector_agent_role" "connector" {{
  name = "lc-connector"
  tags = {{ stage = "{stage}" }}
}}

resource "clusteriam_rancher_billing_adapter_role" "billing" {{
  name              = "lc-billing"
  oidc_provider_arn = clusteriam_oidc_provider.cluster.arn
  tags              = {{ stage = "{stage}" }}
}}

resource "clusteriam_torque_target_role" "target" {{
  name            = "lc-target"
  master_role_arn = "arn:aws:iam::111111111111:role/torque-agent"
  external_id     = "lc-external"
  tags            = {{ stage = "{stage}" }}
}}

resource "clusteriam_kkp_assume_role" "kkp" {{
  name              = "lc-kkp"
  kkp_principal_arn = "arn:aws:iam::111111111111:user/kubermatic"
  tags              = {{ stage = "{stage}" }}
}}
"#,
        aws.provider_block()
    )
}

/// Issue 26, item 6, for every role kind: a saved plan updates roles that
/// were deleted after it was made. Making them anew would break what the
/// plan promised (their `unique_id`), so the apply fails for them, saying
/// so and what to do, and Terraform reports no provider bug; the roles that
/// were only changed meanwhile are brought to the plan. The next apply
/// creates the deleted ones, and then the plan is empty.
#[test]
fn role_kinds_apply_a_saved_plan_after_out_of_band_changes() {
    let aws = Emulator::start();
    let ws = Workspace::new();
    ws.write(&saved_plan_roles_config(&aws, 1));
    ws.apply().assert_ok();
    ws.write(&saved_plan_roles_config(&aws, 2));
    run(&ws, &["plan", "-out=saved.tfplan"]).assert_ok();

    delete_role_by_hand(&aws, "lc-node");
    delete_role_by_hand(&aws, "lc-csp");
    let iam = aws.iam();
    block_on(
        iam.put_role_policy()
            .role_name("lc-agent")
            .policy_name("added-by-hand")
            .policy_document(r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:*","Resource":"*"}]}"#)
            .send(),
    )
    .unwrap();
    block_on(
        iam.untag_role()
            .role_name("lc-connector")
            .tag_keys("stage")
            .send(),
    )
    .unwrap();
    // The roles beyond the seeds: the billing adapter's deleted (with its
    // metering policy detached first, as a person must), the Torque target's
    // trust stripped of its external id, KKP's policy narrowed.
    delete_role_by_hand(&aws, "lc-billing");
    let target_master = "arn:aws:iam::111111111111:role/torque-agent";
    block_on(
        iam.update_assume_role_policy()
            .role_name("lc-target")
            .policy_document(cross_account_trust(target_master, None).to_canonical_json())
            .send(),
    )
    .unwrap();
    let kkp_policy = ws.state_attributes("clusteriam_kkp_assume_role.kkp")["policy"]
        .as_str()
        .unwrap()
        .to_string();
    block_on(
        iam.put_role_policy()
            .role_name("lc-kkp")
            .policy_name("KubermaticKKPPolicy")
            .policy_document(r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"ec2:DescribeInstances","Resource":"*"}]}"#)
            .send(),
    )
    .unwrap();

    let applied = run(&ws, &["apply", "saved.tfplan"]);
    applied.assert_error(&[
        "updating IAM role (`lc-node`)",
        "updating IAM role (`lc-csp`)",
        "updating IAM role (`lc-billing`)",
        "was deleted outside Terraform after this plan was made",
        "Run `terraform plan` (or `apply`) again",
    ]);
    assert!(
        !applied.mentions("inconsistent result"),
        "{}",
        applied.output()
    );
    // Nothing made anew behind the plan's back; the others brought to it.
    let roles = role_names(&aws);
    assert_eq!(
        roles,
        set(&["lc-agent", "lc-connector", "lc-target", "lc-kkp"])
    );
    let target_trust = trust(&aws, "lc-target").unwrap();
    assert!(
        equivalent(
            &target_trust,
            &cross_account_trust(target_master, Some("lc-external")).to_canonical_json()
        ),
        "the external id is back: {target_trust}"
    );
    let kkp_now = block_on(
        iam.get_role_policy()
            .role_name("lc-kkp")
            .policy_name("KubermaticKKPPolicy")
            .send(),
    )
    .unwrap()
    .policy_document;
    assert!(
        equivalent(&from_iam(&kkp_now), &kkp_policy),
        "the KKP policy is back: {kkp_now}"
    );
    let inline = block_on(iam.list_role_policies().role_name("lc-agent").send())
        .unwrap()
        .policy_names;
    assert!(!inline.contains(&"added-by-hand".to_string()), "{inline:?}");
    let tags = block_on(iam.list_role_tags().role_name("lc-connector").send())
        .unwrap()
        .tags;
    assert!(
        tags.iter().any(|t| t.key == "stage" && t.value == "2"),
        "{tags:?}"
    );

    ws.assert_changes(&[
        "clusteriam_rancher_node_role.node will be created",
        "clusteriam_rancher_csp_adapter_role.csp will be created",
        "clusteriam_rancher_billing_adapter_role.billing will be created",
    ]);
    ws.apply().assert_ok();
    ws.assert_no_changes();
    assert_workspace_matches(&aws, &ws, &[ACCOUNT], "after the next apply");
}

/// The other types the same way: a saved plan that updates an OIDC
/// provider and a KKP policy deleted meanwhile fails for them, saying so;
/// one that creates the service-linked role someone made meanwhile adopts
/// it; one that turns DNS hostnames on where someone already did leaves
/// them to that someone on destroy; one that extends cluster tags of which
/// one was removed meanwhile puts all of them on. Then a saved destroy plan
/// applied after everything was deleted by hand succeeds.
#[test]
fn other_types_apply_a_saved_plan_after_out_of_band_changes() {
    let aws = Emulator::start();
    let vpc = kkp_prerequisites(&aws);
    let (subnet, group, instance) = rancher_network(&aws);
    let provider_arn = oidc_arn("oidc.eks.us-east-1.amazonaws.com/id/SAVEDOTHER");
    let config = |stage: u32| {
        let mut out = format!(
            r#"{}
resource "clusteriam_oidc_provider" "cluster" {{
  url  = "https://oidc.eks.us-east-1.amazonaws.com/id/SAVEDOTHER"
  tags = {{ stage = "{stage}" }}
}}

resource "clusteriam_kkp_account_policy" "kkp" {{
  name      = "lc-kkp"
  user_name = "kubermatic"
  tags      = {{ stage = "{stage}" }}
}}
"#,
            aws.provider_block()
        );
        let group = if stage == 2 {
            format!("\n  security_group_id = \"{group}\"")
        } else {
            String::new()
        };
        out.push_str(&format!(
            "\nresource \"clusteriam_cluster_tags\" \"prod\" {{\n  cluster_id = \"prod\"\n  instance_ids = [\"{instance}\"]\n  subnet_ids = [\"{subnet}\"]{group}\n}}\n"
        ));
        if stage == 2 {
            out.push_str(&format!(
                "\nresource \"clusteriam_vpc_dns_hostnames\" \"kkp\" {{\n  vpc_id = \"{vpc}\"\n}}\n\
                 resource \"clusteriam_eks_connector_service_linked_role\" \"connector\" {{}}\n"
            ));
        }
        out
    };
    let ws = Workspace::new();
    ws.write(&config(1));
    ws.apply().assert_ok();
    let policy_arn = ws.state_attributes("clusteriam_kkp_account_policy.kkp")["arn"]
        .as_str()
        .unwrap()
        .to_string();
    ws.write(&config(2));
    run(&ws, &["plan", "-out=saved.tfplan"]).assert_ok();

    let (iam, ec2) = (aws.iam(), aws.ec2());
    let delete_by_hand = || {
        block_on(async {
            let _ = iam
                .delete_open_id_connect_provider()
                .open_id_connect_provider_arn(&provider_arn)
                .send()
                .await;
            let _ = iam
                .detach_user_policy()
                .user_name("kubermatic")
                .policy_arn(&policy_arn)
                .send()
                .await;
            let _ = iam.delete_policy().policy_arn(&policy_arn).send().await;
        })
    };
    delete_by_hand();
    let slr = block_on(
        iam.create_service_linked_role()
            .aws_service_name("eks-connector.amazonaws.com")
            .send(),
    )
    .unwrap()
    .role
    .unwrap()
    .role_name;
    let hostnames_on = |on: bool| {
        block_on(
            ec2.modify_vpc_attribute()
                .vpc_id(&vpc)
                .enable_dns_hostnames(
                    aws_sdk_ec2::types::AttributeBooleanValue::builder()
                        .value(on)
                        .build(),
                )
                .send(),
        )
        .unwrap();
    };
    hostnames_on(true);
    block_on(
        ec2.delete_tags()
            .resources(&instance)
            .tags(
                aws_sdk_ec2::types::Tag::builder()
                    .key("kubernetes.io/cluster/prod")
                    .build(),
            )
            .send(),
    )
    .unwrap();

    let applied = run(&ws, &["apply", "saved.tfplan"]);
    applied.assert_error(&[
        "updating IAM OIDC provider",
        "deleted outside Terraform",
        "updating IAM policy (`lc-kkp`)",
    ]);
    assert!(
        !applied.mentions("inconsistent result"),
        "{}",
        applied.output()
    );
    assert_eq!(
        ws.state_attributes("clusteriam_eks_connector_service_linked_role.connector")["adopted"],
        true
    );
    ws.assert_changes(&[
        "clusteriam_oidc_provider.cluster will be created",
        "clusteriam_kkp_account_policy.kkp will be created",
    ]);
    ws.apply().assert_ok();
    ws.assert_no_changes();
    assert_workspace_matches(&aws, &ws, &[ACCOUNT], "after the next apply");

    // A saved destroy plan, applied after everything went by hand.
    let policy_arn = ws.state_attributes("clusteriam_kkp_account_policy.kkp")["arn"]
        .as_str()
        .unwrap()
        .to_string();
    run(&ws, &["plan", "-destroy", "-out=destroy.tfplan"]).assert_ok();
    block_on(async {
        let _ = iam
            .delete_open_id_connect_provider()
            .open_id_connect_provider_arn(&provider_arn)
            .send()
            .await;
        let _ = iam
            .detach_user_policy()
            .user_name("kubermatic")
            .policy_arn(&policy_arn)
            .send()
            .await;
        let _ = iam.delete_policy().policy_arn(&policy_arn).send().await;
        ec2.delete_tags()
            .resources(&instance)
            .resources(&subnet)
            .resources(&group)
            .tags(
                aws_sdk_ec2::types::Tag::builder()
                    .key("kubernetes.io/cluster/prod")
                    .build(),
            )
            .send()
            .await
            .unwrap();
    });
    run(&ws, &["apply", "destroy.tfplan"]).assert_ok();
    // Nothing of this configuration is left, but the role someone made.
    let left = emulator_inventory(&aws, &[ACCOUNT]);
    assert_eq!(left, set(&[&format!("role:{ACCOUNT}:{slr}")]));
    // Someone else turned DNS hostnames on and made the service-linked role:
    // destroy leaves both to them.
    let on = block_on(
        ec2.describe_vpc_attribute()
            .vpc_id(&vpc)
            .attribute(aws_sdk_ec2::types::VpcAttributeName::EnableDnsHostnames)
            .send(),
    )
    .unwrap()
    .enable_dns_hostnames
    .and_then(|v| v.value);
    assert_eq!(on, Some(true));
    assert!(role_names(&aws).contains(&slr), "the adopted role stays");
}

// ---------------------------------------------------------------------------
// Out of state and back: `state rm`, import, apply, for every type.
// ---------------------------------------------------------------------------

/// One resource of every type, applied, removed from state, imported back
/// with `import` blocks: the plan imports each and changes nothing, the
/// apply keeps every object (same ids), the plan after is empty, and
/// destroy does what each resource's `adopted` (where it has one) says.
#[test]
fn every_type_goes_out_of_state_and_back_by_import() {
    let aws = Emulator::start();
    let vpc = kkp_prerequisites(&aws);
    let (subnet, group, instance) = rancher_network(&aws);
    let resources = format!(
        r#"
resource "clusteriam_oidc_provider" "cluster" {{
  url  = "https://oidc.eks.us-east-1.amazonaws.com/id/OUTANDBACK"
  tags = {{ Name = "cluster" }}
}}

resource "clusteriam_torque_agent_role" "agent" {{
  name              = "lc-agent"
  oidc_provider_arn = clusteriam_oidc_provider.cluster.arn
  namespace         = "ns"
  service_account   = "sa"
}}

resource "clusteriam_rancher_csp_adapter_role" "csp" {{
  name              = "lc-csp"
  oidc_provider_arn = clusteriam_oidc_provider.cluster.arn
}}

resource "clusteriam_rancher_node_role" "worker" {{
  name      = "lc-worker"
  node_role = "worker"
  tags      = {{ team = "nodes" }}
}}

resource "clusteriam_eks_connector_agent_role" "connector" {{}}

resource "clusteriam_eks_connector_service_linked_role" "connector" {{}}

resource "clusteriam_rancher_billing_adapter_role" "billing" {{
  name              = "lc-billing"
  oidc_provider_arn = clusteriam_oidc_provider.cluster.arn
}}

resource "clusteriam_torque_target_role" "target" {{
  name            = "lc-target"
  master_role_arn = "arn:aws:iam::111111111111:role/torque-agent"
  external_id     = "lc-external"
  policy_arns     = ["arn:aws:iam::aws:policy/ReadOnlyAccess"]
}}

resource "clusteriam_kkp_assume_role" "kkp" {{
  name              = "lc-kkp-role"
  kkp_principal_arn = "arn:aws:iam::111111111111:root"
  kkp_version       = "2.22"
  external_id       = "lc-kkp-external"
}}

resource "clusteriam_kkp_account_policy" "kkp" {{
  name      = "lc-kkp"
  user_name = "kubermatic"
}}

resource "clusteriam_cluster_tags" "prod" {{
  cluster_id        = "prod"
  instance_ids      = ["{instance}"]
  subnet_ids        = ["{subnet}"]
  security_group_id = "{group}"
}}

resource "clusteriam_vpc_dns_hostnames" "kkp" {{
  vpc_id = "{vpc}"
}}
"#
    );
    let ws = Workspace::new();
    ws.write(&format!("{}{resources}", aws.provider_block()));
    ws.apply().assert_ok();
    let before = emulator_inventory(&aws, &[ACCOUNT]);
    let ids: Vec<(String, String)> = [
        ("clusteriam_oidc_provider.cluster", "arn"),
        ("clusteriam_torque_agent_role.agent", "name"),
        ("clusteriam_rancher_csp_adapter_role.csp", "name"),
        ("clusteriam_rancher_node_role.worker", "name"),
        ("clusteriam_eks_connector_agent_role.connector", "name"),
        (
            "clusteriam_eks_connector_service_linked_role.connector",
            "name",
        ),
        ("clusteriam_rancher_billing_adapter_role.billing", "name"),
        ("clusteriam_torque_target_role.target", "name"),
        ("clusteriam_kkp_assume_role.kkp", "name"),
        ("clusteriam_kkp_account_policy.kkp", "arn"),
        ("clusteriam_cluster_tags.prod", "cluster_id"),
        ("clusteriam_vpc_dns_hostnames.kkp", "vpc_id"),
    ]
    .iter()
    .map(|(address, attr)| {
        let id = ws.state_attributes(address)[*attr]
            .as_str()
            .unwrap()
            .to_string();
        (address.to_string(), id)
    })
    .collect();
    let adopted = |ws: &Workspace, address: &str| ws.state_attributes(address)["adopted"].clone();
    let owned_before = (
        adopted(&ws, "clusteriam_oidc_provider.cluster"),
        adopted(
            &ws,
            "clusteriam_eks_connector_service_linked_role.connector",
        ),
    );
    for (address, _) in &ids {
        ws.run(&["state", "rm", "-no-color", address]).assert_ok();
    }
    let mut config = format!("{}{resources}", aws.provider_block());
    for (address, id) in &ids {
        config.push_str(&format!(
            "\nimport {{\n  to = {address}\n  id = \"{id}\"\n}}\n"
        ));
    }
    ws.write(&config);
    let plan = run(&ws, &["plan"]);
    plan.assert_ok();
    assert!(
        plan.mentions(&format!(
            "Plan: {} to import, 0 to add, 0 to change, 0 to destroy.",
            ids.len()
        )),
        "{}",
        plan.output()
    );
    ws.apply().assert_ok();
    ws.assert_no_changes();
    assert_eq!(
        emulator_inventory(&aws, &[ACCOUNT]),
        before,
        "the same objects"
    );
    assert_workspace_matches(&aws, &ws, &[ACCOUNT], "after the import");

    // How an import decides whether a provider or the service-linked role
    // is this configuration's is tests/oidc_provider.rs's and
    // tests/security.rs's; here, destroy must do what `adopted` says.
    let after = (
        adopted(&ws, "clusteriam_oidc_provider.cluster"),
        adopted(
            &ws,
            "clusteriam_eks_connector_service_linked_role.connector",
        ),
    );
    println!("adopted before and after the import: {owned_before:?} {after:?}");
    ws.destroy().assert_ok();
    let left = emulator_inventory(&aws, &[ACCOUNT]);
    let provider_left = left.iter().any(|o| o.starts_with("oidc:"));
    assert_eq!(provider_left, after.0 == true, "{left:?}");
    let slr_left = left.iter().any(|o| o.contains("AWSServiceRoleFor"));
    assert_eq!(slr_left, after.1 == true, "{left:?}");
    assert_eq!(
        left.len(),
        provider_left as usize + slr_left as usize,
        "{left:?}"
    );
}
