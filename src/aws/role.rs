//! IAM roles, their inline and attached policies, tags and instance
//! profiles: one observation call and the primitive mutations the role
//! engine sequences. Calls that IAM's eventual consistency can fail right
//! after a create are retried within `propagation_timeout`.

use std::collections::{BTreeMap, BTreeSet};

use super::actions::{
    IAM_ATTACH_ROLE_POLICY, IAM_CREATE_ROLE, IAM_DELETE_ROLE, IAM_DELETE_ROLE_PERMISSIONS_BOUNDARY,
    IAM_DELETE_ROLE_POLICY, IAM_DETACH_ROLE_POLICY, IAM_GET_ROLE, IAM_GET_ROLE_POLICY,
    IAM_LIST_ATTACHED_ROLE_POLICIES, IAM_LIST_INSTANCE_PROFILES_FOR_ROLE, IAM_LIST_ROLE_POLICIES,
    IAM_PUT_ROLE_PERMISSIONS_BOUNDARY, IAM_PUT_ROLE_POLICY, IAM_UPDATE_ASSUME_ROLE_POLICY,
    IAM_UPDATE_ROLE,
};
use super::call::{call, remove};
use super::client::Aws;
use super::error::{AwsError, Found, found};
use super::log::Attempts;
use super::observed::{ObservedProfile, ObservedRole, Profiles};
use super::observed::{iam_tags, tag_map};
use super::ownership::{split_ownership_mark, with_ownership_mark};
use crate::policy::from_iam;

/// What CreateRole needs.
pub struct NewRole<'a> {
    pub name: &'a str,
    pub path: &'a str,
    pub description: Option<&'a str>,
    pub trust: &'a str,
    pub max_session_duration: i32,
    pub permissions_boundary: Option<&'a str>,
    pub tags: &'a BTreeMap<String, String>,
    /// The ownership mark written with the role.
    pub mark: &'a str,
}

/// How a create ended.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Creation {
    /// AWS made the object as asked.
    Created,
    /// An attempt whose answer was lost made it: it carries our mark, but
    /// nothing says it still matches what was asked, so read it again.
    MadeByLostAttempt,
    /// It existed and is ours to take (see
    /// [`Aws::create_instance_profile`]); read it again, as it may differ
    /// from what was asked.
    Claimed,
}

/// IAM has not yet seen a principal (e.g. an OIDC provider) created moments ago.
fn invalid_principal(e: &AwsError) -> bool {
    e.code() == Some("MalformedPolicyDocument")
        && e.message.to_ascii_lowercase().contains("principal")
}

/// IAM has not yet seen a role or instance profile created moments ago.
pub(super) fn not_yet_visible(e: &AwsError) -> bool {
    e.is_not_found()
        || (e.code() == Some("InvalidParameterValue") && e.message.contains("nstance profile"))
}

impl Aws {
    /// Everything about a role; `None` when it does not exist.
    pub async fn get_role(&self, name: &str) -> Found<ObservedRole> {
        self.get_role_observing(name, Profiles::All).await
    }

    /// The role with its policies, and its instance profiles only when asked:
    /// a role that owns none need not pay for ListInstanceProfilesForRole
    /// on every refresh. Deleting a role always needs them ([`Aws::get_role`]).
    pub async fn get_role_observing(&self, name: &str, profiles: Profiles) -> Found<ObservedRole> {
        let Some(mut observed) = self.get_role_only(name).await? else {
            return Ok(None);
        };
        // Gone between calls: report it as gone rather than half-observed.
        match self.fill_role_details(&mut observed, profiles).await {
            Ok(()) => Ok(Some(observed)),
            Err(e) if e.is_not_found() => Ok(None),
            Err(e) => Err(e),
        }
    }

    /// The role itself (GetRole: trust, tags, settings) without its
    /// policies and instance profiles, for callers that own none of those.
    pub(crate) async fn get_role_only(&self, name: &str) -> Found<ObservedRole> {
        let Some(out) = found(
            call(
                &IAM_GET_ROLE,
                name,
                self.iam.get_role().role_name(name).send(),
            )
            .await,
        )?
        else {
            return Ok(None);
        };
        let Some(role) = out.role else {
            return Ok(None);
        };
        // GetRole returns all of a role's tags (at most 50), so no
        // ListRoleTags: one call fewer on every refresh (BENCHMARKS.md).
        let (tags, mark) = split_ownership_mark(tag_map(role.tags()));
        let observed = ObservedRole {
            name: role.role_name,
            path: role.path,
            arn: role.arn,
            unique_id: role.role_id,
            description: role.description.filter(|d| !d.is_empty()),
            trust: role
                .assume_role_policy_document
                .as_deref()
                .map(from_iam)
                .unwrap_or_default(),
            max_session_duration: role.max_session_duration.unwrap_or(3600),
            permissions_boundary: role
                .permissions_boundary
                .and_then(|b| b.permissions_boundary_arn),
            tags,
            mark,
            ..Default::default()
        };
        Ok(Some(observed))
    }

    /// The role's inline policies, attachments and (when asked) instance
    /// profiles, read concurrently: on real AWS each call is a round trip.
    async fn fill_role_details(
        &self,
        role: &mut ObservedRole,
        profiles: Profiles,
    ) -> Result<(), AwsError> {
        let name = role.name.as_str();
        let (inline_policies, managed_policies, (instance_profiles, own_profile)) = tokio::try_join!(
            self.role_inline_policies(name),
            self.role_managed_policies(name),
            async {
                match profiles {
                    Profiles::All => Ok((self.role_instance_profiles(name).await?, None)),
                    Profiles::Own => Ok((Vec::new(), self.get_instance_profile(name).await?)),
                    Profiles::Skip => Ok((Vec::new(), None)),
                }
            },
        )?;
        role.inline_policies = inline_policies;
        role.managed_policies = managed_policies;
        role.instance_profiles = instance_profiles;
        role.own_profile = own_profile;
        Ok(())
    }

    async fn role_inline_policies(&self, name: &str) -> Result<BTreeMap<String, String>, AwsError> {
        let names: Vec<String> = call(
            &IAM_LIST_ROLE_POLICIES,
            name,
            self.iam
                .list_role_policies()
                .role_name(name)
                .into_paginator()
                .items()
                .send()
                .try_collect(),
        )
        .await?;
        let documents = names.into_iter().map(|policy| async move {
            let out = call(
                &IAM_GET_ROLE_POLICY,
                name,
                self.iam
                    .get_role_policy()
                    .role_name(name)
                    .policy_name(&policy)
                    .send(),
            )
            .await?;
            Ok::<_, AwsError>((policy, from_iam(&out.policy_document)))
        });
        futures::future::try_join_all(documents)
            .await
            .map(|pairs| pairs.into_iter().collect())
    }

    async fn role_managed_policies(&self, name: &str) -> Result<BTreeSet<String>, AwsError> {
        let attached: Vec<_> = call(
            &IAM_LIST_ATTACHED_ROLE_POLICIES,
            name,
            self.iam
                .list_attached_role_policies()
                .role_name(name)
                .into_paginator()
                .items()
                .send()
                .try_collect(),
        )
        .await?;
        Ok(attached.into_iter().filter_map(|p| p.policy_arn).collect())
    }

    async fn role_instance_profiles(&self, name: &str) -> Result<Vec<ObservedProfile>, AwsError> {
        let profiles: Vec<_> = call(
            &IAM_LIST_INSTANCE_PROFILES_FOR_ROLE,
            name,
            self.iam
                .list_instance_profiles_for_role()
                .role_name(name)
                .into_paginator()
                .items()
                .send()
                .try_collect(),
        )
        .await?;
        Ok(profiles
            .into_iter()
            .map(|p| ObservedProfile {
                name: p.instance_profile_name,
                arn: p.arn,
                roles: p.roles.into_iter().map(|r| r.role_name).collect(),
                ..Default::default()
            })
            .collect())
    }

    /// Creates the role, marked as ours. When an attempt's answer was lost
    /// and the retry meets the role, it is claimed only if it carries this
    /// create's mark; any other role of that name is someone else's.
    pub async fn create_role(&self, role: &NewRole<'_>) -> Result<Creation, AwsError> {
        let tags = with_ownership_mark(role.tags, role.mark);
        let attempts = Attempts::default();
        let created = self
            .call_when_visible(&IAM_CREATE_ROLE, role.name, invalid_principal, || {
                self.iam
                    .create_role()
                    .role_name(role.name)
                    .path(role.path)
                    .set_description(role.description.map(str::to_string))
                    .assume_role_policy_document(role.trust)
                    .max_session_duration(role.max_session_duration)
                    .set_permissions_boundary(role.permissions_boundary.map(str::to_string))
                    .set_tags(Some(iam_tags(&tags)))
                    .customize()
                    .interceptor(attempts.counter())
                    .send()
            })
            .await;
        match created {
            Ok(()) => Ok(Creation::Created),
            Err(e) if attempts.may_have_met_own_object(&e) => {
                match self.get_role_only(role.name).await? {
                    Some(found) if found.mark.as_deref() == Some(role.mark) => {
                        Ok(Creation::MadeByLostAttempt)
                    }
                    _ => Err(e),
                }
            }
            Err(e) => Err(e),
        }
    }

    pub async fn update_role_trust(&self, name: &str, trust: &str) -> Result<(), AwsError> {
        self.call_when_visible(
            &IAM_UPDATE_ASSUME_ROLE_POLICY,
            name,
            invalid_principal,
            || {
                self.iam
                    .update_assume_role_policy()
                    .role_name(name)
                    .policy_document(trust)
                    .send()
            },
        )
        .await
    }

    pub async fn update_role(
        &self,
        name: &str,
        description: Option<&str>,
        max_session_duration: i32,
    ) -> Result<(), AwsError> {
        call(
            &IAM_UPDATE_ROLE,
            name,
            self.iam
                .update_role()
                .role_name(name)
                .description(description.unwrap_or_default())
                .max_session_duration(max_session_duration)
                .send(),
        )
        .await?;
        Ok(())
    }

    pub async fn put_role_boundary(&self, name: &str, boundary: &str) -> Result<(), AwsError> {
        call(
            &IAM_PUT_ROLE_PERMISSIONS_BOUNDARY,
            name,
            self.iam
                .put_role_permissions_boundary()
                .role_name(name)
                .permissions_boundary(boundary)
                .send(),
        )
        .await?;
        Ok(())
    }

    pub async fn delete_role_boundary(&self, name: &str) -> Result<(), AwsError> {
        remove(
            &IAM_DELETE_ROLE_PERMISSIONS_BOUNDARY,
            name,
            self.iam
                .delete_role_permissions_boundary()
                .role_name(name)
                .send(),
        )
        .await
    }

    pub async fn put_role_policy(
        &self,
        role: &str,
        policy: &str,
        document: &str,
    ) -> Result<(), AwsError> {
        self.call_when_visible(&IAM_PUT_ROLE_POLICY, role, not_yet_visible, || {
            self.iam
                .put_role_policy()
                .role_name(role)
                .policy_name(policy)
                .policy_document(document)
                .send()
        })
        .await
    }

    pub async fn delete_role_policy(&self, role: &str, policy: &str) -> Result<(), AwsError> {
        remove(
            &IAM_DELETE_ROLE_POLICY,
            role,
            self.iam
                .delete_role_policy()
                .role_name(role)
                .policy_name(policy)
                .send(),
        )
        .await
    }

    pub async fn attach_role_policy(&self, role: &str, policy_arn: &str) -> Result<(), AwsError> {
        let role_not_yet_visible = |e: &AwsError| e.is_not_found() && e.message.contains("role");
        self.call_when_visible(&IAM_ATTACH_ROLE_POLICY, role, role_not_yet_visible, || {
            self.iam
                .attach_role_policy()
                .role_name(role)
                .policy_arn(policy_arn)
                .send()
        })
        .await
    }

    pub async fn detach_role_policy(&self, role: &str, policy_arn: &str) -> Result<(), AwsError> {
        remove(
            &IAM_DETACH_ROLE_POLICY,
            role,
            self.iam
                .detach_role_policy()
                .role_name(role)
                .policy_arn(policy_arn)
                .send(),
        )
        .await
    }

    pub async fn delete_role(&self, name: &str) -> Result<(), AwsError> {
        remove(
            &IAM_DELETE_ROLE,
            name,
            self.iam.delete_role().role_name(name).send(),
        )
        .await
    }
}
