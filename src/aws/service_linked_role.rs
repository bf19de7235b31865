//! Service-linked roles: created by AWS for a service, found by the service's
//! path, deleted through an asynchronous deletion task.

use std::time::Duration;

use super::actions::{
    IAM_CREATE_SERVICE_LINKED_ROLE, IAM_DELETE_SERVICE_LINKED_ROLE,
    IAM_GET_SERVICE_LINKED_ROLE_DELETION_STATUS, IAM_LIST_ROLES,
};
use super::{Attempts, Aws, AwsError, IamObject, call, with_ownership_mark};

/// A service-linked role as IAM has it.
#[derive(Clone, Debug, PartialEq)]
pub struct ServiceLinkedRole {
    pub name: String,
    pub path: String,
    pub arn: String,
    /// The ownership mark, when a clusteriam configuration created it.
    pub mark: Option<String>,
}

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
    /// Creates the service's linked role and marks it as ours (it can't be
    /// tagged in the create call itself), or finds the one that exists.
    pub async fn create_service_linked_role(
        &self,
        service: &str,
        mark: &str,
    ) -> Result<Created, AwsError> {
        let created = self.create_service_linked_role_unmarked(service).await?;
        if let Created::New(role) = &created {
            let mark = with_ownership_mark(&Default::default(), mark);
            self.tag_iam(IamObject::Role(&role.name), &mark).await?;
        }
        Ok(created)
    }

    async fn create_service_linked_role_unmarked(
        &self,
        service: &str,
    ) -> Result<Created, AwsError> {
        let attempts = Attempts::default();
        let created = call(
            &IAM_CREATE_SERVICE_LINKED_ROLE,
            service,
            self.iam
                .create_service_linked_role()
                .aws_service_name(service)
                .customize()
                .interceptor(attempts.counter())
                .send(),
        )
        .await;
        match created {
            Ok(out) => {
                let role = out.role.ok_or_else(|| {
                    AwsError::not_found("CreateServiceLinkedRole returned no role".into())
                })?;
                Ok(Created::New(ServiceLinkedRole {
                    name: role.role_name,
                    path: role.path,
                    arn: role.arn,
                    mark: None,
                }))
            }
            Err(err) => {
                // AWS answers InvalidInput ("... has been taken in this account"),
                // others EntityAlreadyExists: either way, look it up by its path.
                if matches!(
                    err.code.as_deref(),
                    Some("InvalidInput" | "EntityAlreadyExists")
                ) && let Some(role) = self.find_service_linked_role(service).await?
                {
                    // Found after an attempt whose answer was lost: that
                    // attempt made it. After a throttle or any other
                    // answer, it was someone else's.
                    return Ok(if attempts.may_have_acted_unseen() {
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
        // ListRoles leaves tags out: the mark is read with GetRole when needed.
        Ok(roles.into_iter().next().map(|r| ServiceLinkedRole {
            name: r.role_name,
            path: r.path,
            arn: r.arn,
            mark: None,
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
            mark: r.mark,
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
                    return Err(AwsError {
                        code: Some("DeletionTaskFailed".into()),
                        message: reason,
                    });
                }
                _ if tokio::time::Instant::now() >= deadline => {
                    return Err(AwsError {
                        code: Some("DeletionTaskTimeout".into()),
                        message: format!("the deletion task {task} did not finish in time"),
                    });
                }
                _ => tokio::time::sleep(Duration::from_secs(2)).await,
            }
        }
    }
}
