//! Integration tests of the INRC-II crate: the organisers' example, one table per
//! constraint, the solver, and random input to every reader.

mod constraints;
mod example;
mod fuzz;
mod solve;
