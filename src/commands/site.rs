//! `policydiff site` and `policydiff history`: the public archive of
//! released versions, and the history file beside the policy.

use std::io::IsTerminal;

use super::output::{self, write_atomic};
use super::{Context, write_stdout};
use crate::archive::{self, Archive, Origin, Version};
use crate::cli::{HistoryArgs, SiteArgs};
use crate::config::{Config, PolicyConfig};
use crate::document::{BlockCache, Document, Format};
use crate::error::{Error, Result};
use crate::pipeline::{Comparison, compare_docs};
use crate::policy::Day;
use crate::render;
use crate::render::site::{SiteInfo, SiteLanguage, SiteRelease};

pub(super) fn run(ctx: &Context, args: SiteArgs) -> Result<()> {
    let archive = ctx.archive()?;
    let (asked, _) = ctx.policy(args.policy.policy.as_deref(), &archive)?;
    let config = ctx.require_config()?;
    // A translation is published with its original: one archive, every
    // language, the original's releases.
    let original = match &asked.translation_of {
        Some(o) => config.policy(Some(o))?,
        None => asked,
    };
    let (policy, path) = ctx.policy(Some(&original.name), &archive)?;
    let base_url = args
        .base_url
        .clone()
        .or_else(|| config.notice.base_url.clone());

    let release_tags = archive::releases(&archive, &policy.name)?;
    let releases = released(ctx, &archive, policy, &policy.name, &release_tags, &path)?;
    let templates_dir = config.dir.join(&config.notice.templates);
    let templates = render::notice::Templates::new(Some(templates_dir).filter(|d| d.is_dir()));
    let translations = config.translations_of(&policy.name);
    let mut languages = vec![(policy, String::new(), base_url.clone(), releases)];
    for t in translations {
        let (t, t_path) = ctx.policy(Some(&t.name), &archive)?;
        // The translation's text at each of the original's releases (a
        // release before the translation existed has no page in it).
        let t_releases = released(ctx, &archive, t, &policy.name, &release_tags, &t_path)?;
        if t_releases.is_empty() {
            eprintln!(
                "policydiff: warning: {} ({}) exists at no release of {}: it is not published",
                t.name, t.locale, policy.name
            );
            continue;
        }
        let dir = format!("{}/", t.locale);
        let t_base = base_url
            .as_deref()
            .map(|b| format!("{}/{}", b.trim_end_matches('/'), t.locale));
        languages.push((t, dir, t_base, t_releases));
    }
    let titles: Vec<String> = languages
        .iter()
        .map(|(p, _, _, releases)| site_title(p, releases))
        .collect();
    let publishers: Vec<String> = languages
        .iter()
        .zip(&titles)
        .map(|((_, _, base, _), title)| publisher(config, base.as_deref(), title))
        .collect();
    let today = Day::today();
    let files = if languages.len() == 1 {
        let (policy, _, _, releases) = &languages[0];
        let info = SiteInfo {
            title: &titles[0],
            lang: &policy.locale,
            base_url: base_url.as_deref(),
            name: &policy.name,
            publisher: &publishers[0],
            today,
        };
        render::site::build(&info, releases, &templates)?
    } else {
        let sites: Vec<SiteLanguage<'_>> = languages
            .iter()
            .zip(titles.iter().zip(&publishers))
            .map(
                |((p, dir, base, releases), (title, publisher))| SiteLanguage {
                    info: SiteInfo {
                        title,
                        lang: &p.locale,
                        base_url: base.as_deref(),
                        name: &p.name,
                        publisher,
                        today,
                    },
                    releases,
                    dir: dir.clone(),
                },
            )
            .collect();
        render::site::build_languages(&sites, &templates)?
    };
    let protected = output::Protected {
        dirs: vec![archive.workdir()?.to_path_buf(), config.dir.clone()],
        files: config
            .policies
            .iter()
            .map(|p| config.policy_file(p))
            .collect(),
    };
    output::write_tree(&args.out, &files, &protected)?;
    if base_url.is_none() {
        eprintln!(
            "policydiff: warning: no --base-url and no [notice] base_url in policydiff.toml: the feed's links are relative, and notices link to nothing"
        );
    }
    let in_languages = if languages.len() > 1 {
        format!(
            " in {}",
            languages
                .iter()
                .map(|(p, ..)| p.locale.as_str())
                .collect::<Vec<_>>()
                .join(" and ")
        )
    } else {
        String::new()
    };
    write_stdout(
        format!(
            "wrote {} files for {} releases{in_languages} to {}\n",
            files.len(),
            languages[0].3.len(),
            args.out.display()
        )
        .as_bytes(),
    )
}

/// The site's title: the configured one, else the latest release's own.
fn site_title(policy: &PolicyConfig, releases: &[SiteRelease]) -> String {
    policy
        .title_for(None)
        .map(str::to_owned)
        .or_else(|| {
            let latest = releases.last()?;
            Document::parse(&latest.text, Format::from_path(&policy.path))
                .title()
                .map(str::to_owned)
        })
        .unwrap_or_else(|| policy.name.clone())
}

/// Who publishes the policy, for the feed's `<author>`: `[notice]
/// publisher`, else the name in `[email] from`, else the host of the base
/// URL, else the policy's title. Never an address: the feed is public.
fn publisher(config: &Config, base_url: Option<&str>, title: &str) -> String {
    let configured = config.notice.publisher.as_deref().map(str::trim);
    let from_name = || {
        let from = config
            .email
            .as_ref()?
            .from
            .parse::<lettre::message::Mailbox>()
            .ok()?;
        from.name.filter(|n| !n.trim().is_empty())
    };
    let host = || {
        let rest = base_url?.split_once("://")?.1;
        let host = rest.split(['/', '?', '#']).next()?;
        // No user info, no port.
        let host = host.rsplit('@').next()?.split(':').next()?;
        (!host.is_empty()).then(|| host.to_owned())
    };
    configured
        .filter(|p| !p.is_empty())
        .map(str::to_owned)
        .or_else(from_name)
        .or_else(host)
        .unwrap_or_else(|| title.to_owned())
}

pub(super) fn history(ctx: &Context, args: HistoryArgs) -> Result<()> {
    let archive = ctx.archive()?;
    let (policy, path) = ctx.policy(args.policy.policy.as_deref(), &archive)?;
    let config = ctx.require_config()?;
    let tags = archive::releases(&archive, &policy.name)?;
    let releases = released(ctx, &archive, policy, &policy.name, &tags, &path)?;
    let md = render::site::history(
        policy.title_for(None).unwrap_or(&policy.name),
        &policy.locale,
        &releases,
    );
    if args.stdout {
        return write_stdout(md.as_bytes());
    }
    let file = config.policy_file(policy);
    let stem = file
        .file_stem()
        .and_then(|s| s.to_str())
        .unwrap_or(&policy.name)
        .to_owned();
    let target = file.with_file_name(format!("{stem}.history.md"));
    write_atomic(&target, md.as_bytes())?;
    write_stdout(format!("wrote {}\n", target.display()).as_bytes())
}

/// Every release of a policy, oldest first, each compared with the one before.
fn released(
    ctx: &Context,
    archive: &Archive,
    policy: &PolicyConfig,
    released_as: &str,
    releases: &[archive::Release],
    path: &str,
) -> Result<Vec<SiteRelease>> {
    if releases.is_empty() {
        return Err(Error::Usage(format!(
            "{released_as} has no releases yet: tag one with `policydiff release --effective YYYY-MM-DD`"
        )));
    }
    // A translation is read at its original's releases and may not exist
    // at the first of them.
    let translation = policy.name != released_as;
    let how = Comparison {
        rules: ctx.rules()?,
        ..Comparison::default()
    };
    let tags = archive.tags_by_commit()?;
    let progress = if std::io::stderr().is_terminal() {
        indicatif::ProgressBar::new(releases.len() as u64).with_style(
            indicatif::ProgressStyle::with_template(
                "{spinner} {pos}/{len} releases {wide_bar} {eta}",
            )
            .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar()),
        )
    } else {
        indicatif::ProgressBar::hidden()
    };
    let mut cache = BlockCache::default();
    let mut previous: Option<(Version, Document)> = None;
    let mut out = Vec::with_capacity(releases.len());
    for r in releases {
        let version = match archive.read_at_tagged(&r.tag, path, &r.tag, &tags) {
            Ok(v) => v,
            Err(_) if translation && previous.is_none() => continue,
            Err(e) => return Err(e.into()),
        };
        let doc =
            Document::parse_cached(&version.text, Format::from_path(&version.path), &mut cache);
        let report = previous
            .as_ref()
            .map(|(pv, pd)| compare_docs((pv, pd), (&version, &doc), Some(&policy.name), &how));
        let date = match &version.origin {
            Origin::Git { date, .. } => date.clone(),
            _ => String::new(),
        };
        out.push(SiteRelease {
            tag: r.tag.clone(),
            effective: r.effective.clone(),
            date,
            text: version.text.clone(),
            plain: Format::from_path(path) == Format::Text,
            report,
        });
        previous = Some((version, doc));
        progress.inc(1);
    }
    progress.finish_and_clear();
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn config(extra: &str) -> Config {
        let text = format!("[[policy]]\nname = \"p\"\npath = \"p.md\"\n{extra}");
        Config::parse(&text, std::path::Path::new("/r/policydiff.toml")).expect("config")
    }

    #[test]
    fn the_feed_author_is_the_publisher_else_the_sender_else_the_host_else_the_title() {
        let email = "[email]\nfrom = \"Acme Privacy Team <privacy@acme.example>\"\n";
        let url = Some("https://user@www.acme.example:8443/privacy/");
        let both = config(&format!("[notice]\npublisher = \"Acme Corp Ltd\"\n{email}"));
        assert_eq!(publisher(&both, url, "Privacy Policy"), "Acme Corp Ltd");
        // The sender's name, never their address.
        assert_eq!(
            publisher(&config(email), url, "Privacy Policy"),
            "Acme Privacy Team"
        );
        let bare_from = config("[email]\nfrom = \"privacy@acme.example\"\n");
        assert_eq!(
            publisher(&bare_from, url, "Privacy Policy"),
            "www.acme.example"
        );
        assert_eq!(
            publisher(&config(""), None, "Privacy Policy"),
            "Privacy Policy"
        );
    }

    #[test]
    fn an_empty_or_multi_line_publisher_is_a_config_error_naming_the_key() {
        for bad in ["\"\"", "\"  \"", "\"Acme\\nCorp\""] {
            let text =
                format!("[[policy]]\nname = \"p\"\npath = \"p.md\"\n[notice]\npublisher = {bad}\n");
            let err = Config::parse(&text, std::path::Path::new("/r/policydiff.toml"))
                .expect_err(bad)
                .to_string();
            assert!(err.contains("notice.publisher"), "{bad}: {err}");
        }
    }
}
