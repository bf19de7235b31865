//! The OIDC provider's drift matrix. IAM lets someone else change a
//! provider's client ids (Add/RemoveClientIDToOpenIDConnectProvider),
//! thumbprints (UpdateOpenIDConnectProviderThumbprint) and tags
//! (Tag/UntagOpenIDConnectProvider), or delete it; its URL cannot change.
//! Each change is made to a provider the resource created and to one it
//! adopted (one that existed, possibly shared with other configurations).
//!
//! The emulator lacks the client id calls: the matrix reaches it through the
//! fault proxy, which implements them (`tests/common/faults/client_ids.rs`).

use std::collections::BTreeMap;

use aws_sdk_iam::types::Tag;

use super::{Lab, Matrix, OWN_TAGS, Row, left_alone, left_alone_warning, recreated, repaired, sdk};
use crate::common::{ACCOUNT, OWNERSHIP_TAG};

pub struct OidcMatrix;

/// The objects of the rows: one created by the resource, one adopted.
const CREATED: &str = "OIDC provider";
const ADOPTED: &str = "adopted OIDC provider";

/// Thumbprints: the configuration's, and others'.
const OURS: &str = "9e99a48a9960b14926bb7f3b02e22da2b0ab7280";
const THEIRS: &str = "1111111111111111111111111111111111111111";
const ANOTHER: &str = "2222222222222222222222222222222222222222";

pub struct Target {
    arn: String,
}

/// What IAM holds of a provider.
#[derive(Clone, Debug, PartialEq)]
pub struct OidcModel {
    exists: bool,
    client_ids: Vec<String>,
    thumbprints: Vec<String>,
    tags: BTreeMap<String, String>,
    marked: bool,
}

fn host(index: usize) -> String {
    format!("oidc.eks.us-east-1.amazonaws.com/id/DRIFT{index:02}")
}

fn tag(key: &str, value: &str) -> Tag {
    Tag::builder().key(key).value(value).build().unwrap()
}

fn add_client_id(lab: &Lab, t: &Target, id: &str) {
    sdk(
        "AddClientIDToOpenIDConnectProvider",
        lab.iam
            .add_client_id_to_open_id_connect_provider()
            .open_id_connect_provider_arn(&t.arn)
            .client_id(id)
            .send(),
    );
}

fn remove_client_id(lab: &Lab, t: &Target, id: &str) {
    sdk(
        "RemoveClientIDFromOpenIDConnectProvider",
        lab.iam
            .remove_client_id_from_open_id_connect_provider()
            .open_id_connect_provider_arn(&t.arn)
            .client_id(id)
            .send(),
    );
}

fn set_thumbprints(lab: &Lab, t: &Target, thumbprints: &[&str]) {
    sdk(
        "UpdateOpenIDConnectProviderThumbprint",
        lab.iam
            .update_open_id_connect_provider_thumbprint()
            .open_id_connect_provider_arn(&t.arn)
            .set_thumbprint_list(Some(thumbprints.iter().map(|t| t.to_string()).collect()))
            .send(),
    );
}

fn tag_provider(lab: &Lab, t: &Target, key: &str, value: &str) {
    sdk(
        "TagOpenIDConnectProvider",
        lab.iam
            .tag_open_id_connect_provider()
            .open_id_connect_provider_arn(&t.arn)
            .tags(tag(key, value))
            .send(),
    );
}

fn untag_provider(lab: &Lab, t: &Target, key: &str) {
    sdk(
        "UntagOpenIDConnectProvider",
        lab.iam
            .untag_open_id_connect_provider()
            .open_id_connect_provider_arn(&t.arn)
            .tag_keys(key)
            .send(),
    );
}

fn delete(lab: &Lab, t: &Target) {
    sdk(
        "DeleteOpenIDConnectProvider",
        lab.iam
            .delete_open_id_connect_provider()
            .open_id_connect_provider_arn(&t.arn)
            .send(),
    );
}

const SHARED: &str = "an adopted provider may be shared with other configurations: it only gains what this configuration asks for and loses nothing";
/// The rule for a shared provider's tags (the `tags` attribute says it).
const GUEST_TAGS: &str = "an adopted provider's tags follow the rule for shared objects: this configuration adds the keys of `tags` the provider lacks when its `tags` change, and never overwrites or removes another writer's tag, so two configurations never undo each other";

impl Matrix for OidcMatrix {
    type Target = Target;
    type Model = OidcModel;

    fn type_name(&self) -> &'static str {
        "clusteriam_oidc_provider"
    }

    fn proxy(&self) -> bool {
        true
    }

    fn rows(&self) -> Vec<Row<Self>> {
        let two_client_ids = r#"client_ids = ["sts.amazonaws.com", "rancher"]"#;
        let thumbprints = format!("thumbprints = [\"{OURS}\"]");
        vec![
            row(
                CREATED,
                "a client id added",
                |lab, t| add_client_id(lab, t, "intruder"),
                repaired(&["client_ids"], "removes it"),
            ),
            row(
                CREATED,
                "a client id of `client_ids` removed",
                |lab, t| remove_client_id(lab, t, "rancher"),
                repaired(&["client_ids"], "adds it again"),
            )
            .config(two_client_ids),
            row(
                CREATED,
                "its thumbprints replaced, `thumbprints` set",
                |lab, t| set_thumbprints(lab, t, &[ANOTHER]),
                repaired(&["thumbprints"], "puts the configured thumbprints back"),
            )
            .config(thumbprints.clone()),
            row(
                CREATED,
                "its thumbprints replaced, `thumbprints` unset",
                |lab, t| set_thumbprints(lab, t, &[ANOTHER]),
                left_alone(
                    "with `thumbprints` unset IAM manages them; the state shows what IAM has",
                ),
            ),
            row(
                CREATED,
                "a tag added",
                |lab, t| tag_provider(lab, t, "added", "by-someone"),
                repaired(&["tags_all"], "removes it"),
            ),
            row(
                CREATED,
                "a tag of `tags` removed",
                |lab, t| untag_provider(lab, t, "cluster"),
                repaired(&["tags", "tags_all"], "puts it back"),
            ),
            row(
                CREATED,
                "a tag of `tags` changed",
                |lab, t| tag_provider(lab, t, "cluster", "dev"),
                repaired(&["tags", "tags_all"], "puts the configured value back"),
            ),
            row(
                CREATED,
                "a tag of the provider's `default_tags` removed",
                |lab, t| untag_provider(lab, t, "team"),
                repaired(&["tags_all"], "puts it back"),
            ),
            row(
                CREATED,
                "the ownership tag (`clusteriam:created-by`) removed",
                |lab, t| untag_provider(lab, t, OWNERSHIP_TAG),
                left_alone(
                    "the state already says the provider is this configuration's (`adopted = false`)",
                ),
            ),
            row(CREATED, "deleted", delete, recreated("creates it again")),
            row(
                ADOPTED,
                "a client id added",
                |lab, t| add_client_id(lab, t, "intruder"),
                left_alone(SHARED),
            ),
            row(
                ADOPTED,
                "a client id of `client_ids` removed",
                |lab, t| remove_client_id(lab, t, "sts.amazonaws.com"),
                repaired(&["client_ids"], "adds it again"),
            ),
            row(
                ADOPTED,
                "a client id it had before removed",
                |lab, t| remove_client_id(lab, t, "other-team"),
                left_alone(SHARED),
            ),
            row(
                ADOPTED,
                "a thumbprint added",
                |lab, t| set_thumbprints(lab, t, &[THEIRS, OURS, ANOTHER]),
                left_alone(SHARED),
            )
            .config(thumbprints.clone()),
            row(
                ADOPTED,
                "a thumbprint of `thumbprints` removed",
                |lab, t| set_thumbprints(lab, t, &[THEIRS]),
                repaired(&["thumbprints"], "adds it again, keeping the others"),
            )
            .config(thumbprints),
            row(
                ADOPTED,
                "a tag added",
                |lab, t| tag_provider(lab, t, "added", "by-someone"),
                left_alone(SHARED),
            ),
            row(
                ADOPTED,
                "a tag of `tags` removed",
                |lab, t| untag_provider(lab, t, "cluster"),
                left_alone_warning(
                    GUEST_TAGS,
                    "the key the provider lacks",
                    "`cluster` is absent",
                ),
            ),
            row(
                ADOPTED,
                "a tag of `tags` changed",
                |lab, t| tag_provider(lab, t, "cluster", "dev"),
                left_alone_warning(
                    GUEST_TAGS,
                    "the key the provider holds with another value, naming both values",
                    "`cluster` is `dev` (this configuration asks for `prod`)",
                ),
            ),
            row(
                ADOPTED,
                "a tag it had before removed",
                |lab, t| untag_provider(lab, t, "owner"),
                left_alone(SHARED),
            ),
            row(
                ADOPTED,
                "deleted",
                delete,
                recreated("creates it, as this configuration's own (`adopted = false`)"),
            )
            .after(|_, _| OidcModel {
                exists: true,
                client_ids: vec!["sts.amazonaws.com".into()],
                thumbprints: Vec::new(),
                tags: BTreeMap::from([
                    ("cluster".into(), "prod".into()),
                    ("team".into(), "platform".into()),
                ]),
                marked: true,
            }),
        ]
    }

    fn target(&self, lab: &Lab, index: usize, row: &Row<Self>) -> Target {
        if row.object == ADOPTED {
            // Made before the apply, by another team: the resource adopts it.
            sdk(
                "CreateOpenIDConnectProvider",
                lab.iam
                    .create_open_id_connect_provider()
                    .url(format!("https://{}", host(index)))
                    .client_id_list("sts.amazonaws.com")
                    .client_id_list("other-team")
                    .thumbprint_list(THEIRS)
                    .tags(tag("owner", "team-a"))
                    .send(),
            );
        }
        Target {
            arn: format!("arn:aws:iam::{ACCOUNT}:oidc-provider/{}", host(index)),
        }
    }

    fn resource(&self, name: &str, target: &Target, row: &Row<Self>) -> String {
        let host = target.arn.split_once("oidc-provider/").unwrap().1;
        format!(
            "resource \"clusteriam_oidc_provider\" \"{name}\" {{\n  url = \"https://{host}\"\n  {OWN_TAGS}\n  {}\n}}\n",
            row.config
        )
    }

    fn observe(&self, lab: &Lab, target: &Target) -> OidcModel {
        let got = crate::common::block_on(
            lab.iam
                .get_open_id_connect_provider()
                .open_id_connect_provider_arn(&target.arn)
                .send(),
        );
        let out = match got {
            Ok(out) => out,
            Err(e) if format!("{e:?}").contains("NoSuchEntity") => {
                return OidcModel {
                    exists: false,
                    client_ids: Vec::new(),
                    thumbprints: Vec::new(),
                    tags: BTreeMap::new(),
                    marked: false,
                };
            }
            Err(e) => panic!("GetOpenIDConnectProvider: {e:?}"),
        };
        let mut client_ids = out.client_id_list().to_vec();
        client_ids.sort();
        let mut thumbprints: Vec<String> = out
            .thumbprint_list()
            .iter()
            .map(|t| t.to_lowercase())
            .collect();
        thumbprints.sort();
        let mut tags: BTreeMap<String, String> = out
            .tags()
            .iter()
            .map(|t| (t.key().to_string(), t.value().to_string()))
            .collect();
        let marked = tags.remove(OWNERSHIP_TAG).is_some();
        OidcModel {
            exists: true,
            client_ids,
            thumbprints,
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
) -> Row<OidcMatrix> {
    Row::new(object, change, act, expect)
}
