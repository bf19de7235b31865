//! The documents the `clusteriam_policy_document` data source and the
//! `policy_document` function render: every preset of `policy::presets`, and
//! `provider_permissions`, built here, a floor above `policy/` and `aws/`,
//! from the actions the provider's AWS calls declare (`aws::permissions`).

use crate::aws::permissions;
use crate::policy::presets;
use crate::policy::published::Versions;
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
pub fn render<'a>(preset: Preset, args: &PresetArgs<'a>) -> Result<Rendered, PresetError> {
    if preset != Preset::ProviderPermissions {
        return preset.build(args);
    }
    let account_id = preset.required("account_id", args.account_id)?;
    let types = parse_resource_types(args.resource_types.unwrap_or_default())
        .map_err(|message| PresetError::new(Some("resource_types"), message))?;
    let given = |name: &'static str,
                 value: Option<&'a str>|
     -> Result<Option<&'a str>, PresetError> {
        let value = value.filter(|v| !v.is_empty());
        if let Some(v) = value {
            check_parameter(name, v).map_err(|message| PresetError::new(Some(name), message))?;
        }
        Ok(value)
    };
    let policy_arns: Vec<&str> = given("policy_arns", args.policy_arns)?
        .map(split_list)
        .unwrap_or_default();
    let scope = permissions::Scope {
        iam_path: given("iam_path", args.iam_path)?,
        iam_name_prefix: given("iam_name_prefix", args.iam_name_prefix)?,
        permissions_boundary: given("permissions_boundary", args.permissions_boundary)?,
        policy_arns: &policy_arns,
    };
    Ok(Rendered {
        document: permissions::scoped_policy(&types, args.partition, account_id, &scope),
        source: PROVIDER_PERMISSIONS_PAGE,
    })
}

/// The items of a comma-separated list, trimmed, empty ones left out.
fn split_list(text: &str) -> Vec<&str> {
    text.split(',')
        .map(str::trim)
        .filter(|t| !t.is_empty())
        .collect()
}

/// Why `text` is not a managed policy's ARN (IAM wildcards allowed when
/// `wildcards`), if it is not.
fn check_policy_arn(parameter: &str, text: &str, wildcards: bool) -> Result<(), String> {
    let arn: Option<crate::arn::Arn> = text.parse().ok();
    let valid = arn.is_some_and(|arn| {
        arn.service == "iam"
            && arn.region.is_empty()
            && arn.resource.starts_with("policy/")
            && (wildcards || !text.contains(['*', '?']))
            && text.bytes().all(|b| (0x21..=0x7e).contains(&b))
    });
    if valid {
        Ok(())
    } else {
        Err(format!(
            "`{parameter}` must be a managed policy ARN (arn:<partition>:iam::<account or aws>:policy/<path><name>){}; got `{}`",
            if wildcards {
                ", IAM wildcards allowed"
            } else {
                ""
            },
            text.escape_debug()
        ))
    }
}

/// Why `value` is not a valid value of the preset parameter `parameter`, if
/// it is not: `policy::presets::check_parameter`, and `resource_types`
/// against the provider's own types.
pub fn check_parameter(parameter: &str, value: &str) -> Result<(), String> {
    use crate::validate::{is_iam_name, is_iam_path};
    match parameter {
        "resource_types" => parse_resource_types(value).map(|_| ()),
        "iam_path" if is_iam_path(value) => Ok(()),
        "iam_path" => Err(format!(
            "`iam_path` must be an IAM path: `/`, or `/` and printable characters without spaces \
             and `/`, at most 512 characters, e.g. `/kubernetes/`; got `{}`",
            value.escape_debug()
        )),
        "iam_name_prefix" if is_iam_name(value, 32) => Ok(()),
        "iam_name_prefix" => Err(format!(
            "`iam_name_prefix` must be 1 to 32 letters, digits or `+=,.@_-`; got `{}`",
            value.escape_debug()
        )),
        "permissions_boundary" => check_policy_arn(parameter, value, false),
        "policy_arns" => split_list(value)
            .into_iter()
            .try_for_each(|arn| check_policy_arn(parameter, arn, true)),
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

    #[test]
    fn provider_permissions_takes_the_scope_of_the_configuration() {
        let args = PresetArgs {
            account_id: Some(ACCOUNT),
            iam_path: Some("/kubernetes/"),
            iam_name_prefix: Some("team-a-"),
            permissions_boundary: Some("arn:aws:iam::111122223333:policy/boundary"),
            policy_arns: Some(
                "arn:aws:iam::aws:policy/ReadOnlyAccess, arn:aws:iam::111122223333:policy/torque-*",
            ),
            ..PresetArgs::new("aws")
        };
        let json = render(Preset::ProviderPermissions, &args)
            .unwrap()
            .document
            .to_canonical_json();
        for needle in [
            r#""arn:aws:iam::111122223333:role/kubernetes/team-a-*""#,
            r#""iam:PermissionsBoundary":"arn:aws:iam::111122223333:policy/boundary""#,
            r#""arn:aws:iam::111122223333:policy/torque-*""#,
        ] {
            assert!(json.contains(needle), "{needle} in {json}");
        }
        for (parameter, bad) in [
            ("iam_path", "kubernetes"),
            ("iam_path", "/a b/"),
            ("iam_name_prefix", "team a"),
            ("permissions_boundary", "arn:aws:iam::111122223333:role/x"),
            ("permissions_boundary", "arn:aws:iam::111122223333:policy/*"),
            (
                "policy_arns",
                "arn:aws:iam::aws:policy/ReadOnlyAccess,AdministratorAccess",
            ),
        ] {
            let error = check_parameter(parameter, bad).unwrap_err();
            assert!(
                error.starts_with(&format!("`{parameter}` must be")),
                "{error}"
            );
            let with_bad = PresetArgs {
                iam_path: (parameter == "iam_path").then_some(bad),
                iam_name_prefix: (parameter == "iam_name_prefix").then_some(bad),
                permissions_boundary: (parameter == "permissions_boundary").then_some(bad),
                policy_arns: (parameter == "policy_arns").then_some(bad),
                ..PresetArgs {
                    account_id: Some(ACCOUNT),
                    ..PresetArgs::new("aws")
                }
            };
            let error = render(Preset::ProviderPermissions, &with_bad).unwrap_err();
            assert_eq!(error.parameter, Some(parameter));
        }
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
            let master = format!("arn:{partition}:iam::111111111111:role/master");
            let kkp = format!("arn:{partition}:iam::111111111111:root");
            let args = PresetArgs {
                account_id: Some(ACCOUNT),
                oidc_provider_arn: Some(&oidc),
                namespace: Some("torque"),
                service_account: Some("runner"),
                master_role_arn: Some(&master),
                kkp_principal_arn: Some(&kkp),
                ..PresetArgs::new(partition)
            };
            // Each preset as it is, with an external id, and out-of-tree
            // with the controller's extra actions.
            let variants = [
                args,
                PresetArgs {
                    external_id: Some("torque-1"),
                    ..args
                },
                PresetArgs {
                    cloud_provider: Some(crate::policy::CloudProvider::OutOfTree),
                    extra_controller_actions: true,
                    ..args
                },
            ];
            for (preset, (variant, args)) in Preset::ALL
                .iter()
                .flat_map(|p| variants.iter().enumerate().map(move |a| (p, a)))
            {
                let rendered = match render(*preset, args) {
                    Ok(rendered) => rendered,
                    // A parameter this preset does not take.
                    Err(_) if variant > 0 => continue,
                    Err(e) => panic!("{}: {e:?}", preset.name()),
                };
                let json = rendered.document.to_canonical_json();
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
