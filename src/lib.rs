//! tiaojie (调解): a labor-dispute mediation case tracker for street-level mediation centers.
//! The binary in `main.rs` is a thin command line over this library; tests drive the same code.

#![forbid(unsafe_code)]
#![cfg_attr(not(test), deny(clippy::unwrap_used, clippy::expect_used))]

pub mod cli;
pub mod clock;
pub mod config;
pub mod context;
pub mod db;
pub mod domain;
pub mod error;
pub mod i18n;
pub mod notify;
pub mod reports;
pub mod services;
pub mod startup;
pub mod telemetry;
pub mod web;
