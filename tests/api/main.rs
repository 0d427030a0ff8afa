//! API tests: one binary, one file per feature, each test on its own app and database.

mod helpers;

mod admin_pages;
mod auth;
mod backup;
mod browser;
mod browser_reading;
mod case_desk;
mod cases;
mod deadlines;
mod demo;
mod digest;
mod downloads;
mod evidence;
mod evidence_browser;
mod evidence_pages;
mod hardening;
mod house;
mod intake;
mod ledger;
mod ledger_upload;
mod lists;
mod migrations;
mod notifications;
mod openapi;
mod organization;
mod permissions;
mod reading;
mod rollup;
mod scope;
mod small_enterprises;
mod stats;
mod warnings;
mod web;
mod web_pages;
mod writes;
