//! The EKS Connector service-linked role's drift matrix. AWS manages a
//! service-linked role: its trust and policies cannot be changed by anyone
//! but the service. IAM lets someone else delete it
//! (DeleteServiceLinkedRole), change its description, which holds the
//! ownership mark (UpdateRoleDescription), and its tags. An account has one,
//! so the rows run one after another on the same resource.

use std::collections::BTreeMap;

use aws_sdk_iam::types::Tag;

use super::{Lab, Matrix, Row, left_alone, recreated, sdk};

pub struct SlrMatrix;

const PATH: &str = "/aws-service-role/eks-connector.amazonaws.com/";

/// What IAM holds of the service's role; a description that is an
/// ownership mark (a new one at each create) reads as `MARK`.
#[derive(Clone, Debug, PartialEq)]
pub struct SlrModel {
    exists: bool,
    description: Option<String>,
    tags: BTreeMap<String, String>,
}

const MARK: &str = "(an ownership mark)";

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
                "its description (the ownership mark) changed",
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
                    "the mark only tells an interrupted create which role it made; the state already says whether the role is this configuration's (`adopted`)",
                ),
            ),
            row(
                "service-linked role",
                "a tag added",
                |lab, ()| {
                    let name = role_name(lab).expect("the service-linked role");
                    sdk(
                        "TagRole",
                        lab.iam
                            .tag_role()
                            .role_name(name)
                            .tags(
                                Tag::builder()
                                    .key("added")
                                    .value("by-someone")
                                    .build()
                                    .unwrap(),
                            )
                            .send(),
                    );
                },
                left_alone(
                    "the resource sets nothing on the role but what its create does: AWS made it as the service needs it",
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
            };
        };
        let role = sdk("GetRole", lab.iam.get_role().role_name(&name).send())
            .role
            .expect("GetRole's role");
        let tags = role
            .tags()
            .iter()
            .map(|t| (t.key().to_string(), t.value().to_string()))
            .collect();
        let description = role.description().map(|d| {
            if d.starts_with("terraform-provider-clusteriam/") {
                MARK.to_string()
            } else {
                d.to_string()
            }
        });
        SlrModel {
            exists: true,
            description,
            tags,
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
