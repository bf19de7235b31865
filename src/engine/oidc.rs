//! The IAM OIDC provider: which changes bring it to what a configuration
//! asks for. An owned provider (this configuration created it) is brought to
//! exactly that; an adopted one (it existed, possibly shared with other
//! configurations) only gains what the configuration asks for and loses
//! nothing it had, so that two configurations never undo each other.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt;

use super::tags::tag_diff;
use crate::aws::{Aws, AwsError, OidcProvider};

/// What a configuration asks of a provider.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct OidcSpec {
    pub client_ids: BTreeSet<String>,
    /// None when IAM manages them (not configured).
    pub thumbprints: Option<Vec<String>>,
    /// For an owned provider all its tags (`default_tags` merged with
    /// `tags`); for an adopted one only the resource's own `tags`.
    pub tags: BTreeMap<String, String>,
    pub adopted: bool,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum OidcStep {
    AddClientId(String),
    RemoveClientId(String),
    SetThumbprints(Vec<String>),
    Untag(Vec<String>),
    Tag(BTreeMap<String, String>),
}

/// Error summaries name the step: ``adding client id `x` to IAM OIDC provider``.
impl fmt::Display for OidcStep {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            OidcStep::AddClientId(id) => write!(f, "adding client id `{id}` to IAM OIDC provider"),
            OidcStep::RemoveClientId(id) => {
                write!(f, "removing client id `{id}` from IAM OIDC provider")
            }
            OidcStep::SetThumbprints(_) => write!(f, "updating thumbprints of IAM OIDC provider"),
            OidcStep::Untag(_) => write!(f, "untagging IAM OIDC provider"),
            OidcStep::Tag(_) => write!(f, "tagging IAM OIDC provider"),
        }
    }
}

impl OidcStep {
    /// The IAM action the step needs, for the remedy of an AccessDenied.
    pub fn action(&self) -> &'static str {
        match self {
            OidcStep::AddClientId(_) => "iam:AddClientIDToOpenIDConnectProvider",
            OidcStep::RemoveClientId(_) => "iam:RemoveClientIDFromOpenIDConnectProvider",
            OidcStep::SetThumbprints(_) => "iam:UpdateOpenIDConnectProviderThumbprint",
            OidcStep::Untag(_) => "iam:UntagOpenIDConnectProvider",
            OidcStep::Tag(_) => "iam:TagOpenIDConnectProvider",
        }
    }
}

/// IAM keeps at most five thumbprints per provider.
pub const MAX_THUMBPRINTS: usize = 5;

/// Thumbprints are hex: compare them without regard to case or order.
pub fn same_thumbprints(a: &[String], b: &[String]) -> bool {
    normalized(a) == normalized(b)
}

fn normalized(thumbprints: &[String]) -> BTreeSet<String> {
    thumbprints.iter().map(|t| t.to_lowercase()).collect()
}

/// The steps from `observed` to `spec`.
pub fn oidc_steps(spec: &OidcSpec, observed: &OidcProvider) -> Vec<OidcStep> {
    let mut steps = Vec::new();
    let have: BTreeSet<String> = observed.client_ids.iter().cloned().collect();
    steps.extend(
        spec.client_ids
            .difference(&have)
            .map(|id| OidcStep::AddClientId(id.clone())),
    );
    if !spec.adopted {
        steps.extend(
            have.difference(&spec.client_ids)
                .map(|id| OidcStep::RemoveClientId(id.clone())),
        );
    }
    if let Some(wanted) = &spec.thumbprints {
        let wanted = if spec.adopted {
            // Keep every thumbprint it had; add ours while IAM has room.
            let mut all = observed.thumbprints.clone();
            let have = normalized(&observed.thumbprints);
            all.extend(
                wanted
                    .iter()
                    .filter(|t| !have.contains(&t.to_lowercase()))
                    .cloned(),
            );
            all.truncate(MAX_THUMBPRINTS);
            all
        } else {
            wanted.clone()
        };
        if !same_thumbprints(&wanted, &observed.thumbprints) {
            steps.push(OidcStep::SetThumbprints(wanted));
        }
    }
    let (untag, tag) = tag_diff(&observed.tags, &spec.tags);
    if !untag.is_empty() && !spec.adopted {
        steps.push(OidcStep::Untag(untag));
    }
    if !tag.is_empty() {
        steps.push(OidcStep::Tag(tag));
    }
    steps
}

/// A step that failed.
#[derive(Debug)]
pub struct OidcFailure {
    pub step: OidcStep,
    pub error: AwsError,
}

/// Runs the steps from `observed` to `spec`; returns whether anything
/// changed, or the first failure.
pub async fn converge_oidc(
    aws: &Aws,
    spec: &OidcSpec,
    observed: &OidcProvider,
) -> Result<bool, OidcFailure> {
    let steps = oidc_steps(spec, observed);
    let arn = observed.arn.as_str();
    for step in &steps {
        let result = match step {
            OidcStep::AddClientId(id) => aws.add_oidc_client_id(arn, id).await,
            OidcStep::RemoveClientId(id) => aws.remove_oidc_client_id(arn, id).await,
            OidcStep::SetThumbprints(t) => aws.set_oidc_thumbprints(arn, t).await,
            OidcStep::Untag(keys) => aws.untag_oidc_provider(arn, keys).await,
            OidcStep::Tag(tags) => aws.tag_oidc_provider(arn, tags).await,
        };
        if let Err(error) = result {
            return Err(OidcFailure {
                step: step.clone(),
                error,
            });
        }
    }
    Ok(!steps.is_empty())
}

#[cfg(test)]
mod tests {
    use super::*;

    const T1: &str = "9e99a48a9960b14926bb7f3b02e22da2b0ab7280";
    const T2: &str = "1111111111111111111111111111111111111111";

    fn map(pairs: &[(&str, &str)]) -> BTreeMap<String, String> {
        pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect()
    }

    fn observed() -> OidcProvider {
        OidcProvider {
            arn: "arn:aws:iam::123456789012:oidc-provider/oidc.example.com".into(),
            url: "oidc.example.com".into(),
            client_ids: vec!["sts.amazonaws.com".into(), "other-team".into()],
            thumbprints: vec![T1.to_uppercase()],
            tags: map(&[("owner", "team-a"), ("env", "prod")]),
            mark: None,
        }
    }

    fn spec(adopted: bool) -> OidcSpec {
        OidcSpec {
            client_ids: ["sts.amazonaws.com".to_string(), "mine".to_string()].into(),
            thumbprints: Some(vec![T1.into(), T2.into()]),
            tags: map(&[("env", "dev"), ("team", "b")]),
            adopted,
        }
    }

    #[test]
    fn an_owned_provider_is_brought_to_exactly_the_spec() {
        assert_eq!(
            oidc_steps(&spec(false), &observed()),
            vec![
                OidcStep::AddClientId("mine".into()),
                OidcStep::RemoveClientId("other-team".into()),
                OidcStep::SetThumbprints(vec![T1.into(), T2.into()]),
                OidcStep::Untag(vec!["owner".into()]),
                OidcStep::Tag(map(&[("env", "dev"), ("team", "b")])),
            ]
        );
    }

    #[test]
    fn an_adopted_provider_gains_and_never_loses() {
        assert_eq!(
            oidc_steps(&spec(true), &observed()),
            vec![
                OidcStep::AddClientId("mine".into()),
                OidcStep::SetThumbprints(vec![T1.to_uppercase(), T2.into()]),
                OidcStep::Tag(map(&[("env", "dev"), ("team", "b")])),
            ]
        );
        // Nothing asked that it lacks: nothing to do, whatever else it holds.
        let modest = OidcSpec {
            client_ids: ["sts.amazonaws.com".to_string()].into(),
            thumbprints: None,
            tags: map(&[("env", "prod")]),
            adopted: true,
        };
        assert_eq!(oidc_steps(&modest, &observed()), vec![]);
    }

    #[test]
    fn thumbprints_compare_without_case_or_order() {
        assert!(same_thumbprints(
            &[T1.to_uppercase(), T2.into()],
            &[T2.into(), T1.into()]
        ));
        let mut same = spec(false);
        same.thumbprints = Some(vec![T1.into()]);
        assert!(
            !oidc_steps(&same, &observed())
                .iter()
                .any(|s| matches!(s, OidcStep::SetThumbprints(_)))
        );
    }
}
