//! IAM customer managed policies: the policy, its versions, its tags and its
//! attachment to users.

use std::collections::BTreeMap;

use aws_sdk_iam::types::EntityType;

use super::actions::{
    IAM_ATTACH_USER_POLICY, IAM_CREATE_POLICY, IAM_CREATE_POLICY_VERSION, IAM_DELETE_POLICY,
    IAM_DELETE_POLICY_VERSION, IAM_DETACH_USER_POLICY, IAM_GET_POLICY, IAM_GET_POLICY_VERSION,
    IAM_LIST_ENTITIES_FOR_POLICY, IAM_LIST_POLICY_VERSIONS,
};
use super::call::{call, remove};
use super::client::Aws;
use super::error::{AwsError, Found, found};
use super::log::Attempts;
use super::observed::{iam_tags, tag_map};
use super::ownership::{split_ownership_mark, with_ownership_mark};
use crate::arn::{Arn, IamKind};

/// IAM keeps at most this many versions of a managed policy.
pub const MAX_POLICY_VERSIONS: usize = 5;

/// A customer managed policy as IAM describes it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ManagedPolicy {
    pub arn: String,
    pub name: String,
    pub path: String,
    pub description: Option<String>,
    pub default_version_id: String,
    /// GetPolicy returns all of a policy's tags, so a read needs no
    /// ListPolicyTags. Without the ownership mark.
    pub tags: BTreeMap<String, String>,
    pub mark: Option<String>,
}

/// One version of a managed policy.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PolicyVersion {
    pub version_id: String,
    pub is_default: bool,
}

impl PolicyVersion {
    /// IAM numbers versions `v1`, `v2`, ... in creation order.
    pub fn number(&self) -> u64 {
        self.version_id
            .trim_start_matches('v')
            .parse()
            .unwrap_or(u64::MAX)
    }
}

fn policy_from_sdk(p: &aws_sdk_iam::types::Policy) -> ManagedPolicy {
    let (tags, mark) = split_ownership_mark(tag_map(p.tags()));
    ManagedPolicy {
        arn: p.arn().unwrap_or_default().to_string(),
        name: p.policy_name().unwrap_or_default().to_string(),
        path: p.path().unwrap_or("/").to_string(),
        description: p
            .description()
            .filter(|d| !d.is_empty())
            .map(str::to_string),
        default_version_id: p.default_version_id().unwrap_or_default().to_string(),
        tags,
        mark,
    }
}

impl Aws {
    pub async fn create_policy(
        &self,
        name: &str,
        path: &str,
        description: Option<&str>,
        document: &str,
        tags: &BTreeMap<String, String>,
        mark: &str,
    ) -> Result<ManagedPolicy, AwsError> {
        let tags = with_ownership_mark(tags, mark);
        let attempts = Attempts::default();
        let request = self
            .iam
            .create_policy()
            .policy_name(name)
            .path(path)
            .set_description(description.map(str::to_string))
            .policy_document(document)
            .set_tags(Some(iam_tags(&tags)))
            .customize()
            .interceptor(attempts.counter());
        let out = match call(&IAM_CREATE_POLICY, name, request.send()).await {
            // The policy a retry meets after a lost answer is ours only
            // when it carries this create's mark.
            Err(e) if attempts.may_have_met_own_object(&e) => {
                return match self.created_policy(name, path).await {
                    Ok(policy) if policy.mark.as_deref() == Some(mark) => Ok(policy),
                    _ => Err(e),
                };
            }
            other => other?,
        };
        out.policy()
            .map(policy_from_sdk)
            .ok_or_else(|| AwsError::unanswered("CreatePolicy returned no policy"))
    }

    /// The customer managed policy `name` under `path`, by its ARN.
    async fn created_policy(&self, name: &str, path: &str) -> Result<ManagedPolicy, AwsError> {
        let account = self.account_id.as_deref().ok_or_else(|| {
            AwsError::answered(
                "EntityAlreadyExists",
                format!(
                    "a policy called {name} exists, and the caller's account is unknown \
                 (`skip_credentials_validation`); import it by its ARN"
                ),
            )
        })?;
        let arn = Arn::iam(IamKind::Policy, &self.partition, account, path, name).to_string();
        self.get_policy(&arn)
            .await?
            .ok_or_else(|| AwsError::not_found(format!("policy {arn} not visible yet")))
    }

    pub async fn get_policy(&self, arn: &str) -> Found<ManagedPolicy> {
        let result = call(
            &IAM_GET_POLICY,
            arn,
            self.iam.get_policy().policy_arn(arn).send(),
        )
        .await;
        Ok(found(result)?.and_then(|out| out.policy().map(policy_from_sdk)))
    }

    /// The document of one version, as IAM returns it (possibly URL-encoded).
    pub async fn policy_version_document(&self, arn: &str, version_id: &str) -> Found<String> {
        let result = call(
            &IAM_GET_POLICY_VERSION,
            arn,
            self.iam
                .get_policy_version()
                .policy_arn(arn)
                .version_id(version_id)
                .send(),
        )
        .await;
        Ok(found(result)?.and_then(|out| {
            out.policy_version()
                .and_then(|v| v.document())
                .map(str::to_string)
        }))
    }

    pub async fn list_policy_versions(&self, arn: &str) -> Result<Vec<PolicyVersion>, AwsError> {
        let out = call(
            &IAM_LIST_POLICY_VERSIONS,
            arn,
            self.iam.list_policy_versions().policy_arn(arn).send(),
        )
        .await?;
        Ok(out
            .versions()
            .iter()
            .map(|v| PolicyVersion {
                version_id: v.version_id().unwrap_or_default().to_string(),
                is_default: v.is_default_version(),
            })
            .collect())
    }

    pub async fn delete_policy_version(&self, arn: &str, version_id: &str) -> Result<(), AwsError> {
        remove(
            &IAM_DELETE_POLICY_VERSION,
            arn,
            self.iam
                .delete_policy_version()
                .policy_arn(arn)
                .version_id(version_id)
                .send(),
        )
        .await
    }

    /// Adds `document` as the policy's new default version; returns its id.
    pub async fn create_default_policy_version(
        &self,
        arn: &str,
        document: &str,
    ) -> Result<String, AwsError> {
        let out = call(
            &IAM_CREATE_POLICY_VERSION,
            arn,
            self.iam
                .create_policy_version()
                .policy_arn(arn)
                .policy_document(document)
                .set_as_default(true)
                .send(),
        )
        .await?;
        Ok(out
            .policy_version()
            .and_then(|v| v.version_id())
            .unwrap_or_default()
            .to_string())
    }

    /// Deletes the policy itself (IAM refuses while it has other versions
    /// or attachments); Ok when it is already gone.
    pub async fn delete_policy(&self, arn: &str) -> Result<(), AwsError> {
        let request = self.iam.delete_policy().policy_arn(arn);
        remove(&IAM_DELETE_POLICY, arn, request.send()).await
    }

    /// The names of the IAM users the policy is attached to.
    pub async fn policy_users(&self, arn: &str) -> Result<Vec<String>, AwsError> {
        let mut users = Vec::new();
        let mut marker = None;
        loop {
            let out = call(
                &IAM_LIST_ENTITIES_FOR_POLICY,
                arn,
                self.iam
                    .list_entities_for_policy()
                    .policy_arn(arn)
                    .entity_filter(EntityType::User)
                    .set_marker(marker)
                    .send(),
            )
            .await?;
            users.extend(
                out.policy_users()
                    .iter()
                    .filter_map(|u| u.user_name().map(str::to_string)),
            );
            marker = out.marker().map(str::to_string);
            if !out.is_truncated() || marker.is_none() {
                return Ok(users);
            }
        }
    }

    /// Attaches the policy to a user. A policy or user created moments ago
    /// may not be visible to IAM yet, so NoSuchEntity is retried until the
    /// provider's `propagation_timeout`.
    pub async fn attach_user_policy(&self, user_name: &str, arn: &str) -> Result<(), AwsError> {
        self.call_when_visible(
            &IAM_ATTACH_USER_POLICY,
            user_name,
            AwsError::is_not_found,
            || {
                self.iam
                    .attach_user_policy()
                    .user_name(user_name)
                    .policy_arn(arn)
                    .send()
            },
        )
        .await
    }

    /// Detaches the policy from a user; Ok also when it was not attached or
    /// the user is gone.
    pub async fn detach_user_policy(&self, user_name: &str, arn: &str) -> Result<(), AwsError> {
        remove(
            &IAM_DETACH_USER_POLICY,
            user_name,
            self.iam
                .detach_user_policy()
                .user_name(user_name)
                .policy_arn(arn)
                .send(),
        )
        .await
    }
}
