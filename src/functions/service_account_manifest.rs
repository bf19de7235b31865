//! `service_account_manifest(role_arn, namespace, service_account)`: the
//! annotated ServiceAccount YAML of the Torque documentation, as
//! `clusteriam_torque_agent_role` renders it.

use super::{StringFunction, service_account_arguments, service_account_parameters};
use crate::arn::check_role_arn;
use crate::kubernetes::service_account_manifest;
use crate::tfplugin::{CallRequest, CallResponse, FunctionError, Parameter, Value};

const SERVICE_ACCOUNT: &str = "The name of the service account.";
const ROLE_ARN: &str = "The ARN of the IAM role the service account's pods assume.";

pub const SERVICE_ACCOUNT_MANIFEST: StringFunction = StringFunction {
    name: "service_account_manifest",
    summary: "The Kubernetes ServiceAccount manifest annotated with an IAM role (IRSA).",
    description: || {
        "Returns the ServiceAccount manifest (SA.yaml) of Torque's \"Agents on AWS\" \
         page with the role ARN in its `eks.amazonaws.com/role-arn` annotation, \
         exactly as `clusteriam_torque_agent_role` renders it in \
         `service_account_manifest`, ready for `kubectl apply -f`."
            .into()
    },
    parameters: || {
        service_account_parameters(Parameter::string("role_arn", ROLE_ARN), SERVICE_ACCOUNT)
    },
    call,
};

fn call(request: &CallRequest) -> CallResponse {
    let role_arn = request.string(0).unwrap_or_default();
    check_role_arn(role_arn).map_err(|e| FunctionError::argument(0, e))?;
    let (namespace, service_account) = service_account_arguments(request, 1)?;
    Ok(Value::string(service_account_manifest(
        namespace,
        service_account,
        role_arn,
    )))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::functions::call_with_strings;

    fn call(arn: &str, namespace: &str, service_account: &str) -> CallResponse {
        call_with_strings(
            &SERVICE_ACCOUNT_MANIFEST,
            &[arn, namespace, service_account],
        )
    }

    #[test]
    fn manifest_and_errors() {
        let arn = "arn:aws:iam::123456789012:role/torque";
        assert_eq!(
            call(arn, "torque-envs", "torque-runner"),
            Ok(Value::string(service_account_manifest(
                "torque-envs",
                "torque-runner",
                arn
            )))
        );
        let error = call("arn:aws:iam::123456789012:policy/x", "ns", "sa").unwrap_err();
        assert_eq!(error.argument, Some(0));
        assert!(
            error.text.contains("is not an IAM role ARN"),
            "{}",
            error.text
        );
        assert_eq!(call(arn, "NS", "sa").unwrap_err().argument, Some(1));
        assert_eq!(call(arn, "ns", "SA").unwrap_err().argument, Some(2));
    }
}
