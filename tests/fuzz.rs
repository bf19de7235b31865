//! Property tests (proptest) of the code that reads untrusted text: the cty
//! msgpack and JSON value decoders, the IAM policy parser, canonicaliser and
//! equivalence, and the ARN parsers. None may panic on any input; what they
//! accept must round-trip. A panic inside a gRPC handler becoming a
//! diagnostic is tested in `src/tfplugin/server.rs`
//! (`a_panicking_handler_becomes_an_error_diagnostic_and_the_server_lives_on`).
//!
//! Case counts are kept small so the file runs in seconds; raise them with
//! `PROPTEST_CASES=100000 cargo test --test integration fuzz::` for a longer hunt.

use std::collections::BTreeMap;

use proptest::prelude::*;
use proptest::test_runner::Config;
use serde_json::json;
use terraform_provider_clusteriam::arn::{Arn, OidcProviderArn};
use terraform_provider_clusteriam::policy::check::{Kind, check};
use terraform_provider_clusteriam::policy::{canonical_json, equivalent, from_iam};
use terraform_provider_clusteriam::tfplugin::value::{
    from_json, from_msgpack, to_json, to_msgpack,
};
use terraform_provider_clusteriam::tfplugin::{Type, Value};

/// Cases per property, unless PROPTEST_CASES says otherwise.
fn cases(default: u32) -> Config {
    let cases = std::env::var("PROPTEST_CASES")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(default);
    Config {
        cases,
        failure_persistence: None,
        ..Config::default()
    }
}

// ---------------------------------------------------------------------------
// Values

fn short_string() -> impl Strategy<Value = String> {
    prop_oneof![
        "[a-z_]{0,6}",
        any::<String>().prop_map(|s| s.chars().take(8).collect()),
    ]
}

/// Any cty type the schemas can use, up to three levels deep.
fn any_type() -> impl Strategy<Value = Type> {
    let leaf = prop_oneof![Just(Type::Bool), Just(Type::Number), Just(Type::String)];
    leaf.prop_recursive(3, 16, 4, |inner| {
        prop_oneof![
            inner.clone().prop_map(Type::list),
            inner.clone().prop_map(Type::set),
            inner.clone().prop_map(Type::map),
            prop::collection::btree_map("[a-z_]{1,6}", inner, 0..4).prop_map(Type::Object),
        ]
    })
}

fn number() -> impl Strategy<Value = serde_json::Number> {
    prop_oneof![
        any::<i64>().prop_map(serde_json::Number::from),
        any::<u64>().prop_map(serde_json::Number::from),
        any::<f64>().prop_filter_map("finite, not integral", |f| {
            (f.fract() != 0.0)
                .then(|| serde_json::Number::from_f64(f))
                .flatten()
        }),
    ]
}

/// A value of type `ty`, with nulls and (when `unknowns`) unknowns anywhere.
fn value_of(ty: &Type, unknowns: bool) -> BoxedStrategy<Value> {
    let known: BoxedStrategy<Value> = match ty {
        Type::Bool => any::<bool>().prop_map(Value::Bool).boxed(),
        Type::Number => number().prop_map(Value::Number).boxed(),
        Type::String => any::<String>().prop_map(Value::String).boxed(),
        Type::List(e) | Type::Set(e) => prop::collection::vec(value_of(e, unknowns), 0..4)
            .prop_map(Value::List)
            .boxed(),
        Type::Map(e) => prop::collection::btree_map(short_string(), value_of(e, unknowns), 0..4)
            .prop_map(Value::Map)
            .boxed(),
        Type::Object(attrs) => {
            let fields: Vec<_> = attrs
                .iter()
                .map(|(name, ty)| (Just(name.clone()), value_of(ty, unknowns)))
                .collect();
            fields
                .prop_map(|fields| Value::Map(fields.into_iter().collect::<BTreeMap<_, _>>()))
                .boxed()
        }
    };
    if unknowns {
        prop_oneof![6 => known, 1 => Just(Value::Null), 1 => Just(Value::Unknown)].boxed()
    } else {
        prop_oneof![6 => known, 1 => Just(Value::Null)].boxed()
    }
}

fn typed_value(unknowns: bool) -> impl Strategy<Value = (Type, Value)> {
    any_type().prop_flat_map(move |ty| {
        let value = value_of(&ty, unknowns);
        (Just(ty), value)
    })
}

/// Any JSON value, up to four levels deep.
fn any_json() -> impl Strategy<Value = serde_json::Value> {
    let leaf = prop_oneof![
        Just(serde_json::Value::Null),
        any::<bool>().prop_map(serde_json::Value::Bool),
        number().prop_map(serde_json::Value::Number),
        short_string().prop_map(serde_json::Value::String),
    ];
    leaf.prop_recursive(4, 32, 5, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..5).prop_map(serde_json::Value::Array),
            prop::collection::vec((short_string(), inner), 0..5)
                .prop_map(|entries| serde_json::Value::Object(entries.into_iter().collect())),
        ]
    })
}

proptest! {
    #![proptest_config(cases(1000))]

    #[test]
    fn msgpack_decoder_never_panics_on_bytes(bytes in prop::collection::vec(any::<u8>(), 0..64), ty in any_type()) {
        let _ = from_msgpack(&bytes, &ty);
    }

    #[test]
    fn msgpack_decoder_never_panics_on_values_of_another_type((_, value) in typed_value(true), ty in any_type()) {
        let _ = from_msgpack(&to_msgpack(&value), &ty);
    }

    #[test]
    fn json_decoder_never_panics(json in any_json(), ty in any_type()) {
        let _ = from_json(&json, &ty);
    }
}

proptest! {
    #![proptest_config(cases(256))]

    #[test]
    fn msgpack_round_trips((ty, value) in typed_value(true)) {
        prop_assert_eq!(from_msgpack(&to_msgpack(&value), &ty), Ok(value));
    }

    #[test]
    fn json_round_trips((ty, value) in typed_value(false)) {
        prop_assert_eq!(from_json(&to_json(&value), &ty), Ok(value));
    }
}

// ---------------------------------------------------------------------------
// Policies

/// A string or a list of strings, as IAM documents allow.
fn one_or_many(
    item: impl Strategy<Value = String> + Clone,
) -> impl Strategy<Value = serde_json::Value> {
    prop_oneof![
        item.clone().prop_map(serde_json::Value::String),
        prop::collection::vec(item, 1..4).prop_map(|items| json!(items)),
    ]
}

fn policy_statement() -> impl Strategy<Value = serde_json::Value> {
    let action = "(s3|ec2|iam|sts):[A-Za-z*]{1,8}";
    let resource = prop_oneof![
        Just("*".to_string()),
        "arn:aws:(s3|iam)::[0-9]{12}:[a-z/*-]{1,10}",
    ];
    let condition = prop::collection::btree_map(
        "String(Equals|Like)|ArnLike|Bool",
        prop::collection::btree_map("[a-zA-Z.:/]{1,12}", one_or_many("[a-z:*?]{1,8}"), 1..3),
        0..3,
    );
    (
        prop::option::of("[A-Za-z0-9]{1,6}"),
        prop_oneof![Just("Allow"), Just("Deny")],
        prop::option::of(one_or_many("[a-z]{1,6}\\.amazonaws\\.com")),
        one_or_many(action),
        one_or_many(resource),
        condition,
        prop::option::of(any_json()),
    )
        .prop_map(
            |(sid, effect, service, action, resource, condition, extra)| {
                let mut s = serde_json::Map::new();
                if let Some(sid) = sid {
                    s.insert("Sid".into(), json!(sid));
                }
                s.insert("Effect".into(), json!(effect));
                if let Some(service) = service {
                    s.insert("Principal".into(), json!({ "Service": service }));
                }
                s.insert("Action".into(), action);
                s.insert("Resource".into(), resource);
                if !condition.is_empty() {
                    s.insert("Condition".into(), json!(condition));
                }
                if let Some(extra) = extra {
                    s.insert("Extra".into(), extra);
                }
                serde_json::Value::Object(s)
            },
        )
}

/// A policy-shaped document: a statement object or an array of them.
fn policy_document() -> impl Strategy<Value = serde_json::Value> {
    (
        prop::option::of(prop_oneof![Just("2012-10-17"), Just("2008-10-17")]),
        prop_oneof![
            policy_statement(),
            prop::collection::vec(policy_statement(), 0..5).prop_map(serde_json::Value::Array),
        ],
    )
        .prop_map(|(version, statement)| {
            let mut d = serde_json::Map::new();
            if let Some(v) = version {
                d.insert("Version".into(), json!(v));
            }
            d.insert("Statement".into(), statement);
            serde_json::Value::Object(d)
        })
}

/// A pseudo-random number below `n` from `seed` (a linear congruential step).
fn below(seed: &mut u64, n: usize) -> usize {
    *seed = seed
        .wrapping_mul(6364136223846793005)
        .wrapping_add(1442695040888963407);
    (*seed >> 33) as usize % n.max(1)
}

/// The same document with every array shuffled and every object's keys
/// rotated (as chosen by `seed`), as IAM may return it.
fn shuffled(value: &serde_json::Value, seed: &mut u64) -> serde_json::Value {
    match value {
        serde_json::Value::Array(items) => {
            let mut items: Vec<_> = items.iter().map(|i| shuffled(i, seed)).collect();
            for i in (1..items.len()).rev() {
                items.swap(i, below(seed, i + 1));
            }
            serde_json::Value::Array(items)
        }
        serde_json::Value::Object(map) => {
            let mut entries: Vec<_> = map
                .iter()
                .map(|(k, v)| (k.clone(), shuffled(v, seed)))
                .collect();
            let n = entries.len();
            entries.rotate_left(below(seed, n));
            serde_json::Value::Object(entries.into_iter().collect())
        }
        other => other.clone(),
    }
}

fn url_encoded(s: &str) -> String {
    percent_encoding::utf8_percent_encode(s, percent_encoding::NON_ALPHANUMERIC).to_string()
}

proptest! {
    #![proptest_config(cases(1000))]

    #[test]
    fn policy_functions_never_panic_on_text(text in any::<String>()) {
        let _ = from_iam(&text);
        let _ = canonical_json(&text);
        for kind in [Kind::Inline, Kind::Managed, Kind::Trust] {
            let _ = check(&text, kind);
        }
        let _ = equivalent(&text, &text);
    }

    #[test]
    fn canonical_json_is_idempotent_on_any_json_in_a_statement(extra in any_json(), depth in 0..3usize) {
        // Single-element lists around it, as `[["x"]]` once broke idempotence.
        let extra = (0..depth).fold(extra, |inner, _| json!([inner]));
        let text = json!({ "Statement": [{ "Effect": "Allow", "X": extra }] }).to_string();
        let canonical = canonical_json(&text).expect("a policy");
        prop_assert_eq!(canonical_json(&canonical).ok(), Some(canonical.clone()));
        prop_assert!(equivalent(&text, &canonical));
    }

    #[test]
    fn policy_functions_never_panic_on_any_json(json in any_json()) {
        let text = json.to_string();
        if let Ok(canonical) = canonical_json(&text) {
            prop_assert_eq!(canonical_json(&canonical).ok(), Some(canonical.clone()));
        }
        for kind in [Kind::Inline, Kind::Managed, Kind::Trust] {
            let _ = check(&text, kind);
        }
        let _ = equivalent(&text, &text);
    }
}

proptest! {
    #![proptest_config(cases(256))]

    #[test]
    fn policy_canonical_form_is_idempotent_and_equivalent(doc in policy_document(), seed in any::<u64>()) {
        let text = serde_json::to_string_pretty(&doc).unwrap();
        let canonical = canonical_json(&text).expect("a policy-shaped document");
        prop_assert_eq!(canonical_json(&canonical).ok(), Some(canonical.clone()));
        prop_assert!(equivalent(&text, &text));
        prop_assert!(equivalent(&text, &canonical));
        prop_assert!(equivalent(&canonical, &text));
        let mut seed = seed;
        let reordered = shuffled(&doc, &mut seed).to_string();
        prop_assert!(equivalent(&text, &reordered), "not equivalent to\n{}", reordered);
        prop_assert!(equivalent(&url_encoded(&reordered), &canonical));
    }
}

// ---------------------------------------------------------------------------
// ARNs

/// ARN-like text: the right number of colons, parts that are sometimes valid.
fn arn_like() -> impl Strategy<Value = String> {
    (
        "(arn|urn)?",
        "(aws|aws-cn|aws-us-gov|azure)?",
        "(iam|eks|s3|[a-z0-9-]{1,8})?",
        "(us-east-1|[a-z0-9-]{0,12})",
        "(aws|[0-9]{12}|[0-9a-z]{0,13})",
        prop_oneof![
            "((role|policy|user|oidc-provider)/[a-zA-Z0-9./:_-]{0,20})?",
            any::<String>(),
        ],
    )
        .prop_map(|(prefix, partition, service, region, account, resource)| {
            format!("{prefix}:{partition}:{service}:{region}:{account}:{resource}")
        })
}

proptest! {
    #![proptest_config(cases(1000))]

    #[test]
    fn arn_parsers_never_panic(text in any::<String>()) {
        let _ = text.parse::<Arn>();
        let _ = text.parse::<OidcProviderArn>();
        let _ = OidcProviderArn::for_issuer("aws", "123456789012", &text);
    }

    #[test]
    fn parsed_arns_display_as_written(text in arn_like()) {
        if let Ok(arn) = text.parse::<Arn>() {
            prop_assert_eq!(arn.to_string(), text.clone());
            prop_assert_eq!(arn.to_string().parse::<Arn>(), Ok(arn));
        }
        if let Ok(oidc) = text.parse::<OidcProviderArn>() {
            prop_assert_eq!(oidc.to_string(), text.clone());
            prop_assert!(!oidc.issuer().is_empty());
        }
    }

    #[test]
    fn valid_iam_arns_parse(
        partition in prop_oneof![Just("aws"), Just("aws-cn"), Just("aws-us-gov")],
        account in "[0-9]{12}",
        kind in prop_oneof![Just("role"), Just("policy"), Just("oidc-provider")],
        // Valid for every kind, also as an OIDC issuer (host, then path).
        name in "[a-zA-Z0-9]{1,5}(-[a-zA-Z0-9]{1,4})?(/[a-zA-Z0-9_~-]{1,8}(\\.[a-zA-Z0-9]{1,3})?){0,2}",
    ) {
        let text = format!("arn:{partition}:iam::{account}:{kind}/{name}");
        let arn: Arn = text.parse().map_err(|e| TestCaseError::fail(format!("{e}")))?;
        prop_assert_eq!(arn.to_string(), text.clone());
        prop_assert_eq!(&arn.partition, partition);
        prop_assert_eq!(text.parse::<OidcProviderArn>().is_ok(), kind == "oidc-provider");
    }
}
