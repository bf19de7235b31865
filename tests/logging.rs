//! Provider logs reach Terraform's log (TF_LOG) at their own levels, and
//! DEBUG shows every AWS call with its operation, duration and retries.

use crate::common;

use common::{Emulator, Workspace};

fn config(aws: &Emulator) -> String {
    format!(
        "{}\nresource \"clusteriam_rancher_node_role\" \"worker\" {{\n  name      = \"logged-worker\"\n  node_role = \"worker\"\n}}\n",
        aws.provider_block()
    )
}

#[test]
fn debug_log_shows_each_aws_call_at_debug_level() {
    let aws = Emulator::start();
    let mut ws = Workspace::new();
    let log = ws.path().join("terraform.log");
    ws.set_env("TF_LOG", "DEBUG");
    ws.set_env("TF_LOG_PATH", log.to_str().unwrap());
    ws.write(&config(&aws));
    ws.apply().assert_ok();
    let text = std::fs::read_to_string(&log).expect("terraform wrote its log");
    let calls: Vec<&str> = text
        .lines()
        .filter(|l| {
            l.contains("[DEBUG] provider.terraform-provider-clusteriam") && l.contains("AWS call")
        })
        .collect();
    for operation in [
        "GetCallerIdentity",
        "CreateRole",
        "PutRolePolicy",
        "CreateInstanceProfile",
        "AddRoleToInstanceProfile",
        "GetRole",
    ] {
        let line = calls
            .iter()
            .find(|l| l.contains(&format!("operation={operation} ")) && l.contains("outcome=ok"))
            .unwrap_or_else(|| {
                panic!(
                    "no DEBUG line for {operation} in the log:\n{}",
                    calls.join("\n")
                )
            });
        for field in ["service=", "duration_ms=", "attempts=", "retries="] {
            assert!(line.contains(field), "`{field}` missing from: {line}");
        }
    }
    assert!(
        text.contains("role=logged-worker"),
        "the resource name appears in the call logs"
    );
    ws.destroy().assert_ok();
}

#[test]
fn info_log_leaves_out_debug_lines() {
    let aws = Emulator::start();
    let mut ws = Workspace::new();
    let log = ws.path().join("terraform.log");
    ws.set_env("TF_LOG", "INFO");
    ws.set_env("TF_LOG_PATH", log.to_str().unwrap());
    ws.write(&config(&aws));
    ws.apply().assert_ok();
    let text = std::fs::read_to_string(&log).expect("terraform wrote its log");
    assert!(
        !text.contains("AWS call"),
        "DEBUG lines leaked into an INFO log"
    );
    ws.destroy().assert_ok();
}

/// A throttling storm at the start: the configure-time STS call is
/// throttled 3 times in a row, and the DEBUG log shows each retry with the
/// operation, the attempt, the reason and the wait.
#[test]
fn debug_log_shows_each_retry_with_its_reason() {
    let aws = Emulator::start();
    let proxy = common::faults::FaultProxy::start(&aws.url, Default::default());
    proxy.burst(0, 3);
    let mut ws = Workspace::new();
    let log = ws.path().join("terraform.log");
    ws.set_env("TF_LOG", "DEBUG");
    ws.set_env("TF_LOG_PATH", log.to_str().unwrap());
    ws.write(&format!(
        "{}\ndata \"clusteriam_policy_document\" \"p\" {{\n  preset = \"rancher_etcd_worker\"\n}}\n",
        common::provider_block_for(&proxy.url)
    ));
    ws.plan().assert_ok();
    let text = std::fs::read_to_string(&log).expect("terraform wrote its log");
    let retries: Vec<&str> = text
        .lines()
        .filter(|l| {
            l.contains("[DEBUG] provider.terraform-provider-clusteriam")
                && l.contains("retrying AWS call")
        })
        .collect();
    assert_eq!(
        retries.len(),
        3,
        "one line per retry:\n{}",
        retries.join("\n")
    );
    for (line, attempt) in retries.iter().zip(2..) {
        for field in [
            "operation=GetCallerIdentity",
            &format!("attempt={attempt} "),
            "max_attempts=26",
            "reason=\"HTTP 400 Throttling\"",
            "waited_ms=",
        ] {
            assert!(line.contains(field), "`{field}` missing from: {line}");
        }
    }
}

/// Review finding 8: at TF_LOG=TRACE, the SDK's own trace lines (the
/// response bodies it reads and the outputs it decodes) copied the bulk
/// read's answer into the log: every user's, group's and role's policies in
/// the account. The bulk read still runs, and none of it reaches the log;
/// nor do the trust policies of the account's roles that destroy lists.
#[test]
fn trace_log_never_holds_the_accounts_policies_from_account_wide_reads() {
    const MARKER: &str = "OtherTeamsSecretBucketQ7Z";
    let aws = Emulator::start();
    let iam = aws.iam();
    let policy = format!(
        r#"{{"Version":"2012-10-17","Statement":[{{"Effect":"Allow","Action":"s3:GetObject","Resource":"arn:aws:s3:::{MARKER}/*"}}]}}"#
    );
    let trust = format!(
        r#"{{"Version":"2012-10-17","Statement":[{{"Effect":"Allow","Principal":{{"AWS":"arn:aws:iam::123456789012:root"}},"Action":"sts:AssumeRole","Condition":{{"StringEquals":{{"sts:ExternalId":"{MARKER}"}}}}}}]}}"#
    );
    common::block_on(async {
        iam.create_user()
            .user_name("other-team")
            .send()
            .await
            .unwrap();
        iam.put_user_policy()
            .user_name("other-team")
            .policy_name("theirs")
            .policy_document(&policy)
            .send()
            .await
            .unwrap();
        iam.create_role()
            .role_name("other-team-role")
            .assume_role_policy_document(&trust)
            .send()
            .await
            .unwrap();
        iam.put_role_policy()
            .role_name("other-team-role")
            .policy_name("theirs")
            .policy_document(&policy)
            .send()
            .await
            .unwrap();
    });
    let mut ws = Workspace::new();
    let log = ws.path().join("terraform.log");
    ws.set_env("TF_LOG", "TRACE");
    ws.set_env("TF_LOG_PATH", log.to_str().unwrap());
    ws.set_env("CLUSTERIAM_BULK_READS", "always");
    ws.write(&format!(
        "{}\nresource \"clusteriam_eks_connector_agent_role\" \"agent\" {{}}\nresource \"clusteriam_oidc_provider\" \"eks\" {{\n  url = \"https://oidc.eks.us-east-1.amazonaws.com/id/TRACEDTRACEDTRACEDTRACED00000001\"\n}}\n",
        aws.provider_block()
    ));
    ws.apply().assert_ok();
    ws.assert_no_changes();
    ws.destroy().assert_ok();
    let text = std::fs::read_to_string(&log).expect("terraform wrote its log");
    assert!(
        text.contains("read the account's IAM roles and policies in bulk"),
        "the bulk read did not run"
    );
    assert!(
        text.contains("operation=ListRoles"),
        "destroy did not list the roles trusting the OIDC provider"
    );
    let leaked: Vec<&str> = text.lines().filter(|l| l.contains(MARKER)).collect();
    assert!(
        leaked.is_empty(),
        "{} log lines hold another team's policies, e.g.:\n{}",
        leaked.len(),
        leaked[0].chars().take(600).collect::<String>()
    );
}
