//! The IAM OIDC provider: which changes bring it to what a configuration
//! asks for. An owned provider (this configuration created it) is brought to
//! exactly that; an adopted one (it existed, possibly shared with other
//! configurations) only gains what the configuration asks for and loses
//! nothing it had, so that two configurations never undo each other.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt;

use super::run::{self, Failure, Kind, Left, Ran};
use super::tags::tag_diff;
use crate::arn::OidcProviderArn;
use crate::aws::{Aws, AwsError, IamObject, OidcCreated, OidcProvider};

mod destroy;
pub use destroy::{DeleteRefused, Destroy, Destroyed, delete_owned};

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
    let (untag, tag) = if spec.adopted {
        // A guest on a shared provider: it adds the keys the provider
        // lacks, and never overwrites or removes another writer's tag.
        let absent = spec
            .tags
            .iter()
            .filter(|(k, _)| !observed.tags.contains_key(*k))
            .map(|(k, v)| (k.clone(), v.clone()))
            .collect();
        (Vec::new(), absent)
    } else {
        tag_diff(&observed.tags, &spec.tags)
    };
    if !untag.is_empty() {
        steps.push(OidcStep::Untag(untag));
    }
    if !tag.is_empty() {
        steps.push(OidcStep::Tag(tag));
    }
    steps
}

/// The tags an adopting configuration asks for that a shared provider
/// holds otherwise: `(key, wanted, held)`, `held` None when the provider
/// lacks the key. An adopter does not write these on its own (see
/// [`oidc_steps`]), so the plan warns about them instead.
pub fn tags_held_otherwise<'a>(
    wanted: &'a BTreeMap<String, String>,
    held: &'a BTreeMap<String, String>,
) -> Vec<(&'a str, &'a str, Option<&'a str>)> {
    wanted
        .iter()
        .filter(|(k, v)| held.get(*k) != Some(*v))
        .map(|(k, v)| (k.as_str(), v.as_str(), held.get(k).map(String::as_str)))
        .collect()
}

/// A converge of an OIDC provider that stopped (see [`run::Failure`]).
pub type OidcFailure = Failure<OidcStep, OidcProvider>;

/// Bringing one provider to its spec: a kind of the one runner.
struct OidcConvergence<'a> {
    aws: &'a Aws,
    spec: &'a OidcSpec,
    arn: &'a str,
    url: &'a str,
}

impl Kind for OidcConvergence<'_> {
    type Step = OidcStep;
    type Observed = OidcProvider;

    fn subject(&self) -> &str {
        self.url
    }

    /// A provider that is gone is not brought anywhere: creating it again
    /// is the next plan's.
    fn steps(&self, observed: Option<&OidcProvider>) -> Vec<OidcStep> {
        observed.map_or_else(Vec::new, |observed| oidc_steps(self.spec, observed))
    }

    async fn run(&self, step: &OidcStep) -> Result<Ran, AwsError> {
        let (aws, arn) = (self.aws, self.arn);
        match step {
            OidcStep::AddClientId(id) => aws.add_oidc_client_id(arn, id).await,
            OidcStep::RemoveClientId(id) => aws.remove_oidc_client_id(arn, id).await,
            OidcStep::SetThumbprints(t) => aws.set_oidc_thumbprints(arn, t).await,
            OidcStep::Untag(keys) => aws.untag_iam(IamObject::OidcProvider(arn), keys).await,
            OidcStep::Tag(tags) => aws.tag_iam(IamObject::OidcProvider(arn), tags).await,
        }
        .map(|()| Ran::Done)
    }

    async fn observe(&self) -> Result<Option<OidcProvider>, AwsError> {
        self.aws.oidc_provider(self.arn).await
    }
}

/// Brings the provider for `url` from `observed` to `spec` and returns it
/// as AWS then holds it; on failure, what it holds after the failed step.
pub async fn converge_oidc(
    aws: &Aws,
    url: &str,
    spec: &OidcSpec,
    observed: OidcProvider,
) -> Result<OidcProvider, OidcFailure> {
    let arn = observed.arn.clone();
    let kind = OidcConvergence {
        aws,
        spec,
        arn: &arn,
        url,
    };
    let done = run::converge(&kind, Some(&observed), None).await?;
    if done.is_empty() {
        return Ok(observed);
    }
    let summary = format!("reading IAM OIDC provider (`{url}`)");
    let failed = |error, left| Failure::reading(summary, error, done, left);
    match kind.observe().await {
        Ok(Some(provider)) => Ok(provider),
        Ok(None) => Err(failed(
            AwsError::vanished(
                "The provider disappeared while it was being updated; the next apply creates \
                 it again.",
            ),
            Left::Gone,
        )),
        Err(error) => Err(failed(error, Left::Unread)),
    }
}

/// How creating (or adopting) a provider ended, when it did not end well.
#[derive(Debug)]
pub enum CreateFailure {
    /// AWS refused the create.
    Refused(AwsError),
    /// A provider exists for the URL, but its ARN can't be built: the
    /// caller's account is unknown (`skip_credentials_validation`).
    ExistsWithUnknownAccount,
    /// A provider exists for the URL, whose ARN can't be built from it.
    BadUrl(String),
    /// A provider existed for the URL and vanished before it could be read.
    VanishedBeforeAdoption,
    /// Made, but not readable: `arn` is ours, the state can say so.
    NotReadBack {
        arn: String,
        error: Option<AwsError>,
    },
    /// One that existed could not be read.
    ReadFailed(AwsError),
}

/// A provider that exists now: read back, and whether it was adopted.
pub struct Created {
    pub provider: OidcProvider,
    pub adopted: bool,
}

/// Creates the provider for `url` as `spec` says (an owned spec), marked
/// with `mark`; or adopts the one that exists for the URL. A provider that
/// exists is ours only when it carries this create's mark (an attempt whose
/// answer was lost made it). The result is read back, waiting out IAM's
/// eventual consistency.
pub async fn create_or_adopt(
    aws: &Aws,
    url: &str,
    spec: &OidcSpec,
    mark: &str,
) -> Result<Created, CreateFailure> {
    let client_ids: Vec<String> = spec.client_ids.iter().cloned().collect();
    let thumbprints = spec.thumbprints.clone().unwrap_or_default();
    // Send the issuer as IAM names it, so the ARN is the one computed for adoption.
    let issuer = format!("https://{}", crate::arn::issuer_of(url));
    let created = aws
        .create_oidc_provider(&issuer, &client_ids, &thumbprints, &spec.tags, mark)
        .await
        .map_err(CreateFailure::Refused)?;
    let (arn, may_be_ours) = match created {
        OidcCreated::New(arn) => (arn, true),
        OidcCreated::AlreadyExists { after_lost_answer } => {
            let account = aws
                .account_id
                .as_deref()
                .ok_or(CreateFailure::ExistsWithUnknownAccount)?;
            let arn = OidcProviderArn::for_issuer(&aws.partition, account, url)
                .map_err(|e| CreateFailure::BadUrl(e.to_string()))?;
            (arn.arn().to_string(), after_lost_answer)
        }
    };
    let read = aws
        .read_when_visible(
            "GetOpenIDConnectProvider",
            format!("OIDC provider {arn}"),
            || aws.oidc_provider(&arn),
        )
        .await;
    let provider = match read {
        Ok(provider) => provider,
        Err(e) if !may_be_ours && e.is_not_found() => {
            return Err(CreateFailure::VanishedBeforeAdoption);
        }
        Err(e) if !may_be_ours => return Err(CreateFailure::ReadFailed(e)),
        Err(e) => {
            let error = (!e.is_not_found()).then_some(e);
            return Err(CreateFailure::NotReadBack { arn, error });
        }
    };
    // Ours only when it carries this create's mark: an object that was
    // there before, or that someone else made meanwhile, is adopted.
    let adopted = provider.mark.as_deref() != Some(mark);
    if adopted && let Some(theirs) = &provider.mark {
        destroy::record_adoption(&arn, theirs, mark);
    }
    Ok(Created { provider, adopted })
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
        // Nothing asked that it lacks: nothing to do, whatever else it holds.
        let modest = OidcSpec {
            client_ids: ["sts.amazonaws.com".to_string()].into(),
            thumbprints: None,
            tags: map(&[("env", "prod")]),
            adopted: true,
        };
        assert_eq!(oidc_steps(&modest, &observed()), vec![]);
        // What it lacks is added; what it has beyond the spec stays.
        assert_eq!(
            oidc_steps(&spec(true), &observed()),
            vec![
                OidcStep::AddClientId("mine".into()),
                OidcStep::SetThumbprints(vec![T1.to_uppercase(), T2.into()]),
                // `env` is held with another value: another writer's, kept.
                OidcStep::Tag(map(&[("team", "b")])),
            ]
        );
        assert_eq!(
            tags_held_otherwise(&spec(true).tags, &observed().tags),
            vec![("env", "dev", Some("prod")), ("team", "b", None)]
        );
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
