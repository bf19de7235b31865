//! `clusteriam_eks_connector_service_linked_role` (seed 004): the
//! service-linked role of `eks-connector.amazonaws.com`, adopted when it
//! already exists and deleted only when this resource created it.

use async_trait::async_trait;

use crate::aws::{Created, ServiceLinkedRole};
use crate::provider::Clients;
use crate::resources::ownership_mark;
use crate::tfplugin::{Attribute, Block, Ctx, Diagnostics, Resource, Schema, Type, Value};

pub struct EksConnectorServiceLinkedRole;

const SERVICE: &str = "eks-connector.amazonaws.com";

fn state(role: &ServiceLinkedRole, adopted: bool) -> Value {
    Value::Map(
        [
            ("id".to_string(), Value::string(&role.name)),
            ("name".to_string(), Value::string(&role.name)),
            ("path".to_string(), Value::string(&role.path)),
            ("arn".to_string(), Value::string(&role.arn)),
            ("adopted".to_string(), Value::Bool(adopted)),
        ]
        .into(),
    )
}

#[async_trait]
impl Resource<Clients> for EksConnectorServiceLinkedRole {
    fn type_name(&self) -> &'static str {
        "clusteriam_eks_connector_service_linked_role"
    }

    fn schema(&self) -> Schema {
        Schema::new(
            0,
            Block::new(
                "The service-linked role of the Amazon EKS Connector (`eks-connector.amazonaws.com`), as `aws iam \
                 create-service-linked-role --aws-service-name eks-connector.amazonaws.com` creates it. An account \
                 has at most one: when it already exists it is adopted (`adopted = true`) instead of failing, and an \
                 adopted role is left in place on destroy.",
            )
            .attribute(Attribute::computed("id", Type::String, "The role name.").stable())
            .attribute(Attribute::computed("name", Type::String, "The role name AWS gave the service-linked role.").stable())
            .attribute(Attribute::computed("path", Type::String, "The role's path, `/aws-service-role/eks-connector.amazonaws.com/`.").stable())
            .attribute(Attribute::computed("arn", Type::String, "The ARN of the role.").stable())
            .attribute(Attribute::computed("adopted", Type::Bool, "Whether the role existed before this resource was created; an adopted role is not deleted on destroy. An import decides from the role itself: one created by this provider (it carries the `clusteriam:created-by` tag) is managed, any other is adopted.").stable()),
        )
    }

    async fn create(
        &self,
        ctx: &Ctx<Clients>,
        _planned: &Value,
        private: &mut Vec<u8>,
        diags: &mut Diagnostics,
    ) -> Value {
        let Some(clients) = ctx.client(diags) else {
            return Value::Null;
        };
        private.clear();
        let mark = ownership_mark(private);
        match clients.aws.create_service_linked_role(SERVICE, &mark).await {
            Ok(Created::New(role)) => state(&role, false),
            Ok(Created::Existing(role)) => {
                diags.warning(
                    format!("Adopted existing IAM service-linked role (`{}`)", role.name),
                    format!(
                        "The EKS Connector's service-linked role already existed (`{}`): an account \
                         has only one. This resource adopted it (`adopted = true`) and will leave \
                         it in place on destroy.",
                        role.arn
                    ),
                );
                state(&role, true)
            }
            Err(e) => {
                diags.error(
                    format!("creating IAM service-linked role (`{SERVICE}`)"),
                    e.detail(),
                );
                Value::Null
            }
        }
    }

    async fn read(
        &self,
        ctx: &Ctx<Clients>,
        prior: &Value,
        _: &mut Vec<u8>,
        diags: &mut Diagnostics,
    ) -> Value {
        let Some(clients) = ctx.client(diags) else {
            return prior.clone();
        };
        let Some(name) = prior.get_str("name").or(prior.get_str("id")) else {
            return Value::Null;
        };
        match clients.aws.get_service_linked_role(name).await {
            Ok(Some(role)) => state(&role, prior.get("adopted").as_bool().unwrap_or(false)),
            Ok(None) => Value::Null,
            Err(e) => {
                diags.error(
                    format!("reading IAM service-linked role (`{name}`)"),
                    e.detail(),
                );
                prior.clone()
            }
        }
    }

    async fn update(
        &self,
        _: &Ctx<Clients>,
        _prior: &Value,
        planned: &Value,
        _: &mut Vec<u8>,
        _: &mut Diagnostics,
    ) -> Value {
        // Nothing is configurable; Terraform never plans an update.
        planned.clone()
    }

    async fn delete(&self, ctx: &Ctx<Clients>, prior: &Value, _: &[u8], diags: &mut Diagnostics) {
        let Some(clients) = ctx.client(diags) else {
            return;
        };
        let Some(name) = prior.get_str("name") else {
            return;
        };
        if prior.get("adopted").as_bool() == Some(true) {
            diags.warning(
                format!("IAM service-linked role (`{name}`) left in place"),
                "The role existed before this resource adopted it, so destroy leaves it for whoever created it.",
            );
            return;
        }
        let timeout = clients
            .aws
            .propagation_timeout
            .max(std::time::Duration::from_secs(60));
        if let Err(e) = clients.aws.delete_service_linked_role(name, timeout).await {
            diags.error(
                format!("deleting IAM service-linked role (`{name}`)"),
                format!("{e}. Deregister the connected clusters first: AWS keeps the role while the EKS Connector uses it."),
            );
        }
    }

    async fn import(&self, ctx: &Ctx<Clients>, id: &str, diags: &mut Diagnostics) -> Value {
        let Some(clients) = ctx.client(diags) else {
            return Value::Null;
        };
        match clients.aws.get_service_linked_role(id).await {
            // Ownership comes from the role itself: one without the mark was
            // made elsewhere, so destroy must leave it.
            Ok(Some(role)) if role.path == format!("/aws-service-role/{SERVICE}/") => {
                state(&role, role.mark.is_none())
            }
            Ok(Some(role)) => {
                diags.error(
                    format!("importing IAM service-linked role (`{id}`)"),
                    format!(
                        "`{id}` is not the EKS Connector's service-linked role (its path is {}).",
                        role.path
                    ),
                );
                Value::Null
            }
            Ok(None) => {
                diags.error(
                    format!("importing IAM service-linked role (`{id}`)"),
                    format!("NoSuchEntity: there is no role named {id}."),
                );
                Value::Null
            }
            Err(e) => {
                diags.error(
                    format!("importing IAM service-linked role (`{id}`)"),
                    e.detail(),
                );
                Value::Null
            }
        }
    }
}
