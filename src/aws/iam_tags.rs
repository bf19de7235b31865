//! Tags on the IAM objects the provider owns: one tag and one untag call
//! for roles, instance profiles, managed policies and OIDC providers.

use std::collections::BTreeMap;

use super::actions::{
    IAM_TAG_INSTANCE_PROFILE, IAM_TAG_OPEN_ID_CONNECT_PROVIDER, IAM_TAG_POLICY, IAM_TAG_ROLE,
    IAM_UNTAG_INSTANCE_PROFILE, IAM_UNTAG_OPEN_ID_CONNECT_PROVIDER, IAM_UNTAG_POLICY,
    IAM_UNTAG_ROLE,
};
use super::call::call;
use super::client::Aws;
use super::error::AwsError;
use super::observed::iam_tags;

/// A taggable IAM object: roles and instance profiles by name, managed
/// policies and OIDC providers by ARN, as IAM's tag calls take them.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum IamObject<'a> {
    Role(&'a str),
    InstanceProfile(&'a str),
    Policy(&'a str),
    OidcProvider(&'a str),
}

impl Aws {
    /// Adds or overwrites these tags.
    pub async fn tag_iam(
        &self,
        object: IamObject<'_>,
        tags: &BTreeMap<String, String>,
    ) -> Result<(), AwsError> {
        let tags = Some(iam_tags(tags));
        let iam = &self.iam;
        match object {
            IamObject::Role(name) => {
                let request = iam.tag_role().role_name(name).set_tags(tags);
                call(&IAM_TAG_ROLE, name, request.send()).await.map(drop)
            }
            IamObject::InstanceProfile(name) => {
                let request = iam.tag_instance_profile().instance_profile_name(name);
                let request = request.set_tags(tags).send();
                call(&IAM_TAG_INSTANCE_PROFILE, name, request)
                    .await
                    .map(drop)
            }
            IamObject::Policy(arn) => {
                let request = iam.tag_policy().policy_arn(arn).set_tags(tags);
                call(&IAM_TAG_POLICY, arn, request.send()).await.map(drop)
            }
            IamObject::OidcProvider(arn) => {
                let request = iam.tag_open_id_connect_provider();
                let request = request.open_id_connect_provider_arn(arn).set_tags(tags);
                call(&IAM_TAG_OPEN_ID_CONNECT_PROVIDER, arn, request.send())
                    .await
                    .map(drop)
            }
        }
    }

    /// Removes the tags with these keys.
    pub async fn untag_iam(&self, object: IamObject<'_>, keys: &[String]) -> Result<(), AwsError> {
        let keys = Some(keys.to_vec());
        let iam = &self.iam;
        match object {
            IamObject::Role(name) => {
                let request = iam.untag_role().role_name(name).set_tag_keys(keys);
                call(&IAM_UNTAG_ROLE, name, request.send()).await.map(drop)
            }
            IamObject::InstanceProfile(name) => {
                let request = iam.untag_instance_profile().instance_profile_name(name);
                let request = request.set_tag_keys(keys).send();
                call(&IAM_UNTAG_INSTANCE_PROFILE, name, request)
                    .await
                    .map(drop)
            }
            IamObject::Policy(arn) => {
                let request = iam.untag_policy().policy_arn(arn).set_tag_keys(keys);
                call(&IAM_UNTAG_POLICY, arn, request.send()).await.map(drop)
            }
            IamObject::OidcProvider(arn) => {
                let request = iam.untag_open_id_connect_provider();
                let request = request.open_id_connect_provider_arn(arn).set_tag_keys(keys);
                call(&IAM_UNTAG_OPEN_ID_CONNECT_PROVIDER, arn, request.send())
                    .await
                    .map(drop)
            }
        }
    }
}
