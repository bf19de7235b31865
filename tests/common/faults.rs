//! A fault-injecting HTTP proxy between the provider and the emulator.
//!
//! It forwards every request to moto, except that it fails a chosen fraction
//! of AWS calls the way AWS does (throttling in each service's own error
//! shape, 500, 503, a dropped connection), and can deny chosen operations
//! for good (and, once one is refused, others after it). Every fault
//! happens BEFORE forwarding: moto never sees a failed request, so a retry
//! is always safe and the emulator stays the truth.
//!
//! Which request fails is decided by a hash of the seed, the request (method,
//! path, body) and how often that same request was seen before, so a run is
//! reproducible whatever order Terraform's parallel walk sends calls in.
//! [`seed_for`] gives each test its own seed (`FAULT_SEED` moves them all).
//!
//! A burst ([`FaultProxy::burst`]) fails every call, throttled, for a stretch
//! of consecutive calls: a throttling storm.
//!
//! HTTP/1.1 only (what the SDK speaks to an http:// endpoint), bodies by
//! Content-Length (what the SDK sends); a minimal parser suffices because
//! both ends are known.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::net::{Ipv4Addr, SocketAddr};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

mod client_ids;

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};
use tokio_util::sync::CancellationToken;

/// What the proxy does to the calls it sees; change it at any time with
/// [`FaultProxy::configure`].
#[derive(Clone, Debug, Default)]
pub struct Faults {
    /// The fraction of calls (0.0..=1.0) that fail transiently.
    pub rate: f64,
    pub seed: u64,
    /// Operations refused for good with AccessDenied: the query protocol's
    /// `Action` (IAM, STS, EC2), e.g. `AddRoleToInstanceProfile`.
    pub deny: BTreeSet<String>,
    /// Operations of `deny` which, once refused, have the operations listed
    /// for them added to `deny`: a step fails and so does the look at AWS
    /// after it, e.g. `PutRolePolicy` refused, then `GetRole` (AWS became
    /// unreachable, or throttled throughout, between the two calls).
    pub then_deny: BTreeMap<String, BTreeSet<String>>,
    /// Added before each forwarded response: a slow AWS.
    pub delay: Duration,
    /// Operations whose first call reaches the emulator (so takes effect)
    /// but whose answer is lost: the connection closes instead.
    pub lose_response: BTreeSet<String>,
    /// Operations whose first call is answered with throttling after the
    /// given action ran: another party acting in between, e.g. creating the
    /// object the call was about to create.
    pub throttle_first_after: BTreeMap<String, Interloper>,
    /// Operations whose first call is answered 503 (ServiceUnavailable)
    /// after the given action ran: an answer that leaves open whether AWS
    /// acted, while another party made the object meanwhile.
    pub unavailable_first_after: BTreeMap<String, Interloper>,
    /// Calls numbered in this range (see [`FaultProxy::burst`]) are all throttled.
    pub burst: std::ops::Range<u64>,
    /// IAM operations whose first call is answered NoSuchEntity without
    /// reaching the emulator: IAM's eventual consistency, not yet showing
    /// an object made moments ago (moto always shows it at once).
    pub not_yet_visible: BTreeSet<String>,
    /// Answer the OIDC provider client id calls the emulator lacks, as IAM
    /// does (see `faults/client_ids.rs`).
    pub emulate_client_ids: bool,
}

/// Something another party does against the emulator while a call is held.
#[derive(Clone)]
pub struct Interloper(pub Arc<dyn Fn() + Send + Sync>);

impl std::fmt::Debug for Interloper {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Interloper")
    }
}

/// A seed of the test's own, the same in every run (so a failure can be
/// replayed) but different between tests (so no test is tuned to one
/// sequence). `FAULT_SEED=<n>` shifts every test to other sequences.
pub fn seed_for(test: &str) -> u64 {
    let base: u64 = std::env::var("FAULT_SEED")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(0);
    test.bytes().fold(0xcbf2_9ce4_8422_2325 ^ base, |h, b| {
        (h ^ u64::from(b)).wrapping_mul(0x100_0000_01b3)
    })
}

/// What the proxy has seen so far.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Counts {
    /// Every request that reached the proxy.
    pub seen: u64,
    /// Requests failed transiently, by kind (`Throttling`, `500`, `drop`, ...).
    pub failed: BTreeMap<String, u64>,
    /// Of the failed requests, those failed by a burst.
    pub burst: u64,
    /// Requests refused because their operation is denied.
    pub denied: u64,
    /// Requests that reached the emulator.
    pub forwarded: u64,
    /// Requests seen by AWS service (`iam`, `sts`, `ec2`, `eks`).
    pub by_service: BTreeMap<String, u64>,
}

impl Counts {
    pub fn failed_total(&self) -> u64 {
        self.failed.values().sum()
    }
}

impl std::fmt::Display for Counts {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "calls seen {}, failed {} {:?} ({} in a burst), denied {}, forwarded {}; by service {:?}",
            self.seen,
            self.failed_total(),
            self.failed,
            self.burst,
            self.denied,
            self.forwarded,
            self.by_service
        )
    }
}

#[derive(Default)]
struct Shared {
    faults: Mutex<Faults>,
    counts: Mutex<Counts>,
    /// How often each distinct request (by hash) has been seen.
    repeats: Mutex<HashMap<u64, u64>>,
    /// Operations whose answer has been lost once already.
    lost: Mutex<BTreeSet<String>>,
    /// Operations whose first call has been throttled for an interloper.
    interloped: Mutex<BTreeSet<String>>,
    /// Operations whose first call has been answered "not yet visible".
    unseen: Mutex<BTreeSet<String>>,
    connections: AtomicU64,
    /// Every call seen since the start, for bursts (never reset).
    sequence: AtomicU64,
}

/// The proxy: listens on 127.0.0.1 only; stops when dropped (also when the
/// test panics, as Drop runs while unwinding).
pub struct FaultProxy {
    /// Give this to the provider (AWS_ENDPOINT_URL or `endpoints`).
    pub url: String,
    shared: Arc<Shared>,
    stop: CancellationToken,
    thread: Option<std::thread::JoinHandle<()>>,
}

impl FaultProxy {
    /// A proxy in front of the emulator at `upstream` (`http://127.0.0.1:port`).
    pub fn start(upstream: &str, faults: Faults) -> FaultProxy {
        let upstream: SocketAddr = upstream
            .trim_start_matches("http://")
            .parse()
            .expect("the emulator URL is http://127.0.0.1:<port>");
        let listener = std::net::TcpListener::bind((Ipv4Addr::LOCALHOST, 0)).expect("proxy bind");
        listener.set_nonblocking(true).expect("nonblocking");
        let url = format!("http://{}", listener.local_addr().expect("proxy address"));
        let shared = Arc::new(Shared {
            faults: Mutex::new(faults),
            ..Default::default()
        });
        let stop = CancellationToken::new();
        let thread = {
            let (shared, stop) = (shared.clone(), stop.clone());
            std::thread::spawn(move || {
                let runtime = tokio::runtime::Builder::new_multi_thread()
                    .worker_threads(2)
                    .enable_all()
                    .build()
                    .expect("proxy runtime");
                runtime.block_on(async move {
                    let listener = TcpListener::from_std(listener).expect("proxy listener");
                    loop {
                        tokio::select! {
                            _ = stop.cancelled() => break,
                            accepted = listener.accept() => {
                                let Ok((client, _)) = accepted else { continue };
                                shared.connections.fetch_add(1, Ordering::Relaxed);
                                let (shared, stop) = (shared.clone(), stop.clone());
                                tokio::spawn(async move {
                                    tokio::select! {
                                        _ = stop.cancelled() => {}
                                        _ = serve(client, upstream, &shared) => {}
                                    }
                                });
                            }
                        }
                    }
                });
                // Dropping the runtime ends every connection task.
            })
        };
        FaultProxy {
            url,
            shared,
            stop,
            thread: Some(thread),
        }
    }

    pub fn configure(&self, change: impl FnOnce(&mut Faults)) {
        change(&mut self.shared.faults.lock().unwrap());
    }

    pub fn counts(&self) -> Counts {
        self.shared.counts.lock().unwrap().clone()
    }

    pub fn reset_counts(&self) {
        *self.shared.counts.lock().unwrap() = Counts::default();
    }

    /// A throttling storm: after the next `after` calls, the `len` calls
    /// that follow are all throttled, retries included.
    pub fn burst(&self, after: u64, len: u64) {
        let start = self.shared.sequence.load(Ordering::SeqCst) + after + 1;
        self.configure(|f| f.burst = start..start + len);
    }
}

impl Drop for FaultProxy {
    fn drop(&mut self) {
        self.stop.cancel();
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

/// One HTTP request as read from the client.
struct Request {
    head: String,
    body: Vec<u8>,
}

impl Request {
    fn method_and_path(&self) -> (&str, &str) {
        let mut parts = self.head.split(' ');
        (
            parts.next().unwrap_or_default(),
            parts.next().unwrap_or_default(),
        )
    }

    fn header(&self, name: &str) -> Option<&str> {
        self.head.lines().skip(1).find_map(|line| {
            let (k, v) = line.split_once(':')?;
            k.trim().eq_ignore_ascii_case(name).then(|| v.trim())
        })
    }

    /// The service from the SigV4 credential scope:
    /// `Credential=AKID/20240101/us-east-1/iam/aws4_request`.
    fn service(&self) -> String {
        self.header("authorization")
            .and_then(|auth| auth.split("Credential=").nth(1))
            .and_then(|cred| cred.split('/').nth(3))
            .unwrap_or("unknown")
            .to_string()
    }

    /// The query protocol's `Action` (IAM, STS, EC2); for EKS's REST API the
    /// method and path.
    fn action(&self) -> String {
        let body = String::from_utf8_lossy(&self.body);
        body.split('&')
            .find_map(|pair| pair.strip_prefix("Action="))
            .map(str::to_string)
            .unwrap_or_else(|| {
                let (method, path) = self.method_and_path();
                format!("{method} {path}")
            })
    }
}

async fn serve(mut client: TcpStream, upstream: SocketAddr, shared: &Shared) {
    let mut buffer = Vec::new();
    // Keep-alive: the SDK reuses connections.
    while let Some(request) = read_request(&mut client, &mut buffer).await {
        let service = request.service();
        let action = request.action();
        let faults = shared.faults.lock().unwrap().clone();
        let call = shared.sequence.fetch_add(1, Ordering::SeqCst) + 1;
        let nth = {
            let key = request_hash(0, &request);
            let mut repeats = shared.repeats.lock().unwrap();
            let n = repeats.entry(key).or_default();
            *n += 1;
            *n
        };
        {
            let mut counts = shared.counts.lock().unwrap();
            counts.seen += 1;
            *counts.by_service.entry(service.clone()).or_default() += 1;
        }

        if faults.deny.contains(&action) {
            shared.counts.lock().unwrap().denied += 1;
            if let Some(next) = faults.then_deny.get(&action) {
                let mut live = shared.faults.lock().unwrap();
                live.deny.extend(next.iter().cloned());
            }
            let response = access_denied(&service, &action);
            if client.write_all(&response).await.is_err() {
                return;
            }
            continue;
        }

        if faults.not_yet_visible.contains(&action)
            && shared.unseen.lock().unwrap().insert(action.clone())
        {
            *shared
                .counts
                .lock()
                .unwrap()
                .failed
                .entry("not yet visible".into())
                .or_default() += 1;
            if client.write_all(&not_yet_visible(&action)).await.is_err() {
                return;
            }
            continue;
        }

        let interloper = [
            (&faults.throttle_first_after, "throttled for an interloper"),
            (&faults.unavailable_first_after, "503 for an interloper"),
        ]
        .into_iter()
        .find_map(|(rules, label)| Some((rules.get(&action)?, label)));
        if let Some((interloper, label)) = interloper
            && shared.interloped.lock().unwrap().insert(action.clone())
        {
            // The interloper uses its own runtime: run it on a plain thread.
            let run = interloper.0.clone();
            let thread = std::thread::spawn(move || run());
            let _ = tokio::task::spawn_blocking(move || thread.join()).await;
            *shared
                .counts
                .lock()
                .unwrap()
                .failed
                .entry(label.into())
                .or_default() += 1;
            let answer = match label {
                "503 for an interloper" => server_error(&service, 503),
                _ => throttled(&service),
            };
            if client.write_all(&answer).await.is_err() {
                return;
            }
            continue;
        }

        let roll = request_hash(
            faults.seed ^ nth.wrapping_mul(0x9e37_79b9_7f4a_7c15),
            &request,
        );
        let in_burst = faults.burst.contains(&call);
        if in_burst || (roll % 1_000_000) as f64 / 1_000_000.0 < faults.rate {
            // The kind comes from other bits of the same hash.
            let kind = match (roll >> 32) % 4 {
                _ if in_burst => Fault::Throttle,
                0 | 1 => Fault::Throttle,
                2 => match (roll >> 40) % 2 {
                    0 => Fault::Status(500),
                    _ => Fault::Status(503),
                },
                _ => Fault::Drop,
            };
            let label = match kind {
                Fault::Throttle => throttle_code(&service).to_string(),
                Fault::Status(s) => s.to_string(),
                Fault::Drop => "drop".to_string(),
            };
            {
                let mut counts = shared.counts.lock().unwrap();
                *counts.failed.entry(label).or_default() += 1;
                counts.burst += u64::from(in_burst);
            }
            match kind {
                // Closing without an answer: the SDK sees the connection reset.
                Fault::Drop => return,
                Fault::Throttle => {
                    if client.write_all(&throttled(&service)).await.is_err() {
                        return;
                    }
                }
                Fault::Status(status) => {
                    if client
                        .write_all(&server_error(&service, status))
                        .await
                        .is_err()
                    {
                        return;
                    }
                }
            }
            continue;
        }

        let forwarded = if faults.emulate_client_ids && client_ids::emulated(&action) {
            client_ids::emulate(upstream, &request, &action).await
        } else {
            forward(upstream, &request).await
        };
        let response = match forwarded {
            Ok(response) => reshape_moto_auth_error(&service, &response).unwrap_or(response),
            Err(_) => return,
        };
        shared.counts.lock().unwrap().forwarded += 1;
        if faults.lose_response.contains(&action) && shared.lost.lock().unwrap().insert(action) {
            *shared
                .counts
                .lock()
                .unwrap()
                .failed
                .entry("lost response".into())
                .or_default() += 1;
            return;
        }
        if !faults.delay.is_zero() {
            tokio::time::sleep(faults.delay).await;
        }
        if client.write_all(&response).await.is_err() {
            return;
        }
    }
}

enum Fault {
    Throttle,
    Status(u16),
    Drop,
}

/// Reads one request; None at the end of the connection.
async fn read_request(client: &mut TcpStream, buffer: &mut Vec<u8>) -> Option<Request> {
    let head_end = loop {
        if let Some(i) = find(buffer, b"\r\n\r\n") {
            break i;
        }
        let mut chunk = [0u8; 8192];
        let n = client.read(&mut chunk).await.ok()?;
        if n == 0 {
            return None;
        }
        buffer.extend_from_slice(&chunk[..n]);
    };
    let head = String::from_utf8_lossy(&buffer[..head_end]).into_owned();
    let mut request = Request {
        head,
        body: Vec::new(),
    };
    let length: usize = request
        .header("content-length")
        .and_then(|l| l.parse().ok())
        .unwrap_or(0);
    let total = head_end + 4 + length;
    while buffer.len() < total {
        let mut chunk = [0u8; 8192];
        let n = client.read(&mut chunk).await.ok()?;
        if n == 0 {
            return None;
        }
        buffer.extend_from_slice(&chunk[..n]);
    }
    request.body = buffer[head_end + 4..total].to_vec();
    buffer.drain(..total);
    Some(request)
}

/// Sends the request to moto on a fresh connection (HTTP/1.0, so moto closes
/// it after one answer and never chunks) and returns moto's answer re-framed
/// for the keep-alive client.
async fn forward(upstream: SocketAddr, request: &Request) -> std::io::Result<Vec<u8>> {
    let mut server = TcpStream::connect(upstream).await?;
    let mut lines = request.head.lines();
    let request_line = lines.next().unwrap_or_default();
    let request_line = request_line
        .rsplit_once(' ')
        .map_or(request_line, |(start, _)| start);
    let mut out = format!("{request_line} HTTP/1.0\r\n");
    for line in lines {
        let name = line.split(':').next().unwrap_or_default().trim();
        if !["connection", "keep-alive"].contains(&name.to_ascii_lowercase().as_str()) {
            out.push_str(line);
            out.push_str("\r\n");
        }
    }
    out.push_str("\r\n");
    server.write_all(out.as_bytes()).await?;
    server.write_all(&request.body).await?;
    let mut answer = Vec::new();
    server.read_to_end(&mut answer).await?;

    let head_end = find(&answer, b"\r\n\r\n").ok_or(std::io::ErrorKind::InvalidData)?;
    let head = String::from_utf8_lossy(&answer[..head_end]).into_owned();
    let mut body = answer[head_end + 4..].to_vec();
    let mut lines = head.lines();
    let status = lines.next().unwrap_or_default();
    let status = status.split_once(' ').map_or("200 OK", |(_, rest)| rest);
    let mut response = format!("HTTP/1.1 {status}\r\n");
    for line in lines {
        let (name, value) = line.split_once(':').unwrap_or((line, ""));
        match name.trim().to_ascii_lowercase().as_str() {
            "content-length" => {
                if let Ok(n) = value.trim().parse::<usize>() {
                    body.truncate(n);
                }
            }
            "connection" | "keep-alive" | "transfer-encoding" => {}
            _ => {
                response.push_str(line);
                response.push_str("\r\n");
            }
        }
    }
    response.push_str(&format!("Content-Length: {}\r\n\r\n", body.len()));
    let mut response = response.into_bytes();
    response.extend_from_slice(&body);
    Ok(response)
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|w| w == needle)
}

/// FNV-1a over the request, finished with splitmix64: stable across runs
/// and Rust versions (unlike std's hasher).
fn request_hash(seed: u64, request: &Request) -> u64 {
    let (method, path) = request.method_and_path();
    let mut h: u64 = 0xcbf2_9ce4_8422_2325 ^ seed;
    for byte in method
        .bytes()
        .chain(path.bytes())
        .chain(request.body.iter().copied())
    {
        h ^= u64::from(byte);
        h = h.wrapping_mul(0x100_0000_01b3);
    }
    h ^= seed.rotate_left(17);
    h = (h ^ (h >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    h = (h ^ (h >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    h ^ (h >> 31)
}

fn request_id() -> String {
    static NEXT: AtomicU64 = AtomicU64::new(1);
    format!(
        "00000000-0000-4000-8000-{:012x}",
        NEXT.fetch_add(1, Ordering::Relaxed)
    )
}

fn response(status: &str, headers: &[(&str, &str)], body: &str) -> Vec<u8> {
    let mut out = format!("HTTP/1.1 {status}\r\n");
    for (name, value) in headers {
        out.push_str(&format!("{name}: {value}\r\n"));
    }
    out.push_str(&format!("Content-Length: {}\r\n\r\n{body}", body.len()));
    out.into_bytes()
}

fn throttle_code(service: &str) -> &'static str {
    match service {
        "ec2" => "RequestLimitExceeded",
        "eks" => "ThrottlingException",
        _ => "Throttling",
    }
}

/// IAM and STS: the query protocol's ErrorResponse.
fn query_error(status: &str, kind: &str, code: &str, message: &str) -> Vec<u8> {
    let body = format!(
        "<ErrorResponse xmlns=\"https://iam.amazonaws.com/doc/2010-05-08/\"><Error><Type>{kind}</Type>\
         <Code>{code}</Code><Message>{message}</Message></Error><RequestId>{}</RequestId></ErrorResponse>",
        request_id()
    );
    response(status, &[("Content-Type", "text/xml")], &body)
}

/// EC2's own error shape.
fn ec2_error(status: &str, code: &str, message: &str) -> Vec<u8> {
    let body = format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Response><Errors><Error><Code>{code}</Code>\
         <Message>{message}</Message></Error></Errors><RequestID>{}</RequestID></Response>",
        request_id()
    );
    response(status, &[("Content-Type", "text/xml;charset=UTF-8")], &body)
}

/// EKS (REST/JSON): the code is in the `x-amzn-ErrorType` header.
fn json_error(status: &str, code: &str, message: &str) -> Vec<u8> {
    let id = request_id();
    response(
        status,
        &[
            ("Content-Type", "application/json"),
            ("x-amzn-ErrorType", code),
            ("x-amzn-RequestId", &id),
        ],
        &format!("{{\"message\":\"{message}\"}}"),
    )
}

fn throttled(service: &str) -> Vec<u8> {
    match service {
        "ec2" => ec2_error(
            "503 Service Unavailable",
            "RequestLimitExceeded",
            "Request limit exceeded.",
        ),
        "eks" => json_error(
            "429 Too Many Requests",
            "ThrottlingException",
            "Rate exceeded",
        ),
        _ => query_error("400 Bad Request", "Sender", "Throttling", "Rate exceeded"),
    }
}

fn server_error(service: &str, status: u16) -> Vec<u8> {
    let (line, code, message) = match status {
        500 => (
            "500 Internal Server Error",
            "InternalFailure",
            "We encountered an internal error. Please try again.",
        ),
        _ => (
            "503 Service Unavailable",
            "ServiceUnavailable",
            "Service is unable to handle request.",
        ),
    };
    match service {
        "ec2" => ec2_error(line, code, message),
        "eks" => json_error(line, code, message),
        _ => query_error(line, "Receiver", code, message),
    }
}

/// moto answers a request its IAM enforcement refuses (tests/permissions.rs)
/// with `<ErrorResponse><Errors><Error>`, a shape no AWS service uses and the
/// SDK cannot read (it sees no error code). Gives it the service's own shape:
/// the query protocol's `ErrorResponse` for IAM and STS; for EC2 its
/// `Response`, an AccessDenied becoming UnauthorizedOperation, whose message
/// (as AWS often words it, and as the proxy's own denials do) does not name
/// the action.
fn reshape_moto_auth_error(service: &str, response: &[u8]) -> Option<Vec<u8>> {
    let text = std::str::from_utf8(response).ok()?;
    let (head, body) = text.split_once("\r\n\r\n")?;
    if !body.contains("<ErrorResponse><Errors><Error>") {
        return None;
    }
    let status = head.lines().next()?.split_once(' ')?.1;
    let field = |name: &str| {
        let start = body.find(&format!("<{name}>"))? + name.len() + 2;
        let end = start + body[start..].find(&format!("</{name}>"))?;
        Some(&body[start..end])
    };
    let code = field("Code")?;
    let message = field("Message").unwrap_or_default();
    Some(match (service, code) {
        ("ec2", "AccessDenied") => access_denied("ec2", ""),
        ("ec2", _) => ec2_error(status, code, message),
        _ => query_error(status, "Sender", code, message),
    })
}

/// IAM's answer about an object it does not show yet, worded as IAM words
/// it for the kind of object the operation names.
fn not_yet_visible(action: &str) -> Vec<u8> {
    let object = if action.contains("InstanceProfile") {
        "instance profile"
    } else if action.contains("Role") {
        "role"
    } else if action.contains("User") {
        "user"
    } else if action.contains("OpenIDConnect") {
        "OpenIDConnect provider"
    } else {
        "entity"
    };
    query_error(
        "404 Not Found",
        "Sender",
        "NoSuchEntity",
        &format!("The {object} named in {action} cannot be found."),
    )
}

fn access_denied(service: &str, action: &str) -> Vec<u8> {
    let message = format!(
        "User: arn:aws:iam::123456789012:user/terraform is not authorized to perform: \
         {service}:{action} because no identity-based policy allows the {service}:{action} action"
    );
    match service {
        "ec2" => ec2_error(
            "403 Forbidden",
            "UnauthorizedOperation",
            "You are not authorized to perform this operation.",
        ),
        "eks" => json_error("403 Forbidden", "AccessDeniedException", &message),
        _ => query_error("403 Forbidden", "Sender", "AccessDenied", &message),
    }
}
