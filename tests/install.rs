//! Installing without the registry: the release packaging works as a
//! filesystem mirror for a plain `terraform init`, and the install script
//! puts the provider in the implied local mirror that init finds offline.
//! Both lay the provider out under both registry hostnames: OpenTofu reads
//! `clusteriam/clusteriam` as `registry.opentofu.org/clusteriam/clusteriam`.
//! OpenTofu itself is not available here; Terraform accepts any hostname in
//! a source address, so the OpenTofu layout is tested with Terraform and the
//! full `registry.opentofu.org/...` address, from init to apply.

use crate::common;

use std::path::Path;
use std::process::Command;

use common::{Emulator, Workspace, block_on};

const BINARY: &str = env!("CARGO_BIN_EXE_terraform-provider-clusteriam");
const VERSION: &str = env!("CARGO_PKG_VERSION");
const HOSTNAMES: [&str; 2] = ["registry.terraform.io", "registry.opentofu.org"];
const OPENTOFU_SOURCE: &str = "registry.opentofu.org/clusteriam/clusteriam";

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

/// Packages the test build into `dist` as `scripts/release` does.
fn package(dist: &Path) {
    run(Command::new("python3")
        .arg(repo().join("scripts/package.py"))
        .args(["--binary", BINARY, "--out"])
        .arg(dist)
        .args(["--version", VERSION, "--os", "linux", "--arch", "amd64"]));
}

/// A CLI configuration that installs clusteriam from `mirror` only.
fn use_filesystem_mirror(ws: &mut Workspace, mirror: &Path, include: &str) {
    let cli = ws.path().join("mirror.rc");
    std::fs::write(
        &cli,
        format!(
            "provider_installation {{\n  filesystem_mirror {{\n    path    = \"{}\"\n    include = [\"{include}\"]\n  }}\n}}\n",
            mirror.display()
        ),
    )
    .unwrap();
    ws.set_env("TF_CLI_CONFIG_FILE", cli.to_str().unwrap());
}

/// Offline `init` with the OpenTofu source address, then an apply against
/// the emulator that creates a role, and a destroy.
fn init_and_apply_with_the_opentofu_address(ws: &Workspace) {
    let aws = Emulator::start();
    ws.write(&common::provider_block_for(&aws.url).replace(
        "source = \"clusteriam/clusteriam\"",
        &format!("source = \"{OPENTOFU_SOURCE}\""),
    ));
    std::fs::write(
        ws.path().join("role.tf"),
        "resource \"clusteriam_eks_connector_agent_role\" \"probe\" {\n  name = \"opentofu-layout\"\n}\n",
    )
    .unwrap();
    let init = ws.run(&["init", "-no-color", "-input=false"]);
    init.assert_ok();
    assert!(
        init.stdout
            .contains(&format!("Installed {OPENTOFU_SOURCE} v{VERSION}")),
        "{}",
        init.stdout
    );
    ws.apply().assert_ok();
    let role = block_on(aws.iam().get_role().role_name("opentofu-layout").send());
    assert!(role.is_ok(), "the apply created the role: {role:?}");
    ws.assert_no_changes();
    ws.destroy().assert_ok();
}

#[test]
fn release_packages_work_as_a_filesystem_mirror_for_terraform_init() {
    let dist = tempfile::tempdir().unwrap();
    package(dist.path());
    for file in [
        format!("terraform-provider-clusteriam_{VERSION}_linux_amd64.zip"),
        format!("terraform-provider-clusteriam_{VERSION}_SHA256SUMS"),
        format!("terraform-provider-clusteriam_{VERSION}_manifest.json"),
        "terraform-registry-manifest.json".to_string(),
    ] {
        assert!(dist.path().join(&file).exists(), "{file} is missing");
    }
    for hostname in HOSTNAMES {
        for file in [
            "index.json".to_string(),
            format!("{VERSION}.json"),
            format!("terraform-provider-clusteriam_{VERSION}_linux_amd64.zip"),
        ] {
            let path = format!("mirror/{hostname}/clusteriam/clusteriam/{file}");
            assert!(dist.path().join(&path).exists(), "{path} is missing");
        }
    }
    let sums = std::fs::read_to_string(dist.path().join(format!(
        "terraform-provider-clusteriam_{VERSION}_SHA256SUMS"
    )))
    .unwrap();
    assert!(
        sums.lines().any(|l| l.ends_with(&format!(
            "  terraform-provider-clusteriam_{VERSION}_linux_amd64.zip"
        ))),
        "{sums}"
    );

    let mut ws = Workspace::new();
    use_filesystem_mirror(
        &mut ws,
        &dist.path().join("mirror"),
        "clusteriam/clusteriam",
    );
    ws.write(CONFIG);
    let init = ws.run(&["init", "-no-color", "-input=false"]);
    init.assert_ok();
    assert!(
        init.stdout
            .contains(&format!("Installed clusteriam/clusteriam v{VERSION}")),
        "{}",
        init.stdout
    );
    let lock = std::fs::read_to_string(ws.path().join(".terraform.lock.hcl")).unwrap();
    let listing = std::fs::read_to_string(dist.path().join(format!(
        "mirror/registry.terraform.io/clusteriam/clusteriam/{VERSION}.json"
    )))
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

/// The release mirror, used as OpenTofu users would: a filesystem mirror for
/// `registry.opentofu.org/clusteriam/clusteriam`.
#[test]
fn release_mirror_serves_the_opentofu_address_offline() {
    let dist = tempfile::tempdir().unwrap();
    package(dist.path());
    let mut ws = Workspace::new();
    use_filesystem_mirror(&mut ws, &dist.path().join("mirror"), OPENTOFU_SOURCE);
    init_and_apply_with_the_opentofu_address(&ws);
}

#[test]
fn install_script_puts_the_provider_where_offline_init_finds_it() {
    let home = tempfile::tempdir().unwrap();
    let out = run(Command::new(repo().join("scripts/install"))
        .args(["--binary", BINARY])
        .env("HOME", home.path())
        .env_remove("TF_PLUGIN_DIR"));
    for hostname in HOSTNAMES {
        assert!(
            out.contains(&format!(
                "installed clusteriam/clusteriam {VERSION} in {}/.terraform.d/plugins/{hostname}/",
                home.path().display()
            )),
            "{out}"
        );
    }

    let mut ws = Workspace::new();
    // No CLI configuration at all: Terraform's implied local mirror applies.
    ws.set_env("HOME", home.path().to_str().unwrap());
    ws.remove_env("TF_CLI_CONFIG_FILE");
    ws.write(CONFIG);
    let init = ws.run(&["init", "-no-color", "-input=false"]);
    init.assert_ok();
    assert!(
        init.stdout
            .contains(&format!("Installed clusteriam/clusteriam v{VERSION}")),
        "{}",
        init.stdout
    );
    ws.validate().assert_ok();
}

/// The implied local mirror (~/.terraform.d/plugins, which OpenTofu reads
/// too) after `scripts/install`, with the OpenTofu source address.
#[test]
fn install_script_serves_the_opentofu_address_offline() {
    let home = tempfile::tempdir().unwrap();
    run(Command::new(repo().join("scripts/install"))
        .args(["--binary", BINARY])
        .env("HOME", home.path())
        .env_remove("TF_PLUGIN_DIR"));
    let mut ws = Workspace::new();
    ws.set_env("HOME", home.path().to_str().unwrap());
    ws.remove_env("TF_CLI_CONFIG_FILE");
    init_and_apply_with_the_opentofu_address(&ws);
}
