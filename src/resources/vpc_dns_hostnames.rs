//! `clusteriam_vpc_dns_hostnames`: the VPC requirement of Kubermatic KKP
//! [seed 002]: `enableDnsHostnames` on (which needs `enableDnsSupport`).
//!
//! A VPC that vanishes stays in state with both settings off, rather than
//! being forgotten: otherwise Terraform's refresh before a destroy plans it
//! as a create, and the plan-time check for a missing VPC would block the
//! destroy. The plan then warns and a later apply fails naming the VPC.

use async_trait::async_trait;

use crate::aws::VpcDns;
use crate::clients::Clients;
use crate::engine::vpc_attribute::{TurnedOn, enable, restore};
use crate::model;
use crate::resources::common::{report, report_on};
use crate::tfplugin::{
    Attr, Attribute, Block, CreateRequest, CreateResponse, DeleteRequest, DeleteResponse,
    Diagnostics, ImportRequest, ImportResponse, Model, PlanRequest, PlanResponse, ReadRequest,
    ReadResponse, Resource, Schema, Type, UpdateRequest, UpdateResponse, Value,
};
use crate::validate::check_attr;

pub struct VpcDnsHostnames;

model! {
    /// The resource's attributes.
    struct VpcDnsModel {
        id: Attr<String>,
        vpc_id: Attr<String>,
        enable_dns_support: Attr<bool>,
        enable_dns_hostnames: Attr<bool>,
    }
}

/// What the resource turned on, in its private state.
fn turned_on(private: &[u8]) -> TurnedOn {
    serde_json::from_slice(private).unwrap_or_default()
}

fn encode(turned_on: TurnedOn) -> Vec<u8> {
    serde_json::to_vec(&turned_on).unwrap_or_default()
}

/// `vpc-` and 8 or 17 lower-case hex digits.
fn is_vpc_id(s: &str) -> bool {
    crate::validate::is_ec2_id("vpc-", s)
}

fn state_for(vpc_id: &str, dns: VpcDns) -> Value {
    VpcDnsModel {
        id: vpc_id.into(),
        vpc_id: vpc_id.into(),
        enable_dns_support: dns.support.into(),
        enable_dns_hostnames: dns.hostnames.into(),
    }
    .to_value()
}

/// Both settings on: what every apply leaves.
const BOTH_ON: VpcDns = VpcDns {
    support: true,
    hostnames: true,
};

#[async_trait]
impl Resource<Clients> for VpcDnsHostnames {
    fn schema(&self) -> Schema {
        Block::new(
            "Turns on `enableDnsSupport` and `enableDnsHostnames` of a VPC, which Kubermatic KKP \
             requires so that machines can register as nodes. On destroy it turns off only what \
             it turned on itself, at any apply (also after an import); what was on already is \
             left on. A VPC deleted outside Terraform is destroyed without error.",
        )
        .attribute(Attribute::computed_string("id", "The id of the VPC.").stable())
        .attribute(
            Attribute::required_string(
                "vpc_id",
                "The id of the VPC, such as `vpc-0123456789abcdef0`. Changing it replaces the resource.",
            )
            .requires_replace(),
        )
        .attribute(Attribute::computed(
            "enable_dns_support",
            Type::Bool,
            "Whether the VPC's `enableDnsSupport` attribute is on; always `true` once applied.",
        ))
        .attribute(Attribute::computed(
            "enable_dns_hostnames",
            Type::Bool,
            "Whether the VPC's `enableDnsHostnames` attribute is on; always `true` once applied.",
        ))
        .into_schema(0)
    }

    fn validate(&self, config: &Value, diags: &mut Diagnostics) {
        check_attr(config, VpcDnsModel::vpc_id, diags, |id| {
            if is_vpc_id(id) {
                Ok(())
            } else {
                Err(format!(
                    "`vpc_id` must be a VPC id such as `vpc-0123456789abcdef0`; got `{id}`"
                ))
            }
        });
    }

    async fn plan(&self, req: PlanRequest<'_, Clients>, resp: &mut PlanResponse) {
        // Both on is the whole point: anything else in state is drift to repair.
        let mut planned = VpcDnsModel::read(&resp.planned);
        planned.enable_dns_support = true.into();
        planned.enable_dns_hostnames = true.into();
        let config = VpcDnsModel::read(req.config);
        if let Some(vpc_id) = config.vpc_id.as_deref() {
            planned.id = vpc_id.into();
        }
        planned.write(&mut resp.planned);
        let Some(vpc_id) = config.vpc_id.as_deref() else {
            return;
        };
        // Look only when something is to be done: a create, or a repair.
        if &resp.planned == req.prior {
            return;
        }
        let aws = &req.client.aws;
        let diags = &mut resp.diagnostics;
        match aws.vpc_dns(vpc_id).await {
            Ok(Some(_)) => {}
            // Name a missing VPC at plan, before anything is applied.
            Ok(None) if req.is_create() => report_on(
                diags,
                VpcDnsModel::vpc_id,
                format!("checking VPC (`{vpc_id}`)"),
                &aws.vpc_not_found(vpc_id),
            ),
            // One that vanished since: a warning, so that destroy still works.
            Ok(None) => diags.attribute_warning(
                VpcDnsModel::vpc_id,
                format!("VPC (`{vpc_id}`) no longer exists"),
                format!(
                    "{} Applying this configuration will fail; remove the resource (its destroy \
                     succeeds) or point `vpc_id` at an existing VPC.",
                    aws.vpc_not_found(vpc_id)
                ),
            ),
            Err(e) => report_on(
                diags,
                VpcDnsModel::vpc_id,
                format!("checking VPC (`{vpc_id}`)"),
                &e,
            ),
        }
    }

    async fn create(&self, req: CreateRequest<'_, Clients>, resp: &mut CreateResponse) {
        let aws = &req.client.aws;
        let diags = &mut resp.diagnostics;
        let planned = VpcDnsModel::read(req.planned);
        let Some(vpc_id) = planned.vpc_id.as_deref() else {
            return;
        };
        let found = match aws.vpc_dns(vpc_id).await {
            Ok(Some(found)) => found,
            Ok(None) => {
                return report_on(
                    diags,
                    VpcDnsModel::vpc_id,
                    format!("reading VPC (`{vpc_id}`)"),
                    &aws.vpc_not_found(vpc_id),
                );
            }
            Err(e) => return report(diags, format!("reading VPC (`{vpc_id}`)"), &e),
        };
        let (changed, failure) = enable(aws, vpc_id, found, req.cancel).await;
        resp.private = encode(changed);
        let Some(failure) = failure else {
            resp.state = state_for(vpc_id, BOTH_ON);
            return;
        };
        report(diags, failure.summary, &failure.error);
        // Nothing changed: nothing to keep in state.
        if changed == TurnedOn::default() {
            return;
        }
        let now = failure.left.exists().unwrap_or(VpcDns {
            support: found.support || changed.support,
            hostnames: found.hostnames || changed.hostnames,
        });
        resp.state = state_for(vpc_id, now);
    }

    async fn read(&self, req: ReadRequest<'_, Clients>, resp: &mut ReadResponse) {
        let state = VpcDnsModel::read(req.state);
        let Some(vpc_id) = state.vpc_id.as_deref() else {
            resp.state = Value::Null;
            return;
        };
        match req.client.aws.vpc_dns(vpc_id).await {
            Ok(Some(dns)) => resp.state = state_for(vpc_id, dns),
            // Gone: kept with both settings off (see the module's comment).
            Ok(None) => {
                resp.state = state_for(
                    vpc_id,
                    VpcDns {
                        support: false,
                        hostnames: false,
                    },
                )
            }
            Err(e) => report(
                &mut resp.diagnostics,
                format!("reading VPC (`{vpc_id}`)"),
                &e,
            ),
        }
    }

    async fn update(&self, req: UpdateRequest<'_, Clients>, resp: &mut UpdateResponse) {
        let aws = &req.client.aws;
        let prior = VpcDnsModel::read(req.prior);
        let Some(vpc_id) = prior.vpc_id.as_deref() else {
            return;
        };
        // Drift repair, or the first apply after an import. What it turns on
        // joins the record, so that destroy turns it off again.
        let found = VpcDns {
            support: prior.enable_dns_support.known() == Some(&true),
            hostnames: prior.enable_dns_hostnames.known() == Some(&true),
        };
        let (changed, failure) = enable(aws, vpc_id, found, req.cancel).await;
        resp.private = encode(turned_on(req.private).and(changed));
        let Some(failure) = failure else {
            resp.state = state_for(vpc_id, BOTH_ON);
            return;
        };
        if failure.error.is_not_found() {
            // Deleted outside Terraform: nothing here can bring it back.
            return resp.diagnostics.attribute_error(
                VpcDnsModel::vpc_id,
                failure.summary,
                format!(
                    "{}\n\nThe VPC was deleted outside Terraform. Remove the resource (its \
                     destroy succeeds) or point `vpc_id` at an existing VPC.",
                    aws.vpc_not_found(vpc_id)
                ),
            );
        }
        report(&mut resp.diagnostics, failure.summary, &failure.error);
        if let Some(dns) = failure.left.exists() {
            resp.state = state_for(vpc_id, dns);
        }
    }

    async fn delete(&self, req: DeleteRequest<'_, Clients>, resp: &mut DeleteResponse) {
        let prior = VpcDnsModel::read(req.prior);
        let Some(vpc_id) = prior.vpc_id.as_deref() else {
            return;
        };
        if let Err(failure) = restore(&req.client.aws, vpc_id, turned_on(req.private)).await {
            report(&mut resp.diagnostics, failure.summary, &failure.error);
        }
    }

    async fn import(&self, req: ImportRequest<'_, Clients>, resp: &mut ImportResponse) {
        let id = req.id;
        let summary = format!("importing VPC (`{id}`)");
        if !is_vpc_id(id) {
            return resp.diagnostics.error(
                summary,
                format!("Import by the VPC id, such as `vpc-0123456789abcdef0`; got `{id}`."),
            );
        }
        match req.client.aws.vpc_dns(id).await {
            Ok(Some(dns)) => resp.state = state_for(id, dns),
            Ok(None) => report(
                &mut resp.diagnostics,
                summary,
                &req.client.aws.vpc_not_found(id),
            ),
            Err(e) => report(&mut resp.diagnostics, summary, &e),
        }
    }

    fn type_name(&self) -> &'static str {
        "clusteriam_vpc_dns_hostnames"
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn vpc_ids() {
        assert!(is_vpc_id("vpc-12345678"));
        assert!(is_vpc_id("vpc-0123456789abcdef0"));
        assert!(!is_vpc_id("vpc-123"));
        assert!(!is_vpc_id("subnet-12345678"));
        assert!(!is_vpc_id("vpc-0123456789ABCDEF0"));
    }

    #[test]
    fn the_model_matches_the_schema() {
        let schema = VpcDnsHostnames.schema();
        crate::tfplugin::check_models(&schema.block, &[VpcDnsModel::fields()]).unwrap();
    }

    #[test]
    fn private_state_round_trips_and_defaults_to_nothing_turned_on() {
        let t = TurnedOn {
            support: false,
            hostnames: true,
        };
        assert_eq!(turned_on(&encode(t)), t);
        assert_eq!(turned_on(&[]), TurnedOn::default());
    }
}
