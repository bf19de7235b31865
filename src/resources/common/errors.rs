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

/// An error diagnostic for `err` with the caller's remedy (e.g. which
/// setting avoids the call), followed by the error's own when it has one: a
/// refused action still points at the permissions guide.
pub fn report_with(
    diags: &mut Diagnostics,
    summary: impl Into<String>,
    err: &AwsError,
    remedy: &str,
) {
    let detail = match err.remedy() {
        Some(own) => format!("{err}\n\n{remedy}\n\n{own}"),
        None => format!("{err}\n\n{remedy}"),
    };
    diags.error(summary, detail);
}
