use super::*;
use crate::policy::Version;
use crate::policy::document::equivalent;
use crate::policy::published::kkp::parse_kkp_version;
use crate::policy::test_seeds::{ACCOUNT, OIDC_ID, REGION, oidc, seed_policies, seed_text};

#[test]
fn irsa_trust_is_exact() {
    let trust = irsa_trust(&oidc("aws"), "torque", "runner").to_canonical_json();
    let issuer = format!("oidc.eks.{REGION}.amazonaws.com/id/{OIDC_ID}");
    assert_eq!(
        trust,
        format!(
            concat!(
                r#"{{"Version":"2012-10-17","Statement":[{{"Effect":"Allow","#,
                r#""Principal":{{"Federated":"arn:aws:iam::{account}:oidc-provider/{issuer}"}},"#,
                r#""Action":"sts:AssumeRoleWithWebIdentity","#,
                r#""Condition":{{"StringEquals":{{"{issuer}:aud":"sts.amazonaws.com","#,
                r#""{issuer}:sub":"system:serviceaccount:torque:runner"}}}}}}]}}"#
            ),
            account = ACCOUNT,
            issuer = issuer
        )
    );
    // The seed 000 trust is irsa_trust for the CSP adapter's service account.
    let seed = &seed_policies("000")[0];
    assert!(equivalent(
        &irsa_trust(
            &oidc("aws"),
            CSP_ADAPTER_NAMESPACE,
            CSP_ADAPTER_SERVICE_ACCOUNT
        )
        .to_canonical_json(),
        seed
    ));
    assert!(!equivalent(&trust, seed));
}

#[test]
fn seed_003_oidc_provider_arn_parses() {
    // Seed 003 prints the provider ARN as `list-open-id-connect-providers` shows it.
    let text = seed_text("003");
    let arn = text
        .lines()
        .find_map(|line| line.trim().strip_prefix("\"Arn\": \""))
        .and_then(|rest| rest.strip_suffix('"'))
        .expect("seed 003 prints an OIDC provider ARN");
    let oidc: OidcProviderArn = arn.parse().unwrap();
    assert_eq!(
        oidc.issuer(),
        "oidc.eks.region-code.amazonaws.com/id/EXAMPLED539D4633E53DE1B71EXAMPLE"
    );
    assert_eq!(oidc.account(), "111122223333");
}

#[test]
fn preset_names_round_trip() {
    assert_eq!(Preset::ALL.len(), 13);
    for preset in Preset::ALL {
        assert_eq!(preset.name().parse::<Preset>(), Ok(*preset));
        assert_eq!(preset.to_string(), preset.name());
        assert!(preset.description().ends_with('.'), "{preset}");
        for parameter in preset.parameters() {
            assert!(PARAMETERS.contains(parameter), "{preset}: {parameter}");
        }
        for parameter in preset.required_parameters() {
            assert!(
                preset.parameters().contains(parameter),
                "{preset}: {parameter}"
            );
        }
    }
    let error = "master".parse::<Preset>().unwrap_err().to_string();
    assert!(
        error.starts_with("`master` is not a known preset; expected one of rancher_controlplane, "),
        "{error}"
    );
}

#[test]
fn preset_build_checks_parameters() {
    let oidc = oidc("aws");
    let full = PresetArgs {
        partition: "aws",
        account_id: Some(ACCOUNT),
        oidc_provider_arn: Some(&oidc),
        namespace: Some("ns"),
        service_account: Some("sa"),
        master_role_arn: Some("arn:aws:iam::111111111111:role/master"),
        kkp_principal_arn: Some("arn:aws:iam::111111111111:user/kubermatic"),
        ..PresetArgs::new("aws")
    };
    // `provider_permissions` is rendered above policy/ (the data source).
    for preset in Preset::ALL
        .iter()
        .filter(|p| **p != Preset::ProviderPermissions)
    {
        assert!(preset.build(&full).is_ok(), "{preset}");
        let bare = preset.build(&PresetArgs::new("aws"));
        assert_eq!(
            bare.is_ok(),
            preset.required_parameters().is_empty(),
            "{preset}"
        );
    }
    assert_eq!(
        Preset::RancherNodeTrust.build(&full).unwrap().document,
        ec2_trust()
    );
    let error = Preset::IrsaTrust
        .build(&PresetArgs {
            namespace: Some(""),
            ..full
        })
        .unwrap_err();
    assert_eq!(error.to_string(), "preset `irsa_trust` needs `namespace`");
    assert_eq!(error.parameter, Some("namespace"));
    assert_eq!(
        Preset::KkpAccount
            .build(&PresetArgs {
                account_id: Some("12"),
                ..full
            })
            .unwrap_err()
            .to_string(),
        "`account_id` must be 12 digits; got `12`"
    );
    let china = Preset::KkpAccount
        .build(&PresetArgs {
            partition: "aws-cn",
            kkp_version: Some(Version::new(2, 22)),
            ..full
        })
        .unwrap();
    assert_eq!(
        china.document,
        published::KKP_2_22_AND_EARLIER.render("aws-cn", ACCOUNT)
    );
    assert_eq!(china.source, published::KKP_2_22_AND_EARLIER.source);
}

#[test]
fn presets_know_their_sources() {
    let source = |preset: Preset, args: PresetArgs<'_>| preset.build(&args).unwrap().source;
    let args = PresetArgs {
        account_id: Some(ACCOUNT),
        ..PresetArgs::new("aws")
    };
    assert_eq!(
        source(Preset::KkpAccount, args).version_range(),
        "KKP 2.23 and later"
    );
    assert_eq!(source(Preset::RancherControlplane, args), RANCHER_NODE_PAGE);
    let out_of_tree = PresetArgs {
        cloud_provider: Some(CloudProvider::OutOfTree),
        ..args
    };
    assert_eq!(
        source(Preset::RancherControlplane, out_of_tree).page,
        "kubernetes/cloud-provider-aws, docs/prerequisites.md, \"Control Plane Policy\""
    );
    assert_eq!(
        source(Preset::EksConnectorAgentTrust, args),
        EKS_CONNECTOR_ROLE_PAGE
    );
    assert_eq!(
        source(
            Preset::RancherControlplane,
            PresetArgs {
                extra_controller_actions: true,
                ..out_of_tree
            }
        )
        .page,
        "kubernetes/cloud-provider-aws at 63ec440, pkg/providers/v1/"
    );
}

#[test]
fn bad_versions_and_cloud_providers_name_the_attribute() {
    assert_eq!(parse_kkp_version("2.28"), Ok(Version::new(2, 28)));
    assert_eq!(
        parse_kkp_version("latest").unwrap_err(),
        "`kkp_version` must be a KKP version written MAJOR.MINOR, such as `2.28`; got `latest`"
    );
    assert_eq!(parse_kkp_version("2.0"), Ok(Version::new(2, 0)));
    assert_eq!(parse_kkp_version("3.10"), Ok(Version::new(3, 10)));
    assert!(
        parse_kkp_version("1.5")
            .unwrap_err()
            .contains("2.0 or later")
    );
    assert!(
        parse_kkp_version("02.28")
            .unwrap_err()
            .contains("without leading zeros")
    );
    assert!(parse_kkp_version("2.08").is_err());
    assert_eq!(
        parse_cloud_provider("out-of-tree"),
        Ok(CloudProvider::OutOfTree)
    );
    assert_eq!(
        parse_cloud_provider("external").unwrap_err(),
        "`cloud_provider` must be one of in-tree, out-of-tree; got `external`"
    );
}

#[test]
fn parameters_are_checked_in_one_place() {
    assert!(check_parameter("account_id", ACCOUNT).is_ok());
    assert!(check_parameter("oidc_provider_arn", oidc("aws").arn()).is_ok());
    assert!(check_parameter("kkp_version", "2.28").is_ok());
    for (parameter, bad, start) in [
        ("account_id", "12", "`account_id` must be 12 digits"),
        (
            "oidc_provider_arn",
            "arn:aws:iam::111122223333:role/x",
            "`arn:aws:iam",
        ),
        ("namespace", "A", "`namespace` must be"),
        ("service_account", "A", "`service_account` must be"),
        ("kkp_version", "2", "`kkp_version` must be"),
        ("cloud_provider", "x", "`cloud_provider` must be"),
        (
            "master_role_arn",
            "arn:aws:iam::111111111111:user/x",
            "`master_role_arn`: `arn:aws:iam::111111111111:user/x` is not an IAM role ARN",
        ),
        (
            "kkp_principal_arn",
            "111111111111",
            "`kkp_principal_arn`: `111111111111` is not a valid ARN",
        ),
        ("external_id", "x", "`external_id` must be 2 to 1224"),
        (
            "extra_controller_actions",
            "yes",
            "`extra_controller_actions` must be `true` or `false`",
        ),
        ("region", "x", "`region` is not a preset parameter"),
    ] {
        let error = check_parameter(parameter, bad).unwrap_err();
        assert!(error.starts_with(start), "{error}");
    }
}

#[test]
fn ec2_trust_shape() {
    assert_eq!(
        ec2_trust().to_canonical_json(),
        r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"ec2.amazonaws.com"},"Action":"sts:AssumeRole"}]}"#
    );
}

#[test]
fn cross_account_trusts_take_an_optional_external_id() {
    let args = PresetArgs {
        master_role_arn: Some("arn:aws:iam::111111111111:role/My_AWS_ROLE"),
        kkp_principal_arn: Some("arn:aws:iam::111111111111:root"),
        ..PresetArgs::new("aws")
    };
    let render = |preset: Preset, args| preset.build(&args).unwrap().document;
    assert_eq!(
        render(Preset::TorqueTargetTrust, args),
        cross_account_trust("arn:aws:iam::111111111111:role/My_AWS_ROLE", None)
    );
    let with_id = PresetArgs {
        external_id: Some("id-1"),
        ..args
    };
    assert_eq!(
        render(Preset::KkpAssumeRoleTrust, with_id),
        cross_account_trust("arn:aws:iam::111111111111:root", Some("id-1"))
    );
    assert_eq!(
        Preset::TorqueTargetTrust
            .build(&PresetArgs::new("aws"))
            .unwrap_err()
            .to_string(),
        "preset `torque_target_trust` needs `master_role_arn`"
    );
}

#[test]
fn extra_controller_actions_need_the_out_of_tree_controller() {
    let extra = PresetArgs {
        extra_controller_actions: true,
        ..PresetArgs::new("aws")
    };
    let error = Preset::RancherControlplane.build(&extra).unwrap_err();
    assert_eq!(error.parameter, Some("extra_controller_actions"));
    let out_of_tree = PresetArgs {
        cloud_provider: Some(CloudProvider::OutOfTree),
        ..extra
    };
    let document = Preset::RancherControlplane
        .build(&out_of_tree)
        .unwrap()
        .document;
    assert_eq!(
        document,
        published::rancher_node_policy(
            CloudProvider::OutOfTree,
            NodeRole::Controlplane,
            true,
            "aws"
        )
    );
    assert_eq!(document.statements.len(), 2);
}
