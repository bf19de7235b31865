//! `service_account_manifest(role_arn, namespace, service_account)`: the
//! annotated ServiceAccount YAML of the Torque documentation, as
//! `clusteriam_torque_agent_role` renders it.

use super::{service_account_arguments, service_account_parameters};
use crate::arn::check_role_arn;
use crate::kubernetes::service_account_manifest;
use crate::tfplugin::{
    CallRequest, CallResponse, Definition, Function, FunctionError, Parameter, Type, Value,
};

pub struct ServiceAccountManifest;

impl Function for ServiceAccountManifest {
    fn name(&self) -> &'static str {
        "service_account_manifest"
    }

    fn definition(&self) -> Definition {
        Definition {
            summary: "The Kubernetes ServiceAccount manifest annotated with an IAM role (IRSA)."
                .into(),
            description:
                "Returns the ServiceAccount manifest (SA.yaml) of Torque's \"Agents on AWS\" \
                          page with the role ARN in its `eks.amazonaws.com/role-arn` annotation, \
                          exactly as `clusteriam_torque_agent_role` renders it in \
                          `service_account_manifest`, ready for `kubectl apply -f`."
                    .into(),
            parameters: vec![Parameter::string(
                "role_arn",
                "The ARN of the IAM role the service account's pods assume.",
            )]
            .into_iter()
            .chain(service_account_parameters(
                "The name of the service account.",
            ))
            .collect(),
            returns: Type::String,
        }
    }

    fn call(&self, request: CallRequest) -> CallResponse {
        let role_arn = request.string(0).unwrap_or_default();
        check_role_arn(role_arn).map_err(|e| FunctionError::argument(0, e))?;
        let (namespace, service_account) = service_account_arguments(&request, 1)?;
        Ok(Value::string(service_account_manifest(
            namespace,
            service_account,
            role_arn,
        )))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn call(arn: &str, namespace: &str, service_account: &str) -> CallResponse {
        ServiceAccountManifest.call(CallRequest {
            arguments: [arn, namespace, service_account]
                .map(Value::string)
                .to_vec(),
        })
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
