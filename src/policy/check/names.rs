//! The names a document uses, against the catalogue: services, actions and
//! wildcards, condition keys; and the shapes of resources and principals.
//! IAM accepts all of these; they are what makes a policy silently not work.

use super::grammar::{Parsed, Said};
use super::problem::{Kind, Problem, Rule};
use super::resources::{arn_parts, doubtful};
use crate::policy::catalogue::{
    Catalogue, GLOBAL_CONDITION_KEYS, Service, catalogue, closest, is_identity_provider_key,
    key_matches,
};

/// The fixed web identity providers a trust policy may name.
const WEB_IDENTITY_PROVIDERS: [&str; 4] = [
    "cognito-identity.amazonaws.com",
    "accounts.google.com",
    "graph.facebook.com",
    "www.amazon.com",
];

pub fn check(parsed: &Parsed<'_>, kind: Kind, problems: &mut Vec<Problem>) {
    let catalogue = catalogue();
    for statement in &parsed.statements {
        let mut found = Vec::new();
        let services = actions(catalogue, statement, &mut found);
        for (operator, key) in &statement.conditions {
            if let Some(message) = unknown_key(catalogue, &services, kind, operator, key) {
                found.push((Rule::ConditionKey, message));
            }
        }
        for resource in &statement.resources {
            if let Some(message) = doubtful(resource) {
                found.push((Rule::ResourceArn, message));
            }
        }
        for (kind, value) in &statement.principals {
            if let Some(message) = principal_problem(kind, value) {
                found.push((Rule::Principal, message));
            }
        }
        problems.extend(found.into_iter().map(|(rule, message)| Problem {
            rule,
            at: Some(statement.at.clone()),
            message,
        }));
    }
    if parsed.variables && parsed.version != Some("2012-10-17") {
        let version = parsed.version.map_or(
            "`Version` is missing, so IAM reads the policy as `2008-10-17`".to_string(),
            |v| format!("`Version` is `{v}`"),
        );
        problems.push(Problem {
            rule: Rule::Version,
            at: None,
            message: format!(
                "{version}, which does not replace policy variables such as `${{aws:username}}`: they are compared as written. Write `\"Version\": \"2012-10-17\"`"
            ),
        });
    }
}

/// The services the statement's actions belong to, reporting each service,
/// action and wildcard that names nothing. `NotAction` and `*` reach every
/// service.
fn actions<'c>(
    catalogue: &'c Catalogue,
    statement: &Said<'_>,
    found: &mut Vec<(Rule, String)>,
) -> Vec<&'c Service> {
    let mut services: Vec<&'c Service> = Vec::new();
    let mut every_service = statement.not_action;
    for action in &statement.actions {
        let Some((prefix, name)) = action.split_once(':') else {
            every_service |= *action == "*";
            continue;
        };
        let wildcard = name.contains(['*', '?']);
        if prefix == "*" {
            every_service = true;
            if !catalogue
                .services()
                .iter()
                .any(|s| s.has_action_matching(name))
            {
                found.push((
                    Rule::Pattern,
                    format!("`{action}` matches no action of any service"),
                ));
            }
            continue;
        }
        let Some(service) = catalogue.service(prefix) else {
            found.push((
                Rule::Service,
                unknown_service(catalogue, action, prefix, name, wildcard),
            ));
            continue;
        };
        if !services.iter().any(|s| std::ptr::eq(*s, service)) {
            services.push(service);
        }
        if wildcard {
            if !service.has_action_matching(name) {
                found.push((Rule::Pattern, no_match(service, action, name)));
            }
        } else if service.action(name).is_none() {
            let suggestions = closest(name, service.actions().iter().copied(), 3)
                .iter()
                .map(|a| format!("`{}:{a}`", service.prefix))
                .collect::<Vec<_>>();
            found.push((
                Rule::Action,
                format!(
                    "`{action}` is not an action of {} (`{}`){}",
                    service.name,
                    service.prefix,
                    did_you_mean(&suggestions)
                ),
            ));
        }
    }
    if every_service {
        catalogue.services().iter().collect()
    } else {
        services
    }
}

fn unknown_service(
    catalogue: &Catalogue,
    action: &str,
    prefix: &str,
    name: &str,
    wildcard: bool,
) -> String {
    let mut suggestions: Vec<String> =
        closest(prefix, catalogue.services().iter().map(|s| s.prefix), 2)
            .iter()
            .map(|p| format!("`{p}:{name}`"))
            .collect();
    if !wildcard {
        // The same action under another service, as `ec2:CreateRole` for `iam:CreateRole`.
        for service in catalogue.services() {
            if let Some(found) = service.action(name)
                && suggestions.len() < 3
            {
                let suggestion = format!("`{}:{found}`", service.prefix);
                if !suggestions.contains(&suggestion) {
                    suggestions.push(suggestion);
                }
            }
        }
    }
    format!(
        "`{action}`: no AWS service has the action prefix `{prefix}`{}",
        did_you_mean(&suggestions)
    )
}

/// A wildcard that matches none of the service's actions, with the nearest
/// wildcards that would match (for the usual `Prefix*`).
fn no_match(service: &Service, action: &str, name: &str) -> String {
    let mut suggestions = Vec::new();
    if let Some(literal) = name.strip_suffix('*').filter(|l| !l.contains(['*', '?'])) {
        let starts: Vec<&str> = service
            .actions()
            .iter()
            .filter(|a| a.len() >= literal.len() && a.is_char_boundary(literal.len()))
            .map(|a| &a[..literal.len()])
            .collect();
        suggestions = closest(literal, starts, 3)
            .iter()
            .map(|start| format!("`{}:{start}*`", service.prefix))
            .collect();
    }
    format!(
        "`{action}` matches no action of {} (`{}`){}",
        service.name,
        service.prefix,
        did_you_mean(&suggestions)
    )
}

fn did_you_mean(suggestions: &[String]) -> String {
    match suggestions {
        [] => String::new(),
        [one] => format!("; did you mean {one}?"),
        [rest @ .., last] => format!("; did you mean {} or {last}?", rest.join(", ")),
    }
}

/// Why `key` is doubtful: neither a global key nor one the statement's
/// services define (nor, in a trust policy, an identity provider's).
fn unknown_key(
    catalogue: &Catalogue,
    services: &[&Service],
    kind: Kind,
    operator: &str,
    key: &str,
) -> Option<String> {
    let global = GLOBAL_CONDITION_KEYS.iter().any(|g| key_matches(g, key));
    let sts = services.iter().any(|s| s.prefix == "sts");
    let identity_provider = (kind == Kind::Trust || sts) && is_identity_provider_key(key);
    if global || identity_provider || services.iter().any(|s| s.defines_key(key)) {
        return None;
    }
    let candidates = GLOBAL_CONDITION_KEYS
        .iter()
        .chain(services.iter().flat_map(|s| s.keys()))
        .copied();
    let suggestions: Vec<String> = closest(key, candidates, 3)
        .iter()
        .map(|k| format!("`{k}`"))
        .collect();
    let whose = match services {
        [] => String::new(),
        [one] => format!(", nor one that {} (`{}`) defines", one.name, one.prefix),
        few if few.len() <= 4 => {
            let prefixes: Vec<String> = few.iter().map(|s| format!("`{}`", s.prefix)).collect();
            let (last, rest) = prefixes.split_last().expect("two or more");
            format!(", nor one that {} or {last} defines", rest.join(", "))
        }
        _ => ", nor one that any service defines".to_string(),
    };
    let elsewhere = key
        .split_once(':')
        .and_then(|(prefix, _)| catalogue.service(prefix))
        .filter(|owner| {
            owner.defines_key(key) && !services.iter().any(|s| std::ptr::eq(*s, *owner))
        })
        .map(|owner| {
            format!(
                " It is a key of `{}`, whose actions the statement does not name.",
                owner.prefix
            )
        })
        .unwrap_or_default();
    Some(format!(
        "the condition key `{key}` (under `{operator}`) is not a global condition key{whose}.{elsewhere} A condition on a key the request does not carry does not match (and with `...IfExists` or a negated operator it always does), so the statement may not do what it says{}",
        did_you_mean(&suggestions)
    ))
}

/// What is wrong with a trust policy's principal of type `kind`.
fn principal_problem(kind: &str, value: &str) -> Option<String> {
    let account = |s: &str| s.len() == 12 && s.bytes().all(|b| b.is_ascii_digit());
    let arn_of = |services: &[&str]| {
        let parts = arn_parts(value);
        parts.len() >= 6 && parts[0] == "arn" && services.contains(&parts[2])
    };
    let (ok, expected) = match kind {
        "AWS" => (
            value == "*" || account(value) || arn_of(&["iam", "sts"]),
            "`*`, an account id (12 digits) or an IAM ARN (`arn:aws:iam::111122223333:root`, `...:role/name`)",
        ),
        "Service" => (
            value.contains('.')
                && value.bytes().all(|b| {
                    b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-' || b == b'.'
                }),
            "a service principal such as `ec2.amazonaws.com`",
        ),
        "Federated" => (
            WEB_IDENTITY_PROVIDERS.contains(&value)
                || (arn_of(&["iam"])
                    && (value.contains(":oidc-provider/") || value.contains(":saml-provider/"))),
            "the ARN of an IAM OIDC or SAML provider, or one of `cognito-identity.amazonaws.com`, `accounts.google.com`, `graph.facebook.com`, `www.amazon.com`",
        ),
        _ => (
            value.len() == 64 && value.bytes().all(|b| b.is_ascii_hexdigit()),
            "an S3 canonical user id (64 hexadecimal digits)",
        ),
    };
    (!ok).then(|| format!("`{value}` under `Principal.{kind}` must be {expected}"))
}
