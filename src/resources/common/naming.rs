//! Names: the unique names generated from a prefix, and IAM's rules for
//! names, paths and descriptions, shared by every resource that names an
//! IAM object, so that they say the same thing in the same words.

use crate::model;
use crate::tfplugin::{Attr, Diagnostics, Model, Value};
use crate::validate::{check_attr, is_iam_name, is_iam_path};

model! {
    /// The naming attributes of an IAM object, as [`check_naming`] checks them.
    pub struct NamingModel {
        pub name: Attr<String>,
        pub name_prefix: Attr<String>,
        pub path: Attr<String>,
        pub description: Attr<String>,
    }
}

/// Room in IAM's names for the suffix [`unique_name`] adds.
pub const UNIQUE_SUFFIX_LEN: usize = 18;

/// A unique name for an object whose configuration gives only a prefix (or
/// nothing): the prefix, then the time and a counter, as the AWS provider does.
pub fn unique_name(prefix: &str) -> String {
    use std::sync::atomic::{AtomicU32, Ordering};
    static COUNTER: AtomicU32 = AtomicU32::new(0);
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap_or_default()
        .as_nanos();
    let count = COUNTER.fetch_add(1, Ordering::Relaxed) % 256;
    format!("{prefix}{nanos:x}{count:02x}")
}

/// Why `name` is not a valid IAM name (of at most `max` characters) for
/// the attribute `attr`, if it is not.
pub fn iam_name_error(name: &str, max: usize, attr: &str) -> Result<(), String> {
    if is_iam_name(name, max) {
        Ok(())
    } else {
        Err(format!(
            "`{attr}` must be 1 to {max} letters, digits and `+=,.@_-`; got `{name}`"
        ))
    }
}

/// The naming attributes of an IAM object: `name` (at most `max`) or
/// `name_prefix` (at most `max_prefix`, which leaves room for the generated
/// suffix), not both; `path`; and `description` (at most 1000 characters).
/// `object` says what is named: "role", "policy".
pub fn check_naming(
    config: &Value,
    object: &str,
    (max, max_prefix): (usize, usize),
    diags: &mut Diagnostics,
) {
    debug_assert!(max_prefix + UNIQUE_SUFFIX_LEN <= max);
    let naming = NamingModel::read(config);
    if !naming.name.is_null() && !naming.name_prefix.is_null() {
        diags.attribute_error(
            NamingModel::name_prefix,
            "Conflicting `name` and `name_prefix`",
            format!(
                "Set `name` for a fixed {object} name or `name_prefix` for a generated one, not both."
            ),
        );
    }
    let (name, name_prefix) = (NamingModel::name, NamingModel::name_prefix);
    check_attr(config, name, diags, |n| iam_name_error(n, max, name));
    check_attr(config, name_prefix, diags, |n| {
        iam_name_error(n, max_prefix, name_prefix)
    });
    check_attr(config, NamingModel::path, diags, |p| {
        if is_iam_path(p) {
            Ok(())
        } else {
            Err(format!(
                "`path` must begin and end with `/` and hold only printable ASCII without spaces, \
                 at most 512 characters, such as `/kubernetes/`; got `{p}`"
            ))
        }
    });
    check_attr(config, NamingModel::description, diags, |d| {
        if d.chars().count() <= 1000 {
            Ok(())
        } else {
            Err("`description` must be at most 1000 characters".to_string())
        }
    });
}

/// Why a role can't be created under a name that is taken, and what to do.
/// A role this provider made (it carries an ownership mark) is most often
/// this very resource being replaced with `create_before_destroy`; a kind
/// whose `name` is required can only drop that for the replacement.
pub fn already_exists_detail(name: &str, made_by_clusteriam: bool, name_required: bool) -> String {
    let remedy = if name_required {
        "so remove `create_before_destroy` for this change (the old role is then deleted before \
         the new one is made), or change `name` with it."
    } else {
        "so use `name_prefix` instead of `name` for a generated unique name."
    };
    let replacing = if made_by_clusteriam {
        format!(
            " It was created by terraform-provider-clusteriam: if this resource is being replaced \
             with `lifecycle {{ create_before_destroy = true }}`, a fixed `name` cannot exist \
             twice, {remedy}"
        )
    } else {
        String::new()
    };
    format!(
        "A role named {name} already exists.{replacing} To manage an existing role with this \
         resource instead, import it: `terraform import <address> {name}`, with this resource's \
         address shown below (or an `import {{ to = <address>, id = \"{name}\" }}` block). \
         Otherwise choose another name."
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unique_names_differ_and_keep_the_prefix() {
        let (a, b) = (unique_name("kkp-"), unique_name("kkp-"));
        assert!(a.starts_with("kkp-") && a != b && a.len() <= 4 + UNIQUE_SUFFIX_LEN);
    }

    #[test]
    fn names_and_paths_say_what_is_wrong_in_one_voice() {
        let errors = |config: Value| {
            let mut diags = Diagnostics::default();
            check_naming(&config, "role", (64, 46), &mut diags);
            diags.0.into_iter().map(|d| d.detail).collect::<Vec<_>>()
        };
        let config = |pairs: &[(&str, &str)]| {
            Value::Map(
                pairs
                    .iter()
                    .map(|(k, v)| (k.to_string(), Value::string(*v)))
                    .collect(),
            )
        };
        assert!(errors(config(&[("name", "ok"), ("path", "/a/b/")])).is_empty());
        let errs = errors(config(&[
            ("name", "a b"),
            ("name_prefix", &"p".repeat(47)),
            ("path", "x"),
        ]));
        assert_eq!(errs.len(), 4, "{errs:?}");
        assert!(errs[0].contains("not both"));
        assert!(errs[1].contains("`name` must be 1 to 64"));
        assert!(errs[2].contains("`name_prefix` must be 1 to 46"));
        assert!(errs[3].contains("`path` must begin and end with `/`"));
    }
}
