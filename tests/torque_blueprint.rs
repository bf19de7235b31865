//! The Torque blueprint in examples/torque: valid against Torque's published
//! blueprint schema, its terraform grain matching the module it applies,
//! and its `pre-tf-init` script installing the provider from a release
//! mirror so that an offline `terraform init` of the module succeeds.

use crate::common;

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use common::Workspace;

const BINARY: &str = env!("CARGO_BIN_EXE_terraform-provider-clusteriam");
const VERSION: &str = env!("CARGO_PKG_VERSION");

fn repo() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

fn schema() -> PathBuf {
    let path = std::env::var("CLUSTERIAM_TORQUE_SCHEMA")
        .map(PathBuf::from)
        .unwrap_or_else(|_| repo().join("../shared/torque/blueprint-spec2-schema.json"));
    assert!(
        path.exists(),
        "Torque's blueprint schema is missing: looked for {}; set CLUSTERIAM_TORQUE_SCHEMA",
        path.display()
    );
    path
}

fn text(out: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    )
}

/// Runs scripts/check-blueprint.py on `blueprint` with the project's venv.
fn check(blueprint: &Path) -> Output {
    let python = repo().join(".venv/bin/python");
    assert!(
        python.exists(),
        "{} is missing: run `scripts/setup`, which installs jsonschema, PyYAML and python-hcl2 \
         into .venv",
        python.display()
    );
    Command::new(python)
        .arg(repo().join("scripts/check-blueprint.py"))
        .arg(blueprint)
        .arg("--schema")
        .arg(schema())
        .output()
        .expect("running scripts/check-blueprint.py")
}

fn blueprint() -> String {
    std::fs::read_to_string(repo().join("examples/torque/blueprint.yaml"))
        .expect("examples/torque/blueprint.yaml")
}

#[test]
fn torque_blueprint_validates_and_matches_the_module() {
    let out = check(&repo().join("examples/torque/blueprint.yaml"));
    assert!(out.status.success(), "{}", text(&out));
    assert!(text(&out).trim_end().ends_with("ok"), "{}", text(&out));
    let yaml = blueprint();
    for needle in [
        "kind: terraform",
        "path: examples/torque\n",
        "pre-tf-init:",
        "- role_arns",
        "- service_account_manifests",
    ] {
        assert!(yaml.contains(needle), "the blueprint has `{needle}`");
    }
}

#[test]
fn torque_blueprint_check_fails_on_what_the_module_does_not_have() {
    let dir = tempfile::tempdir().unwrap();
    let cases = [
        (
            "an input the module doesn't have",
            blueprint().replace(
                "        - region: '{{ .inputs.region }}'\n",
                "        - region: '{{ .inputs.region }}'\n        - cluster: '{{ .inputs.cluster_name }}'\n",
            ),
            "input `cluster` is not a variable of examples/torque",
        ),
        (
            "a required variable not given",
            blueprint().replace(
                "        - cluster_name: '{{ .inputs.cluster_name }}'\n",
                "",
            ),
            "needs variable `cluster_name`",
        ),
        (
            "an output the module doesn't have",
            blueprint().replace("        - role_arns\n", "        - role_arn\n"),
            "output `role_arn` is not an output",
        ),
        (
            "a grain kind Torque doesn't know",
            blueprint().replace("kind: terraform", "kind: terraformm"),
            "schema: grains/clusteriam",
        ),
        (
            "a key the schema doesn't allow",
            blueprint().replace("      agent:\n", "      agnet:\n"),
            "schema: grains/clusteriam",
        ),
        (
            "an undeclared blueprint input",
            blueprint().replace("{{ .inputs.namespace }}", "{{ .inputs.namespaces }}"),
            "`{{ .inputs.namespaces }}` names no input",
        ),
    ];
    for (what, yaml, expected) in cases {
        assert_ne!(yaml, blueprint(), "the case `{what}` changes the blueprint");
        let path = dir.path().join("blueprint.yaml");
        std::fs::write(&path, yaml).unwrap();
        let out = check(&path);
        assert!(
            !out.status.success(),
            "{what}: the check passed:\n{}",
            text(&out)
        );
        assert!(
            text(&out).contains(expected),
            "{what}: expected `{expected}` in:\n{}",
            text(&out)
        );
    }
}

/// The `pre-tf-init` script, run as a Torque runner would before
/// `terraform init`, against a release mirror given as a file:// URL.
#[test]
fn torque_pre_tf_init_script_installs_the_provider_for_an_offline_init() {
    let dist = tempfile::tempdir().unwrap();
    let out = Command::new("python3")
        .arg(repo().join("scripts/package.py"))
        .args(["--binary", BINARY, "--out"])
        .arg(dist.path())
        .args(["--version", VERSION])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", text(&out));

    let home = tempfile::tempdir().unwrap();
    let out = Command::new(repo().join("examples/torque/scripts/install-provider.sh"))
        .arg(format!("file://{}", dist.path().join("mirror").display()))
        .env("HOME", home.path())
        .env_remove("TF_PLUGIN_DIR")
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", text(&out));
    for hostname in ["registry.terraform.io", "registry.opentofu.org"] {
        assert!(
            text(&out).contains(&format!(
                "{}/.terraform.d/plugins/{hostname}/clusteriam/clusteriam/{VERSION}/",
                home.path().display()
            )),
            "{}",
            text(&out)
        );
    }

    let mut ws = Workspace::new();
    ws.copy_example("torque");
    ws.set_env("HOME", home.path().to_str().unwrap());
    ws.remove_env("TF_CLI_CONFIG_FILE");
    let init = ws.run(&["init", "-no-color", "-input=false"]);
    init.assert_ok();
    assert!(
        init.stdout
            .contains(&format!("Installed clusteriam/clusteriam v{VERSION}")),
        "{}",
        init.stdout
    );
    ws.validate().assert_ok();

    // A mirror whose archive doesn't match its listing installs nothing.
    let zip = std::fs::read_dir(
        dist.path()
            .join("mirror/registry.terraform.io/clusteriam/clusteriam"),
    )
    .unwrap()
    .map(|e| e.unwrap().path())
    .find(|p| p.extension().is_some_and(|e| e == "zip"))
    .unwrap();
    let mut bytes = std::fs::read(&zip).unwrap();
    bytes.extend_from_slice(b"tampered");
    std::fs::write(&zip, bytes).unwrap();
    let other_home = tempfile::tempdir().unwrap();
    let out = Command::new(repo().join("examples/torque/scripts/install-provider.sh"))
        .arg(format!("file://{}", dist.path().join("mirror").display()))
        .env("HOME", other_home.path())
        .env_remove("TF_PLUGIN_DIR")
        .output()
        .unwrap();
    assert!(!out.status.success(), "{}", text(&out));
    assert!(text(&out).contains("not installing it"), "{}", text(&out));
    assert!(!other_home.path().join(".terraform.d").exists());
}

/// The blueprint's YAML as JSON, read with the project's venv (PyYAML).
fn yaml_as_json(path: &Path) -> serde_json::Value {
    let out = Command::new(repo().join(".venv/bin/python"))
        .args([
            "-c",
            "import json, sys, yaml; print(json.dumps(yaml.safe_load(open(sys.argv[1]))))",
        ])
        .arg(path)
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", text(&out));
    serde_json::from_slice(&out.stdout).unwrap()
}

/// examples/torque-cross-account/blueprint.yaml: valid against Torque's
/// schema and its workload module, with the account-choosing input of
/// Torque's page (`<name> | <account id>`, the id split out for Terraform).
#[test]
fn torque_cross_account_blueprint_validates_and_chooses_an_account() {
    let path = repo().join("examples/torque-cross-account/blueprint.yaml");
    let out = check(&path);
    assert!(out.status.success(), "{}", text(&out));
    assert!(text(&out).trim_end().ends_with("ok"), "{}", text(&out));

    let blueprint = yaml_as_json(&path);
    let account = &blueprint["inputs"]["AWS Account"];
    let allowed: Vec<&str> = account["allowed-values"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_str().unwrap())
        .collect();
    assert!(allowed.len() >= 2, "{allowed:?}");
    for value in &allowed {
        let (name, id) = value.rsplit_once('|').unwrap();
        assert!(!name.trim().is_empty(), "{value}");
        let id = id.trim();
        assert!(
            id.len() == 12 && id.bytes().all(|b| b.is_ascii_digit()),
            "`{value}` ends in a 12-digit account id"
        );
    }
    assert!(allowed.contains(&account["default"].as_str().unwrap()));
    let grain = &blueprint["grains"]["workload"]["spec"];
    let inputs = grain["inputs"].as_array().unwrap();
    assert!(
        inputs.contains(&serde_json::json!({
            "aws_account_id": "{{ .inputs.[\"AWS Account\"] | split: \"|\" | last | strip }}"
        })),
        "{inputs:?}"
    );
    assert_eq!(
        blueprint["inputs"]["external_id"]["sensitive"], true,
        "the external id is a sensitive input"
    );

    // A misspelt input name in the bracket form is caught too.
    let dir = tempfile::tempdir().unwrap();
    let broken = dir.path().join("blueprint.yaml");
    std::fs::write(
        &broken,
        std::fs::read_to_string(&path)
            .unwrap()
            .replace(".inputs.[\"AWS Account\"]", ".inputs.[\"AWS Acount\"]"),
    )
    .unwrap();
    let out = check(&broken);
    assert!(!out.status.success(), "{}", text(&out));
    assert!(
        text(&out).contains("`{{ .inputs.[\"AWS Acount\"] }}` names no input"),
        "{}",
        text(&out)
    );
}
