//! IAM's size and count limits, checked by the resources that create IAM
//! objects: what the resource is about to send is measured at plan (values
//! still unknown are left out) and again before its first write, when every
//! value is known, so nothing is created that IAM would refuse half-way.
//!
//! The limits and how IAM counts are in [`crate::policy::limits`]; this
//! module picks what to measure from a planned state and reads the account's
//! adjustable quotas when a measure needs them.

use std::collections::{BTreeMap, BTreeSet};

use crate::aws::Aws;
use crate::policy::limits::{Limit, Measure, Verdict};
use crate::resources::common::role::model::{PolicyArnsModel, PolicyModel, RoleModel};
use crate::resources::common::tags::TagsModel;
use crate::tfplugin::{Attr, Diagnostics, Model, Severity, Value};

/// The remedy for a computed document over a limit: the user cannot change
/// it, and the unit tests keep every documented document within its limits.
const COMPUTED_REMEDY: &str = "this is the platform's documented document, which the provider's \
                               tests keep within IAM's limits: please report this as a bug";

/// What IAM counts of a role (and its instance profile) that `state`
/// describes: the inline `policy`, the trust, the managed policies in
/// `policy_arns` (of a kind that `attaches_policies`), and the tags.
pub fn role_measures(
    state: &Value,
    attaches_policies: bool,
    policy_is_computed: bool,
    default_tags: &BTreeMap<String, String>,
) -> Vec<Measure> {
    let mut measures = Vec::new();
    let policy_arns = PolicyArnsModel::policy_arns;
    if let Some(policy) = PolicyModel::read(state).policy.known() {
        let measure = Measure::document(PolicyModel::policy, Limit::RoleInlinePolicies, policy);
        measures.push(match (policy_is_computed, attaches_policies) {
            (true, _) => measure.remedy(COMPUTED_REMEDY),
            (false, true) => measure.remedy(format!(
                "move statements into managed policies and list them in `{policy_arns}`"
            )),
            (false, false) => measure,
        });
    }
    if let Some(trust) = RoleModel::read(state).assume_role_policy.known() {
        measures.push(Measure::document(
            RoleModel::assume_role_policy,
            Limit::TrustPolicy,
            trust,
        ));
    }
    if attaches_policies && let Attr::Known(arns) = PolicyArnsModel::read(state).policy_arns {
        // Unknown elements may turn out to repeat known ones: count only
        // the distinct known ARNs, which the role will have at least.
        let known = arns.iter().filter(|arn| arn.known().is_some()).count();
        measures.push(Measure::new(
            policy_arns,
            Limit::AttachedPoliciesPerRole,
            known,
        ));
    }
    measures.extend(tags_measure(state, default_tags));
    measures
}

/// What IAM counts of a managed policy that `state` describes: its computed
/// `policy` document and its tags.
pub fn managed_policy_measures(
    state: &Value,
    default_tags: &BTreeMap<String, String>,
) -> Vec<Measure> {
    let mut measures = Vec::new();
    if let Some(policy) = PolicyModel::read(state).policy.known() {
        measures.push(
            Measure::document(PolicyModel::policy, Limit::ManagedPolicy, policy)
                .remedy(COMPUTED_REMEDY),
        );
    }
    measures.extend(tags_measure(state, default_tags));
    measures
}

/// The number of tags `tags` and `default_tags` make together, when the
/// keys of `tags` are known (values may still be unknown: keys decide).
pub fn tags_measure(state: &Value, default_tags: &BTreeMap<String, String>) -> Option<Measure> {
    let tags = TagsModel::read(state).tags;
    let keys: BTreeSet<&str> = match &tags {
        Attr::Null => default_tags.keys().map(String::as_str).collect(),
        Attr::Known(tags) => default_tags
            .keys()
            .chain(tags.keys())
            .map(String::as_str)
            .collect(),
        Attr::Unknown => return None,
    };
    Some(Measure::new(TagsModel::tags, Limit::Tags, keys.len()))
}

/// Reports each measure over its limit as an error on its attribute, reading
/// the account's quotas (once per process) when a measure is over an
/// adjustable default. When they cannot be read, warns and lets IAM decide.
/// Returns whether nothing is over a limit.
pub async fn check(aws: &Aws, measures: &[Measure], diags: &mut Diagnostics) -> bool {
    let mut within = true;
    for measure in measures {
        let attr = measure.attribute.as_str();
        let mut verdict = measure.verdict(None);
        if verdict == Verdict::NeedsAccountQuota {
            let name = measure.limit.quota_name().unwrap_or_default();
            let quota = match aws.account_summary().await {
                Ok(summary) => summary.get(name).copied(),
                Err(e) => {
                    warn(diags, measure, &e.to_string());
                    continue;
                }
            };
            let Some(quota) = quota.and_then(|q| usize::try_from(q).ok()) else {
                warn(diags, measure, &format!("its answer holds no `{name}`"));
                continue;
            };
            verdict = measure.verdict(Some(quota));
        }
        if let Verdict::Over(detail) = verdict {
            diags.attribute_error(attr, format!("`{attr}` exceeds an IAM limit"), detail);
            within = false;
        }
    }
    within
}

/// [`check`] again before the first write, with every value known. Only
/// errors are reported: the plan has given the warnings already.
pub async fn check_before_write(aws: &Aws, measures: &[Measure], diags: &mut Diagnostics) -> bool {
    let mut found = Diagnostics::default();
    let within = check(aws, measures, &mut found).await;
    diags.0.extend(
        found
            .0
            .into_iter()
            .filter(|d| d.severity == Severity::Error),
    );
    within
}

fn warn(diags: &mut Diagnostics, measure: &Measure, why: &str) {
    let attr = measure.attribute.as_str();
    diags.attribute_warning(
        attr,
        format!("`{attr}` may exceed an IAM quota"),
        measure.unknown_quota_warning(why),
    );
}

#[cfg(test)]
mod tests {
    use super::*;

    use crate::resources::common::object as state;

    fn measured(measures: &[Measure]) -> Vec<(String, Limit, usize)> {
        measures
            .iter()
            .map(|m| (m.attribute.clone(), m.limit, m.amount))
            .collect()
    }

    #[test]
    fn a_role_is_measured_as_it_will_be_sent() {
        let defaults = BTreeMap::from([
            ("team".to_string(), "a".to_string()),
            ("env".to_string(), "dev".to_string()),
        ]);
        let role = state(&[
            ("policy", Value::string("{ \"a\" : 1 }")),
            ("assume_role_policy", Value::string("{\"t\":2}")),
            (
                "policy_arns",
                Value::string_list(["arn:1", "arn:2", "arn:1"]),
            ),
            (
                "tags",
                Value::string_map([("env", "prod"), ("owner", "me")]),
            ),
        ]);
        assert_eq!(
            measured(&role_measures(&role, true, false, &defaults)),
            vec![
                ("policy".into(), Limit::RoleInlinePolicies, 7),
                ("assume_role_policy".into(), Limit::TrustPolicy, 7),
                ("policy_arns".into(), Limit::AttachedPoliciesPerRole, 2),
                // env, owner, team: `env` is one tag, whoever sets it.
                ("tags".into(), Limit::Tags, 3),
            ]
        );
    }

    #[test]
    fn unknown_values_are_left_for_the_check_before_the_first_write() {
        let defaults = BTreeMap::from([("team".to_string(), "a".to_string())]);
        let role = state(&[
            ("policy", Value::Unknown),
            ("assume_role_policy", Value::Unknown),
            ("policy_arns", Value::Unknown),
            ("tags", Value::Unknown),
        ]);
        assert!(role_measures(&role, true, false, &defaults).is_empty());

        // Known parts of a partly known list or map still count.
        let partly = state(&[
            (
                "policy_arns",
                Value::List(vec![Value::string("arn:1"), Value::Unknown]),
            ),
            (
                "tags",
                Value::Map(BTreeMap::from([("k".to_string(), Value::Unknown)])),
            ),
        ]);
        assert_eq!(
            measured(&role_measures(&partly, true, false, &defaults)),
            vec![
                ("policy_arns".into(), Limit::AttachedPoliciesPerRole, 1),
                ("tags".into(), Limit::Tags, 2),
            ]
        );
        // No `tags`: the provider's default tags alone.
        assert_eq!(
            measured(&role_measures(&state(&[]), false, true, &defaults)),
            vec![("tags".into(), Limit::Tags, 1)]
        );
    }

    #[test]
    fn remedies_fit_the_resource() {
        let big = Value::string(format!("\"{}\"", "x".repeat(10_240)));
        let verdict = |computed, attr| {
            role_measures(
                &state(&[("policy", big.clone())]),
                attr,
                computed,
                &BTreeMap::new(),
            )[0]
            .verdict(None)
        };
        let Verdict::Over(torque) = verdict(false, true) else {
            panic!("over")
        };
        assert!(
            torque
                .ends_with("move statements into managed policies and list them in `policy_arns`."),
            "{torque}"
        );
        let Verdict::Over(node) = verdict(true, false) else {
            panic!("over")
        };
        assert!(node.contains("report this as a bug"), "{node}");

        let kkp = managed_policy_measures(
            &state(&[("policy", Value::string("x".repeat(6_145)))]),
            &BTreeMap::new(),
        );
        assert!(matches!(
            kkp[0].verdict(None),
            Verdict::Over(d) if d.starts_with("`policy` is 6,145 characters without whitespace; IAM allows 6,144")
        ));
    }

    /// A trust over the default can't be built from today's resources (the
    /// longest external id and principal ARN still fit: `policy::trusts`);
    /// the measure of one is checked here.
    #[test]
    fn an_oversized_trust_is_measured_against_the_account_quota() {
        let trust = format!(
            "{{\"Version\":\"2012-10-17\",\"Statement\":[{{\"Sid\":\"{}\"}}]}}",
            "x".repeat(2_100)
        );
        let measures = role_measures(
            &state(&[("assume_role_policy", Value::string(trust))]),
            false,
            false,
            &BTreeMap::new(),
        );
        let trust = &measures[0];
        assert_eq!(trust.attribute, "assume_role_policy");
        assert!(trust.needs_account_quota());
        assert_eq!(trust.verdict(Some(4_096)), Verdict::Within);
        assert!(matches!(
            trust.verdict(Some(2_048)),
            Verdict::Over(d) if d.contains("this account allows 2,048 characters for a role's trust policy (AssumeRolePolicySizeQuota)")
        ));
    }
}
