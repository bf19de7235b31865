//! Between the model and AWS: what a planned state asks AWS to hold, and the
//! state for what AWS holds.

use std::collections::{BTreeMap, BTreeSet};

use super::Observed;
use super::model::OidcModel;
use crate::arn::issuer_of;
use crate::engine::oidc::{OidcSpec, same_thumbprints};
use crate::resources::common::{merged_tags, own_tags_after_read};
use crate::tfplugin::{Attr, Model, Value};

/// What the planned state asks AWS to hold. An adopted provider is asked
/// only for the resource's own `tags` (the provider's `default_tags` are for
/// what this configuration creates), and only when they differ from
/// `prior`'s (null on adoption): a guest does not fight over tags.
pub(super) fn spec_from(
    planned: &OidcModel,
    prior: &OidcModel,
    default_tags: &BTreeMap<String, String>,
    adopted: bool,
) -> OidcSpec {
    let own_tags = planned.own_tags();
    OidcSpec {
        client_ids: planned.client_ids.known().cloned().unwrap_or_default(),
        thumbprints: planned
            .thumbprints
            .known()
            .map(|t| t.iter().cloned().collect()),
        tags: if adopted && planned.tags == prior.tags {
            BTreeMap::new()
        } else if adopted {
            own_tags
        } else {
            merged_tags(default_tags, &own_tags)
        },
        adopted,
    }
}

/// For an adopted provider, a set attribute shows what the configuration
/// asked for and the provider has: the part of `stored` it holds, in the
/// stored spelling (the plan then adds the rest).
fn adopted_view(
    stored: &BTreeSet<String>,
    observed: &[String],
    same: impl Fn(&str, &str) -> bool,
) -> BTreeSet<String> {
    stored
        .iter()
        .filter(|s| observed.iter().any(|o| same(s, o)))
        .cloned()
        .collect()
}

/// The state for what AWS has, keeping from `base` what AWS reports in
/// another spelling (the URL's scheme, thumbprints' case) and `adopted`.
pub(super) fn state_from(observed: &Observed, base: &OidcModel) -> OidcModel {
    let adopted = base.is_adopted();
    let url = match base.url.as_deref() {
        Some(url) if issuer_of(url) == issuer_of(&observed.url) => url.to_string(),
        _ => format!("https://{}", observed.url),
    };
    let all = |items: &[String]| items.iter().cloned().collect::<BTreeSet<_>>();
    let client_ids = match base.client_ids.known() {
        Some(stored) if adopted => adopted_view(stored, &observed.client_ids, |a, b| a == b),
        _ => all(&observed.client_ids),
    };
    let same_thumbprint = |a: &str, b: &str| a.eq_ignore_ascii_case(b);
    let thumbprints = match base.thumbprints.known() {
        Some(stored) if adopted => {
            Attr::Known(adopted_view(stored, &observed.thumbprints, same_thumbprint))
        }
        Some(stored)
            if same_thumbprints(&Vec::from_iter(stored.clone()), &observed.thumbprints) =>
        {
            base.thumbprints.clone()
        }
        // IAM manages them and has none to show: unset, which a
        // configuration can say (an empty list it cannot).
        _ if observed.thumbprints.is_empty() => Attr::Null,
        _ => Attr::Known(all(&observed.thumbprints)),
    };
    let mut state = OidcModel {
        id: observed.arn.as_str().into(),
        url: url.into(),
        client_ids: client_ids.into(),
        thumbprints,
        tags: base.tags.clone(),
        tags_all: observed.tags.clone().into(),
        arn: observed.arn.as_str().into(),
        adopted: adopted.into(),
        force_destroy: base.force_destroy.clone(),
    };
    // An adopted provider's `tags` stay what the configuration asked for:
    // what it holds otherwise is another writer's (see `shared_tags`).
    if !adopted {
        state.tags = own_tags_after_read(&observed.tags, &base.tags);
    }
    state
}

/// A state holding only what is certain, for when a provider this apply made
/// or adopted could not be read back: the next refresh fills in the rest.
pub(super) fn minimal_state(planned: &OidcModel, arn: &str, adopted: bool) -> Value {
    let mut state = planned.clone();
    state.id = arn.into();
    state.arn = arn.into();
    state.adopted = adopted.into();
    if state.thumbprints.is_unknown() {
        state.thumbprints = Attr::Null;
    }
    if state.tags_all.is_unknown() {
        state.tags_all = Attr::Null;
    }
    state.to_value()
}
