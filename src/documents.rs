//! The documents the `clusteriam_policy_document` data source and the
//! `policy_document` function render: every preset of `policy::presets`, and
//! `provider_permissions`, built here, a floor above `policy/` and `aws/`,
//! from the actions the provider's AWS calls declare (`aws::permissions`).

use crate::aws::permissions;
use crate::policy::documents::Versions;
use crate::policy::presets;
use crate::policy::{Preset, PresetArgs, PresetError, Rendered, Source};

/// Where the provider's own permissions are documented.
const PROVIDER_PERMISSIONS_PAGE: Source = Source {
    platform: "terraform-provider-clusteriam",
    page: "docs/guides/permissions.md",
    versioned_by: "the provider",
    versions: Versions::Any,
};

/// The document of `preset` for `args`, for the data source and the
/// function alike.
pub fn render(preset: Preset, args: &PresetArgs<'_>) -> Result<Rendered, PresetError> {
    if preset != Preset::ProviderPermissions {
        return preset.build(args);
    }
    let account_id = preset.required("account_id", args.account_id)?;
    let types = parse_resource_types(args.resource_types.unwrap_or_default())
        .map_err(|message| PresetError::new(Some("resource_types"), message))?;
    Ok(Rendered {
        document: permissions::policy(&types, args.partition, account_id),
        source: PROVIDER_PERMISSIONS_PAGE,
    })
}

/// Why `value` is not a valid value of the preset parameter `parameter`, if
/// it is not: `policy::presets::check_parameter`, and `resource_types`
/// against the provider's own types.
pub fn check_parameter(parameter: &str, value: &str) -> Result<(), String> {
    match parameter {
        "resource_types" => parse_resource_types(value).map(|_| ()),
        other => presets::check_parameter(other, value),
    }
}

/// The types in `resource_types` (comma-separated), each one the provider has.
fn parse_resource_types(text: &str) -> Result<Vec<&str>, String> {
    let types: Vec<&str> = text
        .split(',')
        .map(str::trim)
        .filter(|t| !t.is_empty())
        .collect();
    match types.iter().find(|t| !permissions::TYPES.contains(t)) {
        Some(unknown) => Err(format!(
            "`resource_types` names `{unknown}`, which is not a resource or data source type of \
             this provider; expected some of {}, separated by commas",
            permissions::TYPES.join(", ")
        )),
        None => Ok(types),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::policy::limits::{Limit, Measure, Verdict};

    const ACCOUNT: &str = "111122223333";

    #[test]
    fn provider_permissions_takes_the_types_asked_for() {
        let args = PresetArgs {
            account_id: Some(ACCOUNT),
            resource_types: Some("clusteriam_oidc_provider, clusteriam_torque_agent_role"),
            ..PresetArgs::new("aws")
        };
        let json = render(Preset::ProviderPermissions, &args)
            .unwrap()
            .document
            .to_canonical_json();
        assert!(
            json.contains("iam:CreateOpenIDConnectProvider")
                && json.contains("iam:AttachRolePolicy")
        );
        assert!(!json.contains("ec2:"), "{json}");
        let unknown = PresetArgs {
            resource_types: Some("aws_iam_role"),
            ..args
        };
        let err = render(Preset::ProviderPermissions, &unknown).unwrap_err();
        assert_eq!(err.parameter, Some("resource_types"));
        assert!(err.to_string().contains("`aws_iam_role`"), "{err}");
        assert!(check_parameter("resource_types", "aws_iam_role").is_err());
        assert!(check_parameter("resource_types", "clusteriam_oidc_provider").is_ok());
    }

    /// `provider_permissions` for every type, as `policy::limits` checks the
    /// other presets: within a role's inline policies and a managed policy.
    #[test]
    fn provider_permissions_fits_every_limit_where_it_is_used() {
        for partition in ["aws", "aws-cn", "aws-us-gov"] {
            let args = PresetArgs {
                account_id: Some("999999999999"),
                ..PresetArgs::new(partition)
            };
            let document = render(Preset::ProviderPermissions, &args).unwrap().document;
            let json = document.to_canonical_json();
            for limit in [Limit::RoleInlinePolicies, Limit::ManagedPolicy] {
                let measure = Measure::document("policy", limit, &json);
                assert_eq!(
                    measure.verdict(None),
                    Verdict::Within,
                    "{partition} {limit}"
                );
            }
        }
    }

    /// Every preset the data source and the function serve, in every
    /// partition, passes the checks the provider makes of policies users
    /// write (`policy::check`), as the kind of document it is.
    #[test]
    fn every_rendered_document_passes_the_policy_checks() {
        use crate::policy::check::{Kind, check};
        for partition in ["aws", "aws-cn", "aws-us-gov"] {
            let oidc = crate::arn::OidcProviderArn::for_issuer(
                partition,
                ACCOUNT,
                "https://oidc.eks.us-east-1.amazonaws.com/id/EXAMPLE",
            )
            .unwrap();
            let args = PresetArgs {
                account_id: Some(ACCOUNT),
                oidc_provider_arn: Some(&oidc),
                namespace: Some("torque"),
                service_account: Some("runner"),
                ..PresetArgs::new(partition)
            };
            for preset in Preset::ALL {
                let json = render(*preset, &args).unwrap().document.to_canonical_json();
                let kind = if json.contains("\"Principal\"") {
                    Kind::Trust
                } else {
                    Kind::Managed
                };
                let problems: Vec<String> =
                    check(&json, kind).iter().map(|p| p.to_string()).collect();
                assert_eq!(
                    problems,
                    Vec::<String>::new(),
                    "{} in {partition}",
                    preset.name()
                );
            }
        }
    }
}
