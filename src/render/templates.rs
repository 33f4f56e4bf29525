//! The template environment shared by notices and the site: minijinja with
//! strict undefined values and auto-escaping by extension, the default
//! templates compiled in, and a repository's `templates/` overriding them.

use std::path::{Path, PathBuf};

use minijinja::{Environment, UndefinedBehavior};

use super::notice::{NoticeContext, context_value};

/// A template error, naming the template and line.
#[derive(Debug, thiserror::Error)]
#[error("{location}: {message}")]
pub struct TemplateError {
    /// `templates/email.en.html.j2:12` (or the built-in name).
    pub location: String,
    /// What went wrong.
    pub message: String,
}

impl TemplateError {
    fn from_minijinja(e: &minijinja::Error, dir: Option<&Path>) -> TemplateError {
        let name = e.name().unwrap_or("<template>");
        let file = match dir {
            Some(d) if d.join(name).is_file() => d.join(name).display().to_string(),
            _ => format!("{name} (built-in)"),
        };
        let location = match e.line() {
            Some(l) => format!("{file}:{l}"),
            None => file,
        };
        // The chain of causes (an include's error inside another template).
        let mut message = e
            .detail()
            .map_or_else(|| e.kind().to_string(), |d| format!("{}: {d}", e.kind()));
        let mut source = std::error::Error::source(e);
        while let Some(s) = source {
            message.push_str(&format!("; {s}"));
            source = s.source();
        }
        TemplateError { location, message }
    }
}

/// The default templates, compiled in.
const DEFAULTS: &[(&str, &str)] = &[
    (
        "what-changes.en.txt.j2",
        include_str!("../../templates/what-changes.en.txt.j2"),
    ),
    (
        "what-changes.zh-CN.txt.j2",
        include_str!("../../templates/what-changes.zh-CN.txt.j2"),
    ),
    (
        "site-layout.html.j2",
        include_str!("../../templates/site-layout.html.j2"),
    ),
    (
        "site-index.en.html.j2",
        include_str!("../../templates/site-index.en.html.j2"),
    ),
    (
        "site-index.zh-CN.html.j2",
        include_str!("../../templates/site-index.zh-CN.html.j2"),
    ),
    (
        "site-version.en.html.j2",
        include_str!("../../templates/site-version.en.html.j2"),
    ),
    (
        "site-version.zh-CN.html.j2",
        include_str!("../../templates/site-version.zh-CN.html.j2"),
    ),
    (
        "in-app.en.txt.j2",
        include_str!("../../templates/in-app.en.txt.j2"),
    ),
    (
        "in-app.zh-CN.txt.j2",
        include_str!("../../templates/in-app.zh-CN.txt.j2"),
    ),
    (
        "announcement.en.html.j2",
        include_str!("../../templates/announcement.en.html.j2"),
    ),
    (
        "announcement.zh-CN.html.j2",
        include_str!("../../templates/announcement.zh-CN.html.j2"),
    ),
    (
        "email-subject.en.txt.j2",
        include_str!("../../templates/email-subject.en.txt.j2"),
    ),
    (
        "email-subject.zh-CN.txt.j2",
        include_str!("../../templates/email-subject.zh-CN.txt.j2"),
    ),
    (
        "email.en.txt.j2",
        include_str!("../../templates/email.en.txt.j2"),
    ),
    (
        "email.zh-CN.txt.j2",
        include_str!("../../templates/email.zh-CN.txt.j2"),
    ),
    (
        "email.en.html.j2",
        include_str!("../../templates/email.en.html.j2"),
    ),
    (
        "email.zh-CN.html.j2",
        include_str!("../../templates/email.zh-CN.html.j2"),
    ),
    (
        "changelog.en.md.j2",
        include_str!("../../templates/changelog.en.md.j2"),
    ),
    (
        "changelog.zh-CN.md.j2",
        include_str!("../../templates/changelog.zh-CN.md.j2"),
    ),
];

/// The template environment: templates from `dir` override the defaults.
pub struct Templates {
    env: Environment<'static>,
    dir: Option<PathBuf>,
}

impl Templates {
    /// Templates with overrides from `dir` (if it exists).
    pub fn new(dir: Option<PathBuf>) -> Templates {
        let mut env = Environment::new();
        env.set_undefined_behavior(UndefinedBehavior::Strict);
        env.set_auto_reload(false);
        // Block tags on their own lines leave no blank lines behind.
        if let Ok(syntax) = minijinja::syntax::SyntaxConfig::builder()
            .trim_blocks(true)
            .lstrip_blocks(true)
            .keep_trailing_newline(true)
            .build()
        {
            env.set_syntax(syntax);
        }
        // HTML-escaped by extension (.html after .j2 is stripped); Markdown
        // gets an explicit filter, plain text nothing.
        env.add_filter("md", |s: String| super::markdown::escape(&s));
        // A URL in an attribute: escaped for the attribute, but `/` kept
        // (the HTML auto-escape writes it as `&#x2f;`, which is valid but
        // unreadable in the page source).
        env.add_filter("href", |s: String| {
            minijinja::Value::from_safe_string(
                html_escape::encode_double_quoted_attribute(&s).into_owned(),
            )
        });
        let override_dir = dir.clone();
        env.set_loader(move |name| {
            if let Some(d) = &override_dir {
                let path = d.join(name);
                if path.is_file() {
                    return std::fs::read_to_string(&path).map(Some).map_err(|e| {
                        minijinja::Error::new(
                            minijinja::ErrorKind::InvalidOperation,
                            format!("cannot read {}: {e}", path.display()),
                        )
                    });
                }
            }
            Ok(DEFAULTS
                .iter()
                .find(|(n, _)| *n == name)
                .map(|(_, src)| (*src).to_owned()))
        });
        Templates { env, dir }
    }

    /// Render one part of a notice (`email`, `html`) for a context.
    pub fn render(
        &self,
        part: &str,
        ext: &str,
        ctx: &NoticeContext,
    ) -> Result<String, TemplateError> {
        self.render_value(part, ext, &ctx.locale, &context_value(ctx))
    }

    /// Render from a context already converted to a template value (see
    /// [`context_value`], [`with_recipient`]): for many recipients, the
    /// context is converted once.
    pub fn render_value(
        &self,
        part: &str,
        ext: &str,
        locale: &str,
        ctx: &minijinja::Value,
    ) -> Result<String, TemplateError> {
        let name = format!("{part}.{locale}.{ext}.j2");
        let tmpl = self
            .env
            .get_template(&name)
            .map_err(|e| TemplateError::from_minijinja(&e, self.dir.as_deref()))?;
        tmpl.render(ctx)
            .map_err(|e| TemplateError::from_minijinja(&e, self.dir.as_deref()))
    }
}
