//! Web-identity roles (IRSA): the `oidc_provider_arn` every such role takes,
//! checked at validate for its shape and at plan against the caller's
//! partition.

use crate::arn::{ArnError, OidcProviderArn};
use crate::aws::{Aws, ObservedRole};
use crate::engine::oidc::MAX_THUMBPRINTS;
use crate::model;
use crate::policy::federated_principals;
use crate::resources::common::tags::validate_tags;
use crate::tfplugin::{Attr, Attribute, AttributePath, Diagnostics, Model, Value};
use crate::validate::check_attr;

model! {
    /// The OIDC provider a web-identity role trusts.
    pub struct OidcProviderArnModel {
        pub oidc_provider_arn: Attr<String>,
    }
}

/// The OIDC provider named by `input`, checked against the caller's partition;
/// None while it is unknown.
pub fn oidc_provider(
    input: &Value,
    aws: &Aws,
) -> Result<Option<OidcProviderArn>, (AttributePath, String)> {
    let Some(text) = OidcProviderArnModel::read(input)
        .oidc_provider_arn
        .into_known()
    else {
        return Ok(None);
    };
    let attr = OidcProviderArnModel::oidc_provider_arn;
    let arn: OidcProviderArn = text
        .parse()
        .map_err(|e: ArnError| (attr.into(), e.to_string()))?;
    if arn.partition() != aws.partition {
        return Err((
            attr.into(),
            format!(
                "`oidc_provider_arn` is in partition `{}`, but the provider works in `{}`",
                arn.partition(),
                aws.partition
            ),
        ));
    }
    Ok(Some(arn))
}

/// At import, fills in an unset `oidc_provider_arn` from the OIDC provider
/// the role's trust policy names.
pub fn import_oidc_provider_arn(state: &mut Value, role: &ObservedRole) -> Result<(), String> {
    if OidcProviderArnModel::read(state)
        .oidc_provider_arn
        .is_null()
    {
        let arn = federated_principals(&role.trust)
            .into_iter()
            .next()
            .ok_or_else(|| format!("the trust policy of {} names no OIDC provider", role.name))?;
        OidcProviderArnModel {
            oidc_provider_arn: arn.into(),
        }
        .write(state);
    }
    Ok(())
}

/// A web-identity role's `oidc_provider_arn`, described as the kind says
/// (see [`RoleKind::OIDC_PROVIDER_ARN`]).
///
/// [`RoleKind::OIDC_PROVIDER_ARN`]: crate::resources::common::role::RoleKind::OIDC_PROVIDER_ARN
pub fn oidc_provider_arn_attribute(description: &str) -> Attribute {
    Attribute::required_string(OidcProviderArnModel::oidc_provider_arn, description)
}

/// Validates the shape of `oidc_provider_arn`.
pub fn validate_oidc_provider_arn(config: &Value, diags: &mut Diagnostics) {
    check_attr(
        config,
        OidcProviderArnModel::oidc_provider_arn,
        diags,
        |a| {
            a.parse::<OidcProviderArn>()
                .map(|_| ())
                .map_err(|e| e.to_string())
        },
    );
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

/// IAM takes at most this many client ids per provider.
const MAX_CLIENT_IDS: usize = 100;

fn is_thumbprint(t: &str) -> bool {
    t.len() == 40 && t.bytes().all(|b| b.is_ascii_hexdigit())
}

model! {
    /// What [`validate_oidc_provider`] checks. The sets are read as lists:
    /// every element Terraform sent, in its order, unknown ones too.
    struct OidcProviderInputs {
        url: Attr<String>,
        client_ids: Attr<Vec<Attr<String>>>,
        thumbprints: Attr<Vec<Attr<String>>>,
    }
}

/// The known elements of a list.
fn known_strings(list: &Attr<Vec<Attr<String>>>) -> impl Iterator<Item = &String> {
    list.known().into_iter().flatten().filter_map(Attr::known)
}

/// The attributes of `clusteriam_oidc_provider`: the issuer URL, client ids
/// and thumbprints as IAM takes them, and tags.
pub fn validate_oidc_provider(config: &Value, diags: &mut Diagnostics) {
    let inputs = OidcProviderInputs::read(config);
    check_attr(config, OidcProviderInputs::url, diags, check_issuer_url);

    let client_ids = OidcProviderInputs::client_ids;
    for id in known_strings(&inputs.client_ids) {
        if id.is_empty() || id.chars().count() > 255 {
            diags.attribute_error(
                client_ids,
                "Invalid `client_ids`",
                format!("each of `client_ids` must be 1 to 255 characters; got `{id}`"),
            );
        }
    }
    let client_id_count = inputs.client_ids.known().map(Vec::len);
    if client_id_count == Some(0) {
        diags.attribute_error(
            client_ids,
            "Invalid `client_ids`",
            "`client_ids` must hold at least one client id (the audience of the tokens, such as \
             `sts.amazonaws.com`); leave it out for the default `[\"sts.amazonaws.com\"]`",
        );
    }
    if client_id_count.is_some_and(|n| n > MAX_CLIENT_IDS) {
        diags.attribute_error(
            client_ids,
            "Invalid `client_ids`",
            format!("`client_ids` may hold at most {MAX_CLIENT_IDS} client ids"),
        );
    }

    let thumbprints = OidcProviderInputs::thumbprints;
    for t in known_strings(&inputs.thumbprints) {
        if !is_thumbprint(t) {
            diags.attribute_error(
                thumbprints,
                "Invalid `thumbprints`",
                format!(
                    "each of `thumbprints` must be a SHA-1 fingerprint of 40 hexadecimal characters; got `{t}`"
                ),
            );
        }
    }
    if let Some(n) = inputs.thumbprints.known().map(Vec::len)
        && (n == 0 || n > MAX_THUMBPRINTS)
    {
        diags.attribute_error(
            thumbprints,
            "Invalid `thumbprints`",
            format!(
                "`thumbprints` must hold 1 to {MAX_THUMBPRINTS} thumbprints; got {n}. Leave it out to let IAM manage them"
            ),
        );
    }

    validate_tags(config, diags);
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

    const THUMB: &str = "9e99a48a9960b14926bb7f3b02e22da2b0ab7280";

    use crate::resources::common::object as config;

    fn errors(config: &Value) -> Vec<String> {
        let mut diags = Diagnostics::default();
        validate_oidc_provider(config, &mut diags);
        diags.0.into_iter().map(|d| d.detail).collect()
    }

    #[test]
    fn validation_checks_each_attribute_and_skips_unknowns() {
        let ok = config(&[
            ("url", Value::string(URL)),
            ("client_ids", Value::string_list(["sts.amazonaws.com"])),
            ("thumbprints", Value::string_list([THUMB.to_uppercase()])),
        ]);
        assert!(errors(&ok).is_empty());

        let unknown = config(&[
            ("url", Value::Unknown),
            ("client_ids", Value::List(vec![Value::Unknown])),
            ("thumbprints", Value::Unknown),
        ]);
        assert!(errors(&unknown).is_empty());

        let bad = config(&[
            ("url", Value::string("http://x")),
            ("client_ids", Value::string_list([""])),
            ("thumbprints", Value::string_list(["abc"])),
        ]);
        let errs = errors(&bad);
        assert_eq!(errs.len(), 3, "{errs:?}");
        assert!(errs[1].contains("1 to 255 characters"));
        assert!(errs[2].contains("40 hexadecimal characters; got `abc`"));

        let too_many = config(&[
            ("url", Value::string(URL)),
            (
                "thumbprints",
                Value::string_list([THUMB; 6].map(|t| t.to_string())),
            ),
        ]);
        assert!(errors(&too_many)[0].contains("1 to 5 thumbprints; got 6"));
        let empty = config(&[
            ("url", Value::string(URL)),
            ("thumbprints", Value::List(vec![])),
        ]);
        assert!(errors(&empty)[0].contains("Leave it out"));
    }
}
