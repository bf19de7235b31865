//! Pacing starts at the first throttled answer and from then on spaces the
//! calls of that kind, first attempts and retries alike.

use std::sync::Mutex;

use aws_config::{BehaviorVersion, Region, SdkConfig};
use aws_credential_types::Credentials;
use aws_credential_types::provider::SharedCredentialsProvider;
use aws_smithy_runtime_api::client::http::http_client_fn;
use aws_smithy_runtime_api::client::orchestrator::HttpResponse;
use aws_smithy_types::body::SdkBody;

use super::*;
use crate::aws::connect::sts_client;
use crate::aws::retry::tests::{IDENTITY, THROTTLED};
use crate::aws::retry::{max_attempts, retry_config};

fn request(method: &str, body: &str) -> HttpRequest {
    let mut request = HttpRequest::new(SdkBody::from(body.to_string()));
    request.set_method(method).unwrap();
    request
}

#[test]
fn calls_are_read_or_write_as_aws_counts_them() {
    let read = "Action=GetRole&Version=2010-05-08&RoleName=r";
    let write = "Action=CreateRole&Version=2010-05-08&RoleName=r";
    assert_eq!(Kind::of_request(&request("POST", read)), Kind::Read);
    assert_eq!(Kind::of_request(&request("POST", write)), Kind::Write);
    assert_eq!(
        Kind::of_request(&request("POST", "Action=DescribeTags&Version=2016-11-15")),
        Kind::Read
    );
    // EKS's REST API: the method says.
    assert_eq!(Kind::of_request(&request("GET", "")), Kind::Read);
    assert_eq!(Kind::of_request(&request("POST", "{}")), Kind::Write);
    assert_eq!(Kind::of_operation("ListRoles"), Kind::Read);
    assert_eq!(Kind::of_operation("TagRole"), Kind::Write);
}

#[test]
fn nothing_waits_until_aws_throttles() {
    let pacer = Pacer::new("iam");
    let now = Instant::now();
    for _ in 0..1000 {
        assert_eq!(pacer.turn(Kind::Read, now), None);
    }
}

#[test]
fn once_throttled_calls_of_that_kind_go_one_after_another_at_the_rate() {
    let pacer = Pacer::new("iam");
    let start = Instant::now();
    pacer.throttled(Kind::Write, start);
    // IAM writes: 5 a second, the first at once (AWS's bucket is empty
    // after a throttle, so no burst).
    let turns: Vec<Duration> = (0..6)
        .map(|_| pacer.turn(Kind::Write, start).unwrap() - start)
        .collect();
    let expected: Vec<Duration> = (0..6).map(|n| Duration::from_millis(200 * n)).collect();
    for (turn, expected) in turns.iter().zip(&expected) {
        assert!(
            turn.abs_diff(*expected) < Duration::from_millis(1),
            "{turns:?}"
        );
    }
    // Reads are another bucket, not throttled yet.
    assert_eq!(pacer.turn(Kind::Read, start), None);
    // A second throttle changes nothing: the bucket is in use.
    pacer.throttled(Kind::Write, start);
    let seventh = pacer.turn(Kind::Write, start).unwrap() - start;
    assert!(seventh.abs_diff(Duration::from_millis(1200)) < Duration::from_millis(1));
}

#[test]
fn an_idle_bucket_lets_a_burst_go_then_paces_again() {
    let pacer = Pacer::new("iam");
    let start = Instant::now();
    pacer.throttled(Kind::Read, start);
    // Ten idle seconds: IAM reads may burst 20, then go every 50 ms.
    let later = start + Duration::from_secs(10);
    for _ in 0..20 {
        assert_eq!(pacer.turn(Kind::Read, later), Some(later));
    }
    let next = pacer.turn(Kind::Read, later).unwrap() - later;
    assert!(next.abs_diff(Duration::from_millis(50)) < Duration::from_millis(1));
}

#[test]
fn pacing_starts_after_the_calls_already_on_their_way() {
    let pacer = Pacer::new("iam");
    let on_their_way: Vec<InFlight> = (0..3)
        .map(|_| InFlight::new(pacer.clone(), Kind::Read))
        .collect();
    let start = Instant::now();
    pacer.throttled(Kind::Read, start);
    // The three that get through take AWS's next three tokens.
    let first = pacer.turn(Kind::Read, start).unwrap() - start;
    assert!(
        first.abs_diff(Duration::from_millis(150)) < Duration::from_millis(1),
        "{first:?}"
    );
    drop(on_their_way);
    assert_eq!(pacer.lane(Kind::Read).in_flight.load(Ordering::Relaxed), 0);
}

/// The gap between turns taken back to back at `at`, once past the burst
/// an idle bucket allows.
fn gap(pacer: &Pacer, at: Instant) -> Duration {
    let turns: Vec<Instant> = (0..40)
        .map(|_| pacer.turn(Kind::Read, at).unwrap())
        .collect();
    turns[39] - turns[38]
}

#[test]
fn throttled_while_paced_slows_down_then_climbs_back() {
    let pacer = Pacer::new("iam");
    let start = Instant::now();
    pacer.throttled(Kind::Read, start);
    assert!(gap(&pacer, start).abs_diff(Duration::from_millis(50)) < Duration::from_millis(1));

    // Throttled again a second later (the calls already on their way when
    // pacing began don't count): IAM reads go at 15 a second.
    let later = start + Duration::from_millis(1500);
    pacer.throttled(Kind::Read, later);
    let slowed = gap(&pacer, later);
    assert!(
        slowed.abs_diff(Duration::from_secs_f64(1.0 / 15.0)) < Duration::from_millis(1),
        "{slowed:?}"
    );
    // Throttles within the next second meet the same empty bucket: no
    // further cut.
    pacer.throttled(Kind::Read, later + Duration::from_millis(500));
    let settle = later + Duration::from_millis(500);
    assert!(gap(&pacer, settle) < slowed, "climbing, not cut again");

    // Each cut takes a quarter, down to half the estimate: throttles that
    // come whatever the pace don't starve the run.
    let mut at = later;
    for _ in 0..100 {
        at += Duration::from_secs(1);
        pacer.throttled(Kind::Read, at);
    }
    let slowest = gap(&pacer, at);
    assert!(
        slowest.abs_diff(Duration::from_millis(100)) < Duration::from_millis(1),
        "{slowest:?}"
    );

    // Unthrottled, it is back at the estimate within 20 seconds.
    let recovered = at + Duration::from_secs(20);
    assert!(gap(&pacer, recovered).abs_diff(Duration::from_millis(50)) < Duration::from_millis(1));
}

/// A fake AWS in the HTTP client's place: throttles the first request,
/// answers every other, and notes when each arrived.
#[derive(Debug, Default)]
struct FakeSts(Mutex<Vec<Instant>>);

impl HttpConnector for &'static FakeSts {
    fn call(&self, _request: HttpRequest) -> HttpConnectorFuture {
        let mut arrivals = self.0.lock().unwrap();
        arrivals.push(Instant::now());
        let (status, body) = if arrivals.len() == 1 {
            (400, THROTTLED)
        } else {
            (200, IDENTITY)
        };
        HttpConnectorFuture::ready(Ok(HttpResponse::new(
            status.try_into().unwrap(),
            SdkBody::from(body),
        )))
    }
}

#[tokio::test(start_paused = true)]
async fn the_providers_clients_pace_every_attempt_after_a_throttle() {
    let fake: &'static FakeSts = Box::leak(Box::default());
    let config = SdkConfig::builder()
        .behavior_version(BehaviorVersion::latest())
        .region(Region::new("us-east-1"))
        .credentials_provider(SharedCredentialsProvider::new(Credentials::new(
            "AKIDTEST", "secret", None, None, "test",
        )))
        // No backoff: the bucket would refill while a retry backs off.
        .retry_config(
            retry_config(
                max_attempts(None, None),
                aws_config::retry::RetryMode::Standard,
            )
            .with_initial_backoff(Duration::ZERO),
        )
        .http_client(http_client_fn(move |_, _| SharedHttpConnector::new(fake)))
        .timeout_config(aws_config::timeout::TimeoutConfig::disabled())
        .stalled_stream_protection(
            aws_config::stalled_stream_protection::StalledStreamProtectionConfig::disabled(),
        )
        .identity_cache(aws_config::identity::IdentityCache::no_cache())
        .build();
    // Built as `connect` builds it, on the fake.
    let sts = sts_client(&config, Some("https://sts.example"));
    // Throttled once, then retried: the retry takes the first turn, and a
    // burst of twenty calls sent with it goes out at STS's 50 a second, one
    // every 20 ms, not all at once.
    let burst = (0..21).map(|_| sts.get_caller_identity().send());
    for result in futures::future::join_all(burst).await {
        result.unwrap();
    }
    let arrivals = fake.0.lock().unwrap().clone();
    assert_eq!(arrivals.len(), 22, "one throttled, its retry, twenty more");
    let gaps: Vec<Duration> = arrivals[1..].windows(2).map(|w| w[1] - w[0]).collect();
    assert!(
        gaps.iter()
            .all(|gap| gap.abs_diff(Duration::from_millis(20)) < Duration::from_millis(2)),
        "{gaps:?}"
    );
}
