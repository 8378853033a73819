//! Middleware: security headers, refusal of cross-site writes, and HTTP statuses for server
//! function errors.

use axum::{
    Router,
    body::Body,
    extract::Request,
    http::{HeaderValue, Method, StatusCode, header},
    middleware::Next,
    response::{IntoResponse, Response},
};
use tower_http::set_header::SetResponseHeaderLayer;

/// Adds the headers every response carries. Pages also get a nonce-based CSP from the app;
/// other responses get a strict default. Served over HTTPS (`secure_cookies`), browsers are
/// also told to use HTTPS only (HSTS).
pub fn with_security_headers(router: Router, https: bool) -> Router {
    let router = if https {
        router.layer(SetResponseHeaderLayer::overriding(
            header::STRICT_TRANSPORT_SECURITY,
            HeaderValue::from_static("max-age=31536000; includeSubDomains"),
        ))
    } else {
        router
    };
    router
        .layer(SetResponseHeaderLayer::overriding(
            header::X_CONTENT_TYPE_OPTIONS,
            HeaderValue::from_static("nosniff"),
        ))
        .layer(SetResponseHeaderLayer::overriding(
            header::REFERRER_POLICY,
            HeaderValue::from_static("same-origin"),
        ))
        .layer(SetResponseHeaderLayer::overriding(
            header::X_FRAME_OPTIONS,
            HeaderValue::from_static("DENY"),
        ))
        .layer(SetResponseHeaderLayer::if_not_present(
            header::CONTENT_SECURITY_POLICY,
            HeaderValue::from_static("default-src 'self'; frame-ancestors 'none'"),
        ))
}

/// Refuses state-changing requests sent by another site (CSRF): a browser names the sender
/// in `Origin` and `Sec-Fetch-Site`, and both must be this site when present.
pub async fn refuse_cross_site(req: Request, next: Next) -> Response {
    if matches!(*req.method(), Method::GET | Method::HEAD | Method::OPTIONS) {
        return next.run(req).await;
    }
    let headers = req.headers();
    let fetch_site_ok = headers
        .get("sec-fetch-site")
        .and_then(|v| v.to_str().ok())
        .is_none_or(|v| v == "same-origin" || v == "none");
    let host = headers.get(header::HOST).and_then(|v| v.to_str().ok());
    let origin_ok = match headers.get(header::ORIGIN).and_then(|v| v.to_str().ok()) {
        None => true,
        Some(origin) => {
            let authority = origin
                .split_once("://")
                .map(|(_, rest)| rest)
                .unwrap_or(origin);
            host.is_some_and(|h| h.eq_ignore_ascii_case(authority))
        }
    };
    if fetch_site_ok && origin_ok {
        next.run(req).await
    } else {
        (
            StatusCode::FORBIDDEN,
            "Cross-site request refused / 拒绝跨站请求",
        )
            .into_response()
    }
}

/// Server functions answer every error with 500; give each its real status (401, 403, 422…)
/// from the error in the body.
pub async fn server_fn_status(req: Request, next: Next) -> Response {
    let res = next.run(req).await;
    if res.status() != StatusCode::INTERNAL_SERVER_ERROR
        || !res.headers().contains_key("serverfnerror")
    {
        return res;
    }
    let (mut parts, body) = res.into_parts();
    let Ok(bytes) = axum::body::to_bytes(body, 1 << 20).await else {
        return (StatusCode::INTERNAL_SERVER_ERROR, "internal error").into_response();
    };
    if let Ok(err) = serde_json::from_slice::<app::error::AppError>(&bytes)
        && let Ok(status) = StatusCode::from_u16(err.status())
    {
        parts.status = status;
    }
    Response::from_parts(parts, Body::from(bytes))
}

/// The largest request body of an ordinary server function (JSON or form): far above any real
/// form, far below what could tie up the server.
pub const JSON_BODY_LIMIT: usize = 1024 * 1024;

/// Server functions that take file uploads, and so a larger body.
const UPLOAD_ENDPOINTS: &[&str] = &["/api/bank/import/upload", "/api/plans/candidates/import"];

/// An error answer in the app's shape, as a server function would give it.
fn app_error_response(err: &app::error::AppError) -> Response {
    let status = StatusCode::from_u16(err.status()).unwrap_or(StatusCode::BAD_REQUEST);
    (
        status,
        [
            (
                header::CONTENT_TYPE,
                HeaderValue::from_static("application/json"),
            ),
            (
                http::HeaderName::from_static("serverfnerror"),
                HeaderValue::from_static("1"),
            ),
        ],
        serde_json::to_string(err).unwrap_or_default(),
    )
        .into_response()
}

/// Checks request bodies before a server function reads them: over the endpoint's limit is
/// 413 (uploads up to the documented upload size, everything else up to [`JSON_BODY_LIMIT`]);
/// an upload that is not `multipart/form-data` with a boundary is 400 on the field `file`
/// (the multipart decoder would otherwise panic and drop the connection). A declared length
/// is checked before anything is read; a body without one is read up to the limit.
pub async fn limit_body(req: Request, next: Next) -> Response {
    let upload = UPLOAD_ENDPOINTS.contains(&req.uri().path());
    let limit = if upload {
        app::bank::ssr::MAX_UPLOAD_BYTES + 1024 * 1024
    } else {
        JSON_BODY_LIMIT
    };
    if upload && req.method() == Method::POST {
        let multipart = req
            .headers()
            .get(header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|v| {
                v.to_ascii_lowercase().starts_with("multipart/form-data") && v.contains("boundary=")
            });
        if !multipart {
            return app_error_response(&app::error::AppError::BadRequest {
                field: Some("file".to_owned()),
            });
        }
    }
    let too_large = || {
        app_error_response(&app::error::AppError::PayloadTooLarge {
            limit_bytes: limit as u64,
        })
    };
    let declared = req
        .headers()
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<u64>().ok());
    match declared {
        Some(len) if len > limit as u64 => too_large(),
        Some(_) => next.run(req).await,
        None if matches!(*req.method(), Method::GET | Method::HEAD | Method::OPTIONS) => {
            next.run(req).await
        }
        None => {
            let (parts, body) = req.into_parts();
            match axum::body::to_bytes(body, limit).await {
                Ok(bytes) => {
                    next.run(Request::from_parts(parts, Body::from(bytes)))
                        .await
                }
                Err(_) => too_large(),
            }
        }
    }
}

/// Every request runs in a span of its own — request id, method, path — so everything logged
/// while serving it (an internal error's cause included) says which request it belongs to;
/// at the end the status and latency are recorded (debug for answers, warn for server errors).
/// The id is returned as `X-Request-Id`, so a user's report can be matched to the log.
pub async fn trace_request(req: Request, next: Next) -> Response {
    use tracing::Instrument;
    let id = format!("{:016x}", rand::random::<u64>());
    let span = tracing::info_span!(
        "request",
        id = %id,
        method = %req.method(),
        path = %req.uri().path(),
    );
    let started = std::time::Instant::now();
    let mut res = next.run(req).instrument(span.clone()).await;
    let status = res.status().as_u16();
    let ms = started.elapsed().as_secs_f64() * 1000.0;
    if status >= 500 {
        tracing::warn!(parent: &span, status, ms, "request failed");
    } else {
        tracing::debug!(parent: &span, status, ms, "request");
    }
    if let Ok(v) = HeaderValue::from_str(&id) {
        res.headers_mut().insert("x-request-id", v);
    }
    res
}
