//! Service-linked roles: created by AWS for a service, found by the service's
//! path, deleted through an asynchronous deletion task.
//!
//! CreateServiceLinkedRole takes no tags, so the ownership mark goes into the
//! role's description, which the create call sets atomically: a role found
//! after an attempt whose answer was lost is ours only when its description
//! is this create's mark. Nothing is ever tagged afterwards, so a role made by
//! someone else never gets our mark.

use std::time::Duration;

use super::actions::{
    IAM_CREATE_SERVICE_LINKED_ROLE, IAM_DELETE_SERVICE_LINKED_ROLE,
    IAM_GET_SERVICE_LINKED_ROLE_DELETION_STATUS, IAM_LIST_ROLES,
};
use super::call::call;
use super::client::Aws;
use super::error::AwsError;
use super::log::Attempts;
use super::observed::ServiceLinkedRole;

/// The outcome of asking AWS for a service-linked role.
pub enum Created {
    New(ServiceLinkedRole),
    /// One already existed (AWS allows one per service and account).
    Existing(ServiceLinkedRole),
}

fn service_path(service: &str) -> String {
    format!("/aws-service-role/{service}/")
}

impl Aws {
    /// Creates the service's linked role with `mark` as its description, or
    /// finds the one that exists. One found after an attempt whose answer
    /// was lost is [`Created::New`] only when its description is `mark`:
    /// another client may have made it meanwhile.
    pub async fn create_service_linked_role(
        &self,
        service: &str,
        mark: &str,
    ) -> Result<Created, AwsError> {
        let attempts = Attempts::default();
        let created = call(
            &IAM_CREATE_SERVICE_LINKED_ROLE,
            service,
            self.iam
                .create_service_linked_role()
                .aws_service_name(service)
                .description(mark)
                .customize()
                .interceptor(attempts.counter())
                .send(),
        )
        .await;
        match created {
            Ok(out) => {
                let role = out.role.ok_or_else(|| {
                    AwsError::unanswered("CreateServiceLinkedRole returned no role")
                })?;
                Ok(Created::New(ServiceLinkedRole {
                    name: role.role_name,
                    path: role.path,
                    arn: role.arn,
                    description: role.description,
                }))
            }
            Err(err) => {
                // AWS answers InvalidInput ("... has been taken in this account"),
                // others EntityAlreadyExists: either way, look it up by its path.
                if matches!(err.code(), Some("InvalidInput" | "EntityAlreadyExists"))
                    && let Some(role) = self.find_service_linked_role(service).await?
                {
                    // Ours only if an attempt of this create made it: then
                    // it carries this create's mark, which no one else has.
                    let ours = attempts.may_have_acted_unseen()
                        && role.description.as_deref() == Some(mark);
                    return Ok(if ours {
                        Created::New(role)
                    } else {
                        Created::Existing(role)
                    });
                }
                Err(err)
            }
        }
    }

    /// The service's linked role, found by the service's path.
    pub async fn find_service_linked_role(
        &self,
        service: &str,
    ) -> Result<Option<ServiceLinkedRole>, AwsError> {
        let path = service_path(service);
        let listing = self.iam.list_roles().path_prefix(&path);
        let pages = listing.into_paginator().items().send();
        let roles = call(&IAM_LIST_ROLES, path, pages.try_collect()).await?;
        Ok(roles.into_iter().next().map(|r| ServiceLinkedRole {
            name: r.role_name,
            path: r.path,
            arn: r.arn,
            description: r.description,
        }))
    }

    /// A role by name, as a service-linked role (None when it does not exist).
    /// AWS manages its policies, so GetRole alone says all we need.
    pub async fn get_service_linked_role(
        &self,
        name: &str,
    ) -> Result<Option<ServiceLinkedRole>, AwsError> {
        Ok(self.get_role_only(name).await?.map(|r| ServiceLinkedRole {
            name: r.name,
            path: r.path,
            arn: r.arn,
            description: r.description,
        }))
    }

    /// Deletes a service-linked role and waits for AWS's deletion task.
    pub async fn delete_service_linked_role(
        &self,
        name: &str,
        timeout: Duration,
    ) -> Result<(), AwsError> {
        let task = match call(
            &IAM_DELETE_SERVICE_LINKED_ROLE,
            name,
            self.iam.delete_service_linked_role().role_name(name).send(),
        )
        .await
        {
            Ok(out) => out.deletion_task_id,
            Err(e) if e.is_not_found() => return Ok(()),
            Err(e) => return Err(e),
        };
        let deadline = tokio::time::Instant::now() + timeout;
        loop {
            let status = call(
                &IAM_GET_SERVICE_LINKED_ROLE_DELETION_STATUS,
                name,
                self.iam
                    .get_service_linked_role_deletion_status()
                    .deletion_task_id(&task)
                    .send(),
            )
            .await?;
            match status.status.as_str() {
                "SUCCEEDED" => return Ok(()),
                "FAILED" => {
                    let reason = status
                        .reason
                        .and_then(|r| r.reason)
                        .unwrap_or_else(|| "the role is still in use by the service".to_string());
                    return Err(AwsError::answered("DeletionTaskFailed", reason));
                }
                _ if tokio::time::Instant::now() >= deadline => {
                    return Err(AwsError::answered(
                        "DeletionTaskTimeout",
                        format!("the deletion task {task} did not finish in time"),
                    ));
                }
                _ => tokio::time::sleep(Duration::from_secs(2)).await,
            }
        }
    }
}
