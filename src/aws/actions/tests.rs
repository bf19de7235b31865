//! Every SDK call in `src/aws` goes through `Aws::call` with its own action.

use super::ALL;

/// `(file, its text)` for each of these files of the AWS layer.
macro_rules! sources {
    ($($file:literal),* $(,)?) => {
        vec![$(($file, include_str!(concat!("../", $file)))),*]
    };
}

/// The sources of the AWS layer that make SDK calls, as text.
fn sources() -> Vec<(&'static str, &'static str)> {
    sources![
        "account.rs",
        "bulk.rs",
        "connect.rs",
        "connect/credentials.rs",
        "ec2.rs",
        "eks.rs",
        "iam_policy.rs",
        "iam_tags.rs",
        "instance_profile.rs",
        "oidc.rs",
        "role.rs",
        "service_linked_role.rs",
        "vpc.rs",
    ]
}

/// `CreateOpenIDConnectProvider` and `create_open_id_connect_provider`
/// compare equal.
fn folded(name: &str) -> String {
    name.chars()
        .filter(|c| *c != '_')
        .flat_map(char::to_lowercase)
        .collect()
}

/// The SDK operations a source starts, in order: `(service, operation)`
/// for each `.iam.create_role()`-like builder (whitespace allowed).
fn operations(source: &str) -> Vec<(String, String)> {
    let text: String = source.split_whitespace().collect();
    let mut found = Vec::new();
    for service in ["iam", "ec2", "eks", "sts"] {
        let needle = format!("{service}.");
        let mut rest = text.as_str();
        while let Some(at) = rest.find(&needle) {
            let after = &rest[at + needle.len()..];
            let op: String = after
                .chars()
                .take_while(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || *c == '_')
                .collect();
            // `endpoints.iam` is a setting, not a client.
            let is_builder = !op.is_empty()
                && after[op.len()..].starts_with("()")
                && !rest[..at].ends_with("endpoints.");
            if is_builder {
                found.push((service.to_string(), op));
            }
            rest = after;
        }
    }
    found
}

/// The actions named at `call(&ACTION, ...)` sites and those of the
/// helpers that send one request like it (`remove`, `call_when_visible`,
/// `which_exist`), in order.
fn called_actions(source: &str) -> Vec<String> {
    let text: String = source
        .split_whitespace()
        .collect::<String>()
        .replace("remove(&", "call(&")
        .replace("call_when_visible(&", "call(&")
        .replace("which_exist(&", "call(&");
    text.split("call(&")
        .skip(1)
        .map(|rest| {
            rest.chars()
                .take_while(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || *c == '_')
                .collect()
        })
        .collect()
}

#[test]
fn every_sdk_call_declares_its_own_action() {
    for (file, source) in sources() {
        let operations = operations(source);
        let called = called_actions(source);
        assert_eq!(
            operations.len(),
            called.len(),
            "{file}: {} SDK calls but {} `call(&ACTION, ..)` sites: every SDK call must name its action",
            operations.len(),
            called.len()
        );
        for ((service, op), constant) in operations.iter().zip(&called) {
            let action = ALL
                .iter()
                .find(|(name, _)| name == constant)
                .map(|(_, action)| action)
                .unwrap_or_else(|| panic!("{file}: `{constant}` is not in actions::ALL"));
            let (action_service, action_op) = action.name.split_once(':').unwrap();
            assert_eq!(
                (action_service, folded(action_op)),
                (service.as_str(), folded(op)),
                "{file}: `{service}.{op}()` is called with `{constant}` ({})",
                action.name
            );
        }
    }
}

#[test]
fn actions_are_named_after_their_operation_and_scoped() {
    for (constant, action) in ALL {
        let (service, op) = action.name.split_once(':').expect("service:Operation");
        assert_eq!(
            folded(constant),
            folded(&format!("{service}_{op}")),
            "{constant}"
        );
        assert!(
            action.resource == "*" || action.resource.starts_with("arn:${Partition}:"),
            "{constant}: {}",
            action.resource
        );
    }
}
