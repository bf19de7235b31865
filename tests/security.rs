//! Security: credentials never reach a log, the terminal or state; the
//! schema marks them sensitive; and web-identity trusts admit exactly one
//! subject and audience, never a wildcard.
//!
//! That a client without Terraform's AutoMTLS certificate is refused is
//! tested in `tests/protocol.rs` (`a_client_without_terraforms_certificate_is_refused`).

use crate::common;

use std::io::Write as _;
use std::process::{Command, Stdio};

use common::{Emulator, Run, Workspace};

/// Unique values no code path would produce by itself.
const ACCESS_KEY: &str = "AKIDMARKERQX7ACCESS1";
const SECRET_KEY: &str = "sEcReTmArKeR/Zq9+wX4vB2nK7pL0tY";
const TOKEN: &str = "ToKeNmArKeRzZ81kQ3jF6hS0dA5gM2bR";

/// Everything a run leaves behind that someone might read.
fn leaks(ws: &Workspace, runs: &[Run]) -> Vec<String> {
    let mut texts: Vec<(String, String)> = runs
        .iter()
        .enumerate()
        .map(|(i, r)| (format!("output of run {i}"), r.output()))
        .collect();
    for file in ["trace.log", "terraform.tfstate", "terraform.tfstate.backup"] {
        if let Ok(text) = std::fs::read_to_string(ws.path().join(file)) {
            texts.push((file.to_string(), text));
        }
    }
    let log = std::fs::read_to_string(ws.path().join("trace.log")).unwrap_or_default();
    assert!(
        log.contains("clusteriam") && log.contains("[TRACE]"),
        "the trace log holds no provider trace: TF_LOG_PATH was not honoured"
    );
    let mut found = Vec::new();
    for marker in [ACCESS_KEY, SECRET_KEY, TOKEN] {
        // Also a distinctive part, in case of truncation or escaping.
        let part = &marker[4..16];
        for (name, text) in &texts {
            if text.contains(marker) || text.contains(part) {
                found.push(format!("`{part}` (from `{marker}`) in {name}"));
            }
        }
    }
    found
}

/// Roles of every trust kind, an OIDC provider and the trust presets.
fn resources() -> &'static str {
    r#"
resource "clusteriam_oidc_provider" "eks" {
  url = "https://oidc.eks.us-east-1.amazonaws.com/id/SECURITYTEST"
}
resource "clusteriam_rancher_node_role" "worker" {
  name      = "sec-worker"
  node_role = "worker"
}
resource "clusteriam_rancher_csp_adapter_role" "csp" {
  name              = "sec-csp"
  oidc_provider_arn = clusteriam_oidc_provider.eks.arn
}
resource "clusteriam_torque_agent_role" "torque" {
  name              = "sec-torque"
  oidc_provider_arn = clusteriam_oidc_provider.eks.arn
  namespace         = "torque"
  service_account   = "runner"
}
data "clusteriam_policy_document" "irsa" {
  preset            = "irsa_trust"
  oidc_provider_arn = clusteriam_oidc_provider.eks.arn
  namespace         = "torque"
  service_account   = "runner"
}
data "clusteriam_policy_document" "csp" {
  preset            = "rancher_csp_adapter_trust"
  oidc_provider_arn = clusteriam_oidc_provider.eks.arn
}
output "irsa_trust" { value = data.clusteriam_policy_document.irsa.json }
output "csp_trust" { value = data.clusteriam_policy_document.csp.json }
"#
}

fn provider_block(aws: &Emulator, credentials: &str) -> String {
    format!(
        r#"
terraform {{
  required_providers {{
    clusteriam = {{ source = "clusteriam/clusteriam" }}
  }}
}}
provider "clusteriam" {{
  region              = "us-east-1"
  propagation_timeout = "20s"
{credentials}
  endpoints {{
    iam = "{url}"
    sts = "{url}"
    ec2 = "{url}"
    eks = "{url}"
  }}
}}
"#,
        url = aws.url
    )
}

/// Apply, re-plan, destroy at TF_LOG=TRACE, checking for the markers after
/// each, and the trusts in AWS while the roles exist.
fn full_cycle_leaks_nothing(aws: &Emulator, ws: &mut Workspace, credentials: &str) {
    ws.set_env("TF_LOG", "TRACE");
    ws.set_env(
        "TF_LOG_PATH",
        &ws.path().join("trace.log").display().to_string(),
    );
    ws.write(&(provider_block(aws, credentials) + resources()));
    let mut runs = vec![ws.apply()];
    runs[0].assert_ok();
    assert_trusts_are_exact(aws, ws);
    runs.push(ws.plan());
    assert_eq!(
        runs[1].code,
        0,
        "expected an empty plan:\n{}",
        runs[1].output()
    );
    runs.push(ws.destroy());
    runs[2].assert_ok();
    let found = leaks(ws, &runs);
    assert!(
        found.is_empty(),
        "credentials leaked:\n{}",
        found.join("\n")
    );
}

#[test]
fn credentials_in_the_provider_block_never_reach_logs_output_or_state() {
    let aws = Emulator::start();
    let mut ws = Workspace::new();
    ws.remove_env("AWS_ACCESS_KEY_ID");
    ws.remove_env("AWS_SECRET_ACCESS_KEY");
    let credentials = format!(
        "  access_key = \"{ACCESS_KEY}\"\n  secret_key = \"{SECRET_KEY}\"\n  token = \"{TOKEN}\"\n"
    );
    full_cycle_leaks_nothing(&aws, &mut ws, &credentials);
}

#[test]
fn credentials_in_the_environment_never_reach_logs_output_or_state() {
    let aws = Emulator::start();
    let mut ws = Workspace::new();
    ws.set_env("AWS_ACCESS_KEY_ID", ACCESS_KEY);
    ws.set_env("AWS_SECRET_ACCESS_KEY", SECRET_KEY);
    ws.set_env("AWS_SESSION_TOKEN", TOKEN);
    full_cycle_leaks_nothing(&aws, &mut ws, "");
}

#[test]
fn secret_key_token_and_external_id_are_sensitive_in_the_schema() {
    let ws = Workspace::new();
    ws.write(
        "terraform {\n  required_providers {\n    clusteriam = { source = \"clusteriam/clusteriam\" }\n  }\n}\n",
    );
    let run = ws.run(&["providers", "schema", "-json"]);
    run.assert_ok();
    let schema: serde_json::Value = serde_json::from_str(&run.stdout).expect("schema JSON");
    let provider = schema["provider_schemas"]
        .as_object()
        .and_then(|p| p.values().next())
        .expect("the clusteriam provider's schema");
    let attributes = &provider["provider"]["block"]["attributes"];
    for name in ["secret_key", "token"] {
        assert_eq!(
            attributes[name]["sensitive"], true,
            "`{name}` is not marked sensitive: {}",
            attributes[name]
        );
    }
    let external_id = &provider["provider"]["block"]["block_types"]["assume_role"]["block"]["attributes"]
        ["external_id"];
    assert_eq!(
        external_id["sensitive"], true,
        "`assume_role.external_id` is not marked sensitive: {external_id}"
    );
    // Nothing else anywhere looks like a secret and is left unmarked.
    let mut unmarked = Vec::new();
    let mut check = |owner: &str, attrs: &serde_json::Value| {
        for (name, attr) in attrs.as_object().into_iter().flatten() {
            let secretish = ["secret", "token", "password", "private_key"]
                .iter()
                .any(|w| name.contains(w));
            if secretish && attr["sensitive"] != true {
                unmarked.push(format!("{owner}.{name}"));
            }
        }
    };
    check("provider", attributes);
    for kind in ["resource_schemas", "data_source_schemas"] {
        for (ty, s) in provider[kind].as_object().into_iter().flatten() {
            check(ty, &s["block"]["attributes"]);
        }
    }
    assert!(unmarked.is_empty(), "unmarked secrets: {unmarked:?}");
}

/// The web-identity conditions of a trust document: each must be an exact
/// `StringEquals` on `<issuer>:sub` and `<issuer>:aud`, without wildcards.
#[track_caller]
fn assert_exact_web_identity(what: &str, document: &str) {
    let doc: serde_json::Value = serde_json::from_str(document)
        .unwrap_or_else(|e| panic!("{what}: trust is not JSON ({e}): {document}"));
    let statements = match &doc["Statement"] {
        serde_json::Value::Array(items) => items.clone(),
        single => vec![single.clone()],
    };
    assert!(!statements.is_empty(), "{what}: no statement");
    for statement in &statements {
        assert_eq!(
            statement["Action"], "sts:AssumeRoleWithWebIdentity",
            "{what}: {document}"
        );
        let conditions = statement["Condition"]
            .as_object()
            .unwrap_or_else(|| panic!("{what}: a statement without conditions: {document}"));
        let operators: Vec<&String> = conditions.keys().collect();
        assert_eq!(operators, ["StringEquals"], "{what}: {document}");
        let keys = conditions["StringEquals"].as_object().unwrap();
        let suffixes: Vec<&str> = keys
            .keys()
            .map(|k| k.rsplit(':').next().unwrap_or_default())
            .collect();
        assert!(
            suffixes.contains(&"sub") && suffixes.contains(&"aud"),
            "{what}: both `sub` and `aud` must be pinned: {document}"
        );
        for (key, value) in keys {
            let values = match value {
                serde_json::Value::Array(items) => items.clone(),
                single => vec![single.clone()],
            };
            assert_eq!(values.len(), 1, "{what}: `{key}` admits several values");
            let value = values[0].as_str().unwrap_or_default();
            assert!(
                !value.is_empty() && !value.contains(['*', '?']),
                "{what}: `{key}` = `{value}` is a wildcard"
            );
        }
    }
}

/// The trusts as AWS holds them, and the presets as the data source renders them.
fn assert_trusts_are_exact(aws: &Emulator, ws: &Workspace) {
    let iam = aws.iam();
    for role in ["sec-csp", "sec-torque"] {
        let trust = common::block_on(iam.get_role().role_name(role).send())
            .unwrap_or_else(|e| panic!("GetRole {role}: {e:?}"))
            .role
            .and_then(|r| r.assume_role_policy_document)
            .expect("a trust policy");
        let trust = terraform_provider_clusteriam::policy::from_iam(&trust);
        assert_exact_web_identity(role, &trust);
    }
    for output in ["irsa_trust", "csp_trust"] {
        let json = ws.output(output);
        assert_exact_web_identity(output, json.as_str().expect("a JSON string"));
    }
}

/// An access key id as AWS issues them: a four-letter prefix (`AKIA` for
/// long-term keys, `ASIA` for temporary ones) and 16 upper-case letters or
/// digits. Returns the first one found.
fn find_access_key_id(text: &str) -> Option<&str> {
    let bytes = text.as_bytes();
    let word = |b: u8| b.is_ascii_alphanumeric();
    (0..bytes.len().saturating_sub(19)).find_map(|i| {
        let candidate = &bytes[i..i + 20];
        let starts_word = i == 0 || !word(bytes[i - 1]);
        let ends_word = bytes.get(i + 20).is_none_or(|&b| !word(b));
        let shaped = (candidate.starts_with(b"AKIA") || candidate.starts_with(b"ASIA"))
            && candidate[4..]
                .iter()
                .all(|b| b.is_ascii_uppercase() || b.is_ascii_digit());
        (starts_word && ends_word && shaped).then(|| &text[i..i + 20])
    })
}

#[test]
fn a_profile_that_assumes_a_role_leaves_no_access_key_id_in_info_or_debug_logs() {
    // `role_arn` + `source_profile`: the SDK loads the base keys, then the
    // role's temporary keys, and logs both ("loaded base credentials",
    // "loaded assume role credentials") with their access key ids at INFO.
    const BASE_KEY_ID: &str = "AKIAMARKERCHAIN7BASE";
    let aws = Emulator::start();
    let mut ws = Workspace::new();
    ws.remove_env("AWS_ACCESS_KEY_ID");
    ws.remove_env("AWS_SECRET_ACCESS_KEY");
    ws.set_env("AWS_ENDPOINT_URL", &aws.url);
    let config = ws.path().join("aws-config");
    let credentials = ws.path().join("aws-credentials");
    std::fs::write(
        &config,
        "[profile chain]\nrole_arn = arn:aws:iam::123456789012:role/chain-target\n\
         source_profile = base\nregion = us-east-1\n",
    )
    .unwrap();
    std::fs::write(
        &credentials,
        format!(
            "[base]\naws_access_key_id = {BASE_KEY_ID}\naws_secret_access_key = {SECRET_KEY}\n"
        ),
    )
    .unwrap();
    ws.write(&format!(
        r#"
terraform {{
  required_providers {{
    clusteriam = {{ source = "clusteriam/clusteriam" }}
  }}
}}
provider "clusteriam" {{
  profile                  = "chain"
  shared_config_files      = ["{config}"]
  shared_credentials_files = ["{credentials}"]
  propagation_timeout      = "20s"
}}
resource "clusteriam_rancher_node_role" "worker" {{
  name      = "sec-chain-worker"
  node_role = "worker"
}}
"#,
        config = config.display(),
        credentials = credentials.display(),
    ));
    let mut runs = Vec::new();
    // TRACE, asked for by name, lets the SDK's own lines through: the chain
    // must show up there, its key ids masked.
    for (level, args) in [
        (
            "INFO",
            &["apply", "-auto-approve", "-no-color", "-input=false"][..],
        ),
        ("DEBUG", &["plan", "-no-color", "-input=false"][..]),
        ("TRACE", &["plan", "-no-color", "-input=false"][..]),
        (
            "DEBUG",
            &["destroy", "-auto-approve", "-no-color", "-input=false"][..],
        ),
    ] {
        let log = ws
            .path()
            .join(format!("{}-{}-{level}.log", runs.len(), args[0]));
        ws.set_env("TF_LOG", level);
        ws.set_env("TF_LOG_PATH", &log.display().to_string());
        let run = ws.run(args);
        run.assert_ok();
        let text = std::fs::read_to_string(&log).expect("terraform wrote its log");
        assert!(
            text.contains("terraform-provider-clusteriam"),
            "the {level} log of `{}` does not mention the provider",
            args[0]
        );
        if level == "TRACE" {
            assert!(
                text.contains("loaded assume role credentials"),
                "the provider did not assume the role through the profile chain"
            );
        }
        runs.push((format!("the {level} log of `{}`", args[0]), text));
        runs.push((format!("the output of `{}`", args[0]), run.output()));
    }
    let mut found = Vec::new();
    for (name, text) in &runs {
        if text.contains(&BASE_KEY_ID[4..16]) {
            found.push(format!("the base key id in {name}"));
        }
        if let Some(id) = find_access_key_id(text) {
            found.push(format!("`{id}` in {name}"));
        }
    }
    assert!(
        found.is_empty(),
        "access key ids leaked:\n{}",
        found.join("\n")
    );
}

/// A provider block with `extra` settings and a resource, so that plan
/// configures the provider.
fn provider_with(extra: &str) -> String {
    format!(
        r#"
terraform {{
  required_providers {{
    clusteriam = {{ source = "clusteriam/clusteriam" }}
  }}
}}
provider "clusteriam" {{
  region = "us-east-1"
{extra}
}}
resource "clusteriam_eks_connector_agent_role" "agent" {{}}
"#
    )
}

#[test]
fn a_plain_http_endpoint_on_another_host_is_refused_at_validate() {
    // Signed requests, and with `assume_role` the role's credentials, would
    // cross the network in cleartext.
    let ws = Workspace::new();
    let endpoints = "  endpoints {\n    iam = \"http://10.0.0.5:4566\"\n    sts = \"http://127.0.0.1:4566\"\n    ec2 = \"http://localhost:4566\"\n    eks = \"https://eks.example.com\"\n  }\n";
    ws.write(&provider_with(endpoints));
    let run = ws.validate();
    run.assert_error(&[
        "Invalid `endpoints.iam`",
        // Terraform quotes the line of the attribute path.
        r#"iam = "http://10.0.0.5:4566""#,
        "in plain HTTP to another machine",
        "set `allow_http_endpoints = true`",
    ]);
    for allowed in ["endpoints.sts", "endpoints.ec2", "endpoints.eks"] {
        assert!(
            !run.mentions(allowed),
            "`{allowed}` was refused:\n{}",
            run.output()
        );
    }
    // The documented opt-in.
    ws.write(&provider_with(&format!(
        "  allow_http_endpoints = true\n{endpoints}"
    )));
    ws.validate().assert_ok();
}

#[test]
fn a_plain_http_endpoint_from_the_environment_is_refused_before_any_request() {
    // 192.0.2.1 is TEST-NET-1: nothing answers there, so a provider that
    // tried would fail differently, after its connection attempts.
    let mut ws = Workspace::new();
    ws.set_env("AWS_ENDPOINT_URL", "http://192.0.2.1:4566");
    ws.write(&provider_with(""));
    let run = ws.plan();
    run.assert_error(&[
        "Plain HTTP to a remote AWS endpoint",
        "the `AWS_ENDPOINT_URL` environment variable is `http://192.0.2.1:4566`",
        "set `allow_http_endpoints = true`",
    ]);
    assert!(!run.mentions("Cannot reach"), "{}", run.output());

    ws.remove_env("AWS_ENDPOINT_URL");
    ws.set_env("AWS_ENDPOINT_URL_IAM", "http://192.0.2.1:4566");
    ws.plan().assert_error(&[
        "the `AWS_ENDPOINT_URL_IAM` environment variable is `http://192.0.2.1:4566`",
    ]);
}

// --- Second security review (issue 27) ---------------------------------------

/// The YAML documents in `text`, as JSON, read the way `kubectl apply -f`
/// reads a file: every `---` starts another object to create.
fn yaml_documents(text: &str) -> Vec<serde_json::Value> {
    let python = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join(".venv/bin/python");
    let mut child = Command::new(python)
        .args([
            "-c",
            "import json, sys, yaml; print(json.dumps(list(yaml.safe_load_all(sys.stdin))))",
        ])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .expect("the test tools' python (scripts/setup installs it)");
    child
        .stdin
        .take()
        .unwrap()
        .write_all(text.as_bytes())
        .unwrap();
    let out = child.wait_with_output().unwrap();
    assert!(out.status.success(), "not YAML:\n{text}");
    serde_json::from_slice(&out.stdout).unwrap()
}

/// Review finding 2: a role ARN ending in a newline, `---` and a
/// ClusterRoleBinding made `service_account_manifest()` return a second YAML
/// document that `kubectl apply -f` would create. Such an ARN is refused,
/// naming the argument; every role ARN IAM allows (paths hold any printable
/// character, `"`, `#` and `:` included) gives exactly one ServiceAccount
/// whose annotation is that ARN.
#[test]
fn service_account_manifest_cannot_be_made_to_hold_a_second_document() {
    const REQUIRED: &str = "terraform {\n  required_providers {\n    clusteriam = { source = \"clusteriam/clusteriam\" }\n  }\n}\n";
    let ws = Workspace::new();
    let injected = "arn:aws:iam::111122223333:role/x\\n---\\napiVersion: rbac.authorization.k8s.io/v1\\nkind: ClusterRoleBinding\\nmetadata:\\n  name: pwned\\nroleRef:\\n  apiGroup: rbac.authorization.k8s.io\\n  kind: ClusterRole\\n  name: cluster-admin\\nsubjects:\\n- kind: Group\\n  name: system:authenticated\\n  apiGroup: rbac.authorization.k8s.io";
    ws.write(&format!(
        "{REQUIRED}output \"manifest\" {{\n  value = provider::clusteriam::service_account_manifest(\"{injected}\", \"torque\", \"runner\")\n}}\n"
    ));
    let run = ws.apply();
    if run.code == 0 {
        let manifest = ws.output("manifest");
        let documents = yaml_documents(manifest.as_str().unwrap());
        panic!(
            "the injected ARN was accepted: the manifest holds {} YAML documents:\n{manifest}",
            documents.len()
        );
    }
    run.assert_error(&[
        "Invalid value for \"role_arn\" parameter",
        "is not an IAM role ARN",
    ]);

    // Every character IAM allows in a path, and in a name.
    let printable: String = (0x21u8..=0x7e)
        .map(char::from)
        .filter(|c| *c != '/')
        .collect();
    let arns = [
        "arn:aws:iam::111122223333:role/torque-agent".to_string(),
        "arn:aws-cn:iam::111122223333:role/kubernetes/torque+=,.@_-agent".to_string(),
        format!("arn:aws:iam::111122223333:role/{printable}/x/y"),
    ];
    let mut hcl = REQUIRED.to_string();
    for (i, arn) in arns.iter().enumerate() {
        // HCL string escapes, then `${` and `%{` kept literal.
        let quoted = serde_json::to_string(arn)
            .unwrap()
            .replace("${", "$${")
            .replace("%{", "%%{");
        hcl.push_str(&format!(
            "output \"m{i}\" {{\n  value = provider::clusteriam::service_account_manifest({quoted}, \"torque\", \"runner\")\n}}\n"
        ));
    }
    ws.write(&hcl);
    ws.apply().assert_ok();
    for (i, arn) in arns.iter().enumerate() {
        let manifest = ws.output(&format!("m{i}"));
        let documents = yaml_documents(manifest.as_str().unwrap());
        assert_eq!(documents.len(), 1, "{manifest}");
        let sa = &documents[0];
        assert_eq!(sa["kind"], "ServiceAccount", "{manifest}");
        assert_eq!(
            sa["metadata"]["annotations"]["eks.amazonaws.com/role-arn"], *arn,
            "{manifest}"
        );
        assert_eq!(sa["metadata"]["name"], "runner");
        assert_eq!(sa["metadata"]["namespace"], "torque");
    }
}

/// The tags of role `name`, the ownership mark included.
fn role_tags(aws: &Emulator, name: &str) -> std::collections::BTreeMap<String, String> {
    let out = common::block_on(aws.iam().list_role_tags().role_name(name).send()).unwrap();
    out.tags()
        .iter()
        .map(|t| (t.key().to_string(), t.value().to_string()))
        .collect()
}

/// Review finding 1: the first CreateServiceLinkedRole is answered 503
/// while another client creates the role. A 503 leaves open whether AWS
/// acted, but the role the retry finds was not made by this apply: it is
/// adopted (`adopted = true`), gets no mark of ours, and destroy leaves it
/// to its owner.
#[test]
fn a_service_linked_role_found_after_an_ambiguous_failure_is_not_claimed() {
    use common::faults::{FaultProxy, Faults, Interloper};
    use std::sync::Arc;

    const SERVICE: &str = "eks-connector.amazonaws.com";
    let aws = Emulator::start();
    let other_client = {
        let url = aws.url.clone();
        Interloper(Arc::new(move || {
            let iam = common::iam_at(&url);
            common::block_on(
                iam.create_service_linked_role()
                    .aws_service_name(SERVICE)
                    .send(),
            )
            .expect("the other client's CreateServiceLinkedRole");
        }))
    };
    let proxy = FaultProxy::start(
        &aws.url,
        Faults {
            unavailable_first_after: [("CreateServiceLinkedRole".to_string(), other_client)].into(),
            ..Default::default()
        },
    );
    let ws = Workspace::new();
    ws.write(&format!(
        "{}\nresource \"clusteriam_eks_connector_service_linked_role\" \"this\" {{}}\n",
        common::provider_block_for(&proxy.url)
    ));
    let run = ws.apply();
    run.assert_ok();
    assert_eq!(
        proxy.counts().failed.get("503 for an interloper"),
        Some(&1),
        "{}",
        proxy.counts()
    );
    let state = ws.state_attributes("clusteriam_eks_connector_service_linked_role.this");
    let name = state["name"].as_str().unwrap().to_string();
    assert_eq!(
        state["adopted"],
        true,
        "the other client's role was claimed:\n{}",
        run.output()
    );
    assert!(
        !role_tags(&aws, &name).contains_key(common::OWNERSHIP_TAG),
        "our mark was put on a role we found: {:?}",
        role_tags(&aws, &name)
    );
    ws.assert_no_changes();
    ws.destroy().assert_ok();
    common::block_on(aws.iam().get_role().role_name(&name).send())
        .expect("destroy left the other client's role in place");
}

/// An OIDC provider made out of band, with `tags` (the ownership tag among
/// them, if given) and client ids.
fn oidc_provider_out_of_band(
    aws: &Emulator,
    url: &str,
    client_ids: &[&str],
    tags: &[(&str, &str)],
) -> String {
    let mut request = aws.iam().create_open_id_connect_provider().url(url);
    for id in client_ids {
        request = request.client_id_list(*id);
    }
    for (k, v) in tags {
        request = request.tags(
            aws_sdk_iam::types::Tag::builder()
                .key(*k)
                .value(*v)
                .build()
                .unwrap(),
        );
    }
    let out = common::block_on(request.send()).unwrap();
    out.open_id_connect_provider_arn().unwrap().to_string()
}

/// What IAM holds for the provider: client ids and tags; None once deleted.
fn oidc_provider_in_aws(
    aws: &Emulator,
    arn: &str,
) -> Option<(Vec<String>, std::collections::BTreeMap<String, String>)> {
    let out = common::block_on(
        aws.iam()
            .get_open_id_connect_provider()
            .open_id_connect_provider_arn(arn)
            .send(),
    )
    .ok()?;
    let mut ids = out.client_id_list().to_vec();
    ids.sort();
    let tags = out
        .tags()
        .iter()
        .map(|t| (t.key().to_string(), t.value().to_string()))
        .collect();
    Some((ids, tags))
}

/// Review finding 3: any value of the ownership tag made an imported OIDC
/// provider count as this configuration's own (`adopted = false`), so the
/// next apply removed the other team's audience and tags and destroy
/// deleted it. The same held for one another clusteriam configuration
/// created. A tag anyone can write proves nothing: an import is adopted
/// (gains only, never deleted) unless the import id opts in with `,owned`.
#[test]
fn an_imported_oidc_provider_is_adopted_whatever_its_tags_say() {
    const ADDRESS: &str = "clusteriam_oidc_provider.this";
    const FORGED: &str =
        "https://oidc.eks.us-east-1.amazonaws.com/id/FORGEDMARKFORGEDMARKFORGED000001";
    let aws = Emulator::start();
    let foreign_tags = [("owner", "other-team"), (common::OWNERSHIP_TAG, "forged")];
    let forged = oidc_provider_out_of_band(
        &aws,
        FORGED,
        &["sts.amazonaws.com", "other-audience"],
        &foreign_tags,
    );
    let before = oidc_provider_in_aws(&aws, &forged).unwrap();
    let config = |url: &str| {
        format!(
            "{}\nresource \"clusteriam_oidc_provider\" \"this\" {{\n  url = \"{url}\"\n}}\n",
            aws.provider_block()
        )
    };

    let ws = Workspace::new();
    ws.write(&config(FORGED));
    ws.import(ADDRESS, &forged).assert_ok();
    assert_eq!(
        ws.state_attributes(ADDRESS)["adopted"],
        true,
        "a provider tagged `{}=forged` was imported as this configuration's own",
        common::OWNERSHIP_TAG
    );
    ws.apply().assert_ok();
    ws.assert_no_changes();
    assert_eq!(oidc_provider_in_aws(&aws, &forged).unwrap(), before);
    let run = ws.destroy();
    run.assert_ok();
    assert!(run.mentions("left in place"), "{}", run.output());
    assert_eq!(
        oidc_provider_in_aws(&aws, &forged).unwrap(),
        before,
        "destroy deleted or changed the other team's provider"
    );

    // One that another clusteriam configuration created, with a real mark.
    const THEIRS: &str =
        "https://oidc.eks.us-east-1.amazonaws.com/id/OTHERCONFIGOTHERCONFIGOTHER00001";
    let owner = Workspace::new();
    owner.write(&config(THEIRS));
    owner.apply().assert_ok();
    let theirs = owner.state_attributes(ADDRESS)["arn"]
        .as_str()
        .unwrap()
        .to_string();
    let ws = Workspace::new();
    ws.write(&config(THEIRS));
    ws.import(ADDRESS, &theirs).assert_ok();
    assert_eq!(ws.state_attributes(ADDRESS)["adopted"], true);
    ws.destroy().assert_ok();
    assert!(oidc_provider_in_aws(&aws, &theirs).is_some());
    owner.assert_no_changes();
    owner.destroy().assert_ok();
    assert!(oidc_provider_in_aws(&aws, &theirs).is_none());

    // The explicit opt-in: managed exactly, deleted on destroy.
    let ws = Workspace::new();
    ws.write(&config(FORGED));
    ws.import(ADDRESS, &format!("{forged},owned")).assert_ok();
    let state = ws.state_attributes(ADDRESS);
    assert_eq!(state["adopted"], false);
    assert_eq!(
        state["arn"],
        forged.as_str(),
        "the suffix is not part of the id"
    );
    ws.destroy().assert_ok();
    assert!(oidc_provider_in_aws(&aws, &forged).is_none());
}

/// Finding 3 for the EKS Connector's service-linked role: an import is
/// adopted whatever tags the role carries, and managed only with `,owned`.
#[test]
fn an_imported_service_linked_role_is_adopted_whatever_its_tags_say() {
    const ADDRESS: &str = "clusteriam_eks_connector_service_linked_role.this";
    let aws = Emulator::start();
    let iam = aws.iam();
    let created = common::block_on(
        iam.create_service_linked_role()
            .aws_service_name("eks-connector.amazonaws.com")
            .send(),
    )
    .unwrap();
    let name = created.role().unwrap().role_name().to_string();
    common::block_on(
        iam.tag_role()
            .role_name(&name)
            .tags(
                aws_sdk_iam::types::Tag::builder()
                    .key(common::OWNERSHIP_TAG)
                    .value("forged")
                    .build()
                    .unwrap(),
            )
            .send(),
    )
    .unwrap();
    let ws = Workspace::new();
    ws.write(&format!(
        "{}\nresource \"clusteriam_eks_connector_service_linked_role\" \"this\" {{}}\n",
        aws.provider_block()
    ));
    ws.import(ADDRESS, &name).assert_ok();
    assert_eq!(ws.state_attributes(ADDRESS)["adopted"], true);
    ws.assert_no_changes();
    ws.destroy().assert_ok();
    common::block_on(iam.get_role().role_name(&name).send()).expect("destroy left it in place");

    ws.import(ADDRESS, &format!("{name},owned")).assert_ok();
    assert_eq!(ws.state_attributes(ADDRESS)["adopted"], false);
    assert_eq!(ws.state_attributes(ADDRESS)["name"], name.as_str());
    ws.destroy().assert_ok();
    assert!(common::block_on(iam.get_role().role_name(&name).send()).is_err());
}

/// The one object taken over on the strength of the ownership mark: an
/// instance profile named like a node role, marked and holding no other
/// role (what a role deleted outside Terraform leaves). The mark is a tag
/// anyone allowed `iam:TagInstanceProfile` can forge; what the forger gets
/// is only the role in a profile they made (launching with it still needs
/// `iam:PassRole` on the role, which moto does not check): the same apply
/// replaces their tags with the role's, and their mark with this resource's.
#[test]
fn an_instance_profile_with_a_forged_mark_is_taken_over_without_its_tags() {
    const NAME: &str = "forged-profile-node";
    let aws = Emulator::start();
    let iam = aws.iam();
    common::block_on(
        iam.create_instance_profile()
            .instance_profile_name(NAME)
            .tags(common::iam_tag(common::OWNERSHIP_TAG, "forged"))
            .tags(common::iam_tag("owner", "someone-else"))
            .send(),
    )
    .unwrap();
    let ws = Workspace::new();
    ws.write(&format!(
        r#"{}
resource "clusteriam_rancher_node_role" "node" {{
  name      = "{NAME}"
  node_role = "worker"
  tags      = {{ team = "platform" }}
}}
"#,
        aws.provider_block()
    ));
    ws.apply().assert_ok();
    let profile = common::block_on(
        iam.get_instance_profile()
            .instance_profile_name(NAME)
            .send(),
    )
    .unwrap()
    .instance_profile
    .unwrap();
    let roles: Vec<&str> = profile.roles.iter().map(|r| r.role_name.as_str()).collect();
    assert_eq!(roles, [NAME], "the role is in the profile");
    let tags: std::collections::BTreeMap<_, _> = profile
        .tags()
        .iter()
        .map(|t| (t.key(), t.value()))
        .collect();
    let mark = role_tags(&aws, NAME)[common::OWNERSHIP_TAG].clone();
    assert_eq!(
        tags,
        [(common::OWNERSHIP_TAG, mark.as_str()), ("team", "platform")].into(),
        "the forger's tags and mark gave way to the role's"
    );
    ws.assert_no_changes();
    ws.destroy().assert_ok();
    assert!(
        common::block_on(
            iam.get_instance_profile()
                .instance_profile_name(NAME)
                .send()
        )
        .is_err(),
        "taken over, the profile is deleted with the role"
    );
}

/// A listener on this machine's address on its network (not loopback),
/// standing in for a proxy elsewhere: it records every request it gets and
/// answers 502. The address comes from the route to a TEST-NET address (a
/// UDP connect sends nothing).
struct RemoteProxy {
    url: String,
    seen: std::sync::Arc<std::sync::Mutex<Vec<String>>>,
}

impl RemoteProxy {
    fn start() -> RemoteProxy {
        let probe = std::net::UdpSocket::bind("0.0.0.0:0").unwrap();
        probe
            .connect("198.51.100.1:9")
            .expect("this test needs a network interface besides loopback");
        let ip = probe.local_addr().unwrap().ip();
        assert!(!ip.is_loopback(), "no address besides loopback: {ip}");
        let listener = std::net::TcpListener::bind((ip, 0)).unwrap();
        let url = format!("http://{}", listener.local_addr().unwrap());
        let seen = std::sync::Arc::new(std::sync::Mutex::new(Vec::new()));
        let log = seen.clone();
        std::thread::spawn(move || {
            for mut conn in listener.incoming().flatten() {
                let mut buffer = [0u8; 8192];
                let n = std::io::Read::read(&mut conn, &mut buffer).unwrap_or(0);
                log.lock()
                    .unwrap()
                    .push(String::from_utf8_lossy(&buffer[..n]).into_owned());
                let _ = conn.write_all(
                    b"HTTP/1.1 502 Bad Gateway\r\nContent-Length: 0\r\nConnection: close\r\n\r\n",
                );
            }
        });
        RemoteProxy { url, seen }
    }
}

/// Review finding 7: with an http:// loopback endpoint and a proxy on
/// another machine in `HTTP_PROXY`, signed requests went to that proxy in
/// cleartext. The loopback-only rule covers where the bytes go: the
/// provider refuses before any request, naming the variable and the way
/// out (`NO_PROXY`), and with the endpoint in `NO_PROXY` it works.
#[test]
fn a_plain_http_endpoint_is_never_sent_through_a_remote_proxy() {
    let aws = Emulator::start();
    let proxy = RemoteProxy::start();
    let mut ws = Workspace::new();
    ws.remove_env("NO_PROXY");
    ws.remove_env("no_proxy");
    // A proxy's own password is never repeated either.
    ws.set_env(
        "HTTP_PROXY",
        &proxy.url.replace("http://", "http://proxyuser:Pr0xyPa55@"),
    );
    ws.set_env("AWS_ACCESS_KEY_ID", ACCESS_KEY);
    ws.write(&format!(
        "{}\nresource \"clusteriam_eks_connector_agent_role\" \"agent\" {{}}\n",
        aws.provider_block()
    ));
    let run = ws.plan();
    let seen = proxy.seen.lock().unwrap().clone();
    assert!(
        seen.is_empty(),
        "requests went to the remote proxy {}:\n{}",
        proxy.url,
        seen.join("\n---\n")
    );
    run.assert_error(&[
        "Plain HTTP through a proxy on another machine",
        "`HTTP_PROXY`",
        "NO_PROXY",
    ]);
    assert!(
        run.mentions(proxy.url.trim_start_matches("http://")),
        "{}",
        run.output()
    );
    assert!(!run.mentions(ACCESS_KEY), "{}", run.output());
    assert!(!run.mentions("Pr0xyPa55"), "{}", run.output());

    // The remedy the error names.
    ws.set_env("NO_PROXY", "127.0.0.1,localhost");
    let run = ws.plan();
    assert_eq!(run.code, 2, "{}", run.output());
    assert!(proxy.seen.lock().unwrap().is_empty());
}

/// Review finding 9: a `credential_process` that fails with a secret on its
/// standard error (a token, a password it was given) had that text copied
/// into the diagnostic, and into the DEBUG log. The diagnostic says the
/// process failed and how to see why; the secret is in neither.
#[test]
fn a_failing_credential_process_never_has_its_stderr_repeated() {
    use std::os::unix::fs::PermissionsExt;
    const SECRET: &str = "ProcessSecretMarkerW4U8";
    let aws = Emulator::start();
    let mut ws = Workspace::new();
    let script = ws.path().join("credentials.sh");
    std::fs::write(
        &script,
        format!("#!/bin/sh\necho \"login failed for token {SECRET}\" >&2\nexit 3\n"),
    )
    .unwrap();
    std::fs::set_permissions(&script, std::fs::Permissions::from_mode(0o755)).unwrap();
    let config = ws.path().join("aws-config");
    std::fs::write(
        &config,
        format!(
            "[profile proc]\ncredential_process = {}\n",
            script.display()
        ),
    )
    .unwrap();
    ws.remove_env("AWS_ACCESS_KEY_ID");
    ws.remove_env("AWS_SECRET_ACCESS_KEY");
    ws.set_env("AWS_CONFIG_FILE", config.to_str().unwrap());
    ws.set_env("AWS_PROFILE", "proc");
    ws.set_env("TF_LOG", "DEBUG");
    let log = ws.path().join("debug.log");
    ws.set_env("TF_LOG_PATH", log.to_str().unwrap());
    ws.write(&format!(
        "{}\nresource \"clusteriam_eks_connector_agent_role\" \"agent\" {{}}\n",
        aws.provider_block()
    ));
    let run = ws.plan();
    run.assert_error(&["credential_process", "exited with"]);
    let log = std::fs::read_to_string(&log).unwrap_or_default();
    assert!(
        !run.mentions(SECRET),
        "the process's stderr is in the diagnostic:\n{}",
        run.output()
    );
    let leaked: Vec<&str> = log.lines().filter(|l| l.contains(SECRET)).collect();
    assert!(
        leaked.is_empty(),
        "the process's stderr is in the DEBUG log:\n{}",
        leaked.join("\n")
    );
}
