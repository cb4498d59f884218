//! Integration tests of turnus-io, through its public API and real files in temp folders.

mod bundle;
mod common;
mod docs;
mod form;
mod fuzz;
mod json;
mod schedule;
