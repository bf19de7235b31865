//! What presets take: their arguments, every parameter the data source
//! and the function know, and the one check of each.

use std::fmt;

use crate::arn::{OidcProviderArn, check_principal_arn, check_role_arn, is_account_id};
use crate::kubernetes::{check_namespace, check_service_account};
use crate::policy::document::Document;
use crate::policy::published::kkp::parse_kkp_version;
use crate::policy::published::{CloudProvider, Source, Version};
use crate::validate::check_external_id;

/// What a preset may need besides the partition. Unneeded ones are ignored.
#[derive(Debug, Clone, Copy)]
pub struct PresetArgs<'a> {
    pub partition: &'a str,
    pub account_id: Option<&'a str>,
    pub oidc_provider_arn: Option<&'a OidcProviderArn>,
    pub namespace: Option<&'a str>,
    pub service_account: Option<&'a str>,
    /// The role a Torque target role trusts (`torque_target_trust`).
    pub master_role_arn: Option<&'a str>,
    /// The principal a KKP AssumeRole role trusts (`kkp_assume_role_trust`).
    pub kkp_principal_arn: Option<&'a str>,
    /// The external id a cross-account trust requires, if any.
    pub external_id: Option<&'a str>,
    /// The KKP version (`kkp_account`); unset is the current KKP.
    pub kkp_version: Option<Version>,
    /// The cloud provider (`rancher_controlplane`, `rancher_etcd_worker`);
    /// unset is the in-tree one.
    pub cloud_provider: Option<CloudProvider>,
    /// With the out-of-tree controller's code actions (`rancher_controlplane`).
    pub extra_controller_actions: bool,
    /// Comma-separated resource and data source types
    /// (`provider_permissions`); unset is all of them.
    pub resource_types: Option<&'a str>,
    /// How `provider_permissions` is narrowed: the IAM path and name prefix
    /// of the configuration's IAM objects, the permissions boundary of its
    /// roles, the managed policies (comma-separated) its roles may be given.
    pub iam_path: Option<&'a str>,
    pub iam_name_prefix: Option<&'a str>,
    pub permissions_boundary: Option<&'a str>,
    pub policy_arns: Option<&'a str>,
}

impl<'a> PresetArgs<'a> {
    /// No parameters yet, only the partition.
    pub fn new(partition: &'a str) -> Self {
        PresetArgs {
            partition,
            account_id: None,
            oidc_provider_arn: None,
            namespace: None,
            service_account: None,
            master_role_arn: None,
            kkp_principal_arn: None,
            external_id: None,
            kkp_version: None,
            cloud_provider: None,
            extra_controller_actions: false,
            resource_types: None,
            iam_path: None,
            iam_name_prefix: None,
            permissions_boundary: None,
            policy_arns: None,
        }
    }

    /// The arguments named by [`PARAMETERS`] as `parameter` finds them; a
    /// value that does not parse counts as absent (validation reports it).
    pub fn from_parameters(
        partition: &'a str,
        account_id: Option<&'a str>,
        oidc_provider_arn: Option<&'a OidcProviderArn>,
        parameter: impl Fn(&str) -> Option<&'a str>,
    ) -> Self {
        PresetArgs {
            partition,
            account_id,
            oidc_provider_arn,
            namespace: parameter("namespace"),
            service_account: parameter("service_account"),
            master_role_arn: parameter("master_role_arn"),
            kkp_principal_arn: parameter("kkp_principal_arn"),
            external_id: parameter("external_id"),
            kkp_version: parameter("kkp_version").and_then(|v| parse_kkp_version(v).ok()),
            cloud_provider: parameter("cloud_provider").and_then(|c| parse_cloud_provider(c).ok()),
            extra_controller_actions: parameter("extra_controller_actions") == Some("true"),
            resource_types: parameter("resource_types"),
            iam_path: parameter("iam_path"),
            iam_name_prefix: parameter("iam_name_prefix"),
            permissions_boundary: parameter("permissions_boundary"),
            policy_arns: parameter("policy_arns"),
        }
    }
}

/// A rendered preset and where its content is published.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rendered {
    pub document: Document,
    pub source: Source,
}

/// A preset name that does not exist, or a preset's parameter missing or wrong.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PresetError {
    /// The parameter at fault, when one is.
    pub parameter: Option<&'static str>,
    pub(super) message: String,
}

impl fmt::Display for PresetError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for PresetError {}

impl PresetError {
    pub fn new(parameter: Option<&'static str>, message: String) -> Self {
        PresetError { parameter, message }
    }
}

/// The parameters that the data source and the function read before the
/// others: the account falls back to the caller's, the OIDC provider's
/// partition must be the caller's.
pub const ACCOUNT_ID: &str = "account_id";
pub const OIDC_PROVIDER_ARN: &str = "oidc_provider_arn";

/// Every parameter any preset takes, in the order the documentation lists them.
pub const PARAMETERS: [&str; 15] = [
    ACCOUNT_ID,
    OIDC_PROVIDER_ARN,
    "namespace",
    "service_account",
    "master_role_arn",
    "kkp_principal_arn",
    "external_id",
    "kkp_version",
    "cloud_provider",
    "extra_controller_actions",
    "resource_types",
    "iam_path",
    "iam_name_prefix",
    "permissions_boundary",
    "policy_arns",
];

/// The parameters whose value is a secret: never repeated in an error.
pub const SENSITIVE_PARAMETERS: &[&str] = &["external_id"];

/// Why `value` is not a valid value of `parameter` (one of [`PARAMETERS`]),
/// if it is not: the one check of each for the data source and the function.
/// `provider_permissions`'s own parameters are checked where it is rendered
/// (`crate::rendering`): `resource_types` names the provider's own types,
/// which policy/ does not know.
pub fn check_parameter(parameter: &str, value: &str) -> Result<(), String> {
    match parameter {
        "account_id" if is_account_id(value) => Ok(()),
        "account_id" => Err(format!("`account_id` must be 12 digits; got `{value}`")),
        "oidc_provider_arn" => value
            .parse::<OidcProviderArn>()
            .map(|_| ())
            .map_err(|e| e.to_string()),
        "namespace" => check_namespace(value),
        "service_account" => check_service_account(value),
        "master_role_arn" => check_role_arn(value).map_err(|e| format!("`master_role_arn`: {e}")),
        "kkp_principal_arn" => {
            check_principal_arn(value).map_err(|e| format!("`kkp_principal_arn`: {e}"))
        }
        "external_id" => check_external_id(value, "external_id"),
        "kkp_version" => parse_kkp_version(value).map(|_| ()),
        "cloud_provider" => parse_cloud_provider(value).map(|_| ()),
        "extra_controller_actions" if value == "true" || value == "false" => Ok(()),
        "extra_controller_actions" => Err(format!(
            "`extra_controller_actions` must be `true` or `false`; got `{value}`"
        )),
        "resource_types"
        | "iam_path"
        | "iam_name_prefix"
        | "permissions_boundary"
        | "policy_arns" => Ok(()),
        other => Err(format!(
            "`{other}` is not a preset parameter; expected one of {}",
            PARAMETERS.join(", ")
        )),
    }
}

/// The reason `cloud_provider` is not a cloud provider, if it is not.
pub fn parse_cloud_provider(text: &str) -> Result<CloudProvider, String> {
    text.parse().map_err(|()| {
        format!(
            "`cloud_provider` must be one of {}; got `{text}`",
            CloudProvider::NAMES.join(", ")
        )
    })
}
