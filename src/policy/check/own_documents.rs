//! Our own documents against our own checks: every document a platform
//! publishes (the seeds and `shared/seeds/current/`, as printed) and every
//! one the provider renders from them, in every partition, must pass IAM's
//! grammar and name only what the catalogue knows.
//!
//! A platform may document an action the catalogue does not know (newer
//! than the catalogue, or misspelt by the platform). Such an action belongs
//! in [`NOT_IN_CATALOGUE`], and the resource's description says so; the
//! provider renders the published document regardless, because the checks
//! run only on policies users write.

use super::{Kind, Problem, check};
use crate::policy::published::{ALL, KKP_ACCOUNT};
use crate::policy::test_seeds::{ACCOUNT, current_documents, oidc, seed_policies};
use crate::policy::trusts::{
    cross_account_trust, ec2_trust, eks_connector_agent_trust, irsa_trust,
    rancher_billing_adapter_trust, rancher_csp_adapter_trust,
};

/// The published documents' actions the catalogue does not know, as
/// `(document, action)`. None today.
const NOT_IN_CATALOGUE: &[(&str, &str)] = &[];

const PARTITIONS: [&str; 3] = ["aws", "aws-cn", "aws-us-gov"];

/// A document's problems, each as `<document>: <problem>`.
fn problems_of(name: &str, json: &str, kind: Kind) -> Vec<String> {
    check(json, kind)
        .iter()
        .map(|p: &Problem| format!("{name}: {p}"))
        .collect()
}

fn kind_of(json: &str) -> Kind {
    if json.contains("\"Principal\"") {
        Kind::Trust
    } else {
        Kind::Inline
    }
}

#[test]
fn published_and_rendered_documents_pass_their_own_checks() {
    let mut found = Vec::new();
    let mut checked = 0;
    for number in ["000", "001", "002", "003", "004"] {
        for (i, json) in seed_policies(number).iter().enumerate() {
            found.extend(problems_of(
                &format!("seed {number} document {i}"),
                json,
                kind_of(json),
            ));
            checked += 1;
        }
    }
    for (name, json) in current_documents() {
        found.extend(problems_of(&name, &json, Kind::Managed));
        checked += 1;
    }
    for partition in PARTITIONS {
        for published in ALL {
            let kind = if KKP_ACCOUNT.contains(published) {
                Kind::Managed
            } else {
                Kind::Inline
            };
            let json = published.render(partition, ACCOUNT).to_canonical_json();
            found.extend(problems_of(
                &format!("{} ({partition})", published.title),
                &json,
                kind,
            ));
            checked += 1;
        }
        let oidc = oidc(partition);
        let master = format!("arn:{partition}:iam::111111111111:role/master");
        for (name, trust) in [
            ("ec2 trust", ec2_trust()),
            ("EKS Connector trust", eks_connector_agent_trust()),
            ("CSP adapter trust", rancher_csp_adapter_trust(&oidc)),
            (
                "billing adapter trust",
                rancher_billing_adapter_trust(&oidc),
            ),
            ("IRSA trust", irsa_trust(&oidc, "torque", "runner")),
            ("cross-account trust", cross_account_trust(&master, None)),
            (
                "cross-account trust with an external id",
                cross_account_trust(&master, Some("torque-1")),
            ),
        ] {
            found.extend(problems_of(
                &format!("{name} ({partition})"),
                &trust.to_canonical_json(),
                Kind::Trust,
            ));
            checked += 1;
        }
    }
    assert!(checked > 30, "only {checked} documents were checked");
    // Only unknown actions may be listed; everything else is a bug in a document.
    let expected: Vec<String> = NOT_IN_CATALOGUE
        .iter()
        .map(|(document, action)| format!("{document}: {action}"))
        .collect();
    let unexpected: Vec<&String> = found
        .iter()
        .filter(|p| {
            !expected.iter().any(|e| {
                let (document, action) = e.split_once(": ").unwrap();
                p.starts_with(document) && p.contains(&format!("`{action}`"))
            })
        })
        .collect();
    assert!(
        unexpected.is_empty(),
        "documents the provider serves fail its own policy checks; list a published action the \
         catalogue lacks in NOT_IN_CATALOGUE and say so in the resource's description:\n{}",
        unexpected
            .iter()
            .map(|p| p.as_str())
            .collect::<Vec<_>>()
            .join("\n")
    );
}
