//! A fake AWS for the retry and pacing tests: an HTTP/1.1 server on a
//! loopback port whose answers are scripted, and an SDK sleep that records
//! the backoff waits instead of sleeping them.

use std::io::{Read, Write};
use std::net::{Ipv4Addr, TcpListener};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use aws_config::{BehaviorVersion, Region, SdkConfig};
use aws_credential_types::Credentials;
use aws_credential_types::provider::SharedCredentialsProvider;
use aws_sdk_sts::config::{AsyncSleep, SharedAsyncSleep, Sleep};

use super::super::*;
use crate::aws::AwsError;
use crate::aws::connect::sts_client;

/// What the fake AWS answers to one request.
#[derive(Clone, Debug)]
pub(super) enum Answer {
    Identity,
    Throttled,
    /// Status, body.
    Raw(u16, &'static str),
    /// Status, content type, body.
    Typed(u16, &'static str, &'static str),
    /// Close the connection without answering.
    Drop,
}

/// STS's answer to GetCallerIdentity (also the pacing tests' fake AWS).
pub(in crate::aws) const IDENTITY: &str = "<GetCallerIdentityResponse xmlns=\"https://sts.amazonaws.com/doc/2011-06-15/\">\
    <GetCallerIdentityResult><Arn>arn:aws:iam::123456789012:user/t</Arn><UserId>AIDATEST</UserId>\
    <Account>123456789012</Account></GetCallerIdentityResult>\
    <ResponseMetadata><RequestId>r</RequestId></ResponseMetadata></GetCallerIdentityResponse>";

/// A throttled answer.
pub(in crate::aws) const THROTTLED: &str = "<ErrorResponse xmlns=\"https://sts.amazonaws.com/doc/2011-06-15/\">\
    <Error><Type>Sender</Type><Code>Throttling</Code><Message>Rate exceeded</Message></Error>\
    <RequestId>r</RequestId></ErrorResponse>";

pub(super) const UNAVAILABLE: &str = "<ErrorResponse><Error><Type>Receiver</Type><Code>ServiceUnavailable</Code>\
    <Message>Service is unable to handle request.</Message></Error><RequestId>r</RequestId></ErrorResponse>";

pub(super) const HTML_404: &str = "<!DOCTYPE html>\n<html><head><title>404 Not Found</title></head>\
    <body><h1>Not Found</h1></body></html>";

/// An HTTP/1.1 server on 127.0.0.1 answering each request (numbered from
/// 0) as `script` says; one request per connection. Stops when dropped.
pub(super) struct FakeAws {
    pub(super) url: String,
    pub(super) requests: Arc<AtomicUsize>,
    pub(super) stop: Arc<AtomicBool>,
    pub(super) thread: Option<std::thread::JoinHandle<()>>,
}

impl FakeAws {
    pub(super) fn start(script: impl Fn(usize) -> Answer + Send + 'static) -> FakeAws {
        let listener = TcpListener::bind((Ipv4Addr::LOCALHOST, 0)).unwrap();
        listener.set_nonblocking(true).unwrap();
        let url = format!("http://{}", listener.local_addr().unwrap());
        let requests = Arc::new(AtomicUsize::new(0));
        let stop = Arc::new(AtomicBool::new(false));
        let thread = {
            let (requests, stop) = (requests.clone(), stop.clone());
            std::thread::spawn(move || {
                while !stop.load(Ordering::Relaxed) {
                    let Ok((mut conn, _)) = listener.accept() else {
                        std::thread::sleep(Duration::from_millis(1));
                        continue;
                    };
                    conn.set_nonblocking(false).unwrap();
                    if !read_request(&mut conn) {
                        continue;
                    }
                    let n = requests.fetch_add(1, Ordering::SeqCst);
                    let (status, content_type, body) = match script(n) {
                        Answer::Identity => (200, "text/xml", IDENTITY),
                        Answer::Throttled => (400, "text/xml", THROTTLED),
                        Answer::Raw(status, body) => (status, "text/xml", body),
                        Answer::Typed(status, content_type, body) => (status, content_type, body),
                        Answer::Drop => continue,
                    };
                    let _ = write!(
                        conn,
                        "HTTP/1.1 {status} X\r\nContent-Type: {content_type}\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
                        body.len()
                    );
                }
            })
        };
        FakeAws {
            url,
            requests,
            stop,
            thread: Some(thread),
        }
    }

    pub(super) fn requests(&self) -> usize {
        self.requests.load(Ordering::SeqCst)
    }
}

impl Drop for FakeAws {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::Relaxed);
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

/// Reads one request (head and Content-Length body); false if the client left.
pub(super) fn read_request(conn: &mut std::net::TcpStream) -> bool {
    let mut data = Vec::new();
    let mut chunk = [0u8; 4096];
    loop {
        if let Some(end) = data.windows(4).position(|w| w == b"\r\n\r\n") {
            let head = String::from_utf8_lossy(&data[..end]).to_ascii_lowercase();
            let length: usize = head
                .lines()
                .find_map(|l| l.strip_prefix("content-length:"))
                .and_then(|v| v.trim().parse().ok())
                .unwrap_or(0);
            if data.len() >= end + 4 + length {
                return true;
            }
        }
        match conn.read(&mut chunk) {
            Ok(0) | Err(_) => return false,
            Ok(n) => data.extend_from_slice(&chunk[..n]),
        }
    }
}

/// The SDK's backoff waits, recorded and skipped (timeouts, stalled-stream
/// protection and the credentials cache, which sleep too, are off).
#[derive(Clone, Debug, Default)]
pub(super) struct RecordedSleeps(Arc<Mutex<Vec<Duration>>>);

impl AsyncSleep for RecordedSleeps {
    fn sleep(&self, duration: Duration) -> Sleep {
        self.0.lock().unwrap().push(duration);
        Sleep::new(async {})
    }
}

impl RecordedSleeps {
    pub(super) fn waits(&self) -> Vec<Duration> {
        self.0.lock().unwrap().clone()
    }
}

pub(super) fn sdk_config(max_attempts: u32, sleeps: &RecordedSleeps) -> SdkConfig {
    SdkConfig::builder()
        .behavior_version(BehaviorVersion::latest())
        .region(Region::new("us-east-1"))
        .credentials_provider(SharedCredentialsProvider::new(Credentials::new(
            "AKIDTEST", "secret", None, None, "test",
        )))
        .retry_config(retry_config(max_attempts, RetryMode::Standard))
        .sleep_impl(SharedAsyncSleep::new(sleeps.clone()))
        // Timeouts and stalled-stream checks sleep too: with the sleeps
        // skipped they would fire at once (and muddle the record).
        .timeout_config(aws_config::timeout::TimeoutConfig::disabled())
        .stalled_stream_protection(
            aws_config::stalled_stream_protection::StalledStreamProtectionConfig::disabled(),
        )
        // The credentials cache times its loads out the same way.
        .identity_cache(aws_config::identity::IdentityCache::no_cache())
        .build()
}

/// The provider's STS client with the default settings (no `max_retries`).
pub(super) fn default_client(url: &str, sleeps: &RecordedSleeps) -> aws_sdk_sts::Client {
    sts_client(&sdk_config(max_attempts(None, None), sleeps), Some(url))
}

pub(super) async fn identity(client: &aws_sdk_sts::Client) -> Result<(), AwsError> {
    client
        .get_caller_identity()
        .send()
        .await
        .map(|_| ())
        .map_err(AwsError::from)
}
