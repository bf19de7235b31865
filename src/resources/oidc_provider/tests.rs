//! Unit tests of the resource's validation and state mapping.
use super::*;

use std::collections::BTreeMap;

use crate::engine::oidc::OidcSpec;
use crate::resources::common::object as config;

const URL: &str = "https://oidc.eks.us-east-1.amazonaws.com/id/ABC";
const THUMB: &str = "9e99a48a9960b14926bb7f3b02e22da2b0ab7280";

/// The state for `observed`, from a base given as a value.
fn state_from(observed: &Observed, base: &Value) -> Value {
    super::state_from(observed, &OidcModel::read(base)).to_value()
}

fn spec_from(
    planned: &Value,
    prior: &Value,
    default_tags: &BTreeMap<String, String>,
    adopted: bool,
) -> OidcSpec {
    let (planned, prior) = (OidcModel::read(planned), OidcModel::read(prior));
    super::spec_from(&planned, &prior, default_tags, adopted)
}

fn observed() -> Observed {
    Observed {
        arn: "arn:aws:iam::123456789012:oidc-provider/oidc.eks.us-east-1.amazonaws.com/id/ABC"
            .to_string(),
        url: "oidc.eks.us-east-1.amazonaws.com/id/ABC".to_string(),
        client_ids: vec!["b".to_string(), "a".to_string()],
        thumbprints: vec![THUMB.to_string()],
        tags: BTreeMap::from([
            ("team".to_string(), "platform".to_string()),
            ("Name".to_string(), "x".to_string()),
        ]),
        mark: Some("m".to_string()),
    }
}

#[test]
fn state_keeps_the_configured_spelling() {
    let base = config(&[
        ("url", Value::string(format!("{URL}/"))),
        ("thumbprints", Value::string_list([THUMB.to_uppercase()])),
        ("tags", Value::string_map([("Name", "x")])),
    ]);
    let state = state_from(&observed(), &base);
    assert_eq!(state.get_str("url"), Some(format!("{URL}/").as_str()));
    assert_eq!(state.get("thumbprints"), base.get("thumbprints"));
    assert_eq!(state.get("client_ids"), &Value::string_list(["a", "b"]));
    assert_eq!(state.get("tags"), &Value::string_map([("Name", "x")]));
    assert_eq!(state.get("adopted"), &Value::Bool(false));
    assert_eq!(state.get("tags_all").as_map().map(BTreeMap::len), Some(2));

    // An import knows only the ARN: everything comes from AWS.
    let imported = state_from(&observed(), &config(&[]));
    assert_eq!(imported.get_str("url"), Some(URL));
    assert_eq!(imported.get("thumbprints"), &Value::string_list([THUMB]));
    assert_eq!(imported.get("tags"), &Value::Null);
}

#[test]
fn no_thumbprints_from_iam_are_unset_not_an_empty_list() {
    let mut managed = observed();
    managed.thumbprints.clear();
    assert_eq!(
        state_from(&managed, &config(&[])).get("thumbprints"),
        &Value::Null
    );
}

#[test]
fn an_adopted_provider_shows_what_the_configuration_asked_for() {
    let base = config(&[
        ("adopted", Value::Bool(true)),
        ("client_ids", Value::string_list(["a"])),
        ("thumbprints", Value::string_list([THUMB.to_uppercase()])),
    ]);
    let state = state_from(&observed(), &base);
    // The other team's client id `b` is kept in IAM, not shown here.
    assert_eq!(state.get("client_ids"), &Value::string_list(["a"]));
    assert_eq!(state.get("thumbprints"), base.get("thumbprints"));
    // One it lacks drops out, so the plan adds it.
    let mut wants_more = base.clone();
    wants_more.set("client_ids", Value::string_list(["a", "c"]));
    assert_eq!(
        state_from(&observed(), &wants_more).get("client_ids"),
        &Value::string_list(["a"])
    );
}

#[test]
fn an_adopted_provider_gets_only_the_resources_own_tags() {
    let planned = config(&[
        ("client_ids", Value::string_list(["sts.amazonaws.com"])),
        ("tags", Value::string_map([("b", "2")])),
    ]);
    let defaults = BTreeMap::from([("a".to_string(), "1".to_string())]);
    let null = &Value::Null;
    assert_eq!(spec_from(&planned, null, &defaults, false).tags.len(), 2);
    let adopted = spec_from(&planned, null, &defaults, true);
    assert_eq!(
        adopted.tags,
        BTreeMap::from([("b".to_string(), "2".to_string())])
    );
    assert!(adopted.thumbprints.is_none());
    // Once written, an adopter's tags are asked for again only when they change.
    let same = spec_from(&planned, &planned, &defaults, true);
    assert!(same.tags.is_empty(), "{:?}", same.tags);
}

#[test]
fn the_model_matches_the_schema() {
    let schema = OidcProvider.schema();
    crate::tfplugin::check_models(&schema.block, &[OidcModel::fields()]).unwrap();
}
