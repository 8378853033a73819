//! The hash-chained audit log.

use app::roles::Role;
use serde_json::{Value, json};

use crate::support::TestApp;

#[tokio::test]
async fn sign_ins_and_account_changes_are_audited_in_order() {
    let app = TestApp::spawn().await;
    let admin = app.as_role(Role::OfficeAdmin).await;
    let _: Value = admin
        .ok("admin/agencies/save", json!({ "input": { "id": null, "name": "市城市管理局", "code": "CSGL", "field": "城市管理", "active": true } }))
        .await;
    let page: Value = admin.ok("admin/audit/list", json!({ "page": 0 })).await;
    let actions: Vec<&str> = page["entries"]
        .as_array()
        .expect("entries")
        .iter()
        .filter_map(|e| e["action"].as_str())
        .collect();
    assert_eq!(actions[0], "agency.create");
    assert_eq!(actions[1], "auth.login");
    assert!(actions.contains(&"system.bootstrap"));
}

#[tokio::test]
async fn the_audit_chain_detects_an_edited_entry() {
    let app = TestApp::spawn().await;
    let admin = app.as_role(Role::OfficeAdmin).await;
    let report: Value = admin.ok("admin/audit/verify", json!({})).await;
    assert_eq!(report["broken"], Value::Null);
    let entries = report["entries"].as_u64().expect("count");
    assert!(entries >= 3);

    app.sql("UPDATE audit_log SET actor_name = 'someone-else' WHERE seq = 2")
        .await;
    let report: Value = admin.ok("admin/audit/verify", json!({})).await;
    assert_eq!(report["broken"], json!({ "Edited": { "seq": 2 } }));
}

#[tokio::test]
async fn the_audit_chain_detects_a_deleted_entry_and_a_cut_tail() {
    let app = TestApp::spawn().await;
    let admin = app.as_role(Role::OfficeAdmin).await;
    app.sql("DELETE FROM audit_log WHERE seq = 2").await;
    let report: Value = admin.ok("admin/audit/verify", json!({})).await;
    assert_eq!(report["broken"], json!({ "Missing": { "seq": 2 } }));

    let app = TestApp::spawn().await;
    let admin = app.as_role(Role::OfficeAdmin).await;
    let before: Value = admin.ok("admin/audit/verify", json!({})).await;
    let last = before["entries"].as_i64().expect("count");
    app.sql(&format!("DELETE FROM audit_log WHERE seq = {last}"))
        .await;
    let report: Value = admin.ok("admin/audit/verify", json!({})).await;
    assert_eq!(report["broken"], json!({ "Truncated": { "seq": last } }));
}
