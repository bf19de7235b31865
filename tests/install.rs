//! Installing without the registry: the release packaging works as a
//! filesystem mirror for a plain `terraform init`, and the install script
//! puts the provider in the implied local mirror that init finds offline.

mod common;

use std::path::Path;
use std::process::Command;

use common::Workspace;

const BINARY: &str = env!("CARGO_BIN_EXE_terraform-provider-clusteriam");

const CONFIG: &str = r#"
terraform {
  required_providers {
    clusteriam = { source = "clusteriam/clusteriam" }
  }
}
data "clusteriam_policy_document" "probe" {
  preset = "rancher_etcd_worker"
}
"#;

fn repo() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

#[track_caller]
fn run(cmd: &mut Command) -> String {
    let out = cmd.output().expect("running a script");
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(out.status.success(), "{cmd:?} failed:\n{text}");
    text
}

#[test]
fn release_packages_work_as_a_filesystem_mirror_for_terraform_init() {
    let dist = tempfile::tempdir().unwrap();
    run(Command::new("python3")
        .arg(repo().join("scripts/package.py"))
        .args(["--binary", BINARY, "--out"])
        .arg(dist.path())
        .args(["--version", "0.1.0", "--os", "linux", "--arch", "amd64"]));
    for file in [
        "terraform-provider-clusteriam_0.1.0_linux_amd64.zip",
        "terraform-provider-clusteriam_0.1.0_SHA256SUMS",
        "terraform-provider-clusteriam_0.1.0_manifest.json",
        "terraform-registry-manifest.json",
        "mirror/registry.terraform.io/clusteriam/clusteriam/index.json",
        "mirror/registry.terraform.io/clusteriam/clusteriam/0.1.0.json",
    ] {
        assert!(dist.path().join(file).exists(), "{file} is missing");
    }
    let sums = std::fs::read_to_string(
        dist.path()
            .join("terraform-provider-clusteriam_0.1.0_SHA256SUMS"),
    )
    .unwrap();
    assert!(
        sums.lines()
            .any(|l| l.ends_with("  terraform-provider-clusteriam_0.1.0_linux_amd64.zip")),
        "{sums}"
    );

    let mut ws = Workspace::new();
    let cli = ws.path().join("mirror.rc");
    std::fs::write(
        &cli,
        format!(
            "provider_installation {{\n  filesystem_mirror {{\n    path    = \"{}\"\n    include = [\"clusteriam/clusteriam\"]\n  }}\n}}\n",
            dist.path().join("mirror").display()
        ),
    )
    .unwrap();
    ws.set_env("TF_CLI_CONFIG_FILE", cli.to_str().unwrap());
    ws.write(CONFIG);
    let init = ws.run(&["init", "-no-color", "-input=false"]);
    init.assert_ok();
    assert!(
        init.stdout
            .contains("Installed clusteriam/clusteriam v0.1.0"),
        "{}",
        init.stdout
    );
    let lock = std::fs::read_to_string(ws.path().join(".terraform.lock.hcl")).unwrap();
    let listing = std::fs::read_to_string(
        dist.path()
            .join("mirror/registry.terraform.io/clusteriam/clusteriam/0.1.0.json"),
    )
    .unwrap();
    let listing: serde_json::Value = serde_json::from_str(&listing).unwrap();
    let h1 = listing["archives"]["linux_amd64"]["hashes"][0]
        .as_str()
        .unwrap();
    assert!(
        lock.contains(h1),
        "the mirror's h1 hash {h1} is the one Terraform locked:\n{lock}"
    );
    ws.validate().assert_ok();
}

#[test]
fn install_script_puts_the_provider_where_offline_init_finds_it() {
    let home = tempfile::tempdir().unwrap();
    let out = run(Command::new(repo().join("scripts/install"))
        .args(["--binary", BINARY])
        .env("HOME", home.path()));
    assert!(out.contains("installed clusteriam/clusteriam"), "{out}");

    let mut ws = Workspace::new();
    // No CLI configuration at all: Terraform's implied local mirror applies.
    ws.set_env("HOME", home.path().to_str().unwrap());
    ws.remove_env("TF_CLI_CONFIG_FILE");
    ws.write(CONFIG);
    let init = ws.run(&["init", "-no-color", "-input=false"]);
    init.assert_ok();
    assert!(
        init.stdout.contains("clusteriam/clusteriam"),
        "{}",
        init.stdout
    );
    ws.validate().assert_ok();
}
