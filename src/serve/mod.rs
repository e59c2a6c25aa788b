//! `ownup serve`: a page for checking a draft in the browser, and an HTTP API for other
//! tools, from the one binary (axum on tokio).
//!
//! | route | what |
//! |---|---|
//! | `GET /` (and `/app.js`, `/app.css`) | the page, embedded in the binary |
//! | `POST /api/analyze` | `{"text": ...}` or `text/plain` in, the JSON report out |
//! | `POST /api/batch` | JSON Lines in, JSON Lines out, streamed, in order |
//! | `GET /api/rules`, `GET /api/rules/{id}` | the rules in use |
//! | `GET /healthz` | liveness |
//! | `GET /api/openapi.json` | the OpenAPI document of all of these |
//!
//! Every failure is a 4xx (or, for a bug, a 500) with a JSON body saying what was wrong
//! ([`error`]); the bounds on size, time and concurrency are in [`limits`]. Nothing a client
//! sends is stored or logged: a text lives in memory for the length of its request.

mod analyze;
mod assets;
mod batch;
pub mod error;
mod input;
pub mod limits;
mod rules;

use std::io::Write;
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr};
use std::sync::Arc;
use std::time::Duration;

use axum::http::{header, HeaderValue};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::Router;
use tower_http::catch_panic::CatchPanicLayer;

use crate::batch::io_message;
use crate::Analyzer;
use error::ApiError;
use limits::Gates;
pub use limits::Limits;

/// Where to listen, and the limits.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Options {
    /// The address to bind; loopback unless the user says otherwise.
    pub bind: IpAddr,
    /// The port; 0 picks a free one (the URL printed at start names it).
    pub port: u16,
    /// Size, time and concurrency limits.
    pub limits: Limits,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            bind: IpAddr::V4(Ipv4Addr::LOCALHOST),
            port: 8080,
            limits: Limits::default(),
        }
    }
}

/// What every handler shares.
#[derive(Clone)]
struct App {
    analyzer: Arc<Analyzer>,
    gates: Arc<Gates>,
}

/// The routes, with the limits and JSON errors around them. For embedding the API in
/// another axum server; [`run`] serves it. Fails only when the analysis threads cannot start.
pub fn router(analyzer: Arc<Analyzer>, limits: Limits) -> std::io::Result<Router> {
    let gates = Arc::new(Gates::new(limits)?);
    let app = App {
        analyzer,
        gates: gates.clone(),
    };
    let router = Router::new()
        .route("/", get(assets::page))
        .route("/app.js", get(assets::script))
        .route("/app.css", get(assets::style))
        .route("/healthz", get(health))
        .route("/api/analyze", post(analyze::analyze))
        .route("/api/batch", post(batch::batch))
        .route("/api/rules", get(rules::all))
        .route("/api/rules/{id}", get(rules::one))
        .route("/api/openapi.json", get(assets::openapi))
        .fallback(error::not_found)
        .method_not_allowed_fallback(error::method_not_allowed)
        .with_state(app)
        .layer(axum::middleware::from_fn_with_state(
            gates,
            limits::deadline,
        ))
        .layer(CatchPanicLayer::custom(|_| {
            ApiError::internal().into_response()
        }));
    Ok(router)
}

/// `GET /healthz`.
async fn health() -> Response {
    json_response(
        format!(
            "{{\"status\":\"ok\",\"version\":\"{}\"}}",
            env!("CARGO_PKG_VERSION")
        )
        .into_bytes(),
    )
}

/// A 200 with a JSON body.
fn json_response(mut body: Vec<u8>) -> Response {
    body.push(b'\n');
    let mut res = body.into_response();
    res.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/json"),
    );
    res
}

/// Serves until Ctrl-C or SIGTERM, printing the URL on stdout first. Blocks.
///
/// Errors are for the person who started it: the address cannot be bound, the runtime
/// cannot start.
pub fn run(analyzer: Analyzer, options: &Options) -> Result<(), String> {
    quiet_panics();
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .map_err(|e| format!("cannot start the server: {}", io_message(&e)))?;
    runtime.block_on(serve(Arc::new(analyzer), options))
}

async fn serve(analyzer: Arc<Analyzer>, options: &Options) -> Result<(), String> {
    let addr = SocketAddr::new(options.bind, options.port);
    let listener = tokio::net::TcpListener::bind(addr)
        .await
        .map_err(|e| format!("cannot listen on {addr}: {}", io_message(&e)))?;
    let local = listener
        .local_addr()
        .map_err(|e| format!("cannot listen on {addr}: {}", io_message(&e)))?;
    let routes = router(analyzer, options.limits)
        .map_err(|e| format!("cannot start the analysis threads: {}", io_message(&e)))?;
    announce(local);
    let grace = options.limits.timeout;
    let (stopping_tx, mut stopping_rx) = tokio::sync::watch::channel(false);
    let server = axum::serve(listener, routes).with_graceful_shutdown(async move {
        shutdown_signal().await;
        eprintln!("ownup serve: stopping; requests in progress may finish");
        let _ = stopping_tx.send(true);
    });
    // Requests in progress get as long as any request may take, then the server stops.
    let forced = async move {
        let _ = stopping_rx.wait_for(|s| *s).await;
        tokio::time::sleep(grace + Duration::from_secs(1)).await;
    };
    tokio::select! {
        res = server => res.map_err(|e| format!("the server failed: {}", io_message(&e))),
        () = forced => {
            eprintln!("ownup serve: stopped with requests still open");
            Ok(())
        }
    }
}

/// Prints the URL on stdout (a script can read it, and with `--port 0` it is the only way
/// to learn the port), and on stderr a word when the server is reachable from elsewhere.
fn announce(local: SocketAddr) {
    let shown = match local.ip() {
        IpAddr::V4(ip) if ip.is_unspecified() => {
            SocketAddr::new(Ipv4Addr::LOCALHOST.into(), local.port())
        }
        IpAddr::V6(ip) if ip.is_unspecified() => {
            SocketAddr::new(Ipv6Addr::LOCALHOST.into(), local.port())
        }
        _ => local,
    };
    // Not println!, which panics when stdout is closed: the server does not need it.
    let mut out = std::io::stdout().lock();
    let _ = writeln!(out, "ownup serve: http://{shown}/");
    let _ = out.flush();
    drop(out);
    if !local.ip().is_loopback() {
        eprintln!(
            "ownup serve: listening on {local}: other machines can reach this server and send it texts"
        );
    }
    eprintln!("ownup serve: the page is at that URL, the API under /api (see /api/openapi.json); Ctrl-C stops");
}

/// Ctrl-C, or SIGTERM (how service managers and containers stop a process).
async fn shutdown_signal() {
    #[cfg(unix)]
    {
        use tokio::signal::unix::{signal, SignalKind};
        if let Ok(mut term) = signal(SignalKind::terminate()) {
            tokio::select! {
                _ = tokio::signal::ctrl_c() => {}
                _ = term.recv() => {}
            }
            return;
        }
    }
    let _ = tokio::signal::ctrl_c().await;
}

/// A panic's message can quote the text being analyzed (a string slice out of bounds
/// prints the string), and no text may reach a log: say where it happened, not what.
fn quiet_panics() {
    std::panic::set_hook(Box::new(|info| match info.location() {
        Some(at) => eprintln!(
            "ownup serve: internal error at {}:{}; the request got a 500 and the server goes on",
            at.file(),
            at.line()
        ),
        None => {
            eprintln!("ownup serve: internal error; the request got a 500 and the server goes on")
        }
    }));
}
