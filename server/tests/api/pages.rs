//! Rendered pages: security headers, cross-site refusal, error pages, the pager.

use app::roles::Role;
use reqwest::StatusCode;
use serde_json::json;

use crate::support::TestApp;

#[tokio::test]
async fn pages_carry_a_nonce_csp_and_refuse_framing() {
    let app = TestApp::spawn().await;
    let res = app.anonymous().get("/login").await;
    assert_eq!(res.status(), StatusCode::OK);
    let h = res.headers().clone();
    let csp = h
        .get("content-security-policy")
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_owned();
    assert!(csp.contains("'nonce-"), "{csp}");
    assert!(csp.contains("frame-ancestors 'none'"), "{csp}");
    assert_eq!(
        h.get("x-content-type-options").map(|v| v.as_bytes()),
        Some(&b"nosniff"[..])
    );
    assert_eq!(
        h.get("x-frame-options").map(|v| v.as_bytes()),
        Some(&b"DENY"[..])
    );
    assert!(h.get("referrer-policy").is_some());
    let html = res.text().await.expect("html");
    assert!(
        html.contains("行政执法资格考试系统"),
        "the page is in Chinese by default"
    );
}

#[tokio::test]
async fn the_language_cookie_renders_the_page_in_english() {
    let app = TestApp::spawn().await;
    let html = app
        .anonymous()
        .http
        .get(format!("{}/login", app.base))
        .header("cookie", "lang=en")
        .send()
        .await
        .expect("page")
        .text()
        .await
        .expect("html");
    assert!(html.contains("Enforcement Qualification Exam System"));
    assert!(html.contains("User name"));
}

#[tokio::test]
async fn a_cross_site_post_is_refused_even_with_a_valid_session() {
    let app = TestApp::spawn().await;
    let admin = app.as_role(Role::OfficeAdmin).await;
    let res = admin
        .http
        .post(format!("{}/api/admin/agencies/save", app.base))
        .header("origin", "http://evil.example")
        .json(&json!({ "input": { "id": null, "name": "伪造机关", "code": "EVIL", "field": "", "active": true } }))
        .send()
        .await
        .expect("request");
    assert_eq!(res.status(), StatusCode::FORBIDDEN);
    let res = admin
        .http
        .post(format!("{}/api/admin/agencies/list", app.base))
        .header("sec-fetch-site", "cross-site")
        .json(&json!({}))
        .send()
        .await
        .expect("request");
    assert_eq!(res.status(), StatusCode::FORBIDDEN);
    let list: Vec<serde_json::Value> = admin.ok("admin/agencies/list", json!({})).await;
    assert!(list.iter().all(|a| a["code"] != "EVIL"));
}

#[tokio::test]
async fn an_unknown_page_answers_404_with_a_helpful_page() {
    let app = TestApp::spawn().await;
    let res = app.anonymous().get("/no/such/page").await;
    assert_eq!(res.status(), StatusCode::NOT_FOUND);
    let html = res.text().await.expect("html");
    assert!(html.contains("页面不存在"));
}

#[tokio::test]
async fn an_admin_page_is_forbidden_to_another_role() {
    let app = TestApp::spawn().await;
    let c = app.as_role(Role::Candidate).await;
    let res = c.get("/admin/accounts").await;
    let html = res.text().await.expect("html");
    assert!(html.contains("无权访问"), "the candidate sees the 403 page");
    assert!(
        !html.contains("officer.scjg"),
        "no account data leaks into the page"
    );
}

#[tokio::test]
async fn the_bank_pager_offers_the_next_page() {
    let app = TestApp::spawn().await;
    let author = app.as_role(Role::QuestionAuthor).await;
    let html = author.get("/bank").await.text().await.expect("html");
    let next = html.find("下一页").expect("the pager");
    let button = &html[html[..next].rfind("<button").expect("a button")..next];
    assert!(
        !button.contains("disabled"),
        "the first of several pages can go forward: {button}"
    );
    assert!(html.contains("第 1 页,共 "), "the page indicator shows");
    assert!(
        !html.contains("= pages"),
        "no source text leaks into the page"
    );
}
