//! `clusteriam_cluster_tags`: the tag `kubernetes.io/cluster/<cluster_id>` on
//! a cluster's instances, subnets and its one security group (seed 001,
//! "2. Configure the ClusterID").
//!
//! The resource owns that one key on exactly the resources in its state.
//! Other resources carrying the key (e.g. nodes Rancher tagged itself) are
//! left alone, except that a second security group is refused.
//!
//! Checks of what exists in EC2 fail a plan only for what the plan adds: a
//! listed instance that was terminated since, or a second tagged group that
//! someone else tagged, is a warning at plan. Terraform plans once more
//! before a destroy, with the configuration, and an error there would make
//! the destroy impossible exactly when the cluster is being torn down.

use std::collections::{BTreeMap, BTreeSet};

use async_trait::async_trait;
use tokio_util::sync::CancellationToken;

use crate::aws::Aws;
use crate::clients::Clients;
use crate::engine::run::{Kind, converge};
use crate::engine::tags::{Phase, import_split};
use crate::kubernetes::{check_cluster_id, cluster_tag_key};
use crate::resources::common::report;
use crate::tfplugin::{
    Attribute, Block, CreateRequest, CreateResponse, DeleteRequest, DeleteResponse, Diagnostics,
    ImportRequest, ImportResponse, Model, PlanRequest, PlanResponse, ReadRequest, ReadResponse,
    Resource, Schema, Type, UpdateRequest, UpdateResponse, Value,
};
use crate::validate::{check_attr, check_value, one_of};

mod checks;
mod model;

use checks::{check_before_write, check_ec2_id, check_something_to_tag, quoted, warn_second_group};
use model::{ComputedModel, Tagging, TaggingModel, known_ids};

const OWNERSHIPS: [&str; 2] = ["owned", "shared"];

pub struct ClusterTags;

/// Brings AWS from `prior_state` (null on create) to `planned`; returns the
/// new state, or on failure the state of what was done.
async fn apply(
    aws: &Aws,
    (prior_state, planned): (&Value, &Value),
    cancel: &CancellationToken,
    diags: &mut Diagnostics,
) -> Value {
    let prior = Tagging::from_value(prior_state);
    let desired = Tagging::from_value(planned);
    check_before_write(aws, &desired, &prior, Phase::Apply, diags).await;
    if diags.has_errors() {
        return prior_state.clone();
    }
    let kind = desired.moving_from(aws, &prior);
    let carried = match kind.observe().await {
        Ok(carried) => carried,
        Err(e) => {
            let summary = format!("tagging EC2 resources for cluster (`{}`)", kind.cluster_id);
            report(diags, summary, &e);
            return prior_state.clone();
        }
    };
    let failure = match converge(&kind, carried.as_ref(), Some(cancel)).await {
        Ok(_) => return desired.to_value(planned),
        Err(failure) => failure,
    };
    report(diags, failure.summary, &failure.error);
    // What was done: the removals. The next plan shows the rest again.
    if prior_state.is_null() {
        return Value::Null;
    }
    let untagged: BTreeSet<&str> = failure
        .done
        .iter()
        .flat_map(|step| step.untagged())
        .map(String::as_str)
        .collect();
    prior
        .retain(|id| !untagged.contains(id))
        .to_value(prior_state)
}

#[async_trait]
impl Resource<Clients> for ClusterTags {
    fn schema(&self) -> Schema {
        Block::new(
            "Puts the tag `kubernetes.io/cluster/<cluster_id>` = `owned` or `shared` on a \
                 Kubernetes cluster's EC2 instances, subnets and its one security group, as the \
                 Amazon cloud provider needs (Rancher, \"Configure the ClusterID\"). The resource \
                 owns that one key on exactly the listed resources: it adds and removes the key as \
                 the lists change, repairs a removed or changed tag, never touches other tags, and \
                 removes its key on destroy. Other resources carrying the key, such as nodes \
                 Rancher tagged itself, are left alone.",
        )
        .attribute(Attribute::computed_string(
            "id",
            "The cluster id, the same as `cluster_id`.",
        ))
        .attribute(
            Attribute::required_string(
                "cluster_id",
                "The cluster id (`CLUSTERID` in the Rancher documentation): any string that is \
                     the same across all the cluster's tags. It becomes part of the tag key, so it \
                     may hold at most 106 letters, digits and `-_.:=+@`. Changing it replaces the \
                     resource.",
            )
            .requires_replace(),
        )
        .attribute(
            Attribute::optional_computed_string(
                "ownership",
                "The tag value: `owned` when the resources belong to this cluster alone, \
                     `shared` when they are shared between clusters. Defaults to `owned`. A change \
                     updates the tags in place.",
            )
            .default(Value::string("owned")),
        )
        .attribute(Attribute::optional(
            "instance_ids",
            Type::set(Type::String),
            "The ids of the cluster's EC2 instances (all hosts added to the cluster) to tag, \
                 e.g. `i-0123456789abcdef0`.",
        ))
        .attribute(Attribute::optional(
            "subnet_ids",
            Type::set(Type::String),
            "The ids of the subnets the cluster uses to tag, e.g. `subnet-0123456789abcdef0`.",
        ))
        .attribute(Attribute::optional_string(
            "security_group_id",
            "The id of the one security group the cluster uses to tag, e.g. \
                 `sg-0123456789abcdef0`. Only one group may carry the tag, since two tagged groups \
                 make load balancer creation fail: the resource refuses, at plan and again before \
                 any change, when another security group already carries it.",
        ))
        .attribute(
            Attribute::computed_string(
                "tag_key",
                "The tag key, `kubernetes.io/cluster/<cluster_id>`, known at plan.",
            )
            .stable(),
        )
        .into_schema(0)
    }

    fn validate(&self, config: &Value, diags: &mut Diagnostics) {
        check_attr(config, TaggingModel::cluster_id, diags, check_cluster_id);
        check_attr(config, TaggingModel::ownership, diags, |o| {
            one_of(TaggingModel::ownership, &OWNERSHIPS, o)
        });
        let model = TaggingModel::read(config);
        let listed = [
            (TaggingModel::instance_ids, "i-", &model.instance_ids),
            (TaggingModel::subnet_ids, "subnet-", &model.subnet_ids),
        ];
        for (attr, prefix, ids) in listed {
            for id in known_ids(ids) {
                check_value(attr, &Value::string(&id), diags, |s| {
                    check_ec2_id(attr, prefix, s)
                });
            }
        }
        check_attr(config, TaggingModel::security_group_id, diags, |s| {
            check_ec2_id(TaggingModel::security_group_id, "sg-", s)
        });
        check_something_to_tag(&model, diags);
    }

    async fn plan(&self, req: PlanRequest<'_, Clients>, resp: &mut PlanResponse) {
        let config = TaggingModel::read(req.config);
        ComputedModel::of(config.cluster_id.as_deref()).write(&mut resp.planned);
        if !resp.planned.is_wholly_known() {
            // Apply checks once all is known.
            return;
        }
        let desired = Tagging::from_value(&resp.planned);
        let prior = Tagging::from_value(req.prior);
        // Nothing to write: only say whether someone tagged a second group
        // since (the read already warned about resources that are gone).
        if &resp.planned == req.prior {
            return warn_second_group(&req.client.aws, &desired, &mut resp.diagnostics).await;
        }
        check_before_write(
            &req.client.aws,
            &desired,
            &prior,
            Phase::Plan,
            &mut resp.diagnostics,
        )
        .await;
    }

    async fn create(&self, req: CreateRequest<'_, Clients>, resp: &mut CreateResponse) {
        let states = (&Value::Null, req.planned);
        resp.state = apply(&req.client.aws, states, req.cancel, &mut resp.diagnostics).await;
    }

    async fn read(&self, req: ReadRequest<'_, Clients>, resp: &mut ReadResponse) {
        let aws = &req.client.aws;
        let current = Tagging::from_value(req.state);
        let summary = format!("reading EC2 tags for cluster (`{}`)", current.cluster_id);
        let ids: Vec<String> = current.ids().into_iter().collect();
        let carried: BTreeMap<String, String> = match aws
            .ec2_resources_with_tag(&current.key(), None, Some(&ids))
            .await
        {
            Ok(tags) => tags.into_iter().map(|t| (t.resource_id, t.value)).collect(),
            Err(e) => return report(&mut resp.diagnostics, summary, &e),
        };
        // A resource whose tag was removed or changed drops out of the state,
        // so the plan shows it being tagged again. One that no longer exists
        // stays (there is nothing to repair), with a warning. A terminated
        // instance keeps its tags while EC2 still lists it, so instances are
        // looked up whatever they carry.
        let untagged = current.retain(|id| carried.get(id) != Some(&current.ownership));
        let mut suspects = untagged.clone();
        suspects.instance_ids = current.instance_ids.clone();
        let gone: BTreeSet<String> = if suspects.ids().is_empty() {
            BTreeSet::new()
        } else {
            match suspects.existing(aws).await {
                Ok(found) => suspects.ids().difference(&found).cloned().collect(),
                Err(e) => return report(&mut resp.diagnostics, summary, &e),
            }
        };
        if !gone.is_empty() {
            let gone: Vec<String> = gone.iter().cloned().collect();
            resp.diagnostics.warning(
                format!("EC2 resources of cluster (`{}`) gone", current.cluster_id),
                format!(
                    "{} no longer exist in region `{}`. Remove them from the resource's \
                     configuration; until then, applying a change to it fails (destroying it works).",
                    quoted(&gone),
                    aws.region
                ),
            );
        }
        resp.state = current
            .retain(|id| {
                carried.get(id) == Some(&current.ownership) || gone.iter().any(|g| g == id)
            })
            .to_value(req.state);
    }

    async fn update(&self, req: UpdateRequest<'_, Clients>, resp: &mut UpdateResponse) {
        let states = (req.prior, req.planned);
        resp.state = apply(&req.client.aws, states, req.cancel, &mut resp.diagnostics).await;
    }

    async fn delete(&self, req: DeleteRequest<'_, Clients>, resp: &mut DeleteResponse) {
        let current = Tagging::from_value(req.prior);
        if current.ids().is_empty() {
            return;
        }
        // The move to no resources: only where the key still is (a resource
        // deleted meanwhile is done).
        let none = current.retain(|_| false);
        let kind = none.moving_from(&req.client.aws, &current);
        let carried = match kind.observe().await {
            Ok(carried) => carried,
            Err(e) => {
                let summary = format!(
                    "untagging EC2 resources for cluster (`{}`)",
                    kind.cluster_id
                );
                return report(&mut resp.diagnostics, summary, &e);
            }
        };
        if let Err(failure) = converge(&kind, carried.as_ref(), None).await {
            report(&mut resp.diagnostics, failure.summary, &failure.error);
        }
    }

    async fn import(&self, req: ImportRequest<'_, Clients>, resp: &mut ImportResponse) {
        let (id, aws) = (req.id, &req.client.aws);
        let diags = &mut resp.diagnostics;
        let summary = format!("importing EC2 tags for cluster (`{id}`)");
        if let Err(reason) = check_cluster_id(id) {
            return diags.error(
                summary,
                format!(
                    "{reason}. Import by cluster id, e.g. `terraform import \
                     clusteriam_cluster_tags.example my-cluster`."
                ),
            );
        }
        let key = cluster_tag_key(id);
        let tagged = match aws.ec2_resources_with_tag(&key, None, None).await {
            Ok(tags) => tags,
            Err(e) => return report(diags, summary, &e),
        };
        let tagged: Vec<(String, String, String)> = tagged
            .into_iter()
            .map(|t| (t.resource_id, t.resource_type, t.value))
            .collect();
        let imported = import_split(&tagged);
        if imported.security_group_ids.len() > 1 {
            let groups: Vec<String> = imported.security_group_ids.iter().cloned().collect();
            return diags.error(
                summary,
                format!(
                    "Security groups {} all carry the tag `{key}`; a cluster must have exactly one. \
                     Remove the tag from all but one of them, then import again.",
                    quoted(&groups)
                ),
            );
        }
        if imported.instance_ids.is_empty()
            && imported.subnet_ids.is_empty()
            && imported.security_group_ids.is_empty()
        {
            return diags.error(
                summary,
                format!(
                    "No instance, subnet or security group in region `{}` carries the tag \
                     `{key}`. Check the cluster id and the provider's `region`.",
                    aws.region
                ),
            );
        }
        // Those with the other value belong in a second resource (a
        // cluster's own nodes `owned`, a subnet it shares `shared`): say so.
        if !imported.left_out.is_empty() {
            let list: Vec<String> = imported
                .left_out
                .iter()
                .map(|(id, value)| format!("`{id}` (`{value}`)"))
                .collect();
            let ownership = &imported.ownership;
            diags.warning(
                format!("Not imported: EC2 resources with another value of `{key}`"),
                format!(
                    "Most resources carrying `{key}` have the value `{ownership}`, so this resource \
                     was imported with `ownership = \"{ownership}\"` and without {}. To manage \
                     those too, declare a second `clusteriam_cluster_tags` with the same \
                     `cluster_id`, their ids and their `ownership`, and import it as well.",
                    list.join(", ")
                ),
            );
        }
        resp.state = Tagging {
            cluster_id: id.to_string(),
            ownership: imported.ownership,
            instance_ids: imported.instance_ids,
            subnet_ids: imported.subnet_ids,
            security_group_id: imported.security_group_ids.into_iter().next(),
        }
        .to_value(&Value::Null);
    }

    fn type_name(&self) -> &'static str {
        "clusteriam_cluster_tags"
    }
}

#[cfg(test)]
mod tests;
