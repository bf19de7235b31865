//! Acceptance: `clusteriam_oidc_provider` through real Terraform against the
//! emulator, checking IAM through the SDK after every step.

use crate::common;

use std::collections::BTreeMap;

use common::{Emulator, Workspace, block_on};

const URL: &str = "https://oidc.eks.us-east-1.amazonaws.com/id/EXAMPLED539D4633E53DE1B71EXAMPLE";
const HOST: &str = "oidc.eks.us-east-1.amazonaws.com/id/EXAMPLED539D4633E53DE1B71EXAMPLE";
const ADDRESS: &str = "clusteriam_oidc_provider.this";
const THUMB_A: &str = "9e99a48a9960b14926bb7f3b02e22da2b0ab7280";
const THUMB_B: &str = "a031c46782e6e6c662c2c87c76da9aa62ccabd8e";
const THUMB_C: &str = "1c58a3a8518e8759bf075b76b750d4f2df264fcd";

/// The provider block with `default_tags { tags = { team = "platform" } }`.
fn provider_with_default_tags(aws: &Emulator) -> String {
    let block = aws.provider_block();
    let with_tags = block.replace(
        "  endpoints {",
        "  default_tags {\n    tags = { team = \"platform\" }\n  }\n  endpoints {",
    );
    assert_ne!(block, with_tags, "the provider block changed shape");
    with_tags
}

/// A configuration with one `clusteriam_oidc_provider.this` for `URL`.
fn config(provider: &str, body: &str) -> String {
    format!(
        r#"{provider}
resource "clusteriam_oidc_provider" "this" {{
  url = "{URL}"
{body}
}}
output "arn" {{ value = clusteriam_oidc_provider.this.arn }}
output "adopted" {{ value = clusteriam_oidc_provider.this.adopted }}
"#
    )
}

/// An OIDC provider as IAM reports it, lists sorted.
#[derive(Debug, PartialEq)]
struct Seen {
    url: String,
    client_ids: Vec<String>,
    thumbprints: Vec<String>,
    /// Without the ownership mark, which is in `mark`.
    tags: BTreeMap<String, String>,
    mark: Option<String>,
}

fn seen(aws: &Emulator, arn: &str) -> Option<Seen> {
    let result = block_on(
        aws.iam()
            .get_open_id_connect_provider()
            .open_id_connect_provider_arn(arn)
            .send(),
    );
    match result {
        Ok(p) => {
            let sorted = |v: &[String]| {
                let mut v = v.to_vec();
                v.sort();
                v
            };
            let mut tags: BTreeMap<String, String> = p
                .tags()
                .iter()
                .map(|t| (t.key().to_string(), t.value().to_string()))
                .collect();
            let mark = tags.remove(common::OWNERSHIP_TAG);
            Some(Seen {
                url: p.url().unwrap_or_default().to_string(),
                client_ids: sorted(p.client_id_list()),
                thumbprints: sorted(p.thumbprint_list()),
                tags,
                mark,
            })
        }
        Err(e)
            if e.as_service_error()
                .is_some_and(|e| e.is_no_such_entity_exception()) =>
        {
            None
        }
        Err(e) => panic!("GetOpenIDConnectProvider: {e:?}"),
    }
}

/// The ARNs of every OIDC provider in the emulator's account.
fn all_providers(aws: &Emulator) -> Vec<String> {
    block_on(aws.iam().list_open_id_connect_providers().send())
        .expect("ListOpenIDConnectProviders")
        .open_id_connect_provider_list()
        .iter()
        .filter_map(|p| p.arn().map(str::to_string))
        .collect()
}

/// Creates a provider behind Terraform's back; returns its ARN.
fn create_out_of_band(aws: &Emulator, thumbprint: &str, tags: &[(&str, &str)]) -> String {
    let mut req = aws
        .iam()
        .create_open_id_connect_provider()
        .url(URL)
        .client_id_list("sts.amazonaws.com")
        .thumbprint_list(thumbprint);
    for (k, v) in tags {
        req = req.tags(
            aws_sdk_iam::types::Tag::builder()
                .key(*k)
                .value(*v)
                .build()
                .unwrap(),
        );
    }
    block_on(req.send())
        .expect("CreateOpenIDConnectProvider")
        .open_id_connect_provider_arn()
        .unwrap()
        .to_string()
}

fn tags(pairs: &[(&str, &str)]) -> BTreeMap<String, String> {
    pairs
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect()
}

fn strings(items: &[&str]) -> Vec<String> {
    let mut v: Vec<String> = items.iter().map(|s| s.to_string()).collect();
    v.sort();
    v
}

fn output_str(ws: &Workspace, name: &str) -> String {
    ws.output(name)
        .as_str()
        .expect("a string output")
        .to_string()
}

#[test]
fn oidc_provider_basic() {
    let aws = Emulator::start();
    let ws = Workspace::new();
    ws.write(&config(
        &provider_with_default_tags(&aws),
        r#"  tags = { Name = "rancher-mgmt" }"#,
    ));
    ws.apply().assert_ok();

    let arn = output_str(&ws, "arn");
    assert!(arn.ends_with(&format!(":oidc-provider/{HOST}")), "{arn}");
    assert_eq!(ws.output("adopted"), false);
    let p = seen(&aws, &arn).expect("the provider exists");
    assert_eq!(p.url, HOST);
    assert_eq!(p.client_ids, strings(&["sts.amazonaws.com"]));
    assert_eq!(
        p.tags,
        tags(&[("Name", "rancher-mgmt"), ("team", "platform")])
    );
    assert!(
        p.mark.is_some(),
        "a provider this resource creates carries the ownership mark"
    );
    let state = ws.state_attributes(ADDRESS);
    assert_eq!(state["id"], arn.as_str());
    assert_eq!(state["url"], URL);
    assert_eq!(state["tags"], serde_json::json!({ "Name": "rancher-mgmt" }));
    assert_eq!(
        state["tags_all"],
        serde_json::json!({ "Name": "rancher-mgmt", "team": "platform" })
    );

    ws.assert_no_changes();

    ws.destroy().assert_ok();
    assert_eq!(seen(&aws, &arn), None);
    assert!(all_providers(&aws).is_empty());
}

#[test]
fn oidc_provider_update_in_place() {
    let aws = Emulator::start();
    let ws = Workspace::new();
    ws.write(&config(
        &aws.provider_block(),
        &format!("  thumbprints = [\"{THUMB_A}\"]\n  tags = {{ Name = \"a\", env = \"dev\" }}"),
    ));
    ws.apply().assert_ok();
    let arn = output_str(&ws, "arn");
    assert_eq!(seen(&aws, &arn).unwrap().thumbprints, strings(&[THUMB_A]));

    // Thumbprints in upper case are the same thumbprints: no diff after apply.
    ws.write(&config(
        &aws.provider_block(),
        &format!(
            "  thumbprints = [\"{}\", \"{THUMB_C}\"]\n  tags = {{ Name = \"b\", owner = \"platform\" }}",
            THUMB_B.to_uppercase()
        ),
    ));
    ws.assert_changes(&["update in-place"]);
    ws.apply().assert_ok();
    assert_eq!(
        output_str(&ws, "arn"),
        arn,
        "updated in place, not replaced"
    );
    let p = seen(&aws, &arn).unwrap();
    assert_eq!(
        p.thumbprints
            .iter()
            .map(|t| t.to_lowercase())
            .collect::<Vec<_>>(),
        strings(&[THUMB_B, THUMB_C])
    );
    assert_eq!(p.tags, tags(&[("Name", "b"), ("owner", "platform")]));
    ws.assert_no_changes();

    // Leaving `thumbprints` out hands them to IAM: no change is planned.
    ws.write(&config(
        &aws.provider_block(),
        r#"  tags = { Name = "b", owner = "platform" }"#,
    ));
    ws.assert_no_changes();
    assert_eq!(all_providers(&aws), vec![arn]);
}

// moto 5.2.5 answers AddClientIDToOpenIDConnectProvider and
// RemoveClientIDFromOpenIDConnectProvider with a 500 (not implemented), so the
// apply of a client id change cannot run against it; its plan can: an
// in-place update of exactly `client_ids`, never a replacement.
#[test]
fn oidc_provider_client_ids_change_plans_in_place() {
    let aws = Emulator::start();
    let ws = Workspace::new();
    ws.write(&config(&aws.provider_block(), ""));
    ws.apply().assert_ok();

    ws.write(&config(
        &aws.provider_block(),
        r#"  client_ids = ["sts.amazonaws.com", "rancher"]"#,
    ));
    let plan = ws.assert_changes(&["update in-place", "~ client_ids", "+ \"rancher\""]);
    assert!(!plan.stdout.contains("must be replaced"), "{}", plan.stdout);
    assert!(
        plan.stdout.contains("1 to change, 0 to destroy"),
        "{}",
        plan.stdout
    );
}

#[test]
fn oidc_provider_drift_is_repaired() {
    let aws = Emulator::start();
    let ws = Workspace::new();
    let other_url = "https://token.actions.example.com";
    ws.write(&format!(
        "{}\nresource \"clusteriam_oidc_provider\" \"iam_managed\" {{\n  url = \"{other_url}\"\n}}\n",
        config(
            &aws.provider_block(),
            &format!("  thumbprints = [\"{THUMB_A}\"]\n  tags = {{ Name = \"a\" }}"),
        )
    ));
    ws.apply().assert_ok();
    let arn = output_str(&ws, "arn");
    let iam = aws.iam();

    // Thumbprints left to IAM may change there without any diff (no churn).
    let managed_arn = ws.state_attributes("clusteriam_oidc_provider.iam_managed")["arn"]
        .as_str()
        .unwrap()
        .to_string();
    block_on(
        iam.update_open_id_connect_provider_thumbprint()
            .open_id_connect_provider_arn(&managed_arn)
            .thumbprint_list(THUMB_C)
            .send(),
    )
    .unwrap();
    // The plan is empty; a refresh-only plan rightly shows IAM's new list.
    let run = ws.plan();
    assert_eq!(run.code, 0, "expected an empty plan:\n{}", run.output());

    // Configured thumbprints and tags changed out of band are repaired.
    block_on(
        iam.update_open_id_connect_provider_thumbprint()
            .open_id_connect_provider_arn(&arn)
            .thumbprint_list(THUMB_B)
            .send(),
    )
    .unwrap();
    block_on(
        iam.untag_open_id_connect_provider()
            .open_id_connect_provider_arn(&arn)
            .tag_keys("Name")
            .send(),
    )
    .unwrap();
    block_on(
        iam.tag_open_id_connect_provider()
            .open_id_connect_provider_arn(&arn)
            .tags(
                aws_sdk_iam::types::Tag::builder()
                    .key("rogue")
                    .value("1")
                    .build()
                    .unwrap(),
            )
            .send(),
    )
    .unwrap();
    ws.assert_changes(&["update in-place", THUMB_A, "Name", "rogue"]);
    ws.apply().assert_ok();
    let p = seen(&aws, &arn).unwrap();
    assert_eq!(p.thumbprints, strings(&[THUMB_A]));
    assert_eq!(p.tags, tags(&[("Name", "a")]));
    ws.assert_no_changes();
}

#[test]
fn oidc_provider_disappears() {
    let aws = Emulator::start();
    let ws = Workspace::new();
    ws.write(&config(&aws.provider_block(), r#"  tags = { Name = "a" }"#));
    ws.apply().assert_ok();
    let arn = output_str(&ws, "arn");

    block_on(
        aws.iam()
            .delete_open_id_connect_provider()
            .open_id_connect_provider_arn(&arn)
            .send(),
    )
    .unwrap();
    ws.assert_changes(&["will be created"]);
    ws.apply().assert_ok();
    let p = seen(&aws, &arn).expect("created again");
    assert_eq!(p.tags, tags(&[("Name", "a")]));
    assert_eq!(ws.output("adopted"), false);
    ws.assert_no_changes();
}

#[test]
fn oidc_provider_import_of_one_made_elsewhere_is_adopted_and_kept() {
    let aws = Emulator::start();
    let arn = create_out_of_band(&aws, THUMB_A, &[("Name", "imported")]);
    let ws = Workspace::new();
    ws.write(&config(
        &aws.provider_block(),
        &format!("  thumbprints = [\"{THUMB_A}\"]\n  tags = {{ Name = \"imported\" }}"),
    ));

    let role_arn = arn.replace(&format!("oidc-provider/{HOST}"), "role/not-a-provider");
    ws.import(ADDRESS, &role_arn)
        .assert_error(&["Invalid import id", "expected an OIDC provider ARN"]);

    ws.import(ADDRESS, &arn).assert_ok();
    ws.assert_no_changes();
    let state = ws.state_attributes(ADDRESS);
    assert_eq!(state["arn"], arn.as_str());
    assert_eq!(state["url"], URL);
    // Nothing says this configuration made it: whoever imports it, it may be
    // someone else's, so it is adopted and destroy leaves it.
    assert_eq!(state["adopted"], true);
    let run = ws.destroy();
    run.assert_ok();
    assert!(run.mentions("left in place"), "{}", run.output());
    assert_eq!(all_providers(&aws), vec![arn]);
}

#[test]
fn oidc_provider_import_after_state_rm_is_managed_when_the_id_says_owned() {
    let aws = Emulator::start();
    let ws = Workspace::new();
    ws.write(&config(&aws.provider_block(), ""));
    ws.apply().assert_ok();
    let arn = output_str(&ws, "arn");
    ws.run(&["state", "rm", ADDRESS]).assert_ok();

    // Its tags cannot prove who made it (anyone may write them): imported
    // plainly, it is adopted; the `,owned` suffix says it is this
    // configuration's own, and it is managed again, and destroy deletes it.
    ws.import(ADDRESS, &arn).assert_ok();
    assert_eq!(ws.state_attributes(ADDRESS)["adopted"], true);
    ws.run(&["state", "rm", ADDRESS]).assert_ok();
    ws.import(ADDRESS, &format!("{arn},owned")).assert_ok();
    assert_eq!(ws.state_attributes(ADDRESS)["adopted"], false);
    ws.assert_no_changes();
    ws.destroy().assert_ok();
    assert!(all_providers(&aws).is_empty());
}

#[test]
fn oidc_provider_adopts_existing_and_keeps_it_on_destroy() {
    let aws = Emulator::start();
    let arn = create_out_of_band(&aws, THUMB_A, &[("old", "1")]);
    let ws = Workspace::new();
    // The trailing slash names the same issuer: adopted, and kept as written.
    ws.write(
        &config(
            &provider_with_default_tags(&aws),
            &format!("  thumbprints = [\"{THUMB_B}\"]\n  tags = {{ Name = \"adopted\" }}"),
        )
        .replace(&format!("\"{URL}\""), &format!("\"{URL}/\"")),
    );
    let run = ws.apply();
    run.assert_ok();
    assert!(
        run.output().contains("Adopted existing IAM OIDC provider"),
        "{}",
        run.output()
    );
    assert_eq!(output_str(&ws, "arn"), arn);
    assert_eq!(ws.output("adopted"), true);
    assert_eq!(ws.state_attributes(ADDRESS)["url"], format!("{URL}/"));
    // Adopted: it gains what the configuration asks for and keeps all it had;
    // the provider's default_tags are not put on what it didn't create.
    let p = seen(&aws, &arn).unwrap();
    assert_eq!(p.thumbprints, strings(&[THUMB_A, THUMB_B]));
    assert_eq!(p.tags, tags(&[("Name", "adopted"), ("old", "1")]));
    assert_eq!(p.mark, None);
    ws.assert_no_changes();

    let run = ws.destroy();
    run.assert_ok();
    assert!(run.output().contains("left in place"), "{}", run.output());
    assert!(
        seen(&aws, &arn).is_some(),
        "an adopted provider is never deleted"
    );
}

#[test]
fn oidc_provider_concurrent_applies_both_succeed() {
    let aws = Emulator::start();
    let (a, b) = (Workspace::new(), Workspace::new());
    for ws in [&a, &b] {
        ws.write(&config(&aws.provider_block(), ""));
    }
    let (run_a, run_b) = std::thread::scope(|s| {
        let ta = s.spawn(|| a.apply());
        let tb = s.spawn(|| b.apply());
        (ta.join().unwrap(), tb.join().unwrap())
    });
    run_a.assert_ok();
    run_b.assert_ok();
    let mut adopted = [a.output("adopted"), b.output("adopted")];
    adopted.sort_by_key(|v| v.as_bool());
    assert_eq!(adopted, [false, true], "one creates, the other adopts");
    assert_eq!(all_providers(&aws).len(), 1);
    assert_eq!(output_str(&a, "arn"), output_str(&b, "arn"));
}

#[test]
fn oidc_provider_rejects_bad_inputs() {
    let aws = Emulator::start();
    let ws = Workspace::new();
    let cases: &[(&str, &str, &[&str])] = &[
        (
            "http://oidc.example.com",
            "",
            &[
                "Invalid `url`",
                "`url` must be an https:// URL",
                "got `http://oidc.example.com`",
            ],
        ),
        (
            URL,
            r#"  thumbprints = ["not-a-thumbprint"]"#,
            &[
                "Invalid `thumbprints`",
                "40 hexadecimal characters; got `not-a-thumbprint`",
            ],
        ),
        (
            URL,
            "  thumbprints = []",
            &[
                "Invalid `thumbprints`",
                "must hold 1 to 5 thumbprints; got 0",
            ],
        ),
        (
            URL,
            r#"  client_ids = [""]"#,
            &["Invalid `client_ids`", "1 to 255 characters; got ``"],
        ),
        (
            URL,
            r#"  tags = { "aws:reserved" = "x" }"#,
            &["Invalid tag key", "reserved by AWS"],
        ),
    ];
    for (url, body, needles) in cases {
        ws.write(
            &config(&aws.provider_block(), body)
                .replace(&format!("\"{URL}\""), &format!("\"{url}\"")),
        );
        ws.validate().assert_error(needles);
        ws.plan().assert_error(needles);
        ws.apply().assert_error(needles);
    }
    assert!(all_providers(&aws).is_empty(), "nothing may be created");
}

/// Two configurations sharing one provider (a platform team owns the
/// cluster's OIDC provider, an application team adopts it for its IRSA role)
/// never undo each other, and the owner's destroy does not silently break
/// the other team's role.
#[test]
fn oidc_provider_shared_by_two_configurations() {
    let aws = Emulator::start();
    let with_team = |team: &str| {
        aws.provider_block().replace(
            "  endpoints {",
            &format!("  default_tags {{\n    tags = {{ team = \"{team}\" }}\n  }}\n  endpoints {{"),
        )
    };
    let owner = Workspace::new();
    let owner_config = |extra: &str| {
        config(
            &with_team("platform"),
            &format!("  tags = {{ Name = \"shared\" }}\n{extra}"),
        )
    };
    owner.write(&owner_config(""));
    owner.apply().assert_ok();
    let arn = output_str(&owner, "arn");

    let adopter = Workspace::new();
    adopter.write(&format!(
        r#"{}
resource "clusteriam_torque_agent_role" "agent" {{
  name              = "app-team-agent"
  oidc_provider_arn = clusteriam_oidc_provider.this.arn
  namespace         = "torque"
  service_account   = "agent"
}}
"#,
        config(&with_team("apps"), "")
    ));
    let run = adopter.apply();
    run.assert_ok();
    assert!(
        run.mentions("Adopted existing IAM OIDC provider"),
        "{}",
        run.output()
    );
    assert_eq!(adopter.output("adopted"), true);
    assert_eq!(output_str(&adopter, "arn"), arn);

    // Neither sees a change after the other applied, in either order.
    for _ in 0..2 {
        owner.assert_no_changes();
        adopter.assert_no_changes();
        owner.apply().assert_ok();
        adopter.apply().assert_ok();
    }
    let p = seen(&aws, &arn).unwrap();
    assert_eq!(p.tags, tags(&[("Name", "shared"), ("team", "platform")]));
    assert!(p.mark.is_some());

    // The owner's destroy would break the other team's role: refused, naming it.
    let run = owner.destroy();
    run.assert_error(&[
        "deleting IAM OIDC provider",
        "still trust",
        "`app-team-agent`",
        "force_destroy",
    ]);
    assert!(seen(&aws, &arn).is_some(), "nothing deleted");

    // Asked explicitly, it goes; the adopter's next plan shows it missing.
    owner.write(&owner_config("  force_destroy = true"));
    owner.apply().assert_ok();
    owner.destroy().assert_ok();
    assert_eq!(seen(&aws, &arn), None);
    adopter.assert_changes(&["clusteriam_oidc_provider.this will be created"]);
    adopter.destroy().assert_ok();
}

/// Issue 26, item 7: two configurations share a provider and both tag it,
/// `owner` with different values. The creator's tags are the provider's; the
/// adopter adds only keys the provider lacks, never overwrites, never puts
/// back what the creator removed, and warns at each plan about the keys it
/// asks for that the provider holds otherwise. So no plan flips a tag back:
/// each is empty once applied, in either order, again and again.
#[test]
fn oidc_provider_tags_of_a_shared_provider_never_flip_flop() {
    let aws = Emulator::start();
    let owner = Workspace::new();
    owner.write(&config(
        &aws.provider_block(),
        r#"  tags = { owner = "platform", Name = "shared" }"#,
    ));
    owner.apply().assert_ok();
    let arn = output_str(&owner, "arn");

    let adopter = Workspace::new();
    adopter.write(&config(
        &aws.provider_block(),
        r#"  tags = { owner = "apps", team = "apps" }"#,
    ));
    let run = adopter.apply();
    run.assert_ok();
    assert_eq!(adopter.output("adopted"), true);
    assert!(
        run.mentions("`owner` is `platform` (this configuration asks for `apps`)"),
        "{}",
        run.output()
    );
    // The adopter added what the provider lacked and overwrote nothing.
    assert_eq!(
        seen(&aws, &arn).unwrap().tags,
        tags(&[("Name", "shared"), ("owner", "platform"), ("team", "apps")])
    );

    // The creator's tags are the provider's: it removes the key it never set.
    owner.assert_changes(&["team"]);
    owner.apply().assert_ok();
    let expected = tags(&[("Name", "shared"), ("owner", "platform")]);
    assert_eq!(seen(&aws, &arn).unwrap().tags, expected);

    for _ in 0..2 {
        let plan = adopter.plan();
        assert_eq!(
            plan.code,
            0,
            "the adopter plans no change:\n{}",
            plan.output()
        );
        assert!(
            plan.mentions("`team` is absent") && plan.mentions("`owner` is `platform`"),
            "the adopter's plan warns about both keys:\n{}",
            plan.output()
        );
        adopter.apply().assert_ok();
        let plan = owner.plan();
        assert_eq!(
            plan.code,
            0,
            "the creator plans no change:\n{}",
            plan.output()
        );
        owner.apply().assert_ok();
        assert_eq!(seen(&aws, &arn).unwrap().tags, expected);
    }
}
