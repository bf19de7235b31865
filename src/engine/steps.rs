//! Pure: which steps, in which order, take a role from what AWS has to what
//! the spec says, or tear it down.

use std::fmt;

use super::RoleSpec;
use super::tags::tag_steps;
use crate::aws::ObservedRole;
use crate::policy::equivalent;

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Step {
    CreateRole,
    UpdateTrust,
    /// Description and maximum session duration.
    UpdateRole,
    PutBoundary,
    DeleteBoundary,
    Tag(std::collections::BTreeMap<String, String>),
    Untag(Vec<String>),
    PutInlinePolicy(String),
    DeleteInlinePolicy(String),
    AttachPolicy(String),
    DetachPolicy(String),
    /// The instance profile named like the role.
    CreateInstanceProfile,
    AddRoleToInstanceProfile,
    /// Tags of the instance profile named like the role.
    TagInstanceProfile(std::collections::BTreeMap<String, String>),
    UntagInstanceProfile(Vec<String>),
    RemoveRoleFromInstanceProfile {
        profile: String,
        role: String,
    },
    DeleteInstanceProfile(String),
    DeleteRole,
}

/// Error summaries name the step: ``attaching policy `arn` ``.
impl fmt::Display for Step {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Step::CreateRole => write!(f, "creating IAM role"),
            Step::UpdateTrust => write!(f, "updating the trust policy of IAM role"),
            Step::UpdateRole => write!(f, "updating IAM role"),
            Step::PutBoundary => write!(f, "setting the permissions boundary of IAM role"),
            Step::DeleteBoundary => write!(f, "removing the permissions boundary of IAM role"),
            Step::Tag(_) => write!(f, "tagging IAM role"),
            Step::Untag(_) => write!(f, "untagging IAM role"),
            Step::PutInlinePolicy(p) => write!(f, "putting inline policy `{p}` on IAM role"),
            Step::DeleteInlinePolicy(p) => write!(f, "deleting inline policy `{p}` of IAM role"),
            Step::AttachPolicy(arn) => write!(f, "attaching policy `{arn}` to IAM role"),
            Step::DetachPolicy(arn) => write!(f, "detaching policy `{arn}` from IAM role"),
            Step::CreateInstanceProfile => write!(f, "creating the instance profile of IAM role"),
            Step::AddRoleToInstanceProfile => write!(f, "adding IAM role to its instance profile"),
            Step::TagInstanceProfile(_) => write!(f, "tagging the instance profile of IAM role"),
            Step::UntagInstanceProfile(_) => {
                write!(f, "untagging the instance profile of IAM role")
            }
            Step::RemoveRoleFromInstanceProfile { profile, role } => {
                write!(
                    f,
                    "removing IAM role `{role}` from instance profile `{profile}` of IAM role"
                )
            }
            Step::DeleteInstanceProfile(p) => {
                write!(f, "deleting instance profile `{p}` of IAM role")
            }
            Step::DeleteRole => write!(f, "deleting IAM role"),
        }
    }
}

/// The steps that bring AWS to `spec`. The role comes first (everything
/// hangs off it), then its own settings, policies, and last the instance
/// profile, whose users need the policies in place.
pub fn converge_steps(spec: &RoleSpec, observed: Option<&ObservedRole>) -> Vec<Step> {
    let mut steps = Vec::new();
    let empty = ObservedRole::default();
    let current = match observed {
        Some(role) => role,
        None => {
            // CreateRole sets trust, description, duration, boundary and tags.
            steps.push(Step::CreateRole);
            &ObservedRole {
                trust: spec.trust.clone(),
                description: spec.description.clone(),
                max_session_duration: spec.max_session_duration,
                permissions_boundary: spec.permissions_boundary.clone(),
                tags: spec.tags.clone(),
                ..empty
            }
        }
    };

    if !equivalent(&current.trust, &spec.trust) {
        steps.push(Step::UpdateTrust);
    }
    if current.description != spec.description
        || current.max_session_duration != spec.max_session_duration
    {
        steps.push(Step::UpdateRole);
    }
    match (&current.permissions_boundary, &spec.permissions_boundary) {
        (a, Some(b)) if a.as_ref() != Some(b) => steps.push(Step::PutBoundary),
        (Some(_), None) => steps.push(Step::DeleteBoundary),
        _ => {}
    }
    steps.extend(tag_steps(&current.tags, &spec.tags, Step::Untag, Step::Tag));

    for (name, document) in &spec.inline_policies {
        let same = current
            .inline_policies
            .get(name)
            .is_some_and(|have| equivalent(have, document));
        if !same {
            steps.push(Step::PutInlinePolicy(name.clone()));
        }
    }
    for name in current.inline_policies.keys() {
        if !spec.inline_policies.contains_key(name) {
            steps.push(Step::DeleteInlinePolicy(name.clone()));
        }
    }
    for arn in spec.managed_policies.difference(&current.managed_policies) {
        steps.push(Step::AttachPolicy(arn.clone()));
    }
    for arn in current.managed_policies.difference(&spec.managed_policies) {
        steps.push(Step::DetachPolicy(arn.clone()));
    }

    if spec.instance_profile {
        match (observed, &current.own_profile) {
            // Created with the role's tags.
            (None, _) | (Some(_), None) => {
                // A profile of that name may exist without the role (an
                // earlier apply stopped between the two): creating it then
                // counts as done when it carries this resource's mark.
                steps.push(Step::CreateInstanceProfile);
                steps.push(Step::AddRoleToInstanceProfile);
            }
            (Some(_), Some(profile)) => {
                if !profile.roles.contains(&spec.name) {
                    // A profile holds one role: one put in its place goes first.
                    steps.extend(profile.roles.iter().map(|other| {
                        Step::RemoveRoleFromInstanceProfile {
                            profile: spec.name.clone(),
                            role: other.clone(),
                        }
                    }));
                    steps.push(Step::AddRoleToInstanceProfile);
                }
                steps.extend(tag_steps(
                    &profile.tags,
                    &spec.tags,
                    Step::UntagInstanceProfile,
                    Step::TagInstanceProfile,
                ));
            }
        }
    }
    steps
}

/// The steps that delete a role: out of every instance profile, the owned
/// profile deleted, inline policies deleted, managed policies detached, and
/// only then the role (IAM refuses to delete a role with any of those).
pub fn teardown_steps(role: &ObservedRole, owned_profile: Option<&str>) -> Vec<Step> {
    let mut steps = Vec::new();
    for profile in &role.instance_profiles {
        steps.push(Step::RemoveRoleFromInstanceProfile {
            profile: profile.name.clone(),
            role: role.name.clone(),
        });
        if owned_profile == Some(profile.name.as_str()) {
            steps.push(Step::DeleteInstanceProfile(profile.name.clone()));
        }
    }
    steps.extend(
        role.inline_policies
            .keys()
            .map(|p| Step::DeleteInlinePolicy(p.clone())),
    );
    steps.extend(
        role.managed_policies
            .iter()
            .map(|arn| Step::DetachPolicy(arn.clone())),
    );
    steps.push(Step::DeleteRole);
    steps
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::aws::ObservedProfile;
    use std::collections::{BTreeMap, BTreeSet};

    const TRUST: &str = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"ec2.amazonaws.com"},"Action":"sts:AssumeRole"}]}"#;
    const POLICY: &str = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["ec2:DescribeInstances","ec2:DescribeRegions"],"Resource":"*"}]}"#;

    fn spec() -> RoleSpec {
        RoleSpec {
            name: "rancher-cp".into(),
            path: "/".into(),
            trust: TRUST.into(),
            inline_policies: BTreeMap::from([("RancherNodePolicy".into(), POLICY.into())]),
            managed_policies: BTreeSet::from(["arn:aws:iam::aws:policy/ReadOnlyAccess".into()]),
            instance_profile: true,
            tags: BTreeMap::from([("team".into(), "platform".into())]),
            max_session_duration: 3600,
            ..Default::default()
        }
    }

    /// What AWS holds once `spec` is applied, written the way IAM rewrites it.
    fn applied() -> ObservedRole {
        ObservedRole {
            name: "rancher-cp".into(),
            path: "/".into(),
            trust: r#"{"Statement":[{"Action":"sts:AssumeRole","Principal":{"Service":["ec2.amazonaws.com"]},"Effect":"Allow"}],"Version":"2012-10-17"}"#.into(),
            max_session_duration: 3600,
            tags: BTreeMap::from([("team".into(), "platform".into())]),
            inline_policies: BTreeMap::from([(
                "RancherNodePolicy".into(),
                r#"{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":["ec2:DescribeRegions","ec2:DescribeInstances"],"Resource":["*"]}}"#.into(),
            )]),
            managed_policies: BTreeSet::from(["arn:aws:iam::aws:policy/ReadOnlyAccess".into()]),
            instance_profiles: vec![own_profile()],
            own_profile: Some(own_profile()),
            ..Default::default()
        }
    }

    fn own_profile() -> ObservedProfile {
        ObservedProfile {
            name: "rancher-cp".into(),
            arn: "arn".into(),
            roles: vec!["rancher-cp".into()],
            tags: BTreeMap::from([("team".into(), "platform".into())]),
            mark: Some("m".into()),
        }
    }

    #[test]
    fn create_orders_role_then_policies_then_profile() {
        let role_then_policies_then_profile = vec![
            Step::CreateRole,
            Step::PutInlinePolicy("RancherNodePolicy".into()),
            Step::AttachPolicy("arn:aws:iam::aws:policy/ReadOnlyAccess".into()),
            Step::CreateInstanceProfile,
            Step::AddRoleToInstanceProfile,
        ];
        assert_eq!(
            converge_steps(&spec(), None),
            role_then_policies_then_profile
        );
    }

    #[test]
    fn nothing_to_do_when_aws_holds_the_spec_in_iams_own_shape() {
        assert_eq!(converge_steps(&spec(), Some(&applied())), vec![]);
    }

    #[test]
    fn drift_is_repaired_precisely() {
        let mut drifted = applied();
        drifted.trust = TRUST.replace("ec2.amazonaws.com", "lambda.amazonaws.com");
        drifted.tags.insert("extra".into(), "x".into());
        drifted.tags.insert("team".into(), "other".into());
        drifted
            .inline_policies
            .insert("Added".into(), POLICY.into());
        drifted.inline_policies.insert(
            "RancherNodePolicy".into(),
            POLICY.replace("ec2:DescribeRegions", "ec2:*"),
        );
        drifted.managed_policies =
            BTreeSet::from(["arn:aws:iam::aws:policy/AdministratorAccess".into()]);
        drifted.own_profile = None;
        assert_eq!(
            converge_steps(&spec(), Some(&drifted)),
            vec![
                Step::UpdateTrust,
                Step::Untag(vec!["extra".into()]),
                Step::Tag(BTreeMap::from([("team".into(), "platform".into())])),
                Step::PutInlinePolicy("RancherNodePolicy".into()),
                Step::DeleteInlinePolicy("Added".into()),
                Step::AttachPolicy("arn:aws:iam::aws:policy/ReadOnlyAccess".into()),
                Step::DetachPolicy("arn:aws:iam::aws:policy/AdministratorAccess".into()),
                Step::CreateInstanceProfile,
                Step::AddRoleToInstanceProfile,
            ]
        );
    }

    #[test]
    fn instance_profile_tags_and_membership_are_repaired() {
        let mut drifted = applied();
        let profile = drifted.own_profile.as_mut().unwrap();
        profile.roles.clear();
        profile.tags.insert("Team".into(), "x".into());
        profile.tags.remove("team");
        let steps = converge_steps(&spec(), Some(&drifted));
        // Membership first, then the tags (untag before tag).
        assert_eq!(steps[0], Step::AddRoleToInstanceProfile);
        assert_eq!(
            steps[1..],
            [
                Step::UntagInstanceProfile(vec!["Team".into()]),
                Step::TagInstanceProfile(BTreeMap::from([("team".into(), "platform".into())])),
            ]
        );
    }

    #[test]
    fn a_role_put_in_the_profiles_place_is_taken_out_first() {
        let mut drifted = applied();
        drifted.own_profile.as_mut().unwrap().roles = vec!["intruder".into()];
        assert_eq!(
            converge_steps(&spec(), Some(&drifted)),
            vec![
                Step::RemoveRoleFromInstanceProfile {
                    profile: "rancher-cp".into(),
                    role: "intruder".into()
                },
                Step::AddRoleToInstanceProfile,
            ]
        );
    }

    #[test]
    fn teardown_empties_the_role_before_deleting_it() {
        let mut role = applied();
        role.instance_profiles.push(ObservedProfile {
            name: "someone-elses".into(),
            arn: "arn".into(),
            roles: vec!["rancher-cp".into()],
            ..Default::default()
        });
        assert_eq!(
            teardown_steps(&role, Some("rancher-cp")),
            vec![
                Step::RemoveRoleFromInstanceProfile {
                    profile: "rancher-cp".into(),
                    role: "rancher-cp".into()
                },
                Step::DeleteInstanceProfile("rancher-cp".into()),
                Step::RemoveRoleFromInstanceProfile {
                    profile: "someone-elses".into(),
                    role: "rancher-cp".into()
                },
                Step::DeleteInlinePolicy("RancherNodePolicy".into()),
                Step::DetachPolicy("arn:aws:iam::aws:policy/ReadOnlyAccess".into()),
                Step::DeleteRole,
            ]
        );
    }
}
