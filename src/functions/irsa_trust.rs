//! `irsa_trust(oidc_provider_arn, namespace, service_account)`: the
//! web-identity trust of `clusteriam_torque_agent_role` and the
//! `irsa_trust` preset, with exact `sub` and `aud`.

use super::{StringFunction, service_account_arguments, service_account_parameters};
use crate::arn::OidcProviderArn;
use crate::policy::presets;
use crate::tfplugin::{CallRequest, CallResponse, FunctionError, Parameter, Value};

const SERVICE_ACCOUNT: &str = "The name of the Kubernetes service account.";
const OIDC_PROVIDER_ARN: &str = "The ARN of the cluster's IAM OIDC provider, such as \
     `arn:aws:iam::111122223333:oidc-provider/oidc.eks.us-east-1.amazonaws.com/id/EXAMPLED539D4633E53DE1B71EXAMPLE`.";

pub const IRSA_TRUST: StringFunction = StringFunction {
    name: "irsa_trust",
    summary: "The IAM trust policy that lets one Kubernetes service account assume a role (IRSA).",
    description: || {
        "Returns, as canonical JSON, the web-identity trust policy that lets exactly \
         one Kubernetes service account assume a role through the cluster's IAM OIDC \
         provider: `sts:AssumeRoleWithWebIdentity` with the exact `<issuer>:sub` \
         (`system:serviceaccount:<namespace>:<service_account>`) and `<issuer>:aud` \
         (`sts.amazonaws.com`), never a wildcard. It is the trust \
         `clusteriam_torque_agent_role` gives its role and the `irsa_trust` preset \
         renders."
            .into()
    },
    parameters: || {
        service_account_parameters(
            Parameter::string("oidc_provider_arn", OIDC_PROVIDER_ARN),
            SERVICE_ACCOUNT,
        )
    },
    call,
};

fn call(request: &CallRequest) -> CallResponse {
    let oidc: OidcProviderArn = request
        .string(0)
        .unwrap_or_default()
        .parse()
        .map_err(|e: crate::arn::ArnError| FunctionError::argument(0, e.to_string()))?;
    let (namespace, service_account) = service_account_arguments(request, 1)?;
    Ok(Value::string(
        presets::irsa_trust(&oidc, namespace, service_account).to_canonical_json(),
    ))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::functions::call_with_strings;

    const OIDC: &str =
        "arn:aws:iam::111122223333:oidc-provider/oidc.eks.us-east-1.amazonaws.com/id/X";

    #[test]
    fn the_presets_trust() {
        let oidc = OIDC.parse().unwrap();
        assert_eq!(
            call_with_strings(&IRSA_TRUST, &[OIDC, "torque", "runner"]),
            Ok(Value::string(
                presets::irsa_trust(&oidc, "torque", "runner").to_canonical_json()
            ))
        );
    }

    #[test]
    fn errors_name_the_argument() {
        /// Arguments, the index of the wrong one, what the error must say.
        type Check = ([&'static str; 3], usize, fn(&str) -> bool);
        let checks: [Check; 3] = [
            (
                ["arn:aws:iam::111122223333:role/x", "ns", "sa"],
                0,
                |text| text.contains("expected an OIDC provider ARN"),
            ),
            ([OIDC, "Torque", "sa"], 1, |text| {
                text.starts_with("`namespace` must be")
            }),
            ([OIDC, "ns", ""], 2, |text| {
                text.starts_with("`service_account` must be")
            }),
        ];
        for (arguments, index, expected) in checks {
            let error = call_with_strings(&IRSA_TRUST, &arguments).unwrap_err();
            assert_eq!(error.argument, Some(index), "{arguments:?}");
            assert!(expected(&error.text), "{}", error.text);
        }
    }
}
