//! Integration tests: the real application on port 0 with a fresh database, driven over HTTP.
//!
//! SQLite by default; PostgreSQL when `TEST_DATABASE_URL` is set (each test gets a database of
//! its own, dropped afterwards).

mod support;

mod assets;
mod audit;
mod auth;
mod authorization;
mod bank;
mod batches;
mod corrupt;
mod crash;
mod imports;
mod management;
mod pages;
mod papers;
mod procedure;
mod proctoring;
mod races;
mod results;
mod sitting;
