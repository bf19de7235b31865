//! Acceptance: the provider block — credentials from the environment, and a
//! clear diagnostic naming the setting for each misconfiguration.

use crate::common;

use std::io::{Read, Write};
use std::net::{Ipv4Addr, TcpListener};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use common::{Emulator, Workspace};

/// A configuration that makes the provider configure (a data source needs it).
fn config(provider_body: &str) -> String {
    format!(
        r#"
terraform {{
  required_providers {{
    clusteriam = {{ source = "clusteriam/clusteriam" }}
  }}
}}
provider "clusteriam" {{
{provider_body}
}}
data "clusteriam_policy_document" "probe" {{
  preset = "rancher_etcd_worker"
}}
"#
    )
}

fn endpoints(url: &str) -> String {
    format!(
        "endpoints {{\n iam = \"{url}\"\n sts = \"{url}\"\n ec2 = \"{url}\"\n eks = \"{url}\"\n }}"
    )
}

#[test]
fn credentials_and_region_come_from_the_aws_environment() {
    let aws = Emulator::start();
    let mut ws = Workspace::new();
    ws.set_env("AWS_REGION", "eu-central-1");
    ws.write(&config(&endpoints(&aws.url)));
    ws.plan().assert_ok();
}

#[test]
fn static_keys_in_the_provider_block_work_without_environment_credentials() {
    let aws = Emulator::start();
    let mut ws = Workspace::new();
    ws.remove_env("AWS_ACCESS_KEY_ID");
    ws.remove_env("AWS_SECRET_ACCESS_KEY");
    ws.write(&config(&format!(
        "region = \"us-east-1\"\naccess_key = \"AKIDEXAMPLE\"\nsecret_key = \"s3cr3t-value-never-logged\"\n{}",
        endpoints(&aws.url)
    )));
    let run = ws.plan();
    run.assert_ok();
    assert!(!run.output().contains("s3cr3t-value-never-logged"));
}

#[test]
fn missing_region_is_reported_on_region() {
    let aws = Emulator::start();
    let ws = Workspace::new();
    ws.write(&config(&endpoints(&aws.url)));
    ws.plan()
        .assert_error(&["No AWS region", "Set `region` in the provider block"]);
}

#[test]
fn missing_credentials_are_reported_with_a_remedy() {
    let aws = Emulator::start();
    let mut ws = Workspace::new();
    ws.remove_env("AWS_ACCESS_KEY_ID");
    ws.remove_env("AWS_SECRET_ACCESS_KEY");
    ws.write(&config(&format!(
        "region = \"us-east-1\"\n{}",
        endpoints(&aws.url)
    )));
    ws.plan()
        .assert_error(&["No valid AWS credentials found", "AWS_ACCESS_KEY_ID"]);
}

#[test]
fn half_a_key_pair_is_rejected_at_validate() {
    let ws = Workspace::new();
    ws.write(&config(
        "region = \"us-east-1\"\naccess_key = \"AKIDEXAMPLE\"",
    ));
    ws.validate()
        .assert_error(&["Missing `secret_key`", "`access_key` is set"]);
}

#[test]
fn malformed_assume_role_arn_is_rejected_at_validate() {
    let ws = Workspace::new();
    ws.write(&config(
        "region = \"us-east-1\"\nassume_role {\n role_arn = \"arn:aws:iam::123456789012:user/terraform\"\n}",
    ));
    ws.validate()
        .assert_error(&["Invalid `assume_role.role_arn`", "is not an IAM role ARN"]);
    ws.write(&config(
        "region = \"us-east-1\"\nassume_role {\n role_arn = \"terraform\"\n}",
    ));
    ws.validate()
        .assert_error(&["Invalid `assume_role.role_arn`", "not a valid ARN"]);
    ws.write(&config(
        "region = \"us-east-1\"\nassume_role {\n role_arn = \"arn:aws:iam::123456789012:role/t\"\n duration = \"13h\"\n}",
    ));
    ws.validate()
        .assert_error(&["Invalid `assume_role.duration`", "between 15m and 12h"]);
}

#[test]
fn assume_role_reaches_the_target_account_through_sts() {
    let aws = Emulator::start();
    let ws = Workspace::new();
    let hcl = config(&format!(
        "region = \"us-east-1\"\nassume_role {{\n role_arn = \"arn:aws:iam::111122223333:role/terraform\"\n session_name = \"ci\"\n}}\n{}",
        endpoints(&aws.url)
    ))
    .replace("rancher_etcd_worker", "kkp_account");
    ws.write(&(hcl + "output \"json\" { value = data.clusteriam_policy_document.probe.json }\n"));
    ws.apply().assert_ok();
    // The caller is now the assumed role's account.
    let json = ws.output("json");
    assert!(
        json.as_str()
            .unwrap()
            .contains("arn:aws:iam::111122223333:role/kubernetes-*"),
        "{json}"
    );
}

/// Runs `terraform plan` and returns it with how long it took.
fn timed_plan(ws: &Workspace) -> (common::Run, Duration) {
    let started = Instant::now();
    let run = ws.plan();
    (run, started.elapsed())
}

/// Debug output of the SDK and hyper that must never reach a diagnostic.
#[track_caller]
fn assert_no_debug_dump(run: &common::Run) {
    for dump in [
        "DispatchFailure",
        "SdkBody",
        "hyper_util",
        "ConnectorError",
        "Some(",
    ] {
        assert!(
            !run.output().contains(dump),
            "`{dump}` in the diagnostics:\n{}",
            run.output()
        );
    }
}

/// A configuration mistake fails at once with the default retries (25).
const FAST: Duration = Duration::from_secs(5);

#[test]
fn unreachable_endpoint_fails_fast_naming_it() {
    let ws = Workspace::new();
    // Port 9 (discard) on loopback: nothing listens there.
    ws.write(&config(&format!(
        "region = \"us-east-1\"\n{}",
        endpoints("http://127.0.0.1:9")
    )));
    // Terraform itself takes a moment: time a plan that needs no AWS call.
    let offline = Workspace::new();
    offline.write(&config(
        "region = \"us-east-1\"\nskip_credentials_validation = true",
    ));
    let (_, baseline) = timed_plan(&offline);
    let (run, took) = timed_plan(&ws);
    run.assert_error(&[
        "Cannot reach the AWS STS endpoint",
        "could not connect to the STS endpoint `http://127.0.0.1:9`",
        "the connection was refused",
        "endpoints.sts",
        "skip_credentials_validation",
    ]);
    assert_no_debug_dump(&run);
    assert!(
        took < baseline + FAST,
        "a refused connection is not retried: {took:?} (a plan without AWS: {baseline:?})"
    );
}

/// A web server that is not AWS: answers every request with `status` and an HTML page.
struct NotAws {
    url: String,
    stop: Arc<AtomicBool>,
    thread: Option<std::thread::JoinHandle<()>>,
}

impl NotAws {
    fn start(status: u16) -> NotAws {
        let listener = TcpListener::bind((Ipv4Addr::LOCALHOST, 0)).unwrap();
        listener.set_nonblocking(true).unwrap();
        let url = format!("http://{}", listener.local_addr().unwrap());
        let stop = Arc::new(AtomicBool::new(false));
        let thread = {
            let stop = stop.clone();
            std::thread::spawn(move || {
                while !stop.load(Ordering::Relaxed) {
                    let Ok((mut conn, _)) = listener.accept() else {
                        std::thread::sleep(Duration::from_millis(5));
                        continue;
                    };
                    conn.set_nonblocking(false).unwrap();
                    conn.set_read_timeout(Some(Duration::from_millis(500)))
                        .unwrap();
                    let mut buf = [0u8; 65536];
                    let _ = conn.read(&mut buf);
                    let body = format!(
                        "<!DOCTYPE html><html><head><title>{status}</title></head><body>nginx</body></html>"
                    );
                    let _ = write!(
                        conn,
                        "HTTP/1.1 {status} Whatever\r\nContent-Type: text/html\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
                        body.len()
                    );
                }
            })
        };
        NotAws {
            url,
            stop,
            thread: Some(thread),
        }
    }
}

impl Drop for NotAws {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::Relaxed);
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

/// A web server at the endpoints: a 404 fails at once; a 500 is retried
/// (a server error can pass) and then says the same. Neither is blamed on
/// the credentials, and without the STS call the first read says it too.
#[test]
fn an_endpoint_that_is_not_aws_is_named_and_not_blamed_on_credentials() {
    let offline = Workspace::new();
    offline.write(&config(
        "region = \"us-east-1\"\nskip_credentials_validation = true",
    ));
    let (_, baseline) = timed_plan(&offline);
    for (status, retries, says) in [
        (404, "", "answered HTTP 404 with an HTML page"),
        (
            500,
            "max_retries = 1\n",
            "answered HTTP 500 with an HTML page on all 2 attempts",
        ),
    ] {
        let server = NotAws::start(status);
        // With a path, the error names the endpoint whole: the path is the
        // part most likely wrong.
        let url = match status {
            404 => format!("{}/emulator/aws", server.url),
            _ => server.url.clone(),
        };
        let ws = Workspace::new();
        ws.write(&config(&format!(
            "region = \"us-east-1\"\n{retries}{}",
            endpoints(&url)
        )));
        let (run, took) = timed_plan(&ws);
        run.assert_error(&[
            "The STS endpoint does not answer like AWS",
            &format!("the STS endpoint `{url}` {says}"),
            "not an AWS API endpoint",
        ]);
        assert!(
            !run.mentions("Invalid AWS credentials") && !run.mentions("access key"),
            "not a credentials problem:\n{}",
            run.output()
        );
        assert_no_debug_dump(&run);
        if status == 404 {
            assert!(
                took < baseline + FAST,
                "HTTP 404 is not retried: {took:?} (a plan without AWS: {baseline:?})"
            );
        }

        // Without the STS call, the first read says the same.
        ws.write(&format!(
            "{}\ndata \"clusteriam_eks_cluster_oidc\" \"c\" {{\n  cluster_name = \"c\"\n}}\n",
            config(&format!(
                "region = \"us-east-1\"\nskip_credentials_validation = true\n{retries}{}",
                endpoints(&url)
            ))
        ));
        let run = ws.plan();
        run.assert_error(&[
            "reading EKS cluster (`c`)",
            &format!("the EKS endpoint `{url}` answered HTTP {status}"),
            "`endpoints.eks`",
        ]);
        assert!(!run.mentions("no message"), "{}", run.output());
    }
}

#[test]
fn a_profile_that_does_not_exist_is_named() {
    let mut ws = Workspace::new();
    // Instance metadata on, as for a user (at a closed port, to be quick):
    // the SDK's chain ends there when the profile is missing.
    ws.remove_env("AWS_EC2_METADATA_DISABLED");
    ws.set_env("AWS_EC2_METADATA_SERVICE_ENDPOINT", "http://127.0.0.1:9");
    ws.remove_env("AWS_ACCESS_KEY_ID");
    ws.remove_env("AWS_SECRET_ACCESS_KEY");
    ws.write(&config("region = \"us-east-1\"\nprofile = \"nope\""));
    let run = ws.plan();
    run.assert_error(&[
        "AWS profile not found",
        "`profile` names the profile `nope`",
        "in none of the shared config files",
    ]);
    assert!(
        run.output().contains("on main.tf line") && run.output().contains("profile"),
        "{}",
        run.output()
    );
    assert!(!run.mentions("IMDS"), "{}", run.output());
    assert_no_debug_dump(&run);
}

#[test]
fn credential_errors_are_sentences_without_debug_dumps() {
    let mut ws = Workspace::new();
    ws.remove_env("AWS_EC2_METADATA_DISABLED");
    ws.set_env("AWS_EC2_METADATA_SERVICE_ENDPOINT", "http://127.0.0.1:9");
    ws.remove_env("AWS_ACCESS_KEY_ID");
    ws.remove_env("AWS_SECRET_ACCESS_KEY");
    ws.write(&config("region = \"us-east-1\""));
    let run = ws.plan();
    run.assert_error(&["No valid AWS credentials found", "AWS_ACCESS_KEY_ID"]);
    assert_no_debug_dump(&run);
}

#[test]
fn bad_endpoint_url_and_timeout_are_rejected_at_validate() {
    let ws = Workspace::new();
    ws.write(&config(
        "region = \"us-east-1\"\nendpoints {\n iam = \"localhost:5000\"\n}",
    ));
    ws.validate()
        .assert_error(&["Invalid `endpoints.iam`", "http:// or https:// URL"]);
    ws.write(&config(
        "region = \"us-east-1\"\npropagation_timeout = \"two minutes\"",
    ));
    ws.validate()
        .assert_error(&["Invalid `propagation_timeout`", "is not a duration"]);
}

/// The emulator enforcing IAM refuses in a shape the SDK does not read
/// (`<ErrorResponse><Errors><Error>`, as `text/html` in its 5.2.6 release):
/// a refused action is still AccessDenied naming it, with the permissions
/// guide, and refused keys are still "Invalid AWS credentials", never
/// "probably not an AWS API endpoint" (issue 26).
#[test]
fn refusals_in_an_unusual_shape_are_named_for_what_they_are() {
    let aws = Emulator::start();
    let reader = crate::permissions::user_with_keys(
        &aws.iam(),
        "reader",
        Some(
            r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["sts:GetCallerIdentity","iam:GetRole","iam:GetAccountSummary"],"Resource":"*"}]}"#,
        ),
    );
    crate::permissions::enforce(&aws);
    let mut ws = Workspace::new();
    ws.set_env("AWS_ACCESS_KEY_ID", &reader.id);
    ws.set_env("AWS_SECRET_ACCESS_KEY", &reader.secret);
    ws.write(&format!(
        "{}\nresource \"clusteriam_eks_connector_agent_role\" \"agent\" {{}}\n",
        aws.provider_block()
    ));
    let run = ws.apply();
    run.assert_error(&[
        "creating IAM role (`AmazonEKSConnectorAgentRole`)",
        "AccessDenied: User: arn:aws:iam::123456789012:user/reader is not authorized to perform: iam:CreateRole",
        "docs/guides/permissions.md",
    ]);
    assert!(!run.mentions("not an AWS API endpoint"), "{}", run.output());

    ws.set_env("AWS_ACCESS_KEY_ID", "AKIAIOSFODNN7EXAMPLE");
    let run = ws.plan();
    run.assert_error(&["Invalid AWS credentials", "InvalidClientTokenId"]);
    assert!(!run.mentions("not an AWS API endpoint"), "{}", run.output());
}
