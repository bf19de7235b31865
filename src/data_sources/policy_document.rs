//! `clusteriam_policy_document`: the documented IAM documents as JSON, for
//! users who feed them to other tools.

use async_trait::async_trait;

use std::collections::BTreeMap;

use crate::arn::OidcProviderArn;
use crate::aws::permissions;
use crate::clients::Clients;
use crate::policy::documents::Versions;
use crate::policy::presets::{self, PARAMETERS, describe_parameters};
use crate::policy::{Preset, PresetArgs, PresetError, Rendered, Source};
use crate::tfplugin::{
    Attribute, Block, DataReadRequest, DataReadResponse, DataSource, Diagnostics, Schema, Type,
    Value,
};
use crate::validate::check_attr;

pub struct PolicyDocument;

/// The description of each of [`PARAMETERS`], in its order: every one is
/// an optional string attribute.
const PARAMETER_DESCRIPTIONS: [&str; PARAMETERS.len()] = [
    "The 12-digit AWS account the document refers to (`kkp_account`). Defaults to the caller's account.",
    "The ARN of the cluster's IAM OIDC provider that a web-identity trust names (`rancher_csp_adapter_trust`, `irsa_trust`).",
    "The Kubernetes namespace of the service account a web-identity trust admits (`irsa_trust`).",
    "The name of the Kubernetes service account a web-identity trust admits (`irsa_trust`).",
    "The KKP version whose policy to render (`kkp_account`), written `MAJOR.MINOR` such as `\"2.28\"`: 2.22 and earlier get the older document, 2.23 and later the current one. Defaults to the current KKP.",
    "The Rancher cluster's AWS cloud provider (`rancher_controlplane`, `rancher_etcd_worker`): `in-tree` (the default: Rancher's page) or `out-of-tree` (the AWS cloud controller manager's documented policies, for Kubernetes 1.27 and later).",
    "The resource and data source types whose permissions `provider_permissions` grants, separated by commas, such as `\"clusteriam_torque_agent_role,clusteriam_oidc_provider\"`. Defaults to all of them.",
];

/// Where the provider's own permissions are documented.
const PROVIDER_PERMISSIONS_PAGE: Source = Source {
    platform: "terraform-provider-clusteriam",
    page: "docs/guides/permissions.md",
    versioned_by: "the provider",
    versions: Versions::Any,
};

/// The document of `preset` for `args`, for this data source and the
/// `policy_document` function alike. `provider_permissions` is rendered
/// here, a floor above `policy/`, from the actions the provider's AWS calls
/// declare (`aws::permissions`); every other preset by `policy::presets`.
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

/// The type of `source`.
pub fn source_type() -> Type {
    Type::Object(BTreeMap::from(
        ["platform", "page", "versions"].map(|k| (k.to_string(), Type::String)),
    ))
}

/// The value of `source`.
pub fn source_value(source: &Source) -> Value {
    Value::Map(BTreeMap::from([
        ("platform".to_string(), Value::string(source.platform)),
        ("page".to_string(), Value::string(source.page)),
        (
            "versions".to_string(),
            Value::string(source.version_range()),
        ),
    ]))
}

#[async_trait]
impl DataSource<Clients> for PolicyDocument {
    fn type_name(&self) -> &'static str {
        "clusteriam_policy_document"
    }

    fn schema(&self) -> Schema {
        let presets: Vec<String> = Preset::ALL
            .iter()
            .map(|p| format!("`{}` ({})", p.name(), p.description().trim_end_matches('.')))
            .collect();
        Schema::new(
            0,
            Block::new(
                "Renders one of the IAM documents the platforms' documentation prints, with its \
                 placeholders filled in and every ARN in the caller's partition, as canonical JSON.",
            )
            .attribute(Attribute::required_string(
                "preset",
                &format!("Which document to render: {}.", presets.join("; ")),
            ))
            .attributes(
                PARAMETERS
                    .into_iter()
                    .zip(PARAMETER_DESCRIPTIONS)
                    .map(|(name, description)| Attribute::optional_string(name, description)),
            )
            .attribute(Attribute::computed_string(
                "json",
                "The document as canonical JSON, ready for `aws_iam_policy`, `aws iam` commands or any other tool.",
            ))
            .attribute(Attribute::computed(
                "source",
                source_type(),
                "Which published document was rendered: `platform`, `page` (where it is printed) and `versions` (the platform versions it serves, such as `KKP 2.23 and later`).",
            )),
        )
    }

    fn validate(&self, config: &Value, diags: &mut Diagnostics) {
        let preset = match config.get("preset") {
            Value::String(name) => match name.parse::<Preset>() {
                Ok(p) => Some(p),
                Err(_) => {
                    let names: Vec<&str> = Preset::ALL.iter().map(Preset::name).collect();
                    diags.attribute_error(
                        "preset",
                        "Invalid `preset`",
                        format!("`preset` must be one of {}; got `{name}`", names.join(", ")),
                    );
                    None
                }
            },
            _ => None,
        };
        if let Some(preset) = preset {
            for param in PARAMETERS {
                let value = config.get(param);
                let needed = preset.parameters().contains(&param);
                if !needed && !value.is_null() {
                    diags.attribute_error(
                        param,
                        format!("`{param}` is not used by preset `{}`", preset.name()),
                        format!(
                            "Remove `{param}`; preset `{}` takes {}.",
                            preset.name(),
                            describe_parameters(preset.parameters(), "no parameters")
                        ),
                    );
                }
                // account_id falls back to the caller's account.
                let required = preset.required_parameters().contains(&param);
                if required && value.is_null() && param != "account_id" {
                    diags.attribute_error(
                        param,
                        format!("Missing `{param}`"),
                        format!("Preset `{}` needs `{param}`.", preset.name()),
                    );
                }
            }
        }
        for param in PARAMETERS {
            check_attr(config, param, diags, |v| check_parameter(param, v));
        }
    }

    async fn read(&self, req: DataReadRequest<'_, Clients>, resp: &mut DataReadResponse) {
        resp.state = read(req.client, req.config, &mut resp.diagnostics).await;
    }
}

/// The data source's state for `config`; null after an error.
async fn read(clients: &Clients, config: &Value, diags: &mut Diagnostics) -> Value {
    let Some(preset) = config
        .get_str("preset")
        .and_then(|p| p.parse::<Preset>().ok())
    else {
        return Value::Null;
    };
    let oidc = config
        .get_str("oidc_provider_arn")
        .and_then(|a| a.parse::<OidcProviderArn>().ok());
    if let Some(oidc) = &oidc {
        if oidc.partition() != clients.aws.partition {
            diags.attribute_error(
                "oidc_provider_arn",
                "OIDC provider in another partition",
                format!(
                    "`oidc_provider_arn` is in partition `{}`, but the provider works in `{}`. Use the \
                     OIDC provider of this partition's account.",
                    oidc.partition(),
                    clients.aws.partition
                ),
            );
            return Value::Null;
        }
    }
    let account_id = config
        .get_str("account_id")
        .or(clients.aws.account_id.as_deref());
    if preset.parameters().contains(&"account_id") && account_id.is_none() {
        diags.attribute_error(
            "account_id",
            "Missing `account_id`",
            "The caller's account is unknown because `skip_credentials_validation` is set; give `account_id`.",
        );
        return Value::Null;
    }
    let args = PresetArgs::from_parameters(
        &clients.aws.partition,
        account_id,
        oidc.as_ref(),
        |parameter| config.get_str(parameter),
    );
    match render(preset, &args) {
        Ok(rendered) => {
            let mut state = config.clone();
            state.set("json", Value::string(rendered.document.to_canonical_json()));
            state.set("source", source_value(&rendered.source));
            state
        }
        Err(e) => {
            diags.error(
                format!("rendering preset `{}`", preset.name()),
                e.to_string(),
            );
            Value::Null
        }
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
}
