//! `kkp_version`, as every resource that holds KKP's policy takes it: the
//! same description, the same check, the same reading of a plan.

use crate::policy::published::Version;
use crate::policy::published::kkp::kkp_version_description;
use crate::policy::published::kkp::parse_kkp_version;
use crate::tfplugin::{Attribute, Diagnostics, Value};
use crate::validate::check_attr;

/// The optional `kkp_version` attribute.
pub fn kkp_version_attribute() -> Attribute {
    Attribute::optional_string("kkp_version", &kkp_version_description())
}

/// Checks `kkp_version` at validate.
pub fn validate_kkp_version(config: &Value, diags: &mut Diagnostics) {
    check_attr(config, "kkp_version", diags, |v| {
        parse_kkp_version(v).map(|_| ())
    });
}

/// The planned `kkp_version`: Some(None) when unset (the current KKP),
/// None while unknown (or invalid, which validation reports).
pub fn planned_kkp_version(config: &Value) -> Option<Option<Version>> {
    match config.get("kkp_version") {
        Value::Null => Some(None),
        value => value
            .as_str()
            .and_then(|v| parse_kkp_version(v).ok())
            .map(Some),
    }
}
