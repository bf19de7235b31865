//! Why configuring the provider failed, as a diagnostic on the setting to
//! fix with the remedy; secret settings are taken out of the text first.

use crate::aws::{self, ConnectError};
use crate::tfplugin::{AttributePath, Diagnostics};

/// Takes the values of secret settings out of an error's text: an SDK error
/// may quote what it was given.
pub(super) fn scrub(err: ConnectError, secrets: &[String]) -> ConnectError {
    let clean = |mut text: String| {
        for secret in secrets.iter().filter(|s| !s.is_empty()) {
            text = text.replace(secret.as_str(), "(redacted)");
        }
        text
    };
    match err {
        ConnectError::NoCredentials(detail) => ConnectError::NoCredentials(clean(detail)),
        ConnectError::AssumeRole(detail) => ConnectError::AssumeRole(clean(detail)),
        ConnectError::Unreachable(detail) => ConnectError::Unreachable(clean(detail)),
        ConnectError::InvalidCredentials(mut err) => {
            err.message = clean(err.message);
            ConnectError::InvalidCredentials(err)
        }
        other => other,
    }
}

pub(super) fn report_connect_error(
    err: ConnectError,
    sts_endpoint_set: bool,
    diags: &mut Diagnostics,
) {
    // Unreachable and NotAws share the remedy; only the summary differs.
    let sts_summary = if matches!(err, ConnectError::Unreachable(_)) {
        "Cannot reach the AWS STS endpoint"
    } else {
        "The STS endpoint does not answer like AWS"
    };
    match err {
        ConnectError::NoRegion => diags.attribute_error(
            "region",
            "No AWS region",
            "The provider needs a region. Set `region` in the provider block, or the AWS_REGION \
             environment variable, or a region in the selected profile.",
        ),
        ConnectError::NoProfile {
            name,
            from_setting,
            files,
            found,
        } => diags.attribute_error(
            "profile",
            "AWS profile not found",
            format!(
                "{} names the profile `{name}`, which is in none of the shared config files \
                 ({files}). {}\n\nCreate the profile (e.g. with `aws configure --profile {name}`), \
                 or name one that exists.",
                if from_setting {
                    "`profile`"
                } else {
                    "The AWS_PROFILE environment variable"
                },
                if found.is_empty() {
                    "Those files hold no profiles at all.".to_string()
                } else {
                    format!("Profiles found: {}.", found.join(", "))
                }
            ),
        ),
        ConnectError::ProfileFiles(detail) => diags.attribute_error(
            "shared_config_files",
            "Cannot read the AWS shared config files",
            format!("{detail}\n\nFix the file, or point `shared_config_files` at another."),
        ),
        ConnectError::NoCredentials(detail) => diags.attribute_error(
            "access_key",
            "No valid AWS credentials found",
            format!(
                "{detail}\n\nGive the provider credentials in one of the usual ways: the \
                 AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY environment variables, `profile` (or \
                 AWS_PROFILE) naming a profile in the shared files, or `access_key` and `secret_key`."
            ),
        ),
        ConnectError::AssumeRole(detail) => diags.attribute_error(
            AttributePath::root("assume_role").attribute("role_arn"),
            "Cannot assume the role in `assume_role.role_arn`",
            format!(
                "{detail}\n\nCheck that the role exists, that its trust policy allows the caller \
                 (and `external_id`, if it requires one), and that the base credentials are valid \
                 and may call `sts:AssumeRole` on the role (the provider's permissions guide, \
                 docs/guides/permissions.md, says what the base credentials and the role need)."
            ),
        ),
        ConnectError::Unreachable(detail) | ConnectError::NotAws(detail) => diags.attribute_error(
            sts_setting(sts_endpoint_set),
            sts_summary,
            format!(
                "validating credentials with sts:GetCallerIdentity: {detail}.\n\nTo configure \
                 without any call to STS, set `skip_credentials_validation = true`."
            ),
        ),
        ConnectError::Sts(err) => diags.error(
            "Cannot validate the AWS credentials",
            format!(
                "validating credentials with sts:GetCallerIdentity: {}",
                err.detail()
            ),
        ),
        ConnectError::PlainHttpEndpoint {
            setting,
            url,
            proxy: Some(proxy),
        } => diags.error(
            "Plain HTTP through a proxy on another machine",
            format!(
                "The AWS endpoint in {} is `{url}`, and the `{}` environment variable sends plain \
                 HTTP through the proxy `{}` on another machine: it would read the signed requests \
                 and, with `assume_role`, the credentials STS returns.\n\n{}",
                if setting.starts_with("endpoints.") {
                    format!("`{setting}`")
                } else {
                    setting
                },
                proxy.variable,
                proxy.address,
                aws::PROXY_REMEDY
            ),
        ),
        ConnectError::PlainHttpEndpoint { setting, url, .. } => {
            let path = match setting.strip_prefix("endpoints.") {
                Some(service) => AttributePath::root("endpoints").attribute(service),
                None => AttributePath::root("allow_http_endpoints"),
            };
            let setting = if setting.starts_with("endpoints.") {
                format!("`{setting}`")
            } else {
                setting
            };
            diags.attribute_error(
                path,
                "Plain HTTP to a remote AWS endpoint",
                format!(
                    "The AWS endpoint in {setting} is `{url}`: the provider would send signed \
                     requests, and with `assume_role` receive credentials, in plain HTTP to another \
                     machine.\n\n{}",
                    aws::PLAIN_HTTP_REMEDY
                ),
            )
        }
        ConnectError::InvalidCredentials(err) => diags.attribute_error(
            "access_key",
            "Invalid AWS credentials",
            format!(
                "validating credentials with sts:GetCallerIdentity: {err}\n\nThe credentials the \
                 provider found were refused; check the access key, secret key and session token, \
                 or the selected profile."
            ),
        ),
    }
}

/// The setting to blame when STS cannot be reached: its endpoint if set, else the region.
fn sts_setting(sts_endpoint_set: bool) -> AttributePath {
    if sts_endpoint_set {
        AttributePath::root("endpoints").attribute("sts")
    } else {
        AttributePath::root("region")
    }
}
