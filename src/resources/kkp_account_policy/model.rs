//! The attributes of `clusteriam_kkp_account_policy`, read once from a
//! configuration, plan or state, and what they ask of the engine.

use std::collections::BTreeMap;

use crate::aws::ManagedPolicy;
use crate::engine::managed_policy::{PolicyModel, PolicyStep};
use crate::model;
use crate::resources::common::{Tags, known_tags, merged_tags};
use crate::tfplugin::Attr;

model! {
    /// The resource's attributes.
    pub(super) struct AccountPolicyModel {
        pub(super) id: Attr<String>,
        pub(super) account_id: Attr<String>,
        pub(super) kkp_version: Attr<String>,
        pub(super) user_name: Attr<String>,
        pub(super) name: Attr<String>,
        pub(super) name_prefix: Attr<String>,
        pub(super) path: Attr<String>,
        pub(super) description: Attr<String>,
        /// A plan's values may be unknown (or null) one by one.
        pub(super) tags: Attr<Tags>,
        pub(super) tags_all: Attr<BTreeMap<String, String>>,
        pub(super) arn: Attr<String>,
        pub(super) policy: Attr<String>,
        pub(super) default_version_id: Attr<String>,
    }
}

impl AccountPolicyModel {
    /// The policy's name; empty when unknown.
    pub(super) fn name_or_empty(&self) -> &str {
        self.name.as_deref().unwrap_or_default()
    }

    /// What IAM says of the policy: its ARN (also the id), name and default version.
    pub(super) fn set_identity(&mut self, policy: &ManagedPolicy) {
        self.id = policy.arn.as_str().into();
        self.arn = policy.arn.as_str().into();
        self.name = policy.name.as_str().into();
        self.default_version_id = policy.default_version_id.as_str().into();
    }

    /// What the prior or planned state says the policy holds.
    pub(super) fn policy_model(&self, default_tags: &BTreeMap<String, String>) -> PolicyModel {
        PolicyModel {
            document: self.policy.as_deref().unwrap_or_default().to_string(),
            user: self.user_name.known().cloned(),
            tags: merged_tags(default_tags, &known_tags(&self.tags)),
        }
    }

    /// Puts back `prior`'s values of what `step`, not done, would have changed.
    pub(super) fn put_back(&mut self, step: &PolicyStep, prior: &AccountPolicyModel) {
        match step {
            PolicyStep::NewDefaultVersion => {
                self.policy = prior.policy.clone();
                self.account_id = prior.account_id.clone();
                self.kkp_version = prior.kkp_version.clone();
                self.default_version_id = prior.default_version_id.clone();
            }
            PolicyStep::DetachUser(_) | PolicyStep::AttachUser(_) => {
                self.user_name = prior.user_name.clone();
            }
            PolicyStep::Untag(_) | PolicyStep::Tag(_) => {
                self.tags = prior.tags.clone();
                self.tags_all = prior.tags_all.clone();
            }
        }
    }
}
