//! Acceptance: `clusteriam_cluster_tags` through real Terraform against the
//! emulator, checking the tags in EC2 through the SDK after every step.

use crate::common;

use std::collections::BTreeMap;

use aws_sdk_ec2::types::{Filter, Tag};
use common::{Emulator, Workspace, block_on};

const ADDRESS: &str = "clusteriam_cluster_tags.this";

/// A VPC with subnets, instances and security groups, made through the SDK.
struct Network {
    ec2: aws_sdk_ec2::Client,
    subnets: Vec<String>,
    instances: Vec<String>,
    groups: Vec<String>,
}

fn network(aws: &Emulator, subnets: usize, instances: usize, groups: usize) -> Network {
    let ec2 = aws.ec2();
    block_on(async {
        let vpc = ec2
            .create_vpc()
            .cidr_block("10.0.0.0/16")
            .send()
            .await
            .unwrap()
            .vpc
            .unwrap()
            .vpc_id
            .unwrap();
        let mut subnet_ids = Vec::new();
        for n in 0..subnets {
            let subnet = ec2
                .create_subnet()
                .vpc_id(&vpc)
                .cidr_block(format!("10.0.{n}.0/24"))
                .send()
                .await
                .unwrap();
            subnet_ids.push(subnet.subnet.unwrap().subnet_id.unwrap());
        }
        let image = ec2.describe_images().send().await.unwrap().images()[0]
            .image_id()
            .unwrap()
            .to_string();
        let mut instance_ids = Vec::new();
        if instances > 0 {
            let run = ec2
                .run_instances()
                .image_id(image)
                .min_count(instances as i32)
                .max_count(instances as i32)
                .subnet_id(&subnet_ids[0])
                .send()
                .await
                .unwrap();
            instance_ids = run
                .instances()
                .iter()
                .map(|i| i.instance_id().unwrap().to_string())
                .collect();
        }
        let mut group_ids = Vec::new();
        for n in 0..groups {
            let group = ec2
                .create_security_group()
                .group_name(format!("cluster-{n}"))
                .description("cluster nodes")
                .vpc_id(&vpc)
                .send()
                .await
                .unwrap();
            group_ids.push(group.group_id.unwrap());
        }
        Network {
            ec2: ec2.clone(),
            subnets: subnet_ids,
            instances: instance_ids,
            groups: group_ids,
        }
    })
}

impl Network {
    /// Every tag on one resource.
    fn tags(&self, id: &str) -> BTreeMap<String, String> {
        block_on(
            self.ec2
                .describe_tags()
                .filters(Filter::builder().name("resource-id").values(id).build())
                .send(),
        )
        .unwrap()
        .tags()
        .iter()
        .map(|t| {
            (
                t.key().unwrap().to_string(),
                t.value().unwrap_or_default().to_string(),
            )
        })
        .collect()
    }

    /// Every resource carrying `key`, with its value.
    fn carrying(&self, key: &str) -> BTreeMap<String, String> {
        block_on(
            self.ec2
                .describe_tags()
                .filters(Filter::builder().name("key").values(key).build())
                .send(),
        )
        .unwrap()
        .tags()
        .iter()
        .map(|t| {
            (
                t.resource_id().unwrap().to_string(),
                t.value().unwrap_or_default().to_string(),
            )
        })
        .collect()
    }

    fn tag(&self, ids: &[&String], key: &str, value: &str) {
        block_on(
            self.ec2
                .create_tags()
                .set_resources(Some(ids.iter().map(|s| s.to_string()).collect()))
                .tags(Tag::builder().key(key).value(value).build())
                .send(),
        )
        .unwrap();
    }
}

/// The expected `carrying` map: each id with `value`.
fn expect(ids: &[&String], value: &str) -> BTreeMap<String, String> {
    ids.iter()
        .map(|id| (id.to_string(), value.to_string()))
        .collect()
}

fn hcl_set(ids: &[&String]) -> String {
    let quoted: Vec<String> = ids.iter().map(|id| format!("\"{id}\"")).collect();
    format!("[{}]", quoted.join(", "))
}

/// A configuration of the resource; `extra` holds more attribute lines.
fn config(
    aws: &Emulator,
    cluster: &str,
    instances: &[&String],
    subnets: &[&String],
    extra: &str,
) -> String {
    format!(
        r#"{provider}
resource "clusteriam_cluster_tags" "this" {{
  cluster_id   = "{cluster}"
  instance_ids = {instances}
  subnet_ids   = {subnets}
  {extra}
}}
"#,
        provider = aws.provider_block(),
        instances = hcl_set(instances),
        subnets = hcl_set(subnets),
    )
}

#[test]
fn cluster_tags_basic() {
    let aws = Emulator::start();
    let net = network(&aws, 3, 3, 2);
    let (i, s, g) = (&net.instances, &net.subnets, &net.groups);
    let ws = Workspace::new();
    ws.write(&config(
        &aws,
        "my-cluster",
        &[&i[0], &i[1]],
        &[&s[0], &s[1]],
        &format!(r#"security_group_id = "{}""#, g[0]),
    ));
    ws.apply().assert_ok();

    let key = "kubernetes.io/cluster/my-cluster";
    // The key, `owned`, on exactly those resources; nothing else tagged.
    assert_eq!(
        net.carrying(key),
        expect(&[&i[0], &i[1], &s[0], &s[1], &g[0]], "owned")
    );
    for other in [&i[2], &s[2], &g[1]] {
        assert!(net.tags(other).is_empty(), "{other} was tagged");
    }
    let state = ws.state_attributes(ADDRESS);
    assert_eq!(state["id"], "my-cluster");
    assert_eq!(state["tag_key"], key);
    assert_eq!(state["ownership"], "owned");
    assert_eq!(state["security_group_id"], g[0].as_str());

    ws.assert_no_changes();
}

#[test]
fn cluster_tags_update_in_place() {
    let aws = Emulator::start();
    let net = network(&aws, 2, 3, 2);
    let (i, s, g) = (&net.instances, &net.subnets, &net.groups);
    let key = "kubernetes.io/cluster/blue";
    net.tag(&[&i[0]], "Name", "node-0");
    let ws = Workspace::new();
    let sg = |n: usize| format!(r#"security_group_id = "{}""#, g[n]);
    ws.write(&config(&aws, "blue", &[&i[0], &i[1]], &[&s[0]], &sg(0)));
    ws.apply().assert_ok();
    assert_eq!(
        net.carrying(key),
        expect(&[&i[0], &i[1], &s[0], &g[0]], "owned")
    );

    // Ownership, one instance out and one in, the other subnet: in place.
    ws.write(&config(
        &aws,
        "blue",
        &[&i[1], &i[2]],
        &[&s[1]],
        &format!("{}\n  ownership = \"shared\"", sg(0)),
    ));
    let plan = ws.assert_changes(&["update in-place", "\"shared\""]);
    assert!(!plan.stdout.contains("must be replaced"), "{}", plan.stdout);
    ws.apply().assert_ok();
    assert_eq!(
        net.carrying(key),
        expect(&[&i[1], &i[2], &s[1], &g[0]], "shared")
    );
    // Only our key left the removed instance.
    assert_eq!(
        net.tags(&i[0]),
        BTreeMap::from([("Name".to_string(), "node-0".to_string())])
    );
    ws.assert_no_changes();

    // Moving to the other security group: the old one loses the key.
    ws.write(&config(
        &aws,
        "blue",
        &[&i[1], &i[2]],
        &[&s[1]],
        &format!("{}\n  ownership = \"shared\"", sg(1)),
    ));
    ws.apply().assert_ok();
    assert_eq!(
        net.carrying(key),
        expect(&[&i[1], &i[2], &s[1], &g[1]], "shared")
    );
    ws.assert_no_changes();
}

#[test]
fn cluster_tags_import() {
    let aws = Emulator::start();
    let net = network(&aws, 2, 2, 1);
    let (i, s, g) = (&net.instances, &net.subnets, &net.groups);
    let key = "kubernetes.io/cluster/imported";
    net.tag(&[&i[0], &i[1], &s[1], &g[0]], key, "shared");
    let ws = Workspace::new();
    ws.write(&config(
        &aws,
        "imported",
        &[&i[0], &i[1]],
        &[&s[1]],
        &format!("security_group_id = \"{}\"\n  ownership = \"shared\"", g[0]),
    ));
    ws.import(ADDRESS, "imported").assert_ok();
    let state = ws.state_attributes(ADDRESS);
    assert_eq!(state["ownership"], "shared");
    assert_eq!(state["security_group_id"], g[0].as_str());
    assert_eq!(state["tag_key"], key);
    let mut instances = vec![i[0].clone(), i[1].clone()];
    instances.sort();
    assert_eq!(state["instance_ids"], serde_json::json!(instances));
    assert_eq!(state["subnet_ids"], serde_json::json!([s[1]]));
    ws.assert_no_changes();

    // A cluster id nothing carries is an error naming the key.
    let ws2 = Workspace::new();
    ws2.write(&config(&aws, "nothing", &[&i[0]], &[], ""));
    ws2.import(ADDRESS, "nothing")
        .assert_error(&["kubernetes.io/cluster/nothing"]);
}

#[test]
fn cluster_tags_refuses_second_security_group() {
    let aws = Emulator::start();
    let net = network(&aws, 1, 1, 2);
    let (i, s, g) = (&net.instances, &net.subnets, &net.groups);
    let key = "kubernetes.io/cluster/lb";
    net.tag(&[&g[1]], key, "owned");
    let ws = Workspace::new();
    ws.write(&config(
        &aws,
        "lb",
        &[&i[0]],
        &[&s[0]],
        &format!(r#"security_group_id = "{}""#, g[0]),
    ));
    // At plan nothing is being tagged yet: the summary says checking.
    let refusal = [
        "checking EC2 resources for cluster (`lb`)",
        g[1].as_str(),
        "already carries the tag",
    ];
    ws.plan().assert_error(&refusal);
    ws.apply().assert_error(&refusal);
    assert_eq!(net.carrying(key), expect(&[&g[1]], "owned"));

    // Known only at apply, the check runs before any write.
    ws.write(&format!(
        r#"{provider}
resource "terraform_data" "group" {{
  input = "{group}"
}}
resource "clusteriam_cluster_tags" "this" {{
  cluster_id        = "lb"
  instance_ids      = ["{instance}"]
  security_group_id = terraform_data.group.output
}}
"#,
        provider = aws.provider_block(),
        group = g[0],
        instance = i[0],
    ));
    // (Terraform plans it again once the value is known, before creating it.)
    ws.apply()
        .assert_error(&refusal)
        .assert_error(&["terraform_data.group: Creation complete"]);
    assert_eq!(net.carrying(key), expect(&[&g[1]], "owned"));
}

#[test]
fn cluster_tags_nonexistent_id() {
    let aws = Emulator::start();
    let net = network(&aws, 1, 1, 1);
    let (i, s, g) = (&net.instances, &net.subnets, &net.groups);
    let key = "kubernetes.io/cluster/ghost";
    let ws = Workspace::new();
    let ghost = "i-0123456789abcdef0".to_string();
    ws.write(&config(
        &aws,
        "ghost",
        &[&i[0], &ghost],
        &[&s[0]],
        &format!(r#"security_group_id = "{}""#, g[0]),
    ));
    let error = [
        "checking EC2 resources for cluster (`ghost`)",
        ghost.as_str(),
    ];
    ws.plan().assert_error(&error);
    ws.apply().assert_error(&error);
    assert!(net.carrying(key).is_empty());

    let ghost_group = "sg-0123456789abcdef0".to_string();
    ws.write(&config(
        &aws,
        "ghost",
        &[&i[0]],
        &[&s[0]],
        &format!(r#"security_group_id = "{ghost_group}""#),
    ));
    ws.plan()
        .assert_error(&["No security group `sg-0123456789abcdef0`"]);
    assert!(net.carrying(key).is_empty());
}

#[test]
fn cluster_tags_rejects_bad_inputs() {
    let aws = Emulator::start();
    let ws = Workspace::new();
    let cases: &[(&str, &[&str])] = &[
        (
            r#"cluster_id = "my cluster""#,
            &["Invalid `cluster_id`", "got `my cluster`"],
        ),
        (
            r#"cluster_id = "a/b""#,
            &[
                "Invalid `cluster_id`",
                "at most 128 characters",
                "got `a/b`",
            ],
        ),
        (
            &format!(r#"cluster_id = "{}""#, "c".repeat(107)),
            &["Invalid `cluster_id`", "1 to 106"],
        ),
        (
            r#"cluster_id = "ok"
  ownership = "mine""#,
            &[
                "Invalid `ownership`",
                "must be one of owned, shared",
                "got `mine`",
            ],
        ),
        (
            r#"cluster_id = "ok"
  instance_ids = ["i-0123456789ABCDEF0"]"#,
            &["Invalid `instance_ids`", "got `i-0123456789ABCDEF0`"],
        ),
        (
            r#"cluster_id = "ok"
  subnet_ids = ["sn-01234567"]"#,
            &["Invalid `subnet_ids`", "got `sn-01234567`"],
        ),
        (
            r#"cluster_id = "ok"
  security_group_id = "sg-123""#,
            &["Invalid `security_group_id`", "got `sg-123`"],
        ),
    ];
    for (body, needles) in cases {
        ws.write(&format!(
            "{}\nresource \"clusteriam_cluster_tags\" \"this\" {{\n  {body}\n}}\n",
            aws.provider_block()
        ));
        ws.validate().assert_error(needles);
    }
    // Plan checks too, before any AWS call.
    ws.plan().assert_error(&["Invalid `security_group_id`"]);
    assert!(!ws.path().join("terraform.tfstate").exists());
}

#[test]
fn cluster_tags_destroy_removes_only_its_key() {
    let aws = Emulator::start();
    let net = network(&aws, 1, 2, 1);
    let (i, s, g) = (&net.instances, &net.subnets, &net.groups);
    let key = "kubernetes.io/cluster/tidy";
    net.tag(&[&i[0], &g[0]], "Name", "keep-me");
    // A node the platform tagged itself: not ours.
    net.tag(&[&i[1]], key, "owned");
    let ws = Workspace::new();
    ws.write(&config(
        &aws,
        "tidy",
        &[&i[0]],
        &[&s[0]],
        &format!(r#"security_group_id = "{}""#, g[0]),
    ));
    ws.apply().assert_ok();
    assert_eq!(
        net.carrying(key),
        expect(&[&i[0], &i[1], &s[0], &g[0]], "owned")
    );
    ws.assert_no_changes();

    ws.destroy().assert_ok();
    assert_eq!(net.carrying(key), expect(&[&i[1]], "owned"));
    let keep = BTreeMap::from([("Name".to_string(), "keep-me".to_string())]);
    assert_eq!(net.tags(&i[0]), keep);
    assert_eq!(net.tags(&g[0]), keep);
    assert!(net.tags(&s[0]).is_empty());
}

/// Destroy works when the listed objects are gone or the one-group rule is
/// broken, even with a changed configuration (Terraform plans once more,
/// with the configuration, before it destroys).
#[test]
fn cluster_tags_destroy_succeeds_when_objects_are_gone_or_rules_broken() {
    let aws = Emulator::start();
    let net = network(&aws, 1, 2, 2);
    let (i, s, g) = (&net.instances, &net.subnets, &net.groups);
    let key = "kubernetes.io/cluster/teardown";
    let ws = Workspace::new();
    let config_with = |ownership: &str| {
        config(
            &aws,
            "teardown",
            &[&i[0], &i[1]],
            &[&s[0]],
            &format!(
                "security_group_id = \"{}\"\n  ownership = \"{ownership}\"",
                g[0]
            ),
        )
    };
    ws.write(&config_with("owned"));
    ws.apply().assert_ok();

    // One instance terminated, another group tagged by someone else, and the
    // configuration changed: the plan warns, it does not fail.
    block_on(net.ec2.terminate_instances().instance_ids(&i[1]).send()).unwrap();
    net.tag(&[&g[1]], key, "owned");
    ws.write(&config_with("shared"));
    let plan = ws.plan();
    assert_eq!(
        plan.code,
        2,
        "a plan with changes and warnings:\n{}",
        plan.output()
    );
    assert!(plan.mentions(&format!("`{}`", i[1])), "{}", plan.output());
    assert!(plan.mentions(&format!("`{}`", g[1])), "{}", plan.output());
    let destroy_plan = ws.run(&["plan", "-destroy", "-no-color", "-input=false"]);
    destroy_plan.assert_ok();

    let run = ws.destroy();
    run.assert_ok();
    // Its key is gone from what still exists; the other group keeps its tag.
    assert_eq!(net.carrying(key), expect(&[&g[1]], "owned"));
}

/// An import takes the value most objects carry and says which it left out.
#[test]
fn cluster_tags_import_names_what_carries_another_value() {
    let aws = Emulator::start();
    let net = network(&aws, 1, 2, 1);
    let (i, s, _) = (&net.instances, &net.subnets, &net.groups);
    let key = "kubernetes.io/cluster/mixed";
    net.tag(&[&i[0], &i[1]], key, "owned");
    net.tag(&[&s[0]], key, "shared");
    let ws = Workspace::new();
    ws.write(&format!(
        "{}\nresource \"clusteriam_cluster_tags\" \"this\" {{\n  cluster_id   = \"mixed\"\n  instance_ids = {}\n}}\n",
        aws.provider_block(),
        hcl_set(&[&i[0], &i[1]])
    ));
    let run = ws.import(ADDRESS, "mixed");
    run.assert_ok();
    assert!(run.mentions("Not imported"), "{}", run.output());
    assert!(
        run.mentions(&format!("`{}` (`shared`)", s[0])),
        "{}",
        run.output()
    );
    let state = ws.state_attributes(ADDRESS);
    assert_eq!(state["ownership"], "owned");
    assert_eq!(state["subnet_ids"], serde_json::Value::Null);
    ws.assert_no_changes();
}
