//! The engine: resources say what they want; the engine observes AWS, works
//! out the ordered steps that bring AWS there (or tear it down), and runs
//! them. The ordering rules live here and nowhere else: roles in `steps`
//! (from a [`RoleSpec`]), managed-policy versions and attachments in
//! `managed_policy`, OIDC provider adoption in `oidc`, EC2 tag moves and the
//! one-security-group rule in `tags` (with the one tag diff every kind uses),
//! and the VPC DNS attributes in `vpc_attribute`. `run` is the one runner:
//! VPC attributes, cluster tags and managed-policy updates are its kinds.

pub mod managed_policy;
pub mod oidc;
pub mod run;
mod steps;
pub mod tags;
pub mod vpc_attribute;

use std::collections::{BTreeMap, BTreeSet};
use std::fmt;

pub use steps::{Step, converge_steps, teardown_steps};
pub use tags::tag_diff;

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

/// A step that failed, with what exists afterwards so the caller can save it.
#[derive(Debug)]
pub struct Failure {
    pub step: String,
    pub error: AwsError,
    /// The role as it is after the failure (None when it does not exist).
    pub observed: Option<ObservedRole>,
}

impl fmt::Display for Failure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.step, self.error)
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
) -> Result<ObservedRole, Failure> {
    let mut steps = converge_steps(spec, observed).into_iter();
    while let Some(step) = steps.next() {
        if cancel.is_cancelled() {
            return Err(failure(
                aws,
                &spec.name,
                "stopping at Terraform's request".into(),
                AwsError::cancelled(),
            )
            .await);
        }
        match run(aws, spec, &step).await {
            Ok(Creation::Created) => {}
            // The role an attempt with a lost answer made is ours, but AWS
            // may hold something else by now: converge from what it holds,
            // trust first, before granting anything.
            Ok(Creation::MadeByLostAttempt | Creation::Claimed) => {
                let profiles = Profiles::for_role_owning_profile(spec.instance_profile);
                let role = match aws.get_role_observing(&spec.name, profiles).await {
                    Ok(role) => role,
                    Err(error) => {
                        return Err(failure(aws, &spec.name, step.to_string(), error).await);
                    }
                };
                steps = converge_steps(spec, role.as_ref()).into_iter();
            }
            // A role of this name that CreateRole did not make is not ours:
            // report nothing as existing, so no state ever claims it.
            Err(error) if step == Step::CreateRole => {
                return Err(Failure {
                    step: step.to_string(),
                    error,
                    observed: None,
                });
            }
            Err(error) => return Err(failure(aws, &spec.name, step.to_string(), error).await),
        }
    }
    // Dependants (an EC2 launch naming the profile, a pod assuming the role)
    // need IAM to show the result everywhere: wait until it reads back whole.
    let observed = aws
        .read_when_visible("GetRole", format!("role {}", spec.name), || async {
            let profiles = Profiles::for_role_owning_profile(spec.instance_profile);
            let role = aws.get_role_observing(&spec.name, profiles).await?;
            Ok(role
                .filter(|role| !spec.instance_profile || role.own_profile_holding_role().is_some()))
        })
        .await;
    observed.map_err(|error| Failure {
        step: format!("reading IAM role (`{}`) back", spec.name),
        error,
        observed: None,
    })
}

/// Deletes the role and everything attached to it, in the order IAM
/// requires. `owned_profile` is the instance profile the resource created.
/// Anything already gone counts as done.
pub async fn destroy(aws: &Aws, name: &str, owned_profile: Option<&str>) -> Result<(), Failure> {
    let observed = match aws.get_role(name).await {
        Ok(observed) => observed,
        Err(error) => {
            return Err(Failure {
                step: format!("reading IAM role (`{name}`)"),
                error,
                observed: None,
            });
        }
    };
    let mut steps = match &observed {
        Some(role) => teardown_steps(role, owned_profile),
        None => Vec::new(),
    };
    // A profile left behind by an earlier failed destroy still goes.
    if let Some(profile) = owned_profile {
        let listed = steps
            .iter()
            .any(|s| matches!(s, Step::DeleteInstanceProfile(p) if p == profile));
        if !listed {
            steps.insert(0, Step::DeleteInstanceProfile(profile.to_string()));
        }
    }
    let spec = RoleSpec {
        name: name.to_string(),
        ..Default::default()
    };
    for step in steps {
        if let Err(error) = run(aws, &spec, &step).await {
            return Err(failure(aws, name, step.to_string(), error).await);
        }
    }
    Ok(())
}

async fn failure(aws: &Aws, name: &str, step: String, error: AwsError) -> Failure {
    let observed = aws.get_role(name).await.ok().flatten();
    Failure {
        step,
        error,
        observed,
    }
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
