//! Provider functions, one file each: `provider::clusteriam::<name>(...)`.
//! They compute from their arguments alone, with the same code the
//! resources and data sources use, so they work offline, with the provider
//! unconfigured and under `mock_provider` in `terraform test`.

pub mod cluster_tag_key;
pub mod irsa_trust;
pub mod oidc_provider_arn;
pub mod policy_document;
pub mod service_account_manifest;

use crate::tfplugin::Function;

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
