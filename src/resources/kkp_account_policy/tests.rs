//! Unit tests of the schema's semantic equality and the model.

use super::*;

#[test]
fn a_read_keeps_the_stored_text_of_an_equivalent_document() {
    let block = KkpAccountPolicy.schema().block;
    let stored = r#"{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": ["iam:GetRole"], "Resource": "*"}]}"#;
    let state = |policy: &str| {
        AccountPolicyModel {
            policy: policy.into(),
            ..Default::default()
        }
        .to_value()
    };
    let mut read = state(&canonical_json(stored).unwrap());
    block.keep_equal_values(&state(stored), &mut read);
    assert_eq!(read, state(stored));
    let mut changed = state(&stored.replace("GetRole", "PassRole"));
    block.keep_equal_values(&state(stored), &mut changed);
    assert_ne!(changed, state(stored));
}

#[test]
fn the_model_matches_the_schema() {
    let schema = KkpAccountPolicy.schema();
    crate::tfplugin::check_models(&schema.block, &[AccountPolicyModel::fields()]).unwrap();
}
