//! The checks of `clusteriam_cluster_tags` made before anything is written:
//! ids well formed, something to tag, every listed resource there, and one
//! security group at most carrying the key.

use std::collections::BTreeSet;

use super::model::{Ids, Tagging, TaggingModel};
use crate::aws::Aws;
use crate::engine::tags::{Listed, Phase, TagProblem, tag_problems};
use crate::resources::common::report;
use crate::tfplugin::{Attr, Diagnostics};
use crate::validate::is_ec2_id;

pub(super) fn check_ec2_id(attr: &str, prefix: &str, id: &str) -> Result<(), String> {
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
pub(super) fn check_something_to_tag(config: &TaggingModel, diags: &mut Diagnostics) {
    let empty = |ids: &Ids| match ids {
        Attr::Null => true,
        Attr::Known(ids) => ids.is_empty(),
        Attr::Unknown => false,
    };
    if !(empty(&config.instance_ids)
        && empty(&config.subnet_ids)
        && config.security_group_id.is_null())
    {
        return;
    }
    let summary = "Nothing to tag";
    let detail = "`instance_ids`, `subnet_ids` and `security_group_id` are all empty, so no EC2 \
                  resource would carry the cluster tag. Give at least one instance, subnet or \
                  security group id.";
    let listed = [
        (TaggingModel::subnet_ids, &config.subnet_ids),
        (TaggingModel::instance_ids, &config.instance_ids),
    ];
    match listed
        .into_iter()
        .find_map(|(attr, ids)| (!ids.is_null()).then_some(attr))
    {
        Some(attr) => diags.attribute_error(attr, summary, detail),
        None => diags.error(summary, detail),
    }
}

pub(super) fn quoted(ids: &[String]) -> String {
    ids.iter()
        .map(|id| format!("`{id}`"))
        .collect::<Vec<_>>()
        .join(", ")
}

/// The checks made before anything is written, at plan when the values are
/// known and again at apply: every resource exists, and no other security
/// group carries the key. `prior` is what the state holds, which is ours.
pub(super) async fn check_before_write(
    aws: &Aws,
    desired: &Tagging,
    prior: &Tagging,
    phase: Phase,
    diags: &mut Diagnostics,
) {
    let verb = match phase {
        Phase::Plan => "checking",
        Phase::Apply => "tagging",
    };
    let summary = format!(
        "{verb} EC2 resources for cluster (`{}`)",
        desired.cluster_id
    );
    let existing = match desired.existing(aws).await {
        Ok(found) => found,
        Err(e) => return report(diags, &summary, &e),
    };
    let key = desired.key();
    let tagged_groups: BTreeSet<String> = match &desired.security_group_id {
        None => BTreeSet::new(),
        Some(_) => match aws
            .ec2_resources_with_tag(&key, Some("security-group"), None)
            .await
        {
            Ok(tagged) => tagged.into_iter().map(|t| t.resource_id).collect(),
            Err(e) => return report(diags, &summary, &e),
        },
    };
    let groups: BTreeSet<String> = desired.security_group_id.iter().cloned().collect();
    let listed = [
        Listed {
            attribute: TaggingModel::instance_ids,
            ids: &desired.instance_ids,
        },
        Listed {
            attribute: TaggingModel::subnet_ids,
            ids: &desired.subnet_ids,
        },
        Listed {
            attribute: TaggingModel::security_group_id,
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
    for problem in problems {
        let (attribute, warning, detail) = problem.describe(&aws.region, &key);
        if problem.is_fatal(phase) {
            diags.attribute_error(attribute, &summary, detail);
        } else {
            diags.attribute_warning(attribute, warning, detail);
        }
    }
}

/// Warns when a security group other than the resource's carries the key:
/// with two, creating a load balancer fails. The group is not the
/// resource's, so it is only named, at every plan, until one loses the tag.
pub(super) async fn warn_second_group(aws: &Aws, tagging: &Tagging, diags: &mut Diagnostics) {
    let Some(own) = &tagging.security_group_id else {
        return;
    };
    let key = tagging.key();
    let summary = format!(
        "checking EC2 resources for cluster (`{}`)",
        tagging.cluster_id
    );
    let others: Vec<String> = match aws
        .ec2_resources_with_tag(&key, Some("security-group"), None)
        .await
    {
        Ok(tagged) => tagged
            .into_iter()
            .map(|t| t.resource_id)
            .filter(|id| id != own)
            .collect(),
        Err(e) => return report(diags, &summary, &e),
    };
    if others.is_empty() {
        return;
    }
    let problem = TagProblem::SecondGroup {
        others,
        ours_already: true,
    };
    let (attribute, warning, detail) = problem.describe(&aws.region, &key);
    diags.attribute_warning(attribute, warning, detail);
}
