//! `irsa_trust(oidc_provider_arn, namespace, service_account)`: the
//! web-identity trust of `clusteriam_torque_agent_role` and the
//! `irsa_trust` preset, with exact `sub` and `aud`.

use super::{service_account_arguments, service_account_parameters};
use crate::arn::OidcProviderArn;
use crate::policy::presets;
use crate::tfplugin::{
    CallRequest, CallResponse, Definition, Function, FunctionError, Parameter, Type, Value,
};

pub struct IrsaTrust;

impl Function for IrsaTrust {
    fn name(&self) -> &'static str {
        "irsa_trust"
    }

    fn definition(&self) -> Definition {
        Definition {
            summary: "The IAM trust policy that lets one Kubernetes service account assume a role (IRSA).".into(),
            description: "Returns, as canonical JSON, the web-identity trust policy that lets exactly \
                          one Kubernetes service account assume a role through the cluster's IAM OIDC \
                          provider: `sts:AssumeRoleWithWebIdentity` with the exact `<issuer>:sub` \
                          (`system:serviceaccount:<namespace>:<service_account>`) and `<issuer>:aud` \
                          (`sts.amazonaws.com`), never a wildcard. It is the trust \
                          `clusteriam_torque_agent_role` gives its role and the `irsa_trust` preset \
                          renders."
                .into(),
            parameters: vec![
                Parameter::string("oidc_provider_arn", "The ARN of the cluster's IAM OIDC provider, such as `arn:aws:iam::111122223333:oidc-provider/oidc.eks.us-east-1.amazonaws.com/id/EXAMPLED539D4633E53DE1B71EXAMPLE`."),
            ]
            .into_iter()
            .chain(service_account_parameters("The name of the Kubernetes service account."))
            .collect(),
            returns: Type::String,
        }
    }

    fn call(&self, request: CallRequest) -> CallResponse {
        let oidc: OidcProviderArn = request
            .string(0)
            .unwrap_or_default()
            .parse()
            .map_err(|e: crate::arn::ArnError| FunctionError::argument(0, e.to_string()))?;
        let (namespace, service_account) = service_account_arguments(&request, 1)?;
        Ok(Value::string(
            presets::irsa_trust(&oidc, namespace, service_account).to_canonical_json(),
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const OIDC: &str =
        "arn:aws:iam::111122223333:oidc-provider/oidc.eks.us-east-1.amazonaws.com/id/X";

    fn call(arn: &str, namespace: &str, service_account: &str) -> CallResponse {
        IrsaTrust.call(CallRequest {
            arguments: [arn, namespace, service_account]
                .map(Value::string)
                .to_vec(),
        })
    }

    #[test]
    fn the_presets_trust() {
        let oidc = OIDC.parse().unwrap();
        assert_eq!(
            call(OIDC, "torque", "runner"),
            Ok(Value::string(
                presets::irsa_trust(&oidc, "torque", "runner").to_canonical_json()
            ))
        );
    }

    #[test]
    fn errors_name_the_argument() {
        let error = call("arn:aws:iam::111122223333:role/x", "ns", "sa").unwrap_err();
        assert_eq!(error.argument, Some(0));
        assert!(
            error.text.contains("expected an OIDC provider ARN"),
            "{}",
            error.text
        );
        let error = call(OIDC, "Torque", "sa").unwrap_err();
        assert_eq!(error.argument, Some(1));
        assert!(
            error.text.starts_with("`namespace` must be"),
            "{}",
            error.text
        );
        let error = call(OIDC, "ns", "").unwrap_err();
        assert_eq!(error.argument, Some(2));
        assert!(
            error.text.starts_with("`service_account` must be"),
            "{}",
            error.text
        );
    }
}
