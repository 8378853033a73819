//! Agencies and accounts, as the office admin manages them.

use app::{error::AppError, roles::Role};
use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::support::TestApp;

fn agency(name: &str, code: &str) -> Value {
    json!({ "input": { "id": null, "name": name, "code": code, "field": "", "active": true } })
}

#[tokio::test]
async fn an_agency_is_created_and_bad_or_duplicate_fields_are_named() {
    let app = TestApp::spawn().await;
    let admin = app.as_role(Role::OfficeAdmin).await;
    let created: Value = admin
        .ok("admin/agencies/save", agency("市卫生健康委员会", "wsjk"))
        .await;
    assert_eq!(created["code"], "WSJK");

    let (status, err) = admin
        .err("admin/agencies/save", agency("市卫生健康委员会", "OTHER"))
        .await;
    assert_eq!(status, StatusCode::CONFLICT);
    assert_eq!(err.field(), Some("name"));
    let (status, err) = admin
        .err("admin/agencies/save", agency("另一个机关", "WSJK"))
        .await;
    assert_eq!(status, StatusCode::CONFLICT);
    assert_eq!(err.field(), Some("code"));
    let (status, err) = admin
        .err("admin/agencies/save", agency("市卫生局", "has space"))
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(err.field(), Some("code"));

    let list: Vec<Value> = admin.ok("admin/agencies/list", json!({})).await;
    assert_eq!(list.iter().filter(|a| a["code"] == "WSJK").count(), 1);
}

#[tokio::test]
async fn an_account_created_with_a_generated_password_can_sign_in_once_given_it() {
    let app = TestApp::spawn().await;
    let admin = app.as_role(Role::OfficeAdmin).await;
    let created: Value = admin
        .ok(
            "admin/accounts/create",
            json!({ "input": {
            "username": "new.author", "display_name": "新作者", "role": "question_author",
            "agency_id": null, "password": "" } }),
        )
        .await;
    let password = created["password"]
        .as_str()
        .expect("generated password")
        .to_owned();
    let c = app.signed_in("new.author", &password).await;
    let me: Value = c.ok("auth/me", json!({})).await;
    assert_eq!(me["role"], "question_author");
    assert_eq!(me["must_change_password"], true);
}

#[tokio::test]
async fn an_agency_officer_needs_an_agency_and_user_names_are_unique() {
    let app = TestApp::spawn().await;
    let admin = app.as_role(Role::OfficeAdmin).await;
    let (status, err) = admin
        .err(
            "admin/accounts/create",
            json!({ "input": {
            "username": "officer.x", "display_name": "某某", "role": "agency_officer",
            "agency_id": null, "password": "" } }),
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(err.field(), Some("agency_id"));
    let (status, err) = admin
        .err(
            "admin/accounts/create",
            json!({ "input": {
            "username": "proctor", "display_name": "重名", "role": "proctor",
            "agency_id": null, "password": "" } }),
        )
        .await;
    assert_eq!(status, StatusCode::CONFLICT);
    assert_eq!(err.field(), Some("username"));
}

#[tokio::test]
async fn a_password_reset_returns_a_new_password_once_and_ends_sessions() {
    let app = TestApp::spawn().await;
    let admin = app.as_role(Role::OfficeAdmin).await;
    let officer = app.as_role(Role::AgencyOfficer).await;
    let list: Value = admin
        .ok("admin/accounts/list", json!({ "filter": { "role": null, "agency_id": null, "text": "officer.scjg", "page": 0 } }))
        .await;
    assert_eq!(list["total"], 1);
    let id = list["rows"][0]["id"].as_i64().expect("id");
    let password: String = admin
        .ok("admin/accounts/reset-password", json!({ "id": id }))
        .await;
    let (status, _) = officer.err("home/summary", json!({})).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    app.signed_in("officer.scjg", &password).await;
}

#[tokio::test]
async fn the_admin_cannot_disable_their_own_account() {
    let app = TestApp::spawn().await;
    let admin = app.as_role(Role::OfficeAdmin).await;
    let me: Value = admin.ok("auth/me", json!({})).await;
    let (status, err) = admin
        .err(
            "admin/accounts/set-active",
            json!({ "id": me["id"], "active": false }),
        )
        .await;
    assert_eq!(status, StatusCode::CONFLICT);
    assert!(matches!(err, AppError::Conflict { .. }));
}
