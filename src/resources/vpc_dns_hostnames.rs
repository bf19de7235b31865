//! `clusteriam_vpc_dns_hostnames`: the VPC requirement of Kubermatic KKP
//! [seed 002]: `enableDnsHostnames` on (which needs `enableDnsSupport`).
//!
//! A VPC that vanishes stays in state with both settings off, rather than
//! being forgotten: otherwise Terraform's refresh before a destroy plans it
//! as a create, and the plan-time check for a missing VPC would block the
//! destroy. The plan then warns and a later apply fails naming the VPC.

use async_trait::async_trait;

use crate::aws::VpcDns;
use crate::engine::vpc_attribute::{TurnedOn, enable, to_restore};
use crate::provider::Clients;
use crate::tfplugin::{Attribute, Block, Ctx, Diagnostics, Plan, Resource, Schema, Type, Value};
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

fn not_found(vpc_id: &str, region: &str) -> String {
    format!(
        "InvalidVpcID.NotFound: the VPC `{vpc_id}` does not exist in region {region}. Check \
         `vpc_id` and the provider's `region`."
    )
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
    fn type_name(&self) -> &'static str {
        "clusteriam_vpc_dns_hostnames"
    }

    fn schema(&self) -> Schema {
        Schema::new(
            0,
            Block::new(
                "Turns on `enableDnsSupport` and `enableDnsHostnames` of a VPC, which Kubermatic KKP \
                 requires so that machines can register as nodes. On destroy it turns off only what \
                 it turned on itself, at any apply (also after an import); what was on already is \
                 left on. A VPC deleted outside Terraform is destroyed without error.",
            )
            .attribute(Attribute::computed("id", Type::String, "The id of the VPC.").stable())
            .attribute(
                Attribute::required(
                    "vpc_id",
                    Type::String,
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
            )),
        )
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

    async fn plan(&self, ctx: &Ctx<Clients>, plan: &mut Plan<'_>, diags: &mut Diagnostics) {
        // Both on is the whole point: anything else in state is drift to repair.
        plan.planned.set("enable_dns_support", Value::Bool(true));
        plan.planned.set("enable_dns_hostnames", Value::Bool(true));
        let Some(vpc_id) = plan.config.get_str("vpc_id") else {
            return;
        };
        plan.planned.set("id", Value::string(vpc_id));
        // Look only when something is to be done: a create, or a repair.
        if &plan.planned == plan.prior {
            return;
        }
        let Some(clients) = ctx.client(diags) else {
            return;
        };
        match clients.aws.vpc_dns(vpc_id).await {
            Ok(Some(_)) => {}
            // Name a missing VPC at plan, before anything is applied.
            Ok(None) if plan.is_create() => diags.attribute_error(
                "vpc_id",
                format!("checking VPC (`{vpc_id}`)"),
                not_found(vpc_id, &clients.aws.region),
            ),
            // One that vanished since: a warning, so that destroy still works.
            Ok(None) => diags.attribute_warning(
                "vpc_id",
                format!("VPC (`{vpc_id}`) no longer exists"),
                format!(
                    "{} Applying this configuration will fail; remove the resource (its destroy \
                     succeeds) or point `vpc_id` at an existing VPC.",
                    not_found(vpc_id, &clients.aws.region)
                ),
            ),
            Err(e) => {
                diags.attribute_error("vpc_id", format!("checking VPC (`{vpc_id}`)"), e.detail())
            }
        }
    }

    async fn create(
        &self,
        ctx: &Ctx<Clients>,
        planned: &Value,
        private: &mut Vec<u8>,
        diags: &mut Diagnostics,
    ) -> Value {
        let Some(clients) = ctx.client(diags) else {
            return Value::Null;
        };
        let aws = &clients.aws;
        let Some(vpc_id) = planned.get_str("vpc_id") else {
            return Value::Null;
        };
        let found = match aws.vpc_dns(vpc_id).await {
            Ok(Some(found)) => found,
            Ok(None) => {
                diags.attribute_error(
                    "vpc_id",
                    format!("reading VPC (`{vpc_id}`)"),
                    not_found(vpc_id, &aws.region),
                );
                return Value::Null;
            }
            Err(e) => {
                diags.error(format!("reading VPC (`{vpc_id}`)"), e.detail());
                return Value::Null;
            }
        };
        let (changed, failure) = enable(aws, vpc_id, found).await;
        *private = encode(changed);
        let now = VpcDns {
            support: found.support || changed.support,
            hostnames: found.hostnames || changed.hostnames,
        };
        if let Some((attribute, e)) = failure {
            diags.error(
                format!("enabling {} of VPC (`{vpc_id}`)", attribute.api_name()),
                e.detail(),
            );
            // Nothing changed: nothing to keep in state.
            if !changed.support && !changed.hostnames {
                return Value::Null;
            }
        }
        state_for(vpc_id, now)
    }

    async fn read(
        &self,
        ctx: &Ctx<Clients>,
        state: &Value,
        _private: &mut Vec<u8>,
        diags: &mut Diagnostics,
    ) -> Value {
        let Some(clients) = ctx.client(diags) else {
            return Value::Null;
        };
        let Some(vpc_id) = state.get_str("vpc_id") else {
            return Value::Null;
        };
        match clients.aws.vpc_dns(vpc_id).await {
            Ok(Some(dns)) => state_for(vpc_id, dns),
            // Gone: kept with both settings off (see the module's comment).
            Ok(None) => state_for(
                vpc_id,
                VpcDns {
                    support: false,
                    hostnames: false,
                },
            ),
            Err(e) => {
                diags.error(format!("reading VPC (`{vpc_id}`)"), e.detail());
                Value::Null
            }
        }
    }

    async fn update(
        &self,
        ctx: &Ctx<Clients>,
        prior: &Value,
        _planned: &Value,
        private: &mut Vec<u8>,
        diags: &mut Diagnostics,
    ) -> Value {
        let Some(clients) = ctx.client(diags) else {
            return prior.clone();
        };
        let Some(vpc_id) = prior.get_str("vpc_id") else {
            return prior.clone();
        };
        // Drift repair, or the first apply after an import. What it turns on
        // joins the record, so that destroy turns it off again.
        let found = VpcDns {
            support: prior.get("enable_dns_support").as_bool().unwrap_or(false),
            hostnames: prior.get("enable_dns_hostnames").as_bool().unwrap_or(false),
        };
        let (changed, failure) = enable(&clients.aws, vpc_id, found).await;
        *private = encode(turned_on(private).and(changed));
        if let Some((attribute, e)) = failure {
            diags.error(
                format!("enabling {} of VPC (`{vpc_id}`)", attribute.api_name()),
                e.detail(),
            );
            return match clients.aws.vpc_dns(vpc_id).await {
                Ok(Some(dns)) => state_for(vpc_id, dns),
                _ => prior.clone(),
            };
        }
        state_for(
            vpc_id,
            VpcDns {
                support: true,
                hostnames: true,
            },
        )
    }

    async fn delete(
        &self,
        ctx: &Ctx<Clients>,
        prior: &Value,
        private: &[u8],
        diags: &mut Diagnostics,
    ) {
        let Some(clients) = ctx.client(diags) else {
            return;
        };
        let Some(vpc_id) = prior.get_str("vpc_id") else {
            return;
        };
        for attribute in to_restore(turned_on(private)) {
            match clients.aws.set_vpc_dns(vpc_id, attribute, false).await {
                Ok(()) => {}
                // The VPC is gone: nothing left to restore.
                Err(e) if e.is_not_found() => return,
                Err(e) => {
                    diags.error(
                        format!("restoring {} of VPC (`{vpc_id}`)", attribute.api_name()),
                        e.detail(),
                    );
                    return;
                }
            }
        }
    }

    async fn import(&self, ctx: &Ctx<Clients>, id: &str, diags: &mut Diagnostics) -> Value {
        if !is_vpc_id(id) {
            diags.error(
                format!("importing VPC (`{id}`)"),
                format!("Import by the VPC id, such as `vpc-0123456789abcdef0`; got `{id}`."),
            );
            return Value::Null;
        }
        let Some(clients) = ctx.client(diags) else {
            return Value::Null;
        };
        match clients.aws.vpc_dns(id).await {
            Ok(Some(dns)) => state_for(id, dns),
            Ok(None) => {
                diags.error(
                    format!("importing VPC (`{id}`)"),
                    not_found(id, &clients.aws.region),
                );
                Value::Null
            }
            Err(e) => {
                diags.error(format!("importing VPC (`{id}`)"), e.detail());
                Value::Null
            }
        }
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
