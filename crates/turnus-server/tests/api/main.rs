//! HTTP-level tests of the Turnus API through `tower::ServiceExt::oneshot`. Every test runs
//! on a fresh SQLite file and, when `TURNUS_TEST_PG` names a PostgreSQL database, on a fresh
//! schema of it.

mod common;
mod schema;

mod access;
mod auth;
mod bodies;
mod export;
mod import;
mod jobs;
mod language;
mod publish;
mod unit_data;
mod walkthrough;
