//! `clusteriam_eks_connector_service_linked_role` (seed 004): the
//! service-linked role of `eks-connector.amazonaws.com`, adopted when it
//! already exists and deleted only when this resource created it.

use async_trait::async_trait;

use crate::aws::{Created, ServiceLinkedRole};
use crate::clients::Clients;
use crate::model;
use crate::resources::common::errors::report_with;
use crate::resources::common::ownership::{IMPORT_OWNERSHIP, import_ownership};
use crate::resources::common::{ownership_mark, report};
use crate::tfplugin::{
    Attr, Attribute, Block, CreateRequest, CreateResponse, DeleteRequest, DeleteResponse,
    ImportRequest, ImportResponse, Model, ReadRequest, ReadResponse, Resource, Schema, Type,
    UpdateRequest, UpdateResponse, Value,
};

pub struct EksConnectorServiceLinkedRole;

const SERVICE: &str = "eks-connector.amazonaws.com";

model! {
    /// The resource's attributes.
    struct ServiceLinkedRoleModel {
        id: Attr<String>,
        name: Attr<String>,
        path: Attr<String>,
        arn: Attr<String>,
        adopted: Attr<bool>,
    }
}

fn state(role: &ServiceLinkedRole, adopted: bool) -> Value {
    ServiceLinkedRoleModel {
        id: role.name.as_str().into(),
        name: role.name.as_str().into(),
        path: role.path.as_str().into(),
        arn: role.arn.as_str().into(),
        adopted: adopted.into(),
    }
    .to_value()
}

#[async_trait]
impl Resource<Clients> for EksConnectorServiceLinkedRole {
    fn schema(&self) -> Schema {
        Block::new(
            "The service-linked role of the Amazon EKS Connector (`eks-connector.amazonaws.com`), as `aws iam \
             create-service-linked-role --aws-service-name eks-connector.amazonaws.com` creates it. An account \
             has at most one, and EKS now creates it itself the first time a cluster is registered with the \
             connector, so it may well exist already: then it is adopted (`adopted = true`) instead of failing, \
             and an adopted role is left in place on destroy. Creating it needs `iam:CreateServiceLinkedRole`, \
             which the person who registers a cluster needs anyway when EKS creates it.",
        )
        .attribute(Attribute::computed_string("id", "The role name.").stable())
        .attribute(Attribute::computed_string("name", "The role name AWS gave the service-linked role.").stable())
        .attribute(Attribute::computed_string("path", "The role's path, `/aws-service-role/eks-connector.amazonaws.com/`.").stable())
        .attribute(Attribute::computed_string("arn", "The ARN of the role.").stable())
        .attribute(Attribute::computed("adopted", Type::Bool, &format!("Whether the role existed before this resource was created; an adopted role is not deleted on destroy. A role found after a create whose answer was lost is this resource's own only when it carries that create's mark in its description. {IMPORT_OWNERSHIP}")).stable())
        .into_schema(0)
    }

    async fn create(&self, req: CreateRequest<'_, Clients>, resp: &mut CreateResponse) {
        resp.private.clear();
        let mark = ownership_mark(&mut resp.private);
        match req
            .client
            .aws
            .create_service_linked_role(SERVICE, &mark)
            .await
        {
            Ok(Created::New(role)) => resp.state = state(&role, false),
            Ok(Created::Existing(role)) => {
                resp.diagnostics.warning(
                    format!("Adopted existing IAM service-linked role (`{}`)", role.name),
                    format!(
                        "The EKS Connector's service-linked role already existed (`{}`): an account \
                         has only one. This resource adopted it (`adopted = true`) and will leave \
                         it in place on destroy.",
                        role.arn
                    ),
                );
                resp.state = state(&role, true);
            }
            Err(e) => report(
                &mut resp.diagnostics,
                format!("creating IAM service-linked role (`{SERVICE}`)"),
                &e,
            ),
        }
    }

    async fn read(&self, req: ReadRequest<'_, Clients>, resp: &mut ReadResponse) {
        let prior = ServiceLinkedRoleModel::read(req.state);
        let Some(name) = prior.name.as_deref().or(prior.id.as_deref()) else {
            resp.state = Value::Null;
            return;
        };
        let summary = format!("reading IAM service-linked role (`{name}`)");
        match req.client.aws.read_service_linked_role(name).await {
            Ok(Some(role)) => {
                resp.state = state(&role, prior.adopted == Attr::Known(true));
            }
            Ok(None) => resp.state = Value::Null,
            Err(e) => report(&mut resp.diagnostics, summary, &e),
        }
    }

    async fn update(&self, req: UpdateRequest<'_, Clients>, resp: &mut UpdateResponse) {
        // Nothing is configurable; Terraform never plans an update.
        resp.state = req.planned.clone();
    }

    async fn delete(&self, req: DeleteRequest<'_, Clients>, resp: &mut DeleteResponse) {
        let prior = ServiceLinkedRoleModel::read(req.prior);
        let Some(name) = prior.name.as_deref() else {
            return;
        };
        if prior.adopted == Attr::Known(true) {
            resp.diagnostics.warning(
                format!("IAM service-linked role (`{name}`) left in place"),
                "The role existed before this resource adopted it, so destroy leaves it for whoever created it.",
            );
            return;
        }
        let aws = &req.client.aws;
        let timeout = aws
            .propagation_timeout
            .max(std::time::Duration::from_secs(60));
        let summary = format!("deleting IAM service-linked role (`{name}`)");
        match aws.delete_service_linked_role(name, timeout).await {
            Ok(()) => {}
            // AWS's deletion task refuses while the service uses the role.
            Err(e) if e.is_in_use() => report_with(
                &mut resp.diagnostics,
                summary,
                &e,
                "Deregister the connected clusters first: AWS keeps the role while the EKS \
                 Connector uses it.",
            ),
            Err(e) => report(&mut resp.diagnostics, summary, &e),
        }
    }

    async fn import(&self, req: ImportRequest<'_, Clients>, resp: &mut ImportResponse) {
        // Adopted unless the id asks for ownership: a tag proves nothing.
        let (id, adopted) = import_ownership(req.id);
        let summary = format!("importing IAM service-linked role (`{id}`)");
        match req.client.aws.read_service_linked_role(id).await {
            Ok(Some(role)) if role.path == format!("/aws-service-role/{SERVICE}/") => {
                resp.state = state(&role, adopted);
            }
            Ok(Some(role)) => resp.diagnostics.error(
                summary,
                format!(
                    "`{id}` is not the EKS Connector's service-linked role (its path is {}).",
                    role.path
                ),
            ),
            Ok(None) => resp.diagnostics.error(
                summary,
                format!("There is no role named `{id}` in this account."),
            ),
            Err(e) => report(&mut resp.diagnostics, summary, &e),
        }
    }

    fn type_name(&self) -> &'static str {
        "clusteriam_eks_connector_service_linked_role"
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_model_matches_the_schema() {
        let schema = EksConnectorServiceLinkedRole.schema();
        crate::tfplugin::check_models(&schema.block, &[ServiceLinkedRoleModel::fields()]).unwrap();
    }
}
