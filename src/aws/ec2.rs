//! EC2 finders and tag mutators.

use std::collections::BTreeSet;

use aws_sdk_ec2::types::{Filter, Reservation, SecurityGroup, Subnet, Tag};

use super::actions::{
    Action, EC2_CREATE_TAGS, EC2_DELETE_TAGS, EC2_DESCRIBE_INSTANCES, EC2_DESCRIBE_SECURITY_GROUPS,
    EC2_DESCRIBE_SUBNETS, EC2_DESCRIBE_TAGS,
};
use super::call::call;
use super::client::Aws;
use super::error::AwsError;

/// How many values one EC2 filter takes (the API's limit is 200).
const FILTER_CHUNK: usize = 200;
/// How many resources one CreateTags / DeleteTags call takes (the API's limit is 1000).
const TAG_CHUNK: usize = 1000;

/// One tag on one EC2 resource, as DescribeTags lists it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ResourceTag {
    pub resource_id: String,
    /// `instance`, `subnet`, `security-group`, ...
    pub resource_type: String,
    pub value: String,
}

/// An EC2 object [`which_exist`] asks about: the describe call's filter
/// on its id, and the ids of the existing ones an item of the answer holds.
trait Described {
    const ID_FILTER: &'static str;
    fn existing_ids(self) -> impl IntoIterator<Item = String>;
}

/// DescribeInstances lists reservations, each holding instances.
impl Described for Reservation {
    const ID_FILTER: &'static str = "instance-id";
    /// Instances shutting down or terminated are listed for a while, but do
    /// not count.
    fn existing_ids(self) -> impl IntoIterator<Item = String> {
        let instances = self.instances.unwrap_or_default().into_iter();
        let running = instances.filter(|i| {
            !matches!(
                i.state().and_then(|s| s.name()).map(|n| n.as_str()),
                Some("terminated" | "shutting-down")
            )
        });
        running.filter_map(|i| i.instance_id)
    }
}

impl Described for Subnet {
    const ID_FILTER: &'static str = "subnet-id";
    fn existing_ids(self) -> impl IntoIterator<Item = String> {
        self.subnet_id
    }
}

impl Described for SecurityGroup {
    const ID_FILTER: &'static str = "group-id";
    fn existing_ids(self) -> impl IntoIterator<Item = String> {
        self.group_id
    }
}

/// Which of `ids` exist, by the describe call `describe` sends with a filter
/// on the id, as many ids at a time as one filter takes. A filter, unlike
/// an id list, leaves unknown ids out instead of failing.
async fn which_exist<T: Described, E, Fut>(
    action: &'static Action,
    ids: &[String],
    describe: impl Fn(Filter) -> Fut,
) -> Result<BTreeSet<String>, AwsError>
where
    Fut: std::future::Future<Output = Result<Vec<T>, E>>,
    AwsError: From<E>,
{
    let mut existing = BTreeSet::new();
    for ids in ids.chunks(FILTER_CHUNK) {
        let filter = filter(T::ID_FILTER, ids);
        let listed = call(action, ids.join(","), describe(filter)).await?;
        existing.extend(listed.into_iter().flat_map(T::existing_ids));
    }
    Ok(existing)
}

fn filter(name: &str, values: &[String]) -> Filter {
    Filter::builder()
        .name(name)
        .set_values(Some(values.to_vec()))
        .build()
}

impl Aws {
    /// The resources carrying the tag `key`: among `resource_ids` when given
    /// (none when the list is empty), else everywhere, optionally only of
    /// `resource_type`.
    pub async fn ec2_resources_with_tag(
        &self,
        key: &str,
        resource_type: Option<&str>,
        resource_ids: Option<&[String]>,
    ) -> Result<Vec<ResourceTag>, AwsError> {
        let chunks: Vec<Option<&[String]>> = match resource_ids {
            Some(ids) => ids.chunks(FILTER_CHUNK).map(Some).collect(),
            None => vec![None],
        };
        let mut found = Vec::new();
        for ids in chunks {
            let mut filters = vec![filter("key", &[key.to_string()])];
            if let Some(t) = resource_type {
                filters.push(filter("resource-type", &[t.to_string()]));
            }
            if let Some(ids) = ids {
                filters.push(filter("resource-id", ids));
            }
            let tags = call(
                &EC2_DESCRIBE_TAGS,
                key,
                self.ec2
                    .describe_tags()
                    .set_filters(Some(filters))
                    .into_paginator()
                    .items()
                    .send()
                    .try_collect(),
            )
            .await?;
            // The filter is a pattern (`*`, `?`), so keep only the exact key.
            found.extend(tags.into_iter().filter(|t| t.key() == Some(key)).map(|t| {
                ResourceTag {
                    resource_id: t.resource_id().unwrap_or_default().to_string(),
                    resource_type: t
                        .resource_type()
                        .map(|r| r.as_str().to_string())
                        .unwrap_or_default(),
                    value: t.value().unwrap_or_default().to_string(),
                }
            }));
        }
        Ok(found)
    }

    /// Sets the tag `key` = `value` on every resource in `resource_ids`,
    /// leaving their other tags alone.
    pub async fn ec2_tag(
        &self,
        resource_ids: &[String],
        key: &str,
        value: &str,
    ) -> Result<(), AwsError> {
        for ids in resource_ids.chunks(TAG_CHUNK) {
            call(
                &EC2_CREATE_TAGS,
                key,
                self.ec2
                    .create_tags()
                    .set_resources(Some(ids.to_vec()))
                    .tags(Tag::builder().key(key).value(value).build())
                    .send(),
            )
            .await?;
        }
        Ok(())
    }

    /// Removes the tag `key`, whatever its value, from every resource in
    /// `resource_ids`, leaving their other tags alone.
    pub async fn ec2_untag(&self, resource_ids: &[String], key: &str) -> Result<(), AwsError> {
        for ids in resource_ids.chunks(TAG_CHUNK) {
            // No value: delete the key whatever its value.
            let untag = self
                .ec2
                .delete_tags()
                .set_resources(Some(ids.to_vec()))
                .tags(Tag::builder().key(key).build());
            call(&EC2_DELETE_TAGS, key, untag.send()).await?;
        }
        Ok(())
    }

    /// Which of these instances (not terminated), subnets and security
    /// groups exist.
    pub async fn ec2_existing(
        &self,
        instances: &[String],
        subnets: &[String],
        groups: &[String],
    ) -> Result<BTreeSet<String>, AwsError> {
        let mut found = self.existing_instances(instances).await?;
        found.extend(self.existing_subnets(subnets).await?);
        found.extend(self.existing_security_groups(groups).await?);
        Ok(found)
    }

    async fn existing_instances(&self, ids: &[String]) -> Result<BTreeSet<String>, AwsError> {
        which_exist(&EC2_DESCRIBE_INSTANCES, ids, |filter| {
            let request = self.ec2.describe_instances().filters(filter);
            request.into_paginator().items().send().try_collect()
        })
        .await
    }

    async fn existing_subnets(&self, ids: &[String]) -> Result<BTreeSet<String>, AwsError> {
        which_exist(&EC2_DESCRIBE_SUBNETS, ids, |filter| {
            let request = self.ec2.describe_subnets().filters(filter);
            request.into_paginator().items().send().try_collect()
        })
        .await
    }

    async fn existing_security_groups(&self, ids: &[String]) -> Result<BTreeSet<String>, AwsError> {
        which_exist(&EC2_DESCRIBE_SECURITY_GROUPS, ids, |filter| {
            let request = self.ec2.describe_security_groups().filters(filter);
            request.into_paginator().items().send().try_collect()
        })
        .await
    }
}
