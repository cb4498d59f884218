//! Integration tests of turnus-store. Every test runs on a fresh SQLite file and, when
//! `TURNUS_TEST_PG` names a PostgreSQL database, on a fresh schema of it.

mod common;

mod audit;
mod failures;
mod jobs;
mod org;
mod period;
mod problem;
mod unit_data;
mod users;
mod versions;
mod wishes;
