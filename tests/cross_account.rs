//! Acceptance: the roles another account's principal assumes, against the
//! emulator: `clusteriam_torque_target_role` (Torque's single agent in a
//! master account, `shared/seeds/beyond/`) and `clusteriam_kkp_assume_role`
//! (KKP's "Deploy with AWS AssumeRole"). Create, the empty plan after,
//! out-of-band drift repaired, import, replacement, destroy, and bad input
//! refused at plan with nothing created. The by-hand roles of each page are
//! adopted in tests/migration.rs, the provider's own permissions proven in
//! tests/permissions.rs, the examples applied in tests/examples.rs.

use crate::common;

use std::collections::BTreeSet;

use common::{ACCOUNT, Emulator, Workspace, block_on};
use terraform_provider_clusteriam::policy::published::Version;
use terraform_provider_clusteriam::policy::published::kkp::kkp_account_document;
use terraform_provider_clusteriam::policy::{equivalent, from_iam};

const MASTER: &str = "arn:aws:iam::111111111111:role/torque-agent";
const KKP_USER: &str = "arn:aws:iam::111111111111:user/kubermatic";
/// An external id: a secret that must never show in a plan or an error.
const SECRET: &str = "Sec-4d2f-external";

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

fn roles(aws: &Emulator) -> Vec<String> {
    block_on(aws.iam().list_roles().send())
        .unwrap()
        .roles
        .into_iter()
        .map(|r| r.role_name)
        .collect()
}

fn cross_account_trust(principal: &str, external_id: Option<&str>) -> String {
    terraform_provider_clusteriam::policy::trusts::cross_account_trust(principal, external_id)
        .to_canonical_json()
}

/// The Torque target role `name`, with `extra` lines in its block.
fn torque_target(aws: &Emulator, name: &str, extra: &str) -> String {
    format!(
        r#"{}
variable "external_id" {{
  type      = string
  sensitive = true
  default   = "{SECRET}"
}}

resource "clusteriam_torque_target_role" "this" {{
  name            = "{name}"
  master_role_arn = "{MASTER}"
  external_id     = var.external_id
{extra}
}}
output "arn" {{ value = clusteriam_torque_target_role.this.arn }}
"#,
        aws.provider_block()
    )
}

const S3_POLICY: &str = r#"  policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Action = "s3:ListAllMyBuckets", Resource = "*" }]
  })"#;

#[test]
fn torque_target_role_basic() {
    let aws = Emulator::start();
    let ws = Workspace::new();
    let power_user = "arn:aws:iam::aws:policy/PowerUserAccess";
    ws.write(&torque_target(
        &aws,
        "torque-target",
        &format!("  policy_arns = [\"{power_user}\"]\n{S3_POLICY}"),
    ));
    let plan = ws.plan();
    assert_eq!(plan.code, 2, "{}", plan.output());
    assert!(
        !plan.output().contains(SECRET),
        "the plan shows the external id:\n{}",
        plan.output()
    );
    let apply = ws.apply();
    apply.assert_ok();
    assert!(!apply.output().contains(SECRET), "{}", apply.output());

    // The page's trust, the external id as the condition.
    let trust_now = trust(&aws, "torque-target");
    assert!(
        equivalent(&trust_now, &cross_account_trust(MASTER, Some(SECRET))),
        "{trust_now}"
    );
    assert_eq!(
        attached(&aws, "torque-target"),
        BTreeSet::from([power_user.to_string()])
    );
    assert!(inline(&aws, "torque-target", "TorqueTargetPolicy").is_some());
    assert_eq!(
        ws.output("arn"),
        format!("arn:aws:iam::{ACCOUNT}:role/torque-target").as_str()
    );
    let state = ws.state_attributes("clusteriam_torque_target_role.this");
    assert_eq!(state["external_id"], SECRET);
    ws.assert_no_changes();

    // Drift: the condition gone, the principal widened, a policy attached,
    // the inline policy deleted, a tag added; all repaired.
    let iam = aws.iam();
    block_on(async {
        iam.update_assume_role_policy()
            .role_name("torque-target")
            .policy_document(cross_account_trust("arn:aws:iam::111111111111:root", None))
            .send()
            .await
            .unwrap();
        iam.attach_role_policy()
            .role_name("torque-target")
            .policy_arn("arn:aws:iam::aws:policy/AdministratorAccess")
            .send()
            .await
            .unwrap();
        iam.delete_role_policy()
            .role_name("torque-target")
            .policy_name("TorqueTargetPolicy")
            .send()
            .await
            .unwrap();
        iam.tag_role()
            .role_name("torque-target")
            .tags(
                aws_sdk_iam::types::Tag::builder()
                    .key("drift")
                    .value("x")
                    .build()
                    .unwrap(),
            )
            .send()
            .await
            .unwrap();
    });
    let run = ws.assert_changes(&["~ assume_role_policy", "~ policy_arns", "+ policy", "drift"]);
    assert!(!run.output().contains(SECRET), "{}", run.output());
    ws.apply().assert_ok();
    assert!(equivalent(
        &trust(&aws, "torque-target"),
        &cross_account_trust(MASTER, Some(SECRET))
    ));
    assert_eq!(
        attached(&aws, "torque-target"),
        BTreeSet::from([power_user.to_string()])
    );
    assert!(inline(&aws, "torque-target", "TorqueTargetPolicy").is_some());
    ws.assert_no_changes();

    // The external id removed: the trust loses its condition, in place.
    ws.write(
        &torque_target(&aws, "torque-target", "")
            .replace("  external_id     = var.external_id\n", ""),
    );
    ws.assert_changes(&["update in-place"]);
    ws.apply().assert_ok();
    assert!(equivalent(
        &trust(&aws, "torque-target"),
        &cross_account_trust(MASTER, None)
    ));
    assert!(attached(&aws, "torque-target").is_empty());
    assert_eq!(inline(&aws, "torque-target", "TorqueTargetPolicy"), None);
    ws.assert_no_changes();

    // Another name replaces the role: the new one first exists, the old is gone.
    ws.write(&torque_target(&aws, "torque-target-2", ""));
    ws.assert_changes(&["must be replaced"]);
    ws.apply().assert_ok();
    assert_eq!(roles(&aws), ["torque-target-2"]);
    ws.assert_no_changes();

    ws.destroy().assert_ok();
    assert!(roles(&aws).is_empty());
}

#[test]
fn torque_target_role_import_reads_the_master_role_and_the_external_id() {
    const ADDRESS: &str = "clusteriam_torque_target_role.this";
    let aws = Emulator::start();
    let ws = Workspace::new();
    ws.write(&torque_target(&aws, "torque-target", S3_POLICY));
    ws.apply().assert_ok();
    ws.run(&["state", "rm", ADDRESS]).assert_ok();
    let run = ws.import(ADDRESS, "torque-target");
    run.assert_ok();
    assert!(!run.output().contains(SECRET), "{}", run.output());
    let state = ws.state_attributes(ADDRESS);
    assert_eq!(state["master_role_arn"], MASTER);
    assert_eq!(state["external_id"], SECRET);
    ws.assert_no_changes();
    // An import id that is no role name, and a role that does not exist.
    ws.run(&["state", "rm", ADDRESS]).assert_ok();
    ws.import(ADDRESS, "no such role")
        .assert_error(&["Invalid import id"]);
    ws.import(ADDRESS, "torque-missing")
        .assert_error(&["There is no role named `torque-missing`"]);
}

#[test]
fn torque_target_role_rejects_bad_input_before_creating_anything() {
    let aws = Emulator::start();
    let ws = Workspace::new();
    let good = torque_target(&aws, "torque-target", "");
    let bad_secret = "bad secret!";
    let cases: Vec<(String, &[&str])> = vec![
        (
            good.replace("  name            = \"torque-target\"\n", ""),
            &["Missing `name`", "same name in every target account"],
        ),
        (
            good.replace("  name            = \"torque-target\"\n", "  name_prefix = \"torque-\"\n"),
            &["Missing `name`"],
        ),
        (
            good.replace(MASTER, "arn:aws:iam::111111111111:user/torque"),
            &["Invalid `master_role_arn`", "is not an IAM role ARN"],
        ),
        (
            good.replace(
                "  external_id     = var.external_id\n",
                "  external_id = var.external_id\n  policy = \"{not json\"\n",
            ),
            &["Invalid `policy`", "the policy is not valid JSON"],
        ),
        (
            good.replace(
                "  external_id     = var.external_id\n",
                "  external_id = var.external_id\n  policy_arns = [\"arn:aws:iam::123456789012:role/x\"]\n",
            ),
            &["Invalid `policy_arns`", "managed IAM policy"],
        ),
    ];
    for (hcl, needles) in cases {
        ws.write(&hcl);
        ws.validate().assert_error(needles);
        ws.apply().assert_error(needles);
    }
    // A sensitive variable is known at plan, not at validate: refused at
    // plan, and the error never repeats the value.
    ws.write(&good.replace(SECRET, bad_secret));
    let run = ws.plan();
    run.assert_error(&["Invalid `external_id`", "2 to 1224 letters, digits"]);
    assert!(!run.output().contains(bad_secret), "{}", run.output());
    // At plan: a master role in another partition; more managed policies
    // than a role may have (moto reports IAM's default quota of 10).
    ws.write(&good.replace("arn:aws:iam::111111111111", "arn:aws-cn:iam::111111111111"));
    ws.plan()
        .assert_error(&["Invalid `master_role_arn`", "partition `aws-cn`"]);
    // The policy's actions against the catalogue (issue 30), at plan.
    ws.write(&torque_target(
        &aws,
        "torque-target",
        &S3_POLICY.replace("s3:ListAllMyBuckets", "s3:ListAllMyBucket"),
    ));
    ws.plan().assert_error(&[
        "Unknown IAM action in `policy`",
        "`s3:ListAllMyBucket`",
        "did you mean `s3:ListAllMyBuckets`?",
    ]);
    let arns: Vec<String> = (0..11)
        .map(|n| format!("\"arn:aws:iam::{ACCOUNT}:policy/p{n}\""))
        .collect();
    ws.write(&good.replace(
        "  external_id     = var.external_id\n",
        &format!(
            "  external_id = var.external_id\n  policy_arns = [{}]\n",
            arns.join(", ")
        ),
    ));
    let run = ws.plan();
    run.assert_error(&[
        "`policy_arns` exceeds an IAM limit",
        "lists 11 managed policies",
    ]);
    assert!(!run.output().contains(SECRET), "{}", run.output());
    assert!(roles(&aws).is_empty(), "nothing was created");
}

/// The KKP AssumeRole role, with `extra` lines in its block.
fn kkp_role(aws: &Emulator, extra: &str) -> String {
    format!(
        r#"{}
resource "clusteriam_kkp_assume_role" "this" {{
  name              = "kubermatic"
  kkp_principal_arn = "{KKP_USER}"
  external_id       = "{SECRET}"
{extra}
}}
output "principal_policy" {{ value = clusteriam_kkp_assume_role.this.kkp_principal_policy }}
output "account_id" {{ value = clusteriam_kkp_assume_role.this.account_id }}
"#,
        aws.provider_block()
    )
}

fn kkp_document(version: Option<u32>) -> String {
    kkp_account_document("aws", ACCOUNT, version.map(|minor| Version::new(2, minor)))
}

#[test]
fn kkp_assume_role_basic() {
    let aws = Emulator::start();
    let ws = Workspace::new();
    ws.write(&kkp_role(&aws, "  kkp_version = \"2.22\""));
    let apply = ws.apply();
    apply.assert_ok();
    assert!(!apply.output().contains(SECRET), "{}", apply.output());
    assert!(equivalent(
        &trust(&aws, "kubermatic"),
        &cross_account_trust(KKP_USER, Some(SECRET))
    ));
    let policy = inline(&aws, "kubermatic", "KubermaticKKPPolicy").expect("the KKP policy");
    assert!(equivalent(&policy, &kkp_document(Some(22))), "{policy}");
    assert_eq!(ws.output("account_id"), ACCOUNT);
    let principal_policy: serde_json::Value =
        serde_json::from_str(ws.output("principal_policy").as_str().unwrap()).unwrap();
    assert_eq!(
        principal_policy["Statement"][0]["Resource"],
        format!("arn:aws:iam::{ACCOUNT}:role/kubermatic")
    );
    ws.assert_no_changes();

    // The current KKP: a new document in place.
    ws.write(&kkp_role(&aws, ""));
    ws.assert_changes(&["update in-place", "iam:TagInstanceProfile"]);
    ws.apply().assert_ok();
    let policy = inline(&aws, "kubermatic", "KubermaticKKPPolicy").unwrap();
    assert!(equivalent(&policy, &kkp_document(None)));
    ws.assert_no_changes();

    // Drift: the policy edited, the trust pointed elsewhere; repaired.
    let iam = aws.iam();
    block_on(async {
        iam.put_role_policy()
            .role_name("kubermatic")
            .policy_name("KubermaticKKPPolicy")
            .policy_document(
                r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]}"#,
            )
            .send()
            .await
            .unwrap();
        iam.update_assume_role_policy()
            .role_name("kubermatic")
            .policy_document(cross_account_trust("arn:aws:iam::222222222222:root", None))
            .send()
            .await
            .unwrap();
    });
    ws.assert_changes(&["~ policy", "~ assume_role_policy"]);
    ws.apply().assert_ok();
    assert!(equivalent(
        &inline(&aws, "kubermatic", "KubermaticKKPPolicy").unwrap(),
        &kkp_document(None)
    ));
    assert!(equivalent(
        &trust(&aws, "kubermatic"),
        &cross_account_trust(KKP_USER, Some(SECRET))
    ));
    ws.assert_no_changes();

    // Another path replaces the role.
    ws.write(&kkp_role(&aws, "  path = \"/kubermatic/\""));
    ws.assert_changes(&["must be replaced"]);
    ws.apply().assert_ok();
    let role = block_on(aws.iam().get_role().role_name("kubermatic").send())
        .unwrap()
        .role
        .unwrap();
    assert_eq!(role.path, "/kubermatic/");
    ws.assert_no_changes();

    ws.destroy().assert_ok();
    assert!(roles(&aws).is_empty());
}

#[test]
fn kkp_assume_role_import_reads_the_kkp_version_principal_and_external_id() {
    const ADDRESS: &str = "clusteriam_kkp_assume_role.this";
    let aws = Emulator::start();
    let ws = Workspace::new();
    ws.write(&kkp_role(&aws, "  kkp_version = \"2.22\""));
    ws.apply().assert_ok();
    ws.run(&["state", "rm", ADDRESS]).assert_ok();
    ws.import(ADDRESS, "kubermatic").assert_ok();
    let state = ws.state_attributes(ADDRESS);
    assert_eq!(state["kkp_principal_arn"], KKP_USER);
    assert_eq!(state["external_id"], SECRET);
    assert_eq!(state["kkp_version"], "2.22");
    ws.assert_no_changes();
}

#[test]
fn kkp_assume_role_rejects_bad_input_before_creating_anything() {
    let aws = Emulator::start();
    let ws = Workspace::new();
    let good = kkp_role(&aws, "");
    let cases: Vec<(String, &[&str])> = vec![
        (
            good.replace(KKP_USER, "111111111111"),
            &["Invalid `kkp_principal_arn`", "is not a valid ARN"],
        ),
        (
            good.replace(KKP_USER, "arn:aws:iam::111111111111:group/kkp"),
            &["Invalid `kkp_principal_arn`", "an IAM user"],
        ),
        (
            kkp_role(&aws, "  kkp_version = \"latest\""),
            &["Invalid `kkp_version`", "MAJOR.MINOR"],
        ),
        (
            good.replace(SECRET, "no spaces allowed"),
            &["Invalid `external_id`"],
        ),
    ];
    for (hcl, needles) in cases {
        ws.write(&hcl);
        ws.validate().assert_error(needles);
        ws.apply().assert_error(needles);
    }
    ws.write(&good.replace(KKP_USER, "arn:aws-us-gov:iam::111111111111:root"));
    ws.plan()
        .assert_error(&["Invalid `kkp_principal_arn`", "partition `aws-us-gov`"]);
    assert!(roles(&aws).is_empty(), "nothing was created");
}

/// The external ids (the role's, and the provider's own `assume_role`'s)
/// never reach the log, not even at `TF_LOG=TRACE`, where the AWS SDK's
/// lines copy requests and answers: trust policies plain, escaped and
/// percent-encoded, and STS's `ExternalId` parameter.
#[test]
fn external_ids_never_reach_a_trace_log() {
    let aws = Emulator::start();
    let mut ws = Workspace::new();
    let log = ws.path().join("trace.log");
    ws.set_env("TF_LOG", "TRACE");
    ws.set_env("TF_LOG_PATH", log.to_str().unwrap());
    let provider_secret = "Provider-ext-9f1";
    let config = torque_target(&aws, "torque-target", "").replace(
        "  propagation_timeout = \"20s\"",
        &format!(
            "  propagation_timeout = \"20s\"\n  assume_role {{\n    role_arn    = \"arn:aws:iam::{ACCOUNT}:role/terraform\"\n    external_id = \"{provider_secret}\"\n  }}"
        ),
    );
    ws.write(&config);
    ws.apply().assert_ok();
    ws.assert_no_changes();
    ws.destroy().assert_ok();
    let text = std::fs::read_to_string(&log).unwrap();
    assert!(
        text.contains("UpdateAssumeRolePolicy") || text.contains("CreateRole"),
        "the trace log holds the provider's calls"
    );
    for secret in [SECRET, provider_secret] {
        assert!(!text.contains(secret), "`{secret}` is in the trace log");
    }
}
