//! `policydiff notice OLD NEW`: the notices users read, from templates.

use super::context::parse_day;
use super::{Context, write_atomic, write_stdout};
use crate::archive::Version;
use crate::classify::Classification;
use crate::cli::{FactsArgs, NoticeArgs};
use crate::config::MinDays;
use crate::diff::DiffOptions;
use crate::error::{Error, Result};
use crate::pipeline::compare;
use crate::policy::{self, Day, Locale};
use crate::render;
use crate::render::notice::{self, ContextOptions, NoticeContext, NoticeKind, Templates};
use crate::report::Report;

pub(super) fn run(ctx: &Context, args: NoticeArgs) -> Result<()> {
    let kinds = args.kind.kinds();
    // Said once the notices are rendered (an error must be the only line).
    let mut warn_links = None;
    if args.context && kinds.len() > 1 {
        return Err(Error::Usage(
            "--context prints one context: give --kind in-app, announcement, email or changelog"
                .into(),
        ));
    }
    let recipient = parse_recipient(&args.recipient)?;
    let config = ctx.config()?;
    let templates_dir = config.map(|c| c.dir.join(&c.notice.templates));
    let templates = Templates::new(templates_dir.filter(|d| d.is_dir()));

    // The contexts to render, one per kind.
    let contexts: Vec<NoticeContext> = match &args.from_context {
        Some(file) => {
            let text = crate::input::read_text_limited(file, 16 << 20).map_err(|e| match e {
                crate::input::InputError::Io(source) => Error::Io {
                    path: file.display().to_string(),
                    source,
                },
                e => Error::Usage(format!("{}: {e}", file.display())),
            })?;
            let base: NoticeContext = serde_json::from_str(&text).map_err(|e| {
                Error::Usage(format!("{}: not a notice context: {e}", file.display()))
            })?;
            kinds
                .iter()
                .map(|&kind| NoticeContext {
                    kind,
                    ..base.clone()
                })
                .collect()
        }
        None => {
            let (Some(old_spec), Some(new_spec)) = (&args.old, &args.new) else {
                return Err(Error::Usage(
                    "give OLD and NEW, or --from-context FILE".into(),
                ));
            };
            let policy = args.policy.policy.as_deref();
            let NoticeInput {
                report,
                effective,
                notice_date,
                ..
            } = input(
                ctx,
                (old_spec, new_spec),
                policy,
                &args.facts,
                args.period.effective.as_deref(),
                args.period.notice_date.as_deref(),
            )?;
            let locale = ctx.notice_locale(args.locale.map(Locale::from), policy)?;
            let base_url = config.and_then(|c| c.notice.base_url.clone());
            warn_links = Some((base_url.clone(), report.new.clone()));
            let contexts: Vec<NoticeContext> = kinds
                .iter()
                .map(|&kind| {
                    NoticeContext::new(
                        &report,
                        &ContextOptions {
                            kind,
                            locale,
                            effective_date: effective,
                            notice_date,
                            base_url: base_url.as_deref(),
                            max_changes: config
                                .map_or(notice::MAX_CHANGES, |c| c.notice.max_changes),
                            templates: &templates,
                            title: config
                                .and_then(|c| c.policy(policy).ok())
                                .and_then(|p| p.title_in(locale.as_str())),
                        },
                    )
                })
                .collect::<std::result::Result<_, _>>()?;
            check_period(
                &report,
                effective,
                notice_date,
                &ctx.min_days()?,
                args.period.allow_short_notice.as_deref(),
            )?;
            contexts
        }
    };
    let contexts: Vec<NoticeContext> = contexts
        .into_iter()
        .map(|mut c| {
            if c.kind == NoticeKind::Email && !recipient.is_empty() {
                c.recipient = Some(recipient.clone());
            }
            c
        })
        .collect();

    if args.context {
        return write_stdout(render::json(&contexts[0]).as_bytes());
    }
    let mut files: Vec<(String, String)> = Vec::new();
    for c in &contexts {
        for &(part, ext) in c.kind.parts() {
            let text = templates.render(part, ext, c)?;
            files.push((format!("{part}.{}.{ext}", c.locale), text));
        }
    }
    if let Some((base_url, new)) = &warn_links {
        super::context::warn_about_links(base_url.as_deref(), new);
    }
    match &args.out {
        Some(dir) => {
            let mut listing = String::new();
            for (name, text) in &files {
                write_atomic(&dir.join(name), text.as_bytes())?;
                listing.push_str(&format!("{}\n", dir.join(name).display()));
            }
            write_stdout(listing.as_bytes())
        }
        None if files.len() == 1 => write_stdout(files[0].1.as_bytes()),
        None => {
            let mut out = String::new();
            for (name, text) in &files {
                out.push_str(&format!("==> {name} <==\n{text}"));
                if !text.ends_with('\n') {
                    out.push('\n');
                }
                out.push('\n');
            }
            write_stdout(out.as_bytes())
        }
    }
}

/// What a notice is about: the two versions, their report, and its dates.
pub(crate) struct NoticeInput {
    /// The old version.
    pub old: Version,
    /// The new version.
    pub new: Version,
    /// Their comparison, classified.
    pub report: Report,
    /// `--effective`, else the date the new version states.
    pub effective: Option<Day>,
    /// `--notice-date`, or today.
    pub notice_date: Day,
}

/// Load and compare the versions of a notice and check its dates (shared by
/// `notice` and `send`).
pub(crate) fn input(
    ctx: &Context,
    (old_spec, new_spec): (&str, &str),
    policy: Option<&str>,
    facts: &FactsArgs,
    effective: Option<&str>,
    notice_date: Option<&str>,
) -> Result<NoticeInput> {
    let old = ctx.version(old_spec, policy)?;
    let new = ctx.version(new_spec, policy)?;
    let how = ctx.comparison(DiffOptions::default(), facts)?;
    let name = ctx.policy_name(&[old_spec, new_spec], policy);
    let report = compare(&old, &new, name.as_deref(), &how);
    // The flag wins; else the date the new version states.
    let effective = match effective {
        Some(d) => Some(parse_day(d, "--effective")?),
        None => policy::stated_effective(&report.new),
    };
    let notice_date = match notice_date {
        Some(d) => parse_day(d, "--notice-date")?,
        None => Day::today(),
    };
    Ok(NoticeInput {
        old,
        new,
        report,
        effective,
        notice_date,
    })
}

/// `KEY=VALUE` pairs into a recipient's fields.
fn parse_recipient(pairs: &[String]) -> Result<std::collections::BTreeMap<String, String>> {
    let mut fields = std::collections::BTreeMap::new();
    for p in pairs {
        let (k, v) = p
            .split_once('=')
            .filter(|(k, _)| !k.trim().is_empty())
            .ok_or_else(|| {
                Error::Usage(format!("--recipient {p:?}: write KEY=VALUE, e.g. name=Ana"))
            })?;
        fields.insert(k.trim().to_owned(), v.to_owned());
    }
    Ok(fields)
}

/// Refuse an effective date too soon for the class of change, unless a
/// reason is given (the caller records it where it records things).
pub(crate) fn check_period(
    report: &Report,
    effective: Option<Day>,
    notice_date: Day,
    min: &MinDays,
    reason: Option<&str>,
) -> Result<()> {
    let class = report.classification.unwrap_or(Classification::None);
    match policy::check_notice_period(class, effective, notice_date, min) {
        Ok(()) => Ok(()),
        Err(_) if reason.is_some_and(|r| !r.trim().is_empty()) => Ok(()),
        Err(short) => Err(Error::Usage(format!(
            "{short} (policydiff.toml [notice.min_days]); to go ahead anyway, give --allow-short-notice \"REASON\""
        ))),
    }
}
