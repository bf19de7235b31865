//! Acceptance: seed 002 (Kubermatic KKP on AWS) — `clusteriam_kkp_account_policy`
//! and `clusteriam_vpc_dns_hostnames` through real Terraform against the emulator,
//! checking AWS through the SDK after every step.

use crate::common;

use common::{ACCOUNT, Emulator, Workspace, block_on, current_document, seed_documents};
use terraform_provider_clusteriam::policy::equivalent;

const USER: &str = "kubermatic";

/// Seed 002's policy (KKP 2.22 and earlier) with `YOUR_ACCOUNT_ID` filled in.
fn seed_policy(account: &str) -> String {
    seed_documents("002")[0].replace("YOUR_ACCOUNT_ID", account)
}

/// Today's policy (KKP 2.23 and later) with `YOUR_ACCOUNT_ID` filled in.
fn current_policy(account: &str) -> String {
    current_document("kkp-2.23-and-later.json").replace("YOUR_ACCOUNT_ID", account)
}

fn create_user(aws: &Emulator, name: &str) {
    block_on(aws.iam().create_user().user_name(name).send()).expect("creating an IAM user");
}

fn policy_arn(name: &str) -> String {
    format!("arn:aws:iam::{ACCOUNT}:policy/{name}")
}

/// The policy's default version id and its document, or None when it is gone.
fn default_document(aws: &Emulator, arn: &str) -> Option<(String, String)> {
    let iam = aws.iam();
    let policy = block_on(iam.get_policy().policy_arn(arn).send())
        .ok()?
        .policy?;
    let version = policy.default_version_id?;
    let document = block_on(
        iam.get_policy_version()
            .policy_arn(arn)
            .version_id(&version)
            .send(),
    )
    .expect("GetPolicyVersion")
    .policy_version?
    .document?;
    Some((version, document))
}

fn version_ids(aws: &Emulator, arn: &str) -> Vec<String> {
    block_on(aws.iam().list_policy_versions().policy_arn(arn).send())
        .expect("ListPolicyVersions")
        .versions()
        .iter()
        .filter_map(|v| v.version_id().map(str::to_string))
        .collect()
}

fn attached_to_user(aws: &Emulator, user: &str) -> Vec<String> {
    block_on(
        aws.iam()
            .list_attached_user_policies()
            .user_name(user)
            .send(),
    )
    .expect("ListAttachedUserPolicies")
    .attached_policies()
    .iter()
    .filter_map(|p| p.policy_arn().map(str::to_string))
    .collect()
}

fn local_policies(aws: &Emulator) -> Vec<String> {
    block_on(
        aws.iam()
            .list_policies()
            .scope(aws_sdk_iam::types::PolicyScopeType::Local)
            .send(),
    )
    .expect("ListPolicies")
    .policies()
    .iter()
    .filter_map(|p| p.arn().map(str::to_string))
    .collect()
}

fn policy_config(aws: &Emulator, body: &str) -> String {
    format!(
        "{}\nresource \"clusteriam_kkp_account_policy\" \"kkp\" {{\n{body}\n}}\n",
        aws.provider_block()
    )
}

/// `kkp_version` unset is the current KKP: today's document, not seed 002's.
#[test]
fn kkp_account_policy_unset_version_matches_todays_document_and_destroy_removes_everything() {
    let aws = Emulator::start();
    create_user(&aws, USER);
    let ws = Workspace::new();
    ws.write(&policy_config(
        &aws,
        &format!(
            r#"  name        = "kkp"
  path        = "/kubermatic/"
  description = "Kubermatic KKP"
  user_name   = "{USER}"
  tags        = {{ team = "platform" }}"#
        ),
    ));
    ws.apply().assert_ok();

    let arn = format!("arn:aws:iam::{ACCOUNT}:policy/kubermatic/kkp");
    let (version, document) = default_document(&aws, &arn).expect("the policy exists");
    assert_eq!(version, "v1");
    assert!(
        equivalent(&document, &current_policy(ACCOUNT)),
        "AWS differs from today's KKP document:\n{document}"
    );
    assert!(!equivalent(&document, &seed_policy(ACCOUNT)));
    assert_eq!(attached_to_user(&aws, USER), vec![arn.clone()]);

    let state = ws.state_attributes("clusteriam_kkp_account_policy.kkp");
    assert_eq!(state["arn"], arn.as_str());
    assert_eq!(state["id"], arn.as_str());
    assert_eq!(state["account_id"], ACCOUNT);
    assert_eq!(state["default_version_id"], "v1");
    assert_eq!(state["tags_all"]["team"], "platform");
    assert_eq!(state["kkp_version"], serde_json::Value::Null);
    let stored = state["policy"].as_str().unwrap();
    assert!(equivalent(stored, &current_policy(ACCOUNT)));
    assert!(!stored.contains('\n'), "state holds canonical JSON");
    ws.assert_no_changes();

    ws.destroy().assert_ok();
    assert!(default_document(&aws, &arn).is_none(), "the policy is gone");
    assert!(attached_to_user(&aws, USER).is_empty());
    assert!(local_policies(&aws).is_empty());
}

#[test]
fn kkp_account_policy_repairs_a_detached_user_and_an_edited_default_version() {
    let aws = Emulator::start();
    create_user(&aws, USER);
    let ws = Workspace::new();
    ws.write(&policy_config(
        &aws,
        &format!("  name      = \"kkp\"\n  user_name = \"{USER}\""),
    ));
    ws.apply().assert_ok();
    let arn = policy_arn("kkp");
    let iam = aws.iam();

    // Detached out of band: the plan attaches it again.
    block_on(
        iam.detach_user_policy()
            .user_name(USER)
            .policy_arn(&arn)
            .send(),
    )
    .expect("detaching");
    ws.assert_changes(&["user_name", USER]);
    ws.apply().assert_ok();
    assert_eq!(attached_to_user(&aws, USER), vec![arn.clone()]);
    ws.assert_no_changes();

    // A new default version out of band: the plan restores the document.
    let edited = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"ec2:*","Resource":"*"}]}"#;
    block_on(
        iam.create_policy_version()
            .policy_arn(&arn)
            .policy_document(edited)
            .set_as_default(true)
            .send(),
    )
    .expect("creating a version out of band");
    ws.assert_changes(&["policy"]);
    ws.apply().assert_ok();
    let (version, document) = default_document(&aws, &arn).unwrap();
    assert_eq!(version, "v3");
    assert!(
        equivalent(&document, &current_policy(ACCOUNT)),
        "{document}"
    );
    ws.assert_no_changes();

    // Moving the attachment to another user.
    create_user(&aws, "kubermatic-2");
    ws.write(&policy_config(
        &aws,
        "  name      = \"kkp\"\n  user_name = \"kubermatic-2\"",
    ));
    ws.apply().assert_ok();
    assert!(attached_to_user(&aws, USER).is_empty());
    assert_eq!(attached_to_user(&aws, "kubermatic-2"), vec![arn.clone()]);
    ws.assert_no_changes();

    ws.destroy().assert_ok();
    assert!(attached_to_user(&aws, "kubermatic-2").is_empty());
    assert!(local_policies(&aws).is_empty());
}

#[test]
fn kkp_account_policy_import_by_arn_then_empty_plan() {
    let aws = Emulator::start();
    create_user(&aws, USER);
    let iam = aws.iam();
    // Made by hand as the documentation says: the seed's JSON as printed.
    block_on(
        iam.create_policy()
            .policy_name("kkp-by-hand")
            .policy_document(seed_policy(ACCOUNT))
            .send(),
    )
    .expect("creating the policy by hand");
    let arn = policy_arn("kkp-by-hand");
    block_on(
        iam.attach_user_policy()
            .user_name(USER)
            .policy_arn(&arn)
            .send(),
    )
    .expect("attaching by hand");

    let ws = Workspace::new();
    // Seed 002 is the document of KKP 2.22 and earlier.
    ws.write(&policy_config(
        &aws,
        &format!(
            "  name        = \"kkp-by-hand\"\n  user_name   = \"{USER}\"\n  kkp_version = \"2.22\""
        ),
    ));
    ws.import("clusteriam_kkp_account_policy.kkp", &arn)
        .assert_ok();
    ws.assert_no_changes();
    let state = ws.state_attributes("clusteriam_kkp_account_policy.kkp");
    assert_eq!(state["user_name"], USER);
    assert_eq!(state["account_id"], ACCOUNT);
    assert_eq!(state["kkp_version"], "2.22");

    ws.import("clusteriam_kkp_account_policy.kkp", "kkp-by-hand")
        .assert_error(&["Import by the policy's ARN"]);

    ws.destroy().assert_ok();
    assert!(local_policies(&aws).is_empty());
    assert!(attached_to_user(&aws, USER).is_empty());
}

#[test]
fn kkp_account_policy_rejects_bad_inputs_at_validate_and_plan() {
    let aws = Emulator::start();
    let ws = Workspace::new();
    let cases: &[(&str, &[&str])] = &[
        (
            r#"account_id = "1234""#,
            &[
                "Invalid `account_id`",
                "`account_id` must be 12 digits; got `1234`",
            ],
        ),
        (
            r#"name = "kkp"
  name_prefix = "kkp-""#,
            &["Conflicting `name` and `name_prefix`"],
        ),
        (
            r#"name = "kkp policy""#,
            &["Invalid `name`", "got `kkp policy`"],
        ),
        (
            r#"user_name = "kube matic""#,
            &["Invalid `user_name`", "IAM user name"],
        ),
        (r#"path = "kubermatic""#, &["Invalid `path`"]),
        (
            r#"kkp_version = "latest""#,
            &[
                "Invalid `kkp_version`",
                "`kkp_version` must be a KKP version written MAJOR.MINOR, such as `2.28`; got `latest`",
            ],
        ),
        (
            r#"kkp_version = "2.28.1""#,
            &["Invalid `kkp_version`", "got `2.28.1`"],
        ),
        (
            r#"kkp_version = "1.5""#,
            &["Invalid `kkp_version`", "must be 2.0 or later", "got `1.5`"],
        ),
        (
            r#"kkp_version = "02.28""#,
            &[
                "Invalid `kkp_version`",
                "without leading zeros, such as `2.28`; got `02.28`",
            ],
        ),
        (
            r#"tags = { "aws:owner" = "me" }"#,
            &["Invalid tag key", "reserved by AWS"],
        ),
    ];
    for (body, needles) in cases {
        ws.write(&policy_config(&aws, &format!("  {body}")));
        ws.validate().assert_error(needles);
        ws.plan().assert_error(needles);
    }
    assert!(local_policies(&aws).is_empty(), "nothing was created");
}

#[test]
fn kkp_account_policy_prunes_versions_past_five() {
    let aws = Emulator::start();
    let ws = Workspace::new();
    // No name: a generated one.
    let accounts: Vec<String> = (0..7).map(|i| format!("11112222333{i}")).collect();
    ws.write(&policy_config(
        &aws,
        &format!("  account_id = \"{}\"", accounts[0]),
    ));
    ws.apply().assert_ok();
    let state = ws.state_attributes("clusteriam_kkp_account_policy.kkp");
    let name = state["name"].as_str().unwrap().to_string();
    assert!(name.starts_with("kkp-"), "{name}");
    let arn = policy_arn(&name);

    for account in &accounts[1..] {
        ws.write(&policy_config(
            &aws,
            &format!("  account_id = \"{account}\""),
        ));
        ws.assert_changes(&["policy", "default_version_id"]);
        ws.apply().assert_ok();
        let versions = version_ids(&aws, &arn);
        assert!(versions.len() <= 5, "{versions:?}");
        let (version, document) = default_document(&aws, &arn).unwrap();
        assert!(
            equivalent(&document, &current_policy(account)),
            "{document}"
        );
        let state = ws.state_attributes("clusteriam_kkp_account_policy.kkp");
        assert_eq!(state["default_version_id"], version.as_str());
        ws.assert_no_changes();
    }
    // Seven documents: v1 and v2 were pruned, v7 is the default.
    let mut versions = version_ids(&aws, &arn);
    versions.sort();
    assert_eq!(versions, ["v3", "v4", "v5", "v6", "v7"]);
    assert_eq!(default_document(&aws, &arn).unwrap().0, "v7");

    ws.destroy().assert_ok();
    assert!(local_policies(&aws).is_empty());
}

#[test]
fn kkp_account_policy_failed_attach_keeps_the_policy_and_the_next_apply_converges() {
    let aws = Emulator::start();
    let ws = Workspace::new();
    ws.write(&policy_config(
        &aws,
        "  name      = \"kkp\"\n  user_name = \"not-yet\"",
    ));
    // The user does not exist: the attachment fails after the propagation wait.
    ws.apply().assert_error(&[
        "attaching IAM policy (`kkp`) to user (`not-yet`)",
        "NoSuchEntity",
    ]);
    let arn = policy_arn("kkp");
    assert_eq!(local_policies(&aws), vec![arn.clone()]);
    let state = ws.state_attributes("clusteriam_kkp_account_policy.kkp");
    assert_eq!(
        state["arn"],
        arn.as_str(),
        "the policy that exists is in state"
    );

    create_user(&aws, "not-yet");
    ws.apply().assert_ok();
    assert_eq!(local_policies(&aws), vec![arn.clone()], "nothing orphaned");
    assert_eq!(attached_to_user(&aws, "not-yet"), vec![arn]);
    ws.assert_no_changes();
}

/// One document per version boundary: 2.22 is seed 002, 2.23 today's
/// document, unset today's too; switching updates the policy in place (a new
/// default version) and the plan after each apply is empty.
#[test]
fn kkp_account_policy_kkp_version_selects_the_document_at_each_boundary() {
    let aws = Emulator::start();
    let ws = Workspace::new();
    let config = |version: Option<&str>| {
        let line = version.map_or(String::new(), |v| format!("\n  kkp_version = \"{v}\""));
        policy_config(&aws, &format!("  name = \"kkp\"{line}"))
    };
    let arn = policy_arn("kkp");

    ws.write(&config(Some("2.22")));
    ws.apply().assert_ok();
    let (version, document) = default_document(&aws, &arn).unwrap();
    assert_eq!(version, "v1");
    assert!(
        equivalent(&document, &seed_policy(ACCOUNT)),
        "2.22 is seed 002: {document}"
    );
    let state = ws.state_attributes("clusteriam_kkp_account_policy.kkp");
    assert_eq!(state["kkp_version"], "2.22");
    assert!(equivalent(
        state["policy"].as_str().unwrap(),
        &seed_policy(ACCOUNT)
    ));
    ws.assert_no_changes();

    ws.write(&config(Some("2.23")));
    let plan = ws.assert_changes(&[
        "update in-place",
        "kkp_version",
        "iam:TagInstanceProfile",
        "elasticloadbalancing:AddTags",
    ]);
    assert!(!plan.stdout.contains("must be replaced"), "{}", plan.stdout);
    ws.apply().assert_ok();
    let (version, document) = default_document(&aws, &arn).unwrap();
    assert_eq!(version, "v2");
    assert!(
        equivalent(&document, &current_policy(ACCOUNT)),
        "2.23 is today's: {document}"
    );
    ws.assert_no_changes();

    // Unset is the current KKP: the same document, so no new version.
    ws.write(&config(None));
    ws.apply().assert_ok();
    let (version, document) = default_document(&aws, &arn).unwrap();
    assert_eq!(version, "v2");
    assert!(equivalent(&document, &current_policy(ACCOUNT)));
    ws.assert_no_changes();

    // And back to the older KKP.
    ws.write(&config(Some("2.21")));
    ws.assert_changes(&["update in-place", "kkp_version", "iam:TagInstanceProfile"]);
    ws.apply().assert_ok();
    let (version, document) = default_document(&aws, &arn).unwrap();
    assert_eq!(version, "v3");
    assert!(equivalent(&document, &seed_policy(ACCOUNT)));
    ws.assert_no_changes();

    ws.destroy().assert_ok();
    assert!(local_policies(&aws).is_empty());
}

/// Import picks the version whose document the policy is: "2.22" for seed
/// 002's, unset for today's.
#[test]
fn kkp_account_policy_import_picks_the_matching_document() {
    let aws = Emulator::start();
    let iam = aws.iam();
    for (name, document) in [
        ("kkp-old", seed_policy(ACCOUNT)),
        ("kkp-new", current_policy(ACCOUNT)),
    ] {
        block_on(
            iam.create_policy()
                .policy_name(name)
                .policy_document(document)
                .send(),
        )
        .expect("creating a policy by hand");
    }
    let ws = Workspace::new();
    ws.write(&format!(
        r#"{}
resource "clusteriam_kkp_account_policy" "old" {{
  name        = "kkp-old"
  kkp_version = "2.22"
}}

resource "clusteriam_kkp_account_policy" "new" {{
  name = "kkp-new"
}}
"#,
        aws.provider_block()
    ));
    ws.import("clusteriam_kkp_account_policy.old", &policy_arn("kkp-old"))
        .assert_ok();
    ws.import("clusteriam_kkp_account_policy.new", &policy_arn("kkp-new"))
        .assert_ok();
    assert_eq!(
        ws.state_attributes("clusteriam_kkp_account_policy.old")["kkp_version"],
        "2.22"
    );
    assert_eq!(
        ws.state_attributes("clusteriam_kkp_account_policy.new")["kkp_version"],
        serde_json::Value::Null
    );
    ws.assert_no_changes();
    // Nothing was written by the imports.
    assert_eq!(
        default_document(&aws, &policy_arn("kkp-old")).unwrap().0,
        "v1"
    );
    assert_eq!(
        default_document(&aws, &policy_arn("kkp-new")).unwrap().0,
        "v1"
    );

    ws.destroy().assert_ok();
    assert!(local_policies(&aws).is_empty());
}

// --- clusteriam_vpc_dns_hostnames ---

fn create_vpc(aws: &Emulator, cidr: &str) -> String {
    block_on(aws.ec2().create_vpc().cidr_block(cidr).send())
        .expect("creating a VPC")
        .vpc
        .and_then(|v| v.vpc_id)
        .expect("a VPC id")
}

/// (enableDnsSupport, enableDnsHostnames) as EC2 reports them.
fn vpc_dns(aws: &Emulator, vpc_id: &str) -> (bool, bool) {
    use aws_sdk_ec2::types::VpcAttributeName;
    let ec2 = aws.ec2();
    let get = |attribute: VpcAttributeName| {
        block_on(
            ec2.describe_vpc_attribute()
                .vpc_id(vpc_id)
                .attribute(attribute)
                .send(),
        )
        .expect("DescribeVpcAttribute")
    };
    let support = get(VpcAttributeName::EnableDnsSupport)
        .enable_dns_support
        .and_then(|v| v.value)
        .unwrap_or(false);
    let hostnames = get(VpcAttributeName::EnableDnsHostnames)
        .enable_dns_hostnames
        .and_then(|v| v.value)
        .unwrap_or(false);
    (support, hostnames)
}

fn set_vpc_dns(aws: &Emulator, vpc_id: &str, support: Option<bool>, hostnames: Option<bool>) {
    use aws_sdk_ec2::types::AttributeBooleanValue;
    let ec2 = aws.ec2();
    let value = |on| AttributeBooleanValue::builder().value(on).build();
    if let Some(on) = support {
        block_on(
            ec2.modify_vpc_attribute()
                .vpc_id(vpc_id)
                .enable_dns_support(value(on))
                .send(),
        )
        .expect("ModifyVpcAttribute");
    }
    if let Some(on) = hostnames {
        block_on(
            ec2.modify_vpc_attribute()
                .vpc_id(vpc_id)
                .enable_dns_hostnames(value(on))
                .send(),
        )
        .expect("ModifyVpcAttribute");
    }
}

fn vpc_config(aws: &Emulator, vpc_ids: &[&str]) -> String {
    let mut hcl = aws.provider_block();
    for (i, id) in vpc_ids.iter().enumerate() {
        hcl.push_str(&format!(
            "\nresource \"clusteriam_vpc_dns_hostnames\" \"vpc{i}\" {{\n  vpc_id = \"{id}\"\n}}\n"
        ));
    }
    hcl
}

#[test]
fn vpc_dns_hostnames_turns_both_on_and_destroy_restores_only_what_it_changed() {
    let aws = Emulator::start();
    // One VPC as EC2 makes them (DNS support on, hostnames off), one with both off.
    let usual = create_vpc(&aws, "10.1.0.0/16");
    let bare = create_vpc(&aws, "10.2.0.0/16");
    set_vpc_dns(&aws, &usual, Some(true), Some(false));
    set_vpc_dns(&aws, &bare, Some(false), Some(false));

    let ws = Workspace::new();
    ws.write(&vpc_config(&aws, &[&usual, &bare]));
    ws.apply().assert_ok();
    assert_eq!(vpc_dns(&aws, &usual), (true, true));
    assert_eq!(vpc_dns(&aws, &bare), (true, true));
    let state = ws.state_attributes("clusteriam_vpc_dns_hostnames.vpc0");
    assert_eq!(state["id"], usual.as_str());
    assert_eq!(state["enable_dns_support"], true);
    assert_eq!(state["enable_dns_hostnames"], true);
    ws.assert_no_changes();

    ws.destroy().assert_ok();
    assert_eq!(
        vpc_dns(&aws, &usual),
        (true, false),
        "support was already on"
    );
    assert_eq!(vpc_dns(&aws, &bare), (false, false));
}

#[test]
fn vpc_dns_hostnames_import_by_vpc_id_then_empty_plan() {
    let aws = Emulator::start();
    let vpc = create_vpc(&aws, "10.4.0.0/16");
    set_vpc_dns(&aws, &vpc, Some(true), Some(true));
    let ws = Workspace::new();
    ws.write(&vpc_config(&aws, &[&vpc]));
    ws.import("clusteriam_vpc_dns_hostnames.vpc0", &vpc)
        .assert_ok();
    ws.assert_no_changes();
    // It changed nothing, so destroy leaves the VPC as it was.
    ws.destroy().assert_ok();
    assert_eq!(vpc_dns(&aws, &vpc), (true, true));
}

#[test]
fn vpc_dns_hostnames_rejects_bad_and_missing_vpcs() {
    let aws = Emulator::start();
    let vpc = create_vpc(&aws, "10.5.0.0/16");
    set_vpc_dns(&aws, &vpc, Some(true), Some(false));
    let ws = Workspace::new();
    ws.write(&vpc_config(&aws, &["subnet-12345678"]));
    let needles = [
        "Invalid `vpc_id`",
        "`vpc_id` must be a VPC id such as `vpc-0123456789abcdef0`; got `subnet-12345678`",
    ];
    ws.validate().assert_error(&needles);
    ws.plan().assert_error(&needles);

    ws.write(&vpc_config(&aws, &["vpc-0000000000000000f"]));
    ws.plan().assert_error(&[
        "checking VPC (`vpc-0000000000000000f`)",
        "InvalidVpcID.NotFound",
    ]);
    ws.apply().assert_error(&["vpc-0000000000000000f"]);
    assert_eq!(vpc_dns(&aws, &vpc), (true, false), "nothing was changed");
}

#[test]
fn vpc_dns_hostnames_import_then_apply_turns_off_on_destroy_what_it_turned_on() {
    let aws = Emulator::start();
    let vpc = create_vpc(&aws, "10.6.0.0/16");
    set_vpc_dns(&aws, &vpc, Some(false), Some(false));
    let ws = Workspace::new();
    ws.write(&vpc_config(&aws, &[&vpc]));
    ws.import("clusteriam_vpc_dns_hostnames.vpc0", &vpc)
        .assert_ok();
    ws.assert_changes(&["enable_dns_support", "enable_dns_hostnames"]);
    ws.apply().assert_ok();
    assert_eq!(vpc_dns(&aws, &vpc), (true, true));
    ws.assert_no_changes();
    // What this resource turned on, at any apply, destroy turns off.
    ws.destroy().assert_ok();
    assert_eq!(vpc_dns(&aws, &vpc), (false, false));
}

#[test]
fn vpc_dns_hostnames_destroy_succeeds_when_the_vpc_is_gone() {
    let aws = Emulator::start();
    let vpc = create_vpc(&aws, "10.7.0.0/16");
    set_vpc_dns(&aws, &vpc, Some(true), Some(false));
    let ws = Workspace::new();
    ws.write(&vpc_config(&aws, &[&vpc]));
    ws.apply().assert_ok();
    block_on(aws.ec2().delete_vpc().vpc_id(&vpc).send()).expect("DeleteVpc");

    // A plan says what happened, and that destroy works.
    let plan = ws.plan();
    assert!(plan.mentions("no longer exists"), "{}", plan.output());
    let run = ws.destroy();
    run.assert_ok();
    assert!(
        run.mentions("Destroy complete! Resources: 1 destroyed."),
        "{}",
        run.output()
    );
}
