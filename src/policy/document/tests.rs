#[test]
fn federated_principals_are_read_in_every_shape() {
    let one = r#"{"Version":"2012-10-17","Statement":{"Effect":"Allow","Principal":{"Federated":"arn:aws:iam::1:oidc-provider/a"},"Action":"sts:AssumeRoleWithWebIdentity"}}"#;
    assert_eq!(
        federated_principals(one),
        ["arn:aws:iam::1:oidc-provider/a"]
    );
    let many = r#"{"Statement":[{"Effect":"Deny","Principal":{"Federated":"x"}},{"Effect":"Allow","Principal":{"Federated":["b","c"]}},{"Effect":"Allow","Principal":{"Service":"ec2.amazonaws.com"}}]}"#;
    assert_eq!(federated_principals(many), ["b", "c"]);
    assert!(trusts_federated(&url_encode(many), "c"));
    assert!(!trusts_federated(many, "x"));
    assert!(federated_principals("not json").is_empty());
}

#[test]
fn the_subject_of_a_web_identity_trust() {
    let trust = r#"{"Statement":[{"Effect":"Allow","Condition":{"StringEquals":{"oidc.example.com/id/X:aud":"sts.amazonaws.com","oidc.example.com/id/X:sub":["system:serviceaccount:ns:sa"]}}}]}"#;
    assert_eq!(
        web_identity_subject(trust),
        Some(("ns".into(), "sa".into()))
    );
    assert_eq!(
        web_identity_subject(r#"{"Statement":[{"Effect":"Allow"}]}"#),
        None
    );
}

#[test]
fn aws_principals_and_the_external_id_of_a_cross_account_trust() {
    let trust = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":["arn:aws:iam::111111111111:role/master"]},"Action":"sts:AssumeRole","Condition":{"StringEquals":{"STS:externalid":["s3cret-id"]}}}]}"#;
    assert_eq!(
        aws_principals(trust),
        ["arn:aws:iam::111111111111:role/master"]
    );
    assert_eq!(aws_principals(&url_encode(trust)), aws_principals(trust));
    assert_eq!(required_external_id(trust), Some("s3cret-id".into()));
    assert_eq!(
        required_external_id(&url_encode(trust)),
        Some("s3cret-id".into())
    );
    // Only an exact `StringEquals` of one value is a required external id.
    for other in [
        trust.replace("StringEquals", "StringLike"),
        trust.replace(r#"["s3cret-id"]"#, r#"["a","b"]"#),
        trust.replace("STS:externalid", "aws:SourceAccount"),
    ] {
        assert_eq!(required_external_id(&other), None, "{other}");
    }
    let federated = r#"{"Statement":[{"Effect":"Allow","Principal":{"Federated":"x"}}]}"#;
    assert!(aws_principals(federated).is_empty());
    assert!(aws_principals("not json").is_empty());
}

#[test]
fn statement_ids_can_be_set_aside() {
    let with = r#"{"Version":"2012-10-17","Statement":[{"Sid":"SSMAccess","Effect":"Allow","Principal":{"Service":["ssm.amazonaws.com"]},"Action":"sts:AssumeRole"}]}"#;
    let without = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"ssm.amazonaws.com"},"Action":"sts:AssumeRole"}]}"#;
    assert!(!equivalent(with, without), "a Sid is part of the text");
    assert!(equivalent_ignoring_sids(with, without));
    assert!(equivalent_ignoring_sids(&url_encode(with), without));
    assert!(!equivalent_ignoring_sids(
        with,
        &without.replace("ssm.amazonaws.com", "ec2.amazonaws.com")
    ));
    assert!(!equivalent_ignoring_sids("not json", "not json"));
}

use super::*;
use percent_encoding::{NON_ALPHANUMERIC, utf8_percent_encode};

const TRUST: &str = r#"{
    "Version": "2012-10-17",
    "Statement": [{
        "Effect": "Allow",
        "Principal": {"Federated": "arn:aws:iam::123456789012:oidc-provider/oidc.eks.us-east-1.amazonaws.com/id/ABC"},
        "Action": "sts:AssumeRoleWithWebIdentity",
        "Condition": {"StringEquals": {
            "oidc.eks.us-east-1.amazonaws.com/id/ABC:sub": "system:serviceaccount:ns:sa",
            "oidc.eks.us-east-1.amazonaws.com/id/ABC:aud": "sts.amazonaws.com"
        }}
    }]
}"#;

const TWO_STATEMENTS: &str = r#"{
    "Version": "2012-10-17",
    "Statement": [
        {"Sid": "A", "Effect": "Allow", "Action": ["ec2:DescribeInstances", "ec2:DescribeRegions"], "Resource": "*"},
        {"Sid": "B", "Effect": "Allow", "Action": "iam:GetRole", "Resource": ["arn:aws:iam::123456789012:role/kubernetes-*"]}
    ]
}"#;

fn url_encoded(s: &str) -> String {
    utf8_percent_encode(s, NON_ALPHANUMERIC).to_string()
}

fn assert_equivalent(a: &str, b: &str) {
    assert!(equivalent(a, b), "expected equivalent:\n{a}\n{b}");
    assert!(equivalent(b, a), "expected symmetric:\n{b}\n{a}");
}

fn assert_not_equivalent(a: &str, b: &str) {
    assert!(!equivalent(a, b), "expected different:\n{a}\n{b}");
    assert!(!equivalent(b, a), "expected different:\n{b}\n{a}");
}

#[test]
fn from_iam_decodes_url_encoding_and_passes_json_through() {
    let encoded = url_encoded(TRUST);
    assert!(!encoded.contains('{'));
    assert_eq!(from_iam(&encoded), TRUST);
    assert_eq!(from_iam(TRUST), TRUST);
    assert_eq!(from_iam("  {\"a\":1}"), "  {\"a\":1}");
    // `+` is literal in IAM's encoding; spaces are %20.
    assert_eq!(
        from_iam("%7B%22a%2Bb%22%3A%22x+y%20z%22%7D"),
        r#"{"a+b":"x+y z"}"#
    );
}

#[test]
fn canonical_json_orders_keys_and_collapses_single_lists() {
    let source = r#"{
        "Statement": {
            "Condition": {
                "StringLike": {"b:k": ["v"]},
                "StringEquals": {"z:k": ["1", "2"], "a:k": "x"}
            },
            "Resource": ["*"],
            "Action": ["s3:PutObject", "s3:GetObject"],
            "Principal": {"Service": ["ec2.amazonaws.com"], "AWS": ["arn:aws:iam::123456789012:root"]},
            "Effect": "Allow",
            "Zeta": 1,
            "Alpha": ["only"],
            "Sid": "S"
        },
        "Id": "doc",
        "Version": "2012-10-17"
    }"#;
    let expected = concat!(
        r#"{"Version":"2012-10-17","Id":"doc","Statement":[{"Sid":"S","Effect":"Allow","#,
        r#""Principal":{"AWS":"arn:aws:iam::123456789012:root","Service":"ec2.amazonaws.com"},"#,
        r#""Action":["s3:PutObject","s3:GetObject"],"Resource":"*","#,
        r#""Condition":{"StringEquals":{"a:k":"x","z:k":["1","2"]},"StringLike":{"b:k":"v"}},"#,
        r#""Alpha":"only","Zeta":1}]}"#
    );
    assert_eq!(canonical_json(source).unwrap(), expected);
    // Idempotent, and URL-encoded input gives the same result.
    assert_eq!(canonical_json(expected).unwrap(), expected);
    assert_eq!(canonical_json(&url_encoded(source)).unwrap(), expected);
}

#[test]
fn canonical_json_keeps_order_duplicates_and_star_principal() {
    let source = r#"{"Version":"2012-10-17","Statement":[
        {"Effect":"Deny","Principal":"*","NotAction":["b","a","b"],"NotResource":["*"]},
        {"Effect":"Allow","Action":"x","Resource":"*"}]}"#;
    assert_eq!(
        canonical_json(source).unwrap(),
        concat!(
            r#"{"Version":"2012-10-17","Statement":["#,
            r#"{"Effect":"Deny","Principal":"*","NotAction":["b","a","b"],"NotResource":"*"},"#,
            r#"{"Effect":"Allow","Action":"x","Resource":"*"}]}"#
        )
    );
}

#[test]
fn canonical_json_errors() {
    let error = |s: &str| canonical_json(s).unwrap_err().to_string();
    assert_eq!(
        error(""),
        "policy is not valid JSON: EOF while parsing a value at line 1 column 0"
    );
    assert_eq!(
        error("nope"),
        "policy is not valid JSON: expected ident at line 1 column 2"
    );
    assert_eq!(
        error("{\n,}"),
        "policy is not valid JSON: key must be a string at line 2 column 1"
    );
    assert_eq!(error("[1]"), "policy is not a JSON object");
    assert_eq!(
        error(r#"{"Version":"2012-10-17"}"#),
        "policy has no `Statement`"
    );
    assert_eq!(
        error(r#"{"Statement":"x"}"#),
        "policy `Statement` must be an object or an array of objects"
    );
    assert_eq!(
        error(r#"{"Statement":[{},"x"]}"#),
        "policy statement 2 is not a JSON object"
    );
    assert!(error(r#"{"Statement":[}"#).starts_with("policy is not valid JSON: "));
}

#[test]
fn canonical_json_is_idempotent_on_nested_single_lists() {
    // Found by tests/fuzz.rs: collapsing top-down left `["x"]` behind.
    let source = r#"{"Statement":[{"Effect":"Allow","X":[[["x"]]],"Y":[[1.1]]}]}"#;
    let canonical = canonical_json(source).unwrap();
    assert_eq!(
        canonical,
        r#"{"Statement":[{"Effect":"Allow","X":"x","Y":[[1.1]]}]}"#
    );
    assert_eq!(canonical_json(&canonical).unwrap(), canonical);
    // Floats keep every digit (serde_json's `float_roundtrip`).
    let float = r#"{"Statement":[{"Effect":"Allow","N":4.2066275042656156e-61}]}"#;
    let once = canonical_json(float).unwrap();
    assert_eq!(canonical_json(&once).unwrap(), once);
}

#[test]
fn equivalent_ignores_what_iam_rewrites() {
    // Statement order, action order, string vs one-element list, key order.
    let rewritten = r#"{"Statement":[
        {"Resource":"arn:aws:iam::123456789012:role/kubernetes-*","Action":["iam:GetRole"],"Effect":"Allow","Sid":"B"},
        {"Effect":"Allow","Sid":"A","Resource":["*"],"Action":["ec2:DescribeRegions","ec2:DescribeInstances"]}
    ],"Version":"2012-10-17"}"#;
    assert_equivalent(TWO_STATEMENTS, rewritten);
    assert_equivalent(TWO_STATEMENTS, &url_encoded(rewritten));
    assert_equivalent(&url_encoded(TWO_STATEMENTS), &url_encoded(rewritten));

    // Reordered condition keys and operators; condition keys in another case;
    // a single statement object instead of an array.
    let trust_rewritten = r#"{"Version":"2012-10-17","Statement":{
        "Condition":{"StringEquals":{
            "OIDC.EKS.US-EAST-1.AMAZONAWS.COM/id/abc:aud":["sts.amazonaws.com"],
            "oidc.eks.us-east-1.amazonaws.com/id/ABC:sub":"system:serviceaccount:ns:sa"}},
        "Action":["sts:AssumeRoleWithWebIdentity"],
        "Principal":{"Federated":["arn:aws:iam::123456789012:oidc-provider/oidc.eks.us-east-1.amazonaws.com/id/ABC"]},
        "Effect":"Allow"}}"#;
    assert_equivalent(TRUST, trust_rewritten);
    assert_equivalent(TRUST, &canonical_json(TRUST).unwrap());

    // Duplicates do not change the meaning; booleans compare as their text.
    assert_equivalent(
        r#"{"Statement":[{"Effect":"Allow","Action":["a","b","a"],"Resource":"*","Condition":{"Bool":{"aws:SecureTransport":true}}}]}"#,
        r#"{"Statement":[{"Effect":"Allow","Action":["b","a"],"Resource":"*","Condition":{"Bool":{"aws:securetransport":"true"}}}]}"#,
    );
}

#[test]
fn equivalent_sees_real_differences() {
    let two = TWO_STATEMENTS;
    let changed = [
        // an action
        two.replace("ec2:DescribeRegions", "ec2:DescribeVpcs"),
        // an action removed
        two.replace(r#", "ec2:DescribeRegions""#, ""),
        // the effect
        two.replacen("Allow", "Deny", 1),
        // a resource
        two.replace("kubernetes-*", "*"),
        // a statement dropped
        r#"{"Version": "2012-10-17", "Statement": [
            {"Sid": "A", "Effect": "Allow", "Action": ["ec2:DescribeInstances", "ec2:DescribeRegions"], "Resource": "*"}
        ]}"#
        .to_string(),
        // the version
        two.replace("2012-10-17", "2008-10-17"),
        // Action is not NotAction
        two.replace("\"Action\": \"iam:GetRole\"", "\"NotAction\": \"iam:GetRole\""),
        // action names are case-sensitive here
        two.replace("iam:GetRole", "iam:getrole"),
    ];
    for other in &changed {
        assert_ne!(other, two);
        assert!(canonical_json(other).is_ok(), "{other}");
        assert_not_equivalent(two, other);
    }

    let trust_changed = [
        TRUST.replace("system:serviceaccount:ns:sa", "system:serviceaccount:ns:*"),
        TRUST.replace("\"sts.amazonaws.com\"", "\"sts.amazonaws.com.cn\""),
        TRUST.replace("StringEquals", "StringLike"),
        TRUST.replace("123456789012:oidc", "210987654321:oidc"),
        TRUST.replace("\"Federated\"", "\"AWS\""),
        TRUST.replace(":aud", ":amr"),
    ];
    for other in &trust_changed {
        assert_ne!(other, TRUST);
        assert_not_equivalent(TRUST, other);
    }
}

#[test]
fn unparseable_is_never_equivalent() {
    assert!(!equivalent("", ""));
    assert!(!equivalent("{", "{"));
    assert!(!equivalent("{}", "{}"));
    assert!(!equivalent("%7B", TRUST));
    assert!(!equivalent(TRUST, "not json"));
}

#[test]
fn builder_matches_canonical_json() {
    let document = Document::new([
        Statement::allow()
            .sid("Trust")
            .principal(Principal::Service(vec!["ssm.amazonaws.com".into()]))
            .action("sts:AssumeRole"),
        Statement::deny()
            .actions(["s3:DeleteObject", "s3:PutObject"])
            .resources(["arn:aws:s3:::b/*", "arn:aws:s3:::b"])
            .condition("StringNotEquals", "aws:PrincipalTag/team", "a")
            .condition("StringNotEquals", "aws:PrincipalTag/team", "b")
            .condition("Bool", "aws:SecureTransport", "false"),
    ]);
    let json = document.to_canonical_json();
    assert_eq!(
        json,
        concat!(
            r#"{"Version":"2012-10-17","Statement":["#,
            r#"{"Sid":"Trust","Effect":"Allow","Principal":{"Service":"ssm.amazonaws.com"},"Action":"sts:AssumeRole"},"#,
            r#"{"Effect":"Deny","Action":["s3:DeleteObject","s3:PutObject"],"Resource":["arn:aws:s3:::b/*","arn:aws:s3:::b"],"#,
            r#""Condition":{"Bool":{"aws:SecureTransport":"false"},"StringNotEquals":{"aws:PrincipalTag/team":["a","b"]}}}]}"#
        )
    );
    assert_eq!(canonical_json(&json).unwrap(), json);
}

#[test]
fn builder_principals() {
    let json = |p: Principal| {
        Document::new([Statement::allow().principal(p).action("sts:AssumeRole")])
            .to_canonical_json()
    };
    assert!(
        json(Principal::service("ec2.amazonaws.com"))
            .contains(r#""Principal":{"Service":"ec2.amazonaws.com"}"#)
    );
    assert!(
        json(Principal::federated(
            "arn:aws:iam::123456789012:saml-provider/x"
        ))
        .contains(r#""Principal":{"Federated":"arn:aws:iam::123456789012:saml-provider/x"}"#)
    );
    assert!(
        json(Principal::Aws(vec![
            "arn:aws:iam::123456789012:root".into(),
            "111122223333".into()
        ]))
        .contains(r#""Principal":{"AWS":["arn:aws:iam::123456789012:root","111122223333"]}"#)
    );
    assert!(json(Principal::aws("111122223333")).contains(r#""Principal":{"AWS":"111122223333"}"#));
}

/// IAM's URL encoding of a document, as GetRole returns it.
fn url_encode(s: &str) -> String {
    percent_encoding::utf8_percent_encode(s, percent_encoding::NON_ALPHANUMERIC).to_string()
}
