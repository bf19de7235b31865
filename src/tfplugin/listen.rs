//! Where the plugin listens, and how it accepts connections.
//!
//! Like go-plugin, the plugin listens on a unix socket, so that only its own
//! user can reach it: the socket lives in a fresh directory of mode 0700
//! (inside `PLUGIN_UNIX_SOCKET_DIR` when the client names one, else the
//! temporary directory), and both are removed when the plugin stops. Where
//! unix sockets don't exist, it listens on a loopback TCP port in
//! [`PLUGIN_MIN_PORT`, `PLUGIN_MAX_PORT`] as go-plugin does there.
//!
//! Whoever can connect must not be able to wear the listener down: each
//! handshake has a deadline, at most [`MAX_PENDING_HANDSHAKES`] run at once
//! (a new connection pushes out the oldest unfinished one, so Terraform's own
//! connection, whose handshake takes milliseconds, gets through a crowd of
//! idle ones), failed accepts back off, and repeated warnings are condensed.

use std::collections::VecDeque;
use std::future::Future;
use std::io;
use std::time::Duration;

use futures::Stream;
use tokio::task::{AbortHandle, JoinSet};
use tokio::time::Instant;

use super::tls::Error;

/// Terraform completes its handshake in milliseconds; a client that hasn't
/// finished by then is not Terraform.
pub(crate) const HANDSHAKE_TIMEOUT: Duration = Duration::from_secs(10);
pub(crate) const MAX_PENDING_HANDSHAKES: usize = 32;
/// Back-off after a failed accept (e.g. out of file descriptors): doubling
/// from the first to the longest, as Go's HTTP server does.
const FIRST_BACKOFF: Duration = Duration::from_millis(5);
const LONGEST_BACKOFF: Duration = Duration::from_secs(1);
/// At most one warning of a kind per this interval; the rest are counted.
const WARNING_INTERVAL: Duration = Duration::from_secs(10);

#[cfg(unix)]
pub(crate) type Connection = tokio::net::UnixStream;
#[cfg(not(unix))]
pub(crate) type Connection = tokio::net::TcpStream;

/// The bound listener and what the handshake line announces.
pub(crate) struct Listener {
    #[cfg(unix)]
    socket: tokio::net::UnixListener,
    #[cfg(not(unix))]
    socket: tokio::net::TcpListener,
    /// `unix` or `tcp`, as go-plugin names the network.
    pub network: &'static str,
    pub address: String,
    /// The private directory holding the socket; removed (with the socket)
    /// when dropped.
    #[cfg(unix)]
    _dir: tempfile::TempDir,
}

impl Listener {
    #[cfg(unix)]
    pub(crate) fn bind() -> Result<Listener, Error> {
        use std::os::unix::fs::PermissionsExt;

        if std::env::var_os("PLUGIN_UNIX_SOCKET_GROUP").is_some_and(|g| !g.is_empty()) {
            return Err(
                "PLUGIN_UNIX_SOCKET_GROUP is set, but this provider serves only the user \
                        that started it; unset it"
                    .into(),
            );
        }
        let parent = match std::env::var_os("PLUGIN_UNIX_SOCKET_DIR") {
            Some(dir) if !dir.is_empty() => std::path::PathBuf::from(dir),
            _ => std::env::temp_dir(),
        };
        // Short names: a socket path must fit in about 100 bytes.
        let dir = tempfile::Builder::new()
            .prefix("tfplugin-")
            .permissions(std::fs::Permissions::from_mode(0o700))
            .tempdir_in(&parent)
            .map_err(|e| {
                format!(
                    "cannot create a private directory for the plugin socket in {}: {e}",
                    parent.display()
                )
            })?;
        // The mode given at creation is reduced by the umask; make it exact.
        std::fs::set_permissions(dir.path(), std::fs::Permissions::from_mode(0o700))?;
        let path = dir.path().join("plugin.sock");
        let socket = tokio::net::UnixListener::bind(&path)
            .map_err(|e| format!("cannot listen on {}: {e}", path.display()))?;
        Ok(Listener {
            socket,
            network: "unix",
            address: path.display().to_string(),
            _dir: dir,
        })
    }

    /// Binds 127.0.0.1 on the first free port in [PLUGIN_MIN_PORT, PLUGIN_MAX_PORT].
    #[cfg(not(unix))]
    pub(crate) fn bind() -> Result<Listener, Error> {
        use std::net::{Ipv4Addr, TcpListener};

        let port = |name: &str, default: u16| -> Result<u16, Error> {
            match std::env::var(name) {
                Ok(v) if !v.is_empty() => v
                    .parse()
                    .map_err(|_| format!("{name}={v} is not a port number").into()),
                _ => Ok(default),
            }
        };
        let min = port("PLUGIN_MIN_PORT", 0)?;
        let max = port("PLUGIN_MAX_PORT", 0)?;
        let socket = if min == 0 && max == 0 {
            TcpListener::bind((Ipv4Addr::LOCALHOST, 0))?
        } else {
            let (min, max) = (min.max(1), if max == 0 { u16::MAX } else { max });
            (min..=max)
                .find_map(|p| TcpListener::bind((Ipv4Addr::LOCALHOST, p)).ok())
                .ok_or_else(|| {
                    format!("no free port between PLUGIN_MIN_PORT={min} and PLUGIN_MAX_PORT={max}")
                })?
        };
        socket.set_nonblocking(true)?;
        let address = socket.local_addr()?.to_string();
        Ok(Listener {
            socket: tokio::net::TcpListener::from_std(socket)?,
            network: "tcp",
            address,
        })
    }

    async fn accept(&self) -> io::Result<Connection> {
        self.socket.accept().await.map(|(conn, _peer)| conn)
    }

    /// The connections whose `handshake` succeeded. Dropping the stream
    /// closes the listener, ends the handshakes in flight and removes the
    /// socket and its directory.
    pub(crate) fn incoming<T, H, F>(self, handshake: H) -> impl Stream<Item = io::Result<T>>
    where
        T: Send + 'static,
        H: Fn(Connection) -> F + Send + 'static,
        F: Future<Output = io::Result<T>> + Send + 'static,
    {
        let state = Accepting {
            listener: self,
            handshake,
            running: JoinSet::new(),
            oldest_first: VecDeque::new(),
            backoff: None,
            retry_at: None,
            refused: Condensed::new("refused a connection whose handshake failed"),
            crowded: Condensed::new("too many unfinished handshakes; dropped the oldest"),
            accept_failed: Condensed::new("accepting a connection failed; backing off"),
        };
        futures::stream::unfold(state, |mut s| async move {
            let next = s.next().await;
            Some((Ok(next), s))
        })
    }
}

struct Accepting<H, T> {
    listener: Listener,
    handshake: H,
    running: JoinSet<io::Result<T>>,
    /// The handshakes in flight, oldest first (finished ones are pruned lazily).
    oldest_first: VecDeque<AbortHandle>,
    backoff: Option<Duration>,
    retry_at: Option<Instant>,
    refused: Condensed,
    crowded: Condensed,
    accept_failed: Condensed,
}

impl<H, F, T> Accepting<H, T>
where
    T: Send + 'static,
    H: Fn(Connection) -> F,
    F: Future<Output = io::Result<T>> + Send + 'static,
{
    /// Accepts and hands out the next connection whose handshake succeeded.
    async fn next(&mut self) -> T {
        loop {
            let retry_at = self.retry_at;
            tokio::select! {
                accepted = self.listener.accept(), if retry_at.is_none() => match accepted {
                    Ok(conn) => {
                        self.backoff = None;
                        self.start(conn);
                    }
                    Err(e) => self.back_off(e),
                },
                () = sleep_until(retry_at), if retry_at.is_some() => self.retry_at = None,
                Some(done) = self.running.join_next(), if !self.running.is_empty() => match done {
                    Ok(Ok(conn)) => return conn,
                    Ok(Err(e)) => self.refused.warn(&e.to_string()),
                    // Pushed out by a newer connection.
                    Err(_) => {}
                },
            }
        }
    }

    fn start(&mut self, conn: Connection) {
        self.oldest_first.retain(|h| !h.is_finished());
        if self.oldest_first.len() >= MAX_PENDING_HANDSHAKES {
            self.drop_oldest();
            self.crowded
                .warn(&format!("at most {MAX_PENDING_HANDSHAKES}"));
        }
        let handshake = (self.handshake)(conn);
        let task = self.running.spawn(async move {
            tokio::time::timeout(HANDSHAKE_TIMEOUT, handshake)
                .await
                .unwrap_or_else(|_| {
                    Err(io::Error::new(
                        io::ErrorKind::TimedOut,
                        format!("no handshake within {}s", HANDSHAKE_TIMEOUT.as_secs()),
                    ))
                })
        });
        self.oldest_first.push_back(task);
    }

    fn drop_oldest(&mut self) {
        if let Some(oldest) = self.oldest_first.pop_front() {
            oldest.abort();
        }
    }

    fn back_off(&mut self, error: io::Error) {
        self.accept_failed.warn(&error.to_string());
        // Out of file descriptors, most likely: free the oldest unfinished
        // handshake's, so that the next client can be accepted.
        self.oldest_first.retain(|h| !h.is_finished());
        self.drop_oldest();
        let delay = self
            .backoff
            .map_or(FIRST_BACKOFF, |d| (d * 2).min(LONGEST_BACKOFF));
        self.backoff = Some(delay);
        self.retry_at = Some(Instant::now() + delay);
    }
}

async fn sleep_until(at: Option<Instant>) {
    match at {
        Some(at) => tokio::time::sleep_until(at).await,
        None => std::future::pending().await,
    }
}

/// A warning written at most once per [`WARNING_INTERVAL`], with the number
/// of occurrences left out since the last one: a client that connects in a
/// loop must not fill Terraform's log.
struct Condensed {
    message: &'static str,
    last: Option<Instant>,
    left_out: u64,
}

impl Condensed {
    fn new(message: &'static str) -> Self {
        Condensed {
            message,
            last: None,
            left_out: 0,
        }
    }

    fn warn(&mut self, detail: &str) {
        let now = Instant::now();
        if self.last.is_some_and(|at| now < at + WARNING_INTERVAL) {
            self.left_out += 1;
            return;
        }
        tracing::warn!(detail, left_out = self.left_out, "{}", self.message);
        self.last = Some(now);
        self.left_out = 0;
    }
}
