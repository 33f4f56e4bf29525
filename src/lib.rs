//! policydiff: keep privacy-policy versions in git, redline any two of them
//! clause by clause and word by word, and (in later layers) classify, notify
//! and deliver.
//!
//! The pipeline, each a module: [`archive`] (git) → [`document`] (clauses) →
//! [`diff`] (alignment) → [`report`] (the hand-off) → [`render`].
#![warn(missing_docs, clippy::unwrap_used)]
#![cfg_attr(test, allow(clippy::unwrap_used))]

pub mod align;
pub mod archive;
pub mod classify;
pub mod cli;
pub mod commands;
pub mod config;
pub mod convert;
pub mod deliver;
pub mod diff;
pub mod document;
pub mod error;
pub mod input;
pub mod pipeline;
pub mod policy;
pub mod render;
pub mod report;
pub mod terminal;
