//! The integration tests: one binary, linked once, with a module per area
//! and the shared set-up in `support`. Each module drives the built
//! `policydiff` binary or the library against real parts: git repositories
//! in temporary directories, an SMTP server process, headless Chromium,
//! headless LibreOffice.

mod support;

mod bad_input;
mod bilingual;
mod bilingual_notices;
mod cli;
mod corpus;
mod docx_input;
mod docx_output;
mod history_reuse;
mod history_walk;
mod html_input;
mod notices;
mod properties;
mod report;
mod site;
mod smtp;
