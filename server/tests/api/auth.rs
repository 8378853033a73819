//! Signing in and out, sessions, throttling.

use app::{error::AppError, roles::Role};
use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::support::{ADMIN_PASSWORD, DEMO_PASSWORD, TestApp};

#[tokio::test]
async fn an_anonymous_visitor_has_no_account_and_the_admin_can_sign_in() {
    let app = TestApp::spawn().await;
    let c = app.anonymous();
    let me: Option<Value> = c.ok("auth/me", json!({})).await;
    assert!(me.is_none());
    let (status, user) = c.login("admin", ADMIN_PASSWORD).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(user["role"], "office_admin");
    let me: Value = c.ok("auth/me", json!({})).await;
    assert_eq!(me["username"], "admin");
}

#[tokio::test]
async fn the_session_cookie_is_http_only_and_same_site() {
    let app = TestApp::spawn().await;
    let res = app
        .anonymous()
        .http
        .post(format!("{}/api/auth/login", app.base))
        .json(&json!({ "username": "admin", "password": ADMIN_PASSWORD }))
        .send()
        .await
        .expect("request");
    let cookie = res
        .headers()
        .get("set-cookie")
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_owned();
    assert!(cookie.starts_with("exam_session="), "{cookie}");
    assert!(cookie.contains("HttpOnly"), "{cookie}");
    assert!(cookie.contains("SameSite=Lax"), "{cookie}");
    // 32 random bytes, base64url: 43 characters of token.
    let token = cookie["exam_session=".len()..]
        .split(';')
        .next()
        .unwrap_or("");
    assert_eq!(token.len(), 43);
}

#[tokio::test]
async fn a_wrong_password_is_refused_without_saying_which_part_was_wrong() {
    let app = TestApp::spawn().await;
    let c = app.anonymous();
    let (status, body) = c.login("admin", "wrong-password-1").await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    assert_eq!(
        serde_json::from_value::<AppError>(body).ok(),
        Some(AppError::BadCredentials)
    );
    let (status, body) = c.login("nobody-here", "wrong-password-1").await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    assert_eq!(
        serde_json::from_value::<AppError>(body).ok(),
        Some(AppError::BadCredentials)
    );
    let me: Option<Value> = c.ok("auth/me", json!({})).await;
    assert!(me.is_none());
}

#[tokio::test]
async fn a_disabled_account_cannot_sign_in_and_its_open_sessions_end() {
    let app = TestApp::spawn().await;
    let proctor = app.as_role(Role::Proctor).await;
    let admin = app.as_role(Role::OfficeAdmin).await;
    let list: Value = admin
        .ok(
            "admin/accounts/list",
            json!({ "filter": { "role": "proctor", "agency_id": null, "text": "", "page": 0 } }),
        )
        .await;
    let id = list["rows"][0]["id"].as_i64().expect("proctor id");
    let () = admin
        .ok(
            "admin/accounts/set-active",
            json!({ "id": id, "active": false }),
        )
        .await;

    let (status, err) = proctor.err("home/summary", json!({})).await;
    assert_eq!(
        (status, err),
        (StatusCode::UNAUTHORIZED, AppError::Unauthorized)
    );
    let (status, body) = app.anonymous().login("proctor", DEMO_PASSWORD).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    assert_eq!(
        serde_json::from_value::<AppError>(body).ok(),
        Some(AppError::AccountDisabled)
    );
}

#[tokio::test]
async fn an_idle_session_expires_on_the_server() {
    let app = TestApp::spawn().await;
    let c = app.as_role(Role::Candidate).await;
    let _: Value = c.ok("home/summary", json!({})).await;
    app.sql("UPDATE session SET last_seen_at = '2020-01-01 00:00:00+00:00'")
        .await;
    let (status, err) = c.err("home/summary", json!({})).await;
    assert_eq!(
        (status, err),
        (StatusCode::UNAUTHORIZED, AppError::Unauthorized)
    );
    let rows = app.count("SELECT COUNT(*) AS n FROM session").await;
    assert_eq!(rows, 0, "the expired session row is removed");
}

#[tokio::test]
async fn a_session_past_its_absolute_limit_expires_even_when_busy() {
    let app = TestApp::spawn().await;
    let c = app.as_role(Role::Candidate).await;
    app.sql("UPDATE session SET expires_at = '2020-01-01 00:00:00+00:00'")
        .await;
    let (status, _) = c.err("home/summary", json!({})).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn logout_ends_the_session_on_the_server_not_just_in_the_browser() {
    let app = TestApp::spawn().await;
    let c = app.anonymous();
    let res = c
        .http
        .post(format!("{}/api/auth/login", app.base))
        .json(&json!({ "username": "author", "password": DEMO_PASSWORD }))
        .send()
        .await
        .expect("login");
    let cookie = res
        .headers()
        .get("set-cookie")
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.split(';').next())
        .unwrap_or_default()
        .to_owned();
    let () = c.ok("auth/logout", json!({})).await;
    // Replaying the old cookie by hand must not work: the server forgot the session.
    let replay = reqwest::Client::new()
        .post(format!("{}/api/home/summary", app.base))
        .header("cookie", cookie)
        .json(&json!({}))
        .send()
        .await
        .expect("replay");
    assert_eq!(replay.status(), StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn repeated_failures_throttle_the_account_then_release_it_after_the_delay() {
    let app = TestApp::spawn().await;
    let c = app.anonymous();
    for _ in 0..10 {
        let (status, _) = c.login("author", "not-the-password-1").await;
        assert_eq!(status, StatusCode::UNAUTHORIZED);
    }
    // Even the right password waits now.
    let (status, body) = c.login("author", DEMO_PASSWORD).await;
    assert_eq!(status, StatusCode::TOO_MANY_REQUESTS, "{body}");
    let err: AppError = serde_json::from_value(body).expect("error");
    assert!(matches!(err, AppError::TooManyRequests { retry_after_secs } if retry_after_secs > 0));
    // Another account is not affected.
    let (status, _) = app.anonymous().login("proctor", DEMO_PASSWORD).await;
    assert_eq!(status, StatusCode::OK);
    // Once the delay has passed the account may sign in again.
    app.sql("UPDATE login_failure SET at = '2020-01-01 00:00:00+00:00'")
        .await;
    let (status, _) = c.login("author", DEMO_PASSWORD).await;
    assert_eq!(status, StatusCode::OK);
}

#[tokio::test]
async fn changing_the_password_needs_the_current_one_and_ends_other_sessions() {
    let app = TestApp::spawn().await;
    let here = app.as_role(Role::Proctor).await;
    let elsewhere = app.as_role(Role::Proctor).await;
    let (status, err) = here
        .err(
            "auth/change-password",
            json!({ "current": "wrong", "new_password": "Brand2026new" }),
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(err.field(), Some("current"));
    let (_, err) = here
        .err(
            "auth/change-password",
            json!({ "current": DEMO_PASSWORD, "new_password": "short" }),
        )
        .await;
    assert_eq!(err.field(), Some("new_password"));
    let () = here
        .ok(
            "auth/change-password",
            json!({ "current": DEMO_PASSWORD, "new_password": "Brand2026new" }),
        )
        .await;
    let _: Value = here.ok("home/summary", json!({})).await;
    let (status, _) = elsewhere.err("home/summary", json!({})).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    let (status, _) = app.anonymous().login("proctor", "Brand2026new").await;
    assert_eq!(status, StatusCode::OK);
}

#[tokio::test]
async fn a_strangers_failures_hold_back_new_browsers_but_not_the_owners_known_one() {
    let app = TestApp::spawn().await;
    // The owner signed in from this browser before (it keeps the device cookie).
    let owner = app.as_role(Role::QuestionAuthor).await;
    let (status, _) = owner.call("auth/logout", json!({})).await;
    assert_eq!(status, StatusCode::OK);
    let stranger = app.anonymous();
    for _ in 0..10 {
        let (status, _) = stranger.login("author", "wrong password").await;
        assert_eq!(status, StatusCode::UNAUTHORIZED);
    }
    let (status, body) = stranger.login("author", DEMO_PASSWORD).await;
    assert_eq!(status, StatusCode::TOO_MANY_REQUESTS, "{body}");
    let new_browser = app.anonymous();
    let (status, body) = new_browser.login("author", DEMO_PASSWORD).await;
    assert_eq!(
        status,
        StatusCode::TOO_MANY_REQUESTS,
        "a new browser still waits: {body}"
    );
    let (status, body) = owner.login("author", DEMO_PASSWORD).await;
    assert_eq!(
        status,
        StatusCode::OK,
        "the owner's browser gets in: {body}"
    );

    // The office admin sees the throttle and clears it.
    let admin = app.as_role(Role::OfficeAdmin).await;
    let author_id = app
        .count("SELECT id FROM account WHERE username = 'author'")
        .await;
    // The owner's success cleared the account's failures; the stranger fails again.
    for _ in 0..10 {
        stranger.login("author", "wrong again").await;
    }
    let view: Value = admin
        .ok("admin/accounts/throttle", json!({ "id": author_id }))
        .await;
    assert_eq!(view["failures"], 10, "{view}");
    assert!(view["wait_secs"].as_u64().is_some_and(|s| s > 0), "{view}");
    let () = admin
        .ok("admin/accounts/clear-throttle", json!({ "id": author_id }))
        .await;
    let (status, body) = app.anonymous().login("author", DEMO_PASSWORD).await;
    assert_eq!(status, StatusCode::OK, "cleared: {body}");
    assert_eq!(
        app.count("SELECT COUNT(*) FROM audit_log WHERE action = 'account.throttle_clear'")
            .await,
        1
    );
}
