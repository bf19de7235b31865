//! The engine: resources say what they want; the engine observes AWS, works
//! out the ordered steps that bring AWS there (or tear it down), and runs
//! them. The ordering rules live here and nowhere else: roles in `steps`
//! (from a [`RoleSpec`]), managed-policy versions and attachments in
//! `managed_policy`, OIDC provider adoption in `oidc`, EC2 tag moves and the
//! one-security-group rule in `tags` (with the one tag diff every kind uses),
//! and the VPC DNS attributes in `vpc_attribute`. `run` is the one runner,
//! with one failure type: each of these is a kind of it, creates, updates
//! and destroys alike.

pub mod managed_policy;
pub mod oidc;
pub mod run;
mod steps;
pub mod tags;
pub mod vpc_attribute;

use std::collections::{BTreeMap, BTreeSet};

pub use steps::{Step, converge_steps, teardown_steps};
pub use tags::tag_diff;

use self::run::{Failure, Kind, Left, Ran};
use crate::aws::{Aws, AwsError, Creation, IamObject, NewRole, ObservedRole, Profiles};

/// The desired state of one IAM role and what hangs off it.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct RoleSpec {
    pub name: String,
    pub path: String,
    pub description: Option<String>,
    /// Canonical JSON of the trust policy.
    pub trust: String,
    /// Inline policy name -> canonical JSON. The role has exactly these.
    pub inline_policies: BTreeMap<String, String>,
    /// The role has exactly these managed policies attached.
    pub managed_policies: BTreeSet<String>,
    /// An instance profile of the role's name, holding the role.
    pub instance_profile: bool,
    /// All tags (the provider's default tags merged with the resource's).
    pub tags: BTreeMap<String, String>,
    pub permissions_boundary: Option<String>,
    pub max_session_duration: i32,
    /// The ownership mark written on what this converge creates (the role
    /// and its instance profile), so that a retried create recognises them.
    pub mark: String,
}

/// A role converge or destroy that stopped (see [`run::Failure`]).
pub type RoleFailure = Failure<Step, ObservedRole>;

/// One role's work for the one runner: bringing it to its spec, or
/// deleting it.
struct RoleWork<'a> {
    aws: &'a Aws,
    spec: &'a RoleSpec,
    goal: Goal<'a>,
}

enum Goal<'a> {
    Converge,
    /// Delete it, with `owned_profile`, the instance profile the resource created.
    Teardown {
        owned_profile: Option<&'a str>,
    },
}

impl Kind for RoleWork<'_> {
    type Step = Step;
    type Observed = ObservedRole;

    fn subject(&self) -> &str {
        &self.spec.name
    }

    fn steps(&self, observed: Option<&ObservedRole>) -> Vec<Step> {
        let Goal::Teardown { owned_profile } = self.goal else {
            return converge_steps(self.spec, observed);
        };
        let mut steps = observed.map_or_else(Vec::new, |role| teardown_steps(role, owned_profile));
        // A profile left behind by an earlier failed destroy still goes.
        if let Some(profile) = owned_profile {
            let listed = steps
                .iter()
                .any(|s| matches!(s, Step::DeleteInstanceProfile(p) if p == profile));
            if !listed {
                steps.insert(0, Step::DeleteInstanceProfile(profile.to_string()));
            }
        }
        steps
    }

    async fn run(&self, step: &Step) -> Result<Ran, AwsError> {
        match run(self.aws, self.spec, step).await? {
            Creation::Created => Ok(Ran::Done),
            // The role an attempt with a lost answer made is ours, but AWS
            // may hold something else by now: converge from what it holds,
            // trust first, before granting anything.
            Creation::MadeByLostAttempt | Creation::Claimed => Ok(Ran::Replan),
        }
    }

    /// Deleting a role needs every instance profile it is in; converging
    /// only the one it owns.
    async fn observe(&self) -> Result<Option<ObservedRole>, AwsError> {
        let profiles = match self.goal {
            Goal::Converge => Profiles::for_role_owning_profile(self.spec.instance_profile),
            Goal::Teardown { .. } => Profiles::All,
        };
        self.aws.get_role_observing(&self.spec.name, profiles).await
    }

    /// A role of this name that CreateRole did not make is not ours: report
    /// nothing as existing, so no state ever claims it.
    fn observe_after_failure(&self, step: &Step) -> bool {
        *step != Step::CreateRole
    }
}

/// Brings the role to `spec` — creating it when `observed` is None — and
/// returns it as AWS now has it. Stops before the next step when `cancel`
/// fires (Terraform's StopProvider), reporting what exists.
pub async fn converge(
    aws: &Aws,
    spec: &RoleSpec,
    observed: Option<&ObservedRole>,
    cancel: &tokio_util::sync::CancellationToken,
) -> Result<ObservedRole, RoleFailure> {
    let kind = RoleWork {
        aws,
        spec,
        goal: Goal::Converge,
    };
    let done = run::converge(&kind, observed, Some(cancel)).await?;
    // Dependants (an EC2 launch naming the profile, a pod assuming the role)
    // need IAM to show the result everywhere: wait until it reads back whole.
    let observed = aws
        .read_when_visible("GetRole", format!("role {}", spec.name), || async {
            let role = kind.observe().await?;
            Ok(role
                .filter(|role| !spec.instance_profile || role.own_profile_holding_role().is_some()))
        })
        .await;
    observed.map_err(|error| {
        let summary = format!("reading IAM role (`{}`) back", spec.name);
        Failure::reading(summary, error, done, Left::Unread)
    })
}

/// Deletes the role and everything attached to it, in the order IAM
/// requires. `owned_profile` is the instance profile the resource created.
/// Anything already gone counts as done.
pub async fn destroy(
    aws: &Aws,
    name: &str,
    owned_profile: Option<&str>,
) -> Result<(), RoleFailure> {
    // Only the name: the steps that delete need nothing else.
    let spec = RoleSpec {
        name: name.to_string(),
        ..Default::default()
    };
    let kind = RoleWork {
        aws,
        spec: &spec,
        goal: Goal::Teardown { owned_profile },
    };
    let observed = kind.observe().await.map_err(|error| {
        let summary = format!("reading IAM role (`{name}`)");
        Failure::reading(summary, error, Vec::new(), Left::Unread)
    })?;
    run::converge(&kind, observed.as_ref(), None).await?;
    Ok(())
}

async fn run(aws: &Aws, spec: &RoleSpec, step: &Step) -> Result<Creation, AwsError> {
    let name = spec.name.as_str();
    let done = |result: Result<(), AwsError>| result.map(|()| Creation::Created);
    match step {
        Step::CreateRole => {
            aws.create_role(&NewRole {
                name,
                path: &spec.path,
                description: spec.description.as_deref(),
                trust: &spec.trust,
                max_session_duration: spec.max_session_duration,
                permissions_boundary: spec.permissions_boundary.as_deref(),
                tags: &spec.tags,
                mark: &spec.mark,
            })
            .await
        }
        Step::UpdateTrust => done(aws.update_role_trust(name, &spec.trust).await),
        Step::UpdateRole => done(
            aws.update_role(name, spec.description.as_deref(), spec.max_session_duration)
                .await,
        ),
        Step::PutBoundary => done(
            aws.put_role_boundary(
                name,
                spec.permissions_boundary.as_deref().unwrap_or_default(),
            )
            .await,
        ),
        Step::DeleteBoundary => done(aws.delete_role_boundary(name).await),
        Step::Tag(tags) => done(aws.tag_iam(IamObject::Role(name), tags).await),
        Step::Untag(keys) => done(aws.untag_iam(IamObject::Role(name), keys).await),
        Step::PutInlinePolicy(policy) => done(
            aws.put_role_policy(name, policy, &spec.inline_policies[policy])
                .await,
        ),
        Step::DeleteInlinePolicy(policy) => done(aws.delete_role_policy(name, policy).await),
        Step::AttachPolicy(arn) => done(aws.attach_role_policy(name, arn).await),
        Step::DetachPolicy(arn) => done(aws.detach_role_policy(name, arn).await),
        Step::CreateInstanceProfile => {
            aws.create_instance_profile(name, &spec.path, &spec.tags, &spec.mark)
                .await
        }
        Step::AddRoleToInstanceProfile => done(aws.add_role_to_instance_profile(name, name).await),
        Step::TagInstanceProfile(tags) => {
            done(aws.tag_iam(IamObject::InstanceProfile(name), tags).await)
        }
        Step::UntagInstanceProfile(keys) => {
            done(aws.untag_iam(IamObject::InstanceProfile(name), keys).await)
        }
        Step::RemoveRoleFromInstanceProfile { profile, role } => {
            done(aws.remove_role_from_instance_profile(profile, role).await)
        }
        Step::DeleteInstanceProfile(profile) => done(aws.delete_instance_profile(profile).await),
        Step::DeleteRole => done(aws.delete_role(name).await),
    }
}
