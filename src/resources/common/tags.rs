//! Tags: `tags` and `tags_all` as the AWS provider has them, merged with the
//! provider's `default_tags`, and the limits IAM and EC2 put on them.

use std::collections::BTreeMap;

use crate::model;
use crate::tfplugin::model::Known;
use crate::tfplugin::{
    Attr, Attribute, AttributePath, Diagnostics, Model, PlanResponse, Type, Value,
};

/// A configured `tags`: its keys are known at plan, some values may not be yet.
pub type Tags = BTreeMap<String, Attr<String>>;

model! {
    /// `tags` and `tags_all`, as [`tag_attributes`] declares them.
    pub struct TagsModel {
        pub tags: Attr<Tags>,
        pub tags_all: Attr<BTreeMap<String, String>>,
    }
}

/// `tags` and `tags_all`, the AWS provider's pair.
pub fn tag_attributes() -> [Attribute; 2] {
    [
        Attribute::optional(
            TagsModel::tags,
            Type::map(Type::String),
            "Tags to put on the object. They are merged over the provider's `default_tags`.",
        ),
        Attribute::computed(
            TagsModel::tags_all,
            Type::map(Type::String),
            "All tags on the object: the provider's `default_tags` merged with `tags`.",
        ),
    ]
}

/// The known values of `tags` (none when it is null or unknown).
pub fn known_tags(tags: &Attr<Tags>) -> BTreeMap<String, String> {
    tags.known()
        .into_iter()
        .flatten()
        .filter_map(|(k, v)| Some((k.clone(), v.known()?.clone())))
        .collect()
}

/// The planned `tags_all` for the configured `tags`: unknown until they all are.
pub fn planned_tags_all(
    tags: &Attr<Tags>,
    default_tags: &BTreeMap<String, String>,
) -> Attr<BTreeMap<String, String>> {
    match tags {
        Attr::Unknown => Attr::Unknown,
        Attr::Known(m) if m.values().any(Attr::is_unknown) => Attr::Unknown,
        _ => Attr::Known(merged_tags(default_tags, &known_tags(tags))),
    }
}

/// Plans `tags_all` from `default_tags` and the configured `tags`.
pub fn plan_tags_all(
    plan: &mut PlanResponse,
    config: &Value,
    default_tags: &BTreeMap<String, String>,
) {
    let mut planned = TagsModel::read(&plan.planned);
    planned.tags_all = planned_tags_all(&TagsModel::read(config).tags, default_tags);
    planned.write(&mut plan.planned);
}

/// `default_tags` overlaid with the resource's own tags.
pub fn merged_tags(
    default_tags: &BTreeMap<String, String>,
    tags: &BTreeMap<String, String>,
) -> BTreeMap<String, String> {
    let mut all = default_tags.clone();
    all.extend(tags.iter().map(|(k, v)| (k.clone(), v.clone())));
    all
}

/// The state's `tags` after a read: for each key the state holds (what the
/// configuration set), the value AWS has; a key AWS lacks drops out, so the
/// plan shows it being put back. Everything else AWS holds shows in
/// `tags_all`, so a `tags` the configuration never set stays null, whatever
/// `default_tags` did meanwhile.
pub fn own_tags_after_read(aws_tags: &BTreeMap<String, String>, prior: &Attr<Tags>) -> Attr<Tags> {
    prior.known().map_or(Attr::Null, |keys| {
        Attr::Known(
            keys.keys()
                .filter_map(|k| aws_tags.get(k).map(|v| (k.clone(), v.as_str().into())))
                .collect(),
        )
    })
}

/// The state's `tags` for an import, where no configuration says which tags
/// are the resource's own: what AWS has minus what `default_tags` put there
/// (the AWS provider's convention), null when that is nothing.
pub fn own_tags_for_import(
    aws_tags: &BTreeMap<String, String>,
    default_tags: &BTreeMap<String, String>,
) -> Attr<Tags> {
    let own: Tags = aws_tags
        .iter()
        .filter(|(k, v)| default_tags.get(*k) != Some(*v))
        .map(|(k, v)| (k.clone(), v.as_str().into()))
        .collect();
    if own.is_empty() {
        Attr::Null
    } else {
        Attr::Known(own)
    }
}

/// IAM and EC2 tag limits, checked at plan.
pub fn validate_tags(config: &Value, diags: &mut Diagnostics) {
    let tags = TagsModel::read(config).tags;
    check_tags(AttributePath::root(TagsModel::tags), &tags, diags);
}

/// IAM and EC2 tag limits for the tag map at `path`.
pub fn validate_tag_map(path: AttributePath, tags: &Value, diags: &mut Diagnostics) {
    check_tags(path, &Attr::decode(tags).unwrap_or_default(), diags);
}

/// IAM and EC2 tag limits for the tags at `path`.
pub fn check_tags(path: AttributePath, tags: &Attr<Tags>, diags: &mut Diagnostics) {
    let Some(tags) = tags.known() else {
        return;
    };
    for (key, value) in tags {
        let path = path.clone().key(key);
        if key.is_empty() || key.chars().count() > 128 {
            diags.attribute_error(
                path.clone(),
                "Invalid tag key",
                format!("Tag keys must be 1 to 128 characters; got `{key}`."),
            );
        }
        if key.to_ascii_lowercase().starts_with("aws:") {
            diags.attribute_error(
                path.clone(),
                "Invalid tag key",
                format!("Tag keys starting with `aws:` are reserved by AWS; got `{key}`."),
            );
        }
        if let Some(v) = value.known()
            && v.chars().count() > 256
        {
            diags.attribute_error(
                path,
                "Invalid tag value",
                format!(
                    "Tag values must be at most 256 characters; the value of `{key}` has {}.",
                    v.chars().count()
                ),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tags_after_read(aws_tags: &BTreeMap<String, String>, prior: &Value) -> Value {
        let prior = Attr::<Tags>::decode(prior).unwrap_or_default();
        own_tags_after_read(aws_tags, &prior).encode()
    }

    fn tags_for_import(
        aws_tags: &BTreeMap<String, String>,
        default_tags: &BTreeMap<String, String>,
    ) -> Value {
        own_tags_for_import(aws_tags, default_tags).encode()
    }

    #[test]
    fn own_tags_win_and_default_only_tags_stay_out_of_tags() {
        let defaults = BTreeMap::from([
            ("team".to_string(), "platform".to_string()),
            ("env".to_string(), "dev".to_string()),
        ]);
        let own = BTreeMap::from([("env".to_string(), "prod".to_string())]);
        let all = merged_tags(&defaults, &own);
        assert_eq!(all["env"], "prod");
        assert_eq!(all["team"], "platform");
        let configured = Value::string_map([("env", "prod")]);
        assert_eq!(tags_after_read(&all, &configured), configured);
        assert_eq!(tags_for_import(&all, &defaults), configured);
        assert_eq!(tags_for_import(&defaults, &defaults), Value::Null);
    }

    #[test]
    fn tags_never_set_stay_null_when_default_tags_change() {
        // Applied with default_tags {team = a}; default_tags now say b.
        let aws = BTreeMap::from([("team".to_string(), "a".to_string())]);
        assert_eq!(tags_after_read(&aws, &Value::Null), Value::Null);
        // A configured key AWS lost drops out, so the plan puts it back.
        let configured = Value::string_map([("env", "prod")]);
        assert_eq!(
            tags_after_read(&aws, &configured),
            Value::string_map(BTreeMap::<String, String>::new())
        );
    }
}
