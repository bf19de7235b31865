//! Fault injection: every platform scenario of `examples/`, with the
//! provider block a user writes (no `max_retries`), applies, re-plans empty,
//! repairs drift and destroys with 40% and 20% of AWS calls failing the way
//! AWS fails them (throttling, 500/503, dropped connections) and through a
//! burst of 10 consecutive throttled calls.
//!
//! These are the suite's longest tests, and mostly wait: the SDK backs off
//! between retries as it does against AWS. libtest starts tests in name
//! order, so they live here rather than in `reliability.rs`, to start while
//! most of the suite is still to run instead of closing it.
//!
//! Each test prints its figures
//! (`cargo test --test integration fault_scenarios:: -- --nocapture`);
//! RELIABILITY.md records them.

use crate::common;

use std::time::Instant;

use common::Emulator;
use common::block_on;
use common::faults::{FaultProxy, Faults, seed_for};
use common::scenarios::{Scenario, assert_emulator_matches_state, iam_in, state_resources};

/// The fault rates of the scenario tests: the heavier one in the first
/// apply, re-plan and destroy, the lighter one around the drift repair.
const HEAVY: f64 = 0.4;
const LIGHT: f64 = 0.2;
/// The throttling storm of the drift-repair apply: after its first few
/// calls, this many consecutive calls are all throttled.
const BURST: u64 = 10;
const BURST_AFTER: u64 = 3;

/// A scenario with every AWS call going through the fault proxy. The
/// examples stay as users see them: no `max_retries`, and the tests' own
/// environment holds no AWS_MAX_ATTEMPTS, so the provider's defaults retry.
fn faulty_scenario(name: &'static str, aws: &Emulator, seed: u64) -> (Scenario, FaultProxy) {
    let proxy = FaultProxy::start(
        &aws.url,
        Faults {
            seed,
            ..Default::default()
        },
    );
    let scenario = Scenario::prepare(name, aws, &proxy.url);
    (scenario, proxy)
}

/// Changes made behind Terraform's back, which the next apply must repair.
fn make_drift(aws: &Emulator, scenario: &Scenario) {
    for (kind, values) in state_resources(&scenario.ws) {
        if kind.ends_with("_role") && kind != "clusteriam_eks_connector_service_linked_role" {
            let arn = values["arn"].as_str().unwrap();
            let account = arn.split(':').nth(4).unwrap();
            let iam = iam_in(aws, account);
            block_on(
                iam.tag_role()
                    .role_name(values["name"].as_str().unwrap())
                    .tags(
                        aws_sdk_iam::types::Tag::builder()
                            .key("drift")
                            .value("out-of-band")
                            .build()
                            .unwrap(),
                    )
                    .send(),
            )
            .expect("tagging a role out of band");
        }
        if kind == "clusteriam_cluster_tags" {
            let subnet = values["subnet_ids"][0].as_str().unwrap();
            block_on(
                aws.ec2()
                    .delete_tags()
                    .resources(subnet)
                    .tags(
                        aws_sdk_ec2::types::Tag::builder()
                            .key(values["tag_key"].as_str().unwrap())
                            .build(),
                    )
                    .send(),
            )
            .expect("removing a cluster tag out of band");
        }
        if kind == "clusteriam_vpc_dns_hostnames" {
            block_on(
                aws.ec2()
                    .modify_vpc_attribute()
                    .vpc_id(values["vpc_id"].as_str().unwrap())
                    .enable_dns_hostnames(
                        aws_sdk_ec2::types::AttributeBooleanValue::builder()
                            .value(false)
                            .build(),
                    )
                    .send(),
            )
            .expect("turning DNS hostnames off out of band");
        }
    }
}

/// Apply, empty re-plan, drift repair and destroy, each in one Terraform
/// command, under faults; after each step the emulator holds exactly what
/// the state says. Each scenario meets all three fault settings, one per
/// phase, so covering them costs no extra runs:
/// - 40%: the first apply, the re-plan, the destroy;
/// - 20%: the drift plan, the drift-repair apply, the plan after it;
/// - a burst of 10 consecutive throttled calls early in the drift-repair apply.
fn scenario_survives_faults(name: &'static str) {
    let started = Instant::now();
    let seed = seed_for(name);
    let aws = Emulator::start();
    let (scenario, proxy) = faulty_scenario(name, &aws, seed);
    let mut report = Vec::new();
    let mut phase = |label: &str, proxy: &FaultProxy, since: Instant| {
        report.push(format!(
            "  {label:<22} {:>5.1}s  {}",
            since.elapsed().as_secs_f64(),
            proxy.counts()
        ));
        proxy.reset_counts();
    };
    let set_rate = |rate: f64| proxy.configure(|f| f.rate = rate);

    set_rate(HEAVY);
    let t = Instant::now();
    scenario.apply().assert_ok();
    assert_emulator_matches_state(&aws, &scenario);
    phase("apply (40%)", &proxy, t);

    let t = Instant::now();
    let run = scenario.plan();
    assert_eq!(run.code, 0, "the re-plan must be empty:\n{}", run.output());
    phase("re-plan (40%)", &proxy, t);

    set_rate(LIGHT);
    let t = Instant::now();
    make_drift(&aws, &scenario);
    let run = scenario.plan();
    assert_eq!(
        run.code,
        2,
        "the drift must show in the plan:\n{}",
        run.output()
    );
    proxy.burst(BURST_AFTER, BURST);
    scenario.apply().assert_ok();
    assert_eq!(proxy.counts().burst, BURST, "the burst happened");
    let run = scenario.plan();
    assert_eq!(run.code, 0, "the drift must be repaired:\n{}", run.output());
    assert_emulator_matches_state(&aws, &scenario);
    phase("drift repair (20%+burst)", &proxy, t);

    set_rate(HEAVY);
    let t = Instant::now();
    scenario.destroy().assert_ok();
    assert_emulator_matches_state(&aws, &scenario);
    assert!(
        state_resources(&scenario.ws).is_empty(),
        "destroy left resources in state"
    );
    phase("destroy (40%)", &proxy, t);

    println!(
        "faults: scenario {name} (seed {seed}), default retry settings, {:.1}s\n{}",
        started.elapsed().as_secs_f64(),
        report.join("\n")
    );
}

#[test]
fn rancher_scenario_survives_faults_with_default_settings() {
    scenario_survives_faults("rancher");
}

#[test]
fn kkp_scenario_survives_faults_with_default_settings() {
    scenario_survives_faults("kkp");
}

#[test]
fn torque_scenario_survives_faults_with_default_settings() {
    scenario_survives_faults("torque");
}

#[test]
fn eks_connector_scenario_survives_faults_with_default_settings() {
    scenario_survives_faults("eks-connector");
}
