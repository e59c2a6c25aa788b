//! What bounds the server's work: the body size, the time a request may take, how many
//! bodies are held at once and how many analyses run at once.
//!
//! Analysis is CPU-bound, so it runs on a pool of [`Limits::analyses`] threads of its own,
//! never on the async workers that read requests; more requests wait their turn. A fixed
//! set of threads also keeps memory down: the allocator keeps an arena per thread that has
//! analyzed a large text, and tokio's growing pool of blocking threads kept many of them (64
//! bodies of 1 MiB at once peaked at 216 MiB there, and at about 80 MiB on a fixed pool). A body
//! is read only when one of a few more slots than that is free, so memory stays near
//! `slots × body limit` however many clients send at once: the others wait, unread, in their
//! TCP connections.

use std::sync::Arc;
use std::time::Duration;

use axum::body::{Body, Bytes};
use axum::extract::{Request, State};
use axum::http::{header, HeaderMap, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use futures_util::StreamExt;
use tokio::sync::{OwnedSemaphorePermit, Semaphore};

use super::error::ApiError;

/// The limits of `ownup serve`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// The largest request body accepted, in bytes.
    pub body: usize,
    /// How long one request may take, from its first byte of body to its response.
    pub timeout: Duration,
    /// Analyses run at once.
    pub analyses: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            body: 1 << 20,
            timeout: Duration::from_secs(30),
            analyses: default_analyses(),
        }
    }
}

/// One analysis per CPU.
pub fn default_analyses() -> usize {
    std::thread::available_parallelism().map_or(2, |n| n.get())
}

/// Bodies held per analysis slot: enough to keep every slot fed while the next bodies
/// arrive, few enough that memory stays bounded.
const BODIES_PER_ANALYSIS: usize = 4;

/// Parses a size: bytes, or a number with `K`/`KB`/`KiB` or `M`/`MB`/`MiB` (all binary).
pub fn parse_size(s: &str) -> Result<usize, String> {
    let s = s.trim();
    let split = s.find(|c: char| !c.is_ascii_digit()).unwrap_or(s.len());
    let (num, unit) = s.split_at(split);
    let n: usize = num
        .parse()
        .map_err(|_| format!("`{s}` is not a size (e.g. 1048576, 512KiB, 2MiB)"))?;
    let scale = match unit.trim().to_ascii_lowercase().as_str() {
        "" | "b" => 1,
        "k" | "kb" | "kib" => 1 << 10,
        "m" | "mb" | "mib" => 1 << 20,
        other => return Err(format!("unknown size unit `{other}` (use KiB or MiB)")),
    };
    match n.checked_mul(scale) {
        Some(0) => Err("the size must be more than 0".to_string()),
        Some(b) => Ok(b),
        None => Err(format!("`{s}` is too large")),
    }
}

/// A size for people: `1 MiB`, `64 KiB`, `100 bytes`.
pub fn show_size(bytes: usize) -> String {
    if bytes >= 1 << 20 && bytes % (1 << 20) == 0 {
        format!("{} MiB", bytes >> 20)
    } else if bytes >= 1 << 10 && bytes % (1 << 10) == 0 {
        format!("{} KiB", bytes >> 10)
    } else {
        format!("{bytes} bytes")
    }
}

/// The limits in force, with the slots that enforce them.
#[derive(Debug)]
pub struct Gates {
    /// The limits.
    pub limits: Limits,
    bodies: Arc<Semaphore>,
    analyses: Arc<Semaphore>,
    pool: rayon::ThreadPool,
}

impl Gates {
    /// Slots and threads for `limits`.
    pub fn new(limits: Limits) -> std::io::Result<Gates> {
        let analyses = limits.analyses.max(1);
        let pool = rayon::ThreadPoolBuilder::new()
            .num_threads(analyses)
            .thread_name(|i| format!("ownup-analysis-{i}"))
            .build()
            .map_err(std::io::Error::other)?;
        Ok(Gates {
            limits,
            bodies: Arc::new(Semaphore::new(analyses * BODIES_PER_ANALYSIS)),
            analyses: Arc::new(Semaphore::new(analyses)),
            pool,
        })
    }

    /// Waits for a slot to hold a body in; the slot is freed when the permit drops.
    pub async fn admit(&self) -> Result<OwnedSemaphorePermit, ApiError> {
        acquire(&self.bodies).await
    }

    /// Runs `work` on the analysis threads once a slot is free. Waiting happens here, not
    /// in the pool's queue, so a request that times out while waiting leaves nothing behind.
    pub async fn analyze<T, F>(&self, work: F) -> Result<T, ApiError>
    where
        F: FnOnce() -> T + Send + 'static,
        T: Send + 'static,
    {
        let permit = self.analysis_slot().await?;
        let (tx, rx) = tokio::sync::oneshot::channel();
        self.pool.spawn(move || {
            // Held until the work ends, even when the request has timed out meanwhile, so
            // the bound holds for the CPU and not only for the requests still waiting.
            let _permit = permit;
            // A panic in a pool job would end the process; here it ends the request (500).
            let _ = tx.send(std::panic::catch_unwind(std::panic::AssertUnwindSafe(work)));
        });
        match rx.await {
            Ok(Ok(out)) => Ok(out),
            _ => Err(ApiError::internal()),
        }
    }

    /// Waits for an analysis slot.
    async fn analysis_slot(&self) -> Result<OwnedSemaphorePermit, ApiError> {
        acquire(&self.analyses).await
    }

    /// The error for a body over the limit.
    pub fn too_large(&self) -> ApiError {
        ApiError::new(
            StatusCode::PAYLOAD_TOO_LARGE,
            "body_too_large",
            format!(
                "the body is larger than the limit of {} (the server's --body-limit)",
                show_size(self.limits.body)
            ),
        )
    }

    /// A 413 before reading, when the declared length is over the limit.
    pub fn check_length(&self, headers: &HeaderMap) -> Result<(), ApiError> {
        if declared_length(headers) > self.limits.body {
            return Err(self.too_large());
        }
        Ok(())
    }

    /// Reads the whole body, up to the limit.
    pub async fn read_body(&self, headers: &HeaderMap, body: Body) -> Result<Bytes, ApiError> {
        self.check_length(headers)?;
        let mut stream = body.into_data_stream();
        let mut buf: Vec<u8> = Vec::with_capacity(declared_length(headers).min(self.limits.body));
        while let Some(chunk) = stream.next().await {
            let chunk = chunk.map_err(|e| {
                ApiError::bad_request("unreadable_body", format!("could not read the body: {e}"))
            })?;
            if buf.len() + chunk.len() > self.limits.body {
                return Err(self.too_large());
            }
            buf.extend_from_slice(&chunk);
        }
        Ok(Bytes::from(buf))
    }
}

/// The Content-Length, 0 when there is none (or none that parses).
fn declared_length(headers: &HeaderMap) -> usize {
    headers
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.trim().parse::<u64>().ok())
        .map_or(0, |n| usize::try_from(n).unwrap_or(usize::MAX))
}

/// A slot of `slots`. They are never closed, so the error cannot happen; it is a 500 rather
/// than a panic all the same.
async fn acquire(slots: &Arc<Semaphore>) -> Result<OwnedSemaphorePermit, ApiError> {
    slots
        .clone()
        .acquire_owned()
        .await
        .map_err(|_| ApiError::internal())
}

/// Middleware: a request that takes longer than the timeout is answered 503 with a JSON
/// error. For a streamed response the timeout covers the time to its first byte; the batch
/// route bounds the rest itself.
pub async fn deadline(State(gates): State<Arc<Gates>>, req: Request, next: Next) -> Response {
    let limit = gates.limits.timeout;
    match tokio::time::timeout(limit, next.run(req)).await {
        Ok(res) => res,
        Err(_) => timed_out(limit).into_response(),
    }
}

/// The error for a request over the timeout.
pub fn timed_out(limit: Duration) -> ApiError {
    ApiError::new(
        StatusCode::SERVICE_UNAVAILABLE,
        "timeout",
        format!(
            "the request took longer than {} s (the server's --timeout); it may be busy, try again",
            limit.as_secs()
        ),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sizes_parse_in_binary_units() {
        assert_eq!(parse_size("1MiB"), Ok(1 << 20));
        assert_eq!(parse_size("512 KiB"), Ok(512 << 10));
        assert_eq!(parse_size("2m"), Ok(2 << 20));
        assert_eq!(parse_size("100"), Ok(100));
        assert!(parse_size("0").is_err());
        assert!(parse_size("1GiB").is_err());
        assert!(parse_size("lots").is_err());
        assert!(parse_size("99999999999999999999MiB").is_err());
    }

    #[test]
    fn sizes_show_in_the_largest_whole_unit() {
        assert_eq!(show_size(1 << 20), "1 MiB");
        assert_eq!(show_size(64 << 10), "64 KiB");
        assert_eq!(show_size(1000), "1000 bytes");
    }
}
