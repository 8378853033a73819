//! Rendered pages: security headers, cross-site refusal, error pages, the pager, and how often a
//! render runs each server function.

use std::{collections::BTreeMap, time::Duration};

use app::roles::Role;
use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::{
    batches::{approve, batch_with_rooms},
    procedure::{new_plan, submitted_plan},
    support::{Client, DEMO_PASSWORD, ServerFnLog, TestApp},
};

/// The id of the first question the bank list shows `author`.
async fn first_question(author: &Client) -> i64 {
    let page: Value = author
        .ok(
            "bank/list",
            json!({ "filter": { "question_type": "", "exam_kind": "", "field": "", "law": "",
                "difficulty": "", "tag": "", "status": "", "text": "", "page": 0 } }),
        )
        .await;
    page["rows"][0]["id"].as_i64().expect("a question")
}

/// Pages render while another router is built in the same process (as when several servers
/// start in one process): every response comes. Building the route list holds back every
/// resource of the process while it runs (leptos-rs/leptos#4773), so a page whose first read
/// fell in that moment waited forever; the list is now built once per process, before any page
/// is served. Without that, this test's pages time out.
#[tokio::test]
async fn pages_answer_while_another_router_is_built_in_the_same_process() {
    use std::sync::{
        Arc,
        atomic::{AtomicBool, Ordering},
    };
    /// Stops the builder when dropped, also when an assertion fails (else the runtime would
    /// wait for it forever).
    struct StopOnDrop(Arc<AtomicBool>);
    impl Drop for StopOnDrop {
        fn drop(&mut self) {
            self.0.store(true, Ordering::Relaxed);
        }
    }
    let app = TestApp::spawn().await;
    let stop = Arc::new(AtomicBool::new(false));
    let builder = {
        let (stop, state) = (stop.clone(), app.state.clone());
        tokio::task::spawn_blocking(move || {
            let mut built = 0;
            while !stop.load(Ordering::Relaxed) {
                drop(server::router(state.clone()));
                built += 1;
            }
            built
        })
    };
    let guard = StopOnDrop(stop);
    let visitor = app.anonymous();
    for _ in 0..30 {
        let res = tokio::time::timeout(Duration::from_secs(10), visitor.get("/login"))
            .await
            .expect("the sign-in page answers within 10 s while a router is built");
        assert_eq!(res.status(), StatusCode::OK);
        tokio::time::timeout(Duration::from_secs(10), res.text())
            .await
            .expect("the page's body arrives whole within 10 s")
            .expect("html");
    }
    drop(guard);
    assert!(
        builder.await.expect("the builder") > 0,
        "routers were built meanwhile"
    );
}

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

/// The `<html lang>` and title of `/login` with these request headers.
async fn login_page_language(app: &TestApp, headers: &[(&str, &str)]) -> (String, String) {
    let mut req = app.anonymous().http.get(format!("{}/login", app.base));
    for (name, value) in headers {
        req = req.header(*name, *value);
    }
    let html = req.send().await.expect("page").text().await.expect("html");
    let lang = html
        .split_once("<html")
        .and_then(|(_, rest)| rest.split_once('>'))
        .and_then(|(attrs, _)| attrs.split_once("lang=\""))
        .and_then(|(_, rest)| rest.split_once('"'))
        .map(|(lang, _)| lang.to_owned())
        .unwrap_or_default();
    let title = html
        .split_once("<title>")
        .and_then(|(_, rest)| rest.split_once("</title>"))
        .map(|(t, _)| t.to_owned())
        .unwrap_or_default();
    (lang, title)
}

#[tokio::test]
async fn a_first_visit_follows_accept_language_and_the_cookie_overrides_it() {
    let app = TestApp::spawn().await;
    let zh = ("zh".to_owned(), "行政执法资格考试系统".to_owned());
    let en = (
        "en".to_owned(),
        "Enforcement Qualification Exam System".to_owned(),
    );
    assert_eq!(
        login_page_language(&app, &[]).await,
        zh,
        "no header: Chinese"
    );
    for (header, expected) in [
        ("zh-CN,zh;q=0.9,en;q=0.8", &zh),
        ("zh-TW", &zh),
        ("en-US,en;q=0.9", &en),
        ("fr-FR,fr;q=0.9", &en),
        ("en;q=0.5,zh-CN", &zh),
        ("qps", &en),
    ] {
        assert_eq!(
            &login_page_language(&app, &[("accept-language", header)]).await,
            expected,
            "Accept-Language: {header}"
        );
    }
    assert_eq!(
        login_page_language(&app, &[("accept-language", "zh-CN"), ("cookie", "lang=en")]).await,
        en,
        "the cookie wins"
    );
    assert_eq!(
        login_page_language(&app, &[("accept-language", "en"), ("cookie", "lang=zh")]).await,
        zh
    );
    // The pseudo-locale only by the cookie, set by hand.
    let (lang, title) = login_page_language(&app, &[("cookie", "lang=qps")]).await;
    assert_eq!(lang, "qps");
    assert!(
        title.starts_with("⟦Enforcement Qualification Exam System"),
        "{title}"
    );
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

/// The server functions of `names`, each run once.
fn once(names: &[&str]) -> BTreeMap<String, u32> {
    names.iter().map(|n| ((*n).to_owned(), 1)).collect()
}

/// Renders `path` for `client` and returns how often each server function ran meanwhile, and
/// what was logged at ERROR; fails if the page did not render.
async fn render(
    log: &ServerFnLog,
    client: &Client,
    path: &str,
) -> (BTreeMap<String, u32>, Vec<String>) {
    log.take();
    let res = client.get(path).await;
    let status = res.status();
    let html = res.text().await.expect("html");
    assert_eq!(status, StatusCode::OK, "{path}: {html}");
    // Whatever the render left running ends before it is counted.
    tokio::time::sleep(Duration::from_millis(100)).await;
    log.take()
}

#[tokio::test]
async fn every_page_runs_each_of_its_server_functions_once_per_render() {
    let (log, _guard) = ServerFnLog::install();
    let app = TestApp::spawn().await;
    let officer = app.as_role(Role::AgencyOfficer).await;
    let plan = submitted_plan(&officer, 3, 1985).await;
    approve(&app, &[plan]).await;
    let admin = app.as_role(Role::OfficeAdmin).await;
    let batch = batch_with_rooms(&admin, &[plan], &[3]).await;
    let _: u64 = admin
        .ok("batches/schedule", json!({ "batch_id": batch }))
        .await;
    let meetings: Vec<Value> = admin.ok("meetings/list", json!({})).await;
    let meeting = meetings[0]["id"].as_i64().expect("a meeting");
    let author = app.as_role(Role::QuestionAuthor).await;
    let question = first_question(&author).await;
    let proctor = app.as_role(Role::Proctor).await;
    let candidate = app.as_role(Role::Candidate).await;
    let anonymous = app.anonymous();
    let session = app
        .count(&format!(
            "SELECT MIN(id) AS n FROM exam_session WHERE batch_id = {batch}"
        ))
        .await;
    let room = app
        .count(&format!(
            "SELECT MIN(id) AS n FROM room WHERE batch_id = {batch}"
        ))
        .await;

    let pages: Vec<(&Client, String, &[&str])> = vec![
        (&admin, "/".into(), &["whoami", "load_home"]),
        (&admin, "/admin/audit".into(), &["whoami", "list_audit"]),
        (
            &admin,
            "/admin/agencies".into(),
            &["whoami", "list_agencies"],
        ),
        (
            &admin,
            "/admin/accounts".into(),
            &["whoami", "list_agencies", "list_accounts"],
        ),
        (&admin, "/account".into(), &["whoami"]),
        (&officer, "/".into(), &["whoami", "load_home"]),
        (&officer, "/plans".into(), &["whoami", "list_plans"]),
        (&officer, format!("/plans/{plan}"), &["whoami", "get_plan"]),
        (&admin, "/meetings".into(), &["whoami", "list_meetings"]),
        (
            &admin,
            format!("/meetings/{meeting}"),
            &["whoami", "get_meeting"],
        ),
        (&admin, "/batches".into(), &["whoami", "list_batches"]),
        (
            &admin,
            format!("/batches/{batch}"),
            &["whoami", "get_batch"],
        ),
        (
            &officer,
            format!("/batches/{batch}/tickets"),
            &["whoami", "get_batch"],
        ),
        (
            &proctor,
            format!("/batches/{batch}/roster"),
            &["whoami", "rosters"],
        ),
        (
            &admin,
            format!("/batches/{batch}/papers"),
            &["whoami", "get_blueprint", "coverage"],
        ),
        (
            &admin,
            format!("/batches/{batch}/appeal"),
            &["whoami", "get_blueprint"],
        ),
        (&author, "/bank".into(), &["whoami", "list_questions"]),
        (
            &author,
            format!("/bank/{question}"),
            &["whoami", "get_question"],
        ),
        (&author, "/bank/new".into(), &["whoami"]),
        (&author, "/bank/import".into(), &["whoami"]),
        (&candidate, "/exam".into(), &["whoami", "my_sitting"]),
        (&proctor, "/proctor".into(), &["whoami", "my_rooms"]),
        (
            &admin,
            format!("/proctor/{session}/{room}"),
            &["whoami", "load_console"],
        ),
        (
            &admin,
            format!("/proctor/{session}/{room}/record"),
            &["whoami", "room_record"],
        ),
        (
            &admin,
            format!("/batches/{batch}/results"),
            &[
                "whoami",
                "load_overview",
                "load_items",
                "load_reviews",
                "load_score_reviews",
            ],
        ),
        (
            &officer,
            format!("/batches/{batch}/results/list"),
            &["whoami", "load_list"],
        ),
        (
            &admin,
            format!("/batches/{batch}/results/notices"),
            &["whoami", "load_notices"],
        ),
        (&candidate, "/result".into(), &["whoami", "load_my_result"]),
        (
            &admin,
            "/results/statistics".into(),
            &["whoami", "load_statistics"],
        ),
        (&anonymous, "/verify".into(), &["whoami"]),
        (
            &anonymous,
            "/verify/0000000000000000".into(),
            &["whoami", "verify_notice"],
        ),
        (&anonymous, "/login".into(), &["whoami"]),
        (&anonymous, "/exam/login".into(), &["whoami"]),
    ];
    let mut wrong = Vec::new();
    for (client, path, expected) in pages {
        let (runs, errors) = render(&log, client, &path).await;
        if runs != once(expected) || !errors.is_empty() {
            wrong.push(format!("{path}: ran {runs:?}, logged errors {errors:?}"));
        }
    }
    assert!(
        wrong.is_empty(),
        "pages that did not run each of their server functions once, cleanly:\n{}",
        wrong.join("\n")
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

#[tokio::test]
async fn pages_of_things_that_do_not_exist_or_are_out_of_reach_answer_404() {
    let app = TestApp::spawn().await;
    let admin = app.as_role(Role::OfficeAdmin).await;
    let author = app.as_role(Role::QuestionAuthor).await;
    let officer = app.as_role(Role::AgencyOfficer).await;
    let other_officer = app.signed_in("officer.sthj", DEMO_PASSWORD).await;
    let plan = new_plan(&officer).await;
    let question = first_question(&author).await;
    let meeting: i64 = admin
        .ok(
            "meetings/create",
            json!({ "title": "2026 年第 1 次审核会议", "held_on": "2026-12-01" }),
        )
        .await;
    let batch: i64 = admin
        .ok(
            "batches/create",
            json!({ "name": "2026 年第 1 批综合法律知识考试", "exam_kind": "general", "field": "" }),
        )
        .await;

    let missing = [
        (&author, "/bank/999999".to_owned()),
        (&author, "/bank/abc".to_owned()),
        (&officer, "/plans/abc".to_owned()),
        (&officer, "/plans/999999".to_owned()),
        (&other_officer, format!("/plans/{plan}")),
        (&admin, "/meetings/999999".to_owned()),
        (&admin, "/batches/999999".to_owned()),
        (&admin, "/batches/abc".to_owned()),
        (&admin, "/batches/999999/papers".to_owned()),
        (&admin, "/batches/999999/appeal".to_owned()),
        (&admin, "/batches/999999/tickets".to_owned()),
        (&admin, "/batches/999999/roster".to_owned()),
        (&admin, "/proctor/999999/999999".to_owned()),
        (&admin, "/proctor/abc/1".to_owned()),
        (&admin, "/proctor/999999/999999/record".to_owned()),
        (&admin, "/batches/999999/results".to_owned()),
        (&admin, "/batches/999999/results/list".to_owned()),
        (&admin, "/batches/999999/results/notices".to_owned()),
        (&admin, "/batches/1/results/score-review/999999".to_owned()),
    ];
    for (client, path) in missing {
        let res = client.get(&path).await;
        assert_eq!(res.status(), StatusCode::NOT_FOUND, "{path}");
        let html = res.text().await.expect("html");
        assert!(html.contains("页面不存在"), "{path} shows the 404 page");
    }

    let present = [
        (&author, format!("/bank/{question}")),
        (&officer, format!("/plans/{plan}")),
        (&admin, format!("/plans/{plan}")),
        (&admin, format!("/meetings/{meeting}")),
        (&admin, format!("/batches/{batch}")),
        (&admin, format!("/batches/{batch}/papers")),
        (&admin, format!("/batches/{batch}/appeal")),
        (&admin, format!("/batches/{batch}/tickets")),
    ];
    for (client, path) in present {
        let res = client.get(&path).await;
        assert_eq!(res.status(), StatusCode::OK, "{path}");
        let html = res.text().await.expect("html");
        assert!(!html.contains("页面不存在"), "{path} shows its page");
    }
}

#[tokio::test]
async fn server_rendering_sends_the_batch_pages_never_their_loading_fallback() {
    // The papers page once read a local resource inside its Transition, which made the server
    // send the fallback ("正在加载…") about half the time while the browser hydrated the page
    // itself: a hydration panic. Every render must be the page.
    let app = TestApp::spawn().await;
    let (admin, batch) = crate::papers::draft_batch(&app, 3, 1987).await;
    crate::papers::schedule_and_assemble(&admin, batch).await;
    for path in [
        format!("/batches/{batch}/papers"),
        format!("/batches/{batch}"),
    ] {
        for _ in 0..12 {
            let res = admin.get(&path).await;
            assert_eq!(res.status(), StatusCode::OK, "{path}");
            let html = res.text().await.expect("html");
            let main = html
                .split("<main")
                .nth(1)
                .and_then(|m| m.split("</main>").next())
                .unwrap_or_default();
            assert!(
                main.contains("<section class=\"page-head\"><h1>"),
                "{path} rendered a fallback instead of its page: {main}"
            );
        }
    }
}
