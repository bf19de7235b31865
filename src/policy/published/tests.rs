//! The documents against what the platforms publish: every seed document and
//! every file in `shared/seeds/current/` must equal the preset that renders
//! it, so a preset that drifts from its source fails here.

use super::*;
use crate::policy::document::{canonical_json, equivalent};
use crate::policy::presets::{Preset, PresetArgs};
use crate::policy::test_seeds::{ACCOUNT, current_documents, oidc, seed_policies};

fn render(preset: Preset, args: PresetArgs<'_>) -> String {
    preset.build(&args).unwrap().document.to_canonical_json()
}

/// The presets each seed's documents must equal, in the seed's order.
fn expected_for_seed(number: &str, partition: &str) -> Vec<String> {
    let oidc = oidc(partition);
    let args = PresetArgs {
        account_id: Some(ACCOUNT),
        oidc_provider_arn: Some(&oidc),
        ..PresetArgs::new(partition)
    };
    let in_tree = PresetArgs {
        cloud_provider: Some(CloudProvider::InTree),
        ..args
    };
    let kkp_2_22 = PresetArgs {
        kkp_version: Some(Version::new(2, 22)),
        ..args
    };
    match number {
        "000" => vec![
            render(Preset::RancherCspAdapterTrust, args),
            render(Preset::RancherCspAdapter, args),
        ],
        "001" => vec![
            render(Preset::RancherControlplane, in_tree),
            render(Preset::RancherEtcdWorker, in_tree),
        ],
        "002" => vec![render(Preset::KkpAccount, kkp_2_22)],
        "003" => vec![],
        // The trust as seed 004 prints it, `Sid` and all; today's page
        // leaves the `Sid` out (see `documents_beyond_the_seeds`).
        "004" => vec![
            with_sid(&render(Preset::EksConnectorAgentTrust, args), "SSMAccess"),
            render(Preset::EksConnectorAgent, args),
        ],
        _ => unreachable!(),
    }
}

/// A one-statement document with `sid` as its statement's `Sid`.
fn with_sid(document: &str, sid: &str) -> String {
    let mut value: serde_json::Value = serde_json::from_str(document).unwrap();
    let statement = value["Statement"][0].as_object_mut().unwrap();
    let mut with = serde_json::Map::from_iter([("Sid".to_string(), sid.into())]);
    with.extend(std::mem::take(statement));
    *statement = with;
    value.to_string()
}

/// The presets today's documents must equal, by file name. A new file in
/// `shared/seeds/current/` without an entry here fails the test.
fn expected_for_current(file: &str, partition: &str) -> Vec<String> {
    let args = PresetArgs {
        account_id: Some(ACCOUNT),
        ..PresetArgs::new(partition)
    };
    let out_of_tree = PresetArgs {
        cloud_provider: Some(CloudProvider::OutOfTree),
        ..args
    };
    match file {
        // Unset, 2.23 and a later version all render it.
        "kkp-2.23-and-later.json" => vec![
            render(Preset::KkpAccount, args),
            render(
                Preset::KkpAccount,
                PresetArgs {
                    kkp_version: Some(Version::new(2, 23)),
                    ..args
                },
            ),
            render(
                Preset::KkpAccount,
                PresetArgs {
                    kkp_version: Some(Version::new(2, 31)),
                    ..args
                },
            ),
        ],
        "cloud-provider-aws-control-plane.json" => {
            vec![render(Preset::RancherControlplane, out_of_tree)]
        }
        "cloud-provider-aws-node.json" => vec![render(Preset::RancherEtcdWorker, out_of_tree)],
        other => panic!(
            "shared/seeds/current/{other} has no preset: add the document to policy/published/ \
             and a line here"
        ),
    }
}

/// Equal in meaning, and in the canonical form that keeps the source's
/// order, so the stored policy reads like the page.
#[track_caller]
fn assert_same(preset: &str, published: &str, what: &str) {
    assert!(
        equivalent(preset, published),
        "{what}:\n{preset}\n{published}"
    );
    assert_eq!(canonical_json(published).unwrap(), preset, "{what}");
}

#[test]
fn presets_equal_the_seed_documents() {
    for number in ["000", "001", "002", "003", "004"] {
        let seeds = seed_policies(number);
        let presets = expected_for_seed(number, "aws");
        assert_eq!(
            seeds.len(),
            presets.len(),
            "policy documents in seed {number}"
        );
        for (seed, preset) in seeds.iter().zip(&presets) {
            assert_same(preset, seed, &format!("seed {number}"));
        }
    }
}

#[test]
fn presets_equal_todays_documents() {
    let current = current_documents();
    assert_eq!(current.len(), 3, "{current:?}");
    for (file, published) in &current {
        for preset in expected_for_current(file, "aws") {
            assert_same(&preset, published, file);
        }
    }
}

#[test]
fn todays_documents_differ_from_the_seeds_as_their_readme_says() {
    assert_eq!(
        KKP_2_23_AND_LATER.actions_beyond(&KKP_2_22_AND_EARLIER),
        ["iam:TagInstanceProfile", "elasticloadbalancing:AddTags"]
    );
    assert!(
        KKP_2_22_AND_EARLIER
            .actions_beyond(&KKP_2_23_AND_LATER)
            .is_empty()
    );
    assert_eq!(
        CLOUD_PROVIDER_AWS_CONTROL_PLANE.actions_beyond(&RANCHER_CONTROLPLANE),
        [
            "ec2:DescribeAvailabilityZones",
            "ec2:DescribeInstanceTopology",
            "elasticloadbalancing:DeregisterTargets",
            "elasticloadbalancing:SetSecurityGroups",
        ]
    );
    assert!(
        RANCHER_CONTROLPLANE
            .actions_beyond(&CLOUD_PROVIDER_AWS_CONTROL_PLANE)
            .is_empty()
    );
    assert_eq!(
        CLOUD_PROVIDER_AWS_NODE.render_in("aws"),
        RANCHER_ETCD_WORKER.render_in("aws")
    );
}

#[test]
fn documents_use_the_callers_partition() {
    for document in ALL {
        for partition in ["aws", "aws-cn", "aws-us-gov"] {
            let json = document.render(partition, ACCOUNT).to_canonical_json();
            let foreign = ["aws", "aws-cn", "aws-us-gov"]
                .into_iter()
                .filter(|p| *p != partition)
                .map(|p| format!("\"arn:{p}:"));
            for prefix in foreign {
                assert!(!json.contains(&prefix), "{}: {json}", document.title);
            }
            assert!(
                !json.contains("${"),
                "{}: a placeholder left: {json}",
                document.title
            );
        }
    }
    let kkp = kkp_account(None)
        .render("aws-us-gov", ACCOUNT)
        .to_canonical_json();
    assert!(kkp.contains(r#""arn:aws-us-gov:iam::111122223333:role/kubernetes-*""#));
    let agent = EKS_CONNECTOR_AGENT.render_in("aws-cn").to_canonical_json();
    assert!(agent.contains(r#""arn:aws-cn:eks:*:*:cluster/*""#));
    // The partition matters: the seed read in another partition is another document.
    let seed = &seed_policies("002")[0];
    let china = KKP_2_22_AND_EARLIER
        .render("aws-cn", ACCOUNT)
        .to_canonical_json();
    assert!(!equivalent(&china, seed));
    assert!(equivalent(&china, &seed.replace("arn:aws:", "arn:aws-cn:")));
}

#[test]
fn kkp_versions_select_exactly_one_document() {
    let v = Version::new;
    assert_eq!(kkp_account(Some(v(2, 22))), &KKP_2_22_AND_EARLIER);
    assert_eq!(kkp_account(Some(v(2, 21))), &KKP_2_22_AND_EARLIER);
    assert_eq!(kkp_account(Some(v(1, 99))), &KKP_2_22_AND_EARLIER);
    assert_eq!(kkp_account(Some(v(2, 23))), &KKP_2_23_AND_LATER);
    assert_eq!(kkp_account(Some(v(2, 31))), &KKP_2_23_AND_LATER);
    assert_eq!(kkp_account(Some(v(3, 0))), &KKP_2_23_AND_LATER);
    assert_eq!(
        kkp_account(None),
        &KKP_2_23_AND_LATER,
        "unset is the current KKP"
    );
    // Every version is served by exactly one document.
    for major in 0..5 {
        for minor in 0..40 {
            let serving = KKP_ACCOUNT
                .iter()
                .filter(|d| d.source.versions.contains(v(major, minor)))
                .count();
            assert_eq!(serving, 1, "KKP {major}.{minor}");
        }
    }
}

#[test]
fn rancher_node_documents_by_cloud_provider() {
    use CloudProvider::*;
    use NodeRole::*;
    assert_eq!(rancher_node(InTree, Controlplane), &RANCHER_CONTROLPLANE);
    assert_eq!(rancher_node(InTree, Etcd), &RANCHER_ETCD_WORKER);
    assert_eq!(rancher_node(InTree, Worker), &RANCHER_ETCD_WORKER);
    assert_eq!(
        rancher_node(OutOfTree, Controlplane),
        &CLOUD_PROVIDER_AWS_CONTROL_PLANE
    );
    assert_eq!(rancher_node(OutOfTree, Worker), &CLOUD_PROVIDER_AWS_NODE);
    assert_eq!(CloudProvider::default(), InTree);
    for name in CloudProvider::NAMES {
        assert_eq!(name.parse::<CloudProvider>().unwrap().name(), *name);
    }
    for name in NodeRole::NAMES {
        assert_eq!(name.parse::<NodeRole>().unwrap().name(), *name);
    }
}

#[test]
fn versions_parse_only_major_dot_minor() {
    assert_eq!("2.28".parse(), Ok(Version::new(2, 28)));
    assert_eq!("2.022".parse(), Ok(Version::new(2, 22)));
    for bad in [
        "",
        "2",
        "2.",
        ".2",
        "v2.28",
        "2.28.1",
        "2.x",
        " 2.28",
        "-2.1",
        "2.+1",
        "1234567.0",
    ] {
        assert!(bad.parse::<Version>().is_err(), "{bad:?}");
    }
    assert_eq!(Version::new(2, 9).to_string(), "2.9");
    assert!(
        Version::new(2, 9) < Version::new(2, 10),
        "compared as numbers"
    );
}

#[test]
fn sources_say_which_versions_they_serve() {
    assert_eq!(
        KKP_2_22_AND_EARLIER.source.version_range(),
        "KKP 2.22 and earlier"
    );
    assert_eq!(
        KKP_2_23_AND_LATER.source.version_range(),
        "KKP 2.23 and later"
    );
    assert_eq!(
        CLOUD_PROVIDER_AWS_CONTROL_PLANE.source.version_range(),
        "Kubernetes 1.27 and later"
    );
    assert_eq!(EKS_CONNECTOR_AGENT.source.version_range(), "every version");
    for document in ALL {
        assert!(!document.source.platform.is_empty() && !document.source.page.is_empty());
        assert_eq!(document.needs_account(), document.title.starts_with("KKP"));
    }
}

/// `shared/seeds/beyond/`: the trusts, the managed policy and the Helm
/// values of the set-ups beyond the seeds, and the two documents that moved.
#[test]
fn documents_beyond_the_seeds() {
    use crate::arn::aws_managed_policy;
    use crate::policy::test_seeds::{beyond_json, beyond_readme};
    use crate::policy::trusts::*;

    // Rancher Prime PAYG: eksctl's trust for the billing adapter's service
    // account, the AWS-managed policy in each partition.
    let payg = beyond_json("rancher-prime-payg.json");
    assert_eq!(payg["namespace"], BILLING_ADAPTER_NAMESPACE);
    assert_eq!(payg["service_account"], BILLING_ADAPTER_SERVICE_ACCOUNT);
    assert_eq!(payg["audience"], SERVICE_ACCOUNT_AUDIENCE);
    assert_eq!(
        payg["managed_policy_arns"],
        serde_json::json!([aws_managed_policy("aws", AWS_MARKETPLACE_METERING_NAME)])
    );
    assert_eq!(
        aws_managed_policy("aws-us-gov", AWS_MARKETPLACE_METERING_NAME),
        "arn:aws-us-gov:iam::aws:policy/AWSMarketplaceMeteringFullAccess"
    );
    let keys: Vec<&String> = payg["helm_values"].as_object().unwrap().keys().collect();
    assert_eq!(keys, ["global.aws.accountNumber", "global.aws.roleName"]);
    let oidc = oidc("aws");
    let trust = render(
        Preset::RancherBillingAdapterTrust,
        PresetArgs {
            oidc_provider_arn: Some(&oidc),
            ..PresetArgs::new("aws")
        },
    );
    let issuer = oidc.issuer();
    let eksctl = format!(
        r#"{{"Version":"2012-10-17","Statement":[{{"Effect":"Allow","Principal":{{"Federated":"{}"}},"Action":"sts:AssumeRoleWithWebIdentity","Condition":{{"StringEquals":{{"{issuer}:aud":"sts.amazonaws.com","{issuer}:sub":"system:serviceaccount:cattle-csp-billing-adapter-system:rancher-csp-billing-adapter"}}}}}}]}}"#,
        oidc.arn()
    );
    assert_same(&trust, &eksctl, "billing adapter trust");
    assert_eq!(
        AWS_MARKETPLACE_METERING.render_in("aws").statements[0].actions,
        ["aws-marketplace:MeterUsage"]
    );

    // Torque's target trust: the page's example, principal and all.
    let page = beyond_json("torque-cross-account-target-trust.json").to_string();
    let trust = render(
        Preset::TorqueTargetTrust,
        PresetArgs {
            master_role_arn: Some("arn:aws:iam::111111111111:role/My_AWS_ROLE"),
            ..PresetArgs::new("aws")
        },
    );
    assert_same(&trust, &page, "Torque target trust");
    // With an external id, the usual StringEquals condition on sts:ExternalId.
    let with_id = cross_account_trust("arn:aws:iam::111111111111:role/My_AWS_ROLE", Some("x-1"));
    let expected = page.replace(
        r#""Action":"sts:AssumeRole""#,
        r#""Action":"sts:AssumeRole","Condition":{"StringEquals":{"sts:ExternalId":"x-1"}}"#,
    );
    assert!(equivalent(&with_id.to_canonical_json(), &expected));

    // The EKS Connector agent trust: today's page is seed 004's without the
    // Sid, which means the same.
    let seed = &seed_policies("004")[0];
    let current = render(Preset::EksConnectorAgentTrust, PresetArgs::new("aws"));
    assert!(!current.contains("Sid"), "{current}");
    assert!(!equivalent(&current, seed));
    assert!(crate::policy::equivalent_ignoring_sids(&current, seed));
    let mut unsid: serde_json::Value = serde_json::from_str(seed).unwrap();
    unsid["Statement"][0].as_object_mut().unwrap().remove("Sid");
    assert_same(&current, &unsid.to_string(), "EKS Connector trust today");

    // The controller's code actions: the four the README names, with their
    // files, none in the published policy, in the statement that adds them.
    let readme = beyond_readme();
    let statement = &CLOUD_PROVIDER_AWS_CODE_ACTIONS_STATEMENT.statements[0];
    assert_eq!(
        statement.actions,
        CLOUD_PROVIDER_AWS_CODE_ACTIONS
            .iter()
            .map(|a| a.action)
            .collect::<Vec<_>>()
    );
    for code in CLOUD_PROVIDER_AWS_CODE_ACTIONS {
        assert!(
            readme.contains(&format!("`{}`", code.action)),
            "{}",
            code.action
        );
        let file = code.file.rsplit('/').next().unwrap();
        assert!(readme.contains(file), "{file}");
        assert!(
            CLOUD_PROVIDER_AWS_CODE_ACTIONS_STATEMENT
                .actions_beyond(&CLOUD_PROVIDER_AWS_CONTROL_PLANE)
                .contains(&code.action),
            "{} is in the published policy",
            code.action
        );
    }
    let with_extra = rancher_node_policy(
        CloudProvider::OutOfTree,
        NodeRole::Controlplane,
        true,
        "aws",
    );
    assert_eq!(
        with_extra.statements[0],
        CLOUD_PROVIDER_AWS_CONTROL_PLANE.render_in("aws").statements[0],
        "the published document stays whole"
    );
    // The register and deregister permissions the README lists.
    for action in EKS_CONNECTOR_REGISTER_ACTIONS
        .iter()
        .chain(EKS_CONNECTOR_DEREGISTER_ACTIONS)
    {
        assert!(readme.contains(&format!("`{action}`")), "{action}");
    }
}
