use super::*;
use crate::aws::ConnectError;

#[test]
fn errors_never_repeat_secret_settings() {
    let secrets = vec!["ExtId-Secret-42".to_string(), String::new()];
    let err = scrub(
        ConnectError::AssumeRole("AccessDenied: bad external id ExtId-Secret-42".into()),
        &secrets,
    );
    let ConnectError::AssumeRole(detail) = err else {
        panic!("the kind of error changed");
    };
    assert_eq!(detail, "AccessDenied: bad external id (redacted)");

    let mut diags = Diagnostics::default();
    let object = |pairs: &[(&str, Value)]| {
        Value::Map(
            pairs
                .iter()
                .map(|(k, v)| (k.to_string(), v.clone()))
                .collect(),
        )
    };
    let config = object(&[(
        "assume_role",
        object(&[
            (
                "role_arn",
                Value::string("arn:aws:iam::123456789012:role/terraform"),
            ),
            ("external_id", Value::string("ExtId Secret 42")),
        ]),
    )]);
    crate::tfplugin::Provider::validate(&ClusterIam, &config, &mut diags);
    let text = format!("{diags:?}");
    assert!(text.contains("assume_role.external_id"), "{text}");
    assert!(
        !text.contains("Secret"),
        "the external id was echoed: {text}"
    );
}

#[test]
fn region_names_are_checked_by_form() {
    for good in [
        "us-east-1",
        "us-gov-west-1",
        "cn-north-1",
        "us-isob-east-1",
        "ap-southeast-7",
        // Well formed but not (yet) a region: AWS opens new ones.
        "xx-nowhere-9",
    ] {
        assert!(is_region_name(good), "{good}");
    }
    for bad in [
        "us-east1",
        "useast-1",
        "us-east-",
        "US-EAST-1",
        "u-east-1",
        "us--1",
        "1",
    ] {
        assert!(!is_region_name(bad), "{bad}");
    }
}

#[test]
fn the_model_matches_the_schema() {
    crate::tfplugin::check_models(&schema().block, &[ProviderModel::fields()]).unwrap();
}

#[test]
fn settings_are_read_from_the_provider_block() {
    let config = ProviderModel {
        region: "eu-west-1".into(),
        max_retries: 250.into(),
        propagation_timeout: "90s".into(),
        assume_role: AssumeRoleModel {
            role_arn: "arn:aws:iam::111122223333:role/terraform".into(),
            duration: "15m".into(),
            ..Default::default()
        }
        .into(),
        endpoints: EndpointsModel {
            iam: "http://127.0.0.1:5000".into(),
            ..Default::default()
        }
        .into(),
        ..Default::default()
    }
    .to_value();
    let settings = settings(&config);
    assert_eq!(settings.region.as_deref(), Some("eu-west-1"));
    assert_eq!(settings.max_retries, Some(100));
    assert_eq!(settings.propagation_timeout, Duration::from_secs(90));
    let assume = settings.assume_role.expect("assume_role is set");
    assert_eq!(assume.role_arn, "arn:aws:iam::111122223333:role/terraform");
    assert_eq!(assume.duration, Some(Duration::from_secs(15 * 60)));
    assert_eq!(assume.session_name, None);
    assert_eq!(
        settings.endpoints.iam.as_deref(),
        Some("http://127.0.0.1:5000")
    );
    assert_eq!(settings.endpoints.sts, None);
    assert!(!settings.allow_http_endpoints);
}
