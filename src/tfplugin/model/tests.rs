use std::collections::{BTreeMap, BTreeSet};

use super::*;
use crate::tfplugin::{Attribute, Block, Nesting};

model! {
    struct Endpoints {
        iam: Attr<String>,
    }
}

model! {
    struct Thing {
        name: Attr<String>,
        count: Attr<i64>,
        enabled: Attr<bool>,
        arns: Attr<BTreeSet<Attr<String>>>,
        tags: Attr<BTreeMap<String, String>>,
        endpoints: Attr<Endpoints>,
    }
}

model! {
    struct Computed {
        arn: Attr<String>,
    }
}

fn block() -> Block {
    let (strings, string_map) = (Type::set(Type::String), Type::map(Type::String));
    Block::new("A thing.")
        .attribute(Attribute::required("name", Type::String, "The name."))
        .attribute(Attribute::optional("count", Type::Number, "How many."))
        .attribute(Attribute::optional("enabled", Type::Bool, "Whether."))
        .attribute(Attribute::optional("arns", strings, "ARNs."))
        .attribute(Attribute::optional("tags", string_map, "Tags."))
        .attribute(Attribute::computed("arn", Type::String, "The ARN."))
        .block(
            "endpoints",
            Nesting::Single,
            Block::new("Endpoints.").attribute(Attribute::optional("iam", Type::String, "IAM.")),
        )
}

fn object(pairs: &[(&str, Value)]) -> Value {
    Value::Map(
        pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.clone()))
            .collect(),
    )
}

#[test]
fn a_model_reads_what_it_wrote() {
    let thing = Thing {
        name: "a".into(),
        count: Attr::Known(3),
        enabled: Attr::Unknown,
        arns: Attr::Known(BTreeSet::from([Attr::Known("x".into()), Attr::Unknown])),
        tags: Attr::Known(BTreeMap::from([("k".into(), "v".into())])),
        endpoints: Attr::Known(Endpoints {
            iam: "http://i".into(),
        }),
    };
    let value = thing.to_value();
    assert_eq!(value.get("name"), &Value::string("a"));
    assert_eq!(value.get("enabled"), &Value::Unknown);
    assert_eq!(
        value.get("endpoints").get("iam"),
        &Value::string("http://i")
    );
    assert_eq!(Thing::read(&value), thing);
    // Each attribute's name, for diagnostics.
    assert_eq!(Thing::endpoints, "endpoints");
}

#[test]
fn values_known_in_part_are_unknown_as_a_whole() {
    let value = object(&[(
        "tags",
        Value::Map(BTreeMap::from([("k".into(), Value::Unknown)])),
    )]);
    assert_eq!(Thing::read(&value).tags, Attr::Unknown);
    // Absent and null attributes are null.
    assert_eq!(Thing::read(&value).name, Attr::Null);
}

#[test]
fn models_are_held_to_the_schema() {
    assert_eq!(
        check_models(&block(), &[Thing::fields(), Computed::fields()]),
        Ok(())
    );
    // An attribute no model holds.
    let missing = check_models(&block(), &[Thing::fields()]).unwrap_err();
    assert!(missing.contains("arn"), "{missing}");
    // A misspelt field.
    model! { struct Misspelt { nmae: Attr<String> } }
    let misspelt = check_models(&block(), &[Misspelt::fields()]).unwrap_err();
    assert!(misspelt.contains("no attribute `nmae`"), "{misspelt}");
    // A mistyped field.
    model! { struct Mistyped { count: Attr<String> } }
    let mistyped = check_models(&block(), &[Mistyped::fields()]).unwrap_err();
    assert!(mistyped.contains("`count` is a Number"), "{mistyped}");
    // One attribute in two models.
    let twice = check_models(&block(), &[Thing::fields(), Thing::fields()]).unwrap_err();
    assert!(twice.contains("more than one model"), "{twice}");
}

#[test]
fn states_are_checked_against_the_schema() {
    let mut state = block().null_object();
    state.set("endpoints", Value::Null);
    assert_eq!(block().check_value(&state), Ok(()));
    assert_eq!(block().check_value(&Value::Null), Ok(()));

    // A misspelt attribute and a mistyped one: the error names it.
    for (attribute, value) in [("nmae", "x"), ("count", "3")] {
        let mut wrong = state.clone();
        wrong.set(attribute, Value::string(value));
        let error = block().check_value(&wrong).unwrap_err();
        assert!(error.contains(&format!("`{attribute}`")), "{error}");
    }

    let mut wrong_element = state.clone();
    wrong_element.set("arns", Value::List(vec![Value::int(1)]));
    assert!(block().check_value(&wrong_element).is_err());

    let Value::Map(mut without_name) = state else {
        unreachable!()
    };
    without_name.remove("name");
    let missing = block().check_value(&Value::Map(without_name)).unwrap_err();
    assert!(missing.contains("`name` is missing"), "{missing}");
}

#[test]
fn values_that_mean_the_same_keep_the_prior_text() {
    fn same_ignoring_case(a: &Value, b: &Value) -> bool {
        a.as_str().map(str::to_lowercase) == b.as_str().map(str::to_lowercase)
    }
    let block = Block::new("A thing.")
        .attribute(
            Attribute::optional("policy", Type::String, "A document.")
                .semantic_equality(same_ignoring_case),
        )
        .attribute(Attribute::optional("name", Type::String, "A name."));
    let prior = object(&[
        ("policy", Value::string("ABC")),
        ("name", Value::string("N")),
    ]);

    let mut same = object(&[
        ("policy", Value::string("abc")),
        ("name", Value::string("n")),
    ]);
    block.keep_equal_values(&prior, &mut same);
    assert_eq!(same.get("policy"), &Value::string("ABC"));
    // Only attributes that declare a semantic equality.
    assert_eq!(same.get("name"), &Value::string("n"));

    let mut changed = object(&[("policy", Value::string("abd"))]);
    block.keep_equal_values(&prior, &mut changed);
    assert_eq!(changed.get("policy"), &Value::string("abd"));

    // Nothing to keep when there was nothing, or nothing is known yet.
    for now in [Value::Null, Value::Unknown] {
        let mut new = object(&[("policy", now.clone())]);
        block.keep_equal_values(&prior, &mut new);
        assert_eq!(new.get("policy"), &now);
    }
}
