//! `oidc_provider_arn(issuer_url, account_id, partition)`: the ARN of the
//! IAM OIDC provider for an issuer, by the rule `clusteriam_eks_cluster_oidc`
//! uses.

use super::StringFunction;
use crate::arn::{OidcProviderArn, PARTITIONS, is_account_id};
use crate::tfplugin::{CallRequest, CallResponse, FunctionError, Parameter, Value};

pub const OIDC_PROVIDER_ARN: StringFunction = StringFunction {
    name: "oidc_provider_arn",
    summary: "The ARN of the IAM OIDC provider for an OIDC issuer.",
    description: || {
        "Returns the ARN the IAM OIDC provider for `issuer_url` has, or would have, \
         in the account, as `clusteriam_eks_cluster_oidc` computes \
         `oidc_provider_arn`: `arn:<partition>:iam::<account_id>:oidc-provider/<issuer \
         without https://>`. It makes no AWS call and does not say whether the \
         provider exists."
            .into()
    },
    parameters: || {
        vec![
            Parameter::string(
                "issuer_url",
                "The cluster's OIDC issuer, such as `https://oidc.eks.us-east-1.amazonaws.com/id/EXAMPLED539D4633E53DE1B71EXAMPLE` (the scheme may be left out).",
            ),
            Parameter::string(
                "account_id",
                "The 12-digit AWS account of the OIDC provider.",
            ),
            Parameter::string(
                "partition",
                "The AWS partition: `aws`, `aws-cn`, `aws-us-gov`, `aws-iso` or `aws-iso-b`.",
            ),
        ]
    },
    call,
};

fn call(request: &CallRequest) -> CallResponse {
    let issuer_url = request.string(0).unwrap_or_default();
    let account_id = request.string(1).unwrap_or_default();
    let partition = request.string(2).unwrap_or_default();
    if !is_account_id(account_id) {
        return Err(FunctionError::argument(
            1,
            format!("`account_id` must be 12 digits; got `{account_id}`"),
        ));
    }
    if !PARTITIONS.contains(&partition) {
        return Err(FunctionError::argument(
            2,
            format!(
                "`partition` must be one of {}; got `{partition}`",
                PARTITIONS.join(", ")
            ),
        ));
    }
    let bad_issuer = || {
        FunctionError::argument(
            0,
            format!(
                "`issuer_url` must be an OIDC issuer URL such as \
                 `https://oidc.eks.us-east-1.amazonaws.com/id/EXAMPLED539D4633E53DE1B71EXAMPLE`; got `{issuer_url}`"
            ),
        )
    };
    if issuer_url.trim().is_empty() || issuer_url.contains(char::is_whitespace) {
        return Err(bad_issuer());
    }
    let arn =
        OidcProviderArn::for_issuer(partition, account_id, issuer_url).map_err(|_| bad_issuer())?;
    Ok(Value::string(arn.arn()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::functions::call_with_strings;

    fn call(issuer: &str, account: &str, partition: &str) -> CallResponse {
        call_with_strings(&OIDC_PROVIDER_ARN, &[issuer, account, partition])
    }

    #[test]
    fn the_data_sources_rule() {
        let issuer = "https://oidc.eks.cn-north-1.amazonaws.com.cn/id/ABC";
        let expected = OidcProviderArn::for_issuer("aws-cn", "111122223333", issuer).unwrap();
        assert_eq!(
            call(issuer, "111122223333", "aws-cn"),
            Ok(Value::string(expected.arn()))
        );
        assert_eq!(
            call(
                "oidc.eks.us-east-1.amazonaws.com/id/ABC/",
                "111122223333",
                "aws"
            ),
            Ok(Value::string(
                "arn:aws:iam::111122223333:oidc-provider/oidc.eks.us-east-1.amazonaws.com/id/ABC"
            ))
        );
    }

    #[test]
    fn errors_name_the_argument() {
        for (args, index, start) in [
            (
                ("http://x", "111122223333", "aws"),
                0,
                "`issuer_url` must be",
            ),
            (("", "111122223333", "aws"), 0, "`issuer_url` must be"),
            (
                ("https://x", "1234", "aws"),
                1,
                "`account_id` must be 12 digits",
            ),
            (
                ("https://x", "111122223333", "azure"),
                2,
                "`partition` must be one of aws, ",
            ),
        ] {
            let error = call(args.0, args.1, args.2).unwrap_err();
            assert_eq!(error.argument, Some(index), "{args:?}");
            assert!(error.text.starts_with(start), "{}", error.text);
        }
    }
}
