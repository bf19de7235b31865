//! Registry releases: `scripts/release` signs SHA256SUMS with the user's GPG
//! key (a detached binary signature the registries verify with the exported
//! public key), refuses to make an unsigned release unless told to, and
//! lays out every file the Terraform Registry documents under the names it
//! expects.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

const BINARY: &str = env!("CARGO_BIN_EXE_terraform-provider-clusteriam");
const VERSION: &str = env!("CARGO_PKG_VERSION");
const NAME: &str = "terraform-provider-clusteriam";

fn repo() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

fn text(out: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    )
}

#[track_caller]
fn require(tool: &str, package: &str) {
    let found = Command::new(tool).arg("--version").output();
    assert!(
        matches!(found, Ok(ref o) if o.status.success()),
        "`{tool}` is not installed, and this test needs it: install {package} (Debian: \
         apt-get install {package}; `scripts/setup` does it)"
    );
}

/// A throwaway GPG home with one key, its agent stopped when dropped.
struct Gnupg {
    home: tempfile::TempDir,
}

impl Gnupg {
    fn empty() -> Gnupg {
        require("gpg", "gnupg");
        // gpg wants its home private; a short path keeps the agent's socket path short.
        let home = tempfile::Builder::new()
            .prefix("gpg")
            .tempdir_in("/tmp")
            .unwrap();
        std::fs::set_permissions(
            home.path(),
            std::os::unix::fs::PermissionsExt::from_mode(0o700),
        )
        .unwrap();
        Gnupg { home }
    }

    /// A home with one passphrase-less key of `algorithm` (as
    /// `gpg --quick-generate-key` names them); returns its fingerprint.
    fn with_key(algorithm: &str) -> (Gnupg, String) {
        Gnupg::with_protected_key(algorithm, "")
    }

    /// A home with one key protected by `passphrase`, not cached by the agent.
    fn with_protected_key(algorithm: &str, passphrase: &str) -> (Gnupg, String) {
        let gnupg = Gnupg::empty();
        let out = gnupg
            .gpg()
            .args(["--pinentry-mode", "loopback", "--passphrase", passphrase])
            .arg("--quick-generate-key")
            .args([
                "Release Test <release@clusteriam.invalid>",
                algorithm,
                "sign",
                "never",
            ])
            .output()
            .unwrap();
        assert!(out.status.success(), "generating a key: {}", text(&out));
        let listing = gnupg
            .gpg()
            .args(["--with-colons", "--list-secret-keys"])
            .output()
            .unwrap();
        let listing = String::from_utf8_lossy(&listing.stdout).into_owned();
        // Forget the passphrase: signing must be given it again.
        gnupg.stop_agent();
        let fingerprint = listing
            .lines()
            .find_map(|l| l.strip_prefix("fpr:"))
            .and_then(|l| l.split(':').nth(8))
            .expect("the new key's fingerprint")
            .to_string();
        (gnupg, fingerprint)
    }

    fn home(&self) -> &str {
        self.home.path().to_str().unwrap()
    }

    fn gpg(&self) -> Command {
        let mut cmd = Command::new("gpg");
        cmd.arg("--batch").env("GNUPGHOME", self.home.path());
        cmd
    }
}

impl Gnupg {
    fn stop_agent(&self) {
        let _ = Command::new("gpgconf")
            .args(["--kill", "gpg-agent"])
            .env("GNUPGHOME", self.home.path())
            .output();
    }
}

impl Drop for Gnupg {
    fn drop(&mut self) {
        self.stop_agent();
    }
}

/// Runs `scripts/release --binary <the test build> --out <dist> <args>`,
/// with no signing settings but those in `env`.
fn release(dist: &Path, args: &[&str], env: &[(&str, &str)]) -> Output {
    let mut cmd = Command::new(repo().join("scripts/release"));
    cmd.args(["--binary", BINARY, "--out"])
        .arg(dist)
        .args(args)
        .env_remove("CLUSTERIAM_GPG_KEY")
        .env_remove("CLUSTERIAM_GPG_PASSPHRASE")
        .env_remove("GNUPGHOME");
    for (key, value) in env {
        cmd.env(key, value);
    }
    cmd.output().expect("running scripts/release")
}

fn file(dist: &Path, suffix: &str) -> PathBuf {
    dist.join(format!("{NAME}_{VERSION}_{suffix}"))
}

#[test]
fn release_is_signed_with_the_given_rsa_key_and_verifies() {
    let (gnupg, fingerprint) = Gnupg::with_key("rsa2048");
    let out_dir = tempfile::tempdir().unwrap();
    let dist = out_dir.path().join("dist");
    let out = release(
        &dist,
        &[],
        &[
            ("GNUPGHOME", gnupg.home()),
            ("CLUSTERIAM_GPG_KEY", &fingerprint),
        ],
    );
    assert!(out.status.success(), "release failed:\n{}", text(&out));

    // The signature is detached and binary, as the registries require.
    let sums = file(&dist, "SHA256SUMS");
    let sig = file(&dist, "SHA256SUMS.sig");
    let signature = std::fs::read(&sig).expect("SHA256SUMS.sig");
    assert!(
        !signature.starts_with(b"-----BEGIN"),
        "the signature must be binary, not ASCII-armored"
    );
    let verify = gnupg
        .gpg()
        .arg("--verify")
        .args([&sig, &sums])
        .output()
        .unwrap();
    assert!(verify.status.success(), "gpg --verify: {}", text(&verify));
    assert!(text(&verify).contains(&fingerprint), "{}", text(&verify));

    // The exported public key alone verifies it, as a registry would.
    let public = std::fs::read_to_string(file(&dist, "signing-key.asc")).expect("the public key");
    assert!(
        public.starts_with("-----BEGIN PGP PUBLIC KEY BLOCK-----"),
        "the public key is ASCII-armored: {public}"
    );
    assert!(
        !public.contains("PRIVATE KEY"),
        "only the public key is exported"
    );
    let registry = Gnupg::empty();
    let import = registry
        .gpg()
        .arg("--import")
        .arg(file(&dist, "signing-key.asc"))
        .output()
        .unwrap();
    assert!(import.status.success(), "{}", text(&import));
    let verify = registry
        .gpg()
        .arg("--verify")
        .args([&sig, &sums])
        .output()
        .unwrap();
    assert!(
        verify.status.success(),
        "the exported key verifies: {}",
        text(&verify)
    );

    // A changed SHA256SUMS no longer verifies.
    let original = std::fs::read_to_string(&sums).unwrap();
    std::fs::write(&sums, original.replace("manifest", "manifesto")).unwrap();
    let tampered = registry
        .gpg()
        .arg("--verify")
        .args([&sig, &sums])
        .output()
        .unwrap();
    assert!(!tampered.status.success(), "a tampered SHA256SUMS verifies");
    std::fs::write(&sums, original).unwrap();

    check_registry_files(&dist);
}

/// Every file the Terraform Registry documents for a provider release, named
/// as it expects: a zip per platform holding `terraform-provider-<type>_v<version>`,
/// the manifest with the protocol versions, and SHA256SUMS covering exactly
/// the zips and the manifest, each hash right.
fn check_registry_files(dist: &Path) {
    let manifest: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(file(dist, "manifest.json")).unwrap())
            .unwrap();
    assert_eq!(manifest["version"], 1, "{manifest}");
    assert_eq!(
        manifest["metadata"]["protocol_versions"],
        serde_json::json!(["6.0"]),
        "{manifest}"
    );

    let zips: Vec<String> = std::fs::read_dir(dist)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".zip"))
        .collect();
    assert!(
        zips.contains(&format!("{NAME}_{VERSION}_linux_amd64.zip")),
        "{zips:?}"
    );
    for zip in &zips {
        let platform = zip
            .strip_prefix(&format!("{NAME}_{VERSION}_"))
            .and_then(|rest| rest.strip_suffix(".zip"))
            .unwrap_or_else(|| panic!("{zip} is not named {NAME}_{VERSION}_<os>_<arch>.zip"));
        assert_eq!(platform.split('_').count(), 2, "{zip}");
        let listing = Command::new("python3")
            .args(["-m", "zipfile", "-l"])
            .arg(dist.join(zip))
            .output()
            .unwrap();
        let listing = String::from_utf8_lossy(&listing.stdout).into_owned();
        let entries: Vec<&str> = listing
            .lines()
            .skip(1)
            .filter_map(|l| l.split_whitespace().next())
            .collect();
        assert_eq!(entries, [format!("{NAME}_v{VERSION}")], "{zip}:\n{listing}");
    }

    let sums = std::fs::read_to_string(file(dist, "SHA256SUMS")).unwrap();
    let mut listed: Vec<&str> = sums
        .lines()
        .map(|l| {
            let (hash, name) = l.split_once("  ").expect("`<sha256>  <file>` lines");
            assert_eq!(hash.len(), 64, "{l}");
            name
        })
        .collect();
    listed.sort();
    let mut expected: Vec<String> = zips.clone();
    expected.push(format!("{NAME}_{VERSION}_manifest.json"));
    expected.sort();
    assert_eq!(
        listed, expected,
        "SHA256SUMS covers the zips and the manifest"
    );
    let check = Command::new("sha256sum")
        .args(["--check", "--strict"])
        .arg(file(dist, "SHA256SUMS"))
        .current_dir(dist)
        .output()
        .unwrap();
    assert!(check.status.success(), "{}", text(&check));
}

#[test]
fn release_without_a_key_stops_and_says_how_to_give_one() {
    let empty = Gnupg::empty();
    let out_dir = tempfile::tempdir().unwrap();
    let dist = out_dir.path().join("dist");
    for env in [
        // A keyring without keys.
        vec![("GNUPGHOME", empty.home())],
        // A key the keyring does not have.
        vec![
            ("GNUPGHOME", empty.home()),
            ("CLUSTERIAM_GPG_KEY", "0xDEADBEEF"),
        ],
    ] {
        let out = release(&dist, &[], &env);
        let message = text(&out);
        assert!(
            !out.status.success(),
            "an unsigned release was made:\n{message}"
        );
        for needle in ["CLUSTERIAM_GPG_KEY", "--unsigned", "GNUPGHOME"] {
            assert!(message.contains(needle), "`{needle}` in:\n{message}");
        }
        assert!(!dist.exists(), "nothing is packaged without a key");
    }

    let out = release(&dist, &["--unsigned"], &[("GNUPGHOME", empty.home())]);
    assert!(out.status.success(), "{}", text(&out));
    assert!(file(&dist, "SHA256SUMS").exists());
    assert!(!file(&dist, "SHA256SUMS.sig").exists());
    check_registry_files(&dist);
}

#[test]
fn release_unlocks_a_passphrase_protected_key_without_printing_it() {
    let passphrase = "correct horse battery staple";
    let (gnupg, fingerprint) = Gnupg::with_protected_key("rsa2048", passphrase);
    let out_dir = tempfile::tempdir().unwrap();
    let dist = out_dir.path().join("dist");
    let env = [
        ("GNUPGHOME", gnupg.home()),
        ("CLUSTERIAM_GPG_KEY", fingerprint.as_str()),
        ("CLUSTERIAM_GPG_PASSPHRASE", passphrase),
    ];
    let out = release(&dist, &[], &env);
    assert!(out.status.success(), "release failed:\n{}", text(&out));
    assert!(!text(&out).contains(passphrase), "{}", text(&out));
    let verify = gnupg
        .gpg()
        .arg("--verify")
        .arg(file(&dist, "SHA256SUMS.sig"))
        .arg(file(&dist, "SHA256SUMS"))
        .output()
        .unwrap();
    assert!(verify.status.success(), "gpg --verify: {}", text(&verify));

    // Without the passphrase, nothing is signed.
    gnupg.stop_agent();
    let out = release(&dist, &[], &env[..2]);
    assert!(
        !out.status.success(),
        "signed without the passphrase:\n{}",
        text(&out)
    );
    assert!(
        text(&out).contains("CLUSTERIAM_GPG_PASSPHRASE"),
        "{}",
        text(&out)
    );
    assert!(!dist.exists(), "an unsigned release was left behind");
}

#[test]
fn release_refuses_a_key_the_registry_does_not_accept() {
    let (gnupg, fingerprint) = Gnupg::with_key("ed25519");
    let out_dir = tempfile::tempdir().unwrap();
    let dist = out_dir.path().join("dist");
    let out = release(
        &dist,
        &[],
        &[
            ("GNUPGHOME", gnupg.home()),
            ("CLUSTERIAM_GPG_KEY", &fingerprint),
        ],
    );
    assert!(!out.status.success(), "{}", text(&out));
    assert!(text(&out).contains("not an RSA key"), "{}", text(&out));
}

/// Review finding 5: the passphrase was in the environment while cargo
/// built the release, so every build script and proc-macro of the
/// dependency tree could read it. The build here is a stand-in `cargo`
/// that records the environment it was given (and fails, ending the
/// release): neither the passphrase nor the keyring's location is in it.
#[test]
fn release_never_shows_the_passphrase_to_the_build() {
    let passphrase = "passphrase-the-build-must-not-see";
    let (gnupg, fingerprint) = Gnupg::with_protected_key("rsa2048", passphrase);
    let tools = tempfile::tempdir().unwrap();
    let seen = tools.path().join("build-environment");
    let cargo = tools.path().join("cargo");
    std::fs::write(
        &cargo,
        format!("#!/bin/sh\nenv > '{}'\nexit 1\n", seen.display()),
    )
    .unwrap();
    std::fs::set_permissions(&cargo, std::os::unix::fs::PermissionsExt::from_mode(0o755)).unwrap();
    let out_dir = tempfile::tempdir().unwrap();
    let dist = out_dir.path().join("dist");
    let path = format!(
        "{}:{}",
        tools.path().display(),
        std::env::var("PATH").unwrap_or_default()
    );
    let out = Command::new(repo().join("scripts/release"))
        .arg("--out")
        .arg(&dist)
        .env("PATH", path)
        .env("GNUPGHOME", gnupg.home())
        .env("CLUSTERIAM_GPG_KEY", &fingerprint)
        .env("CLUSTERIAM_GPG_PASSPHRASE", passphrase)
        .output()
        .unwrap();
    assert!(
        !out.status.success(),
        "the stand-in build fails the release"
    );
    let environment = std::fs::read_to_string(&seen).expect("the build ran");
    assert!(
        !environment.contains(passphrase),
        "the build's environment holds the passphrase:\n{}",
        environment
            .lines()
            .filter(|l| l.contains(passphrase))
            .collect::<Vec<_>>()
            .join("\n")
    );
    assert!(
        !environment.contains(gnupg.home()),
        "the build's environment names the signing keyring"
    );
    assert!(!text(&out).contains(passphrase), "{}", text(&out));
}

/// Review finding 6: `scripts/release --out .` in the repository deleted it,
/// `.git` included, because the guard only looked for
/// `terraform-registry-manifest.json`, which the repository root holds. A
/// folder that holds anything the script did not make is refused and left
/// as it was; a release it made is replaced.
#[test]
fn release_never_deletes_a_folder_it_did_not_make() {
    let root = tempfile::tempdir().unwrap();
    let repo_like = root.path().join("checkout");
    std::fs::create_dir_all(repo_like.join(".git")).unwrap();
    std::fs::write(repo_like.join(".git/HEAD"), "ref: refs/heads/main\n").unwrap();
    std::fs::write(repo_like.join("Cargo.toml"), "[package]\n").unwrap();
    std::fs::copy(
        repo().join("terraform-registry-manifest.json"),
        repo_like.join("terraform-registry-manifest.json"),
    )
    .unwrap();
    let out = release(&repo_like, &["--unsigned"], &[]);
    assert!(
        repo_like.join(".git/HEAD").exists() && repo_like.join("Cargo.toml").exists(),
        "the release deleted a folder it did not make:\n{}",
        text(&out)
    );
    assert!(!out.status.success(), "{}", text(&out));
    assert!(
        text(&out).contains("not made by scripts/release"),
        "{}",
        text(&out)
    );

    // A release's own folder is replaced; once something else is put in
    // it, it is not.
    let dist = root.path().join("dist");
    release(&dist, &["--unsigned"], &[]);
    assert!(file(&dist, "SHA256SUMS").exists());
    let again = release(&dist, &["--unsigned"], &[]);
    assert!(again.status.success(), "{}", text(&again));
    std::fs::write(dist.join("notes.txt"), "mine").unwrap();
    let refused = release(&dist, &["--unsigned"], &[]);
    assert!(!refused.status.success(), "{}", text(&refused));
    assert!(dist.join("notes.txt").exists());
}

/// The shell block of the install guide that checks a download.
fn guide_check_commands() -> String {
    let guide =
        std::fs::read_to_string(repo().join("docs/guides/installing-without-a-registry.md"))
            .unwrap();
    let start = guide
        .find("fingerprint=<the fingerprint from a second place>")
        .expect("the guide's check starts by naming the fingerprint");
    let block = &guide[start..];
    block[..block.find("```").unwrap()].to_string()
}

/// Runs the guide's check in `dist` with `fingerprint`; its gpg homes go
/// under a TMPDIR of its own, whose agents are stopped afterwards.
fn run_guide_check(dist: &Path, fingerprint: &str) -> Output {
    let tmp = tempfile::Builder::new()
        .prefix("chk")
        .tempdir_in("/tmp")
        .unwrap();
    let script = guide_check_commands()
        .replace("<the fingerprint from a second place>", fingerprint)
        .replace("<version>", VERSION);
    let out = Command::new("bash")
        .args(["-e", "-c", &script])
        .current_dir(dist)
        .env("TMPDIR", tmp.path())
        .env_remove("GNUPGHOME")
        .output()
        .unwrap();
    for home in std::fs::read_dir(tmp.path()).unwrap().flatten() {
        let _ = Command::new("gpgconf")
            .args(["--kill", "gpg-agent"])
            .env("GNUPGHOME", home.path())
            .output();
    }
    out
}

/// Review finding 9: the install guide imported the signing key from the
/// same download it verified, so a release re-signed by someone else, with
/// their key beside it, verified. The guide's check, run as written with
/// the fingerprint from a second place, accepts the real release and
/// refuses one whose signature and key were both replaced.
#[test]
fn the_install_guides_check_refuses_a_release_signed_by_another_key() {
    require("gpg", "gnupg");
    let (gnupg, fingerprint) = Gnupg::with_key("rsa2048");
    let out_dir = tempfile::tempdir().unwrap();
    let dist = out_dir.path().join("dist");
    let env = [
        ("GNUPGHOME", gnupg.home()),
        ("CLUSTERIAM_GPG_KEY", fingerprint.as_str()),
    ];
    assert!(release(&dist, &[], &env).status.success());
    let genuine = run_guide_check(&dist, &fingerprint);
    assert!(genuine.status.success(), "{}", text(&genuine));

    // Someone who can change the download re-signs it with their own key
    // and puts that key beside it.
    let (forger, forged) = Gnupg::with_key("rsa2048");
    let sums = file(&dist, "SHA256SUMS");
    let sign = forger
        .gpg()
        .args([
            "--yes",
            "--local-user",
            &forged,
            "--detach-sign",
            "--output",
        ])
        .arg(file(&dist, "SHA256SUMS.sig"))
        .arg(&sums)
        .output()
        .unwrap();
    assert!(sign.status.success(), "{}", text(&sign));
    let key = forger
        .gpg()
        .args(["--armor", "--export", &forged])
        .output()
        .unwrap();
    std::fs::write(file(&dist, "signing-key.asc"), key.stdout).unwrap();
    let plain_verify = forger
        .gpg()
        .arg("--verify")
        .arg(file(&dist, "SHA256SUMS.sig"))
        .arg(&sums)
        .output()
        .unwrap();
    assert!(
        plain_verify.status.success(),
        "without the fingerprint, the forgery verifies"
    );
    let forged_check = run_guide_check(&dist, &fingerprint);
    assert!(
        !forged_check.status.success(),
        "the guide's check accepted a release signed by another key:\n{}",
        text(&forged_check)
    );
    assert!(
        text(&forged_check).contains("do not install this release"),
        "{}",
        text(&forged_check)
    );
}
