//! The acceptance test harness: a local AWS emulator (moto's server) per test,
//! a Terraform workspace wired to the built provider through `dev_overrides`
//! (no `terraform init`: the registry is unreachable), and SDK clients to
//! check what really exists in the emulator.
#![allow(dead_code)] // each test binary uses a different part

pub mod faults;
pub mod scenarios;

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{Ipv4Addr, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

pub const REGION: &str = "us-east-1";
/// moto's fixed account.
pub const ACCOUNT: &str = "123456789012";
/// The tag the provider marks what it creates with (never shown in `tags`).
pub const OWNERSHIP_TAG: &str = "clusteriam:created-by";

/// An IAM object's tags without the ownership mark.
pub fn without_mark(
    mut tags: std::collections::BTreeMap<String, String>,
) -> std::collections::BTreeMap<String, String> {
    tags.remove(OWNERSHIP_TAG);
    tags
}

/// An IAM tag, for objects a test makes as a person or another party would.
pub fn iam_tag(key: &str, value: &str) -> aws_sdk_iam::types::Tag {
    aws_sdk_iam::types::Tag::builder()
        .key(key)
        .value(value)
        .build()
        .expect("a tag has a key and a value")
}

fn repo_root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// A moto server on a loopback port of its own, stopped when dropped (also when
/// the test panics).
pub struct Emulator {
    pid: u32,
    pub url: String,
    /// What the emulator printed: its request log and errors.
    log: tempfile::NamedTempFile,
    /// An administrator's access keys by account, once the test has made
    /// them: moto then enforces IAM (tests/permissions.rs), refuses the
    /// `testing` keys, and the test's own clients use these instead.
    admin_keys: std::sync::Mutex<std::collections::BTreeMap<String, (String, String)>>,
}

/// An IAM client for the emulator at `url`, for code that has only the URL
/// (e.g. an interloper running beside the fault proxy).
pub fn iam_at(url: &str) -> aws_sdk_iam::Client {
    let config = block_on(
        aws_config::defaults(aws_config::BehaviorVersion::latest())
            .region(aws_config::Region::new(REGION))
            .endpoint_url(url)
            .credentials_provider(aws_credential_types::Credentials::new(
                "testing", "testing", None, None, "test",
            ))
            .load(),
    );
    aws_sdk_iam::Client::new(&config)
}

/// The emulators' fork server (tests/common/moto_forkserver.py): one warm
/// moto process that forks a fresh emulator per test, instead of a
/// `moto_server` per test paying moto's start (a third of the suite's CPU).
/// Started by the first test that needs an emulator; it ends with the test
/// process, whose end closes its stdin, and takes its children with it.
struct ForkServer {
    _process: Child,
    requests: std::process::ChildStdin,
    answers: BufReader<std::process::ChildStdout>,
}

impl ForkServer {
    fn start() -> ForkServer {
        let venv = repo_root().join(".venv/bin");
        assert!(
            venv.join("moto_server").exists(),
            "the AWS emulator is not installed: {} is missing. Run `scripts/setup` (the README's \
             test command `scripts/test` does it for you).",
            venv.join("moto_server").display()
        );
        let mut process = Command::new(venv.join("python"))
            .arg(repo_root().join("tests/common/moto_forkserver.py"))
            // AWS's own managed policies (such as the Rancher Prime billing
            // adapter's AWSMarketplaceMeteringFullAccess) exist, as in AWS.
            .env("MOTO_IAM_LOAD_MANAGED_POLICIES", "true")
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .spawn()
            .expect("starting the emulators' fork server");
        let mut server = ForkServer {
            requests: process.stdin.take().expect("piped stdin"),
            answers: BufReader::new(process.stdout.take().expect("piped stdout")),
            _process: process,
        };
        let ready = server.answer();
        assert_eq!(
            ready.as_deref(),
            Ok("ready"),
            "the emulators' fork server did not start (its error is above)"
        );
        server
    }

    fn ask(&mut self, request: &str) -> Result<String, String> {
        writeln!(self.requests, "{request}")
            .map_err(|e| format!("the emulators' fork server is gone: {e}"))?;
        self.answer()
    }

    fn answer(&mut self) -> Result<String, String> {
        let mut line = String::new();
        match self.answers.read_line(&mut line) {
            Ok(0) => Err("the emulators' fork server ended".to_string()),
            Ok(_) => Ok(line.trim().to_string()),
            Err(e) => Err(format!("reading the emulators' fork server: {e}")),
        }
    }
}

fn fork_server() -> std::sync::MutexGuard<'static, ForkServer> {
    static SERVER: std::sync::OnceLock<std::sync::Mutex<ForkServer>> = std::sync::OnceLock::new();
    SERVER
        .get_or_init(|| std::sync::Mutex::new(ForkServer::start()))
        .lock()
        // A test that panicked while asking leaves the server usable.
        .unwrap_or_else(std::sync::PoisonError::into_inner)
}

impl Emulator {
    pub fn start() -> Emulator {
        let log = tempfile::NamedTempFile::new().expect("temp file for the emulator log");
        let answer = fork_server()
            .ask(&format!("start {}", log.path().display()))
            .unwrap_or_else(|e| panic!("starting an emulator: {e}"));
        let Some((port, pid)) = answer
            .split_once(' ')
            .and_then(|(port, pid)| Some((port.parse::<u16>().ok()?, pid.parse().ok()?)))
        else {
            let said = std::fs::read_to_string(log.path()).unwrap_or_default();
            panic!("starting an emulator: {answer}\n{said}");
        };
        let emulator = Emulator {
            pid,
            url: format!("http://127.0.0.1:{port}"),
            log,
            admin_keys: Default::default(),
        };
        let deadline = Instant::now() + Duration::from_secs(60);
        while !http_ok(port, "/moto-api/") {
            assert!(
                Instant::now() < deadline,
                "the emulator did not answer within 60s:\n{}",
                emulator.said()
            );
            std::thread::sleep(Duration::from_millis(20));
        }
        emulator
    }

    /// What the emulator printed so far.
    fn said(&self) -> String {
        std::fs::read_to_string(self.log.path()).unwrap_or_default()
    }

    /// An SDK config pointed at the emulator, for checking AWS from tests.
    pub fn sdk_config(&self) -> aws_config::SdkConfig {
        self.admin_config(ACCOUNT)
            .unwrap_or_else(|| self.config_with("testing", "testing"))
    }

    /// From now on the test's clients act in `account` with these keys
    /// (an administrator's, made before enforcement was turned on).
    pub fn use_admin_keys(&self, account: &str, key_id: &str, secret: &str) {
        self.admin_keys.lock().unwrap().insert(
            account.to_string(),
            (key_id.to_string(), secret.to_string()),
        );
    }

    /// An SDK config with the administrator's keys of `account`, when
    /// [`Emulator::use_admin_keys`] gave them (moto finds the account from the keys).
    pub fn admin_config(&self, account: &str) -> Option<aws_config::SdkConfig> {
        let keys = self.admin_keys.lock().unwrap().get(account).cloned();
        keys.map(|(id, secret)| self.config_with(&id, &secret))
    }

    fn config_with(&self, key_id: &str, secret: &str) -> aws_config::SdkConfig {
        block_on(
            aws_config::defaults(aws_config::BehaviorVersion::latest())
                .region(aws_config::Region::new(REGION))
                .endpoint_url(&self.url)
                .credentials_provider(aws_credential_types::Credentials::new(
                    key_id, secret, None, None, "test",
                ))
                .load(),
        )
    }
    pub fn iam(&self) -> aws_sdk_iam::Client {
        aws_sdk_iam::Client::new(&self.sdk_config())
    }
    pub fn ec2(&self) -> aws_sdk_ec2::Client {
        aws_sdk_ec2::Client::new(&self.sdk_config())
    }
    pub fn eks(&self) -> aws_sdk_eks::Client {
        aws_sdk_eks::Client::new(&self.sdk_config())
    }

    /// The provider block every test configuration starts from.
    pub fn provider_block(&self) -> String {
        provider_block_for(&self.url)
    }
}

/// The provider block with every endpoint at `url` (the emulator, or a
/// proxy in front of it).
pub fn provider_block_for(url: &str) -> String {
    provider_block_with_eks(url, url)
}

/// The same, with EKS at its own `eks` URL.
pub fn provider_block_with_eks(url: &str, eks: &str) -> String {
    format!(
        r#"
terraform {{
  required_providers {{
    clusteriam = {{ source = "clusteriam/clusteriam" }}
  }}
}}

provider "clusteriam" {{
  region              = "{REGION}"
  propagation_timeout = "20s"
  endpoints {{
    iam = "{url}"
    sts = "{url}"
    ec2 = "{url}"
    eks = "{eks}"
  }}
}}
"#
    )
}

impl Drop for Emulator {
    fn drop(&mut self) {
        let _ = fork_server().ask(&format!("stop {}", self.pid));
        // A test must not depend on what the emulator lacks (design.md): an
        // action it does not implement answers 500, which the provider
        // retries as AWS's own failure, and a test passing that way proves
        // nothing about AWS. Not while unwinding: that would abort.
        let said = self.said();
        let mut gaps: Vec<&str> = said
            .lines()
            .filter(|line| line.starts_with("NotImplementedError"))
            .collect();
        gaps.dedup();
        if !gaps.is_empty() && !std::thread::panicking() {
            panic!(
                "the emulator was asked for actions it does not implement, so this test \
                 depends on its gaps; answer them in the fault proxy as AWS does (see \
                 Faults::emulate_client_ids) or avoid them:\n{}",
                gaps.join("\n")
            );
        }
    }
}

fn http_ok(port: u16, path: &str) -> bool {
    let Ok(mut conn) = TcpStream::connect((Ipv4Addr::LOCALHOST, port)) else {
        return false;
    };
    let _ = conn.set_read_timeout(Some(Duration::from_secs(5)));
    if conn
        .write_all(format!("GET {path} HTTP/1.0\r\nHost: 127.0.0.1\r\n\r\n").as_bytes())
        .is_err()
    {
        return false;
    }
    let mut head = [0u8; 12];
    conn.read_exact(&mut head).is_ok() && head.starts_with(b"HTTP/1.") && &head[9..12] == b"200"
}

pub fn block_on<F: std::future::Future>(fut: F) -> F::Output {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("tokio runtime")
        .block_on(fut)
}

/// The outcome of one terraform command.
#[derive(Debug)]
pub struct Run {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

impl Run {
    pub fn output(&self) -> String {
        format!("{}\n{}", self.stdout, self.stderr)
    }
    /// Whether the output contains `needle`, ignoring how Terraform wrapped
    /// and framed its diagnostics.
    pub fn mentions(&self, needle: &str) -> bool {
        let flat = |s: &str| s.split_whitespace().collect::<Vec<_>>().join(" ");
        flat(&self.output().replace('│', " ")).contains(&flat(needle))
    }
    #[track_caller]
    pub fn assert_ok(&self) -> &Self {
        assert_eq!(self.code, 0, "terraform failed:\n{}", self.output());
        self
    }
    /// Asserts failure whose output contains every one of `needles`.
    #[track_caller]
    pub fn assert_error(&self, needles: &[&str]) -> &Self {
        assert_ne!(
            self.code,
            0,
            "terraform should have failed:\n{}",
            self.output()
        );
        for needle in needles {
            assert!(
                self.mentions(needle),
                "expected `{needle}` in:\n{}",
                self.output()
            );
        }
        self
    }
}

/// A Terraform working directory using the freshly built provider.
pub struct Workspace {
    dir: tempfile::TempDir,
    env: Vec<(String, String)>,
    removed_env: Vec<String>,
}

/// The Terraform (or OpenTofu) binary the tests run: `TF_BIN`, else
/// `terraform` on PATH; checked once per test run, not before every command.
pub fn terraform_bin() -> String {
    static BIN: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    BIN.get_or_init(|| {
        let bin = std::env::var("TF_BIN").unwrap_or_else(|_| "terraform".to_string());
        let found = Command::new(&bin)
            .arg("version")
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .status();
        assert!(
            matches!(found, Ok(s) if s.success()),
            "`{bin}` was not found or does not run: the acceptance tests need Terraform 1.x on PATH \
             (or TF_BIN pointing at Terraform or OpenTofu)"
        );
        bin
    })
    .clone()
}

impl Workspace {
    pub fn new() -> Workspace {
        let dir = tempfile::tempdir().expect("temp dir");
        let plugin_dir = Path::new(env!("CARGO_BIN_EXE_terraform-provider-clusteriam"))
            .parent()
            .expect("binary dir")
            .to_path_buf();
        let cli_config = dir.path().join("terraform.rc");
        std::fs::write(
            &cli_config,
            format!(
                "provider_installation {{\n  dev_overrides {{\n    \"clusteriam/clusteriam\" = \"{}\"\n  }}\n  direct {{}}\n}}\n",
                plugin_dir.display()
            ),
        )
        .expect("writing the CLI config");
        let env = vec![
            (
                "TF_CLI_CONFIG_FILE".to_string(),
                cli_config.display().to_string(),
            ),
            ("TF_IN_AUTOMATION".to_string(), "1".to_string()),
            ("CHECKPOINT_DISABLE".to_string(), "1".to_string()),
            // Terraform is a third of the suite's CPU, and a short-lived Go
            // process spends a good part of it collecting garbage it would
            // free at exit anyway. Collecting only past 1 GiB changes nothing
            // Terraform does, and took 15% off an area's CPU (BENCHMARKS.md).
            ("GOGC".to_string(), "off".to_string()),
            ("GOMEMLIMIT".to_string(), "1GiB".to_string()),
            ("AWS_ACCESS_KEY_ID".to_string(), "testing".to_string()),
            ("AWS_SECRET_ACCESS_KEY".to_string(), "testing".to_string()),
            ("AWS_EC2_METADATA_DISABLED".to_string(), "true".to_string()),
            // Never read the developer's own AWS files.
            (
                "AWS_CONFIG_FILE".to_string(),
                dir.path().join("no-aws-config").display().to_string(),
            ),
            (
                "AWS_SHARED_CREDENTIALS_FILE".to_string(),
                dir.path().join("no-aws-credentials").display().to_string(),
            ),
        ];
        // Refresh reads are per resource in every suite, and in bulk when
        // `bulk_reads` runs the suites again (CI runs both): its tests are
        // the ones whose names (libtest names each test's thread) start
        // with `bulk_reads::`.
        let bulk_reads = if running_under("bulk_reads::") {
            "always"
        } else {
            "never"
        };
        let mut env = env;
        env.push(("CLUSTERIAM_BULK_READS".to_string(), bulk_reads.to_string()));
        let removed_env = [
            "AWS_PROFILE",
            "AWS_REGION",
            "AWS_DEFAULT_REGION",
            "AWS_SESSION_TOKEN",
            "AWS_ENDPOINT_URL",
            // The retry settings a user would not have: tests run with the defaults.
            "AWS_MAX_ATTEMPTS",
            "AWS_RETRY_MODE",
            "TF_LOG",
            // A developer's proxy would carry the emulator's plain HTTP
            // elsewhere, which the provider refuses.
            "HTTP_PROXY",
            "http_proxy",
            "ALL_PROXY",
            "all_proxy",
        ]
        .map(String::from)
        .to_vec();
        Workspace {
            dir,
            env,
            removed_env,
        }
    }

    pub fn path(&self) -> &Path {
        self.dir.path()
    }

    pub fn set_env(&mut self, key: &str, value: &str) {
        self.env.retain(|(k, _)| k != key);
        self.env.push((key.to_string(), value.to_string()));
    }

    pub fn remove_env(&mut self, key: &str) {
        self.env.retain(|(k, _)| k != key);
        self.removed_env.push(key.to_string());
    }

    /// Copies the .tf files of `examples/<dir>` (and its subdirectories) here.
    pub fn copy_example(&self, dir: &str) {
        copy_tf(&repo_root().join("examples").join(dir), self.dir.path());
    }

    /// Replaces the configuration with `main.tf` = `hcl`.
    pub fn write(&self, hcl: &str) {
        std::fs::write(self.dir.path().join("main.tf"), hcl).expect("writing main.tf");
    }

    /// Gives `cmd` this workspace's environment.
    pub fn configure(&self, cmd: &mut Command) {
        for key in &self.removed_env {
            cmd.env_remove(key);
        }
        cmd.envs(self.env.iter().map(|(k, v)| (k, v)));
    }

    pub fn run(&self, args: &[&str]) -> Run {
        let mut cmd = Command::new(terraform_bin());
        cmd.args(args).current_dir(self.dir.path());
        self.configure(&mut cmd);
        let out = cmd.output().expect("running terraform");
        Run {
            code: out.status.code().unwrap_or(-1),
            stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
            stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
        }
    }

    pub fn apply(&self) -> Run {
        self.run(&["apply", "-auto-approve", "-no-color", "-input=false"])
    }
    pub fn destroy(&self) -> Run {
        self.run(&["destroy", "-auto-approve", "-no-color", "-input=false"])
    }
    pub fn validate(&self) -> Run {
        self.run(&["validate", "-no-color"])
    }
    pub fn plan(&self) -> Run {
        self.run(&["plan", "-no-color", "-input=false", "-detailed-exitcode"])
    }
    pub fn import(&self, address: &str, id: &str) -> Run {
        self.run(&["import", "-no-color", "-input=false", address, id])
    }

    /// Asserts that a plan shows no changes, and that a drift check
    /// (`plan -refresh-only -detailed-exitcode`, as CI pipelines run it)
    /// finds none either.
    #[track_caller]
    pub fn assert_no_changes(&self) {
        let run = self.plan();
        assert_eq!(run.code, 0, "expected an empty plan:\n{}", run.output());
        let drift = self.run(&[
            "plan",
            "-no-color",
            "-input=false",
            "-refresh-only",
            "-detailed-exitcode",
        ]);
        assert_eq!(
            drift.code,
            0,
            "expected a refresh-only plan without changes:\n{}",
            drift.output()
        );
    }

    /// Asserts that a plan shows changes whose text contains every one of `needles`.
    #[track_caller]
    pub fn assert_changes(&self, needles: &[&str]) -> Run {
        let run = self.plan();
        assert_eq!(
            run.code,
            2,
            "expected a plan with changes:\n{}",
            run.output()
        );
        for needle in needles {
            assert!(
                run.stdout.contains(needle),
                "expected `{needle}` in the plan:\n{}",
                run.stdout
            );
        }
        run
    }

    /// The value of a root module output.
    #[track_caller]
    pub fn output(&self, name: &str) -> serde_json::Value {
        let run = self.run(&["output", "-json", name]);
        run.assert_ok();
        serde_json::from_str(&run.stdout).expect("terraform output -json")
    }

    /// The attributes of a resource or data source instance in state.
    #[track_caller]
    pub fn state_attributes(&self, address: &str) -> serde_json::Value {
        let run = self.run(&["show", "-json"]);
        run.assert_ok();
        let state: serde_json::Value =
            serde_json::from_str(&run.stdout).expect("terraform show -json");
        state["values"]["root_module"]["resources"]
            .as_array()
            .and_then(|resources| resources.iter().find(|r| r["address"] == address))
            .map(|r| r["values"].clone())
            .unwrap_or_else(|| panic!("`{address}` is not in state:\n{}", run.stdout))
    }
}

/// Whether the running test's path starts with `prefix` (libtest runs each
/// test on a thread named after it).
fn running_under(prefix: &str) -> bool {
    std::thread::current()
        .name()
        .is_some_and(|name| name.starts_with(prefix))
}

fn copy_tf(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).expect("creating a directory");
    for entry in
        std::fs::read_dir(from).unwrap_or_else(|e| panic!("reading {}: {e}", from.display()))
    {
        let path = entry.expect("a directory entry").path();
        if path.is_dir() {
            copy_tf(&path, &to.join(path.file_name().unwrap()));
        } else if path.extension().is_some_and(|e| e == "tf") {
            std::fs::copy(&path, to.join(path.file_name().unwrap())).expect("copying an example");
        }
    }
}

/// The example directories that hold Terraform files, relative to `examples/`.
pub fn example_dirs() -> Vec<String> {
    fn walk(root: &Path, dir: &Path, out: &mut Vec<String>) {
        let mut has_tf = false;
        for entry in std::fs::read_dir(dir).unwrap().map(Result::unwrap) {
            let path = entry.path();
            if path.is_dir() {
                walk(root, &path, out);
            } else if path.extension().is_some_and(|e| e == "tf") {
                has_tf = true;
            }
        }
        if has_tf {
            out.push(dir.strip_prefix(root).unwrap().display().to_string());
        }
    }
    let root = repo_root().join("examples");
    let mut out = Vec::new();
    walk(&root, &root, &mut out);
    out.sort();
    out
}

/// The JSON documents printed in a seed file whose name starts with `prefix`
/// (e.g. "002"), in order: the fenced blocks that hold a policy `Statement`.
pub fn seed_documents(prefix: &str) -> Vec<String> {
    let dir = std::env::var("CLUSTERIAM_SEEDS_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|_| repo_root().join("../shared/seeds"));
    let entries = std::fs::read_dir(&dir).unwrap_or_else(|e| {
        panic!(
            "the seeds directory is missing: looked for {} ({e}); set CLUSTERIAM_SEEDS_DIR",
            dir.display()
        )
    });
    let file = entries
        .filter_map(Result::ok)
        .find(|e| e.file_name().to_string_lossy().starts_with(prefix))
        .unwrap_or_else(|| panic!("no seed file {prefix}_* in {}", dir.display()));
    let text = std::fs::read_to_string(file.path()).expect("reading the seed");
    text.split("```")
        .skip(1)
        .step_by(2)
        .map(|block| {
            block
                .split_once('\n')
                .map_or(block, |(_, body)| body)
                .to_string()
        })
        .filter(|body| body.contains("\"Statement\"") && !body.contains("\"Role\""))
        .collect()
}

/// A document of `shared/seeds/current/` (today's published policies), by
/// file name, as printed.
pub fn current_document(file: &str) -> String {
    let dir = std::env::var("CLUSTERIAM_SEEDS_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|_| repo_root().join("../shared/seeds"));
    let path = dir.join("current").join(file);
    std::fs::read_to_string(&path)
        .unwrap_or_else(|e| panic!("reading today's document {}: {e}", path.display()))
}
