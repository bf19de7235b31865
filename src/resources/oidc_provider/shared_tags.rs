//! The tags of an adopted, shared provider. Several configurations (and
//! people) may tag one provider; if each put back its own values, every
//! plan in each would undo the others' for ever. So the configuration that
//! created the provider sets its tags exactly, and one that adopted it is a
//! guest: it writes its own `tags` only when they change here (or on
//! adoption), only the keys the provider lacks, never overwrites a value and
//! never removes a key. What it asks for and the provider holds otherwise is
//! a warning at each plan, never a change, so no two configurations can
//! flip-flop.

use std::collections::BTreeMap;

use super::model::OidcModel;
use crate::engine::oidc::tags_held_otherwise;
use crate::resources::common::tag_attributes as common_tag_attributes;
use crate::tfplugin::{Attr, Attribute, Diagnostics, PlanResponse};

/// `tags` and `tags_all`, with the rule for a shared provider's tags.
pub(super) fn tag_attributes() -> [Attribute; 2] {
    let [mut tags, tags_all] = common_tag_attributes();
    tags.description = "Tags to put on the provider, merged over the provider block's \
        `default_tags`. A provider this resource created has exactly these. An adopted provider \
        is shared, and its tags follow a rule that keeps configurations from undoing each other: \
        this resource writes only its own `tags` (not `default_tags`), only when they change here \
        (or on adoption), and only the keys the provider lacks. It never overwrites a value \
        another configuration or a person set, and never removes a key. Each plan warns about \
        every key here that the provider lacks or holds with another value, naming both values."
        .into();
    [tags, tags_all]
}

/// An adopted provider's planned `tags_all`: as it is, unless the
/// configuration's `tags` changed and name a key the provider lacks (which
/// the apply adds). Warns about the rest.
pub(super) fn plan(prior: &OidcModel, config: &OidcModel, resp: &mut PlanResponse) {
    let held = prior.tags_all.known().cloned().unwrap_or_default();
    let wanted = config.own_tags();
    let changed = config.tags != prior.tags;
    let adds = changed && wanted.keys().any(|k| !held.contains_key(k));
    let tags_all = if !config.tags_are_known() || adds {
        Attr::Unknown
    } else {
        prior.tags_all.clone()
    };
    OidcModel::set_planned_tags_all(&mut resp.planned, &tags_all);
    let url = prior.url.as_deref().unwrap_or_default();
    let arn = prior.arn.as_deref().unwrap_or_default();
    warn(&mut resp.diagnostics, url, arn, &wanted, &held, changed);
}

/// Warns about each key of `wanted` that the provider `held` otherwise and
/// that this apply does not write (when `writing`, absent keys are added).
pub(super) fn warn(
    diags: &mut Diagnostics,
    url: &str,
    arn: &str,
    wanted: &BTreeMap<String, String>,
    held: &BTreeMap<String, String>,
    writing: bool,
) {
    let others: Vec<String> = tags_held_otherwise(wanted, held)
        .into_iter()
        .filter_map(|(key, value, now)| match now {
            Some(now) => Some(format!(
                "`{key}` is `{now}` (this configuration asks for `{value}`)"
            )),
            None if !writing => Some(format!(
                "`{key}` is absent (this configuration asks for `{value}`, and adds it when its \
                 `tags` change)"
            )),
            None => None,
        })
        .collect();
    if others.is_empty() {
        return;
    }
    diags.attribute_warning(
        OidcModel::tags,
        format!("Tags of a shared IAM OIDC provider left as they are (`{url}`)"),
        format!(
            "This resource adopted `{arn}`, which other configurations or people may manage \
             too, so it never overwrites or removes a tag, and adds its own only when its \
             `tags` change. On the provider, {}. Set the value where the provider is managed \
             (the configuration that created it), or remove the key from `tags` here.",
            others.join("; ")
        ),
    );
}
