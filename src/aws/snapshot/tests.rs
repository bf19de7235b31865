//! The bulk read's snapshot says of each object what reading it on its own
//! would, and nothing when it cannot be sure.

use aws_sdk_iam::operation::get_account_authorization_details::GetAccountAuthorizationDetailsOutput;
use aws_sdk_iam::primitives::DateTime;
use aws_sdk_iam::types::{
    AttachedPermissionsBoundary, AttachedPolicy, InstanceProfile, ManagedPolicyDetail,
    PolicyDetail, PolicyVersion, Role, RoleDetail, Tag, UserDetail,
};

use super::*;
use crate::aws::OWNERSHIP_TAG;

const ACCOUNT: &str = "arn:aws:iam::111122223333";
const TRUST: &str = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"ec2.amazonaws.com"},"Action":"sts:AssumeRole"}]}"#;

fn tag(key: &str, value: &str) -> Tag {
    Tag::builder().key(key).value(value).build().unwrap()
}

fn listed(name: &str, description: Option<&str>, max_session: Option<i32>) -> Role {
    Role::builder()
        .role_name(name)
        .path("/")
        .role_id(format!("AROA{name}"))
        .arn(format!("{ACCOUNT}:role/{name}"))
        .create_date(DateTime::from_secs(0))
        .assume_role_policy_document(TRUST)
        .set_description(description.map(str::to_string))
        .set_max_session_duration(max_session)
        .build()
        .unwrap()
}

fn profile(name: &str, roles: &[&str], tags: Vec<Tag>) -> InstanceProfile {
    InstanceProfile::builder()
        .path("/")
        .instance_profile_name(name)
        .instance_profile_id(format!("AIPA{name}"))
        .arn(format!("{ACCOUNT}:instance-profile/{name}"))
        .create_date(DateTime::from_secs(0))
        .set_roles(Some(
            roles
                .iter()
                .map(|r| listed(r, None, None))
                .collect::<Vec<_>>(),
        ))
        .set_tags(Some(tags))
        .build()
        .unwrap()
}

/// A node role as the bulk read lists it: URL-encoded documents (as IAM
/// sends them), a boundary, tags with the ownership mark, an inline and an
/// attached policy, and its instance profile.
fn node_role_detail() -> RoleDetail {
    RoleDetail::builder()
        .role_name("node")
        .path("/")
        .role_id("AROAnode")
        .arn(format!("{ACCOUNT}:role/node"))
        .assume_role_policy_document(
            percent_encoding::utf8_percent_encode(TRUST, percent_encoding::NON_ALPHANUMERIC)
                .to_string(),
        )
        .permissions_boundary(
            AttachedPermissionsBoundary::builder()
                .permissions_boundary_arn(format!("{ACCOUNT}:policy/boundary"))
                .build(),
        )
        .tags(tag("team", "platform"))
        .tags(tag(OWNERSHIP_TAG, "mark-1"))
        .role_policy_list(
            PolicyDetail::builder()
                .policy_name("inline")
                .policy_document("%7B%22Version%22%3A%222012-10-17%22%7D")
                .build(),
        )
        .attached_managed_policies(
            AttachedPolicy::builder()
                .policy_arn(format!("{ACCOUNT}:policy/attached"))
                .build(),
        )
        .instance_profile_list(profile(
            "node",
            &["node"],
            vec![tag("team", "platform"), tag(OWNERSHIP_TAG, "mark-2")],
        ))
        .instance_profile_list(profile("other", &["node"], vec![]))
        .build()
}

fn page() -> GetAccountAuthorizationDetailsOutput {
    GetAccountAuthorizationDetailsOutput::builder()
        .role_detail_list(node_role_detail())
        .role_detail_list(RoleDetail::builder().role_name("plain").build())
        // Made between the two listings: not in ListRoles.
        .role_detail_list(RoleDetail::builder().role_name("new").build())
        .policies(
            ManagedPolicyDetail::builder()
                .arn(format!("{ACCOUNT}:policy/kkp"))
                .default_version_id("v2")
                .policy_version_list(
                    PolicyVersion::builder()
                        .version_id("v1")
                        .document("%7B%7D")
                        .build(),
                )
                .policy_version_list(
                    PolicyVersion::builder()
                        .version_id("v2")
                        .document("%7B%22Version%22%3A%222012-10-17%22%7D")
                        .build(),
                )
                .build(),
        )
        .policies(
            ManagedPolicyDetail::builder()
                .arn(format!("{ACCOUNT}:policy/unattached"))
                .build(),
        )
        .user_detail_list(
            UserDetail::builder()
                .user_name("kkp")
                .attached_managed_policies(
                    AttachedPolicy::builder()
                        .policy_arn(format!("{ACCOUNT}:policy/kkp"))
                        .build(),
                )
                .attached_managed_policies(
                    AttachedPolicy::builder()
                        .policy_arn("arn:aws:iam::aws:policy/ReadOnlyAccess")
                        .build(),
                )
                .build(),
        )
        .build()
}

fn snapshot() -> Snapshot {
    Snapshot::new(
        &[page()],
        &[
            listed("node", Some("Rancher nodes"), Some(7200)),
            listed("plain", Some(""), None),
            // Deleted between the two listings: not in the details.
            listed("gone", None, None),
        ],
    )
}

fn present<T>(seen: Seen<T>) -> T {
    match seen {
        Seen::Present(value) => value,
        Seen::Absent => panic!("absent"),
        Seen::Unsure => panic!("unsure"),
    }
}

#[test]
fn a_role_is_observed_as_reading_it_alone_would() {
    let snapshot = snapshot();
    let role = present(snapshot.observed_role("node", Profiles::Skip));
    assert_eq!(
        role,
        ObservedRole {
            name: "node".into(),
            path: "/".into(),
            arn: format!("{ACCOUNT}:role/node"),
            unique_id: "AROAnode".into(),
            description: Some("Rancher nodes".into()),
            trust: TRUST.into(),
            max_session_duration: 7200,
            permissions_boundary: Some(format!("{ACCOUNT}:policy/boundary")),
            tags: [("team".to_string(), "platform".to_string())].into(),
            mark: Some("mark-1".into()),
            inline_policies: [(
                "inline".to_string(),
                r#"{"Version":"2012-10-17"}"#.to_string()
            )]
            .into(),
            managed_policies: [format!("{ACCOUNT}:policy/attached")].into(),
            instance_profiles: vec![],
            own_profile: None,
        }
    );
    // GetRole's defaults: no description, an hour's sessions.
    let plain = present(snapshot.observed_role("plain", Profiles::Skip));
    assert_eq!(
        (plain.description, plain.max_session_duration),
        (None, 3600)
    );
}

#[test]
fn instance_profiles_are_observed_as_each_read_asks() {
    let snapshot = snapshot();
    // Profiles::Own: the profile named like the role, with its tags and mark.
    let own = present(snapshot.observed_role("node", Profiles::Own));
    assert!(own.instance_profiles.is_empty());
    assert_eq!(
        own.own_profile,
        Some(ObservedProfile {
            name: "node".into(),
            arn: format!("{ACCOUNT}:instance-profile/node"),
            roles: vec!["node".into()],
            tags: [("team".to_string(), "platform".to_string())].into(),
            mark: Some("mark-2".into()),
        })
    );
    // Profiles::All: every profile holding the role, without tags, as
    // ListInstanceProfilesForRole answers.
    let all = present(snapshot.observed_role("node", Profiles::All));
    assert_eq!(all.own_profile, None);
    let names: Vec<_> = all.instance_profiles.iter().map(|p| &p.name).collect();
    assert_eq!(names, ["node", "other"]);
    assert!(
        all.instance_profiles
            .iter()
            .all(|p| p.tags.is_empty() && p.mark.is_none())
    );
}

#[test]
fn a_profile_listed_without_tags_or_without_the_role_is_left_to_its_own_read() {
    let mut detail = node_role_detail();
    detail.instance_profile_list = Some(vec![profile("node", &["node"], vec![])]);
    let page = GetAccountAuthorizationDetailsOutput::builder()
        .role_detail_list(detail)
        .role_detail_list(RoleDetail::builder().role_name("lost").build())
        .build();
    let snapshot = Snapshot::new(
        &[page],
        &[listed("node", None, None), listed("lost", None, None)],
    );
    // The listing may leave a profile's tags out: they are read on their own.
    let node = present(snapshot.observed_role("node", Profiles::Own));
    assert_eq!(node.own_profile, None);
    // A role whose profile lost it: the profile is read on its own too.
    let lost = present(snapshot.observed_role("lost", Profiles::Own));
    assert_eq!(lost.own_profile, None);
}

#[test]
fn what_the_listings_cannot_say_is_read_on_its_own() {
    let snapshot = snapshot();
    assert_eq!(
        snapshot.observed_role("absent", Profiles::Skip),
        Seen::Absent
    );
    // In one listing only: made or deleted between the two.
    assert_eq!(snapshot.observed_role("new", Profiles::Skip), Seen::Unsure);
    assert_eq!(snapshot.observed_role("gone", Profiles::Skip), Seen::Unsure);
    // IAM names are unique whatever their case.
    assert_eq!(snapshot.observed_role("NODE", Profiles::Skip), Seen::Unsure);
}

#[test]
fn policies_give_each_version_decoded_and_their_users() {
    let snapshot = snapshot();
    let kkp = format!("{ACCOUNT}:policy/kkp");
    assert_eq!(
        snapshot.policy_document(&kkp, "v2").as_deref(),
        Some(r#"{"Version":"2012-10-17"}"#)
    );
    assert_eq!(snapshot.policy_document(&kkp, "v1").as_deref(), Some("{}"));
    assert_eq!(snapshot.policy_document(&kkp, "v3"), None);
    assert_eq!(snapshot.users_of(&kkp), Some(vec!["kkp".to_string()]));
    assert_eq!(
        snapshot.users_of(&format!("{ACCOUNT}:policy/unattached")),
        Some(vec![])
    );
    // Not listed (made since): read on its own.
    assert_eq!(snapshot.users_of(&format!("{ACCOUNT}:policy/new")), None);
    assert_eq!(
        snapshot.policy_document(&format!("{ACCOUNT}:policy/new"), "v1"),
        None
    );
}

#[test]
fn reads_do_not_count_as_changes() {
    let reads = [
        "GetRole",
        "ListRoles",
        "GetAccountAuthorizationDetails",
        "DescribeTags",
    ];
    let writes = [
        "CreateRole",
        "TagRole",
        "PutRolePolicy",
        "AddRoleToInstanceProfile",
        "CreateTags",
        "ModifyVpcAttribute",
        "UpdateOpenIDConnectProviderThumbprint",
    ];
    for read in reads {
        assert!(!changes_aws(read), "{read}");
    }
    for write in writes {
        assert!(changes_aws(write), "{write}");
    }
}

#[test]
fn the_setting_takes_its_three_values() {
    for value in BulkReads::VALUES {
        assert!(BulkReads::parse(value).is_some(), "{value}");
    }
    assert_eq!(BulkReads::parse("on"), None);
    assert_eq!(BulkReads::default(), BulkReads::Auto);
}
