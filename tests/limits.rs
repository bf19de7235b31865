//! Acceptance: IAM's size and count limits are checked at plan, before
//! anything is created, and what is just within them applies.
//!
//! The emulator enforces none of these limits, so each refusal here is the
//! provider's own. Not built here, because no resource lets a user grow them
//! past a limit: an oversized trust policy (documented presets; the longest
//! external id and principal ARN still fit, `policy::trusts`' tests) and an
//! oversized managed policy; `policy::limits` and `resources::limits`
//! unit-test them.

use crate::common;

use common::faults::{FaultProxy, Faults};
use common::{ACCOUNT, Emulator, Workspace, block_on};

const ISSUER: &str = "oidc.eks.us-east-1.amazonaws.com/id/EXAMPLED539D4633E53DE1B71EXAMPLE";

fn provider_arn() -> String {
    format!("arn:aws:iam::{ACCOUNT}:oidc-provider/{ISSUER}")
}

/// The provider block for `url`, with `default_tags` of `n` tags.
fn provider_with_default_tags(url: &str, n: usize) -> String {
    let tags: Vec<String> = (0..n).map(|i| format!("default{i:02} = \"d\"")).collect();
    common::provider_block_for(url).replace(
        "propagation_timeout = \"20s\"",
        &format!(
            "propagation_timeout = \"20s\"\n  default_tags {{\n    tags = {{\n      {}\n    }}\n  }}",
            tags.join("\n      ")
        ),
    )
}

/// A whitespace-free identity policy of exactly `size` characters.
fn policy_of_size(size: usize) -> String {
    let text = |pad: &str| {
        format!(
            r#"{{"Version":"2012-10-17","Statement":[{{"Sid":"S{pad}","Effect":"Allow","Action":"s3:GetObject","Resource":"*"}}]}}"#
        )
    };
    let padding = "A".repeat(size - text("").len());
    let policy = text(&padding);
    assert_eq!(policy.len(), size);
    policy
}

/// The same document pretty-printed: whitespace IAM does not count.
fn pretty(policy: &str) -> String {
    let value: serde_json::Value = serde_json::from_str(policy).unwrap();
    serde_json::to_string_pretty(&value).unwrap()
}

/// The torque role named `name` with `policy` (a heredoc), `policy_arns` and
/// `tags` of `n_tags` tags.
fn torque_role(name: &str, policy: Option<&str>, policy_arns: &[String], n_tags: usize) -> String {
    let policy = policy
        .map(|p| format!("policy = <<-EOT\n{p}\nEOT"))
        .unwrap_or_default();
    let arns: Vec<String> = policy_arns.iter().map(|a| format!("\"{a}\"")).collect();
    let tags: Vec<String> = (0..n_tags).map(|i| format!("own{i:02} = \"t\"")).collect();
    format!(
        r#"
resource "clusteriam_torque_agent_role" "{name}" {{
  name              = "{name}"
  oidc_provider_arn = "{}"
  namespace         = "torque-envs"
  service_account   = "torque-runner"
  policy_arns       = [{}]
  tags              = {{ {} }}
  {policy}
}}
"#,
        provider_arn(),
        arns.join(", "),
        tags.join(", ")
    )
}

fn managed_policies(aws: &Emulator, n: usize) -> Vec<String> {
    (0..n)
        .map(|i| {
            block_on(
                aws.iam()
                    .create_policy()
                    .policy_name(format!("torque-{i}"))
                    .policy_document(r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:ListBucket","Resource":"*"}]}"#)
                    .send(),
            )
            .unwrap()
            .policy
            .unwrap()
            .arn
            .unwrap()
        })
        .collect()
}

fn fake_policy_arns(n: usize) -> Vec<String> {
    (0..n)
        .map(|i| format!("arn:aws:iam::{ACCOUNT}:policy/p{i}"))
        .collect()
}

fn roles(aws: &Emulator) -> Vec<String> {
    let out = block_on(aws.iam().list_roles().send()).unwrap();
    out.roles.into_iter().map(|r| r.role_name).collect()
}

/// Customer managed policies, except the `torque-*` ones the test made.
fn own_managed_policies(aws: &Emulator) -> Vec<String> {
    let out = block_on(
        aws.iam()
            .list_policies()
            .scope(aws_sdk_iam::types::PolicyScopeType::Local)
            .send(),
    )
    .unwrap();
    out.policies
        .unwrap_or_default()
        .into_iter()
        .filter_map(|p| p.policy_name)
        .filter(|n| !n.starts_with("torque-"))
        .collect()
}

#[track_caller]
fn assert_error_on(run: &common::Run, attribute: &str, needles: &[&str]) {
    let summary = format!("`{attribute}` exceeds an IAM limit");
    let mut all = vec![summary.as_str()];
    all.extend(needles);
    run.assert_error(&all);
    // Terraform shows the configuration line the diagnostic's path points at.
    assert!(
        run.mentions(&format!("{attribute} ")) && run.mentions("on main.tf line"),
        "the error points at `{attribute}`:\n{}",
        run.output()
    );
}

/// Each of a role's limits fails at plan (and apply) with the attribute, the
/// size and the limit, creating nothing; exactly at every limit, it applies.
#[test]
fn torque_agent_role_limits() {
    let aws = Emulator::start();
    let ws = Workspace::new();
    let provider = provider_with_default_tags(&aws.url, 40);
    let arns = managed_policies(&aws, 11);

    // An inline policy one character over, though its text is longer still.
    let over = pretty(&policy_of_size(10_241));
    assert!(over.len() > 10_241, "the text holds whitespace too");
    ws.write(&(provider.clone() + &torque_role("agent", Some(&over), &[], 0)));
    let plan = ws.plan();
    assert_error_on(
        &plan,
        "policy",
        &[
            "`policy` is 10,241 characters without whitespace; IAM allows 10,240 characters for \
             a role's inline policies together",
            "list them in `policy_arns`",
        ],
    );
    assert_error_on(&ws.apply(), "policy", &["10,241 characters"]);
    assert!(roles(&aws).is_empty(), "nothing is created");

    // One managed policy too many: the account's quota (moto reports IAM's default).
    ws.write(&(provider.clone() + &torque_role("agent", None, &arns, 0)));
    assert_error_on(
        &ws.plan(),
        "policy_arns",
        &[
            "`policy_arns` lists 11 managed policies; this account allows 10 managed policies \
           attached to a role (AttachedPoliciesPerRoleQuota)",
        ],
    );
    assert_error_on(&ws.apply(), "policy_arns", &["lists 11 managed policies"]);
    assert!(roles(&aws).is_empty(), "nothing is created");

    // 10 own tags and 40 default tags: no room left for the ownership mark.
    ws.write(&(provider.clone() + &torque_role("agent", None, &[], 10)));
    assert_error_on(
        &ws.plan(),
        "tags",
        &["`tags` merged with the provider's `default_tags` makes 50 tags; IAM allows 49"],
    );
    assert!(roles(&aws).is_empty(), "nothing is created");

    // Exactly at every limit at once.
    let at = pretty(&policy_of_size(10_240));
    ws.write(&(provider.clone() + &torque_role("agent", Some(&at), &arns[..10], 9)));
    ws.apply().assert_ok();
    assert_eq!(roles(&aws), ["agent"]);
    let attached = block_on(
        aws.iam()
            .list_attached_role_policies()
            .role_name("agent")
            .send(),
    )
    .unwrap()
    .attached_policies
    .unwrap_or_default()
    .len();
    assert_eq!(attached, 10);
    let tags = block_on(aws.iam().list_role_tags().role_name("agent").send())
        .unwrap()
        .tags;
    let user_tags = tags
        .iter()
        .filter(|t| t.key.starts_with("own") || t.key.starts_with("default"))
        .count();
    assert_eq!(user_tags, 49);
    ws.assert_no_changes();
    ws.destroy().assert_ok();
    assert!(roles(&aws).is_empty());
}

/// A value unknown at plan is checked when it is known, before anything is
/// created: the plan passes, the apply fails on `policy` and creates no role.
#[test]
fn torque_agent_role_unknown_policy_is_checked_before_the_role_is_created() {
    let aws = Emulator::start();
    let ws = Workspace::new();
    ws.write(&format!(
        r#"{}
resource "terraform_data" "padding" {{
  input = "{}"
}}
resource "clusteriam_torque_agent_role" "agent" {{
  name              = "agent"
  oidc_provider_arn = "{}"
  namespace         = "torque-envs"
  service_account   = "torque-runner"
  policy = jsonencode({{
    Version   = "2012-10-17"
    Statement = [{{ Sid = "S${{terraform_data.padding.output}}", Effect = "Allow", Action = "s3:GetObject", Resource = "*" }}]
  }})
}}
"#,
        aws.provider_block(),
        "A".repeat(10_300),
        provider_arn()
    ));
    let plan = ws.plan();
    assert_eq!(plan.code, 2, "the plan passes:\n{}", plan.output());
    assert_error_on(
        &ws.apply(),
        "policy",
        &["characters without whitespace; IAM allows 10,240"],
    );
    assert!(roles(&aws).is_empty(), "nothing is created");
}

/// The managed policy's tags: one over fails at plan, creating nothing; at
/// the limit it applies.
#[test]
fn kkp_account_policy_tags_limit() {
    let aws = Emulator::start();
    let ws = Workspace::new();
    let provider = provider_with_default_tags(&aws.url, 30);
    let kkp = |n: usize| {
        let tags: Vec<String> = (0..n).map(|i| format!("own{i:02} = \"t\"")).collect();
        format!(
            "{provider}\nresource \"clusteriam_kkp_account_policy\" \"this\" {{\n  name = \"kkp\"\n  tags = {{ {} }}\n}}\n",
            tags.join(", ")
        )
    };
    ws.write(&kkp(20));
    assert_error_on(&ws.plan(), "tags", &["makes 50 tags; IAM allows 49"]);
    assert_error_on(&ws.apply(), "tags", &["makes 50 tags"]);
    assert!(own_managed_policies(&aws).is_empty(), "nothing is created");

    ws.write(&kkp(19));
    ws.apply().assert_ok();
    assert_eq!(own_managed_policies(&aws), ["kkp"]);
    ws.assert_no_changes();
    ws.destroy().assert_ok();
    assert!(own_managed_policies(&aws).is_empty());
}

/// The role kinds beyond the seeds. The Torque target role's `policy` and
/// `policy_arns` are the user's: one over fails at plan (and apply),
/// creating nothing. The billing adapter's and KKP's AssumeRole role's
/// documents are fixed (`policy::limits` checks they fit): their tags are
/// what a user can grow. Each within its limits applies.
#[test]
fn roles_beyond_the_seeds_limits() {
    let aws = Emulator::start();
    let ws = Workspace::new();
    let provider = provider_with_default_tags(&aws.url, 40);
    let arns = managed_policies(&aws, 11);
    let target = |policy: Option<&str>, policy_arns: &[String], n_tags: usize| {
        let policy = policy
            .map(|p| format!("policy = <<-EOT\n{p}\nEOT"))
            .unwrap_or_default();
        let arns: Vec<String> = policy_arns.iter().map(|a| format!("\"{a}\"")).collect();
        let tags: Vec<String> = (0..n_tags).map(|i| format!("own{i:02} = \"t\"")).collect();
        format!(
            r#"{provider}
resource "clusteriam_torque_target_role" "target" {{
  name            = "target"
  master_role_arn = "arn:aws:iam::111111111111:role/torque-agent"
  external_id     = "limits-external"
  policy_arns     = [{}]
  tags            = {{ {} }}
  {policy}
}}
"#,
            arns.join(", "),
            tags.join(", ")
        )
    };

    ws.write(&target(Some(&pretty(&policy_of_size(10_241))), &[], 0));
    assert_error_on(
        &ws.plan(),
        "policy",
        &[
            "`policy` is 10,241 characters without whitespace; IAM allows 10,240",
            "list them in `policy_arns`",
        ],
    );
    ws.write(&target(None, &arns, 0));
    assert_error_on(
        &ws.plan(),
        "policy_arns",
        &["`policy_arns` lists 11 managed policies; this account allows 10"],
    );
    assert_error_on(&ws.apply(), "policy_arns", &["lists 11 managed policies"]);
    assert!(roles(&aws).is_empty(), "nothing is created");

    let tagged = |n_tags: usize| {
        let tags: Vec<String> = (0..n_tags).map(|i| format!("own{i:02} = \"t\"")).collect();
        let tags = tags.join(", ");
        format!(
            r#"{provider}
resource "clusteriam_rancher_billing_adapter_role" "billing" {{
  name              = "billing"
  oidc_provider_arn = "{}"
  tags              = {{ {tags} }}
}}

resource "clusteriam_kkp_assume_role" "kkp" {{
  name              = "kkp"
  kkp_principal_arn = "arn:aws:iam::111111111111:user/kubermatic"
  tags              = {{ {tags} }}
}}
"#,
            provider_arn()
        )
    };
    ws.write(&tagged(10));
    let plan = ws.plan();
    for address in [
        "clusteriam_rancher_billing_adapter_role.billing",
        "clusteriam_kkp_assume_role.kkp",
    ] {
        assert!(plan.mentions(address), "{address}:\n{}", plan.output());
    }
    assert_error_on(&plan, "tags", &["makes 50 tags; IAM allows 49"]);
    assert!(roles(&aws).is_empty(), "nothing is created");

    // Within every limit, all three apply.
    block_on(
        aws.iam()
            .create_open_id_connect_provider()
            .url(format!("https://{ISSUER}"))
            .client_id_list("sts.amazonaws.com")
            .send(),
    )
    .unwrap();
    let at = pretty(&policy_of_size(10_240));
    ws.write(&(target(Some(&at), &arns[..10], 9) + &tagged(9).replace(&provider, "")));
    ws.apply().assert_ok();
    let mut made = roles(&aws);
    made.sort();
    assert_eq!(made, ["billing", "kkp", "target"]);
    ws.assert_no_changes();
    ws.destroy().assert_ok();
    assert!(roles(&aws).is_empty());
}

/// The account's quotas are read only when a plan needs them, once per
/// provider process; when GetAccountSummary is denied the plan warns and
/// IAM decides at apply.
#[test]
fn account_quotas_are_read_once_and_only_when_needed() {
    let aws = Emulator::start();
    let proxy = FaultProxy::start(&aws.url, Faults::default());
    proxy.configure(|f| f.deny = ["GetAccountSummary".to_string()].into());
    let ws = Workspace::new();
    let provider = common::provider_block_for(&proxy.url);

    // Within every default: no need to ask.
    ws.write(
        &(provider.clone()
            + &torque_role("a", Some(&policy_of_size(500)), &fake_policy_arns(10), 3)),
    );
    let plan = ws.plan();
    assert_eq!(plan.code, 2, "{}", plan.output());
    assert_eq!(proxy.counts().denied, 0, "GetAccountSummary was not called");
    assert!(!plan.mentions("GetAccountSummary"), "{}", plan.output());

    // Two roles over the default: asked once, denied, so a warning on each
    // (Terraform folds the second into "one more similar warning").
    ws.write(
        &(provider.clone()
            + &torque_role("a", None, &fake_policy_arns(11), 0)
            + &torque_role("b", None, &fake_policy_arns(12), 0)),
    );
    let plan = ws.plan();
    assert_eq!(plan.code, 2, "the plan passes:\n{}", plan.output());
    for needle in [
        "`policy_arns` may exceed an IAM quota",
        "`policy_arns` lists 11 managed policies, over IAM's default of 10",
        "(GetAccountSummary: AccessDenied",
        "so IAM decides at apply",
    ] {
        assert!(
            plan.mentions(needle),
            "expected `{needle}` in:\n{}",
            plan.output()
        );
    }
    assert_eq!(
        proxy.counts().denied,
        1,
        "one GetAccountSummary for the whole plan"
    );
    assert!(roles(&aws).is_empty());
}
