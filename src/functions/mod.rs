//! Provider functions, one file each: `provider::clusteriam::<name>(...)`.
//! They compute from their arguments alone, with the same code the
//! resources and data sources use, so they work offline, with the provider
//! unconfigured and under `mock_provider` in `terraform test`.

pub mod cluster_tag_key;
pub mod irsa_trust;
pub mod oidc_provider_arn;
pub mod policy_document;
pub mod service_account_manifest;
pub mod validate_policy;

use crate::kubernetes::{check_namespace, check_service_account};
use crate::tfplugin::{
    CallRequest, CallResponse, Definition, Function, FunctionError, Parameter, Type,
};

/// A provider function as data: its name, its documentation and the code
/// that computes its string result. Every function of this provider but
/// `validate_policy` returns a string, so each file lists only what is its own.
pub struct StringFunction {
    pub name: &'static str,
    /// One short sentence.
    pub summary: &'static str,
    pub description: fn() -> String,
    pub parameters: fn() -> Vec<Parameter>,
    pub call: fn(&CallRequest) -> CallResponse,
}

impl Function for StringFunction {
    fn name(&self) -> &'static str {
        self.name
    }

    fn definition(&self) -> Definition {
        Definition {
            summary: self.summary.to_string(),
            description: (self.description)(),
            parameters: (self.parameters)(),
            returns: Type::String,
        }
    }

    fn call(&self, request: CallRequest) -> CallResponse {
        (self.call)(&request)
    }
}

/// `first`, then the `namespace` and `service_account` parameters.
fn service_account_parameters(first: Parameter, service_account: &str) -> Vec<Parameter> {
    vec![
        first,
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
        Box::new(cluster_tag_key::CLUSTER_TAG_KEY),
        Box::new(irsa_trust::IRSA_TRUST),
        Box::new(oidc_provider_arn::OIDC_PROVIDER_ARN),
        Box::new(policy_document::POLICY_DOCUMENT),
        Box::new(service_account_manifest::SERVICE_ACCOUNT_MANIFEST),
        Box::new(validate_policy::ValidatePolicy),
    ]
}

/// Calls `function` with string arguments, as the unit tests do.
#[cfg(test)]
fn call_with_strings(function: &StringFunction, arguments: &[&str]) -> CallResponse {
    (function.call)(&CallRequest {
        arguments: arguments
            .iter()
            .map(|a| crate::tfplugin::Value::string(*a))
            .collect(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_function_is_documented() {
        for function in all() {
            let definition = function.definition();
            assert!(definition.summary.ends_with('.'), "{}", function.name());
            assert!(definition.description.ends_with('.'), "{}", function.name());
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
