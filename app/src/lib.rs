//! The web application of the enforcement qualification exam system (行政执法资格考试系统).
//!
//! One module per feature: wire types, `#[server]` functions and components, with the service
//! code behind the `ssr` feature. Shared server-side infrastructure (state, database, entities,
//! request context) lives in [`ssr`]; it never reaches the browser build.

#![recursion_limit = "256"]

pub mod admin;
pub mod app;
pub mod audit;
pub mod auth;
pub mod bank;
pub mod batches;
pub mod error;
pub mod exam;
pub mod home;
pub mod i18n;
pub mod layout;
pub mod meetings;
pub mod papers;
pub mod plans;
pub mod procedure;
pub mod roles;

#[cfg(feature = "ssr")]
pub mod ssr;

pub use app::{App, shell};

/// Browser entry point: hydrates the server-rendered page.
#[cfg(feature = "hydrate")]
#[wasm_bindgen::prelude::wasm_bindgen]
pub fn hydrate() {
    console_error_panic_hook::set_once();
    leptos::mount::hydrate_body(App);
}
