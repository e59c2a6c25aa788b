//! `POST /api/analyze`: one text in (`{"text": ...}` or `text/plain`), its report out, in
//! the JSON schema of the command line.

use axum::body::Body;
use axum::extract::State;
use axum::http::HeaderMap;
use axum::response::Response;

use super::error::ApiError;
use super::input::{analyze_text, media_type, ANALYZE_TYPES};
use super::{json_response, App};
use crate::report::WireReport;

/// Analyzes the text of the body.
pub async fn analyze(
    State(app): State<App>,
    headers: HeaderMap,
    body: Body,
) -> Result<Response, ApiError> {
    // The cheap checks first, before waiting for a slot or reading anything.
    let media = media_type(&headers, ANALYZE_TYPES)?;
    app.gates.check_length(&headers)?;
    let _slot = app.gates.admit().await?;
    let bytes = app.gates.read_body(&headers, body).await?;
    let text = analyze_text(media, &bytes)?;
    drop(bytes);
    let analyzer = app.analyzer.clone();
    let json = app
        .gates
        .analyze(move || {
            let analysis = analyzer.analyze(&text);
            serde_json::to_vec(&WireReport::new(&analysis, &text))
        })
        .await?
        .map_err(|_| ApiError::internal())?;
    Ok(json_response(json))
}
