//! The attributes of `clusteriam_cluster_tags` and the resource's own
//! model of them: one key, with one value, on a set of EC2 resources, and
//! the runner's kind that moves the key between two such sets.

use std::collections::BTreeSet;

use crate::aws::{Aws, AwsError};
use crate::engine::tags::ClusterTagging;
use crate::kubernetes::cluster_tag_key;
use crate::model;
use crate::tfplugin::{Attr, Model, Value};

/// Ids of a set attribute, each of which may be unknown in a configuration.
pub(super) type Ids = Attr<BTreeSet<Attr<String>>>;

model! {
    /// The attributes the configuration gives.
    pub(super) struct TaggingModel {
        pub(super) cluster_id: Attr<String>,
        pub(super) ownership: Attr<String>,
        pub(super) instance_ids: Ids,
        pub(super) subnet_ids: Ids,
        pub(super) security_group_id: Attr<String>,
    }
}

model! {
    /// The attributes that follow from `cluster_id`, known at plan when it is.
    pub(super) struct ComputedModel {
        pub(super) id: Attr<String>,
        pub(super) tag_key: Attr<String>,
    }
}

impl ComputedModel {
    pub(super) fn of(cluster_id: Option<&str>) -> ComputedModel {
        match cluster_id {
            Some(c) => ComputedModel {
                id: c.into(),
                tag_key: cluster_tag_key(c).into(),
            },
            None => ComputedModel {
                id: Attr::Unknown,
                tag_key: Attr::Unknown,
            },
        }
    }
}

/// The known ids.
pub(super) fn known_ids(ids: &Ids) -> BTreeSet<String> {
    let ids = ids.known().into_iter().flatten();
    ids.filter_map(|id| id.known().cloned()).collect()
}

/// The resource's model: one key, with one value, on a set of resources.
#[derive(Clone, Debug, Default, PartialEq)]
pub(super) struct Tagging {
    pub(super) cluster_id: String,
    pub(super) ownership: String,
    pub(super) instance_ids: BTreeSet<String>,
    pub(super) subnet_ids: BTreeSet<String>,
    pub(super) security_group_id: Option<String>,
}

impl Tagging {
    pub(super) fn from_value(v: &Value) -> Tagging {
        let model = TaggingModel::read(v);
        Tagging {
            cluster_id: model.cluster_id.into_known().unwrap_or_default(),
            ownership: model.ownership.into_known().unwrap_or("owned".into()),
            instance_ids: known_ids(&model.instance_ids),
            subnet_ids: known_ids(&model.subnet_ids),
            security_group_id: model.security_group_id.into_known(),
        }
    }

    pub(super) fn key(&self) -> String {
        cluster_tag_key(&self.cluster_id)
    }

    pub(super) fn ids(&self) -> BTreeSet<String> {
        let mut ids = self.instance_ids.clone();
        ids.extend(self.subnet_ids.iter().cloned());
        ids.extend(self.security_group_id.iter().cloned());
        ids
    }

    /// The same tagging on only the resources for which `keep` holds.
    pub(super) fn retain(&self, keep: impl Fn(&str) -> bool) -> Tagging {
        let filter = |ids: &BTreeSet<String>| ids.iter().filter(|id| keep(id)).cloned().collect();
        Tagging {
            cluster_id: self.cluster_id.clone(),
            ownership: self.ownership.clone(),
            instance_ids: filter(&self.instance_ids),
            subnet_ids: filter(&self.subnet_ids),
            security_group_id: self.security_group_id.clone().filter(|id| keep(id)),
        }
    }

    /// The runner's kind that moves the key from `prior`'s resources to these.
    pub(super) fn moving_from<'a>(&'a self, aws: &'a Aws, prior: &Tagging) -> ClusterTagging<'a> {
        ClusterTagging {
            aws,
            cluster_id: &self.cluster_id,
            key: self.key(),
            value: &self.ownership,
            prior: prior.ids(),
            desired: self.ids(),
        }
    }

    /// Which of its resources exist (a terminated instance does not).
    pub(super) async fn existing(&self, aws: &Aws) -> Result<BTreeSet<String>, AwsError> {
        let list = |ids: &BTreeSet<String>| ids.iter().cloned().collect::<Vec<_>>();
        let groups: Vec<String> = self.security_group_id.iter().cloned().collect();
        aws.ec2_existing(&list(&self.instance_ids), &list(&self.subnet_ids), &groups)
            .await
    }

    /// The state value. An empty set is stored as `like` had it (null or
    /// empty), so that what the configuration said shows no diff.
    pub(super) fn to_value(&self, like: &Value) -> Value {
        let like = TaggingModel::read(like);
        let set = |ids: &BTreeSet<String>, like: &Ids| {
            if ids.is_empty() && like.is_null() {
                Attr::Null
            } else {
                Attr::Known(ids.iter().map(|id| id.as_str().into()).collect())
            }
        };
        let mut v = ComputedModel::of(Some(&self.cluster_id)).to_value();
        TaggingModel {
            cluster_id: self.cluster_id.as_str().into(),
            ownership: self.ownership.as_str().into(),
            instance_ids: set(&self.instance_ids, &like.instance_ids),
            subnet_ids: set(&self.subnet_ids, &like.subnet_ids),
            security_group_id: Attr::from_option(self.security_group_id.clone()),
        }
        .write(&mut v);
        v
    }
}
