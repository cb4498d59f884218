//! Server settings: listen address, cookie security, allowed browser origins, login rate
//! limits and the number of in-process workers.

use std::net::SocketAddr;
use std::time::Duration;

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
    /// How long a session lasts without use.
    pub session_ttl: Duration,
    /// Failed logins per user name and per address within `login_window` before 429.
    pub max_failed_logins: u64,
    pub max_failed_logins_per_addr: u64,
    pub login_window: Duration,
    /// In-process solve workers; 0 leaves solving to `turnus worker` processes.
    pub workers: usize,
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
            session_ttl: Duration::from_secs(12 * 3600),
            max_failed_logins: 5,
            max_failed_logins_per_addr: 50,
            login_window: Duration::from_secs(15 * 60),
            workers: 2,
            max_body_bytes: 20 * 1024 * 1024,
        }
    }
}
