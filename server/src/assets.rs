//! The site's static files. `/pkg` holds the browser bundle under content-hashed names (built
//! by `.ci/build-site`): cached by browsers for a year as immutable, and served from the brotli
//! or gzip copy beside each file when the browser accepts it. Pages and server functions carry
//! personal data and change with every request: they are never cached.

use std::path::{Path, PathBuf};

use axum::{
    Router,
    extract::Request,
    http::{HeaderValue, header},
    middleware::Next,
    response::Response,
};
use tower::ServiceBuilder;
use tower_http::{services::ServeDir, set_header::SetResponseHeaderLayer};

/// The file naming the hashed bundle, when the site was built with hashed names (an absolute
/// path: Leptos resolves a relative one against the executable's folder).
pub fn hash_file(site_root: &str) -> Option<PathBuf> {
    let path = Path::new(site_root).join("hash.txt");
    if !path.is_file() {
        return None;
    }
    std::path::absolute(&path).ok()
}

/// `/pkg`: precompressed copies, and a year's immutable caching when the names are hashed
/// (a development build's plain names must be revalidated instead).
pub fn pkg_routes<S: Clone + Send + Sync + 'static>(site_root: &str, hashed: bool) -> Router<S> {
    let cache = if hashed {
        "public, max-age=31536000, immutable"
    } else {
        "no-cache"
    };
    let files = ServeDir::new(Path::new(site_root).join("pkg"))
        .precompressed_br()
        .precompressed_gzip();
    let service = ServiceBuilder::new()
        .layer(SetResponseHeaderLayer::overriding(
            header::CACHE_CONTROL,
            HeaderValue::from_static(cache),
        ))
        .layer(SetResponseHeaderLayer::overriding(
            header::VARY,
            HeaderValue::from_static("accept-encoding"),
        ))
        .service(files);
    Router::new().nest_service("/pkg", service)
}

/// Every response that has not said how it may be cached is not stored at all.
pub async fn no_store_by_default(req: Request, next: Next) -> Response {
    let mut res = next.run(req).await;
    res.headers_mut()
        .entry(header::CACHE_CONTROL)
        .or_insert(HeaderValue::from_static("no-store"));
    res
}
