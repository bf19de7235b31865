//! The provider block: the AWS provider's names, so users' habits carry over,
//! plus `propagation_timeout` for IAM's eventual consistency.

use std::collections::BTreeMap;
use std::time::Duration;

use async_trait::async_trait;

use crate::aws;
pub use crate::clients::Clients;
use crate::data_sources;
use crate::policy::check::PolicyChecks;
use crate::tfplugin::{
    Attr, Attribute, AttributePath, Block, DataSource, Diagnostics, Function, Model, Nesting,
    Resource, Schema, Type, Value,
};
use crate::validate::{check_attr, check_value, one_of, parse_duration};

mod connect_errors;
use connect_errors::{report_connect_error, scrub};

pub struct ClusterIam;

crate::model! {
    /// The provider block.
    struct ProviderModel {
        region: Attr<String>,
        profile: Attr<String>,
        shared_config_files: Attr<Vec<String>>,
        shared_credentials_files: Attr<Vec<String>>,
        access_key: Attr<String>,
        secret_key: Attr<String>,
        token: Attr<String>,
        max_retries: Attr<i64>,
        skip_credentials_validation: Attr<bool>,
        allow_http_endpoints: Attr<bool>,
        propagation_timeout: Attr<String>,
        policy_checks: Attr<String>,
        bulk_reads: Attr<String>,
        assume_role: Attr<AssumeRoleModel>,
        endpoints: Attr<EndpointsModel>,
        default_tags: Attr<DefaultTagsModel>,
    }
}

crate::model! {
    /// The `assume_role` block.
    struct AssumeRoleModel {
        role_arn: Attr<String>,
        session_name: Attr<String>,
        external_id: Attr<String>,
        duration: Attr<String>,
    }
}

crate::model! {
    /// The `endpoints` block.
    struct EndpointsModel {
        iam: Attr<String>,
        sts: Attr<String>,
        ec2: Attr<String>,
        eks: Attr<String>,
    }
}

crate::model! {
    /// The `default_tags` block.
    struct DefaultTagsModel {
        tags: Attr<BTreeMap<String, String>>,
    }
}

const DEFAULT_PROPAGATION_TIMEOUT: Duration = Duration::from_secs(120);
/// The environment variable `bulk_reads` defaults to.
pub const BULK_READS_ENV: &str = "CLUSTERIAM_BULK_READS";
const ASSUME_ROLE_MIN: Duration = Duration::from_secs(15 * 60);
const ASSUME_ROLE_MAX: Duration = Duration::from_secs(12 * 3600);

fn schema() -> Schema {
    let s = |name, description| Attribute::optional(name, Type::String, description);
    let endpoint = |name, service: &str| {
        Attribute::optional(
            name,
            Type::String,
            &format!(
                "Use this URL for {service} API calls instead of the region's default endpoint, e.g. a VPC endpoint or a local emulator such as `http://127.0.0.1:5000`. It must be an `https://` URL, or `http://` to a loopback address, unless `allow_http_endpoints` is `true`."
            ),
        )
    };
    Schema::new(
        0,
        Block::new(
            "The clusteriam provider creates the documented AWS prerequisites of Kubernetes platforms \
             (Rancher, Kubermatic KKP, Torque agents, the Amazon EKS Connector). It authenticates like \
             the AWS provider: settings here, then the `AWS_*` environment variables, then shared \
             config and credentials files.",
        )
        .attributes([
            s("region", "The AWS region to work in, e.g. `us-east-1`. Defaults to the `AWS_REGION` or `AWS_DEFAULT_REGION` environment variable, then the profile's region."),
            s("profile", "The named profile from the shared config and credentials files to use. Defaults to the `AWS_PROFILE` environment variable, then `default`."),
            Attribute::optional("shared_config_files", Type::list(Type::String), "Paths of shared config files to read instead of `~/.aws/config`."),
            Attribute::optional("shared_credentials_files", Type::list(Type::String), "Paths of shared credentials files to read instead of `~/.aws/credentials`."),
            s("access_key", "The AWS access key id. Prefer the `AWS_ACCESS_KEY_ID` environment variable or a profile over writing keys into configuration. Requires `secret_key`."),
            s("secret_key", "The AWS secret access key. Prefer the `AWS_SECRET_ACCESS_KEY` environment variable or a profile. Requires `access_key`.").sensitive(),
            s("token", "The session token that goes with temporary credentials in `access_key` and `secret_key`.").sensitive(),
            Attribute::optional("max_retries", Type::Number, "How many times to retry an AWS call that was throttled, failed with a server error or lost its connection, waiting between attempts with exponential backoff and jitter (at most 20 seconds). Defaults to 25, like the AWS provider, unless the `AWS_MAX_ATTEMPTS` environment variable or the profile's `max_attempts` sets the number of attempts (retries plus one). A connection that cannot be made, or an endpoint that does not answer like AWS, fails at once."),
            Attribute::optional("skip_credentials_validation", Type::Bool, "Skip the `sts:GetCallerIdentity` call at configuration. The account id is then unknown, so resources that build ARNs from it need it spelled out. Defaults to `false`."),
            Attribute::optional("allow_http_endpoints", Type::Bool, "Allow `http://` URLs for AWS endpoints on hosts other than this machine, in `endpoints` as well as in the `AWS_ENDPOINT_URL` and `AWS_ENDPOINT_URL_<SERVICE>` environment variables and the shared config file's `endpoint_url`. The provider sends its signed requests to these endpoints and receives the credentials of `assume_role` from STS, so without this setting plain HTTP is refused except to loopback addresses (127.0.0.0/8, `::1`, `localhost`), such as a local emulator, and refused to those too when a proxy from the environment (`HTTP_PROXY` or `ALL_PROXY`, unless `NO_PROXY` names the host) would carry it to another machine. Defaults to `false`."),
            s("propagation_timeout", "How long to wait for IAM's eventual consistency after a change, such as a new role becoming assumable or a new OIDC provider becoming usable in a trust policy, written like `\"2m\"` or `\"90s\"`. Defaults to `\"2m\"`."),
            s("policy_checks", "What the checks of the IAM policies you write (the `policy` of `clusteriam_torque_agent_role` and `clusteriam_torque_target_role`) report at plan, beyond IAM's own grammar. `\"strict\"` (the default): an action, service or wildcard that the provider's catalogue of IAM actions does not know, a resource that is not an ARN or a principal of an unknown form is an error, and a condition key that no service of the statement defines is a warning. `\"warn\"`: all of these are warnings, for actions newer than the catalogue. `\"off\"`: none is reported. What IAM itself refuses (`MalformedPolicyDocument`, such as `\"Effect\": \"Permit\"` or an action without a service prefix) is an error at `terraform validate` whatever this says, since IAM would refuse it at apply after creating the role. Defaults to the `CLUSTERIAM_POLICY_CHECKS` environment variable, then `\"strict\"`. The guide \"Policy checks at plan\" shows each check."),
            s("bulk_reads", "How a refresh reads the roles and managed policies it manages. `\"auto\"` (the default) reads the first ten resources one by one, as they come, and the rest from one bulk read of the account's roles, managed policies and users (`iam:GetAccountAuthorizationDetails` and `iam:ListRoles`, a few calls in all, made at most once each time Terraform starts the provider): a refresh of hundreds of resources then makes a fraction of the IAM calls, and meets IAM's per-account rate limits far less. `\"always\"` uses the bulk read from the first resource, `\"never\"` reads each resource on its own. The bulk read gives the same state, is never used once the provider has changed anything in AWS since it started, and when it is denied (`iam:GetAccountAuthorizationDetails` lets its holder read every policy in the account, so it is optional) the provider reads each resource on its own. OIDC providers and the tags of managed policies are always read one by one. Defaults to the `CLUSTERIAM_BULK_READS` environment variable, then `\"auto\"`."),
        ])
        .block(
            "assume_role",
            Nesting::Single,
            Block::new("Assume this IAM role, with the credentials found as above, for every call the provider makes. Use one provider alias per target account.")
                .attribute(Attribute::required("role_arn", Type::String, "The ARN of the role to assume, e.g. `arn:aws:iam::111122223333:role/terraform`."))
                .attribute(s("session_name", "The session name, shown in CloudTrail. Defaults to `terraform-provider-clusteriam`."))
                .attribute(s("external_id", "The external id the role's trust policy requires, if any. It is treated as a secret: never shown in plans, logs or error messages.").sensitive())
                .attribute(s("duration", "How long the assumed-role session lasts, between `\"15m\"` and `\"12h\"`. Defaults to one hour.")),
        )
        .block(
            "endpoints",
            Nesting::Single,
            Block::new("Custom API endpoints, e.g. for a local AWS emulator or a VPC endpoint.")
                .attribute(endpoint("iam", "IAM"))
                .attribute(endpoint("sts", "STS"))
                .attribute(endpoint("ec2", "EC2"))
                .attribute(endpoint("eks", "EKS")),
        )
        .block(
            "default_tags",
            Nesting::Single,
            Block::new("Tags applied to every taggable object the provider creates. A resource's own `tags` win over these for the same key.")
                .attribute(Attribute::optional("tags", Type::map(Type::String), "The tags to apply.")),
        ),
    )
}

#[async_trait]
impl crate::tfplugin::Provider for ClusterIam {
    type Client = Clients;

    fn binary_name(&self) -> &'static str {
        "terraform-provider-clusteriam"
    }

    fn schema(&self) -> Schema {
        schema()
    }

    fn validate(&self, config: &Value, diags: &mut Diagnostics) {
        let key = config.get(ProviderModel::access_key);
        let secret = config.get(ProviderModel::secret_key);
        if !key.is_null() && secret.is_null() {
            diags.attribute_error(
                ProviderModel::secret_key,
                "Missing `secret_key`",
                "`access_key` is set, so `secret_key` must be set too.",
            );
        }
        if key.is_null() && !secret.is_null() {
            diags.attribute_error(
                ProviderModel::access_key,
                "Missing `access_key`",
                "`secret_key` is set, so `access_key` must be set too.",
            );
        }
        check_attr(config, ProviderModel::region, diags, |r| {
            if is_region_name(r) {
                Ok(())
            } else {
                Err(format!(
                    "`region` must be an AWS region name such as `us-east-1` (a two-letter \
                     area, words and a number, joined by `-`); got `{r}`"
                ))
            }
        });
        check_attr(config, ProviderModel::propagation_timeout, diags, |t| {
            let d = parse_duration(t)?;
            if d > Duration::from_secs(3600) {
                return Err(format!(
                    "`propagation_timeout` must be at most 1h; got `{t}`"
                ));
            }
            Ok(())
        });
        check_attr(config, ProviderModel::bulk_reads, diags, |mode| {
            one_of("bulk_reads", &aws::BulkReads::VALUES, mode)
        });
        check_attr(config, ProviderModel::policy_checks, diags, |mode| {
            one_of("policy_checks", &PolicyChecks::VALUES, mode)
        });
        if let Some(n) = config.get(ProviderModel::max_retries).as_i64()
            && !(0..=100).contains(&n)
        {
            diags.attribute_error(
                ProviderModel::max_retries,
                "Invalid `max_retries`",
                format!("`max_retries` must be between 0 and 100; got {n}"),
            );
        }
        if let Some(assume) = config.get_block(ProviderModel::assume_role) {
            let path = AttributePath::root(ProviderModel::assume_role);
            check_value(
                path.clone().attribute(AssumeRoleModel::role_arn),
                assume.get(AssumeRoleModel::role_arn),
                diags,
                crate::arn::check_role_arn,
            );
            check_value(
                path.clone().attribute(AssumeRoleModel::session_name),
                assume.get(AssumeRoleModel::session_name),
                diags,
                |n| sts_text(n, "assume_role.session_name", 64, "+=,.@-"),
            );
            // A secret: the error says what is wrong without repeating it.
            check_value(
                path.clone().attribute(AssumeRoleModel::external_id),
                assume.get(AssumeRoleModel::external_id),
                diags,
                |id| crate::validate::check_external_id(id, "assume_role.external_id"),
            );
            check_value(
                path.attribute(AssumeRoleModel::duration),
                assume.get(AssumeRoleModel::duration),
                diags,
                |t| {
                    let d = parse_duration(t)?;
                    if !(ASSUME_ROLE_MIN..=ASSUME_ROLE_MAX).contains(&d) {
                        return Err(format!(
                            "`assume_role.duration` must be between 15m and 12h; got `{t}`"
                        ));
                    }
                    Ok(())
                },
            );
        }
        if let Some(default_tags) = config.get_block(ProviderModel::default_tags) {
            crate::resources::common::validate_tag_map(
                AttributePath::root(ProviderModel::default_tags).attribute(DefaultTagsModel::tags),
                default_tags.get(DefaultTagsModel::tags),
                diags,
            );
        }
        if let Some(endpoints) = config.get_block(ProviderModel::endpoints) {
            // Unknown until apply counts as allowed: configure checks again.
            let allow = config.get(ProviderModel::allow_http_endpoints);
            let allow_http = allow.is_unknown() || allow.as_bool() == Some(true);
            for service in ["iam", "sts", "ec2", "eks"] {
                check_value(
                    AttributePath::root(ProviderModel::endpoints).attribute(service),
                    endpoints.get(service),
                    diags,
                    |url| {
                        let host = url
                            .strip_prefix("https://")
                            .or_else(|| url.strip_prefix("http://"))
                            .and_then(|rest| rest.split('/').next());
                        if host.is_none_or(|h| h.is_empty()) {
                            Err(format!(
                                "`endpoints.{service}` must be an http:// or https:// URL with a host, such as `http://127.0.0.1:5000`; got `{url}`"
                            ))
                        } else if !allow_http && aws::is_plain_http_to_another_host(url) {
                            Err(format!(
                                "`endpoints.{service}` is `{url}`: the provider would send signed requests, and with `assume_role` receive credentials, in plain HTTP to another machine.\n\n{}",
                                aws::PLAIN_HTTP_REMEDY
                            ))
                        } else {
                            Ok(())
                        }
                    },
                );
            }
        }
    }

    async fn configure(&self, config: &Value, diags: &mut Diagnostics) -> Option<Clients> {
        if !config.is_wholly_known() {
            diags.error(
                "Provider configuration not known",
                "Some provider settings are only known after apply. Use values known at plan time \
                 (variables, locals, or attributes of resources applied earlier with -target).",
            );
            return None;
        }
        let settings = settings(config);
        let sts_endpoint_set = settings.endpoints.sts.is_some();
        let secrets: Vec<String> = [
            settings.secret_key.clone(),
            settings.token.clone(),
            settings
                .assume_role
                .as_ref()
                .and_then(|a| a.external_id.clone()),
        ]
        .into_iter()
        .flatten()
        .collect();
        match aws::connect(&settings)
            .await
            .map_err(|e| scrub(e, &secrets))
        {
            Ok(aws) => {
                let provider = ProviderModel::read(config);
                let default_tags = provider.default_tags.into_known().unwrap_or_default();
                Some(Clients {
                    aws,
                    default_tags: default_tags.tags.into_known().unwrap_or_default(),
                    policy_checks: policy_checks(provider.policy_checks.as_deref()),
                })
            }
            Err(e) => {
                report_connect_error(e, sts_endpoint_set, diags);
                None
            }
        }
    }

    fn resources(&self) -> Vec<Box<dyn Resource<Clients>>> {
        use crate::resources::common::role::RoleResource;
        use crate::resources::*;
        vec![
            Box::new(cluster_tags::ClusterTags),
            Box::new(oidc_provider::OidcProvider),
            Box::new(RoleResource(rancher_node_role::RancherNodeRole)),
            Box::new(RoleResource(
                rancher_csp_adapter_role::RancherCspAdapterRole,
            )),
            Box::new(RoleResource(torque_agent_role::TorqueAgentRole)),
            Box::new(RoleResource(
                eks_connector_agent_role::EksConnectorAgentRole,
            )),
            Box::new(eks_connector_service_linked_role::EksConnectorServiceLinkedRole),
            Box::new(kkp_account_policy::KkpAccountPolicy),
            Box::new(vpc_dns_hostnames::VpcDnsHostnames),
            Box::new(RoleResource(
                rancher_billing_adapter_role::RancherBillingAdapterRole,
            )),
            Box::new(RoleResource(torque_target_role::TorqueTargetRole)),
            Box::new(RoleResource(kkp_assume_role::KkpAssumeRole)),
        ]
    }

    fn data_sources(&self) -> Vec<Box<dyn DataSource<Clients>>> {
        vec![
            Box::new(data_sources::policy_document::PolicyDocument),
            Box::new(data_sources::eks_cluster_oidc::EksClusterOidc),
        ]
    }

    fn functions(&self) -> Vec<Box<dyn Function>> {
        crate::functions::all()
    }
}

/// STS's rule for session names and external ids: 2 to `max` characters,
/// letters, digits, `_` and `extra`.
fn sts_text(text: &str, attr: &str, max: usize, extra: &str) -> Result<(), String> {
    let ok = (2..=max).contains(&text.chars().count())
        && text
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '_' || extra.contains(c));
    if ok {
        Ok(())
    } else {
        Err(format!(
            "`{attr}` must be 2 to {max} letters, digits and `_{extra}`, as STS accepts; got `{text}`"
        ))
    }
}

fn settings(config: &Value) -> aws::Settings {
    let provider = ProviderModel::read(config);
    let assume_role = provider.assume_role.into_known().map(|b| aws::AssumeRole {
        role_arn: b.role_arn.into_known().unwrap_or_default(),
        session_name: b.session_name.into_known(),
        external_id: b.external_id.into_known(),
        duration: b.duration.as_deref().and_then(|d| parse_duration(d).ok()),
    });
    let endpoints = provider
        .endpoints
        .into_known()
        .map_or_else(Default::default, |b| aws::Endpoints {
            iam: b.iam.into_known(),
            sts: b.sts.into_known(),
            ec2: b.ec2.into_known(),
            eks: b.eks.into_known(),
        });
    aws::Settings {
        region: provider.region.into_known(),
        profile: provider.profile.into_known(),
        shared_config_files: provider
            .shared_config_files
            .into_known()
            .unwrap_or_default(),
        shared_credentials_files: provider
            .shared_credentials_files
            .into_known()
            .unwrap_or_default(),
        access_key: provider.access_key.into_known(),
        secret_key: provider.secret_key.into_known(),
        token: provider.token.into_known(),
        assume_role,
        endpoints,
        allow_http_endpoints: provider.allow_http_endpoints.into_known().unwrap_or(false),
        max_retries: provider
            .max_retries
            .into_known()
            .map(|n| n.clamp(0, 100) as u32),
        skip_credentials_validation: provider
            .skip_credentials_validation
            .into_known()
            .unwrap_or(false),
        propagation_timeout: provider
            .propagation_timeout
            .as_deref()
            .and_then(|t| parse_duration(t).ok())
            .unwrap_or(DEFAULT_PROPAGATION_TIMEOUT),
        bulk_reads: bulk_reads(provider.bulk_reads.as_deref()),
    }
}

/// `policy_checks`, else the `CLUSTERIAM_POLICY_CHECKS` environment variable
/// (ignored when it is not one of the values), else `strict`.
fn policy_checks(setting: Option<&str>) -> PolicyChecks {
    let env = std::env::var(PolicyChecks::ENV).ok();
    setting
        .or(env.as_deref())
        .and_then(|mode| PolicyChecks::parse(mode.trim()))
        .unwrap_or_default()
}

/// Whether `name` has the form of an AWS region name: two letters, one or
/// more words, then a number, joined by `-` (`us-east-1`, `us-gov-west-1`,
/// `us-isob-east-1`). A region AWS opens later has the same form, so the form
/// is checked, not a list: with `endpoints` set nothing else would notice a
/// misspelt region, and requests would be signed for it.
fn is_region_name(name: &str) -> bool {
    let parts: Vec<&str> = name.split('-').collect();
    let word = |p: &&str| !p.is_empty() && p.bytes().all(|b| b.is_ascii_lowercase());
    match parts.as_slice() {
        [area, words @ .., number] if !words.is_empty() => {
            area.len() == 2
                && word(area)
                && words.iter().all(word)
                && !number.is_empty()
                && number.bytes().all(|b| b.is_ascii_digit())
        }
        _ => false,
    }
}

/// `bulk_reads`, else the `CLUSTERIAM_BULK_READS` environment variable
/// (ignored when it is not one of the values), else `auto`.
fn bulk_reads(setting: Option<&str>) -> aws::BulkReads {
    let env = std::env::var(BULK_READS_ENV).ok();
    setting
        .or(env.as_deref())
        .and_then(|mode| aws::BulkReads::parse(mode.trim()))
        .unwrap_or_default()
}

#[cfg(test)]
mod tests;
