//! IAM OIDC identity providers: create, observe, converge, delete.

use std::collections::BTreeMap;

use super::actions::{
    IAM_ADD_CLIENT_ID_TO_OPEN_ID_CONNECT_PROVIDER, IAM_CREATE_OPEN_ID_CONNECT_PROVIDER,
    IAM_DELETE_OPEN_ID_CONNECT_PROVIDER, IAM_GET_OPEN_ID_CONNECT_PROVIDER, IAM_LIST_ROLES,
    IAM_REMOVE_CLIENT_ID_FROM_OPEN_ID_CONNECT_PROVIDER,
    IAM_UPDATE_OPEN_ID_CONNECT_PROVIDER_THUMBPRINT,
};
use super::call::{call, remove};
use super::client::Aws;
use super::error::{AwsError, Found, found};
use super::log::Attempts;
use super::observed::{iam_tags, tag_map};
use super::ownership::{split_ownership_mark, with_ownership_mark};

/// An IAM OIDC provider as AWS reports it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OidcProvider {
    pub arn: String,
    /// The issuer without its scheme, as IAM returns it (`oidc.eks.../id/X`).
    pub url: String,
    pub client_ids: Vec<String>,
    pub thumbprints: Vec<String>,
    /// Tags without the ownership mark.
    pub tags: BTreeMap<String, String>,
    /// The ownership mark it was created with: present when a clusteriam
    /// configuration created it.
    pub mark: Option<String>,
}

/// What CreateOpenIDConnectProvider did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum OidcCreated {
    /// A new provider with this ARN.
    New(String),
    /// A provider for that URL exists (EntityAlreadyExists). After an
    /// attempt whose answer was lost, it may be the one that attempt made:
    /// then it carries this create's mark.
    AlreadyExists { after_lost_answer: bool },
}

impl Aws {
    /// Creates an OIDC provider. An empty `thumbprints` leaves them to IAM,
    /// which then uses the issuer's certificate chain itself.
    pub async fn create_oidc_provider(
        &self,
        url: &str,
        client_ids: &[String],
        thumbprints: &[String],
        tags: &BTreeMap<String, String>,
        mark: &str,
    ) -> Result<OidcCreated, AwsError> {
        // Create is not idempotent: when IAM's answer is lost, the SDK's
        // retry meets the provider the first attempt made. The attempts and
        // the mark tell that apart from a provider someone else made.
        let attempts = Attempts::default();
        let tags = with_ownership_mark(tags, mark);
        let result = call(
            &IAM_CREATE_OPEN_ID_CONNECT_PROVIDER,
            url,
            self.iam
                .create_open_id_connect_provider()
                .url(url)
                .set_client_id_list(Some(client_ids.to_vec()))
                .set_thumbprint_list((!thumbprints.is_empty()).then(|| thumbprints.to_vec()))
                .set_tags(Some(iam_tags(&tags)))
                .customize()
                .interceptor(attempts.counter())
                .send(),
        )
        .await;
        match result {
            Ok(out) => Ok(OidcCreated::New(
                out.open_id_connect_provider_arn()
                    .unwrap_or_default()
                    .to_string(),
            )),
            Err(e) if e.is_already_exists() => Ok(OidcCreated::AlreadyExists {
                after_lost_answer: attempts.may_have_acted_unseen(),
            }),
            Err(e) => Err(e),
        }
    }

    /// The OIDC provider with this ARN, tags included; None when it does not exist.
    pub async fn oidc_provider(&self, arn: &str) -> Found<OidcProvider> {
        let result = call(
            &IAM_GET_OPEN_ID_CONNECT_PROVIDER,
            arn,
            self.iam
                .get_open_id_connect_provider()
                .open_id_connect_provider_arn(arn)
                .send(),
        )
        .await;
        found(result).map(|out| {
            out.map(|p| {
                let (tags, mark) = split_ownership_mark(tag_map(p.tags()));
                OidcProvider {
                    arn: arn.to_string(),
                    url: p.url().unwrap_or_default().to_string(),
                    client_ids: p.client_id_list().to_vec(),
                    thumbprints: p.thumbprint_list().to_vec(),
                    tags,
                    mark,
                }
            })
        })
    }

    pub async fn add_oidc_client_id(&self, arn: &str, client_id: &str) -> Result<(), AwsError> {
        call(
            &IAM_ADD_CLIENT_ID_TO_OPEN_ID_CONNECT_PROVIDER,
            arn,
            self.iam
                .add_client_id_to_open_id_connect_provider()
                .open_id_connect_provider_arn(arn)
                .client_id(client_id)
                .send(),
        )
        .await?;
        Ok(())
    }

    pub async fn remove_oidc_client_id(&self, arn: &str, client_id: &str) -> Result<(), AwsError> {
        call(
            &IAM_REMOVE_CLIENT_ID_FROM_OPEN_ID_CONNECT_PROVIDER,
            arn,
            self.iam
                .remove_client_id_from_open_id_connect_provider()
                .open_id_connect_provider_arn(arn)
                .client_id(client_id)
                .send(),
        )
        .await?;
        Ok(())
    }

    pub async fn set_oidc_thumbprints(
        &self,
        arn: &str,
        thumbprints: &[String],
    ) -> Result<(), AwsError> {
        call(
            &IAM_UPDATE_OPEN_ID_CONNECT_PROVIDER_THUMBPRINT,
            arn,
            self.iam
                .update_open_id_connect_provider_thumbprint()
                .open_id_connect_provider_arn(arn)
                .set_thumbprint_list(Some(thumbprints.to_vec()))
                .send(),
        )
        .await?;
        Ok(())
    }

    /// Marks the provider as made by the resource whose ownership mark is
    /// `mark`: a replacement taking over the provider of the resource it
    /// replaces.
    pub async fn mark_oidc_provider(&self, arn: &str, mark: &str) -> Result<(), AwsError> {
        let tags = with_ownership_mark(&BTreeMap::new(), mark);
        self.tag_iam(super::iam_tags::IamObject::OidcProvider(arn), &tags)
            .await
    }

    /// The names of the roles whose trust policy names `principal` (an OIDC
    /// provider ARN) as a federated principal: who would lose access if it
    /// went away.
    pub async fn roles_trusting(&self, principal: &str) -> Result<Vec<String>, AwsError> {
        let roles: Vec<_> = super::log::account_wide(call(
            &IAM_LIST_ROLES,
            principal,
            self.iam
                .list_roles()
                .into_paginator()
                .items()
                .send()
                .try_collect(),
        ))
        .await?;
        Ok(roles
            .into_iter()
            .filter(|r| {
                r.assume_role_policy_document.as_deref().is_some_and(|doc| {
                    crate::policy::trusts_federated(&crate::policy::from_iam(doc), principal)
                })
            })
            .map(|r| r.role_name)
            .collect())
    }

    /// Deletes the provider; one that is already gone counts as deleted.
    pub async fn delete_oidc_provider(&self, arn: &str) -> Result<(), AwsError> {
        remove(
            &IAM_DELETE_OPEN_ID_CONNECT_PROVIDER,
            arn,
            self.iam
                .delete_open_id_connect_provider()
                .open_id_connect_provider_arn(arn)
                .send(),
        )
        .await
    }
}
