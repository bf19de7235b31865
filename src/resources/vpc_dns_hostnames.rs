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
use crate::engine::vpc_attribute::{TurnedOn, enable, to_restore};
use crate::resources::common::{report, report_on};
use crate::tfplugin::{
    Attribute, Block, CreateRequest, CreateResponse, DeleteRequest, DeleteResponse, Diagnostics,
    ImportRequest, ImportResponse, PlanRequest, PlanResponse, ReadRequest, ReadResponse, Resource,
    Schema, Type, UpdateRequest, UpdateResponse, Value,
};
use crate::validate::check_attr;

pub struct VpcDnsHostnames;

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
    let mut state = Value::Map(Default::default());
    state.set("id", Value::string(vpc_id));
    state.set("vpc_id", Value::string(vpc_id));
    state.set("enable_dns_support", Value::Bool(dns.support));
    state.set("enable_dns_hostnames", Value::Bool(dns.hostnames));
    state
}

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
        check_attr(config, "vpc_id", diags, |id| {
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
        resp.planned.set("enable_dns_support", Value::Bool(true));
        resp.planned.set("enable_dns_hostnames", Value::Bool(true));
        let Some(vpc_id) = req.config.get_str("vpc_id") else {
            return;
        };
        resp.planned.set("id", Value::string(vpc_id));
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
                "vpc_id",
                format!("checking VPC (`{vpc_id}`)"),
                &aws.vpc_not_found(vpc_id),
            ),
            // One that vanished since: a warning, so that destroy still works.
            Ok(None) => diags.attribute_warning(
                "vpc_id",
                format!("VPC (`{vpc_id}`) no longer exists"),
                format!(
                    "{} Applying this configuration will fail; remove the resource (its destroy \
                     succeeds) or point `vpc_id` at an existing VPC.",
                    aws.vpc_not_found(vpc_id)
                ),
            ),
            Err(e) => report_on(diags, "vpc_id", format!("checking VPC (`{vpc_id}`)"), &e),
        }
    }

    async fn create(&self, req: CreateRequest<'_, Clients>, resp: &mut CreateResponse) {
        let aws = &req.client.aws;
        let diags = &mut resp.diagnostics;
        let Some(vpc_id) = req.planned.get_str("vpc_id") else {
            return;
        };
        let found = match aws.vpc_dns(vpc_id).await {
            Ok(Some(found)) => found,
            Ok(None) => {
                return report_on(
                    diags,
                    "vpc_id",
                    format!("reading VPC (`{vpc_id}`)"),
                    &aws.vpc_not_found(vpc_id),
                );
            }
            Err(e) => return report(diags, format!("reading VPC (`{vpc_id}`)"), &e),
        };
        let (changed, failure) = enable(aws, vpc_id, found).await;
        resp.private = encode(changed);
        if let Some((attribute, e)) = failure {
            report(
                diags,
                format!("enabling {} of VPC (`{vpc_id}`)", attribute.api_name()),
                &e,
            );
            // Nothing changed: nothing to keep in state.
            if changed == TurnedOn::default() {
                return;
            }
        }
        let now = VpcDns {
            support: found.support || changed.support,
            hostnames: found.hostnames || changed.hostnames,
        };
        resp.state = state_for(vpc_id, now);
    }

    async fn read(&self, req: ReadRequest<'_, Clients>, resp: &mut ReadResponse) {
        let Some(vpc_id) = req.state.get_str("vpc_id") else {
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
        let (aws, prior) = (&req.client.aws, req.prior);
        let Some(vpc_id) = prior.get_str("vpc_id") else {
            return;
        };
        // Drift repair, or the first apply after an import. What it turns on
        // joins the record, so that destroy turns it off again.
        let found = VpcDns {
            support: prior.get("enable_dns_support").as_bool().unwrap_or(false),
            hostnames: prior.get("enable_dns_hostnames").as_bool().unwrap_or(false),
        };
        let (changed, failure) = enable(aws, vpc_id, found).await;
        resp.private = encode(turned_on(req.private).and(changed));
        if let Some((attribute, e)) = failure {
            let summary = format!("enabling {} of VPC (`{vpc_id}`)", attribute.api_name());
            if e.is_not_found() {
                // Deleted outside Terraform: nothing here can bring it back.
                return resp.diagnostics.attribute_error(
                    "vpc_id",
                    summary,
                    format!(
                        "{}\n\nThe VPC was deleted outside Terraform. Remove the resource (its \
                         destroy succeeds) or point `vpc_id` at an existing VPC.",
                        aws.vpc_not_found(vpc_id)
                    ),
                );
            }
            report(&mut resp.diagnostics, summary, &e);
            if let Ok(Some(dns)) = aws.vpc_dns(vpc_id).await {
                resp.state = state_for(vpc_id, dns);
            }
            return;
        }
        resp.state = state_for(
            vpc_id,
            VpcDns {
                support: true,
                hostnames: true,
            },
        );
    }

    async fn delete(&self, req: DeleteRequest<'_, Clients>, resp: &mut DeleteResponse) {
        let Some(vpc_id) = req.prior.get_str("vpc_id") else {
            return;
        };
        for attribute in to_restore(turned_on(req.private)) {
            match req.client.aws.set_vpc_dns(vpc_id, attribute, false).await {
                Ok(()) => {}
                // The VPC is gone: nothing left to restore.
                Err(e) if e.is_not_found() => return,
                Err(e) => {
                    return report(
                        &mut resp.diagnostics,
                        format!("restoring {} of VPC (`{vpc_id}`)", attribute.api_name()),
                        &e,
                    );
                }
            }
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
    fn private_state_round_trips_and_defaults_to_nothing_turned_on() {
        let t = TurnedOn {
            support: false,
            hostnames: true,
        };
        assert_eq!(turned_on(&encode(t)), t);
        assert_eq!(turned_on(&[]), TurnedOn::default());
    }
}
