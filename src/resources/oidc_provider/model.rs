//! `clusteriam_oidc_provider`'s typed model: its attributes, read once from
//! a configuration, plan or state and written once.

use std::collections::{BTreeMap, BTreeSet};

use crate::model;
use crate::resources::common::{Tags, known_tags};
use crate::tfplugin::model::Known;
use crate::tfplugin::{Attr, Value};

model! {
    /// The resource's attributes.
    pub(super) struct OidcModel {
        pub(super) id: Attr<String>,
        pub(super) url: Attr<String>,
        pub(super) client_ids: Attr<BTreeSet<String>>,
        pub(super) thumbprints: Attr<BTreeSet<String>>,
        /// Some values may be unknown at plan, while the rest still count
        /// (an adopter's warnings name them).
        pub(super) tags: Attr<Tags>,
        pub(super) tags_all: Attr<BTreeMap<String, String>>,
        pub(super) arn: Attr<String>,
        pub(super) adopted: Attr<bool>,
        pub(super) force_destroy: Attr<bool>,
    }
}

impl OidcModel {
    /// Whether the provider existed before this resource and was adopted.
    pub(super) fn is_adopted(&self) -> bool {
        self.adopted == Attr::Known(true)
    }

    /// The resource's own `tags` whose values are known.
    pub(super) fn own_tags(&self) -> BTreeMap<String, String> {
        known_tags(&self.tags)
    }

    /// Whether `tags` is known, values and all.
    pub(super) fn tags_are_known(&self) -> bool {
        match &self.tags {
            Attr::Unknown => false,
            Attr::Null => true,
            Attr::Known(tags) => !tags.values().any(Attr::is_unknown),
        }
    }

    /// Sets a plan's `tags_all` alone. The plan is not written back whole:
    /// its sets (`client_ids`, `thumbprints`) may be known in part, which
    /// the model holds as unknown as a whole.
    pub(super) fn set_planned_tags_all(
        planned: &mut Value,
        tags_all: &Attr<BTreeMap<String, String>>,
    ) {
        planned.set(Self::tags_all, tags_all.encode());
    }
}
