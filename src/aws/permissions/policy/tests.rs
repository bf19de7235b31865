//! The statements of the provider's policy: ARNs in the caller's partition
//! and account, and the conditions IAM evaluates (which the emulator under
//! enforcement does not: its tests prove the actions).

use super::*;
use serde_json::{Value, json};

const ACCOUNT: &str = "111122223333";

/// The statements of a rendered policy, by Sid.
fn statements(document: &Document) -> BTreeMap<String, Value> {
    let json: Value = serde_json::from_str(&document.to_canonical_json()).unwrap();
    json["Statement"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| (s["Sid"].as_str().unwrap().to_string(), s.clone()))
        .collect()
}

/// The statements of the default policy (no scope), in `aws` and [`ACCOUNT`].
fn default_statements() -> BTreeMap<String, Value> {
    statements(&policy(&[], "aws", ACCOUNT))
}

/// A JSON value as a list of strings (IAM writes one item as a string).
fn list(value: &Value) -> Vec<String> {
    match value {
        Value::String(s) => vec![s.clone()],
        Value::Array(items) => items
            .iter()
            .map(|v| v.as_str().unwrap().to_string())
            .collect(),
        Value::Null => vec![],
        other => panic!("not a string list: {other}"),
    }
}

#[test]
fn the_default_policy_is_in_the_callers_partition_and_account_and_valid() {
    for partition in ["aws", "aws-cn", "aws-us-gov"] {
        let document = policy(&[], partition, ACCOUNT);
        let json = document.to_canonical_json();
        assert!(!json.contains("${"), "{json}");
        assert!(!json.contains("sts:AssumeRole"), "{json}");
        assert!(
            !json.contains("iam:GetAccountAuthorizationDetails"),
            "{json}"
        );
        assert_eq!(
            crate::policy::check::check(&json, crate::policy::check::Kind::Managed),
            vec![]
        );
        for (sid, statement) in statements(&document) {
            for resource in list(&statement["Resource"]) {
                assert!(
                    resource == "*" || resource.starts_with(&format!("arn:{partition}:")),
                    "{sid}: {resource}"
                );
                assert!(
                    resource == "*" || resource.contains(ACCOUNT),
                    "{sid}: {resource}"
                );
            }
        }
    }
    // Only what the types asked for.
    let vpc = policy(&["clusteriam_vpc_dns_hostnames"], "aws", ACCOUNT).to_canonical_json();
    assert!(
        vpc.contains("ec2:ModifyVpcAttribute") && !vpc.contains("iam:"),
        "{vpc}"
    );
}

#[test]
fn ec2_tags_are_only_the_cluster_tag_on_instances_subnets_and_security_groups() {
    let all = default_statements();
    let tags = &all["ClusterTags"];
    assert_eq!(list(&tags["Action"]), ["ec2:CreateTags", "ec2:DeleteTags"]);
    assert_eq!(
        list(&tags["Resource"]),
        [
            "arn:aws:ec2:*:111122223333:instance/*",
            "arn:aws:ec2:*:111122223333:subnet/*",
            "arn:aws:ec2:*:111122223333:security-group/*",
        ]
    );
    assert_eq!(
        tags["Condition"],
        json!({
            "ForAllValues:StringLike": { "aws:TagKeys": "kubernetes.io/cluster/*" },
            "Null": { "aws:TagKeys": "false" }
        })
    );
    // Every key the provider writes matches.
    let key = crate::kubernetes::cluster_tag_key("c-abc12:prod_1.x@y=z+w");
    assert!(
        key.starts_with(CLUSTER_TAG_KEYS.trim_end_matches('*')),
        "{key}"
    );
    // No other statement grants an EC2 tag action.
    for (sid, statement) in &all {
        if sid != "ClusterTags" {
            assert!(
                !list(&statement["Action"])
                    .iter()
                    .any(|a| a.ends_with("Tags") && a.starts_with("ec2:Create")),
                "{sid}"
            );
        }
    }
}

#[test]
fn users_get_only_managed_policies_of_the_account_and_roles_are_passed_only_to_instance_profiles() {
    let all = default_statements();
    let users = &all["PolicyUsers"];
    assert_eq!(
        list(&users["Action"]),
        ["iam:AttachUserPolicy", "iam:DetachUserPolicy"]
    );
    assert_eq!(
        list(&users["Resource"]),
        ["arn:aws:iam::111122223333:user/*"]
    );
    // AWS managed policies (arn:aws:iam::aws:policy/AdministratorAccess)
    // have `aws` where the account is: they do not match.
    assert_eq!(
        users["Condition"],
        json!({ "ArnLike": { "iam:PolicyARN": "arn:aws:iam::111122223333:policy/*" } })
    );
    let pass = &all["PassRolesToInstanceProfiles"];
    assert_eq!(list(&pass["Action"]), ["iam:PassRole"]);
    assert_eq!(
        pass["Condition"],
        json!({ "ArnLike": { "iam:AssociatedResourceArn": "arn:aws:ec2:*:111122223333:instance/*" } })
    );
}

/// What the permissions page says the default allows must hold: the role
/// writes are on every role, without a condition.
#[test]
fn the_default_role_statement_is_what_the_page_says_it_is() {
    let roles = &default_statements()["Roles"];
    assert_eq!(
        list(&roles["Resource"]),
        ["arn:aws:iam::111122223333:role/*"]
    );
    assert!(roles.get("Condition").is_none());
    for action in [
        "iam:AttachRolePolicy",
        "iam:PutRolePolicy",
        "iam:UpdateAssumeRolePolicy",
        "iam:DeleteRolePermissionsBoundary",
        "iam:TagRole",
    ] {
        assert!(
            list(&roles["Action"]).contains(&action.to_string()),
            "{action}"
        );
    }
    let page = include_str!("../../../../docs/guides/permissions.md");
    assert!(page.contains("equivalent to administrator over IAM roles"));
}

#[test]
fn a_path_and_name_prefix_narrow_roles_instance_profiles_and_managed_policies() {
    let scoped = |path, prefix| {
        statements(&scoped_policy(
            &[],
            "aws",
            ACCOUNT,
            &Scope {
                iam_path: path,
                iam_name_prefix: prefix,
                ..Scope::default()
            },
        ))
    };
    let all = scoped(Some("/kubernetes/"), Some("rancher-"));
    for (sid, kind) in [
        ("Roles", "role"),
        ("PassRolesToInstanceProfiles", "role"),
        ("InstanceProfiles", "instance-profile"),
        ("ManagedPolicies", "policy"),
    ] {
        assert_eq!(
            list(&all[sid]["Resource"]),
            [format!(
                "arn:aws:iam::111122223333:{kind}/kubernetes/rancher-*"
            )],
            "{sid}"
        );
    }
    assert_eq!(
        all["PolicyUsers"]["Condition"],
        json!({ "ArnLike": { "iam:PolicyARN": "arn:aws:iam::111122223333:policy/kubernetes/rancher-*" } })
    );
    // The service-linked role keeps its own path, and its refresh (GetRole)
    // still reaches it.
    let slr = "arn:aws:iam::111122223333:role/aws-service-role/eks-connector.amazonaws.com/*";
    assert_eq!(list(&all["ServiceLinkedRole"]["Resource"]), [slr]);
    assert_eq!(list(&all["ReadRoles"]["Action"]), ["iam:GetRole"]);
    assert!(list(&all["ReadRoles"]["Resource"]).contains(&slr.to_string()));
    assert_eq!(
        list(&scoped(None, Some("rancher-"))["Roles"]["Resource"]),
        ["arn:aws:iam::111122223333:role/rancher-*"]
    );
    assert_eq!(
        list(&scoped(Some("/kubernetes/"), None)["Roles"]["Resource"]),
        ["arn:aws:iam::111122223333:role/kubernetes/*"]
    );
}

#[test]
fn a_permissions_boundary_caps_every_role_and_cannot_be_removed() {
    const BOUNDARY: &str = "arn:aws:iam::111122223333:policy/platform-boundary";
    let arns = [
        "arn:aws:iam::aws:policy/ReadOnlyAccess",
        "arn:aws:iam::111122223333:policy/torque-*",
    ];
    let document = scoped_policy(
        &[],
        "aws",
        ACCOUNT,
        &Scope {
            permissions_boundary: Some(BOUNDARY),
            policy_arns: &arns,
            ..Scope::default()
        },
    );
    let all = statements(&document);
    let bounded = &all["RolesWithTheBoundary"];
    assert_eq!(
        list(&bounded["Action"]),
        BOUNDED
            .map(String::from)
            .into_iter()
            .collect::<BTreeSet<_>>()
            .into_iter()
            .collect::<Vec<_>>()
    );
    assert_eq!(
        bounded["Condition"],
        json!({ "StringEquals": { "iam:PermissionsBoundary": BOUNDARY } })
    );
    let attach = &all["AttachRolePolicies"];
    assert_eq!(list(&attach["Action"]), ["iam:AttachRolePolicy"]);
    assert_eq!(
        attach["Condition"],
        json!({
            "ArnLike": { "iam:PolicyARN": arns },
            "StringEquals": { "iam:PermissionsBoundary": BOUNDARY }
        })
    );
    let json = document.to_canonical_json();
    assert!(
        !json.contains("iam:DeleteRolePermissionsBoundary"),
        "{json}"
    );
    for action in BOUNDED.iter().chain(&["iam:AttachRolePolicy"]) {
        assert!(
            !list(&all["Roles"]["Action"]).contains(&action.to_string()),
            "{action} unbounded"
        );
    }
    assert_eq!(
        crate::policy::check::check(&json, crate::policy::check::Kind::Managed),
        vec![]
    );

    // Every other action the default grants is still granted.
    let granted = |d: &Document| -> BTreeSet<String> {
        statements(d)
            .values()
            .flat_map(|s| list(&s["Action"]))
            .collect()
    };
    let mut default = granted(&policy(&[], "aws", ACCOUNT));
    default.remove("iam:DeleteRolePermissionsBoundary");
    assert_eq!(granted(&document), default);
}

/// IAM wants a policy's statement ids unique; and no action is granted in
/// two statements, so the page's one statement per action is the truth.
#[test]
fn statement_ids_are_unique_and_each_action_has_one_statement() {
    const BOUNDARY: &str = "arn:aws:iam::111122223333:policy/b";
    let arns = ["arn:aws:iam::aws:policy/ReadOnlyAccess"];
    for scope in [
        Scope::default(),
        Scope {
            iam_path: Some("/k/"),
            ..Scope::default()
        },
        Scope {
            iam_name_prefix: Some("p-"),
            permissions_boundary: Some(BOUNDARY),
            ..Scope::default()
        },
        Scope {
            policy_arns: &arns,
            ..Scope::default()
        },
    ] {
        let json: Value =
            serde_json::from_str(&scoped_policy(&[], "aws", ACCOUNT, &scope).to_canonical_json())
                .unwrap();
        let mut sids = BTreeSet::new();
        let mut actions = BTreeSet::new();
        for statement in json["Statement"].as_array().unwrap() {
            assert!(
                sids.insert(statement["Sid"].as_str().unwrap().to_string()),
                "{scope:?}: {statement}"
            );
            for action in list(&statement["Action"]) {
                assert!(actions.insert(action.clone()), "{scope:?}: {action} twice");
            }
        }
    }
}
