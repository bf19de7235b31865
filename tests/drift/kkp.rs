//! The KKP account policy's drift matrix. IAM lets someone else add versions
//! to a managed policy (CreatePolicyVersion, as the default or not), make
//! another version the default (SetDefaultPolicyVersion), attach it to and
//! detach it from users, groups and roles, tag it, or delete it. Its name,
//! path and description cannot change.

use std::collections::{BTreeMap, BTreeSet};

use aws_sdk_iam::types::Tag;
use terraform_provider_clusteriam::policy::{canonical_json, from_iam};

use super::{Lab, Matrix, OWN_TAGS, Row, left_alone, recreated, repaired, sdk};
use crate::common::{ACCOUNT, OWNERSHIP_TAG, block_on};

pub struct KkpMatrix;

pub struct Target {
    arn: String,
    user: String,
}

/// What IAM holds of the policy.
#[derive(Clone, Debug, PartialEq)]
pub struct KkpModel {
    exists: bool,
    path: String,
    description: Option<String>,
    /// The default version's document.
    document: String,
    /// The other versions' documents, sorted.
    other_versions: Vec<String>,
    users: BTreeSet<String>,
    roles: BTreeSet<String>,
    tags: BTreeMap<String, String>,
    marked: bool,
}

const S3_ALL: &str =
    r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:*","Resource":"*"}]}"#;
const TRUST: &str = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"ec2.amazonaws.com"},"Action":"sts:AssumeRole"}]}"#;

fn canonical(document: &str) -> String {
    let decoded = from_iam(document);
    canonical_json(&decoded).unwrap_or(decoded)
}

fn tag(key: &str, value: &str) -> Tag {
    Tag::builder().key(key).value(value).build().unwrap()
}

fn new_version(lab: &Lab, t: &Target, default: bool) {
    sdk(
        "CreatePolicyVersion",
        lab.iam
            .create_policy_version()
            .policy_arn(&t.arn)
            .policy_document(S3_ALL)
            .set_as_default(default)
            .send(),
    );
}

fn tag_policy(lab: &Lab, t: &Target, key: &str, value: &str) {
    sdk(
        "TagPolicy",
        lab.iam
            .tag_policy()
            .policy_arn(&t.arn)
            .tags(tag(key, value))
            .send(),
    );
}

fn untag_policy(lab: &Lab, t: &Target, key: &str) {
    sdk(
        "UntagPolicy",
        lab.iam
            .untag_policy()
            .policy_arn(&t.arn)
            .tag_keys(key)
            .send(),
    );
}

const ATTACHMENTS: &str = "attachments other than to `user_name` may be made by other resources (such as `aws_iam_role_policy_attachment`); destroy detaches the policy from all of them";

impl Matrix for KkpMatrix {
    type Target = Target;
    type Model = KkpModel;

    fn type_name(&self) -> &'static str {
        "clusteriam_kkp_account_policy"
    }

    fn rows(&self) -> Vec<Row<Self>> {
        vec![
            row(
                "policy",
                "a new default version with another document",
                |lab, t| new_version(lab, t, true),
                repaired(
                    &["default_version_id", "policy"],
                    "makes the documented document the default again, as a new version",
                ),
            )
            // The edited version stays, no longer the default.
            .after(|before, changed| {
                let mut other_versions = changed.other_versions.clone();
                other_versions.push(changed.document.clone());
                other_versions.sort();
                KkpModel {
                    document: before.document.clone(),
                    other_versions,
                    ..changed.clone()
                }
            }),
            row(
                "policy",
                "a version added that is not the default",
                |lab, t| new_version(lab, t, false),
                left_alone(
                    "a version that is not the default grants nothing; IAM keeps up to five as the policy's history, and the oldest goes when a new one needs room",
                ),
            ),
            row(
                "policy",
                "another of its versions made the default",
                |lab, t| {
                    new_version(lab, t, false);
                    sdk(
                        "SetDefaultPolicyVersion",
                        lab.iam
                            .set_default_policy_version()
                            .policy_arn(&t.arn)
                            .version_id("v2")
                            .send(),
                    );
                },
                repaired(
                    &["default_version_id", "policy"],
                    "makes the documented document the default again, as a new version",
                ),
            )
            .after(|before, changed| {
                let mut other_versions = changed.other_versions.clone();
                other_versions.push(changed.document.clone());
                other_versions.sort();
                KkpModel {
                    document: before.document.clone(),
                    other_versions,
                    ..changed.clone()
                }
            }),
            row(
                "policy",
                "detached from `user_name`",
                |lab, t| {
                    sdk(
                        "DetachUserPolicy",
                        lab.iam
                            .detach_user_policy()
                            .user_name(&t.user)
                            .policy_arn(&t.arn)
                            .send(),
                    );
                },
                repaired(&["user_name"], "attaches it again"),
            ),
            row(
                "policy",
                "attached to another user",
                |lab, t| {
                    let other = format!("{}-other", t.user);
                    sdk("CreateUser", lab.iam.create_user().user_name(&other).send());
                    sdk(
                        "AttachUserPolicy",
                        lab.iam
                            .attach_user_policy()
                            .user_name(&other)
                            .policy_arn(&t.arn)
                            .send(),
                    );
                },
                left_alone(ATTACHMENTS),
            ),
            row(
                "policy",
                "attached to a role",
                |lab, t| {
                    let role = format!("{}-role", t.user);
                    sdk(
                        "CreateRole",
                        lab.iam
                            .create_role()
                            .role_name(&role)
                            .assume_role_policy_document(TRUST)
                            .send(),
                    );
                    sdk(
                        "AttachRolePolicy",
                        lab.iam
                            .attach_role_policy()
                            .role_name(&role)
                            .policy_arn(&t.arn)
                            .send(),
                    );
                },
                left_alone(ATTACHMENTS),
            ),
            row(
                "policy",
                "a tag added",
                |lab, t| tag_policy(lab, t, "added", "by-someone"),
                repaired(&["tags_all"], "removes it"),
            ),
            row(
                "policy",
                "a tag of `tags` removed",
                |lab, t| untag_policy(lab, t, "cluster"),
                repaired(&["tags", "tags_all"], "puts it back"),
            ),
            row(
                "policy",
                "a tag of `tags` changed",
                |lab, t| tag_policy(lab, t, "cluster", "dev"),
                repaired(&["tags", "tags_all"], "puts the configured value back"),
            ),
            row(
                "policy",
                "a tag of the provider's `default_tags` removed",
                |lab, t| untag_policy(lab, t, "team"),
                repaired(&["tags_all"], "puts it back"),
            ),
            row(
                "policy",
                "the ownership tag (`clusteriam:created-by`) removed",
                |lab, t| untag_policy(lab, t, OWNERSHIP_TAG),
                left_alone(
                    "the tag only tells an interrupted create which policy it made; it is never shown in `tags`",
                ),
            ),
            row(
                "policy",
                "deleted",
                |lab, t| {
                    sdk(
                        "DetachUserPolicy",
                        lab.iam
                            .detach_user_policy()
                            .user_name(&t.user)
                            .policy_arn(&t.arn)
                            .send(),
                    );
                    sdk(
                        "DeletePolicy",
                        lab.iam.delete_policy().policy_arn(&t.arn).send(),
                    );
                },
                recreated("creates it again and attaches it to `user_name`"),
            ),
        ]
    }

    fn target(&self, lab: &Lab, index: usize, _row: &Row<Self>) -> Target {
        let user = format!("drift-kkp-user-{index:02}");
        sdk("CreateUser", lab.iam.create_user().user_name(&user).send());
        Target {
            arn: format!("arn:aws:iam::{ACCOUNT}:policy/drift-kkp-{index:02}"),
            user,
        }
    }

    fn resource(&self, name: &str, target: &Target, row: &Row<Self>) -> String {
        let policy = target.arn.rsplit('/').next().unwrap();
        format!(
            "resource \"clusteriam_kkp_account_policy\" \"{name}\" {{\n  name = \"{policy}\"\n  user_name = \"{}\"\n  {OWN_TAGS}\n  {}\n}}\n",
            target.user, row.config
        )
    }

    fn observe(&self, lab: &Lab, target: &Target) -> KkpModel {
        let iam = &lab.iam;
        let policy = match block_on(iam.get_policy().policy_arn(&target.arn).send()) {
            Ok(out) => out.policy.expect("GetPolicy's policy"),
            Err(e) if format!("{e:?}").contains("NoSuchEntity") => {
                return KkpModel {
                    exists: false,
                    path: String::new(),
                    description: None,
                    document: String::new(),
                    other_versions: Vec::new(),
                    users: BTreeSet::new(),
                    roles: BTreeSet::new(),
                    tags: BTreeMap::new(),
                    marked: false,
                };
            }
            Err(e) => panic!("GetPolicy: {e:?}"),
        };
        let mut document = String::new();
        let mut other_versions = Vec::new();
        let versions = sdk(
            "ListPolicyVersions",
            iam.list_policy_versions().policy_arn(&target.arn).send(),
        );
        for version in versions.versions() {
            let id = version.version_id().unwrap_or_default();
            let text = sdk(
                "GetPolicyVersion",
                iam.get_policy_version()
                    .policy_arn(&target.arn)
                    .version_id(id)
                    .send(),
            )
            .policy_version
            .and_then(|v| v.document)
            .unwrap_or_default();
            if version.is_default_version() {
                document = canonical(&text);
            } else {
                other_versions.push(canonical(&text));
            }
        }
        other_versions.sort();
        let entities = sdk(
            "ListEntitiesForPolicy",
            iam.list_entities_for_policy()
                .policy_arn(&target.arn)
                .send(),
        );
        let mut tags: BTreeMap<String, String> = policy
            .tags()
            .iter()
            .map(|t| (t.key().to_string(), t.value().to_string()))
            .collect();
        let marked = tags.remove(OWNERSHIP_TAG).is_some();
        KkpModel {
            exists: true,
            path: policy.path().unwrap_or("/").to_string(),
            description: policy.description().map(str::to_string),
            document,
            other_versions,
            users: entities
                .policy_users()
                .iter()
                .filter_map(|u| u.user_name().map(str::to_string))
                .collect(),
            roles: entities
                .policy_roles()
                .iter()
                .filter_map(|r| r.role_name().map(str::to_string))
                .collect(),
            tags,
            marked,
        }
    }
}

/// A row of this matrix.
fn row(
    object: &'static str,
    change: &'static str,
    act: fn(&Lab, &Target),
    expect: super::Expect,
) -> Row<KkpMatrix> {
    Row::new(object, change, act, expect)
}
