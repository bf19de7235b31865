//! Web-identity roles (IRSA): the `oidc_provider_arn` every such role takes,
//! checked at validate for its shape and at plan against the caller's
//! partition.

use crate::arn::{ArnError, OidcProviderArn};
use crate::aws::Aws;
use crate::tfplugin::{AttributePath, Diagnostics, Value};
use crate::validate::check_attr;

/// The OIDC provider named by `input`, checked against the caller's partition;
/// None while it is unknown.
pub fn oidc_provider(
    input: &Value,
    aws: &Aws,
) -> Result<Option<OidcProviderArn>, (AttributePath, String)> {
    let Some(text) = input.get_str("oidc_provider_arn") else {
        return Ok(None);
    };
    let arn: OidcProviderArn = text
        .parse()
        .map_err(|e: ArnError| ("oidc_provider_arn".into(), e.to_string()))?;
    if arn.partition() != aws.partition {
        return Err((
            "oidc_provider_arn".into(),
            format!(
                "`oidc_provider_arn` is in partition `{}`, but the provider works in `{}`",
                arn.partition(),
                aws.partition
            ),
        ));
    }
    Ok(Some(arn))
}

/// Validates the shape of `oidc_provider_arn`.
pub fn validate_oidc_provider_arn(config: &Value, diags: &mut Diagnostics) {
    check_attr(config, "oidc_provider_arn", diags, |a| {
        a.parse::<OidcProviderArn>()
            .map(|_| ())
            .map_err(|e| e.to_string())
    });
}

/// An OIDC issuer URL as IAM takes it for a provider: https, a host name
/// without user or port, and a path that can go into an ARN.
pub fn check_issuer_url(url: &str) -> Result<(), String> {
    let Some(rest) = url.strip_prefix("https://") else {
        return Err(format!(
            "`url` must be an https:// URL, as IAM accepts no other scheme; got `{url}`"
        ));
    };
    let (host, path) = rest.split_at(rest.find('/').unwrap_or(rest.len()));
    if host.is_empty() {
        return Err(format!(
            "`url` must name a host after https://; got `{url}`"
        ));
    }
    if url.len() > 255 {
        return Err(format!(
            "`url` must be at most 255 characters; got {} characters",
            url.len()
        ));
    }
    if host.contains('@') {
        return Err(format!(
            "`url` must not hold a user name or password (`user@`): an OIDC issuer is a plain \
             https:// URL; got `{url}`"
        ));
    }
    if host.contains(':') {
        return Err(format!(
            "`url` must not hold a port number: IAM's OIDC providers take none; got `{url}`"
        ));
    }
    let host_ok = host.split('.').all(|label| {
        !label.is_empty()
            && label
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'-')
    });
    // The issuer becomes part of the provider's ARN and of trust policy
    // condition keys: what an OIDC provider ARN may hold (arn.rs), no
    // wildcards, quotes or escapes.
    let path_ok = path
        .bytes()
        .all(|b| b.is_ascii_alphanumeric() || b"-._~/".contains(&b));
    if !host_ok || !path_ok {
        return Err(format!(
            "`url` must be an issuer URL without query, fragment or spaces: a host name, then an \
             optional path of letters, digits and `-._~/` (no wildcards or quotes); got `{url}`"
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::arn::issuer_of;

    const URL: &str = "https://oidc.eks.us-east-1.amazonaws.com/id/ABC";

    #[test]
    fn urls() {
        assert!(check_issuer_url(URL).is_ok());
        assert!(check_issuer_url("https://token.actions.githubusercontent.com").is_ok());
        for bad in [
            "http://oidc.example.com",
            "oidc.example.com",
            "https://",
            "https:///id/x",
            "https://x.example.com/?a=b",
            "https://x.example.com/a b",
            "https://user:pw@x.example.com",
            "https://x.example.com:8443/id/1",
            "https://x.example.com/id/*",
            "https://x.example.com/id/\"{",
            "https://x..example.com",
        ] {
            assert!(check_issuer_url(bad).is_err(), "{bad}");
        }
        assert!(
            check_issuer_url("http://x")
                .unwrap_err()
                .contains("got `http://x`")
        );
    }

    #[test]
    fn issuers_ignore_scheme_and_trailing_slash() {
        assert_eq!(issuer_of(URL), "oidc.eks.us-east-1.amazonaws.com/id/ABC");
        assert_eq!(issuer_of(&format!("{URL}/")), issuer_of(URL));
        assert_eq!(
            issuer_of("oidc.eks.us-east-1.amazonaws.com/id/ABC"),
            issuer_of(URL)
        );
    }
}
