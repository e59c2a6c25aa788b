//! `GET /api/rules` and `GET /api/rules/{id}`: the rules in use, as `ownup rules --format
//! json` prints them (so `--lexicon` and `--disable` given to `serve` show here too).

use axum::extract::rejection::PathRejection;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::Response;

use super::error::ApiError;
use super::{json_response, App};
use crate::report::rules::Selection;

/// Every category with its rules, and the context gates.
pub async fn all(State(app): State<App>) -> Result<Response, ApiError> {
    let sel = Selection::all(app.analyzer.lexicon());
    let json = serde_json::to_vec(&sel.wire()).map_err(|_| ApiError::internal())?;
    Ok(json_response(json))
}

/// One category, rule or gate, or the rules under an id prefix ending in `.`.
pub async fn one(
    State(app): State<App>,
    id: Result<Path<String>, PathRejection>,
) -> Result<Response, ApiError> {
    let Path(id) = id.map_err(|e| {
        ApiError::new(
            StatusCode::NOT_FOUND,
            "unknown_rule",
            format!("no rule, gate or category by that name ({})", e.body_text()),
        )
    })?;
    let Some(sel) = Selection::find(app.analyzer.lexicon(), &id) else {
        return Err(ApiError::new(
            StatusCode::NOT_FOUND,
            "unknown_rule",
            format!("no rule, gate or category named `{id}` (GET /api/rules lists them)"),
        ));
    };
    let json = serde_json::to_vec(&sel.wire()).map_err(|_| ApiError::internal())?;
    Ok(json_response(json))
}
