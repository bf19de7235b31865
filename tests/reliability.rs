//! Reliability: what AWS does on a bad day must never leave an orphaned
//! role, a half-tagged cluster or a lost state entry.
//!
//! - fault injection: every platform scenario of `examples/` applies,
//!   re-plans empty, repairs drift and destroys with 20% of AWS calls failing
//!   the way AWS fails them (throttling, 500/503, dropped connections);
//! - partial failure: one step of a multi-step resource denied for good;
//! - interruption: SIGINT to Terraform in the middle of an apply;
//! - concurrency: 100+ resources at `-parallelism=20`.
//!
//! Each test prints its figures (`cargo test --test reliability -- --nocapture`);
//! RELIABILITY.md records them.

mod common;

use std::time::Instant;

use common::faults::{FaultProxy, Faults};
use common::scenarios::{Scenario, assert_emulator_matches_state, iam_in, state_resources};
use common::{Emulator, block_on};

/// The fraction of AWS calls the fault tests fail.
const FAULT_RATE: f64 = 0.2;
/// Attempts per call the provider's SDK makes under faults: at 20% a call
/// fails all 10 with probability 1e-7.
const MAX_ATTEMPTS: &str = "10";

/// A scenario with every AWS call going through a proxy that fails 20% of them.
fn faulty_scenario(name: &'static str, aws: &Emulator, seed: u64) -> (Scenario, FaultProxy) {
    let proxy = FaultProxy::start(
        &aws.url,
        Faults {
            rate: FAULT_RATE,
            seed,
            ..Default::default()
        },
    );
    let mut scenario = Scenario::prepare(name, aws, &proxy.url);
    // The standard AWS variable sets the SDK's retries: the examples stay as users see them.
    scenario.ws.set_env("AWS_MAX_ATTEMPTS", MAX_ATTEMPTS);
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

/// Apply, empty re-plan, drift repair and destroy under 20% faults; after
/// each step the emulator holds exactly what the state says.
fn scenario_survives_faults(name: &'static str, seed: u64) {
    let started = Instant::now();
    let aws = Emulator::start();
    let (scenario, proxy) = faulty_scenario(name, &aws, seed);
    let mut report = Vec::new();
    let mut phase = |label: &str, proxy: &FaultProxy| {
        report.push(format!("  {label:<14} {}", proxy.counts()));
        proxy.reset_counts();
    };

    scenario.apply().assert_ok();
    assert_emulator_matches_state(&aws, &scenario);
    phase("apply", &proxy);

    let run = scenario.plan();
    assert_eq!(run.code, 0, "the re-plan must be empty:\n{}", run.output());
    phase("re-plan", &proxy);

    make_drift(&aws, &scenario);
    let run = scenario.plan();
    assert_eq!(
        run.code,
        2,
        "the drift must show in the plan:\n{}",
        run.output()
    );
    scenario.apply().assert_ok();
    let run = scenario.plan();
    assert_eq!(run.code, 0, "the drift must be repaired:\n{}", run.output());
    assert_emulator_matches_state(&aws, &scenario);
    phase("drift repair", &proxy);

    scenario.destroy().assert_ok();
    assert_emulator_matches_state(&aws, &scenario);
    assert!(
        state_resources(&scenario.ws).is_empty(),
        "destroy left resources in state"
    );
    phase("destroy", &proxy);

    println!(
        "faults: scenario {name}, {:.0}% of calls failing (seed {seed}), AWS_MAX_ATTEMPTS={MAX_ATTEMPTS}, {:.1}s\n{}",
        FAULT_RATE * 100.0,
        started.elapsed().as_secs_f64(),
        report.join("\n")
    );
}

#[test]
fn rancher_scenario_survives_20_percent_faults() {
    scenario_survives_faults("rancher", 1);
}

#[test]
fn kkp_scenario_survives_20_percent_faults() {
    scenario_survives_faults("kkp", 2);
}

#[test]
fn torque_scenario_survives_20_percent_faults() {
    scenario_survives_faults("torque", 3);
}

#[test]
fn eks_connector_scenario_survives_20_percent_faults() {
    scenario_survives_faults("eks-connector", 4);
}
