//! Ownership marks and waiting for IAM to propagate.

use std::cell::Cell;
use std::time::Duration;

use super::call::retry_until;
use super::ownership::{split_ownership_mark, with_ownership_mark};
use super::*;

fn invalid_principal() -> AwsError {
    AwsError::answered(
        "MalformedPolicyDocument",
        "Invalid principal in policy: \"arn:aws:iam::123456789012:oidc-provider/x\"",
    )
}

#[test]
fn ownership_marks_are_unique_and_valid_tag_values() {
    let (a, b) = (new_ownership_mark(), new_ownership_mark());
    assert_ne!(a, b);
    // IAM tag values: at most 256 of letters, digits, spaces and _.:/=+-@
    assert!(a.len() <= 256);
    assert!(
        a.chars()
            .all(|c| c.is_ascii_alphanumeric() || "_.:/=+-@ ".contains(c))
    );
    let tags = with_ownership_mark(&Default::default(), &a);
    assert_eq!(split_ownership_mark(tags), (Default::default(), Some(a)));
}

#[tokio::test(start_paused = true)]
async fn propagation_errors_are_retried_until_iam_catches_up() {
    let calls = Cell::new(0);
    // The first three attempts meet a principal IAM does not know yet.
    let attempt = || {
        calls.set(calls.get() + 1);
        let n = calls.get();
        async move {
            if n < 4 {
                Err(invalid_principal())
            } else {
                Ok(n)
            }
        }
    };
    let malformed = |e: &AwsError| e.kind() == ErrorKind::Malformed;
    let result = retry_until(Duration::from_secs(120), "CreateRole", malformed, attempt).await;
    assert_eq!(result.unwrap(), 4);
}

#[tokio::test(start_paused = true)]
async fn other_errors_and_the_timeout_end_the_wait() {
    let calls = Cell::new(0);
    let denied = retry_until(
        Duration::from_secs(120),
        "CreateRole",
        |e| e.is_not_found(),
        || {
            calls.set(calls.get() + 1);
            async { Err::<(), _>(AwsError::answered("AccessDenied", "no")) }
        },
    )
    .await;
    assert_eq!(denied.unwrap_err().kind(), ErrorKind::Denied);
    assert_eq!(calls.get(), 1, "a non-retryable error is not retried");

    let started = tokio::time::Instant::now();
    let gone = retry_until(
        Duration::from_secs(10),
        "GetRole",
        AwsError::is_not_found,
        || async { Err::<(), _>(AwsError::not_found("role r not visible yet")) },
    )
    .await;
    assert!(gone.unwrap_err().is_not_found());
    assert!(
        started.elapsed() <= Duration::from_secs(10),
        "gave up within the timeout: {:?}",
        started.elapsed()
    );
}
