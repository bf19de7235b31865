//! `policy_document(preset, params)`: every document
//! `clusteriam_policy_document` serves, rendered by the same presets.

use std::collections::BTreeMap;

use super::StringFunction;
use crate::arn::{OidcProviderArn, PARTITIONS};
use crate::policy::presets::{ACCOUNT_ID, OIDC_PROVIDER_ARN, PARAMETERS, describe_parameters};
use crate::policy::{Preset, PresetArgs};
use crate::rendering::{check_parameter, render};
use crate::tfplugin::{CallRequest, CallResponse, FunctionError, Parameter, Type, Value};

const PARAMS: usize = 1;

fn preset_names() -> String {
    Preset::ALL
        .iter()
        .map(Preset::name)
        .collect::<Vec<_>>()
        .join(", ")
}

pub const POLICY_DOCUMENT: StringFunction = StringFunction {
    name: "policy_document",
    summary: "One of the IAM documents the platforms' documentation prints, as canonical JSON.",
    description,
    parameters,
    call,
};

fn description() -> String {
    let presets: Vec<String> = Preset::ALL
        .iter()
        .map(|p| {
            let params = match p.parameters() {
                [] => String::new(),
                params => format!(
                    " (params: {})",
                    describe_parameters(params, "no parameters besides `partition`")
                ),
            };
            format!("`{}`{params}", p.name())
        })
        .collect();
    format!(
        "Renders a documented IAM document with its placeholders filled in, exactly as the \
         `clusteriam_policy_document` data source does for the same `preset` and \
         parameters, but offline: no AWS call, no provider configuration, so it also works \
         under `mock_provider` in `terraform test`. The presets and the parameters each \
         takes: {}.",
        presets.join(", ")
    )
}

fn parameters() -> Vec<Parameter> {
    vec![
        Parameter::new(
            "preset",
            Type::String,
            format!(
                "Which document to render: one of {}.",
                Preset::ALL
                    .iter()
                    .map(|p| format!("`{}`", p.name()))
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
        ),
        Parameter::new(
            "params",
            Type::map(Type::String),
            "The preset's parameters by name, as `clusteriam_policy_document` takes them: \
             `account_id` (12 digits; `kkp_account` needs it, since a function has no \
             caller account), `oidc_provider_arn`, `namespace`, `service_account`, \
             `master_role_arn`, `kkp_principal_arn`, `external_id` (a sensitive value \
             passed here keeps the result sensitive), `kkp_version` (`MAJOR.MINOR`; unset \
             is the current KKP), `cloud_provider` (`in-tree`, the default, or \
             `out-of-tree`) and `extra_controller_actions` (`\"true\"` or `\"false\"`, the \
             default), plus `partition` for every preset (`aws` unless given). A parameter \
             the preset does not take is an error. Pass `{}` (or null) when the preset \
             takes none.",
        )
        .allow_null(),
    ]
}

fn call(request: &CallRequest) -> CallResponse {
    let name = request.string(0).unwrap_or_default();
    let preset: Preset = name.parse().map_err(|_| {
        FunctionError::argument(
            0,
            format!("`preset` must be one of {}; got `{name}`", preset_names()),
        )
    })?;
    let bad = |text: String| FunctionError::argument(PARAMS, text);
    // Null entries count as absent, as unset attributes do.
    let params: BTreeMap<&str, &str> = request
        .arguments
        .get(PARAMS)
        .and_then(Value::as_map)
        .map(|m| {
            m.iter()
                .filter_map(|(k, v)| v.as_str().map(|v| (k.as_str(), v)))
                .collect()
        })
        .unwrap_or_default();
    let partition = params.get("partition").copied().unwrap_or("aws");
    if !PARTITIONS.contains(&partition) {
        return Err(bad(format!(
            "`partition` must be one of {}; got `{partition}`",
            PARTITIONS.join(", ")
        )));
    }
    for (&param, &value) in params.iter().filter(|(k, _)| **k != "partition") {
        if !PARAMETERS.contains(&param) {
            return Err(bad(format!(
                "`{param}` is not a preset parameter; expected `partition` or one of {}",
                PARAMETERS.join(", ")
            )));
        }
        if !preset.parameters().contains(&param) {
            return Err(bad(format!(
                "`{param}` is not used by preset `{name}`, which takes {}",
                describe_parameters(preset.parameters(), "no parameters besides `partition`")
            )));
        }
        check_parameter(param, value).map_err(bad)?;
    }
    let oidc = params
        .get(OIDC_PROVIDER_ARN)
        .and_then(|a| a.parse::<OidcProviderArn>().ok());
    let args = PresetArgs::from_parameters(
        partition,
        params.get(ACCOUNT_ID).copied(),
        oidc.as_ref(),
        |parameter| params.get(parameter).copied(),
    );
    let rendered = render(preset, &args).map_err(|e| bad(e.to_string()))?;
    Ok(Value::string(rendered.document.to_canonical_json()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::policy::published;

    fn call(preset: &str, params: &[(&str, &str)]) -> CallResponse {
        (POLICY_DOCUMENT.call)(&CallRequest {
            arguments: vec![
                Value::string(preset),
                Value::string_map(params.iter().copied()),
            ],
        })
    }

    #[test]
    fn renders_what_the_presets_render() {
        assert_eq!(
            call(
                "kkp_account",
                &[("account_id", "111122223333"), ("kkp_version", "2.22")]
            ),
            Ok(Value::string(
                published::KKP_2_22_AND_EARLIER
                    .render("aws", "111122223333")
                    .to_canonical_json()
            ))
        );
        assert_eq!(
            call(
                "rancher_controlplane",
                &[("cloud_provider", "out-of-tree"), ("partition", "aws-cn")]
            ),
            Ok(Value::string(
                published::CLOUD_PROVIDER_AWS_CONTROL_PLANE
                    .render_in("aws-cn")
                    .to_canonical_json()
            ))
        );
        let agent = call("eks_connector_agent", &[("partition", "aws-us-gov")]).unwrap();
        assert!(agent.as_str().unwrap().contains("arn:aws-us-gov:eks:"));
        // Null params for a preset without any.
        let none = (POLICY_DOCUMENT.call)(&CallRequest {
            arguments: vec![Value::string("rancher_node_trust"), Value::Null],
        });
        assert!(none.is_ok(), "{none:?}");
    }

    #[test]
    fn errors_name_the_argument() {
        let error = call("rancher_master", &[]).unwrap_err();
        assert_eq!(error.argument, Some(0));
        assert!(
            error
                .text
                .starts_with("`preset` must be one of rancher_controlplane, "),
            "{}",
            error.text
        );
        let needs_account = "preset `kkp_account` needs `account_id`";
        let not_used = "`namespace` is not used by preset `rancher_controlplane`, which takes `cloud_provider`";
        /// A preset, its parameters, and the error they must give.
        type Case<'a> = (&'a str, &'a [(&'a str, &'a str)], &'a str);
        let cases: [Case; 6] = [
            ("kkp_account", &[], needs_account),
            (
                "kkp_account",
                &[("account_id", "12")],
                "`account_id` must be 12 digits",
            ),
            (
                "rancher_controlplane",
                &[("namespace", "kube-system")],
                not_used,
            ),
            (
                "irsa_trust",
                &[("region", "x")],
                "`region` is not a preset parameter",
            ),
            (
                "irsa_trust",
                &[("oidc_provider_arn", "nope")],
                "`nope` is not a valid ARN",
            ),
            (
                "rancher_controlplane",
                &[("partition", "azure")],
                "`partition` must be one of",
            ),
        ];
        for (preset, params, start) in cases {
            let error = call(preset, params).unwrap_err();
            assert_eq!(error.argument, Some(1), "{preset} {params:?}");
            assert!(error.text.starts_with(start), "{}", error.text);
        }
    }
}
