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
        "004" => vec![
            render(Preset::EksConnectorAgentTrust, args),
            render(Preset::EksConnectorAgent, args),
        ],
        _ => unreachable!(),
    }
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
            "shared/seeds/current/{other} has no preset: add the document to policy/documents/ \
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
