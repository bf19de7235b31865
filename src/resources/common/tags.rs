//! Tags: `tags` and `tags_all` as the AWS provider has them, merged with the
//! provider's `default_tags`, and the limits IAM and EC2 put on them.

use std::collections::BTreeMap;

use crate::tfplugin::{Attribute, AttributePath, Diagnostics, PlanResponse, Type, Value};

/// `tags` and `tags_all`, the AWS provider's pair.
pub fn tag_attributes() -> [Attribute; 2] {
    [
        Attribute::optional(
            "tags",
            Type::map(Type::String),
            "Tags to put on the object. They are merged over the provider's `default_tags`.",
        ),
        Attribute::computed(
            "tags_all",
            Type::map(Type::String),
            "All tags on the object: the provider's `default_tags` merged with `tags`.",
        ),
    ]
}

/// Plans `tags_all` from `default_tags` and the configured `tags`.
pub fn plan_tags_all(
    plan: &mut PlanResponse,
    config: &Value,
    default_tags: &BTreeMap<String, String>,
) {
    let tags = config.get("tags");
    let tags_all = match tags {
        Value::Unknown => Value::Unknown,
        Value::Map(m) if m.values().any(Value::is_unknown) => Value::Unknown,
        _ => Value::string_map(merged_tags(default_tags, &config.get_string_map("tags"))),
    };
    plan.planned.set("tags_all", tags_all);
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
pub fn tags_after_read(aws_tags: &BTreeMap<String, String>, prior: &Value) -> Value {
    let Some(keys) = prior.as_map() else {
        return Value::Null;
    };
    Value::string_map(
        keys.keys()
            .filter_map(|k| aws_tags.get(k).map(|v| (k.clone(), v.clone())))
            .collect::<BTreeMap<_, _>>(),
    )
}

/// The state's `tags` for an import, where no configuration says which tags
/// are the resource's own: what AWS has minus what `default_tags` put there
/// (the AWS provider's convention), null when that is nothing.
pub fn tags_for_import(
    aws_tags: &BTreeMap<String, String>,
    default_tags: &BTreeMap<String, String>,
) -> Value {
    let own: BTreeMap<String, String> = aws_tags
        .iter()
        .filter(|(k, v)| default_tags.get(*k) != Some(*v))
        .map(|(k, v)| (k.clone(), v.clone()))
        .collect();
    if own.is_empty() {
        Value::Null
    } else {
        Value::string_map(own)
    }
}

/// IAM and EC2 tag limits, checked at plan.
pub fn validate_tags(config: &Value, diags: &mut Diagnostics) {
    validate_tag_map(AttributePath::root("tags"), config.get("tags"), diags);
}

/// IAM and EC2 tag limits for the tag map at `path`.
pub fn validate_tag_map(path: AttributePath, tags: &Value, diags: &mut Diagnostics) {
    let Some(tags) = tags.as_map() else {
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
        if let Some(v) = value.as_str()
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
