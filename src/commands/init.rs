//! `policydiff init`: a policydiff.toml (and the policy, with --import).

use super::{Context, write_atomic, write_stdout};
use crate::archive::{self, Archive};
use crate::cli::InitArgs;
use crate::config::{Config, FILE_NAME, PolicyConfig};
use crate::error::{Error, Result};

pub(super) fn run(ctx: &Context, args: InitArgs) -> Result<()> {
    let config_path = ctx.cwd.join(FILE_NAME);
    if config_path.exists() && !args.force {
        return Err(Error::Usage(format!(
            "{} already exists (use --force to overwrite)",
            config_path.display()
        )));
    }
    let (name, rel_path) = match &args.import {
        Some(file) => {
            // A web page is converted; a Markdown or text file is copied.
            let converted = crate::convert::Source::of_path(&file.display().to_string()).is_some();
            let text = if converted {
                super::import::convert_file(ctx, file, &archive::ReadOptions::default())?
            } else {
                archive::read_file(&ctx.cwd.join(file))?
            };
            let stem = file
                .file_stem()
                .and_then(|s| s.to_str())
                .unwrap_or("privacy-policy");
            let name = args.name.clone().unwrap_or_else(|| slug(stem));
            let ext = match file.extension().and_then(|e| e.to_str()) {
                Some(_) if converted => "md",
                Some(e) => e,
                None => "md",
            };
            let rel = format!("policies/{name}.{ext}");
            let dest = ctx.cwd.join(&rel);
            super::import::refuse_overwrite(&dest, args.force)?;
            write_atomic(&dest, text.as_bytes())?;
            (name, rel)
        }
        None => {
            let name = args.name.clone().unwrap_or_else(|| "privacy-policy".into());
            let rel = format!("policies/{name}.md");
            (name, rel)
        }
    };
    let policy = PolicyConfig {
        name,
        path: rel_path.clone(),
        title: args.title.clone().map(crate::config::Title::One),
        locale: crate::policy::Locale::from(args.locale).to_string(),
        select: None,
        remove: Vec::new(),
        translation_of: None,
    };
    let text = Config::template(&policy);
    // Validate what we are about to write with the same rules as loading.
    Config::parse(&text, &config_path)?;
    write_atomic(&config_path, text.as_bytes())?;
    let mut msg = format!("wrote {}\n", config_path.display());
    // The journal key must never be committed beside the journals it unlocks.
    let ignore = ctx.cwd.join(".gitignore");
    let ignored = std::fs::read_to_string(&ignore).unwrap_or_default();
    let key = crate::deliver::journal::KEY_FILE_NAME;
    if !ignored
        .lines()
        .any(|l| l.trim() == key || l.trim() == format!("/{key}"))
    {
        let mut text = ignored.clone();
        if !text.is_empty() && !text.ends_with('\n') {
            text.push('\n');
        }
        text.push_str(&format!(
            "# policydiff send's journal key: keep it out of git (see README, journal)\n/{key}\n"
        ));
        write_atomic(&ignore, text.as_bytes())?;
        msg.push_str(&format!("added /{key} to {}\n", ignore.display()));
    }
    if args.import.is_some() {
        msg.push_str(&format!("imported policy to {rel_path}: commit both, then `policydiff release --effective YYYY-MM-DD`\n"));
    } else if !ctx.cwd.join(&rel_path).exists() {
        msg.push_str(&format!(
            "note: {rel_path} does not exist yet: put the policy there or run init --import FILE\n"
        ));
    }
    if Archive::discover(&ctx.cwd).is_err() {
        msg.push_str(
            "note: this directory is not in a git repository; run `git init` to keep versions\n",
        );
    }
    write_stdout(msg.as_bytes())
}

/// `a Name.txt` → `a-name`.
fn slug(s: &str) -> String {
    let mut out = String::new();
    for c in s.chars() {
        if c.is_ascii_alphanumeric() {
            out.push(c.to_ascii_lowercase());
        } else if !out.ends_with('-') && !out.is_empty() {
            out.push('-');
        }
    }
    let out = out.trim_end_matches('-').to_owned();
    if out.is_empty() { "policy".into() } else { out }
}
