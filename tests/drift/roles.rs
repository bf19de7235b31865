//! The role kinds' drift matrix. IAM lets someone else change a role's trust
//! policy (UpdateAssumeRolePolicy), description and session length
//! (UpdateRole), permissions boundary (Put/DeleteRolePermissionsBoundary),
//! tags (Tag/UntagRole), inline policies (Put/DeleteRolePolicy), managed
//! policies (Attach/DetachRolePolicy), delete it (DeleteRole), and, for a
//! role with an instance profile, the profile's role and tags
//! (Add/RemoveRoleFromInstanceProfile, Tag/UntagInstanceProfile,
//! DeleteInstanceProfile). A role's name and path cannot change.

use std::collections::{BTreeMap, BTreeSet};

use aws_sdk_iam::types::Tag;
use terraform_provider_clusteriam::policy::{canonical_json, from_iam};

use super::{Lab, Matrix, OWN_TAGS, Row, left_alone, recreated, repaired, sdk};
use crate::common::{ACCOUNT, OWNERSHIP_TAG};

/// The role-shaped resources.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    Node,
    CspAdapter,
    TorqueAgent,
    ConnectorAgent,
    BillingAdapter,
    TorqueTarget,
    KkpAssume,
}

impl Kind {
    pub const ALL: [Kind; 7] = [
        Kind::Node,
        Kind::CspAdapter,
        Kind::TorqueAgent,
        Kind::ConnectorAgent,
        Kind::BillingAdapter,
        Kind::TorqueTarget,
        Kind::KkpAssume,
    ];

    pub fn type_name(self) -> &'static str {
        match self {
            Kind::Node => "clusteriam_rancher_node_role",
            Kind::CspAdapter => "clusteriam_rancher_csp_adapter_role",
            Kind::TorqueAgent => "clusteriam_torque_agent_role",
            Kind::ConnectorAgent => "clusteriam_eks_connector_agent_role",
            Kind::BillingAdapter => "clusteriam_rancher_billing_adapter_role",
            Kind::TorqueTarget => "clusteriam_torque_target_role",
            Kind::KkpAssume => "clusteriam_kkp_assume_role",
        }
    }

    fn short(self) -> &'static str {
        match self {
            Kind::Node => "node",
            Kind::CspAdapter => "csp",
            Kind::TorqueAgent => "torque",
            Kind::ConnectorAgent => "connector",
            Kind::BillingAdapter => "billing",
            Kind::TorqueTarget => "target",
            Kind::KkpAssume => "kkp",
        }
    }

    /// The name of the role's own inline policy (the billing adapter's role
    /// has none: its rows about it are left out).
    fn policy_name(self) -> &'static str {
        match self {
            Kind::Node => "RancherNodePolicy",
            Kind::CspAdapter => "RancherCSPAdapterPermissions",
            Kind::TorqueAgent => "TorqueAgentPolicy",
            Kind::ConnectorAgent => "AmazonEKSConnectorAgentPolicy",
            Kind::BillingAdapter => "",
            Kind::TorqueTarget => "TorqueTargetPolicy",
            Kind::KkpAssume => "KubermaticKKPPolicy",
        }
    }

    /// Whether the role's trust holds an external id (`external_id`).
    fn cross_account(self) -> bool {
        matches!(self, Kind::TorqueTarget | Kind::KkpAssume)
    }
}

/// The AWS-managed policy the billing adapter's role has.
const METERING: &str = "arn:aws:iam::aws:policy/AWSMarketplaceMeteringFullAccess";
/// The external id of the cross-account roles' configurations.
const EXTERNAL_ID: &str = "drift-external-id";

pub struct RoleMatrix(pub Kind);

pub struct Target {
    kind: Kind,
    name: String,
}

/// What IAM holds of a role and its instance profiles.
#[derive(Clone, Debug, PartialEq)]
pub struct RoleModel {
    exists: bool,
    path: String,
    trust: String,
    description: Option<String>,
    max_session_duration: i32,
    permissions_boundary: Option<String>,
    tags: BTreeMap<String, String>,
    marked: bool,
    inline_policies: BTreeMap<String, String>,
    managed_policies: BTreeSet<String>,
    /// The instance profiles holding the role.
    instance_profiles: BTreeSet<String>,
    /// The instance profile named like the role: its roles and tags.
    own_profile: Option<(Vec<String>, BTreeMap<String, String>)>,
}

const OIDC_HOST: &str = "oidc.eks.us-east-1.amazonaws.com/id/DRIFTMATRIX";
const S3_ALL: &str =
    r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:*","Resource":"*"}]}"#;
const ADMIN: &str =
    r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]}"#;
const LAMBDA_TRUST: &str = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"lambda.amazonaws.com"},"Action":"sts:AssumeRole"}]}"#;
/// A service account name longer than a DNS label: Kubernetes allows up to
/// 253 characters (issue 26, fix 10).
const LONG_SERVICE_ACCOUNT: &str =
    "torque-runner-with-a-service-account-name-longer-than-sixty-three-characters";

fn policy_arn(name: &str) -> String {
    format!("arn:aws:iam::{ACCOUNT}:policy/{name}")
}

fn canonical(document: &str) -> String {
    let decoded = from_iam(document);
    canonical_json(&decoded).unwrap_or(decoded)
}

fn tag(key: &str, value: &str) -> Tag {
    Tag::builder().key(key).value(value).build().unwrap()
}

impl Matrix for RoleMatrix {
    type Target = Target;
    type Model = RoleModel;

    fn type_name(&self) -> &'static str {
        self.0.type_name()
    }

    fn rows(&self) -> Vec<Row<Self>> {
        let kind = self.0;
        let own_policy_config = match kind {
            // The Torque roles' inline policy is the user's to write.
            Kind::TorqueAgent | Kind::TorqueTarget => {
                r#"policy = jsonencode({ Version = "2012-10-17", Statement = [{ Effect = "Allow", Action = "s3:GetObject", Resource = "*" }] })"#
            }
            _ => "",
        };
        let boundary = format!(
            "permissions_boundary = \"{}\"",
            policy_arn("drift-boundary")
        );
        let (attached_shows, attached_apply): (&[&str], _) = match kind {
            Kind::TorqueAgent | Kind::TorqueTarget => (
                &["policy_arns"],
                "detaches it: the role has exactly `policy_arns`",
            ),
            Kind::BillingAdapter => (
                &["policy_arns"],
                "detaches it: the role has exactly `AWSMarketplaceMeteringFullAccess`",
            ),
            _ => (&["extra_policy_arns"], "detaches it"),
        };
        // A trust replaced by another no longer requires the external id.
        let trust_shows: &[&str] = match kind.cross_account() {
            true => &["assume_role_policy", "external_id"],
            false => &["assume_role_policy"],
        };
        let mut rows = vec![
            row(
                "role",
                "its trust policy edited",
                |lab, t| {
                    sdk(
                        "UpdateAssumeRolePolicy",
                        lab.iam
                            .update_assume_role_policy()
                            .role_name(&t.name)
                            .policy_document(LAMBDA_TRUST)
                            .send(),
                    );
                },
                repaired(trust_shows, "puts the documented trust policy back"),
            ),
            row(
                "role",
                "its inline policy edited",
                |lab, t| {
                    sdk(
                        "PutRolePolicy",
                        lab.iam
                            .put_role_policy()
                            .role_name(&t.name)
                            .policy_name(t.kind.policy_name())
                            .policy_document(ADMIN)
                            .send(),
                    );
                },
                repaired(&["policy"], "puts the policy back"),
            )
            .config(own_policy_config),
            row(
                "role",
                "its inline policy deleted",
                |lab, t| {
                    sdk(
                        "DeleteRolePolicy",
                        lab.iam
                            .delete_role_policy()
                            .role_name(&t.name)
                            .policy_name(t.kind.policy_name())
                            .send(),
                    );
                },
                repaired(&["policy"], "puts the policy back"),
            )
            .config(own_policy_config),
            row(
                "role",
                "an inline policy of another name put on it",
                |lab, t| {
                    sdk(
                        "PutRolePolicy",
                        lab.iam
                            .put_role_policy()
                            .role_name(&t.name)
                            .policy_name("admin")
                            .policy_document(ADMIN)
                            .send(),
                    );
                },
                repaired(&["extra_inline_policies"], "deletes it"),
            ),
            row(
                "role",
                "a managed policy attached",
                |lab, t| {
                    sdk(
                        "AttachRolePolicy",
                        lab.iam
                            .attach_role_policy()
                            .role_name(&t.name)
                            .policy_arn(policy_arn("drift-a"))
                            .send(),
                    );
                },
                repaired(attached_shows, attached_apply),
            ),
            row(
                "role",
                "a tag added",
                |lab, t| {
                    sdk(
                        "TagRole",
                        lab.iam
                            .tag_role()
                            .role_name(&t.name)
                            .tags(tag("added", "by-someone"))
                            .send(),
                    );
                },
                repaired(&["tags_all"], "removes it"),
            ),
            row(
                "role",
                "a tag of `tags` removed",
                |lab, t| {
                    sdk(
                        "UntagRole",
                        lab.iam
                            .untag_role()
                            .role_name(&t.name)
                            .tag_keys("cluster")
                            .send(),
                    );
                },
                repaired(&["tags", "tags_all"], "puts it back"),
            ),
            row(
                "role",
                "a tag of `tags` changed",
                |lab, t| {
                    sdk(
                        "TagRole",
                        lab.iam
                            .tag_role()
                            .role_name(&t.name)
                            .tags(tag("cluster", "dev"))
                            .send(),
                    );
                },
                repaired(&["tags", "tags_all"], "puts the configured value back"),
            ),
            row(
                "role",
                "a tag of the provider's `default_tags` removed",
                |lab, t| {
                    sdk(
                        "UntagRole",
                        lab.iam
                            .untag_role()
                            .role_name(&t.name)
                            .tag_keys("team")
                            .send(),
                    );
                },
                repaired(&["tags_all"], "puts it back"),
            ),
            row(
                "role",
                "the ownership tag (`clusteriam:created-by`) removed",
                |lab, t| {
                    sdk(
                        "UntagRole",
                        lab.iam
                            .untag_role()
                            .role_name(&t.name)
                            .tag_keys(OWNERSHIP_TAG)
                            .send(),
                    );
                },
                left_alone(
                    "the tag only tells an interrupted create which role it made; it is never shown in `tags`",
                ),
            ),
            row(
                "role",
                "a description set",
                |lab, t| {
                    sdk(
                        "UpdateRole",
                        lab.iam
                            .update_role()
                            .role_name(&t.name)
                            .description("set by someone")
                            .send(),
                    );
                },
                repaired(&["description"], "removes it"),
            ),
            row(
                "role",
                "its description changed",
                |lab, t| {
                    sdk(
                        "UpdateRole",
                        lab.iam
                            .update_role()
                            .role_name(&t.name)
                            .description("changed by someone")
                            .send(),
                    );
                },
                repaired(&["description"], "puts the configured one back"),
            )
            .config(r#"description = "documented""#),
            row(
                "role",
                "its description removed",
                |lab, t| {
                    sdk(
                        "UpdateRole",
                        lab.iam
                            .update_role()
                            .role_name(&t.name)
                            .description("")
                            .send(),
                    );
                },
                repaired(&["description"], "puts the configured one back"),
            )
            .config(r#"description = "documented""#),
            row(
                "role",
                "its maximum session duration changed",
                |lab, t| {
                    sdk(
                        "UpdateRole",
                        lab.iam
                            .update_role()
                            .role_name(&t.name)
                            .max_session_duration(43200)
                            .send(),
                    );
                },
                repaired(&["max_session_duration"], "puts the configured one back"),
            ),
            row(
                "role",
                "a permissions boundary set",
                |lab, t| {
                    sdk(
                        "PutRolePermissionsBoundary",
                        lab.iam
                            .put_role_permissions_boundary()
                            .role_name(&t.name)
                            .permissions_boundary(policy_arn("drift-boundary"))
                            .send(),
                    );
                },
                repaired(&["permissions_boundary"], "removes it"),
            ),
            row(
                "role",
                "its permissions boundary removed",
                |lab, t| {
                    sdk(
                        "DeleteRolePermissionsBoundary",
                        lab.iam
                            .delete_role_permissions_boundary()
                            .role_name(&t.name)
                            .send(),
                    );
                },
                repaired(&["permissions_boundary"], "puts it back"),
            )
            .config(boundary.clone()),
            row(
                "role",
                "its permissions boundary replaced",
                |lab, t| {
                    sdk(
                        "PutRolePermissionsBoundary",
                        lab.iam
                            .put_role_permissions_boundary()
                            .role_name(&t.name)
                            .permissions_boundary(policy_arn("drift-boundary-2"))
                            .send(),
                    );
                },
                repaired(&["permissions_boundary"], "puts the configured one back"),
            )
            .config(boundary),
            row(
                "role",
                "deleted",
                delete_role,
                recreated(match kind {
                    Kind::Node => {
                        "creates it again and puts it back in its instance profile, which it takes over"
                    }
                    _ => "creates it again",
                }),
            ),
        ];
        if kind == Kind::BillingAdapter {
            // No inline policy of its own: none to edit or delete.
            rows.retain(|r| !r.change.starts_with("its inline policy"));
            rows.push(row(
                "role",
                "its AWS-managed `AWSMarketplaceMeteringFullAccess` detached",
                |lab, t| {
                    sdk(
                        "DetachRolePolicy",
                        lab.iam
                            .detach_role_policy()
                            .role_name(&t.name)
                            .policy_arn(METERING)
                            .send(),
                    );
                },
                repaired(&["policy_arns"], "attaches it again"),
            ));
        }
        if kind.cross_account() {
            rows.extend([
                row(
                    "role",
                    "its trust's external id changed",
                    |lab, t| {
                        let trust = observe_role(lab, &t.name, false)
                            .trust
                            .replace(EXTERNAL_ID, "someone-elses-id");
                        sdk(
                            "UpdateAssumeRolePolicy",
                            lab.iam
                                .update_assume_role_policy()
                                .role_name(&t.name)
                                .policy_document(trust)
                                .send(),
                        );
                    },
                    repaired(&["external_id"], "puts the configured external id back"),
                ),
                row(
                    "role",
                    "its trust's external id condition removed",
                    |lab, t| {
                        let mut trust: serde_json::Value =
                            serde_json::from_str(&observe_role(lab, &t.name, false).trust).unwrap();
                        trust["Statement"][0]
                            .as_object_mut()
                            .unwrap()
                            .remove("Condition");
                        sdk(
                            "UpdateAssumeRolePolicy",
                            lab.iam
                                .update_assume_role_policy()
                                .role_name(&t.name)
                                .policy_document(trust.to_string())
                                .send(),
                        );
                    },
                    repaired(
                        &["assume_role_policy", "external_id"],
                        "requires the external id again",
                    ),
                ),
            ]);
        }
        if kind == Kind::TorqueAgent || kind == Kind::TorqueTarget {
            rows.extend([
                row(
                    "role",
                    "a managed policy of `policy_arns` detached",
                    |lab, t| {
                        sdk(
                            "DetachRolePolicy",
                            lab.iam
                                .detach_role_policy()
                                .role_name(&t.name)
                                .policy_arn(policy_arn("drift-a"))
                                .send(),
                        );
                    },
                    repaired(&["policy_arns"], "attaches it again"),
                )
                .config(format!("policy_arns = [\"{}\"]", policy_arn("drift-a"))),
                row(
                    "role",
                    match kind {
                        Kind::TorqueAgent => {
                            "an inline policy named `TorqueAgentPolicy` put on it while `policy` is unset"
                        }
                        _ => {
                            "an inline policy named `TorqueTargetPolicy` put on it while `policy` is unset"
                        }
                    },
                    |lab, t| {
                        sdk(
                            "PutRolePolicy",
                            lab.iam
                                .put_role_policy()
                                .role_name(&t.name)
                                .policy_name(t.kind.policy_name())
                                .policy_document(ADMIN)
                                .send(),
                        );
                    },
                    repaired(&["policy"], "deletes it"),
                ),
            ]);
        }
        if kind == Kind::Node {
            const PROFILE: &[&str] = &[
                "instance_profile_arn",
                "instance_profile_name",
                "instance_profile_tags",
            ];
            rows.extend([
                row(
                    "instance profile",
                    "the role removed from it",
                    |lab, t| {
                        sdk(
                            "RemoveRoleFromInstanceProfile",
                            lab.iam
                                .remove_role_from_instance_profile()
                                .instance_profile_name(&t.name)
                                .role_name(&t.name)
                                .send(),
                        );
                    },
                    repaired(PROFILE, "puts the role back in it"),
                ),
                row(
                    "instance profile",
                    "another role put in the role's place",
                    |lab, t| {
                        let intruder = format!("{}-intruder", t.name);
                        sdk(
                            "CreateRole",
                            lab.iam
                                .create_role()
                                .role_name(&intruder)
                                .assume_role_policy_document(LAMBDA_TRUST)
                                .send(),
                        );
                        sdk(
                            "RemoveRoleFromInstanceProfile",
                            lab.iam
                                .remove_role_from_instance_profile()
                                .instance_profile_name(&t.name)
                                .role_name(&t.name)
                                .send(),
                        );
                        sdk(
                            "AddRoleToInstanceProfile",
                            lab.iam
                                .add_role_to_instance_profile()
                                .instance_profile_name(&t.name)
                                .role_name(&intruder)
                                .send(),
                        );
                    },
                    repaired(PROFILE, "takes the other role out and puts the role back"),
                ),
                row(
                    "instance profile",
                    "deleted",
                    |lab, t| {
                        sdk(
                            "RemoveRoleFromInstanceProfile",
                            lab.iam
                                .remove_role_from_instance_profile()
                                .instance_profile_name(&t.name)
                                .role_name(&t.name)
                                .send(),
                        );
                        sdk(
                            "DeleteInstanceProfile",
                            lab.iam
                                .delete_instance_profile()
                                .instance_profile_name(&t.name)
                                .send(),
                        );
                    },
                    repaired(PROFILE, "creates it again with the role in it"),
                ),
                row(
                    "instance profile",
                    "a tag added",
                    |lab, t| {
                        sdk(
                            "TagInstanceProfile",
                            lab.iam
                                .tag_instance_profile()
                                .instance_profile_name(&t.name)
                                .tags(tag("added", "by-someone"))
                                .send(),
                        );
                    },
                    repaired(
                        &["instance_profile_tags"],
                        "gives the profile the role's tags again",
                    ),
                ),
                row(
                    "instance profile",
                    "a tag removed",
                    |lab, t| {
                        sdk(
                            "UntagInstanceProfile",
                            lab.iam
                                .untag_instance_profile()
                                .instance_profile_name(&t.name)
                                .tag_keys("team")
                                .send(),
                        );
                    },
                    repaired(
                        &["instance_profile_tags"],
                        "gives the profile the role's tags again",
                    ),
                ),
                row(
                    "instance profile",
                    "a tag changed",
                    |lab, t| {
                        sdk(
                            "TagInstanceProfile",
                            lab.iam
                                .tag_instance_profile()
                                .instance_profile_name(&t.name)
                                .tags(tag("cluster", "dev"))
                                .send(),
                        );
                    },
                    repaired(
                        &["instance_profile_tags"],
                        "gives the profile the role's tags again",
                    ),
                ),
                row(
                    "another instance profile",
                    "the role added to it",
                    |lab, t| {
                        let other = format!("{}-other", t.name);
                        sdk(
                            "CreateInstanceProfile",
                            lab.iam
                                .create_instance_profile()
                                .instance_profile_name(&other)
                                .send(),
                        );
                        sdk(
                            "AddRoleToInstanceProfile",
                            lab.iam
                                .add_role_to_instance_profile()
                                .instance_profile_name(&other)
                                .role_name(&t.name)
                                .send(),
                        );
                    },
                    left_alone(
                        "that profile is not the resource's; destroy takes the role out of it",
                    ),
                ),
                row(
                    "role and instance profile",
                    "both deleted",
                    |lab, t| {
                        delete_role(lab, t);
                        sdk(
                            "DeleteInstanceProfile",
                            lab.iam
                                .delete_instance_profile()
                                .instance_profile_name(&t.name)
                                .send(),
                        );
                    },
                    recreated("creates both again"),
                ),
            ]);
        }
        rows
    }

    fn prepare(&self, lab: &Lab) -> String {
        sdk(
            "CreateOpenIDConnectProvider",
            lab.iam
                .create_open_id_connect_provider()
                .url(format!("https://{OIDC_HOST}"))
                .client_id_list("sts.amazonaws.com")
                .send(),
        );
        for name in ["drift-a", "drift-boundary", "drift-boundary-2"] {
            sdk(
                "CreatePolicy",
                lab.iam
                    .create_policy()
                    .policy_name(name)
                    .policy_document(S3_ALL)
                    .send(),
            );
        }
        String::new()
    }

    fn target(&self, _lab: &Lab, index: usize, _row: &Row<Self>) -> Target {
        Target {
            kind: self.0,
            name: format!("drift-{}-{index:02}", self.0.short()),
        }
    }

    fn resource(&self, name: &str, target: &Target, row: &Row<Self>) -> String {
        let oidc = format!("arn:aws:iam::{ACCOUNT}:oidc-provider/{OIDC_HOST}");
        let own = match self.0 {
            Kind::Node => "node_role = \"controlplane\"".to_string(),
            Kind::CspAdapter => format!("oidc_provider_arn = \"{oidc}\""),
            Kind::TorqueAgent => format!(
                "oidc_provider_arn = \"{oidc}\"\n  namespace = \"torque-envs\"\n  service_account = \"{LONG_SERVICE_ACCOUNT}\""
            ),
            Kind::ConnectorAgent => String::new(),
            Kind::BillingAdapter => format!("oidc_provider_arn = \"{oidc}\""),
            Kind::TorqueTarget => format!(
                "master_role_arn = \"arn:aws:iam::111111111111:role/drift-master\"\n  external_id = \"{EXTERNAL_ID}\""
            ),
            Kind::KkpAssume => format!(
                "kkp_principal_arn = \"arn:aws:iam::111111111111:user/kubermatic\"\n  external_id = \"{EXTERNAL_ID}\""
            ),
        };
        format!(
            "resource \"{}\" \"{name}\" {{\n  name = \"{}\"\n  {OWN_TAGS}\n  {own}\n  {}\n}}\n",
            self.0.type_name(),
            target.name,
            row.config
        )
    }

    fn observe(&self, lab: &Lab, target: &Target) -> RoleModel {
        observe_role(lab, &target.name, target.kind == Kind::Node)
    }
}

/// Deletes the role as IAM requires: out of its instance profiles, its
/// policies deleted and detached, then the role.
fn delete_role(lab: &Lab, t: &Target) {
    let iam = &lab.iam;
    let profiles = sdk(
        "ListInstanceProfilesForRole",
        iam.list_instance_profiles_for_role()
            .role_name(&t.name)
            .send(),
    );
    for profile in profiles.instance_profiles() {
        sdk(
            "RemoveRoleFromInstanceProfile",
            iam.remove_role_from_instance_profile()
                .instance_profile_name(profile.instance_profile_name())
                .role_name(&t.name)
                .send(),
        );
    }
    let inline = sdk(
        "ListRolePolicies",
        iam.list_role_policies().role_name(&t.name).send(),
    );
    for policy in inline.policy_names() {
        sdk(
            "DeleteRolePolicy",
            iam.delete_role_policy()
                .role_name(&t.name)
                .policy_name(policy)
                .send(),
        );
    }
    let attached = sdk(
        "ListAttachedRolePolicies",
        iam.list_attached_role_policies().role_name(&t.name).send(),
    );
    for policy in attached.attached_policies() {
        sdk(
            "DetachRolePolicy",
            iam.detach_role_policy()
                .role_name(&t.name)
                .policy_arn(policy.policy_arn().unwrap_or_default())
                .send(),
        );
    }
    sdk("DeleteRole", iam.delete_role().role_name(&t.name).send());
}

fn tag_map(tags: &[Tag]) -> (BTreeMap<String, String>, bool) {
    let mut map: BTreeMap<String, String> = tags
        .iter()
        .map(|t| (t.key().to_string(), t.value().to_string()))
        .collect();
    let marked = map.remove(OWNERSHIP_TAG).is_some();
    (map, marked)
}

/// The role `name` as IAM has it (with its own instance profile when
/// `profile`).
fn observe_role(lab: &Lab, name: &str, profile: bool) -> RoleModel {
    let iam = &lab.iam;
    let role = match crate::common::block_on(iam.get_role().role_name(name).send()) {
        Ok(out) => out.role.expect("GetRole's role"),
        Err(e) if format!("{e:?}").contains("NoSuchEntity") => {
            return RoleModel {
                exists: false,
                path: String::new(),
                trust: String::new(),
                description: None,
                max_session_duration: 0,
                permissions_boundary: None,
                tags: BTreeMap::new(),
                marked: false,
                inline_policies: BTreeMap::new(),
                managed_policies: BTreeSet::new(),
                instance_profiles: BTreeSet::new(),
                own_profile: None,
            };
        }
        Err(e) => panic!("GetRole: {e:?}"),
    };
    let (tags, marked) = tag_map(role.tags());
    let inline_policies = sdk(
        "ListRolePolicies",
        iam.list_role_policies().role_name(name).send(),
    )
    .policy_names()
    .iter()
    .map(|policy| {
        let document = sdk(
            "GetRolePolicy",
            iam.get_role_policy()
                .role_name(name)
                .policy_name(policy)
                .send(),
        )
        .policy_document;
        (policy.clone(), canonical(&document))
    })
    .collect();
    let managed_policies = sdk(
        "ListAttachedRolePolicies",
        iam.list_attached_role_policies().role_name(name).send(),
    )
    .attached_policies()
    .iter()
    .filter_map(|p| p.policy_arn().map(str::to_string))
    .collect();
    let instance_profiles = sdk(
        "ListInstanceProfilesForRole",
        iam.list_instance_profiles_for_role().role_name(name).send(),
    )
    .instance_profiles()
    .iter()
    .map(|p| p.instance_profile_name().to_string())
    .collect();
    let own_profile = if profile {
        match crate::common::block_on(
            iam.get_instance_profile()
                .instance_profile_name(name)
                .send(),
        ) {
            Ok(out) => out.instance_profile.map(|p| {
                let roles = p
                    .roles()
                    .iter()
                    .map(|r| r.role_name().to_string())
                    .collect();
                (roles, tag_map(p.tags()).0)
            }),
            Err(e) if format!("{e:?}").contains("NoSuchEntity") => None,
            Err(e) => panic!("GetInstanceProfile: {e:?}"),
        }
    } else {
        None
    };
    RoleModel {
        exists: true,
        path: role.path().to_string(),
        trust: canonical(role.assume_role_policy_document().unwrap_or_default()),
        description: role
            .description()
            .filter(|d| !d.is_empty())
            .map(str::to_string),
        max_session_duration: role.max_session_duration().unwrap_or(3600),
        permissions_boundary: role
            .permissions_boundary()
            .and_then(|b| b.permissions_boundary_arn())
            .map(str::to_string),
        tags,
        marked,
        inline_policies,
        managed_policies,
        instance_profiles,
        own_profile,
    }
}

/// A row of this matrix.
fn row(
    object: &'static str,
    change: &'static str,
    act: fn(&Lab, &Target),
    expect: super::Expect,
) -> Row<RoleMatrix> {
    Row::new(object, change, act, expect)
}
