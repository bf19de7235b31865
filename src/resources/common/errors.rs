//! How an AWS failure becomes a diagnostic: the summary names what was being
//! done to which object (``creating IAM role (`name`)``), the detail is AWS's
//! `Code: message` and then what to do about it.

use crate::aws::AwsError;
use crate::tfplugin::{AttributePath, Diagnostics};

/// An error diagnostic for `err`, with its remedy when there is one.
pub fn report(diags: &mut Diagnostics, summary: impl Into<String>, err: &AwsError) {
    diags.error(summary, err.detail());
}

/// The same, on the attribute whose value the failure is about.
pub fn report_on(
    diags: &mut Diagnostics,
    attribute: impl Into<AttributePath>,
    summary: impl Into<String>,
    err: &AwsError,
) {
    diags.attribute_error(attribute, summary, err.detail());
}

/// An error diagnostic for `err` whose remedy the caller knows better than
/// the error itself (e.g. which user to create).
pub fn report_with(
    diags: &mut Diagnostics,
    summary: impl Into<String>,
    err: &AwsError,
    remedy: &str,
) {
    diags.error(summary, format!("{err}\n\n{remedy}"));
}
