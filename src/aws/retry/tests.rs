//! The retry policy against a fake AWS on a loopback port (`fake_aws`):
//! each request's answer is scripted, and the SDK's backoff sleeps are
//! recorded instead of slept, so 25 retries take milliseconds. The clients
//! are built exactly as `connect` builds them (`connect::sts_client`); only
//! the sleep differs.

mod fake_aws;

use std::net::{Ipv4Addr, TcpListener};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use fake_aws::*;
pub(in crate::aws) use fake_aws::{IDENTITY, THROTTLED};

use super::*;
use crate::aws::connect::sts_client;

#[test]
fn defaults_are_25_retries_unless_max_retries_or_aws_max_attempts_say_otherwise() {
    assert_eq!(max_attempts(None, None), 26);
    assert_eq!(max_attempts(Some(3), Some(10)), 4, "max_retries wins");
    assert_eq!(
        max_attempts(None, Some(10)),
        10,
        "AWS_MAX_ATTEMPTS counts attempts"
    );
    assert_eq!(max_attempts(Some(0), None), 1);
    let config = retry_config(26, RetryMode::Standard);
    assert_eq!(config.max_backoff(), Duration::from_secs(20));
}

#[tokio::test]
async fn a_call_throttled_10_times_in_a_row_succeeds_with_the_defaults() {
    let aws = FakeAws::start(|n| {
        if n < 10 {
            Answer::Throttled
        } else {
            Answer::Identity
        }
    });
    let sleeps = RecordedSleeps::default();
    identity(&default_client(&aws.url, &sleeps)).await.unwrap();
    assert_eq!(aws.requests(), 11);
    // Exponential backoff with full jitter: the n-th wait is at most
    // 2^n seconds, and never more than 20 s.
    let waits = sleeps.waits();
    assert_eq!(waits.len(), 10, "{waits:?}");
    for (n, wait) in waits.iter().enumerate() {
        let cap = Duration::from_secs(1 << n).min(MAX_BACKOFF);
        assert!(*wait <= cap, "wait {n} was {wait:?}, over {cap:?}");
    }
    assert!(
        waits.iter().any(|w| *w > Duration::from_secs(4)),
        "the waits grow: {waits:?}"
    );
}

#[tokio::test]
async fn a_call_throttled_on_every_attempt_fails_saying_so_and_what_to_do() {
    let aws = FakeAws::start(|_| Answer::Throttled);
    let sleeps = RecordedSleeps::default();
    let config = sdk_config(max_attempts(Some(3), None), &sleeps);
    let err = identity(&sts_client(&config, Some(&aws.url)))
        .await
        .unwrap_err();
    assert_eq!(aws.requests(), 4, "max_retries = 3: four attempts");
    assert!(err.is_throttled(), "{err}");
    assert!(err.to_string().starts_with("Throttling: "), "{err}");
    assert!(err.is_throttled());
    let detail = err.detail();
    for needle in [
        "Rate exceeded",
        "all 4 attempts",
        "`max_retries`",
        "-parallelism",
    ] {
        assert!(detail.contains(needle), "`{needle}` missing from: {detail}");
    }

    // With the defaults: 26 attempts, the last waits capped at 20 s.
    let aws = FakeAws::start(|_| Answer::Throttled);
    let sleeps = RecordedSleeps::default();
    let err = identity(&default_client(&aws.url, &sleeps))
        .await
        .unwrap_err();
    assert_eq!(aws.requests(), 26);
    assert!(err.detail().contains("all 26 attempts"), "{}", err.detail());
    assert!(sleeps.waits().iter().all(|w| *w <= MAX_BACKOFF));
}

/// The SDK's standard retry quota: 500 tokens per service and region, 5
/// per throttled retry, returned only by a retry that succeeds, so each call
/// throttled 10 times before it succeeds costs 45 tokens for good. The 12th
/// such call in a row finds the bucket empty and fails after 2 of its 26
/// attempts. Without the quota (the provider's partition) all 12 succeed.
#[tokio::test]
async fn the_sdks_retry_quota_runs_dry_in_a_throttling_burst_and_ours_does_not() {
    const CALLS: usize = 12;
    let every_call_throttled_10_times = |n: usize| {
        if n % 11 == 10 {
            Answer::Identity
        } else {
            Answer::Throttled
        }
    };

    let aws = FakeAws::start(every_call_throttled_10_times);
    let sleeps = RecordedSleeps::default();
    let ours = default_client(&aws.url, &sleeps);
    let sdk_quota = aws_sdk_sts::Client::from_conf(
        ours.config()
            .to_builder()
            .retry_partition(RetryPartition::new("sdk-standard-quota-demo"))
            .build(),
    );
    let mut failed = Vec::new();
    for call in 0..CALLS {
        let before = aws.requests();
        if let Err(e) = identity(&sdk_quota).await {
            failed.push((call, aws.requests() - before, e.to_string()));
        }
    }
    assert_eq!(
        failed.len(),
        1,
        "the SDK's quota fails the 12th call: {failed:?}"
    );
    let (call, attempts, error) = &failed[0];
    assert_eq!(*call, CALLS - 1, "{failed:?}");
    assert!(*attempts < 26, "it still had attempts left: {failed:?}");
    assert!(error.contains("Throttling"), "{error}");

    let aws = FakeAws::start(every_call_throttled_10_times);
    let ours = default_client(&aws.url, &sleeps);
    for call in 0..CALLS {
        identity(&ours)
            .await
            .unwrap_or_else(|e| panic!("call {call} failed without the quota: {e}"));
    }
    assert_eq!(aws.requests(), CALLS * 11);
}

#[tokio::test]
async fn once_throttled_a_clients_calls_reach_aws_one_turn_after_another() {
    let arrivals = Arc::new(Mutex::new(Vec::new()));
    let aws = FakeAws::start({
        let arrivals = arrivals.clone();
        move |n| {
            arrivals.lock().unwrap().push(std::time::Instant::now());
            if n == 0 {
                Answer::Throttled
            } else {
                Answer::Identity
            }
        }
    });
    // As `connect` builds it: a loaded config names no HTTP client, and
    // pacing has to wrap the one that sends.
    let client = default_client(&aws.url, &RecordedSleeps::default());
    identity(&client).await.unwrap();
    let burst = (0..20).map(|_| identity(&client));
    for result in futures::future::join_all(burst).await {
        result.unwrap();
    }
    // STS reads go at 50 a second once paced: the 20 calls after the
    // throttle's retry take 20 ms turns.
    let arrivals = arrivals.lock().unwrap();
    assert_eq!(arrivals.len(), 22);
    let spread = arrivals[21] - arrivals[1];
    assert!(
        spread >= Duration::from_millis(350),
        "20 calls reached AWS within {spread:?}"
    );
}

#[tokio::test]
async fn what_aws_retries_is_retried() {
    for (name, first) in [
        ("AWS's 503", Answer::Raw(503, UNAVAILABLE)),
        ("a gateway's 502", Answer::Raw(502, "Bad Gateway")),
        ("a connection dropped mid-request", Answer::Drop),
        ("a server's 500 page", Answer::Raw(500, HTML_404)),
        ("a plain 500", Answer::Raw(500, "Internal Server Error")),
        (
            "AWS's 500",
            Answer::Raw(
                500,
                "<ErrorResponse><Error><Code>InternalFailure</Code><Message>x</Message></Error></ErrorResponse>",
            ),
        ),
    ] {
        let aws = FakeAws::start(move |n| {
            if n < 2 {
                first.clone()
            } else {
                Answer::Identity
            }
        });
        let sleeps = RecordedSleeps::default();
        identity(&default_client(&aws.url, &sleeps))
            .await
            .unwrap_or_else(|e| panic!("{name}: {e}"));
        assert_eq!(aws.requests(), 3, "{name}");
    }
}

/// Refused, unknown host, an HTML page, an error without an AWS code: one
/// attempt, no wait, and an error naming the endpoint and what happened.
/// (Server errors are retried whatever their body: `what_aws_retries_is_retried`.)
#[tokio::test]
async fn configuration_mistakes_fail_at_once_naming_the_endpoint() {
    let closed = {
        let listener = TcpListener::bind((Ipv4Addr::LOCALHOST, 0)).unwrap();
        format!("http://{}", listener.local_addr().unwrap())
    };
    let sleeps = RecordedSleeps::default();
    let err = identity(&default_client(&closed, &sleeps))
        .await
        .unwrap_err();
    assert_eq!(sleeps.waits(), Vec::<Duration>::new(), "no retry: {err}");
    assert_eq!(
        err.to_string(),
        format!(
            "could not connect to the STS endpoint `{closed}`: the connection was refused \
             (nothing listens there). Check `endpoints.sts` (if set), `region` and the network"
        )
    );
    assert!(
        !err.detail().contains("DispatchFailure"),
        "{}",
        err.detail()
    );

    let err = identity(&default_client("http://clusteriam-test.invalid", &sleeps))
        .await
        .unwrap_err();
    assert!(sleeps.waits().is_empty(), "no retry: {err}");
    assert!(
        err.to_string()
            .contains("`http://clusteriam-test.invalid`: the host name does not resolve"),
        "{err}"
    );

    for (status, body, says) in [
        (404, HTML_404, "answered HTTP 404 with an HTML page"),
        (404, "not found", "answered HTTP 404 with no AWS error code"),
        (405, "", "answered HTTP 405 with no AWS error code"),
        (200, HTML_404, "answered HTTP 200 with an HTML page"),
    ] {
        let aws = FakeAws::start(move |_| Answer::Raw(status, body));
        let err = identity(&default_client(&aws.url, &sleeps))
            .await
            .unwrap_err();
        assert_eq!(aws.requests(), 1, "HTTP {status} {body}: not retried");
        assert!(sleeps.waits().is_empty());
        let text = err.detail();
        let endpoint_says = format!("the STS endpoint `{}` {says}", aws.url);
        for needle in [
            endpoint_says.as_str(),
            "not an AWS API endpoint",
            "`endpoints.sts`",
        ] {
            assert!(text.contains(needle), "`{needle}` missing: {text}");
        }
        assert_eq!(err.kind(), crate::aws::ErrorKind::NoAnswer, "{err}");
        assert!(!text.contains("credentials"), "{text}");
    }

    // An endpoint with a path: the error names it whole, the path being
    // the part most likely wrong.
    let aws = FakeAws::start(|_| Answer::Raw(404, HTML_404));
    let endpoint = format!("{}/emulator/aws", aws.url);
    let err = identity(&default_client(&endpoint, &sleeps))
        .await
        .unwrap_err();
    assert!(
        err.to_string()
            .contains(&format!("the STS endpoint `{endpoint}` answered HTTP 404")),
        "{err}"
    );
}

/// An AWS-compatible endpoint (the emulator's 5.2.6 release, enforcing IAM)
/// answers a refusal with `<ErrorResponse><Errors><Error>`, a shape the SDK
/// does not read, and as `text/html`: its code and message are still the
/// error, not "probably not an AWS API endpoint".
#[tokio::test]
async fn an_aws_error_code_in_an_unusual_shape_is_the_error() {
    const REFUSED: &str = "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<ErrorResponse><Errors><Error>\
        <Code>InvalidClientTokenId</Code><Message>The security token included in the request is \
        invalid &amp; was refused.</Message><Type>Sender</Type></Error></Errors></ErrorResponse>";
    let sleeps = RecordedSleeps::default();
    let aws = FakeAws::start(|_| Answer::Typed(403, "text/html; charset=utf-8", REFUSED));
    let err = identity(&default_client(&aws.url, &sleeps))
        .await
        .unwrap_err();
    assert!(
        err.to_string().starts_with("InvalidClientTokenId: "),
        "{err}"
    );
    assert_eq!(
        err.message,
        "The security token included in the request is invalid & was refused."
    );
    assert!(!err.detail().contains("not an AWS API endpoint"), "{err}");
    assert_eq!(aws.requests(), 1, "a refusal is not retried");
}

#[test]
fn aws_error_codes_are_read_from_every_protocol() {
    fn answer(headers: &[(&str, &str)], body: &str) -> HttpResponse {
        let mut response = HttpResponse::new(
            400.try_into().unwrap(),
            aws_smithy_types::body::SdkBody::from(body.to_string()),
        );
        for (k, v) in headers {
            response.headers_mut().insert(k.to_string(), v.to_string());
        }
        response
    }
    assert_eq!(
        aws_error_code(&answer(&[], THROTTLED)).as_deref(),
        Some("Throttling")
    );
    assert_eq!(
        aws_error_code(&answer(
            &[("x-amzn-ErrorType", "ThrottlingException:http://internal")],
            "{}"
        ))
        .as_deref(),
        Some("ThrottlingException")
    );
    assert_eq!(
        aws_error_code(&answer(
            &[],
            r#"{"__type":"com.amazon#ResourceNotFoundException"}"#
        ))
        .as_deref(),
        Some("ResourceNotFoundException")
    );
    assert_eq!(aws_error_code(&answer(&[], HTML_404)), None);
    assert_eq!(
        origin("https://iam.amazonaws.com/?Action=GetRole"),
        "https://iam.amazonaws.com"
    );
    assert_eq!(origin("http://127.0.0.1:9"), "http://127.0.0.1:9");
}
