//! Tags: the one tag diff every IAM object uses, and the cluster tag that
//! `clusteriam_cluster_tags` owns on EC2 resources (one key, one value, on
//! exactly a set of resources).

use std::collections::{BTreeMap, BTreeSet};
use std::fmt;

use super::run::{Kind, Ran};
use crate::aws::{Aws, AwsError};

/// What changes `current` tags into `wanted`: the keys to remove, then the
/// tags to add or overwrite. Removal comes first, because IAM tag keys are
/// case-insensitive: renaming `Env` to `env` must remove `Env` before
/// adding `env`.
pub fn tag_diff(
    current: &BTreeMap<String, String>,
    wanted: &BTreeMap<String, String>,
) -> (Vec<String>, BTreeMap<String, String>) {
    let untag = current
        .keys()
        .filter(|k| !wanted.contains_key(*k))
        .cloned()
        .collect();
    let tag = wanted
        .iter()
        .filter(|(k, v)| current.get(*k) != Some(*v))
        .map(|(k, v)| (k.clone(), v.clone()))
        .collect();
    (untag, tag)
}

/// The steps of [`tag_diff`], each only when it has something to do:
/// `untag` first, then `tag`.
pub fn tag_steps<S>(
    current: &BTreeMap<String, String>,
    wanted: &BTreeMap<String, String>,
    untag: fn(Vec<String>) -> S,
    tag: fn(BTreeMap<String, String>) -> S,
) -> Vec<S> {
    let (removed, added) = tag_diff(current, wanted);
    let untag = (!removed.is_empty()).then(|| untag(removed));
    let tag = (!added.is_empty()).then(|| tag(added));
    untag.into_iter().chain(tag).collect()
}

/// The EC2 resources to untag and to tag to move a cluster tag from the
/// `prior` set to the `desired` one, given the value each resource carries
/// now (`carried`). Untagging comes first, so that two security groups
/// never carry the key at once.
pub fn cluster_tag_moves(
    prior: &BTreeSet<String>,
    desired: &BTreeSet<String>,
    value: &str,
    carried: &BTreeMap<String, String>,
) -> (Vec<String>, Vec<String>) {
    let untag = prior
        .difference(desired)
        .filter(|id| carried.contains_key(*id))
        .cloned()
        .collect();
    let tag = desired
        .iter()
        .filter(|id| carried.get(*id).map(String::as_str) != Some(value))
        .cloned()
        .collect();
    (untag, tag)
}

/// Moving a cluster tag from one set of EC2 resources to another, as a kind
/// of the one runner ([`super::run`]); destroy is the move to no resources.
pub struct ClusterTagging<'a> {
    pub aws: &'a Aws,
    pub cluster_id: &'a str,
    pub key: String,
    pub value: &'a str,
    /// The resources that carry the tag now, as far as the state knows.
    pub prior: BTreeSet<String>,
    /// The resources that should carry it.
    pub desired: BTreeSet<String>,
}

/// One call on a set of EC2 resources.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ClusterTagStep {
    Untag(Vec<String>),
    Tag(Vec<String>),
}

impl fmt::Display for ClusterTagStep {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ClusterTagStep::Untag(_) => f.write_str("untagging EC2 resources for cluster"),
            ClusterTagStep::Tag(_) => f.write_str("tagging EC2 resources for cluster"),
        }
    }
}

impl ClusterTagStep {
    /// The resources a step untagged.
    pub fn untagged(&self) -> &[String] {
        match self {
            ClusterTagStep::Untag(ids) => ids,
            ClusterTagStep::Tag(_) => &[],
        }
    }
}

impl Kind for ClusterTagging<'_> {
    type Step = ClusterTagStep;
    /// The value of the key on each resource of `prior` and `desired` that carries it.
    type Observed = BTreeMap<String, String>;

    fn subject(&self) -> &str {
        self.cluster_id
    }

    fn steps(&self, carried: Option<&BTreeMap<String, String>>) -> Vec<ClusterTagStep> {
        let none = BTreeMap::new();
        let carried = carried.unwrap_or(&none);
        let (untag, tag) = cluster_tag_moves(&self.prior, &self.desired, self.value, carried);
        let untag = (!untag.is_empty()).then_some(ClusterTagStep::Untag(untag));
        let tag = (!tag.is_empty()).then_some(ClusterTagStep::Tag(tag));
        untag.into_iter().chain(tag).collect()
    }

    async fn run(&self, step: &ClusterTagStep) -> Result<Ran, AwsError> {
        match step {
            ClusterTagStep::Untag(ids) => self.aws.ec2_untag(ids, &self.key).await?,
            ClusterTagStep::Tag(ids) => self.aws.ec2_tag(ids, &self.key, self.value).await?,
        }
        Ok(Ran::Done)
    }

    async fn observe(&self) -> Result<Option<BTreeMap<String, String>>, AwsError> {
        let all: Vec<String> = self.prior.union(&self.desired).cloned().collect();
        let tags = self
            .aws
            .ec2_resources_with_tag(&self.key, None, Some(&all))
            .await?;
        Ok(Some(
            tags.into_iter().map(|t| (t.resource_id, t.value)).collect(),
        ))
    }

    /// The state follows from the steps done: nothing to look at.
    fn observe_after_failure(&self, _step: &ClusterTagStep) -> bool {
        false
    }
}

/// When cluster-tag checks run: at plan a problem the plan does not add is
/// only a warning (Terraform plans with the configuration before a destroy,
/// and an error there would block it); before a write every problem stops it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Phase {
    Plan,
    Apply,
}

/// Something wrong with the resources a cluster tag is to go on.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum TagProblem {
    /// Listed resources that don't exist; `known` when they were in the
    /// prior state (gone since), else newly listed.
    Missing {
        attribute: &'static str,
        ids: Vec<String>,
        known: bool,
    },
    /// Other security groups carry the key; `ours_already` when the
    /// resource's own group carried it all along (this change adds nothing).
    SecondGroup {
        others: Vec<String>,
        ours_already: bool,
    },
}

impl TagProblem {
    /// Whether the problem stops the work in `phase`.
    pub fn is_fatal(&self, phase: Phase) -> bool {
        match self {
            TagProblem::Missing { known, .. } => !known || phase == Phase::Apply,
            TagProblem::SecondGroup { ours_already, .. } => !ours_already,
        }
    }
}

impl TagProblem {
    /// The attribute the problem is about, a short summary for a warning,
    /// and the sentences that say what is wrong and what to do, for the
    /// cluster tag `key` in `region`.
    pub fn describe(&self, region: &str, key: &str) -> (&'static str, String, String) {
        let quoted = |ids: &[String]| {
            ids.iter()
                .map(|id| format!("`{id}`"))
                .collect::<Vec<_>>()
                .join(", ")
        };
        match self {
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
                let ids = quoted(ids);
                let detail = if *known {
                    format!(
                        "The {kind} {ids} no longer exists in region `{region}`{terminated}. Remove \
                         it from `{attribute}`: applying a change to this resource fails until then \
                         (destroying it works)."
                    )
                } else {
                    format!(
                        "No {kind} {ids} in region `{region}`{terminated}. Check the id and the \
                         provider's `region`, or remove it from `{attribute}`."
                    )
                };
                (attribute, format!("{kind} gone: {ids}"), detail)
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
        }
    }
}

/// The resources one kind of id attribute lists.
pub struct Listed<'a> {
    pub attribute: &'static str,
    pub ids: &'a BTreeSet<String>,
}

/// The problems with tagging `listed`: ids not in `existing` (split by
/// whether `prior_ids` held them), and security groups other than ours
/// (`own_group`, and `prior_group` which is ours too) in `tagged_groups`.
pub fn tag_problems(
    listed: &[Listed<'_>],
    existing: &BTreeSet<String>,
    prior_ids: &BTreeSet<String>,
    own_group: Option<&str>,
    prior_group: Option<&str>,
    tagged_groups: &BTreeSet<String>,
) -> Vec<TagProblem> {
    let mut problems = Vec::new();
    for Listed { attribute, ids } in listed {
        let (known, new): (Vec<String>, Vec<String>) = ids
            .iter()
            .filter(|id| !existing.contains(*id))
            .cloned()
            .partition(|id| prior_ids.contains(id));
        for (ids, known) in [(new, false), (known, true)] {
            if !ids.is_empty() {
                problems.push(TagProblem::Missing {
                    attribute,
                    ids,
                    known,
                });
            }
        }
    }
    if let Some(own) = own_group {
        let others: Vec<String> = tagged_groups
            .iter()
            .filter(|id| id.as_str() != own && Some(id.as_str()) != prior_group)
            .cloned()
            .collect();
        if !others.is_empty() {
            problems.push(TagProblem::SecondGroup {
                others,
                ours_already: prior_group == Some(own),
            });
        }
    }
    problems
}

/// What an import of a cluster tag takes: the value most of the tagged
/// instances, subnets and security groups carry, those resources by kind,
/// and the ones left out because they carry the other value (they belong
/// in a second resource with the same cluster id).
#[derive(Debug, Default, PartialEq)]
pub struct ImportedTagging {
    pub ownership: String,
    pub instance_ids: BTreeSet<String>,
    pub subnet_ids: BTreeSet<String>,
    pub security_group_ids: BTreeSet<String>,
    /// Resource id and the value it carries.
    pub left_out: Vec<(String, String)>,
}

/// Splits what carries a cluster tag (`(id, resource type, value)`) by the
/// value most carry; ties go to `owned`.
pub fn import_split(tagged: &[(String, String, String)]) -> ImportedTagging {
    let relevant: Vec<&(String, String, String)> = tagged
        .iter()
        .filter(|(_, kind, _)| matches!(kind.as_str(), "instance" | "subnet" | "security-group"))
        .collect();
    let shared = relevant.iter().filter(|(_, _, v)| v == "shared").count();
    let ownership = if 2 * shared > relevant.len() {
        "shared"
    } else {
        "owned"
    };
    let mut imported = ImportedTagging {
        ownership: ownership.to_string(),
        ..Default::default()
    };
    for (id, kind, value) in relevant {
        if value != ownership {
            imported.left_out.push((id.clone(), value.clone()));
            continue;
        }
        let ids = match kind.as_str() {
            "instance" => &mut imported.instance_ids,
            "subnet" => &mut imported.subnet_ids,
            _ => &mut imported.security_group_ids,
        };
        ids.insert(id.clone());
    }
    imported
}

#[cfg(test)]
mod tests {
    use super::*;

    fn set(ids: &[&str]) -> BTreeSet<String> {
        ids.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn tag_diff_removes_before_it_adds() {
        let current = BTreeMap::from([
            ("Env".to_string(), "a".to_string()),
            ("k".into(), "1".into()),
        ]);
        let wanted = BTreeMap::from([
            ("env".to_string(), "a".to_string()),
            ("k".into(), "2".into()),
        ]);
        assert_eq!(
            tag_diff(&current, &wanted),
            (
                vec!["Env".to_string()],
                BTreeMap::from([
                    ("env".to_string(), "a".to_string()),
                    ("k".into(), "2".into())
                ])
            )
        );
        assert_eq!(tag_diff(&wanted, &wanted), (vec![], BTreeMap::new()));
    }

    #[test]
    fn an_import_takes_the_value_most_carry_and_names_the_rest() {
        let t = |id: &str, kind: &str, value: &str| {
            (id.to_string(), kind.to_string(), value.to_string())
        };
        let imported = import_split(&[
            t("i-1", "instance", "owned"),
            t("i-2", "instance", "owned"),
            t("subnet-1", "subnet", "shared"),
            t("sg-1", "security-group", "owned"),
            t("vol-1", "volume", "shared"),
        ]);
        assert_eq!(imported.ownership, "owned");
        assert_eq!(imported.instance_ids, set(&["i-1", "i-2"]));
        assert_eq!(imported.security_group_ids, set(&["sg-1"]));
        assert!(imported.subnet_ids.is_empty());
        assert_eq!(
            imported.left_out,
            vec![("subnet-1".to_string(), "shared".to_string())]
        );
        // A tie goes to `owned`.
        let tie = import_split(&[t("i-1", "instance", "owned"), t("s", "subnet", "shared")]);
        assert_eq!(tie.ownership, "owned");
    }

    #[test]
    fn cluster_tags_move_untags_what_left_and_tags_what_lacks_the_value() {
        let carried = BTreeMap::from([
            ("sg-old".to_string(), "owned".to_string()),
            ("i-1".to_string(), "shared".to_string()),
            ("i-2".to_string(), "owned".to_string()),
        ]);
        let (untag, tag) = cluster_tag_moves(
            &set(&["sg-old", "i-1", "i-2", "i-gone"]),
            &set(&["sg-new", "i-1", "i-2"]),
            "owned",
            &carried,
        );
        // i-gone carries nothing: nothing to untag there.
        assert_eq!(untag, vec!["sg-old".to_string()]);
        assert_eq!(tag, vec!["i-1".to_string(), "sg-new".to_string()]);
    }

    #[test]
    fn problems_the_plan_adds_are_fatal_the_others_only_before_a_write() {
        let instances = set(&["i-new-ghost", "i-old-ghost", "i-ok"]);
        let problems = tag_problems(
            &[Listed {
                attribute: "instance_ids",
                ids: &instances,
            }],
            &set(&["i-ok"]),
            &set(&["i-old-ghost", "i-ok"]),
            Some("sg-ours"),
            Some("sg-ours"),
            &set(&["sg-ours", "sg-theirs"]),
        );
        assert_eq!(
            problems,
            vec![
                TagProblem::Missing {
                    attribute: "instance_ids",
                    ids: vec!["i-new-ghost".into()],
                    known: false
                },
                TagProblem::Missing {
                    attribute: "instance_ids",
                    ids: vec!["i-old-ghost".into()],
                    known: true
                },
                TagProblem::SecondGroup {
                    others: vec!["sg-theirs".into()],
                    ours_already: true
                },
            ]
        );
        let fatal_at_plan: Vec<bool> = problems.iter().map(|p| p.is_fatal(Phase::Plan)).collect();
        assert_eq!(fatal_at_plan, [true, false, false]);
        let fatal_at_apply: Vec<bool> = problems.iter().map(|p| p.is_fatal(Phase::Apply)).collect();
        assert_eq!(fatal_at_apply, [true, true, false]);

        // Moving the tag to a new group while another carries it: refused.
        let moving = tag_problems(
            &[],
            &set(&[]),
            &set(&[]),
            Some("sg-new"),
            Some("sg-ours"),
            &set(&["sg-ours", "sg-theirs"]),
        );
        assert_eq!(
            moving,
            vec![TagProblem::SecondGroup {
                others: vec!["sg-theirs".into()],
                ours_already: false
            }]
        );
        assert!(moving[0].is_fatal(Phase::Plan));
    }
}
