use super::*;

const EKS_OIDC: &str = "arn:aws:iam::111122223333:oidc-provider/oidc.eks.us-east-1.amazonaws.com/id/EXAMPLED539D4633E53DE1B71EXAMPLE";

#[test]
fn parses_and_round_trips() {
    for text in [
        "arn:aws:iam::123456789012:role/rancher-cp",
        "arn:aws-cn:eks:cn-north-1:123456789012:cluster/x",
        "arn:aws-us-gov:s3:::bucket/key:with:colons",
        "arn:aws:iam::123456789012:oidc-provider/oidc.eks.us-east-1.amazonaws.com/id/A",
        "arn:aws-iso:iam::123456789012:role/a",
        "arn:aws-iso-b:iam::123456789012:role/a",
    ] {
        let arn: Arn = text.parse().unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(arn.to_string(), text);
    }
    let arn: Arn = "arn:aws-us-gov:s3:::bucket/key:with:colons"
        .parse()
        .unwrap();
    assert_eq!(arn.partition, "aws-us-gov");
    assert_eq!(arn.service, "s3");
    assert_eq!(arn.region, "");
    assert_eq!(arn.account, "");
    assert_eq!(arn.resource, "bucket/key:with:colons");
}

#[test]
fn rejects_bad_shapes() {
    let cases = [
        ("arn:aws:iam::12:role/x", "account id must be 12 digits"),
        (
            "arn:aws:iam::1234567890:role/x",
            "account id must be 12 digits",
        ),
        (
            "arn:aws:iam::12345678901a:role/x",
            "account id must be 12 digits",
        ),
        // An IAM resource pattern, not an ARN.
        ("arn:aws:eks:*:*:cluster/*", "account id must be 12 digits"),
        ("arn:aws:iam::123456789012", "expected arn:<partition>"),
        ("", "expected arn:<partition>"),
        ("urn:aws:iam::123456789012:role/x", "must start with `arn:`"),
        (
            "arn:azure:iam::123456789012:role/x",
            "unknown partition `azure`",
        ),
        ("arn:aws:::123456789012:role/x", "service is empty"),
        ("arn:aws:iam::123456789012:", "resource is empty"),
    ];
    for (text, reason) in cases {
        let err = text.parse::<Arn>().expect_err(text).to_string();
        assert!(
            err.starts_with(&format!("`{text}` is not a valid ARN: ")),
            "{err}"
        );
        assert!(err.contains(reason), "{text}: {err}");
    }
    assert_eq!(
        "arn:aws:iam::12:role/x"
            .parse::<Arn>()
            .unwrap_err()
            .to_string(),
        "`arn:aws:iam::12:role/x` is not a valid ARN: account id must be 12 digits"
    );
}

#[test]
fn oidc_provider_issuer_is_extracted() {
    let oidc: OidcProviderArn = EKS_OIDC.parse().unwrap();
    assert_eq!(oidc.arn(), EKS_OIDC);
    assert_eq!(oidc.to_string(), EKS_OIDC);
    assert_eq!(oidc.partition(), "aws");
    assert_eq!(oidc.account(), "111122223333");
    assert_eq!(
        oidc.issuer(),
        "oidc.eks.us-east-1.amazonaws.com/id/EXAMPLED539D4633E53DE1B71EXAMPLE"
    );

    let gov: OidcProviderArn =
        "arn:aws-us-gov:iam::123456789012:oidc-provider/token.actions.example.com"
            .parse()
            .unwrap();
    assert_eq!(gov.partition(), "aws-us-gov");
    assert_eq!(gov.issuer(), "token.actions.example.com");
}

#[test]
fn oidc_provider_issuers_of_known_identity_providers() {
    for issuer in [
        "oidc.eks.us-east-1.amazonaws.com/id/EXAMPLED539D4633E53DE1B71EXAMPLE",
        "oidc.eks.cn-north-1.amazonaws.com.cn/id/ABC",
        "token.actions.githubusercontent.com",
        "gitlab.com",
        "app.terraform.io",
        "accounts.google.com",
        "cognito-idp.us-east-1.amazonaws.com/us-east-1_AbCdEf123",
        "login.microsoftonline.com/11111111-2222-3333-4444-555555555555/v2.0",
        "dev-123456.okta.com/oauth2/default",
        "keycloak.example.com/realms/platform_team",
        "s3.amazonaws.com/my-irsa-bucket~1",
    ] {
        let arn = format!("arn:aws:iam::123456789012:oidc-provider/{issuer}");
        let parsed: OidcProviderArn = arn.parse().unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(parsed.issuer(), issuer);
    }
    let longest = format!("{}com", "a.".repeat(122));
    assert_eq!(longest.len(), MAX_ISSUER_LEN);
    assert!(OidcProviderArn::for_issuer("aws", "123456789012", &longest).is_ok());
    let too_long = format!("{longest}/xy");
    let err = OidcProviderArn::for_issuer("aws", "123456789012", &too_long).unwrap_err();
    assert!(err.to_string().contains("at most 247"), "{err}");
}

#[test]
fn oidc_provider_for_issuer_url() {
    let oidc = OidcProviderArn::for_issuer(
        "aws-cn",
        "123456789012",
        "https://oidc.eks.cn-north-1.amazonaws.com.cn/id/ABC/",
    )
    .unwrap();
    assert_eq!(
        oidc.arn(),
        "arn:aws-cn:iam::123456789012:oidc-provider/oidc.eks.cn-north-1.amazonaws.com.cn/id/ABC"
    );
    assert_eq!(oidc.issuer(), "oidc.eks.cn-north-1.amazonaws.com.cn/id/ABC");
    assert!(OidcProviderArn::for_issuer("aws", "", "https://x").is_err());
}

#[test]
fn oidc_provider_errors_say_what_is_wrong() {
    let role = "arn:aws:iam::123456789012:role/x";
    assert_eq!(
        role.parse::<OidcProviderArn>().unwrap_err().to_string(),
        format!(
            "`{role}` is an IAM role ARN, expected an OIDC provider ARN \
             (arn:<partition>:iam::<account>:oidc-provider/<issuer host>)"
        )
    );
    let cases = [
        (
            "arn:aws:eks:us-east-1:123456789012:cluster/x",
            "an ARN of service `eks`",
        ),
        (
            "arn:aws:iam::123456789012:saml-provider/x",
            "a SAML provider ARN",
        ),
        ("arn:aws:iam::123456789012:user/x", "an IAM user ARN"),
        (
            "arn:aws:iam:us-east-1:123456789012:oidc-provider/x",
            "no region",
        ),
        ("arn:aws:iam:::oidc-provider/x", "12-digit account id"),
        ("arn:aws:iam::123456789012:oidc-provider/", "issuer host"),
        ("arn:aws:iam::123456789012:oidc-provider/x/", "issuer host"),
        (
            "arn:aws:iam::123456789012:oidc-provider/https://x",
            "scheme",
        ),
        ("oidc.eks.us-east-1.amazonaws.com/id/X", "not a valid ARN"),
        // What would change the meaning of `<issuer>:sub` in a trust policy.
        ("arn:aws:iam::123456789012:oidc-provider/*", "DNS name"),
        (
            "arn:aws:iam::123456789012:oidc-provider/oidc.eks.*.amazonaws.com",
            "DNS name",
        ),
        (
            "arn:aws:iam::123456789012:oidc-provider/x.com/id/*",
            "only letters",
        ),
        (
            "arn:aws:iam::123456789012:oidc-provider/x.com/${aws:username}",
            "only letters",
        ),
        (
            "arn:aws:iam::123456789012:oidc-provider/x.com/a\"b",
            "only letters",
        ),
        (
            "arn:aws:iam::123456789012:oidc-provider/x.com/{id}",
            "only letters",
        ),
        (
            "arn:aws:iam::123456789012:oidc-provider/x.com:443",
            "without a port",
        ),
        (
            "arn:aws:iam::123456789012:oidc-provider/user@x.com",
            "DNS name",
        ),
        ("arn:aws:iam::123456789012:oidc-provider/x..com", "DNS name"),
        ("arn:aws:iam::123456789012:oidc-provider/-x.com", "DNS name"),
        (
            "arn:aws:iam::123456789012:oidc-provider/x.com/a b",
            "only letters",
        ),
        (
            "arn:aws:iam::123456789012:oidc-provider/x.com//id",
            "single slashes",
        ),
        (
            "arn:aws:iam::123456789012:oidc-provider/x.com/../y",
            "single slashes",
        ),
        (
            "arn:aws:iam::123456789012:oidc-provider/x.com?a=b",
            "DNS name",
        ),
    ];
    for (text, reason) in cases {
        let err = text.parse::<OidcProviderArn>().expect_err(text).to_string();
        assert!(err.contains(reason), "{text}: {err}");
    }
}

#[test]
fn partitions_for_regions() {
    assert_eq!(partition_for_region("us-east-1"), "aws");
    assert_eq!(partition_for_region("eu-central-1"), "aws");
    assert_eq!(partition_for_region("cn-north-1"), "aws-cn");
    assert_eq!(partition_for_region("cn-northwest-1"), "aws-cn");
    assert_eq!(partition_for_region("us-gov-west-1"), "aws-us-gov");
    assert_eq!(partition_for_region("us-iso-east-1"), "aws-iso");
    assert_eq!(partition_for_region("us-isob-east-1"), "aws-iso-b");
    for region in [
        "us-east-1",
        "cn-north-1",
        "us-gov-west-1",
        "us-iso-east-1",
        "us-isob-east-1",
    ] {
        assert!(PARTITIONS.contains(&partition_for_region(region)));
    }
}

#[test]
fn account_ids() {
    assert!(is_account_id("123456789012"));
    assert!(is_account_id("000000000000"));
    let managed: Arn = "arn:aws:iam::aws:policy/PowerUserAccess".parse().unwrap();
    assert_eq!(managed.account, "aws");
    assert!("arn:aws:s3::aws:bucket".parse::<Arn>().is_err());
    assert!(!is_account_id("12345678901"));
    assert!(!is_account_id("1234567890123"));
    assert!(!is_account_id("12345678901x"));
    assert!(!is_account_id("１２３４５６７８９０１２"));
    assert!(!is_account_id(""));
}

#[test]
fn principal_arns_are_users_roles_or_accounts() {
    for ok in [
        "arn:aws:iam::111111111111:root",
        "arn:aws:iam::111111111111:user/kubermatic",
        "arn:aws-cn:iam::111111111111:user/ops/kubermatic",
        "arn:aws:iam::111111111111:role/My_AWS_ROLE",
    ] {
        assert!(check_principal_arn(ok).is_ok(), "{ok}");
    }
    for bad in [
        "111111111111",
        "arn:aws:iam::111111111111:policy/x",
        "arn:aws:sts::111111111111:assumed-role/r/s",
        "arn:aws:iam::111111111111:user/",
        "arn:aws:iam::aws:root",
        "arn:aws:iam:us-east-1:111111111111:root",
        "arn:aws:iam::111111111111:group/admins",
    ] {
        let error = check_principal_arn(bad).unwrap_err();
        assert!(error.contains("an IAM user"), "{bad}: {error}");
    }
    assert_eq!(
        aws_managed_policy("aws-cn", "AWSMarketplaceMeteringFullAccess"),
        "arn:aws-cn:iam::aws:policy/AWSMarketplaceMeteringFullAccess"
    );
}

#[test]
fn role_arns_follow_iams_character_rules() {
    for ok in [
        "arn:aws:iam::111122223333:role/torque",
        "arn:aws-cn:iam::111122223333:role/a/b/c+=,.@_-d",
        "arn:aws:iam::111122223333:role/p:a#t\"h'/x",
        &format!("arn:aws:iam::111122223333:role/{}", "n".repeat(64)),
    ] {
        assert_eq!(check_role_arn(ok), Ok(()), "{ok}");
    }
    for bad in [
        "arn:aws:iam::111122223333:role/x\n---\nkind: ClusterRoleBinding",
        "arn:aws:iam::111122223333:role/x y",
        "arn:aws:iam::111122223333:role/a b/x",
        "arn:aws:iam::111122223333:role/x\u{85}",
        "arn:aws:iam::111122223333:role/é",
        "arn:aws:iam::111122223333:role/",
        "arn:aws:iam::111122223333:role//x",
        "arn:aws:iam::111122223333:rolex",
        "arn:aws:iam::111122223333:policy/x",
        "arn:aws:iam:us-east-1:111122223333:role/x",
        "terraform\n---",
        "arn:aws:iam::aws:role/x",
        "arn:aws:sts::111122223333:role/x",
        &format!("arn:aws:iam::111122223333:role/{}", "n".repeat(65)),
    ] {
        let error = check_role_arn(bad).unwrap_err();
        assert!(
            error.contains("is not an IAM role ARN") || error.contains("is not a valid ARN"),
            "{bad}: {error}"
        );
        assert!(
            !error.contains('\n'),
            "the error repeats no newline: {error}"
        );
    }
}
