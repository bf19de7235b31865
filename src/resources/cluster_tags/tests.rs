//! Unit tests of the resource's validation and state mapping.
use super::*;

#[test]
fn state_keeps_null_or_empty_sets_as_configured() {
    let t = Tagging {
        cluster_id: "c".into(),
        ownership: "owned".into(),
        ..Default::default()
    };
    let v = t.to_value(&Value::Null);
    assert_eq!(v.get("instance_ids"), &Value::Null);
    assert_eq!(v.get("tag_key"), &Value::string("kubernetes.io/cluster/c"));
    let mut like = Value::Map(BTreeMap::new());
    like.set("subnet_ids", Value::List(vec![]));
    assert_eq!(t.to_value(&like).get("subnet_ids"), &Value::List(vec![]));
    assert_eq!(Tagging::from_value(&v), t);
}

#[test]
fn retain_filters_every_kind() {
    let t = Tagging {
        cluster_id: "c".into(),
        ownership: "owned".into(),
        instance_ids: ["i-1".into(), "i-2".into()].into(),
        subnet_ids: ["subnet-1".into()].into(),
        security_group_id: Some("sg-1".into()),
    };
    let kept = t.retain(|id| id == "i-2");
    assert_eq!(kept.ids(), ["i-2".to_string()].into());
    assert_eq!(kept.security_group_id, None);
}

#[test]
fn the_model_matches_the_schema() {
    let schema = ClusterTags.schema();
    let models = [TaggingModel::fields(), ComputedModel::fields()];
    crate::tfplugin::check_models(&schema.block, &models).unwrap();
}
