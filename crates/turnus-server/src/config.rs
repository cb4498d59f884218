//! Server settings: listen address, cookie security, allowed browser origins, trusted
//! proxies, login rate limits and the in-process workers.

use std::net::SocketAddr;
use std::time::Duration;

use crate::proxy::IpRange;
use crate::worker::WorkerOptions;

/// How the server runs.
#[derive(Debug, Clone)]
pub struct ServerConfig {
    pub listen: SocketAddr,
    /// Whether the session cookie carries `Secure`. Browsers send such a cookie over HTTPS
    /// only (and to `localhost`), so it is off by default for a plain-HTTP loopback address
    /// and on otherwise.
    pub secure_cookie: bool,
    /// Origins (`https://turnus.example.se`) allowed to make cookie-authenticated unsafe
    /// requests; empty means the origin of the request's own `Host` header.
    pub allowed_origins: Vec<String>,
    /// Reverse proxies whose `X-Forwarded-For` names the client. Without any, the TCP peer
    /// is always the client.
    pub trusted_proxies: Vec<IpRange>,
    /// How long a session lasts without use.
    pub session_ttl: Duration,
    /// Minimum time between two writes of a session's new expiry and last use. Requests in
    /// between only read the session, so a session can expire up to this long (at most half
    /// of `session_ttl`) before `session_ttl` has passed since its last use.
    pub session_touch_interval: Duration,
    /// Failed logins within `login_window` before login returns 429: for one user name from
    /// one client address (or for the name alone when the address is unknown).
    pub max_failed_logins: u64,
    /// Failed logins from one client address, whatever the user names.
    pub max_failed_logins_per_addr: u64,
    /// Failed logins for one user name from all addresses together. Higher than `max_failed_logins`, so
    /// failures from one address cannot lock the owner out elsewhere, but a guess spread over
    /// many addresses still stops.
    pub max_failed_logins_per_name: u64,
    pub login_window: Duration,
    /// In-process solve workers; 0 leaves solving to `turnus worker` processes.
    pub workers: usize,
    /// Lease and heartbeat of the in-process workers.
    pub worker: WorkerOptions,
    /// Largest request body accepted, in bytes (bundle uploads).
    pub max_body_bytes: usize,
}

impl ServerConfig {
    /// Defaults for `listen`: Secure cookies unless the address is loopback.
    pub fn new(listen: SocketAddr) -> ServerConfig {
        ServerConfig {
            listen,
            secure_cookie: !listen.ip().is_loopback(),
            allowed_origins: Vec::new(),
            trusted_proxies: Vec::new(),
            session_ttl: Duration::from_secs(12 * 3600),
            session_touch_interval: Duration::from_secs(60),
            max_failed_logins: 5,
            max_failed_logins_per_addr: 50,
            max_failed_logins_per_name: 100,
            login_window: Duration::from_secs(15 * 60),
            workers: 2,
            worker: WorkerOptions::default(),
            max_body_bytes: 20 * 1024 * 1024,
        }
    }
}
