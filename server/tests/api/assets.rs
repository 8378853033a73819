//! How the site's files are served: the hashed bundle from its precompressed copies with a
//! year's immutable caching, the candidate's pages linking the candidate bundle, plain names
//! revalidated, and pages and server functions never cached.

use std::path::Path;

use reqwest::{StatusCode, header};

use crate::support::TestApp;

const JS: &str = "0123456789abcdef";
const WASM: &str = "fedcba9876543210";
const CSS: &str = "00112233aabbccdd";
const CANDIDATE_JS: &str = "aaaaaaaaaaaaaaaa";
const CANDIDATE_WASM: &str = "bbbbbbbbbbbbbbbb";

/// A site as `.ci/build-site` lays it out; each compressed copy holds its encoding's name, so
/// the test sees which copy was sent.
fn hashed_site(root: &Path) {
    let pkg = root.join("pkg");
    std::fs::create_dir_all(&pkg).expect("pkg dir");
    std::fs::write(
        root.join("hash.txt"),
        format!("js: {JS}\nwasm: {WASM}\ncss: {CSS}\n"),
    )
    .expect("hash file");
    std::fs::write(
        root.join("hash-candidate.txt"),
        format!("js: {CANDIDATE_JS}\nwasm: {CANDIDATE_WASM}\n"),
    )
    .expect("candidate hash file");
    for file in [
        format!("exam.{JS}.js"),
        format!("exam.{WASM}.wasm"),
        format!("exam.{CSS}.css"),
        format!("candidate.{CANDIDATE_JS}.js"),
        format!("candidate.{CANDIDATE_WASM}.wasm"),
    ] {
        std::fs::write(pkg.join(&file), "identity").expect("asset");
        std::fs::write(pkg.join(format!("{file}.br")), "br").expect("brotli copy");
        std::fs::write(pkg.join(format!("{file}.gz")), "gzip").expect("gzip copy");
    }
}

fn header_of(res: &reqwest::Response, name: header::HeaderName) -> String {
    res.headers()
        .get(name)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_owned()
}

#[tokio::test]
async fn hashed_assets_are_precompressed_and_immutable_and_pages_are_not_cached() {
    let site = tempfile::tempdir().expect("temp dir");
    hashed_site(site.path());
    let root = site.path().to_string_lossy().into_owned();
    let app = TestApp::spawn_with(|args| args.site_root = root).await;
    let client = app.anonymous();

    let page = client.get("/login").await;
    assert_eq!(page.status(), StatusCode::OK);
    assert_eq!(header_of(&page, header::CACHE_CONTROL), "no-store");
    let html = page.text().await.expect("page");
    for link in [
        format!("/pkg/exam.{CSS}.css"),
        format!("/pkg/exam.{JS}.js"),
        format!("/pkg/exam.{WASM}.wasm"),
    ] {
        assert!(html.contains(&link), "the staff page links {link}");
    }
    assert!(
        !html.contains("/pkg/candidate."),
        "no candidate bundle on a staff page"
    );

    for path in ["/exam/login", "/exam"] {
        let html = client.get(path).await.text().await.expect("page");
        for link in [
            format!("/pkg/candidate.{CANDIDATE_JS}.js"),
            format!("/pkg/candidate.{CANDIDATE_WASM}.wasm"),
            format!("/pkg/exam.{CSS}.css"),
        ] {
            assert!(html.contains(&link), "{path} links {link}");
        }
        assert!(
            !html.contains(&format!("/pkg/exam.{WASM}.wasm")),
            "{path}: no staff bundle"
        );
    }

    let wasm = format!("/pkg/exam.{WASM}.wasm");
    for (accept, encoding, body) in [
        ("br, gzip", "br", "br"),
        ("gzip", "gzip", "gzip"),
        ("identity", "", "identity"),
    ] {
        let res = client
            .http
            .get(format!("{}{wasm}", client.base))
            .header(header::ACCEPT_ENCODING, accept)
            .send()
            .await
            .expect("request");
        assert_eq!(res.status(), StatusCode::OK, "{accept}");
        assert_eq!(
            header_of(&res, header::CONTENT_ENCODING),
            encoding,
            "{accept}"
        );
        assert_eq!(
            header_of(&res, header::CACHE_CONTROL),
            "public, max-age=31536000, immutable"
        );
        assert!(header_of(&res, header::VARY).contains("accept-encoding"));
        assert_eq!(res.text().await.expect("body"), body, "{accept}");
    }
    let stale = client.get("/pkg/exam.ffffffffffffffff.wasm").await;
    assert_eq!(stale.status(), StatusCode::NOT_FOUND);

    let res = client
        .http
        .post(format!("{}/api/auth/me", client.base))
        .json(&serde_json::json!({}))
        .send()
        .await
        .expect("request");
    assert_eq!(header_of(&res, header::CACHE_CONTROL), "no-store");
}

#[tokio::test]
async fn a_site_without_hashed_names_is_revalidated() {
    let site = tempfile::tempdir().expect("temp dir");
    std::fs::create_dir_all(site.path().join("pkg")).expect("pkg dir");
    std::fs::write(site.path().join("pkg/exam.css"), "body{}").expect("css");
    let root = site.path().to_string_lossy().into_owned();
    let app = TestApp::spawn_with(|args| args.site_root = root).await;
    let client = app.anonymous();
    let html = client.get("/exam/login").await.text().await.expect("page");
    assert!(html.contains("/pkg/exam.css"), "plain style sheet name");
    assert!(
        html.contains("/pkg/exam.js"),
        "plain script name, the full bundle"
    );
    let css = client.get("/pkg/exam.css").await;
    assert_eq!(css.status(), StatusCode::OK);
    assert_eq!(header_of(&css, header::CACHE_CONTROL), "no-cache");
}
