//! The integration tests: one binary, linked once, with a module per area
//! and the shared set-up in `support`. Each module drives the built
//! `policydiff` binary or the library against real parts: git repositories
//! in temporary directories, an SMTP server process, headless Chromium.

mod support;

mod bad_input;
mod bilingual;
mod cli;
mod corpus;
mod notices;
mod properties;
mod report;
mod site;
mod smtp;
