//! Integration tests of the INRC-II crate against the organisers' example in `tests/data`.

mod example;
