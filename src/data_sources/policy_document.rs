//! `clusteriam_policy_document`: the documented IAM documents as JSON, for
//! users who feed them to other tools.

use async_trait::async_trait;

use crate::arn::OidcProviderArn;
use crate::clients::Clients;
use crate::policy::presets::{
    ACCOUNT_ID, OIDC_PROVIDER_ARN, PARAMETERS, SENSITIVE_PARAMETERS, describe_parameters,
};
use crate::policy::{Preset, PresetArgs, Source};
use crate::rendering::{check_parameter, render};
use crate::tfplugin::model::Known;
use crate::tfplugin::{
    Attr, Attribute, Block, DataReadRequest, DataReadResponse, DataSource, Diagnostics, Model,
    Schema, Value,
};
use crate::validate::check_attr;

pub struct PolicyDocument;

/// The description of each of [`PARAMETERS`], in its order: every one is
/// an optional string attribute.
const PARAMETER_DESCRIPTIONS: [&str; PARAMETERS.len()] = [
    "The 12-digit AWS account the document refers to (`kkp_account`). Defaults to the caller's account.",
    "The ARN of the cluster's IAM OIDC provider that a web-identity trust names (`rancher_csp_adapter_trust`, `rancher_billing_adapter_trust`, `irsa_trust`).",
    "The Kubernetes namespace of the service account a web-identity trust admits (`irsa_trust`).",
    "The name of the Kubernetes service account a web-identity trust admits (`irsa_trust`).",
    "The ARN of the Torque agent's role in the master account that a target account role trusts (`torque_target_trust`).",
    "The ARN of the principal KKP runs as in its own account, an IAM user or the account (`arn:aws:iam::<account>:root`), that KKP's AssumeRole role trusts (`kkp_assume_role_trust`).",
    "The external id a cross-account trust requires (`torque_target_trust`, `kkp_assume_role_trust`): 2 to 1224 letters, digits and `_+=,.@:/-`. Unset, the trust requires none. The rendered `json` holds it; wrap the value in `sensitive()` to keep it out of plan output.",
    "The KKP version whose policy to render (`kkp_account`), written `MAJOR.MINOR` such as `\"2.28\"`: 2.22 and earlier get the older document, 2.23 and later the current one. Defaults to the current KKP.",
    "The Rancher cluster's AWS cloud provider (`rancher_controlplane`, `rancher_etcd_worker`): `in-tree` (the default: Rancher's page) or `out-of-tree` (the AWS cloud controller manager's documented policies, for Kubernetes 1.27 and later).",
    "`\"true\"` adds to the out-of-tree controlplane policy (`rancher_controlplane` with `cloud_provider = \"out-of-tree\"`) the four actions the AWS cloud controller manager's code calls beyond its published policy, as `clusteriam_rancher_node_role`'s `extra_controller_actions` describes. Defaults to `\"false\"`.",
    "The resource and data source types whose permissions `provider_permissions` grants, separated by commas, such as `\"clusteriam_torque_agent_role,clusteriam_oidc_provider\"`. Defaults to all of them.",
    "The IAM path (`/kubernetes/`) every role, instance profile and managed policy of the configuration has (`provider_permissions`): the policy then reaches only IAM objects under it. Defaults to any path (or `/` with `iam_name_prefix`).",
    "The prefix of the names of every role, instance profile and managed policy of the configuration (`provider_permissions`): the policy then reaches only IAM objects so named. Defaults to any name.",
    "The ARN of the managed policy every role of the configuration has as its `permissions_boundary` (`provider_permissions`): the policy then creates roles and puts policies on roles only with that boundary, and cannot remove it, so that no role it makes can do more than the boundary allows.",
    "The managed policies (ARNs, IAM wildcards allowed, separated by commas) the configuration's roles may be given, as `clusteriam_torque_agent_role`'s `policy_arns` name them (`provider_permissions`): the policy then attaches no other. Defaults to any.",
];

crate::model! {
    /// The data source's own attributes; the parameters are named by the
    /// presets' [`PARAMETERS`] table and read by those names.
    struct PolicyDocumentModel {
        preset: Attr<String>,
        json: Attr<String>,
        source: Attr<SourceModel>,
    }
}

crate::model! {
    /// Which published document was rendered.
    struct SourceModel {
        platform: Attr<String>,
        page: Attr<String>,
        versions: Attr<String>,
    }
}

impl SourceModel {
    fn of(source: &Source) -> Self {
        SourceModel {
            platform: source.platform.into(),
            page: source.page.into(),
            versions: source.version_range().into(),
        }
    }
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
                PolicyDocumentModel::preset,
                &format!("Which document to render: {}.", presets.join("; ")),
            ))
            .attributes(
                PARAMETERS
                    .into_iter()
                    .zip(PARAMETER_DESCRIPTIONS)
                    .map(|(name, description)| {
                    let attribute = Attribute::optional_string(name, description);
                    if SENSITIVE_PARAMETERS.contains(&name) {
                        attribute.sensitive()
                    } else {
                        attribute
                    }
                }),
            )
            .attribute(Attribute::computed_string(
                PolicyDocumentModel::json,
                "The document as canonical JSON, ready for `aws_iam_policy`, `aws iam` commands or any other tool.",
            ))
            .attribute(Attribute::computed(
                PolicyDocumentModel::source,
                SourceModel::value_type(),
                "Which published document was rendered: `platform`, `page` (where it is printed) and `versions` (the platform versions it serves, such as `KKP 2.23 and later`).",
            )),
        )
    }

    fn validate(&self, config: &Value, diags: &mut Diagnostics) {
        let preset = match config.get(PolicyDocumentModel::preset) {
            Value::String(name) => match name.parse::<Preset>() {
                Ok(p) => Some(p),
                Err(_) => {
                    let names: Vec<&str> = Preset::ALL.iter().map(Preset::name).collect();
                    diags.attribute_error(
                        PolicyDocumentModel::preset,
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
                if required && value.is_null() && param != ACCOUNT_ID {
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
    let model = PolicyDocumentModel::read(config);
    let Some(preset) = model
        .preset
        .as_deref()
        .and_then(|p| p.parse::<Preset>().ok())
    else {
        return Value::Null;
    };
    let oidc = config
        .get_str(OIDC_PROVIDER_ARN)
        .and_then(|a| a.parse::<OidcProviderArn>().ok());
    if let Some(oidc) = &oidc
        && oidc.partition() != clients.aws.partition
    {
        diags.attribute_error(
            OIDC_PROVIDER_ARN,
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
    let account_id = config
        .get_str(ACCOUNT_ID)
        .or(clients.aws.account_id.as_deref());
    if preset.parameters().contains(&ACCOUNT_ID) && account_id.is_none() {
        diags.attribute_error(
            ACCOUNT_ID,
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
            PolicyDocumentModel {
                json: rendered.document.to_canonical_json().into(),
                source: SourceModel::of(&rendered.source).into(),
                ..model
            }
            .write(&mut state);
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
    use crate::tfplugin::{Type, check_models};

    #[test]
    fn the_model_and_the_parameters_match_the_schema() {
        let parameters = PARAMETERS.iter().map(|p| (*p, Type::String)).collect();
        let schema = PolicyDocument.schema();
        check_models(&schema.block, &[PolicyDocumentModel::fields(), parameters]).unwrap();
    }
}
