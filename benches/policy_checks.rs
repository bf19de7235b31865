//! How fast the policy checks are (issue 30; BENCHMARKS.md, part 6):
//! indexing the catalogue on first use, one action lookup, one wildcard
//! lookup, and the whole check of a 10,000-character policy, with and without
//! problems to report. Plain `std::time::Instant` and medians, no harness:
//!
//!     cargo bench --bench policy_checks
//!
//! Prints one `metric<TAB>value<TAB>unit` line per figure (what
//! `scripts/bench --only policy` reads), then the same as a table.

use std::hint::black_box;
use std::process::Command;
use std::time::Instant;

use terraform_provider_clusteriam::policy::catalogue::catalogue;
use terraform_provider_clusteriam::policy::check::{Kind, check};

/// The child process measuring the catalogue's first use.
const FIRST_USE: &str = "CLUSTERIAM_BENCH_FIRST_USE";

fn median(mut values: Vec<f64>) -> f64 {
    values.sort_by(f64::total_cmp);
    values[values.len() / 2]
}

fn max(values: &[f64]) -> f64 {
    values.iter().copied().fold(f64::MIN, f64::max)
}

/// Nanoseconds per call of `f` over `calls` calls, `samples` times.
fn per_call(samples: usize, calls: usize, mut f: impl FnMut(usize)) -> Vec<f64> {
    (0..samples)
        .map(|_| {
            let start = Instant::now();
            for i in 0..calls {
                f(i);
            }
            start.elapsed().as_nanos() as f64 / calls as f64
        })
        .collect()
}

/// 1,000 actions spread over the catalogue, written in other cases than
/// the catalogue's (lookups ignore case, as IAM does).
fn sample_actions() -> Vec<String> {
    let all: Vec<String> = catalogue()
        .services()
        .iter()
        .flat_map(|s| s.actions().iter().map(move |a| format!("{}:{a}", s.prefix)))
        .collect();
    let step = all.len() / 1000;
    all.iter()
        .step_by(step)
        .take(1000)
        .enumerate()
        .map(|(i, a)| {
            if i % 2 == 0 {
                a.to_lowercase()
            } else {
                a.clone()
            }
        })
        .collect()
}

/// A policy of about 10,000 characters such as users write: statements of
/// real actions of several services, wildcards, ARNs with policy variables
/// and conditions. With `typos`, every seventh action is misspelt.
fn policy(typos: bool) -> String {
    let services = [
        "s3", "ec2", "iam", "logs", "kms", "dynamodb", "sqs", "eks", "ecr", "ssm",
    ];
    let mut statements = Vec::new();
    let mut length = 0;
    let mut n = 0;
    'fill: for round in 0.. {
        for (i, prefix) in services.iter().enumerate() {
            let service = catalogue().service(prefix).unwrap();
            let actions: Vec<String> = service
                .actions()
                .iter()
                .skip(round * 7 + i)
                .step_by(11)
                .take(6)
                .map(|a| {
                    n += 1;
                    let name = if typos && n % 7 == 0 {
                        format!("{a}x")
                    } else {
                        a.to_string()
                    };
                    format!("\"{prefix}:{name}\"")
                })
                // Two wildcards, as users write them: starts of real actions.
                .chain(
                    service
                        .actions()
                        .iter()
                        .skip(round + i)
                        .step_by(97)
                        .take(2)
                        .map(|a| format!("\"{prefix}:{}*\"", &a[..a.len().min(4)])),
                )
                .collect();
            // IAM's and S3's ARNs have no region.
            let region = if ["iam", "s3"].contains(prefix) {
                ""
            } else {
                "eu-central-1"
            };
            let statement = format!(
                r#"{{"Sid":"S{round}x{i}","Effect":"Allow","Action":[{}],"Resource":["arn:aws:{prefix}:{region}:111122223333:thing/${{aws:username}}/*","arn:aws:{prefix}:*:111122223333:other/*"],"Condition":{{"StringEquals":{{"aws:RequestedRegion":"eu-central-1","aws:ResourceTag/team":"platform"}},"Bool":{{"aws:SecureTransport":"true"}}}}}}"#,
                actions.join(",")
            );
            if length + statement.len() > 9_950 {
                break 'fill;
            }
            length += statement.len() + 1;
            statements.push(statement);
        }
    }
    format!(
        r#"{{"Version":"2012-10-17","Statement":[{}]}}"#,
        statements.join(",")
    )
}

fn main() {
    if std::env::var_os(FIRST_USE).is_some() {
        let start = Instant::now();
        black_box(catalogue());
        println!("{}", start.elapsed().as_nanos());
        return;
    }
    let mut figures: Vec<(&str, f64, &str)> = Vec::new();

    // The catalogue's first use in a process: a fresh process each time.
    let exe = std::env::current_exe().unwrap();
    let first: Vec<f64> = (0..15)
        .map(|_| {
            let out = Command::new(&exe).env(FIRST_USE, "1").output().unwrap();
            String::from_utf8_lossy(&out.stdout)
                .trim()
                .parse::<f64>()
                .unwrap()
                / 1e6
        })
        .collect();
    figures.push(("catalogue first use, median", median(first.clone()), "ms"));
    figures.push(("catalogue first use, max", max(&first), "ms"));

    let catalogue = catalogue();
    let actions = sample_actions();
    let known = per_call(50, actions.len(), |i| {
        assert!(black_box(catalogue.action(black_box(&actions[i]))).is_some());
    });
    figures.push(("action lookup, median", median(known.clone()), "ns"));
    figures.push(("action lookup, slowest sample", max(&known), "ns"));
    let misspelt: Vec<String> = actions.iter().map(|a| format!("{a}x")).collect();
    let missing = per_call(50, misspelt.len(), |i| {
        assert!(black_box(catalogue.action(black_box(&misspelt[i]))).is_none());
    });
    figures.push((
        "action lookup of an unknown action, median",
        median(missing),
        "ns",
    ));
    let ec2 = catalogue.service("ec2").unwrap();
    let patterns = [
        "Describe*",
        "*Tags",
        "Get?onsoleOutput",
        "Create*Route*",
        "Nothing*",
    ];
    let wildcard = per_call(50, 1000, |i| {
        black_box(ec2.has_action_matching(black_box(patterns[i % patterns.len()])));
    });
    figures.push((
        "wildcard lookup in ec2 (~700 actions), median",
        median(wildcard),
        "ns",
    ));

    for (what, typos) in [
        ("check of a 10,000-character policy", false),
        ("the same with every seventh action misspelt", true),
    ] {
        let text = policy(typos);
        let found = check(&text, Kind::Inline);
        let problems = found.len();
        assert_eq!(problems == 0, !typos, "{found:#?}");
        let times: Vec<f64> = (0..300)
            .map(|_| {
                let start = Instant::now();
                black_box(check(black_box(&text), Kind::Inline));
                start.elapsed().as_nanos() as f64 / 1e3
            })
            .collect();
        let label: &'static str = Box::leak(
            format!(
                "{what} ({} characters, {problems} problems), median",
                text.len()
            )
            .into_boxed_str(),
        );
        figures.push((label, median(times.clone()), "us"));
        let label: &'static str = Box::leak(format!("{what}, slowest of 300").into_boxed_str());
        figures.push((label, max(&times), "us"));
    }

    for (name, value, unit) in &figures {
        println!("{name}\t{value:.3}\t{unit}");
    }
    println!();
    println!("| measure | value |\n|---|---|");
    for (name, value, unit) in &figures {
        println!("| {name} | {value:.2} {} |", unit.replace("us", "µs"));
    }
}
