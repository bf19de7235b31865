//! `kkp_version`, as every resource that holds KKP's policy takes it: the
//! same description, the same check, the same reading of a plan.

use crate::model;
use crate::policy::published::Version;
use crate::policy::published::kkp::kkp_version_description;
use crate::policy::published::kkp::parse_kkp_version;
use crate::tfplugin::{Attr, Attribute, Diagnostics, Model, Value};
use crate::validate::check_attr;

model! {
    /// The KKP version whose policy a resource holds.
    pub struct KkpVersionModel {
        pub kkp_version: Attr<String>,
    }
}

/// The optional `kkp_version` attribute.
pub fn kkp_version_attribute() -> Attribute {
    Attribute::optional_string(KkpVersionModel::kkp_version, &kkp_version_description())
}

/// Checks `kkp_version` at validate.
pub fn validate_kkp_version(config: &Value, diags: &mut Diagnostics) {
    check_attr(config, KkpVersionModel::kkp_version, diags, |v| {
        parse_kkp_version(v).map(|_| ())
    });
}

/// The planned `kkp_version`: Some(None) when unset (the current KKP),
/// None while unknown (or invalid, which validation reports).
pub fn planned_kkp_version(config: &Value) -> Option<Option<Version>> {
    match KkpVersionModel::read(config).kkp_version {
        Attr::Null => Some(None),
        Attr::Unknown => None,
        Attr::Known(v) => parse_kkp_version(&v).ok().map(Some),
    }
}
