//! Server-side infrastructure shared by the feature modules: application state, the database
//! connection, entities and the request context (who is calling). Never built for the browser.

pub mod context;
pub mod db;
pub mod dberr;
pub mod demo;
pub mod entities;
pub mod state;

pub use context::{Caller, app_state, caller, download, require, require_any};
pub use dberr::{begin_write, corrupt, serialize_on};
pub use state::{AppState, AuthConfig, ResultsPolicy};
