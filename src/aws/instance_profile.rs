//! IAM instance profiles: the one named like a Rancher node role, holding
//! it, with the role's tags and the ownership mark.

use std::collections::BTreeMap;

use super::actions::{
    IAM_ADD_ROLE_TO_INSTANCE_PROFILE, IAM_CREATE_INSTANCE_PROFILE, IAM_DELETE_INSTANCE_PROFILE,
    IAM_GET_INSTANCE_PROFILE, IAM_REMOVE_ROLE_FROM_INSTANCE_PROFILE,
};
use super::call::{call, remove};
use super::client::Aws;
use super::error::{AwsError, Found, found};
use super::iam_tags::IamObject;
use super::observed::ObservedProfile;
use super::observed::{iam_tags, tag_map};
use super::ownership::{split_ownership_mark, with_ownership_mark};
use super::role::{Creation, not_yet_visible};

impl Aws {
    pub async fn get_instance_profile(&self, name: &str) -> Found<ObservedProfile> {
        let out = found(
            call(
                &IAM_GET_INSTANCE_PROFILE,
                name,
                self.iam
                    .get_instance_profile()
                    .instance_profile_name(name)
                    .send(),
            )
            .await,
        )?;
        Ok(out.and_then(|o| o.instance_profile).map(|p| {
            let (tags, mark) = split_ownership_mark(tag_map(p.tags()));
            ObservedProfile {
                name: p.instance_profile_name,
                arn: p.arn,
                roles: p.roles.into_iter().map(|r| r.role_name).collect(),
                tags,
                mark,
            }
        }))
    }

    /// Creates the instance profile `name` for the role of that name, marked
    /// as ours. One of that name that already exists is ours when it
    /// carries `mark` (an earlier, interrupted apply of the same resource
    /// made it), or when this provider made it (it carries a mark) and it
    /// holds no other role: the profile a node-role resource made, whose
    /// role was deleted outside Terraform, is taken over by the resource
    /// creating the role again, under the new mark. Either way it may differ
    /// from what was asked, so it is read again ([`Creation::Claimed`]).
    pub async fn create_instance_profile(
        &self,
        name: &str,
        path: &str,
        tags: &BTreeMap<String, String>,
        mark: &str,
    ) -> Result<Creation, AwsError> {
        let created = call(
            &IAM_CREATE_INSTANCE_PROFILE,
            name,
            self.iam
                .create_instance_profile()
                .instance_profile_name(name)
                .path(path)
                .set_tags(Some(iam_tags(&with_ownership_mark(tags, mark))))
                .send(),
        )
        .await
        .map(|_| Creation::Created);
        match created {
            Err(e) if e.is_already_exists() => {
                match self.get_instance_profile(name).await? {
                    Some(p) if p.mark.as_deref() == Some(mark) => Ok(Creation::Claimed),
                    Some(p) if p.mark.is_some() && p.roles.iter().all(|r| r == name) => {
                        let mark = with_ownership_mark(&BTreeMap::new(), mark);
                        self.tag_iam(IamObject::InstanceProfile(name), &mark)
                            .await?;
                        Ok(Creation::Claimed)
                    }
                    // Gone again meanwhile: the next apply creates it.
                    None => Err(e),
                    Some(_) => Err(e.with_message(format!(
                            "an instance profile named {name} already exists, and this resource did not \
                             create it. Delete it (`aws iam delete-instance-profile \
                             --instance-profile-name {name}`) if nothing uses it, or choose another role name"
                    ))),
                }
            }
            other => other,
        }
    }

    pub async fn add_role_to_instance_profile(
        &self,
        profile: &str,
        role: &str,
    ) -> Result<(), AwsError> {
        self.call_when_visible(
            &IAM_ADD_ROLE_TO_INSTANCE_PROFILE,
            profile,
            not_yet_visible,
            || {
                self.iam
                    .add_role_to_instance_profile()
                    .instance_profile_name(profile)
                    .role_name(role)
                    .send()
            },
        )
        .await
    }

    pub async fn remove_role_from_instance_profile(
        &self,
        profile: &str,
        role: &str,
    ) -> Result<(), AwsError> {
        remove(
            &IAM_REMOVE_ROLE_FROM_INSTANCE_PROFILE,
            profile,
            self.iam
                .remove_role_from_instance_profile()
                .instance_profile_name(profile)
                .role_name(role)
                .send(),
        )
        .await
    }

    pub async fn delete_instance_profile(&self, name: &str) -> Result<(), AwsError> {
        remove(
            &IAM_DELETE_INSTANCE_PROFILE,
            name,
            self.iam
                .delete_instance_profile()
                .instance_profile_name(name)
                .send(),
        )
        .await
    }
}
