//! The bad input corpus: invalid configurations for every resource, both
//! data sources and the provider block. Each must be rejected, at `terraform
//! validate` or at plan, by a diagnostic that carries the attribute's path
//! (Terraform then quotes the attribute's own line) and says what is
//! accepted; and nothing may be created in AWS.
//!
//! All cases of a stage go into one configuration and one terraform run; each
//! case's diagnostic is found by the line Terraform quotes, so the output can
//! still be attributed. The tables read as documentation of what is refused.

use crate::common;

use common::{Emulator, Run, Workspace};

/// One invalid configuration.
struct Case {
    /// `resource <type>`, `data <type>` or `provider`.
    block: &'static str,
    /// The attribute the diagnostic must point at; `None` when it names an
    /// attribute that is absent from the configuration (Terraform then quotes
    /// the block's first line).
    attr: Option<&'static str>,
    /// Attributes (and nested blocks) set in the block, over its valid base.
    hcl: String,
    /// A fragment of the diagnostic saying what is wrong or accepted.
    expect: &'static str,
}

fn case(
    block: &'static str,
    attr: &'static str,
    hcl: impl Into<String>,
    expect: &'static str,
) -> Case {
    Case {
        block,
        attr: Some(attr),
        hcl: hcl.into(),
        expect,
    }
}

/// A case whose diagnostic names an attribute absent from the configuration.
fn missing(block: &'static str, hcl: impl Into<String>, expect: &'static str) -> Case {
    Case {
        block,
        attr: None,
        hcl: hcl.into(),
        expect,
    }
}

const OIDC: &str =
    "arn:aws:iam::123456789012:oidc-provider/oidc.eks.us-east-1.amazonaws.com/id/EXAMPLE";

/// A valid body for each block, which a case overrides attribute by attribute.
fn base(block: &str) -> String {
    let oidc = format!("oidc_provider_arn = \"{OIDC}\"");
    match block {
        "resource clusteriam_rancher_node_role" => "node_role = \"worker\"".into(),
        "resource clusteriam_rancher_csp_adapter_role" => oidc,
        "resource clusteriam_torque_agent_role" => {
            format!("{oidc}\nnamespace = \"torque\"\nservice_account = \"runner\"")
        }
        "resource clusteriam_oidc_provider" => "url = \"https://oidc.example.com\"".into(),
        "resource clusteriam_cluster_tags" => {
            "cluster_id = \"c1\"\nsubnet_ids = [\"subnet-0123abcd\"]".into()
        }
        "resource clusteriam_vpc_dns_hostnames" => "vpc_id = \"vpc-0123abcd\"".into(),
        "data clusteriam_policy_document" => "preset = \"rancher_etcd_worker\"".into(),
        "data clusteriam_eks_cluster_oidc" => "cluster_name = \"prod\"".into(),
        "provider" => "region = \"us-east-1\"".into(),
        _ => String::new(),
    }
}

/// Rejected by `terraform validate`, before any AWS call.
#[rustfmt::skip]
fn validate_cases() -> Vec<Case> {
    const NODE: &str = "resource clusteriam_rancher_node_role";
    const CSP: &str = "resource clusteriam_rancher_csp_adapter_role";
    const TORQUE: &str = "resource clusteriam_torque_agent_role";
    const AGENT: &str = "resource clusteriam_eks_connector_agent_role";
    const SLR: &str = "resource clusteriam_eks_connector_service_linked_role";
    const OIDCP: &str = "resource clusteriam_oidc_provider";
    const TAGS: &str = "resource clusteriam_cluster_tags";
    const KKP: &str = "resource clusteriam_kkp_account_policy";
    const VPC: &str = "resource clusteriam_vpc_dns_hostnames";
    const DOC: &str = "data clusteriam_policy_document";
    const EKS: &str = "data clusteriam_eks_cluster_oidc";
    const PROVIDER: &str = "provider";
    let long = |n: usize| "a".repeat(n);
    let policy = |json: &str| format!("policy = jsonencode({json})");
    vec![
        // clusteriam_rancher_node_role, and the attributes every role shares.
        case(NODE, "node_role", r#"node_role = "master""#, "must be one of controlplane, etcd, worker; got `master`"),
        case(NODE, "node_role", r#"node_role = "" "#, "must be one of controlplane, etcd, worker"),
        case(NODE, "name", format!("name = \"{}\"", long(65)), "`name` must be 1 to 64 letters"),
        case(NODE, "name", r#"name = "rancher node""#, "`name` must be 1 to 64 letters, digits and `+=,.@_-`"),
        case(NODE, "name_prefix", format!("name_prefix = \"{}\"", long(47)), "`name_prefix` must be 1 to 46"),
        case(NODE, "name_prefix", "name = \"a\"\nname_prefix = \"b\"", "Set `name` for a fixed role name or `name_prefix`"),
        case(NODE, "path", r#"path = "rancher""#, "`path` must begin and end with `/`"),
        case(NODE, "path", r#"path = "/ran cher/""#, "without spaces"),
        case(NODE, "description", format!("description = \"{}\"", long(1001)), "at most 1000 characters"),
        case(NODE, "permissions_boundary", r#"permissions_boundary = "arn:aws:iam::123456789012:role/boundary""#, "must be the ARN of a managed policy"),
        case(NODE, "permissions_boundary", r#"permissions_boundary = "arn:aws:s3:::bucket""#, "must be the ARN of a managed policy"),
        case(NODE, "max_session_duration", "max_session_duration = 600", "between 3600 and 43200 seconds; got 600"),
        case(NODE, "max_session_duration", "max_session_duration = 86400", "between 3600 and 43200 seconds; got 86400"),
        case(NODE, "max_session_duration", "max_session_duration = 3600.5", "whole number of seconds; got 3600.5"),
        case(NODE, "tags", r#"tags = { "aws:owner" = "me" }"#, "reserved by AWS"),
        case(NODE, "tags", r#"tags = { "" = "x" }"#, "Tag keys must be 1 to 128 characters"),
        case(NODE, "tags", format!("tags = {{ team = \"{}\" }}", long(257)), "at most 256 characters"),
        case(NODE, "arn", r#"arn = "arn:aws:iam::123456789012:role/x""#, "Can't configure a value for `arn`"),
        // clusteriam_rancher_csp_adapter_role
        case(CSP, "oidc_provider_arn", r#"oidc_provider_arn = "arn:aws:iam::123456789012:role/x""#, "is an IAM role ARN, expected an OIDC provider ARN"),
        case(CSP, "oidc_provider_arn", r#"oidc_provider_arn = "arn:aws:eks:us-east-1:123456789012:cluster/x""#, "an ARN of service `eks`"),
        case(CSP, "oidc_provider_arn", r#"oidc_provider_arn = "oidc.eks.us-east-1.amazonaws.com/id/X""#, "is not a valid ARN"),
        case(CSP, "oidc_provider_arn", r#"oidc_provider_arn = "arn:aws:iam::1234:oidc-provider/x""#, "account id must be 12 digits"),
        case(CSP, "oidc_provider_arn", r#"oidc_provider_arn = "arn:aws:iam::123456789012:oidc-provider/https://x""#, "must not include a scheme"),
        case(CSP, "oidc_provider_arn", r#"oidc_provider_arn = "arn:azure:iam::123456789012:oidc-provider/x""#, "unknown partition `azure`"),
        case(CSP, "name", r#"name = """#, "`name` must be 1 to 64"),
        // clusteriam_torque_agent_role
        case(TORQUE, "namespace", r#"namespace = "Torque""#, "must be a Kubernetes namespace name"),
        case(TORQUE, "namespace", format!("namespace = \"{}\"", long(64)), "at most 63"),
        case(TORQUE, "service_account", r#"service_account = "runner_sa""#, "must be a Kubernetes service account name"),
        case(TORQUE, "service_account", format!("service_account = \"{}\"", long(254)), "DNS-1123 subdomains, at most 253"),
        case(TORQUE, "oidc_provider_arn", r#"oidc_provider_arn = "arn:aws:iam::123456789012:user/x""#, "is an IAM user ARN"),
        case(TORQUE, "policy", r#"policy = "{not json""#, "the policy is not valid JSON"),
        case(TORQUE, "policy", r#"policy = "[]""#, "the policy must be a JSON object with `Version` and `Statement`"),
        case(TORQUE, "policy", policy(r#"{ Version = "2012-10-17" }"#), "policy has no `Statement`"),
        case(TORQUE, "policy", policy(r#"{ Statement = "x" }"#), "`Statement` must be an object or a list of objects"),
        case(TORQUE, "policy", policy(r#"{ Statement = [{ Effect = "Permit", Action = "s3:*", Resource = "*" }] }"#), "`Effect` must be `Allow` or `Deny`"),
        case(TORQUE, "policy", policy(r#"{ Statement = [{ Effect = "Allow", Resource = "*" }] }"#), "the statement has no `Action` (or `NotAction`)"),
        case(TORQUE, "policy", policy(r#"{ Version = "2012-10-18", Statement = [{ Effect = "Allow", Action = "s3:GetObject", Resource = "*" }] }"#), "`Version` must be `2012-10-17` (or the older `2008-10-17`); got `2012-10-18`"),
        case(TORQUE, "policy", policy(r#"{ Statement = [{ Effect = "Allow", Principal = "*", Action = "s3:GetObject", Resource = "*" }] }"#), "`Statement[0]`: an identity policy takes no `Principal`"),
        case(TORQUE, "policy", policy(r#"{ Statement = [{ Effect = "Allow", Action = "s3:GetObject", Resource = "arn:aws:s3:my-bucket/*" }] }"#), "has `my-bucket/*` where an ARN's region goes"),
        case(TORQUE, "policy_arns", r#"policy_arns = ["arn:aws:iam::123456789012:role/x"]"#, "must be the ARN of a managed IAM policy"),
        case(TORQUE, "policy_arns", r#"policy_arns = ["AdministratorAccess"]"#, "must be the ARN of a managed IAM policy"),
        // clusteriam_eks_connector_agent_role
        case(AGENT, "policy_name", r#"policy_name = "agent policy""#, "`policy_name` must be 1 to 128 letters"),
        case(AGENT, "policy_name", format!("policy_name = \"{}\"", long(129)), "`policy_name` must be 1 to 128"),
        case(AGENT, "name", r#"name = "connector/agent""#, "`name` must be 1 to 64 letters"),
        case(AGENT, "max_session_duration", "max_session_duration = 50000", "between 3600 and 43200"),
        // clusteriam_eks_connector_service_linked_role has no inputs at all.
        case(SLR, "name", r#"name = "AWSServiceRoleForAmazonEKSConnector""#, "Can't configure a value for `name`"),
        case(SLR, "adopted", "adopted = true", "Can't configure a value for `adopted`"),
        // clusteriam_oidc_provider
        case(OIDCP, "url", r#"url = "http://oidc.example.com""#, "must be an https:// URL"),
        case(OIDCP, "url", r#"url = "https://""#, "must name a host after https://"),
        case(OIDCP, "url", r#"url = "https://oidc.example.com/?a=b""#, "without query, fragment or spaces"),
        case(OIDCP, "url", format!("url = \"https://{}.example.com\"", long(250)), "at most 255 characters"),
        case(OIDCP, "thumbprints", r#"thumbprints = ["abc"]"#, "40 hexadecimal characters; got `abc`"),
        case(OIDCP, "thumbprints", "thumbprints = []", "must hold 1 to 5 thumbprints; got 0"),
        case(OIDCP, "thumbprints", format!( "thumbprints = [{}]", (0..6) .map(|i| format!("\"{}\"", i.to_string().repeat(40))) .collect::<Vec<_>>() .join(", ")),
            "must hold 1 to 5 thumbprints; got 6",
        ),
        case(OIDCP, "client_ids", r#"client_ids = [""]"#, "must be 1 to 255 characters"),
        case(OIDCP, "client_ids", "client_ids = []", "`client_ids` must hold at least one client id"),
        case(OIDCP, "tags", r#"tags = { "AWS:team" = "x" }"#, "reserved by AWS"),
        // clusteriam_cluster_tags
        case(TAGS, "cluster_id", r#"cluster_id = """#, "`cluster_id` must be 1 to 106"),
        case(TAGS, "cluster_id", r#"cluster_id = "my cluster""#, "`cluster_id` must be 1 to 106"),
        case(TAGS, "cluster_id", format!("cluster_id = \"{}\"", long(107)), "at most 128 characters"),
        case(TAGS, "ownership", r#"ownership = "mine""#, "must be one of owned, shared; got `mine`"),
        case(TAGS, "instance_ids", r#"instance_ids = ["i-XYZ"]"#, "`instance_ids` takes EC2 ids like `i-0123456789abcdef0`"),
        case(TAGS, "subnet_ids", r#"subnet_ids = ["sg-0123abcd"]"#, "`subnet_ids` takes EC2 ids like `subnet-0123456789abcdef0`"),
        case(TAGS, "security_group_id", r#"security_group_id = "sg-123""#, "`security_group_id` takes EC2 ids"),
        case(TAGS, "subnet_ids", "subnet_ids = []", "Nothing to tag"),
        // clusteriam_kkp_account_policy
        case(KKP, "account_id", r#"account_id = "12345""#, "`account_id` must be 12 digits; got `12345`"),
        case(KKP, "account_id", r#"account_id = "arn:aws:iam::123456789012:root""#, "`account_id` must be 12 digits"),
        case(KKP, "name", format!("name = \"{}\"", long(129)), "`name` must be 1 to 128"),
        case(KKP, "name_prefix", format!("name_prefix = \"{}\"", long(103)), "`name_prefix` must be 1 to"),
        case(KKP, "name_prefix", "name = \"a\"\nname_prefix = \"b\"", "Set `name` for a fixed policy name or `name_prefix`"),
        case(KKP, "user_name", r#"user_name = "kkp user""#, "must be an IAM user name"),
        case(KKP, "path", r#"path = "kubermatic""#, "`path` must begin and end with `/`"),
        case(KKP, "description", format!("description = \"{}\"", long(1001)), "at most 1000 characters"),
        case(KKP, "tags", r#"tags = { "aws:cost" = "x" }"#, "reserved by AWS"),
        // clusteriam_vpc_dns_hostnames
        case(VPC, "vpc_id", r#"vpc_id = "vpc-XYZ""#, "must be a VPC id such as `vpc-0123456789abcdef0`"),
        case(VPC, "vpc_id", r#"vpc_id = "subnet-0123abcd""#, "must be a VPC id"),
        case(VPC, "vpc_id", r#"vpc_id = """#, "must be a VPC id"),
        // data clusteriam_policy_document
        case(DOC, "preset", r#"preset = "rancher""#, "`preset` must be one of"),
        missing(DOC, r#"preset = "irsa_trust""#, "Preset `irsa_trust` needs `namespace`"),
        case(DOC, "namespace", "namespace = \"ns\"", "Remove `namespace`; preset `rancher_etcd_worker` takes"),
        case(DOC, "account_id", "preset = \"kkp_account\"\naccount_id = \"abc\"", "`account_id` must be 12 digits"),
        case(DOC, "oidc_provider_arn", "preset = \"rancher_csp_adapter_trust\"\noidc_provider_arn = \"arn:aws:iam::123456789012:role/x\"", "expected an OIDC provider ARN"),
        case(DOC, "namespace", format!( "preset = \"irsa_trust\"\noidc_provider_arn = \"{OIDC}\"\nnamespace = \"Kube_System\"\nservice_account = \"sa\""),
            "must be a Kubernetes namespace name",
        ),
        case(DOC, "service_account", format!( "preset = \"irsa_trust\"\noidc_provider_arn = \"{OIDC}\"\nnamespace = \"ns\"\nservice_account = \"SA!\""),
            "must be a Kubernetes service account name",
        ),
        case(DOC, "json", r#"json = "{}""#, "Can't configure a value for `json`"),
        // data clusteriam_eks_cluster_oidc
        case(EKS, "cluster_name", r#"cluster_name = "-prod""#, "must be an EKS cluster name"),
        case(EKS, "cluster_name", format!("cluster_name = \"{}\"", long(101)), "1-100 letters"),
        case(EKS, "cluster_name", r#"cluster_name = "my cluster""#, "must be an EKS cluster name"),
        // the provider block (each case is an aliased provider configuration)
        case(PROVIDER, "region", r#"region = "US East""#, "must be an AWS region name such as `us-east-1`"),
        case(PROVIDER, "region", r#"region = """#, "must be an AWS region name"),
        case(PROVIDER, "region", r#"region = "us-east1""#, "must be an AWS region name such as `us-east-1`"),
        missing(PROVIDER, r#"access_key = "AKIDEXAMPLE""#, "`access_key` is set, so `secret_key` must be set too"),
        case(PROVIDER, "propagation_timeout", r#"propagation_timeout = "2 minutes""#, "is not a duration; write it like"),
        case(PROVIDER, "propagation_timeout", r#"propagation_timeout = "2h""#, "must be at most 1h"),
        case(PROVIDER, "max_retries", "max_retries = -1", "must be between 0 and 100; got -1"),
        case(PROVIDER, "policy_checks", r#"policy_checks = "lenient""#, "`policy_checks` must be one of strict, warn, off; got `lenient`"),
        case(PROVIDER, "role_arn", "assume_role {\nrole_arn = \"arn:aws:iam::123456789012:user/terraform\"\n}", "is not an IAM role ARN"),
        case(PROVIDER, "role_arn", "assume_role {\nrole_arn = \"arn:aws-cn:sts::123456789012:role/terraform\"\n}", "is not an IAM role ARN"),
        case(PROVIDER, "duration", "assume_role {\nrole_arn = \"arn:aws:iam::123456789012:role/t\"\nduration = \"1m\"\n}", "between 15m and 12h"),
        case(PROVIDER, "session_name", "assume_role {\nrole_arn = \"arn:aws:iam::123456789012:role/t\"\nsession_name = \"my session\"\n}", "`assume_role.session_name` must be 2 to 64"),
        case(PROVIDER, "external_id", "assume_role {\nrole_arn = \"arn:aws:iam::123456789012:role/t\"\nexternal_id = \"x\"\n}", "`assume_role.external_id` must be 2 to 1224"),
        case(PROVIDER, "sts", "endpoints {\nsts = \"localhost:5000\"\n}", "must be an http:// or https:// URL"),
        case(PROVIDER, "eks", "endpoints {\neks = \"https://\"\n}", "must be an http:// or https:// URL"),
        case(PROVIDER, "tags", "default_tags {\ntags = { \"aws:team\" = \"x\" }\n}", "reserved by AWS"),
    ]
}

/// Rejected at plan: they need the caller's partition or a look at AWS.
#[rustfmt::skip]
fn plan_cases() -> Vec<Case> {
    let cn = "arn:aws-cn:iam::123456789012:oidc-provider/oidc.eks.cn-north-1.amazonaws.com.cn/id/X";
    vec![
        case("resource clusteriam_rancher_csp_adapter_role", "oidc_provider_arn", format!("oidc_provider_arn = \"{cn}\""), "is in partition `aws-cn`, but the provider works in `aws`"),
        case("resource clusteriam_torque_agent_role", "oidc_provider_arn", "oidc_provider_arn = \"arn:aws-us-gov:iam::123456789012:oidc-provider/x.example.com\"", "is in partition `aws-us-gov`"),
        case("resource clusteriam_rancher_node_role", "permissions_boundary", "permissions_boundary = \"arn:aws-cn:iam::123456789012:policy/boundary\"", "is in partition `aws-cn`, but the provider works in `aws`"),
        case("resource clusteriam_torque_agent_role", "policy_arns", "policy_arns = [\"arn:aws-us-gov:iam::aws:policy/ReadOnlyAccess\"]", "is in partition `aws-us-gov`, but the provider works in `aws`"),
        case("resource clusteriam_vpc_dns_hostnames", "vpc_id", "vpc_id = \"vpc-0123456789abcdef0\"", "does not exist in region us-east-1"),
        case("resource clusteriam_cluster_tags", "subnet_ids", "subnet_ids = [\"subnet-0123456789abcdef0\"]", "subnet-0123456789abcdef0"),
        case("data clusteriam_eks_cluster_oidc", "cluster_name", "cluster_name = \"no-such-cluster\"", "no-such-cluster"),
    ]
}

/// The configuration for `cases` after `provider_block`, and for each case
/// its address (if any) and the line Terraform must quote.
fn render(provider_block: &str, cases: &[Case]) -> (String, Vec<(Option<String>, usize)>) {
    let mut text = provider_block.to_string();
    let mut expected = Vec::new();
    for (i, case) in cases.iter().enumerate() {
        let name = format!("c{i:03}");
        let overridden: Vec<&str> = case
            .hcl
            .lines()
            .filter_map(|l| l.split(['=', ' ', '{']).next())
            .filter(|k| !k.is_empty())
            .collect();
        let base = base(case.block);
        let kept = base
            .lines()
            .filter(|l| !overridden.contains(&l.split(' ').next().unwrap_or_default()));
        let (header, address) = match case.block.split_once(' ') {
            Some((kind, ty)) => (
                format!("{kind} \"{ty}\" \"{name}\" {{"),
                Some(match kind {
                    "data" => format!("data.{ty}.{name}"),
                    _ => format!("{ty}.{name}"),
                }),
            ),
            None => (
                format!("provider \"clusteriam\" {{\nalias = \"{name}\""),
                None,
            ),
        };
        text.push('\n');
        let header_line = text.lines().count() + 1;
        let body: Vec<String> = header
            .lines()
            .map(str::to_string)
            .chain(kept.map(str::to_string))
            .chain(case.hcl.lines().map(str::to_string))
            .collect();
        let line = match case.attr {
            Some(attr) => {
                let offset = body
                    .iter()
                    .rposition(|l| l.trim_start().starts_with(&format!("{attr} ")))
                    .unwrap_or_else(|| panic!("case {name}: `{attr}` is not in its HCL"));
                header_line + offset
            }
            None => header_line,
        };
        text.push_str(&body.join("\n"));
        text.push_str("\n}\n");
        if address.is_none() {
            // Terraform validates only the provider configurations in use.
            text.push_str(&format!(
                "data \"clusteriam_policy_document\" \"{name}\" {{\n  provider = clusteriam.{name}\n  preset = \"rancher_etcd_worker\"\n}}\n"
            ));
        }
        expected.push((address, line));
    }
    (text, expected)
}

/// The diagnostics of a run, one text each, with the box drawing removed.
fn diagnostics(run: &Run) -> Vec<String> {
    let out = run.output().replace('│', " ");
    out.split("Error: ")
        .skip(1)
        .map(|d| d.split('╵').next().unwrap_or(d).to_string())
        .collect()
}

fn flat(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Checks that each case has its own diagnostic: on its attribute's line,
/// for its address, with the expected message. Reports every miss at once.
#[track_caller]
fn assert_rejected(run: &Run, cases: &[Case], expected: &[(Option<String>, usize)]) {
    assert_ne!(
        run.code,
        0,
        "terraform should have failed:\n{}",
        run.output()
    );
    let diags = diagnostics(run);
    let mut misses = Vec::new();
    for (case, (address, line)) in cases.iter().zip(expected) {
        let found = diags.iter().any(|d| {
            let text = flat(d);
            let at_line = text.contains(&format!("on main.tf line {line},"))
                && text.contains(&format!("{line}: "));
            let for_address = address
                .as_ref()
                .is_none_or(|a| text.contains(&format!("with {a},")));
            let quotes_attr = case.attr.is_none_or(|attr| {
                text.split(&format!("{line}: "))
                    .nth(1)
                    .is_some_and(|quoted| quoted.trim_start().starts_with(attr))
            });
            at_line && for_address && quotes_attr && text.contains(&flat(case.expect))
        });
        if !found {
            misses.push(format!(
                "{} `{}` (line {line}): expected a diagnostic on `{}` containing `{}`",
                case.block,
                case.hcl.replace('\n', "; "),
                case.attr.unwrap_or("<block>"),
                case.expect
            ));
        }
    }
    assert!(
        misses.is_empty(),
        "{} of {} cases were not rejected as expected:\n{}\n\nterraform output:\n{}",
        misses.len(),
        cases.len(),
        misses.join("\n"),
        run.output()
    );
}

/// Nothing exists in the emulator: no role, instance profile, policy, OIDC
/// provider or tag.
#[track_caller]
fn assert_nothing_created(aws: &Emulator) {
    let iam = aws.iam();
    let ec2 = aws.ec2();
    common::block_on(async {
        let roles = iam.list_roles().send().await.expect("ListRoles");
        assert!(roles.roles().is_empty(), "roles were created: {roles:?}");
        let profiles = iam
            .list_instance_profiles()
            .send()
            .await
            .expect("ListInstanceProfiles");
        assert!(profiles.instance_profiles().is_empty(), "{profiles:?}");
        let policies = iam
            .list_policies()
            .scope(aws_sdk_iam::types::PolicyScopeType::Local)
            .send()
            .await
            .expect("ListPolicies");
        assert!(policies.policies().is_empty(), "{policies:?}");
        let oidc = iam
            .list_open_id_connect_providers()
            .send()
            .await
            .expect("ListOpenIDConnectProviders");
        assert!(oidc.open_id_connect_provider_list().is_empty(), "{oidc:?}");
        let tags = ec2.describe_tags().send().await.expect("DescribeTags");
        assert!(tags.tags().is_empty(), "{tags:?}");
    });
}

#[test]
fn bad_input_is_rejected_at_validate_with_its_path() {
    let aws = Emulator::start();
    let ws = Workspace::new();
    let cases = validate_cases();
    let (hcl, expected) = render(&aws.provider_block(), &cases);
    ws.write(&hcl);
    let run = ws.validate();
    assert_rejected(&run, &cases, &expected);
    // Apply validates first and stops there.
    assert_rejected(&ws.apply(), &cases, &expected);
    assert_nothing_created(&aws);
}

#[test]
fn bad_input_is_rejected_at_plan_with_its_path() {
    let aws = Emulator::start();
    let ws = Workspace::new();
    let cases = plan_cases();
    let (hcl, expected) = render(&aws.provider_block(), &cases);
    ws.write(&hcl);
    ws.validate().assert_ok();
    assert_rejected(&ws.plan(), &cases, &expected);
    assert_rejected(&ws.apply(), &cases, &expected);
    assert_nothing_created(&aws);
}
