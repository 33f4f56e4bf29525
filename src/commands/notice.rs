//! `policydiff notice OLD NEW`: the notices users read, from templates.

use super::context::parse_day;
use super::{Context, write_atomic, write_stdout};
use crate::archive::Spec;
use crate::archive::Version;
use crate::classify::Classification;
use crate::cli::{FactsArgs, NoticeArgs};
use crate::config::MinDays;
use crate::diff::DiffOptions;
use crate::error::{Error, Result};
use crate::pipeline::{self, Agreement, LanguageVersions, compare};
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
            let input = input(
                ctx,
                (old_spec, new_spec),
                policy,
                &args.facts,
                args.period.effective.as_deref(),
                args.period.notice_date.as_deref(),
            )?;
            let (effective, notice_date) = (input.effective, input.notice_date);
            let locale = ctx.notice_locale(args.locale.map(Locale::from), policy)?;
            // The reader's language: its own text, its own title.
            let report = input.report_for(locale);
            let title_policy = input
                .language(locale)
                .map_or(policy, |l| Some(l.policy.as_str()));
            let base_url =
                input.base_url_for(locale, config.and_then(|c| c.notice.base_url.as_deref()));
            warn_links = Some((base_url.clone(), report.new.clone()));
            let contexts: Vec<NoticeContext> = kinds
                .iter()
                .map(|&kind| {
                    let opts = ContextOptions {
                        kind,
                        locale,
                        effective_date: effective,
                        notice_date,
                        base_url: base_url.as_deref(),
                        max_changes: config.map_or(notice::MAX_CHANGES, |c| c.notice.max_changes),
                        templates: &templates,
                        title: config
                            .and_then(|c| c.policy(title_policy).ok())
                            .and_then(|p| p.title_in(locale.as_str())),
                    };
                    let mut context = NoticeContext::new(report, &opts)?;
                    input.agree(&mut context, &opts)?;
                    Ok(context)
                })
                .collect::<Result<_>>()?;
            check_period(
                input.classification(),
                effective,
                notice_date,
                &ctx.min_days()?,
                args.period.allow_short_notice.as_deref(),
            )?;
            input.warn_disagreements();
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

/// What a notice is about: the two versions, their report, and its dates;
/// for a policy with translations, the same release in every language.
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
    /// The release in each language of a bilingual policy (the original
    /// and its translations, read at the same revisions), empty otherwise.
    pub languages: Vec<NoticeLanguage>,
    /// What the languages say about the release's prominence.
    pub agreement: Option<Agreement>,
}

/// One language of a release.
pub(crate) struct NoticeLanguage {
    /// Its locale.
    pub locale: Locale,
    /// The configured policy in that language.
    pub policy: String,
    /// Its old version.
    pub old: Version,
    /// Its new version.
    pub new: Version,
    /// Its own comparison.
    pub report: Report,
    /// Whether it is a translation: `site` publishes it in a folder named
    /// after its locale.
    pub translation: bool,
}

impl NoticeInput {
    /// The Report a notice in `locale` is built from: that language's own
    /// when the policy has one in it, else the one compared.
    pub fn report_for(&self, locale: Locale) -> &Report {
        self.language(locale).map_or(&self.report, |l| &l.report)
    }

    /// The language of the release in `locale`, if the policy has one.
    pub fn language(&self, locale: Locale) -> Option<&NoticeLanguage> {
        self.languages.iter().find(|l| l.locale == locale)
    }

    /// The public archive's address for readers in `locale`: a
    /// translation's pages are in its folder (see `site`).
    pub fn base_url_for(&self, locale: Locale, base: Option<&str>) -> Option<String> {
        let base = base?;
        Some(match self.language(locale) {
            Some(l) if l.translation => {
                format!("{}/{}", base.trim_end_matches('/'), l.locale)
            }
            _ => base.to_owned(),
        })
    }

    /// Make a context as prominent as every language reads the release.
    pub fn agree(&self, context: &mut NoticeContext, opts: &ContextOptions<'_>) -> Result<()> {
        if let Some(a) = &self.agreement {
            context.agree(self.report_for(opts.locale), a, opts)?;
        }
        Ok(())
    }

    /// The most prominent classification of any language.
    pub fn classification(&self) -> Classification {
        self.agreement
            .as_ref()
            .and_then(|a| a.classification)
            .or(self.report.classification)
            .unwrap_or(Classification::None)
    }

    /// Say on stderr where the languages disagree.
    pub fn warn_disagreements(&self) {
        for d in self.agreement.iter().flat_map(|a| &a.disagreements) {
            eprintln!("policydiff: warning: {d}");
        }
    }
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
    let languages = languages(
        ctx,
        (old_spec, new_spec),
        policy,
        &how,
        (&old, &new, &report),
    )?;
    let agreement = (languages.len() > 1).then(|| {
        pipeline::agreement(
            &languages
                .iter()
                .map(|l| (l.locale.as_str(), &l.report))
                .collect::<Vec<_>>(),
        )
    });
    Ok(NoticeInput {
        old,
        new,
        report,
        effective,
        notice_date,
        languages,
        agreement,
    })
}

/// The release in every language of a bilingual policy: when OLD and NEW
/// are revisions (releases, tags, commits) and the policy has translations
/// (or is one), each language's file is read at the same two revisions and
/// compared on its own. The language compared already (`compared`) is
/// reused. A language whose file is missing at a revision is left out with
/// a warning (its readers get the text compared). Empty for one language.
fn languages(
    ctx: &Context,
    specs: (&str, &str),
    policy: Option<&str>,
    how: &crate::pipeline::Comparison,
    compared: (&Version, &Version, &Report),
) -> Result<Vec<NoticeLanguage>> {
    let Some(config) = ctx.config()? else {
        return Ok(Vec::new());
    };
    let bare = |s: &str| matches!(Spec::parse(s, &ctx.cwd), Spec::Rev(_));
    if !(bare(specs.0) && bare(specs.1)) {
        return Ok(Vec::new());
    }
    let asked = config.policy(policy)?;
    let original = match &asked.translation_of {
        Some(o) => config.policy(Some(o))?,
        None => asked,
    };
    let group: Vec<&crate::config::PolicyConfig> = std::iter::once(original)
        .chain(config.translations_of(&original.name))
        .collect();
    if group.len() < 2 {
        return Ok(Vec::new());
    }
    // Read every other language first, then compare them side by side.
    let mut read: Vec<(Locale, &str, Version, Version)> = Vec::new();
    for p in &group {
        let Ok(locale) = p.locale.parse::<Locale>() else {
            eprintln!(
                "policydiff: warning: policy {:?} is in {:?}, which has no notice templates; its text is not used for notices",
                p.name, p.locale
            );
            continue;
        };
        if p.name == asked.name || read.iter().any(|(l, ..)| *l == locale) {
            continue;
        }
        let versions = ctx
            .version(specs.0, Some(&p.name))
            .and_then(|o| Ok((o, ctx.version(specs.1, Some(&p.name))?)));
        match versions {
            Ok((o, n)) => read.push((locale, &p.name, o, n)),
            Err(e) => eprintln!(
                "policydiff: warning: the {locale} text ({}) cannot be read at {} and {} ({e}); {locale} notices quote the {} text",
                p.name, specs.0, specs.1, asked.name
            ),
        }
    }
    let reports = pipeline::compare_languages(
        &read
            .iter()
            .map(|(locale, name, o, n)| LanguageVersions {
                policy: name,
                locale: locale.as_str(),
                old: o,
                new: n,
            })
            .collect::<Vec<_>>(),
        how,
    );
    let mut out: Vec<NoticeLanguage> = Vec::new();
    if let Ok(locale) = asked.locale.parse::<Locale>() {
        out.push(NoticeLanguage {
            locale,
            policy: asked.name.clone(),
            old: compared.0.clone(),
            new: compared.1.clone(),
            report: compared.2.clone(),
            translation: asked.translation_of.is_some(),
        });
    }
    for ((locale, name, old, new), report) in read.into_iter().zip(reports) {
        out.push(NoticeLanguage {
            locale,
            policy: name.to_owned(),
            old,
            new,
            report,
            translation: name != original.name,
        });
    }
    Ok(if out.len() > 1 { out } else { Vec::new() })
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
    class: Classification,
    effective: Option<Day>,
    notice_date: Day,
    min: &MinDays,
    reason: Option<&str>,
) -> Result<()> {
    match policy::check_notice_period(class, effective, notice_date, min) {
        Ok(()) => Ok(()),
        Err(_) if reason.is_some_and(|r| !r.trim().is_empty()) => Ok(()),
        Err(short) => Err(Error::Usage(format!(
            "{short} (policydiff.toml [notice.min_days]); to go ahead anyway, give --allow-short-notice \"REASON\""
        ))),
    }
}
