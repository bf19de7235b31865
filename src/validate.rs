//! Plan-time checks shared by the provider block, resources and data
//! sources. Each check names the attribute it is about and says what would
//! be accepted; unknown values (known only at apply) are left alone.

use std::time::Duration;

use crate::tfplugin::{AttributePath, Diagnostics, Value};

/// Parses a Go-style duration as Terraform users write them: "90s", "2m", "1h30m".
pub fn parse_duration(text: &str) -> Result<Duration, String> {
    let bad = || format!("`{text}` is not a duration; write it like \"90s\", \"2m\" or \"1h30m\"");
    if text.is_empty() {
        return Err(bad());
    }
    let mut total = Duration::ZERO;
    let mut rest = text;
    while !rest.is_empty() {
        let digits = rest
            .find(|c: char| !c.is_ascii_digit() && c != '.')
            .unwrap_or(rest.len());
        let (number, tail) = rest.split_at(digits);
        let number: f64 = number.parse().map_err(|_| bad())?;
        let unit_len = tail
            .find(|c: char| c.is_ascii_digit())
            .unwrap_or(tail.len());
        let (unit, tail) = tail.split_at(unit_len);
        let seconds = match unit {
            "ms" => number / 1000.0,
            "s" => number,
            "m" => number * 60.0,
            "h" => number * 3600.0,
            _ => return Err(bad()),
        };
        total += Duration::from_secs_f64(seconds);
        rest = tail;
    }
    Ok(total)
}

/// A Kubernetes DNS-1123 label (namespaces): 1-63 of [a-z0-9-], alphanumeric at both ends.
pub fn is_dns1123_label(s: &str) -> bool {
    !s.is_empty()
        && s.len() <= 63
        && s.bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
        && !s.starts_with('-')
        && !s.ends_with('-')
}

/// A Kubernetes DNS-1123 subdomain (service account names), as Kubernetes
/// checks it (apimachinery's `IsDNS1123Subdomain`): at most 253 characters,
/// dot-separated parts of lower-case letters, digits and '-' that start and
/// end with a letter or digit. Unlike DNS itself, Kubernetes puts no limit
/// of 63 on a part.
pub fn is_dns1123_subdomain(s: &str) -> bool {
    let part = |p: &str| {
        !p.is_empty()
            && p.bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
            && !p.starts_with('-')
            && !p.ends_with('-')
    };
    !s.is_empty() && s.len() <= 253 && s.split('.').all(part)
}

/// Why `id` is not an external id STS accepts (2 to 1224 letters, digits
/// and `_+=,.@:/-`), if it is not. The message names `attr` and never
/// repeats the value, which is treated as a secret.
pub fn check_external_id(id: &str, attr: &str) -> Result<(), String> {
    let length = id.chars().count();
    let ok = (2..=1224).contains(&length)
        && id
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "_+=,.@:/-".contains(c));
    if ok {
        Ok(())
    } else {
        Err(format!(
            "`{attr}` must be 2 to 1224 letters, digits and `_+=,.@:/-`, as STS accepts; the \
             value given ({length} characters) is not"
        ))
    }
}

/// IAM role, user and policy names: 1 to `max` letters, digits and `+=,.@_-`.
pub fn is_iam_name(s: &str, max: usize) -> bool {
    !s.is_empty()
        && s.len() <= max
        && s.bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"+=,.@_-".contains(&b))
}

/// An IAM path: `/` or `/a/b/`, printable ASCII without spaces, at most 512
/// characters (IAM's pattern: `/`, or `/` and at least one character and `/`).
pub fn is_iam_path(s: &str) -> bool {
    (s == "/" || s.len() >= 3)
        && s.starts_with('/')
        && s.ends_with('/')
        && s.len() <= 512
        && s.bytes().all(|b| (0x21..=0x7e).contains(&b))
}

/// An EC2 resource id: `prefix` (e.g. `i-`) then 8 or 17 lowercase hex digits.
pub fn is_ec2_id(prefix: &str, s: &str) -> bool {
    s.strip_prefix(prefix).is_some_and(|hex| {
        matches!(hex.len(), 8 | 17)
            && hex
                .bytes()
                .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
    })
}

/// Reports an attribute whose known string value fails `check`; `check`
/// returns the reason.
pub fn check_value(
    path: impl Into<AttributePath>,
    value: &Value,
    diags: &mut Diagnostics,
    check: impl FnOnce(&str) -> Result<(), String>,
) {
    if let Some(s) = value.as_str()
        && let Err(reason) = check(s)
    {
        let path = path.into();
        diags.attribute_error(path.clone(), format!("Invalid `{path}`"), reason);
    }
}

/// A string attribute of `config`, checked when known.
pub fn check_attr(
    config: &Value,
    name: &str,
    diags: &mut Diagnostics,
    check: impl FnOnce(&str) -> Result<(), String>,
) {
    check_value(name, config.get(name), diags, check);
}

/// Builds the reason for a value outside a fixed set.
pub fn one_of(name: &str, allowed: &[&str], got: &str) -> Result<(), String> {
    if allowed.contains(&got) {
        Ok(())
    } else {
        Err(format!(
            "`{name}` must be one of {}; got `{got}`",
            allowed.join(", ")
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations() {
        assert_eq!(parse_duration("2m").unwrap(), Duration::from_secs(120));
        assert_eq!(parse_duration("1h30m").unwrap(), Duration::from_secs(5400));
        assert_eq!(parse_duration("90s").unwrap(), Duration::from_secs(90));
        assert_eq!(parse_duration("1.5s").unwrap(), Duration::from_millis(1500));
        assert_eq!(parse_duration("250ms").unwrap(), Duration::from_millis(250));
        for bad in ["", "2", "m", "2 minutes", "-1s", "1d"] {
            assert!(parse_duration(bad).is_err(), "{bad} should be rejected");
        }
    }

    #[test]
    fn iam_names_and_paths() {
        assert!(is_iam_name("kkp-policy_1+=,.@", 128));
        assert!(!is_iam_name("kkp policy", 128));
        assert!(!is_iam_name("", 128));
        assert!(!is_iam_name(&"a".repeat(65), 64));
        assert!(is_iam_path("/"));
        assert!(is_iam_path("/kubermatic/"));
        assert!(!is_iam_path("kubermatic"));
        assert!(!is_iam_path("/a b/"));
    }

    #[test]
    fn kubernetes_names() {
        assert!(is_dns1123_label("cattle-csp-adapter-system"));
        assert!(!is_dns1123_label("Torque"));
        assert!(!is_dns1123_label("-a"));
        assert!(!is_dns1123_label(&"a".repeat(64)));
        assert!(is_dns1123_subdomain("torque.agent-sa"));
        assert!(!is_dns1123_subdomain("a..b"));
        // Kubernetes accepts a ServiceAccount name of one 253-character part.
        assert!(is_dns1123_subdomain(&"a".repeat(64)));
        assert!(is_dns1123_subdomain(&"a".repeat(253)));
        assert!(!is_dns1123_subdomain(&"a".repeat(254)));
        assert!(!is_dns1123_subdomain("a.-b"));
    }

    #[test]
    fn external_ids_are_checked_without_being_repeated() {
        assert!(check_external_id("Ab_+=,.@:/-9", "external_id").is_ok());
        for bad in ["Z", "has space", "sécret", &"Z".repeat(1225)] {
            let error = check_external_id(bad, "external_id").unwrap_err();
            assert!(
                error.starts_with("`external_id` must be 2 to 1224"),
                "{error}"
            );
            assert!(!error.contains(bad), "the value is a secret: {error}");
        }
    }

    #[test]
    fn ec2_ids() {
        assert!(is_ec2_id("i-", "i-0123abcd"));
        assert!(is_ec2_id("i-", "i-0123456789abcdef0"));
        assert!(is_ec2_id("sg-", "sg-0123456789abcdef0"));
        for bad in [
            "i-0123ABCD",
            "i-0123abc",
            "i-0123456789abcdef",
            "subnet-0123abcd",
            "i-0123abcg",
        ] {
            assert!(!is_ec2_id("i-", bad), "{bad} should be rejected");
        }
    }
}
