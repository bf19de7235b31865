//! The planning rules every resource shares, applied before a resource's own
//! `plan`: defaults, unknown computed values, and requires-replace.

use super::diagnostics::AttributePath;
use super::schema::Block;
use super::value::Value;

/// Turns Terraform's proposed new state into a planned state.
///
/// Terraform proposes the prior value for a computed attribute the
/// configuration leaves out. That is right only while nothing changes: on
/// create, and on any update, such attributes become unknown unless they are
/// `stable` or have a default.
pub(crate) fn plan(
    block: &Block,
    prior: &Value,
    proposed: &Value,
    config: &Value,
) -> (Value, Vec<AttributePath>) {
    let mut planned = proposed.clone();
    let creating = prior.is_null();
    let changed = !creating
        && block
            .attributes
            .iter()
            .any(|a| !config.get(a.name).is_null() && planned.get(a.name) != prior.get(a.name));

    for attr in block.attributes.iter().filter(|a| a.is_computed()) {
        if !config.get(attr.name).is_null() {
            continue;
        }
        if let Some(default) = &attr.default {
            planned.set(attr.name, default.clone());
        } else if creating || (changed && !attr.stable) {
            planned.set(attr.name, Value::Unknown);
        }
    }

    let requires_replace = if creating {
        Vec::new()
    } else {
        block
            .attributes
            .iter()
            .filter(|a| a.requires_replace && planned.get(a.name) != prior.get(a.name))
            .map(|a| AttributePath::root(a.name))
            .collect()
    };
    (planned, requires_replace)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::tfplugin::schema::Attribute;
    use crate::tfplugin::value::Type;
    use std::collections::BTreeMap;

    fn block() -> Block {
        Block::new("test")
            .attribute(Attribute::required("node_role", Type::String, "r"))
            .attribute(
                Attribute::optional_computed("name", Type::String, "n")
                    .requires_replace()
                    .stable(),
            )
            .attribute(
                Attribute::optional_computed("path", Type::String, "p").default(Value::string("/")),
            )
            .attribute(Attribute::computed("arn", Type::String, "a").stable())
            .attribute(Attribute::computed("policy", Type::String, "p"))
    }

    fn obj(pairs: &[(&str, Value)]) -> Value {
        Value::Map(
            pairs
                .iter()
                .map(|(k, v)| (k.to_string(), v.clone()))
                .collect::<BTreeMap<_, _>>(),
        )
    }

    #[test]
    fn create_marks_computed_unknown_and_applies_defaults() {
        let config = obj(&[("node_role", Value::string("etcd"))]);
        let (planned, replace) = plan(&block(), &Value::Null, &config, &config);
        assert_eq!(planned.get("name"), &Value::Unknown);
        assert_eq!(planned.get("path"), &Value::string("/"));
        assert_eq!(planned.get("arn"), &Value::Unknown);
        assert!(replace.is_empty());
    }

    fn applied_etcd_role() -> Value {
        obj(&[
            ("node_role", Value::string("etcd")),
            ("name", Value::string("x")),
            ("path", Value::string("/")),
            ("arn", Value::string("arn")),
            ("policy", Value::string("{}")),
        ])
    }

    #[test]
    fn unchanged_update_keeps_prior_values() {
        let prior = applied_etcd_role();
        let config = obj(&[("node_role", Value::string("etcd"))]);
        let (planned, replace) = plan(&block(), &prior, &prior, &config);
        assert_eq!(planned, prior);
        assert!(replace.is_empty());
    }

    #[test]
    fn changed_update_unknowns_unstable_computed_and_flags_replacement() {
        let prior = applied_etcd_role();
        let mut proposed = prior.clone();
        proposed.set("node_role", Value::string("controlplane"));
        proposed.set("name", Value::string("y"));
        let config = obj(&[
            ("node_role", Value::string("controlplane")),
            ("name", Value::string("y")),
        ]);
        let (planned, replace) = plan(&block(), &prior, &proposed, &config);
        assert_eq!(planned.get("arn"), &Value::string("arn"));
        assert_eq!(planned.get("policy"), &Value::Unknown);
        assert_eq!(replace, vec![AttributePath::root("name")]);
    }
}
