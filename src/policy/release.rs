//! What a release tag records: a title, the user's message, the changes since
//! the previous release, and trailers for machines.

use crate::classify::Classification;
use crate::diff::ChangeKind;
use crate::render;
use crate::report::Report;

use super::Day;

/// The previous release and what changed since.
pub struct SincePrevious<'a> {
    /// Its tag.
    pub tag: &'a str,
    /// The comparison with it.
    pub report: &'a Report,
    /// The reason a short notice period was accepted, if one was.
    pub short_notice_reason: Option<&'a str>,
}

/// The annotated tag message of a release: `<policy>: effective <date>`,
/// the user's message, the summary of changes since the previous release,
/// then the trailers `Policy:`, `Effective-Date:`, `Short-Notice-Reason:`,
/// `Classification:`, `Triggers:` and `Previous-Release:`.
pub fn release_message(
    policy: &str,
    effective: Day,
    user_message: Option<&str>,
    previous: Option<SincePrevious<'_>>,
) -> String {
    let mut message = format!("{policy}: effective {effective}\n\n");
    if let Some(m) = user_message.map(str::trim).filter(|m| !m.is_empty()) {
        message.push_str(m);
        message.push_str("\n\n");
    }
    let mut trailers = format!("\nPolicy: {policy}\nEffective-Date: {effective}\n");
    match previous {
        Some(prev) => {
            message.push_str(&format!(
                "Changes since {}:\n{}\n",
                prev.tag,
                summary(prev.report)
            ));
            if let Some(reason) = prev.short_notice_reason {
                trailers.push_str(&format!(
                    "Short-Notice-Reason: {}\n",
                    reason.replace('\n', " ")
                ));
            }
            let class = prev.report.classification.unwrap_or(Classification::None);
            trailers.push_str(&format!("Classification: {}\n", class.as_str()));
            if !prev.report.triggers.is_empty() {
                trailers.push_str(&format!(
                    "Triggers: {}\n",
                    prev.report.fired_ids().join(", ")
                ));
            }
            trailers.push_str(&format!("Previous-Release: {}\n", prev.tag));
        }
        None => message.push_str("First release of this policy.\n"),
    }
    message.push_str(&trailers);
    message
}

/// Counts, then one line per non-editorial change (at most 40).
fn summary(report: &Report) -> String {
    let mut s = render::summary_line(report);
    s.push('\n');
    const MAX: usize = 40;
    let substantive: Vec<_> = report
        .changes
        .iter()
        .filter(|c| c.kind != ChangeKind::Editorial)
        .collect();
    for c in substantive.iter().take(MAX) {
        s.push_str(&format!(
            "- {} {}\n",
            render::kind_word(c.kind).to_lowercase(),
            render::shorten(&c.title(), 100)
        ));
    }
    if substantive.len() > MAX {
        s.push_str(&format!("- … and {} more\n", substantive.len() - MAX));
    }
    s
}
