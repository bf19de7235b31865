use super::*;
use crate::arn::OidcProviderArn;
use crate::policy::presets::{Preset, PresetArgs};
use crate::policy::{canonical_json, presets};

#[test]
fn thousands_groups_digits() {
    assert_eq!(thousands(0), "0");
    assert_eq!(thousands(999), "999");
    assert_eq!(thousands(2_048), "2,048");
    assert_eq!(thousands(30_412), "30,412");
    assert_eq!(thousands(1_234_567), "1,234,567");
}

#[test]
fn size_leaves_out_whitespace_and_counts_text_as_written() {
    let pretty = "{\n  \"Version\": \"2012-10-17\",\n\t\"Statement\": []\r\n}";
    let compact = r#"{"Version":"2012-10-17","Statement":[]}"#;
    assert_eq!(policy_size(pretty), compact.len());
    assert_eq!(policy_size(compact), 39);
    // Whitespace inside a value is not counted either.
    assert_eq!(
        policy_size(r#"{"Sid":"a b"}"#),
        policy_size(r#"{"Sid":"ab"}"#)
    );
    // An escape counts as the characters that spell it: IAM keeps the text.
    assert_eq!(policy_size(r#""\u003c""#), 8);
    assert_eq!(policy_size(r#""\"""#), 4);
    // A Latin-1 letter is one character (not its two UTF-8 bytes).
    assert_eq!(policy_size("\"café\""), 6);
    // Canonical JSON (what computed documents send) resolves escapes it
    // need not keep, so `\u00e9` in a user's text becomes one character there.
    let escaped = r#"{"Statement":[{"Sid":"caf\u00e9"}]}"#;
    let canonical = canonical_json(escaped).unwrap();
    assert!(canonical.contains("café"), "{canonical}");
    assert_eq!(policy_size(&canonical), policy_size(escaped) - 5);
}

#[test]
fn fixed_limits_refuse_one_over_with_size_limit_and_remedy() {
    let at = Measure::new("policy", Limit::RoleInlinePolicies, 10_240);
    assert_eq!(at.verdict(None), Verdict::Within);
    assert!(!at.needs_account_quota());
    let over = Measure::new("policy", Limit::RoleInlinePolicies, 30_412)
        .remedy("split it into managed policies and list them in `policy_arns`");
    assert!(!over.needs_account_quota(), "a fixed limit needs no quota");
    assert_eq!(
        over.verdict(None),
        Verdict::Over(
            "`policy` is 30,412 characters without whitespace; IAM allows 10,240 characters \
             for a role's inline policies together; split it into managed policies and list \
             them in `policy_arns`."
                .into()
        )
    );
    // An account quota never lifts a fixed limit.
    assert!(matches!(
        Measure::new("policy", Limit::ManagedPolicy, 6_145).verdict(Some(100_000)),
        Verdict::Over(d) if d.contains("IAM allows 6,144 characters for a managed policy")
            && d.contains("split it into several managed policies")
    ));
}

#[test]
fn tags_reserve_the_slot_of_the_ownership_mark() {
    assert_eq!(Limit::Tags.default_value(), 49);
    assert_eq!(
        Measure::new("tags", Limit::Tags, 49).verdict(None),
        Verdict::Within
    );
    let Verdict::Over(detail) = Measure::new("tags", Limit::Tags, 50).verdict(None) else {
        panic!("50 tags of the user's leave no room for the mark");
    };
    assert_eq!(
        detail,
        "`tags` merged with the provider's `default_tags` makes 50 tags; IAM allows 49 tags \
         of yours on an IAM object (its 50 less the provider's ownership mark \
         `clusteriam:created-by`); remove tags from `tags` or from the provider's \
         `default_tags`."
    );
}

#[test]
fn adjustable_limits_need_the_account_quota_only_above_the_default() {
    let trust = |n| Measure::new("assume_role_policy", Limit::TrustPolicy, n);
    assert_eq!(trust(2_048).verdict(None), Verdict::Within);
    assert!(!trust(2_048).needs_account_quota());
    assert!(trust(2_049).needs_account_quota());
    assert_eq!(trust(2_049).verdict(None), Verdict::NeedsAccountQuota);
    // A raised quota lets it through; one still too low names itself.
    assert_eq!(trust(4_000).verdict(Some(4_096)), Verdict::Within);
    assert_eq!(
        trust(4_097).verdict(Some(4_096)),
        Verdict::Over(
            "`assume_role_policy` is 4,097 characters without whitespace; this account \
             allows 4,096 characters for a role's trust policy (AssumeRolePolicySizeQuota); \
             trust fewer principals, or ask AWS for a higher \"Role trust policy length\" \
             quota in Service Quotas."
                .into()
        )
    );
    let arns = |n| Measure::new("policy_arns", Limit::AttachedPoliciesPerRole, n);
    assert_eq!(arns(10).verdict(None), Verdict::Within);
    assert_eq!(arns(11).verdict(None), Verdict::NeedsAccountQuota);
    assert_eq!(arns(11).verdict(Some(20)), Verdict::Within);
    assert!(matches!(
        arns(11).verdict(Some(10)),
        Verdict::Over(d) if d.starts_with("`policy_arns` lists 11 managed policies; this account allows 10 managed policies attached to a role (AttachedPoliciesPerRoleQuota)")
    ));
    let warning = arns(11).unknown_quota_warning("AccessDenied: no");
    assert!(
        warning.starts_with(
            "`policy_arns` lists 11 managed policies, over IAM's default of 10 managed \
             policies attached to a role."
        ),
        "{warning}"
    );
    assert!(warning.contains("(GetAccountSummary: AccessDenied: no)"));
    assert!(warning.contains("IAM decides at apply"));
}

/// An OIDC provider ARN as long as IAM allows: its URL is at most 255
/// characters, so the issuer (the URL without `https://`) at most 247.
fn longest_oidc(partition: &str) -> OidcProviderArn {
    let issuer = format!(
        "oidc.eks.us-gov-west-1.amazonaws.com/id/{}",
        "A".repeat(207)
    );
    assert_eq!(issuer.len(), 255 - "https://".len());
    format!("arn:{partition}:iam::999999999999:oidc-provider/{issuer}")
        .parse()
        .unwrap()
}

/// Every documented document, with the longest arguments it can be
/// given, is within every limit of the places it goes: a trust within a
/// role's default trust size; a permissions policy within a role's inline
/// size and within a managed policy (`clusteriam_policy_document` hands
/// any preset to users who may make a managed policy of it). A future
/// version of a platform's document that outgrows a limit fails here.
#[test]
fn every_preset_fits_every_limit_where_it_is_used() {
    let namespace = "n".repeat(63);
    let service_account = "s".repeat(253);
    for partition in ["aws", "aws-cn", "aws-us-gov"] {
        let oidc = longest_oidc(partition);
        let args = PresetArgs {
            account_id: Some("999999999999"),
            oidc_provider_arn: Some(&oidc),
            namespace: Some(&namespace),
            service_account: Some(&service_account),
            // The longest cross-account trust: `policy::trusts`' tests.
            master_role_arn: Some("arn:aws:iam::999999999999:role/m"),
            kkp_principal_arn: Some("arn:aws:iam::999999999999:root"),
            ..PresetArgs::new(partition)
        };
        // `provider_permissions` is rendered above policy/: its test
        // is in `crate::rendering`.
        for preset in Preset::ALL
            .iter()
            .filter(|p| **p != Preset::ProviderPermissions)
        {
            let document = preset.build(&args).unwrap().document;
            let json = document.to_canonical_json();
            let is_trust = document.statements.iter().any(|s| s.principal.is_some());
            let limits: &[Limit] = if is_trust {
                &[Limit::TrustPolicy]
            } else {
                &[Limit::RoleInlinePolicies, Limit::ManagedPolicy]
            };
            for &limit in limits {
                let measure = Measure::document("policy", limit, &json);
                assert_eq!(
                    measure.verdict(None),
                    Verdict::Within,
                    "preset {preset} in {partition} is {} characters, over {limit}",
                    measure.amount
                );
            }
        }
    }
}

/// Every version of every published document fits a role's inline
/// policies and a managed policy, in every partition.
#[test]
fn every_published_document_fits_every_limit() {
    for partition in ["aws", "aws-cn", "aws-us-gov"] {
        for published in crate::policy::published::ALL {
            let json = published
                .render(partition, "999999999999")
                .to_canonical_json();
            for limit in [Limit::RoleInlinePolicies, Limit::ManagedPolicy] {
                let measure = Measure::document("policy", limit, &json);
                assert_eq!(
                    measure.verdict(None),
                    Verdict::Within,
                    "{} in {partition} is {} characters, over {limit}",
                    published.title,
                    measure.amount
                );
            }
        }
    }
}

/// The documents of `seeds/current/` (what the platforms publish today)
/// fit a managed policy, the smallest limit a permissions policy can meet.
#[test]
fn current_platform_documents_fit_a_managed_policy() {
    let dir = std::env::var_os("CLUSTERIAM_SEEDS_DIR")
        .map(std::path::PathBuf::from)
        .unwrap_or_else(|| concat!(env!("CARGO_MANIFEST_DIR"), "/../shared/seeds").into())
        .join("current");
    let mut seen = 0;
    for entry in std::fs::read_dir(&dir).unwrap_or_else(|e| panic!("{}: {e}", dir.display())) {
        let path = entry.unwrap().path();
        if path.extension().is_none_or(|e| e != "json") {
            continue;
        }
        let text = std::fs::read_to_string(&path).unwrap();
        let json = canonical_json(&text.replace("YOUR_ACCOUNT_ID", "999999999999"))
            .unwrap()
            .replace("arn:aws:", "arn:aws-us-gov:");
        let measure = Measure::document("policy", Limit::ManagedPolicy, &json);
        assert_eq!(
            measure.verdict(None),
            Verdict::Within,
            "{}: {} characters",
            path.display(),
            measure.amount
        );
        seen += 1;
    }
    assert!(seen > 0, "no documents in {}", dir.display());
}

/// The worst case a user can reach through today's resources stays far
/// from the trust limit: no resource lets a user grow a trust, so the
/// oversized-trust path is covered by the unit tests above only.
#[test]
fn the_largest_irsa_trust_is_well_within_the_default() {
    let trust = presets::irsa_trust(
        &longest_oidc("aws-us-gov"),
        &"n".repeat(63),
        &"s".repeat(253),
    )
    .to_canonical_json();
    let size = policy_size(&trust);
    assert!(size < 1_500, "{size}");
}
