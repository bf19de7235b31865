//! A role resource's model: the inputs read once from a planned state into
//! the engine's [`RoleSpec`], and the state written once from what AWS holds.

use std::collections::{BTreeMap, BTreeSet};

use super::RoleKind;
use super::attributes::{DEFAULT_MAX_SESSION, EXTRA_INLINE_POLICIES, EXTRA_POLICY_ARNS};
use crate::aws::ObservedRole;
use crate::clients::Clients;
use crate::engine::RoleSpec;
use crate::policy::equivalent;
use crate::resources::common::tags::{merged_tags, tags_after_read};
use crate::tfplugin::Value;

/// What a planned state (all values known) asks of the role.
pub struct RoleInputs {
    pub path: String,
    pub description: Option<String>,
    pub trust: String,
    pub policy: Option<String>,
    pub managed_policies: BTreeSet<String>,
    pub own_tags: BTreeMap<String, String>,
    pub permissions_boundary: Option<String>,
    pub max_session_duration: i32,
}

impl RoleInputs {
    pub fn read(planned: &Value, managed_attribute: Option<&str>) -> RoleInputs {
        RoleInputs {
            path: planned.get_str("path").unwrap_or("/").to_string(),
            description: planned.get_str("description").map(str::to_string),
            trust: planned
                .get_str("assume_role_policy")
                .unwrap_or_default()
                .to_string(),
            policy: planned.get_str("policy").map(str::to_string),
            managed_policies: managed_attribute
                .map(|attr| planned.get_strings(attr).into_iter().collect())
                .unwrap_or_default(),
            own_tags: planned.get_string_map("tags"),
            permissions_boundary: planned.get_str("permissions_boundary").map(str::to_string),
            max_session_duration: planned
                .get("max_session_duration")
                .as_i64()
                .unwrap_or(DEFAULT_MAX_SESSION) as i32,
        }
    }

    /// The engine's spec for the role `name`, marking what it creates with `mark`.
    pub fn spec(
        self,
        name: &str,
        inline_policy_name: Option<String>,
        instance_profile: bool,
        default_tags: &BTreeMap<String, String>,
        mark: String,
    ) -> RoleSpec {
        let inline_policies = match (inline_policy_name, self.policy) {
            (Some(policy_name), Some(policy)) => BTreeMap::from([(policy_name, policy)]),
            _ => BTreeMap::new(),
        };
        RoleSpec {
            name: name.to_string(),
            path: self.path,
            description: self.description,
            trust: self.trust,
            inline_policies,
            managed_policies: self.managed_policies,
            instance_profile,
            tags: merged_tags(default_tags, &self.own_tags),
            permissions_boundary: self.permissions_boundary,
            max_session_duration: self.max_session_duration,
            mark,
        }
    }
}

/// The state for an observed role, keeping the stored text of documents
/// where AWS's means the same.
pub fn role_state<K: RoleKind>(
    kind: &K,
    prior: &Value,
    role: &ObservedRole,
    clients: &Clients,
) -> Value {
    let mut state = prior.clone();
    state.set("id", Value::string(&role.name));
    state.set("name", Value::string(&role.name));
    state.set("path", Value::string(&role.path));
    state.set("arn", Value::string(&role.arn));
    state.set("unique_id", Value::string(&role.unique_id));
    state.set("description", Value::opt_string(role.description.clone()));
    state.set(
        "permissions_boundary",
        Value::opt_string(role.permissions_boundary.clone()),
    );
    state.set(
        "max_session_duration",
        Value::int(i64::from(role.max_session_duration)),
    );
    state.set(
        "assume_role_policy",
        observed_document(
            prior.get("assume_role_policy"),
            Some(&kind.trust_to_show(&role.trust)),
            |stored, aws| kind.accepts_trust(stored, aws),
        ),
    );
    state.set("tags", tags_after_read(&role.tags, prior.get("tags")));
    state.set("tags_all", Value::string_map(role.tags.clone()));
    let own_policy = kind.inline_policy_name(&state);
    let aws_policy = own_policy
        .as_ref()
        .and_then(|n| role.inline_policies.get(n));
    // A kind without an inline policy has no `policy` attribute to fill.
    if kind.attributes().iter().any(|a| a.name == "policy") {
        state.set(
            "policy",
            observed_document(prior.get("policy"), aws_policy, equivalent),
        );
    }
    // Policies put on the role outside the resource: null when none, which
    // is what every plan asks for.
    let listed = |items: Vec<&String>| match items.is_empty() {
        true => Value::Null,
        false => Value::string_list(items.into_iter().cloned()),
    };
    let extra_inline = role
        .inline_policies
        .keys()
        .filter(|name| Some(*name) != own_policy.as_ref())
        .collect();
    state.set(EXTRA_INLINE_POLICIES, listed(extra_inline));
    match K::MANAGED_POLICIES {
        // Always the set, empty when none are attached: the attribute
        // defaults to `[]`, so an import matches either way of writing none.
        Some(attr) => state.set(
            attr,
            Value::string_list(role.managed_policies.iter().cloned()),
        ),
        None => state.set(
            EXTRA_POLICY_ARNS,
            listed(role.managed_policies.iter().collect()),
        ),
    }
    kind.fill_computed(&mut state, &clients.aws, Some(role));
    state
}

/// Keeps the stored text of a document while AWS's means the same
/// (`same`), so IAM's rewriting never shows as a change; otherwise AWS's
/// text as it was sent (IAM returns what it was given), which after an
/// import is the text the configuration wrote.
fn observed_document(
    stored: &Value,
    aws_doc: Option<&String>,
    same: impl Fn(&str, &str) -> bool,
) -> Value {
    match aws_doc {
        None => Value::Null,
        Some(doc) => match stored.as_str() {
            Some(s) if same(s, doc) => stored.clone(),
            _ => Value::string(doc.trim()),
        },
    }
}

/// A document as planned: unknown until its inputs are known; the stored
/// text while it means the same (`same`: [`equivalent`], or what the kind
/// accepts for its trust), so a role imported with a person's spelling of
/// the documented JSON (`["ssm.amazonaws.com"]` for `"ssm.amazonaws.com"`),
/// or a `policy` rewritten in an equivalent form, plans no update.
pub fn keep_equivalent(
    prior: &Value,
    attr: &str,
    wanted: Option<String>,
    same: impl Fn(&str, &str) -> bool,
) -> Value {
    match (wanted, prior.get_str(attr)) {
        (Some(wanted), Some(stored)) if same(stored, &wanted) => Value::string(stored),
        (Some(wanted), _) => Value::string(wanted),
        (None, _) => Value::Unknown,
    }
}
