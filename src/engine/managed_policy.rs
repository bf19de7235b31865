//! The customer managed policy (the KKP account policy): a changed document
//! becomes a new default version, pruning the oldest when IAM's limit of five
//! is reached; the user attachment moves; tags are brought to the spec; and
//! destroy empties the policy in the order IAM requires.

use std::collections::BTreeMap;
use std::sync::Mutex;

use tokio_util::sync::CancellationToken;

use super::run::{self, Failure, Kind, Ran};
use super::tags::tag_steps;
use crate::aws::{Aws, AwsError, IamObject, MAX_POLICY_VERSIONS, PolicyVersion};

/// What the policy should hold, or held (the prior state).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct PolicyModel {
    /// Canonical JSON of the default version's document.
    pub document: String,
    /// The IAM user the policy is attached to.
    pub user: Option<String>,
    /// All tags.
    pub tags: BTreeMap<String, String>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum PolicyStep {
    NewDefaultVersion,
    DetachUser(String),
    AttachUser(String),
    Untag(Vec<String>),
    Tag(BTreeMap<String, String>),
}

impl std::fmt::Display for PolicyStep {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            PolicyStep::NewDefaultVersion => f.write_str("creating IAM policy version"),
            PolicyStep::DetachUser(user) => write!(f, "detaching IAM policy from user (`{user}`)"),
            PolicyStep::AttachUser(user) => write!(f, "attaching IAM policy to user (`{user}`)"),
            PolicyStep::Untag(_) => f.write_str("untagging IAM policy"),
            PolicyStep::Tag(_) => f.write_str("tagging IAM policy"),
        }
    }
}

impl PolicyStep {
    /// The error summary for this step on the policy `name`:
    /// ``attaching IAM policy (`kkp`) to user (`kkp-user`)``.
    pub fn summary(&self, name: &str) -> String {
        match self {
            PolicyStep::NewDefaultVersion => format!("creating IAM policy version (`{name}`)"),
            PolicyStep::DetachUser(user) => {
                format!("detaching IAM policy (`{name}`) from user (`{user}`)")
            }
            PolicyStep::AttachUser(user) => {
                format!("attaching IAM policy (`{name}`) to user (`{user}`)")
            }
            PolicyStep::Untag(_) => format!("untagging IAM policy (`{name}`)"),
            PolicyStep::Tag(_) => format!("tagging IAM policy (`{name}`)"),
        }
    }
}

/// The steps from `prior` to `wanted`: the document first (what KKP may do),
/// then the attachment (detached before attached elsewhere), then the tags.
pub fn update_steps(prior: &PolicyModel, wanted: &PolicyModel) -> Vec<PolicyStep> {
    let mut steps = Vec::new();
    if prior.document != wanted.document {
        steps.push(PolicyStep::NewDefaultVersion);
    }
    if prior.user != wanted.user {
        steps.extend(prior.user.clone().map(PolicyStep::DetachUser));
        steps.extend(wanted.user.clone().map(PolicyStep::AttachUser));
    }
    steps.extend(tag_steps(
        &prior.tags,
        &wanted.tags,
        PolicyStep::Untag,
        PolicyStep::Tag,
    ));
    steps
}

/// The version to delete before a new one can be added: at IAM's limit, the
/// oldest that is not the default.
pub fn version_to_prune(versions: &[PolicyVersion]) -> Option<&PolicyVersion> {
    if versions.len() < MAX_POLICY_VERSIONS {
        return None;
    }
    versions
        .iter()
        .filter(|v| !v.is_default)
        .min_by_key(|v| v.number())
}

/// An update of the policy `arn` from `prior` to `wanted`, as a kind of the
/// one runner ([`super::run`]). It does not look at AWS: what the update
/// leaves follows from the steps done and not done.
pub struct PolicyUpdate<'a> {
    pub aws: &'a Aws,
    pub arn: &'a str,
    pub name: &'a str,
    pub prior: &'a PolicyModel,
    pub wanted: &'a PolicyModel,
    /// The default version the update made, once made.
    new_version: Mutex<Option<String>>,
}

impl<'a> PolicyUpdate<'a> {
    pub fn new(
        aws: &'a Aws,
        (arn, name): (&'a str, &'a str),
        prior: &'a PolicyModel,
        wanted: &'a PolicyModel,
    ) -> Self {
        PolicyUpdate {
            aws,
            arn,
            name,
            prior,
            wanted,
            new_version: Mutex::new(None),
        }
    }

    /// The default version the update made, if it made one.
    pub fn new_version(&self) -> Option<String> {
        self.new_version.lock().ok()?.clone()
    }
}

impl Kind for PolicyUpdate<'_> {
    type Step = PolicyStep;
    type Observed = ();

    fn subject(&self) -> &str {
        self.name
    }

    fn steps(&self, _: Option<&()>) -> Vec<PolicyStep> {
        update_steps(self.prior, self.wanted)
    }

    async fn run(&self, step: &PolicyStep) -> Result<Ran, AwsError> {
        let (aws, arn) = (self.aws, self.arn);
        match step {
            PolicyStep::NewDefaultVersion => {
                let version = new_default_version(aws, arn, &self.wanted.document).await?;
                if let Ok(mut made) = self.new_version.lock() {
                    *made = Some(version);
                }
            }
            PolicyStep::DetachUser(user) => aws.detach_user_policy(user, arn).await?,
            PolicyStep::AttachUser(user) => aws.attach_user_policy(user, arn).await?,
            PolicyStep::Untag(keys) => aws.untag_iam(IamObject::Policy(arn), keys).await?,
            PolicyStep::Tag(tags) => aws.tag_iam(IamObject::Policy(arn), tags).await?,
        }
        Ok(Ran::Done)
    }

    /// Nothing to look at (see the type's comment).
    async fn observe(&self) -> Result<Option<()>, AwsError> {
        Ok(Some(()))
    }

    fn observe_after_failure(&self, _: &PolicyStep) -> bool {
        false
    }

    fn summary(&self, step: &PolicyStep) -> String {
        step.summary(self.name)
    }
}

/// Runs the update, stopping at the first failure.
pub async fn update(
    update: &PolicyUpdate<'_>,
    cancel: Option<&CancellationToken>,
) -> Result<Vec<PolicyStep>, Failure<PolicyStep, ()>> {
    run::converge(update, None, cancel).await
}

async fn new_default_version(aws: &Aws, arn: &str, document: &str) -> Result<String, AwsError> {
    let versions = aws.list_policy_versions(arn).await?;
    if let Some(oldest) = version_to_prune(&versions) {
        aws.delete_policy_version(arn, &oldest.version_id).await?;
    }
    aws.create_default_policy_version(arn, document).await
}

/// A step of deleting the policy.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum TeardownStep {
    DetachUser(String),
    DeleteVersion(String),
    DeletePolicy,
}

impl std::fmt::Display for TeardownStep {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            TeardownStep::DetachUser(user) => PolicyStep::DetachUser(user.clone()).fmt(f),
            TeardownStep::DeleteVersion(version) => {
                write!(f, "deleting version `{version}` of IAM policy")
            }
            TeardownStep::DeletePolicy => f.write_str("deleting IAM policy"),
        }
    }
}

impl TeardownStep {
    /// The error summary for this step on the policy `name`: which policy,
    /// and for a detach which user.
    pub fn summary(&self, name: &str) -> String {
        match self {
            TeardownStep::DetachUser(user) => PolicyStep::DetachUser(user.clone()).summary(name),
            _ => format!("deleting IAM policy (`{name}`)"),
        }
    }
}

/// The steps that delete a policy of `versions` attached to `user`:
/// detached, its other versions deleted, then the policy (IAM refuses any
/// other order).
pub fn teardown_steps(versions: &[PolicyVersion], user: Option<&str>) -> Vec<TeardownStep> {
    let detach = user.map(|u| TeardownStep::DetachUser(u.to_string()));
    let versions = versions
        .iter()
        .filter(|v| !v.is_default)
        .map(|v| TeardownStep::DeleteVersion(v.version_id.clone()));
    detach
        .into_iter()
        .chain(versions)
        .chain([TeardownStep::DeletePolicy])
        .collect()
}

/// Deleting the policy: a kind of the one runner. It observes the policy's
/// versions (None: the policy is gone, and so attached to no one).
struct PolicyTeardown<'a> {
    aws: &'a Aws,
    arn: &'a str,
    name: &'a str,
    user: Option<&'a str>,
}

impl Kind for PolicyTeardown<'_> {
    type Step = TeardownStep;
    type Observed = Vec<PolicyVersion>;

    fn subject(&self) -> &str {
        self.name
    }

    fn steps(&self, versions: Option<&Vec<PolicyVersion>>) -> Vec<TeardownStep> {
        versions.map_or_else(Vec::new, |versions| teardown_steps(versions, self.user))
    }

    async fn run(&self, step: &TeardownStep) -> Result<Ran, AwsError> {
        let (aws, arn) = (self.aws, self.arn);
        match step {
            TeardownStep::DetachUser(user) => aws.detach_user_policy(user, arn).await?,
            TeardownStep::DeleteVersion(id) => aws.delete_policy_version(arn, id).await?,
            TeardownStep::DeletePolicy => aws.delete_policy(arn).await?,
        }
        Ok(Ran::Done)
    }

    async fn observe(&self) -> Result<Option<Vec<PolicyVersion>>, AwsError> {
        match self.aws.list_policy_versions(self.arn).await {
            Ok(versions) => Ok(Some(versions)),
            Err(e) if e.is_not_found() => Ok(None),
            Err(e) => Err(e),
        }
    }

    fn summary(&self, step: &TeardownStep) -> String {
        step.summary(self.name)
    }
}

/// Deletes the policy, attached to `user`, in the order IAM requires. What
/// is gone already counts as done.
pub async fn destroy(
    aws: &Aws,
    arn: &str,
    name: &str,
    user: Option<&str>,
) -> Result<(), Failure<TeardownStep, Vec<PolicyVersion>>> {
    let kind = PolicyTeardown {
        aws,
        arn,
        name,
        user,
    };
    let versions = kind.observe().await.map_err(|error| {
        let summary = format!("deleting IAM policy (`{name}`)");
        Failure::reading(summary, error, Vec::new(), run::Left::Unread)
    })?;
    run::converge(&kind, versions.as_ref(), None).await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn version(id: &str, is_default: bool) -> PolicyVersion {
        PolicyVersion {
            version_id: id.to_string(),
            is_default,
        }
    }

    #[test]
    fn at_five_versions_the_oldest_non_default_goes() {
        let four: Vec<PolicyVersion> = (1..=4).map(|n| version(&format!("v{n}"), n == 4)).collect();
        assert_eq!(version_to_prune(&four), None);
        // v1 is the default (a rollback): v2 is the oldest that may go; v10 sorts by number.
        let five = vec![
            version("v10", false),
            version("v1", true),
            version("v2", false),
            version("v3", false),
            version("v4", false),
        ];
        assert_eq!(
            version_to_prune(&five).map(|v| v.version_id.as_str()),
            Some("v2")
        );
    }

    #[test]
    fn destroy_detaches_then_deletes_the_other_versions_then_the_policy() {
        let versions = vec![
            version("v1", false),
            version("v2", true),
            version("v3", false),
        ];
        assert_eq!(
            teardown_steps(&versions, Some("kkp-user")),
            vec![
                TeardownStep::DetachUser("kkp-user".into()),
                TeardownStep::DeleteVersion("v1".into()),
                TeardownStep::DeleteVersion("v3".into()),
                TeardownStep::DeletePolicy,
            ]
        );
        assert_eq!(
            TeardownStep::DetachUser("kkp-user".into()).summary("kkp"),
            "detaching IAM policy (`kkp`) from user (`kkp-user`)"
        );
        assert_eq!(
            TeardownStep::DeleteVersion("v1".into()).summary("kkp"),
            "deleting IAM policy (`kkp`)"
        );
    }

    #[test]
    fn updates_change_the_document_then_move_the_user_then_tag() {
        let prior = PolicyModel {
            document: "a".into(),
            user: Some("old".into()),
            tags: BTreeMap::from([("Env".into(), "x".into())]),
        };
        let wanted = PolicyModel {
            document: "b".into(),
            user: Some("new".into()),
            tags: BTreeMap::from([("env".into(), "x".into())]),
        };
        assert_eq!(
            update_steps(&prior, &wanted),
            vec![
                PolicyStep::NewDefaultVersion,
                PolicyStep::DetachUser("old".into()),
                PolicyStep::AttachUser("new".into()),
                PolicyStep::Untag(vec!["Env".into()]),
                PolicyStep::Tag(BTreeMap::from([("env".into(), "x".into())])),
            ]
        );
        assert!(update_steps(&wanted, &wanted).is_empty());
        let detach_only = PolicyModel {
            user: None,
            ..wanted.clone()
        };
        assert_eq!(
            update_steps(&wanted, &detach_only),
            vec![PolicyStep::DetachUser("new".into())]
        );
    }
}
