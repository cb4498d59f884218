//! The Turnus HTTP API under `/api/v1`: password login with server-side sessions and API
//! tokens, roles per unit, the schedule period workflow, and in-process solve workers. All
//! data goes through turnus-store; every handler checks the caller's grant on the unit it
//! names before it reads or writes, and answers 404 for a unit the caller cannot see.

// The OpenAPI schemas are one `json!` literal, which needs more macro recursion than 128.
#![recursion_limit = "512"]

pub mod access;
mod auth;
mod config;
mod error;
mod json_body;
pub mod lang;
mod openapi;
mod proxy;
pub mod routes;
mod worker;

pub use auth::{
    Caller, ClientAddr, Me, SESSION_COOKIE, hash_password, session_cookie, session_token, start_session,
    verify_password,
};
pub use config::ServerConfig;
pub use error::ApiError;
pub use json_body::JsonBody;
pub use openapi::build as openapi_document;
pub use proxy::{IpRange, client_addr};
pub use routes::{AppState, router};
pub use worker::{WorkerOptions, run_workers};

use std::net::SocketAddr;

use tokio::sync::watch;

/// Errors that stop the server.
#[derive(Debug, thiserror::Error)]
pub enum ServeError {
    #[error("cannot listen on {addr}: {source}")]
    Bind { addr: SocketAddr, source: std::io::Error },
    #[error("the server failed: {0}")]
    Io(#[from] std::io::Error),
}

/// Serves the API on `config.listen` until SIGTERM or Ctrl-C, with `config.workers`
/// in-process solve workers. On shutdown the server stops accepting connections, finishes
/// the requests in flight, and the workers hand their running jobs back to the queue.
///
/// # Errors
///
/// [`ServeError::Bind`] when the address is taken or not allowed.
pub async fn serve(store: turnus_store::Store, config: ServerConfig) -> Result<(), ServeError> {
    let app = router(AppState::new(store.clone(), config.clone()));
    serve_app(store, config, app).await
}

/// Serves `app`, a router built on [`router`] with more routes merged in (the web pages),
/// like [`serve`] does the API alone.
///
/// # Errors
///
/// [`ServeError::Bind`] when the address is taken or not allowed.
pub async fn serve_app(
    store: turnus_store::Store,
    config: ServerConfig,
    app: axum::Router,
) -> Result<(), ServeError> {
    let listener = bind(config.listen).await?;
    serve_listener(store, config, app, listener).await
}

/// Opens the listening socket on `addr`. Port 0 lets the system choose a free port, which
/// the listener's `local_addr` returns.
///
/// # Errors
///
/// [`ServeError::Bind`] when the address is taken or not allowed.
pub async fn bind(addr: SocketAddr) -> Result<tokio::net::TcpListener, ServeError> {
    tokio::net::TcpListener::bind(addr).await.map_err(|source| ServeError::Bind { addr, source })
}

/// Serves `app` on a listener from [`bind`], like [`serve_app`]. The start log names the
/// address the listener is bound to, not `config.listen`, so a request for port 0 logs the
/// port in use.
///
/// # Errors
///
/// [`ServeError::Io`] when the listener's address cannot be read or serving fails.
pub async fn serve_listener(
    store: turnus_store::Store,
    config: ServerConfig,
    app: axum::Router,
    listener: tokio::net::TcpListener,
) -> Result<(), ServeError> {
    let bound = listener.local_addr()?;
    let (stop_tx, stop_rx) = watch::channel(false);
    let workers = run_workers(store.clone(), config.workers, config.worker.clone(), stop_rx);
    tracing::info!(
        listen = %bound,
        workers = config.workers,
        lease_s = config.worker.lease.as_secs(),
        heartbeat_s = config.worker.heartbeat.as_secs(),
        trusted_proxies = config.trusted_proxies.len(),
        "turnus server started"
    );

    axum::serve(listener, app.into_make_service_with_connect_info::<SocketAddr>())
        .with_graceful_shutdown(shutdown_signal())
        .await?;

    tracing::info!("shutting down: waiting for workers to hand back their jobs");
    let _ = stop_tx.send(true);
    for worker in workers {
        let _ = worker.await;
    }
    store.close().await;
    tracing::info!("turnus server stopped");
    Ok(())
}

/// Resolves on Ctrl-C or SIGTERM.
pub async fn shutdown_signal() {
    let ctrl_c = async {
        if let Err(e) = tokio::signal::ctrl_c().await {
            tracing::error!(error = %e, "cannot listen for Ctrl-C");
            std::future::pending::<()>().await;
        }
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut signal) => {
                signal.recv().await;
            }
            Err(e) => {
                tracing::error!(error = %e, "cannot listen for SIGTERM");
                std::future::pending::<()>().await;
            }
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => tracing::info!("Ctrl-C received"),
        () = terminate => tracing::info!("SIGTERM received"),
    }
}
