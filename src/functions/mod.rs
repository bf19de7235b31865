//! Provider functions, one file each: `provider::clusteriam::<name>(...)`.
//! They compute from their arguments alone, with the same code the
//! resources and data sources use, so they work offline, with the provider
//! unconfigured and under `mock_provider` in `terraform test`.

pub mod cluster_tag_key;
pub mod irsa_trust;
pub mod oidc_provider_arn;
pub mod policy_document;
pub mod service_account_manifest;

use crate::kubernetes::{check_namespace, check_service_account};
use crate::tfplugin::{CallRequest, Function, FunctionError, Parameter};

/// The `namespace` and `service_account` parameters, in that order.
fn service_account_parameters(service_account: &str) -> [Parameter; 2] {
    [
        Parameter::string(
            "namespace",
            "The Kubernetes namespace of the service account.",
        ),
        Parameter::string("service_account", service_account.to_string()),
    ]
}

/// The `namespace` and `service_account` arguments at `first` and the
/// next position, checked as the resources check them.
fn service_account_arguments(
    request: &CallRequest,
    first: usize,
) -> Result<(&str, &str), FunctionError> {
    let namespace = request.string(first).unwrap_or_default();
    check_namespace(namespace).map_err(|e| FunctionError::argument(first, e))?;
    let service_account = request.string(first + 1).unwrap_or_default();
    check_service_account(service_account).map_err(|e| FunctionError::argument(first + 1, e))?;
    Ok((namespace, service_account))
}

/// Every function the provider offers.
pub fn all() -> Vec<Box<dyn Function>> {
    vec![
        Box::new(cluster_tag_key::ClusterTagKey),
        Box::new(irsa_trust::IrsaTrust),
        Box::new(oidc_provider_arn::OidcProviderArnFunction),
        Box::new(policy_document::PolicyDocument),
        Box::new(service_account_manifest::ServiceAccountManifest),
    ]
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::tfplugin::Type;

    #[test]
    fn every_function_is_documented_and_returns_a_string() {
        for function in all() {
            let definition = function.definition();
            assert!(definition.summary.ends_with('.'), "{}", function.name());
            assert!(definition.description.ends_with('.'), "{}", function.name());
            assert_eq!(definition.returns, Type::String);
            for parameter in &definition.parameters {
                assert!(
                    parameter.description.ends_with('.'),
                    "{}: {}",
                    function.name(),
                    parameter.name
                );
            }
        }
    }
}
