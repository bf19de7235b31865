//! The EKS Connector service-linked role's drift matrix. AWS manages a
//! service-linked role: its trust and policies cannot be changed by anyone
//! but the service. IAM lets someone else delete it
//! (DeleteServiceLinkedRole), change its description
//! (UpdateRoleDescription) and its tags. An account has one, so the rows
//! run one after another on the same resource.

use std::collections::BTreeMap;

use super::{Lab, Matrix, Row, left_alone, recreated, sdk};
use crate::common::OWNERSHIP_TAG;

pub struct SlrMatrix;

const PATH: &str = "/aws-service-role/eks-connector.amazonaws.com/";

/// What IAM holds of the service's role.
#[derive(Clone, Debug, PartialEq)]
pub struct SlrModel {
    exists: bool,
    description: Option<String>,
    tags: BTreeMap<String, String>,
    marked: bool,
}

/// The role's name, as IAM has it now.
fn role_name(lab: &Lab) -> Option<String> {
    sdk("ListRoles", lab.iam.list_roles().path_prefix(PATH).send())
        .roles()
        .first()
        .map(|r| r.role_name().to_string())
}

impl Matrix for SlrMatrix {
    type Target = ();
    type Model = SlrModel;

    fn type_name(&self) -> &'static str {
        "clusteriam_eks_connector_service_linked_role"
    }

    fn batch(&self) -> bool {
        false
    }

    fn rows(&self) -> Vec<Row<Self>> {
        vec![
            row(
                "service-linked role",
                "deleted",
                |lab, ()| {
                    let name = role_name(lab).expect("the service-linked role");
                    sdk(
                        "DeleteServiceLinkedRole",
                        lab.iam.delete_service_linked_role().role_name(name).send(),
                    );
                },
                recreated("creates it again"),
            ),
            row(
                "service-linked role",
                "its description changed",
                |lab, ()| {
                    let name = role_name(lab).expect("the service-linked role");
                    sdk(
                        "UpdateRoleDescription",
                        lab.iam
                            .update_role_description()
                            .role_name(name)
                            .description("changed by someone")
                            .send(),
                    );
                },
                left_alone(
                    "the resource sets nothing on the role: AWS made it for the service as the service needs it",
                ),
            ),
            row(
                "service-linked role",
                "the ownership tag (`clusteriam:created-by`) removed",
                |lab, ()| {
                    let name = role_name(lab).expect("the service-linked role");
                    sdk(
                        "UntagRole",
                        lab.iam
                            .untag_role()
                            .role_name(name)
                            .tag_keys(OWNERSHIP_TAG)
                            .send(),
                    );
                },
                left_alone(
                    "the state already says the role is this configuration's (`adopted = false`)",
                ),
            ),
        ]
    }

    fn target(&self, _lab: &Lab, _index: usize, _row: &Row<Self>) {}

    fn resource(&self, name: &str, _target: &(), row: &Row<Self>) -> String {
        format!(
            "resource \"clusteriam_eks_connector_service_linked_role\" \"{name}\" {{\n  {}\n}}\n",
            row.config
        )
    }

    fn observe(&self, lab: &Lab, _target: &()) -> SlrModel {
        let Some(name) = role_name(lab) else {
            return SlrModel {
                exists: false,
                description: None,
                tags: BTreeMap::new(),
                marked: false,
            };
        };
        let role = sdk("GetRole", lab.iam.get_role().role_name(&name).send())
            .role
            .expect("GetRole's role");
        let mut tags: BTreeMap<String, String> = role
            .tags()
            .iter()
            .map(|t| (t.key().to_string(), t.value().to_string()))
            .collect();
        let marked = tags.remove(OWNERSHIP_TAG).is_some();
        SlrModel {
            exists: true,
            description: role.description().map(str::to_string),
            tags,
            marked,
        }
    }
}

/// A row of this matrix.
fn row(
    object: &'static str,
    change: &'static str,
    act: fn(&Lab, &()),
    expect: super::Expect,
) -> Row<SlrMatrix> {
    Row::new(object, change, act, expect)
}
