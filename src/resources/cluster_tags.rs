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

use crate::aws::{Aws, AwsError};
use crate::engine::tags::{Listed, Phase, TagProblem, cluster_tag_moves, tag_problems};
use crate::kubernetes::{check_cluster_id, cluster_tag_key};
use crate::provider::Clients;
use crate::tfplugin::{Attribute, Block, Ctx, Diagnostics, Plan, Resource, Schema, Type, Value};
use crate::validate::{check_attr, check_value, is_ec2_id, one_of};

const OWNERSHIPS: [&str; 2] = ["owned", "shared"];

pub struct ClusterTags;

/// What the resource owns: one key, with one value, on a set of resources.
#[derive(Clone, Debug, Default, PartialEq)]
struct Tagging {
    cluster_id: String,
    ownership: String,
    instance_ids: BTreeSet<String>,
    subnet_ids: BTreeSet<String>,
    security_group_id: Option<String>,
}

impl Tagging {
    fn from_value(v: &Value) -> Tagging {
        Tagging {
            cluster_id: v.get_str("cluster_id").unwrap_or_default().to_string(),
            ownership: v.get_str("ownership").unwrap_or("owned").to_string(),
            instance_ids: v.get_strings("instance_ids").into_iter().collect(),
            subnet_ids: v.get_strings("subnet_ids").into_iter().collect(),
            security_group_id: v.get_str("security_group_id").map(str::to_string),
        }
    }

    fn key(&self) -> String {
        cluster_tag_key(&self.cluster_id)
    }

    fn ids(&self) -> BTreeSet<String> {
        let mut ids = self.instance_ids.clone();
        ids.extend(self.subnet_ids.iter().cloned());
        ids.extend(self.security_group_id.iter().cloned());
        ids
    }

    /// The same tagging on only the resources for which `keep` holds.
    fn retain(&self, keep: impl Fn(&str) -> bool) -> Tagging {
        Tagging {
            cluster_id: self.cluster_id.clone(),
            ownership: self.ownership.clone(),
            instance_ids: self
                .instance_ids
                .iter()
                .filter(|id| keep(id))
                .cloned()
                .collect(),
            subnet_ids: self
                .subnet_ids
                .iter()
                .filter(|id| keep(id))
                .cloned()
                .collect(),
            security_group_id: self.security_group_id.clone().filter(|id| keep(id)),
        }
    }

    /// The state value. An empty set is stored as `like` had it (null or
    /// empty), so that what the configuration said shows no diff.
    fn to_value(&self, like: &Value) -> Value {
        let set = |name: &str, ids: &BTreeSet<String>| {
            if ids.is_empty() && like.get(name).is_null() {
                Value::Null
            } else {
                Value::string_list(ids.iter().cloned())
            }
        };
        let mut v = Value::Map(BTreeMap::new());
        v.set("id", Value::string(&self.cluster_id));
        v.set("cluster_id", Value::string(&self.cluster_id));
        v.set("tag_key", Value::string(self.key()));
        v.set("ownership", Value::string(&self.ownership));
        v.set("instance_ids", set("instance_ids", &self.instance_ids));
        v.set("subnet_ids", set("subnet_ids", &self.subnet_ids));
        v.set(
            "security_group_id",
            Value::opt_string(self.security_group_id.clone()),
        );
        v
    }
}

fn check_ec2_id(attr: &str, prefix: &str, id: &str) -> Result<(), String> {
    if is_ec2_id(prefix, id) {
        Ok(())
    } else {
        Err(format!(
            "`{attr}` takes EC2 ids like `{prefix}0123456789abcdef0` (`{prefix}` then 8 or 17 \
             lowercase hex digits); got `{id}`"
        ))
    }
}

/// Refuses a configuration whose targets are all known and empty: it would
/// tag nothing, which is always a mistake (an id list that came out empty).
fn check_something_to_tag(config: &Value, diags: &mut Diagnostics) {
    let empty = |attr: &str| match config.get(attr) {
        Value::Null => true,
        Value::List(items) => items.is_empty(),
        _ => false,
    };
    if !(empty("instance_ids") && empty("subnet_ids") && empty("security_group_id")) {
        return;
    }
    let summary = "Nothing to tag";
    let detail = "`instance_ids`, `subnet_ids` and `security_group_id` are all empty, so no EC2 \
                  resource would carry the cluster tag. Give at least one instance, subnet or \
                  security group id.";
    match ["subnet_ids", "instance_ids"]
        .into_iter()
        .find(|attr| !config.get(attr).is_null())
    {
        Some(attr) => diags.attribute_error(attr, summary, detail),
        None => diags.error(summary, detail),
    }
}

fn summary(cluster_id: &str) -> String {
    format!("tagging EC2 resources for cluster (`{cluster_id}`)")
}

/// The AWS error, with a remedy when there is one.
fn detail(err: &AwsError) -> String {
    match err.code.as_deref() {
        Some("UnauthorizedOperation" | "AccessDenied" | "AccessDeniedException") => format!(
            "{err}\n\nThe provider's credentials need ec2:CreateTags, ec2:DeleteTags, \
             ec2:DescribeTags, ec2:DescribeInstances, ec2:DescribeSubnets and \
             ec2:DescribeSecurityGroups."
        ),
        _ => err.detail(),
    }
}

/// Which of the listed resources exist (a terminated instance does not).
async fn existing(aws: &Aws, tagging: &Tagging) -> Result<BTreeSet<String>, AwsError> {
    let mut found = BTreeSet::new();
    let instances: Vec<String> = tagging.instance_ids.iter().cloned().collect();
    let subnets: Vec<String> = tagging.subnet_ids.iter().cloned().collect();
    let groups: Vec<String> = tagging.security_group_id.iter().cloned().collect();
    if !instances.is_empty() {
        found.extend(aws.ec2_existing_instances(&instances).await?);
    }
    if !subnets.is_empty() {
        found.extend(aws.ec2_existing_subnets(&subnets).await?);
    }
    if !groups.is_empty() {
        found.extend(aws.ec2_existing_security_groups(&groups).await?);
    }
    Ok(found)
}

/// The checks made before anything is written, at plan when the values are
/// known and again at apply: every resource exists, and no other security
/// group carries the key. `prior` is what the state holds, which is ours.
async fn check_before_write(
    aws: &Aws,
    desired: &Tagging,
    prior: &Tagging,
    phase: Phase,
    diags: &mut Diagnostics,
) {
    let summary = match phase {
        Phase::Plan => format!(
            "checking EC2 resources for cluster (`{}`)",
            desired.cluster_id
        ),
        Phase::Apply => summary(&desired.cluster_id),
    };
    let existing = match existing(aws, desired).await {
        Ok(found) => found,
        Err(e) => return diags.error(&summary, detail(&e)),
    };
    let key = desired.key();
    let tagged_groups: BTreeSet<String> = match &desired.security_group_id {
        None => BTreeSet::new(),
        Some(_) => match aws
            .ec2_resources_with_tag(&key, Some("security-group"), None)
            .await
        {
            Ok(tagged) => tagged.into_iter().map(|t| t.resource_id).collect(),
            Err(e) => return diags.error(&summary, detail(&e)),
        },
    };
    let groups: BTreeSet<String> = desired.security_group_id.iter().cloned().collect();
    let listed = [
        Listed {
            attribute: "instance_ids",
            ids: &desired.instance_ids,
        },
        Listed {
            attribute: "subnet_ids",
            ids: &desired.subnet_ids,
        },
        Listed {
            attribute: "security_group_id",
            ids: &groups,
        },
    ];
    let problems = tag_problems(
        &listed,
        &existing,
        &prior.ids(),
        desired.security_group_id.as_deref(),
        prior.security_group_id.as_deref(),
        &tagged_groups,
    );
    let quoted = |ids: &[String]| {
        ids.iter()
            .map(|id| format!("`{id}`"))
            .collect::<Vec<_>>()
            .join(", ")
    };
    for problem in problems {
        let fatal = problem.is_fatal(phase);
        let (attribute, warning_summary, detail) = match &problem {
            TagProblem::Missing {
                attribute,
                ids,
                known,
            } => {
                let kind = match *attribute {
                    "instance_ids" => "instance",
                    "subnet_ids" => "subnet",
                    _ => "security group",
                };
                let terminated = if kind == "instance" {
                    " (a terminated instance counts as not found)"
                } else {
                    ""
                };
                let detail = if *known {
                    format!(
                        "The {kind} {} no longer exists in region `{}`{terminated}. Remove it from \
                         `{attribute}`: applying a change to this resource fails until then \
                         (destroying it works).",
                        quoted(ids),
                        aws.region
                    )
                } else {
                    format!(
                        "No {kind} {} in region `{}`{terminated}. Check the id and the provider's \
                         `region`, or remove it from `{attribute}`.",
                        quoted(ids),
                        aws.region
                    )
                };
                (*attribute, format!("{kind} gone: {}", quoted(ids)), detail)
            }
            TagProblem::SecondGroup { others, .. } => (
                "security_group_id",
                "A second security group carries the cluster tag".to_string(),
                format!(
                    "Security group {} already carries the tag `{key}`. A cluster must have exactly \
                     one tagged security group: with two, creating a load balancer fails. Remove the \
                     tag from {}, or use that group as `security_group_id`.",
                    quoted(others),
                    quoted(others)
                ),
            ),
        };
        if fatal {
            diags.attribute_error(attribute, &summary, detail);
        } else {
            diags.attribute_warning(attribute, warning_summary, detail);
        }
    }
}

/// Brings AWS from `prior` (empty on create) to `desired`; returns the new
/// state, or on failure the state of what was done.
async fn apply(aws: &Aws, prior_state: &Value, planned: &Value, diags: &mut Diagnostics) -> Value {
    let prior = Tagging::from_value(prior_state);
    let desired = Tagging::from_value(planned);
    let summary = summary(&desired.cluster_id);
    check_before_write(aws, &desired, &prior, Phase::Apply, diags).await;
    if diags.has_errors() {
        return prior_state.clone();
    }

    let key = desired.key();
    let (prior_ids, desired_ids) = (prior.ids(), desired.ids());
    let all: Vec<String> = prior_ids.union(&desired_ids).cloned().collect();
    let carried: BTreeMap<String, String> =
        match aws.ec2_resources_with_tag(&key, None, Some(&all)).await {
            Ok(tags) => tags.into_iter().map(|t| (t.resource_id, t.value)).collect(),
            Err(e) => {
                diags.error(&summary, detail(&e));
                return prior_state.clone();
            }
        };

    let (untag, tag) = cluster_tag_moves(&prior_ids, &desired_ids, &desired.ownership, &carried);
    if !untag.is_empty() {
        if let Err(e) = aws.ec2_untag(&untag, &key).await {
            let summary = format!(
                "untagging EC2 resources for cluster (`{}`)",
                desired.cluster_id
            );
            diags.error(summary, detail(&e));
            return prior_state.clone();
        }
    }
    if !tag.is_empty() {
        if let Err(e) = aws.ec2_tag(&tag, &key, &desired.ownership).await {
            diags.error(&summary, detail(&e));
            // What was done: the removals. The next plan shows the rest again.
            if prior_state.is_null() {
                return Value::Null;
            }
            let untagged: BTreeSet<&str> = untag.iter().map(String::as_str).collect();
            return prior
                .retain(|id| !untagged.contains(id))
                .to_value(prior_state);
        }
    }
    desired.to_value(planned)
}

#[async_trait]
impl Resource<Clients> for ClusterTags {
    fn type_name(&self) -> &'static str {
        "clusteriam_cluster_tags"
    }

    fn schema(&self) -> Schema {
        Schema::new(
            0,
            Block::new(
                "Puts the tag `kubernetes.io/cluster/<cluster_id>` = `owned` or `shared` on a \
                 Kubernetes cluster's EC2 instances, subnets and its one security group, as the \
                 Amazon cloud provider needs (Rancher, \"Configure the ClusterID\"). The resource \
                 owns that one key on exactly the listed resources: it adds and removes the key as \
                 the lists change, repairs a removed or changed tag, never touches other tags, and \
                 removes its key on destroy. Other resources carrying the key, such as nodes \
                 Rancher tagged itself, are left alone.",
            )
            .attribute(Attribute::computed(
                "id",
                Type::String,
                "The cluster id, the same as `cluster_id`.",
            ))
            .attribute(
                Attribute::required(
                    "cluster_id",
                    Type::String,
                    "The cluster id (`CLUSTERID` in the Rancher documentation): any string that is \
                     the same across all the cluster's tags. It becomes part of the tag key, so it \
                     may hold at most 106 letters, digits and `-_.:=+@`. Changing it replaces the \
                     resource.",
                )
                .requires_replace(),
            )
            .attribute(
                Attribute::optional_computed(
                    "ownership",
                    Type::String,
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
            .attribute(Attribute::optional(
                "security_group_id",
                Type::String,
                "The id of the one security group the cluster uses to tag, e.g. \
                 `sg-0123456789abcdef0`. Only one group may carry the tag, since two tagged groups \
                 make load balancer creation fail: the resource refuses, at plan and again before \
                 any change, when another security group already carries it.",
            ))
            .attribute(
                Attribute::computed(
                    "tag_key",
                    Type::String,
                    "The tag key, `kubernetes.io/cluster/<cluster_id>`, known at plan.",
                )
                .stable(),
            ),
        )
    }

    fn validate(&self, config: &Value, diags: &mut Diagnostics) {
        check_attr(config, "cluster_id", diags, check_cluster_id);
        check_attr(config, "ownership", diags, |o| {
            one_of("ownership", &OWNERSHIPS, o)
        });
        for (attr, prefix) in [("instance_ids", "i-"), ("subnet_ids", "subnet-")] {
            for id in config.get_strings(attr) {
                check_value(attr, &Value::string(&id), diags, |s| {
                    check_ec2_id(attr, prefix, s)
                });
            }
        }
        check_attr(config, "security_group_id", diags, |s| {
            check_ec2_id("security_group_id", "sg-", s)
        });
        check_something_to_tag(config, diags);
    }

    async fn plan(&self, ctx: &Ctx<Clients>, plan: &mut Plan<'_>, diags: &mut Diagnostics) {
        let (id, key) = match plan.config.get_str("cluster_id") {
            Some(c) => (Value::string(c), Value::string(cluster_tag_key(c))),
            None => (Value::Unknown, Value::Unknown),
        };
        plan.planned.set("id", id);
        plan.planned.set("tag_key", key);
        // Check only when something will be written, and once all is known
        // (otherwise apply checks).
        if &plan.planned == plan.prior || !plan.planned.is_wholly_known() {
            return;
        }
        let Some(clients) = ctx.client(diags) else {
            return;
        };
        let desired = Tagging::from_value(&plan.planned);
        let prior = Tagging::from_value(plan.prior);
        check_before_write(&clients.aws, &desired, &prior, Phase::Plan, diags).await;
    }

    async fn create(
        &self,
        ctx: &Ctx<Clients>,
        planned: &Value,
        _private: &mut Vec<u8>,
        diags: &mut Diagnostics,
    ) -> Value {
        let Some(clients) = ctx.client(diags) else {
            return Value::Null;
        };
        apply(&clients.aws, &Value::Null, planned, diags).await
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
        let current = Tagging::from_value(state);
        let ids: Vec<String> = current.ids().into_iter().collect();
        let carried: BTreeMap<String, String> = match clients
            .aws
            .ec2_resources_with_tag(&current.key(), None, Some(&ids))
            .await
        {
            Ok(tags) => tags.into_iter().map(|t| (t.resource_id, t.value)).collect(),
            Err(e) => {
                diags.error(
                    format!("reading EC2 tags for cluster (`{}`)", current.cluster_id),
                    detail(&e),
                );
                return Value::Null;
            }
        };
        // A resource whose tag was removed or changed drops out of the state,
        // so the plan shows it being tagged again. One that no longer exists
        // stays (there is nothing to repair), with a warning.
        let untagged = current.retain(|id| carried.get(id) != Some(&current.ownership));
        let gone: BTreeSet<String> = if untagged.ids().is_empty() {
            BTreeSet::new()
        } else {
            match existing(&clients.aws, &untagged).await {
                Ok(found) => untagged.ids().difference(&found).cloned().collect(),
                Err(e) => {
                    diags.error(
                        format!("reading EC2 tags for cluster (`{}`)", current.cluster_id),
                        detail(&e),
                    );
                    return Value::Null;
                }
            }
        };
        if !gone.is_empty() {
            let list: Vec<String> = gone.iter().map(|id| format!("`{id}`")).collect();
            diags.warning(
                format!("EC2 resources of cluster (`{}`) gone", current.cluster_id),
                format!(
                    "{} no longer exist in region `{}`. Remove them from the resource's \
                     configuration; until then, applying a change to it fails (destroying it works).",
                    list.join(", "),
                    clients.aws.region
                ),
            );
        }
        current
            .retain(|id| carried.get(id) == Some(&current.ownership) || gone.contains(id))
            .to_value(state)
    }

    async fn update(
        &self,
        ctx: &Ctx<Clients>,
        prior: &Value,
        planned: &Value,
        _private: &mut Vec<u8>,
        diags: &mut Diagnostics,
    ) -> Value {
        let Some(clients) = ctx.client(diags) else {
            return prior.clone();
        };
        apply(&clients.aws, prior, planned, diags).await
    }

    async fn delete(
        &self,
        ctx: &Ctx<Clients>,
        prior: &Value,
        _private: &[u8],
        diags: &mut Diagnostics,
    ) {
        let Some(clients) = ctx.client(diags) else {
            return;
        };
        let aws = &clients.aws;
        let current = Tagging::from_value(prior);
        let ids: Vec<String> = current.ids().into_iter().collect();
        if ids.is_empty() {
            return;
        }
        let key = current.key();
        let summary = format!(
            "untagging EC2 resources for cluster (`{}`)",
            current.cluster_id
        );
        // Only where the key still is: a resource deleted meanwhile is done.
        let carrying: Vec<String> = match aws.ec2_resources_with_tag(&key, None, Some(&ids)).await {
            Ok(tags) => tags.into_iter().map(|t| t.resource_id).collect(),
            Err(e) => return diags.error(summary, detail(&e)),
        };
        if carrying.is_empty() {
            return;
        }
        if let Err(e) = aws.ec2_untag(&carrying, &key).await {
            diags.error(summary, detail(&e));
        }
    }

    async fn import(&self, ctx: &Ctx<Clients>, id: &str, diags: &mut Diagnostics) -> Value {
        let summary = format!("importing EC2 tags for cluster (`{id}`)");
        if let Err(reason) = check_cluster_id(id) {
            diags.error(
                summary,
                format!(
                    "{reason}. Import by cluster id, e.g. `terraform import \
                     clusteriam_cluster_tags.example my-cluster`."
                ),
            );
            return Value::Null;
        }
        let Some(clients) = ctx.client(diags) else {
            return Value::Null;
        };
        let key = cluster_tag_key(id);
        let tags = match clients.aws.ec2_resources_with_tag(&key, None, None).await {
            Ok(tags) => tags,
            Err(e) => {
                diags.error(summary, detail(&e));
                return Value::Null;
            }
        };
        let of_type = |ty: &str| -> BTreeSet<String> {
            tags.iter()
                .filter(|t| t.resource_type == ty)
                .map(|t| t.resource_id.clone())
                .collect()
        };
        let (instances, subnets, groups) = (
            of_type("instance"),
            of_type("subnet"),
            of_type("security-group"),
        );
        if groups.len() > 1 {
            let list: Vec<String> = groups.iter().map(|g| format!("`{g}`")).collect();
            diags.error(
                summary,
                format!(
                    "Security groups {} all carry the tag `{key}`; a cluster must have exactly one. \
                     Remove the tag from all but one of them, then import again.",
                    list.join(", ")
                ),
            );
            return Value::Null;
        }
        if instances.is_empty() && subnets.is_empty() && groups.is_empty() {
            diags.error(
                summary,
                format!(
                    "No instance, subnet or security group in region `{}` carries the tag \
                     `{key}`. Check the cluster id and the provider's `region`.",
                    clients.aws.region
                ),
            );
            return Value::Null;
        }
        // The value most of them carry. Those with the other value belong
        // in a second resource (a cluster's own nodes `owned`, a subnet it
        // shares `shared`): say so rather than drop them silently.
        let relevant = |t: &&crate::aws::ResourceTag| {
            matches!(
                t.resource_type.as_str(),
                "instance" | "subnet" | "security-group"
            )
        };
        let shared = tags
            .iter()
            .filter(relevant)
            .fold(0i64, |n, t| match t.value.as_str() {
                "shared" => n + 1,
                _ => n - 1,
            });
        let ownership = if shared > 0 { "shared" } else { "owned" };
        let others: Vec<&crate::aws::ResourceTag> = tags
            .iter()
            .filter(relevant)
            .filter(|t| t.value != ownership)
            .collect();
        if !others.is_empty() {
            let list: Vec<String> = others
                .iter()
                .map(|t| format!("`{}` (`{}`)", t.resource_id, t.value))
                .collect();
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
        let keep = |id: &String| !others.iter().any(|t| &t.resource_id == id);
        Tagging {
            cluster_id: id.to_string(),
            ownership: ownership.to_string(),
            instance_ids: instances.into_iter().filter(keep).collect(),
            subnet_ids: subnets.into_iter().filter(keep).collect(),
            security_group_id: groups.into_iter().find(keep),
        }
        .to_value(&Value::Null)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn state_keeps_null_or_empty_sets_as_configured() {
        let t = Tagging {
            cluster_id: "c".into(),
            ownership: "owned".into(),
            ..Default::default()
        };
        let v = t.to_value(&Value::Null);
        assert_eq!(v.get("instance_ids"), &Value::Null);
        assert_eq!(v.get("tag_key"), &Value::string("kubernetes.io/cluster/c"));
        let mut like = Value::Map(BTreeMap::new());
        like.set("subnet_ids", Value::List(vec![]));
        assert_eq!(t.to_value(&like).get("subnet_ids"), &Value::List(vec![]));
        assert_eq!(Tagging::from_value(&v), t);
    }

    #[test]
    fn retain_filters_every_kind() {
        let t = Tagging {
            cluster_id: "c".into(),
            ownership: "owned".into(),
            instance_ids: ["i-1".into(), "i-2".into()].into(),
            subnet_ids: ["subnet-1".into()].into(),
            security_group_id: Some("sg-1".into()),
        };
        let kept = t.retain(|id| id == "i-2");
        assert_eq!(kept.ids(), ["i-2".to_string()].into());
        assert_eq!(kept.security_group_id, None);
    }
}
