//! A role resource's models: the attributes every kind has, read once from
//! a planned state into the engine's [`RoleSpec`], and the state written
//! once from what AWS holds.

use std::collections::{BTreeMap, BTreeSet};

use super::RoleKind;
use crate::aws::ObservedRole;
use crate::clients::Clients;
use crate::engine::RoleSpec;
use crate::model;
use crate::policy::{equivalent, required_external_id};
use crate::resources::common::cross_account::ExternalIdModel;
use crate::resources::common::naming::NamingModel;
use crate::resources::common::tags::{TagsModel, known_tags, merged_tags, own_tags_after_read};
use crate::tfplugin::{Attr, Model, Value};

/// IAM's default `max_session_duration`, in seconds.
pub const DEFAULT_MAX_SESSION: i64 = 3600;

model! {
    /// The attributes every role kind has, besides its naming
    /// ([`NamingModel`]) and tags ([`TagsModel`]).
    pub struct RoleModel {
        /// The role's name.
        pub id: Attr<String>,
        pub arn: Attr<String>,
        pub unique_id: Attr<String>,
        /// Inline policies put on the role outside the resource.
        pub extra_inline_policies: Attr<BTreeSet<String>>,
        pub permissions_boundary: Attr<String>,
        pub max_session_duration: Attr<i64>,
        /// The trust, as the state shows it.
        pub assume_role_policy: Attr<String>,
    }
}

model! {
    /// The role's own inline policy, for the kinds that have one (computed,
    /// or the user's).
    pub struct PolicyModel {
        pub policy: Attr<String>,
    }
}

model! {
    /// The managed policies the role has, for the kinds that name them
    /// ([`RoleKind::ATTACHES_POLICIES`]); some may be unknown until apply.
    pub struct PolicyArnsModel {
        pub policy_arns: Attr<BTreeSet<Attr<String>>>,
    }
}

model! {
    /// Managed policies attached outside the resource, for the kinds that
    /// name none.
    pub struct ExtraPolicyArnsModel {
        pub extra_policy_arns: Attr<BTreeSet<String>>,
    }
}

/// The known elements of a set that may hold unknown ones.
pub fn known_elements(set: &Attr<BTreeSet<Attr<String>>>) -> BTreeSet<String> {
    set.known()
        .into_iter()
        .flatten()
        .filter_map(|element| element.known().cloned())
        .collect()
}

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
    pub fn read(planned: &Value, attaches_policies: bool) -> RoleInputs {
        let role = RoleModel::read(planned);
        let naming = NamingModel::read(planned);
        RoleInputs {
            path: naming.path.into_known().unwrap_or_else(|| "/".to_string()),
            description: naming.description.into_known(),
            trust: role.assume_role_policy.into_known().unwrap_or_default(),
            policy: PolicyModel::read(planned).policy.into_known(),
            managed_policies: match attaches_policies {
                true => known_elements(&PolicyArnsModel::read(planned).policy_arns),
                false => BTreeSet::new(),
            },
            own_tags: known_tags(&TagsModel::read(planned).tags),
            permissions_boundary: role.permissions_boundary.into_known(),
            max_session_duration: role
                .max_session_duration
                .into_known()
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
    let stored = RoleModel::read(prior);
    // Policies put on the role outside the resource: null when none, which
    // is what every plan asks for.
    let listed = |items: BTreeSet<String>| match items.is_empty() {
        true => Attr::Null,
        false => Attr::Known(items),
    };
    let own_policy = kind.inline_policy_name(prior);
    let extra_inline = role
        .inline_policies
        .keys()
        .filter(|name| Some(*name) != own_policy.as_ref())
        .cloned()
        .collect();
    NamingModel {
        name: role.name.as_str().into(),
        path: role.path.as_str().into(),
        description: Attr::from_option(role.description.clone()),
        ..NamingModel::read(prior)
    }
    .write(&mut state);
    RoleModel {
        id: role.name.as_str().into(),
        arn: role.arn.as_str().into(),
        unique_id: role.unique_id.as_str().into(),
        permissions_boundary: Attr::from_option(role.permissions_boundary.clone()),
        max_session_duration: i64::from(role.max_session_duration).into(),
        assume_role_policy: observed_document(
            &stored.assume_role_policy,
            Some(&kind.trust_to_show(&role.trust)),
            K::accepts_trust,
        ),
        extra_inline_policies: listed(extra_inline),
    }
    .write(&mut state);
    TagsModel {
        tags: own_tags_after_read(&role.tags, &TagsModel::read(prior).tags),
        tags_all: role.tags.clone().into(),
    }
    .write(&mut state);
    // A kind without an inline policy has no `policy` attribute to fill.
    if kind.has_policy() {
        let aws_policy = own_policy
            .as_ref()
            .and_then(|n| role.inline_policies.get(n));
        PolicyModel {
            policy: observed_document(&PolicyModel::read(prior).policy, aws_policy, equivalent),
        }
        .write(&mut state);
    }
    if K::ATTACHES_POLICIES {
        // Always the set, empty when none are attached: the attribute
        // defaults to `[]`, so an import matches either way of writing none.
        let attached = role.managed_policies.iter().map(|arn| arn.as_str().into());
        PolicyArnsModel {
            policy_arns: Attr::Known(attached.collect()),
        }
        .write(&mut state);
    } else {
        ExtraPolicyArnsModel {
            extra_policy_arns: listed(role.managed_policies.clone()),
        }
        .write(&mut state);
    }
    if K::TRUST_HIDES_SECRET {
        // As the role's trust requires it, so that a changed or removed
        // external id shows (as a sensitive change) in the plan.
        ExternalIdModel {
            external_id: Attr::from_option(required_external_id(&role.trust)),
        }
        .write(&mut state);
    }
    kind.fill_computed(&mut state, &clients.aws, Some(role));
    state
}

/// Keeps the stored text of a document while AWS's means the same
/// (`same`), so IAM's rewriting never shows as a change; otherwise AWS's
/// text as it was sent (IAM returns what it was given), which after an
/// import is the text the configuration wrote. (The server keeps equal
/// values too, but against the planned state: after a failed update the
/// prior state's text stands, as here.)
fn observed_document(
    stored: &Attr<String>,
    aws_doc: Option<&String>,
    same: impl Fn(&str, &str) -> bool,
) -> Attr<String> {
    match (aws_doc, stored.as_deref()) {
        (None, _) => Attr::Null,
        (Some(doc), Some(s)) if same(s, doc) => stored.clone(),
        (Some(doc), _) => doc.trim().into(),
    }
}
