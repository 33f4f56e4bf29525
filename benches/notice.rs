//! Cost of rendering the update email per recipient (it bounds `send`'s
//! throughput): the bundled pair's major-change context, rendered for
//! distinct recipients, subject + text + HTML each. `cargo bench --bench notice`.

use std::collections::BTreeMap;
use std::time::Instant;

use policydiff::archive::{Origin, Version};
use policydiff::pipeline::{Comparison, compare};
use policydiff::policy::Locale;
use policydiff::render::notice::{ContextOptions, NoticeContext, NoticeKind, Templates};

fn version(path: &str) -> Version {
    Version {
        spec: path.into(),
        path: path.into(),
        origin: Origin::File,
        text: std::fs::read_to_string(path).expect("bundled policy"),
        notes: Vec::new(),
    }
}

fn main() {
    let report = compare(
        &version("policies/privacy-policy.md"),
        &version("policies/drafts/privacy-policy-next.md"),
        None,
        &Comparison::default(),
    );
    let templates = Templates::new(None);
    const RECIPIENTS: usize = 2_000;
    for locale in Locale::ALL {
        let base = NoticeContext::new(
            &report,
            &ContextOptions {
                kind: NoticeKind::Email,
                locale,
                effective_date: "2026-01-15".parse().ok(),
                notice_date: "2025-12-01".parse().expect("a day"),
                base_url: Some("https://example.com/privacy"),
                max_changes: policydiff::render::notice::MAX_CHANGES,
                templates: &templates,
                title: None,
            },
        )
        .expect("the default templates render");
        let mut rounds = Vec::new();
        let mut bytes = 0usize;
        for _ in 0..5 {
            let started = Instant::now();
            for n in 0..RECIPIENTS {
                let mut ctx = base.clone();
                let mut r = BTreeMap::new();
                r.insert("email".to_owned(), format!("user{n}@example.com"));
                r.insert("name".to_owned(), format!("User {n}"));
                ctx.recipient = Some(r);
                for &(part, ext) in NoticeKind::Email.parts() {
                    bytes += templates.render(part, ext, &ctx).expect("renders").len();
                }
            }
            rounds.push(started.elapsed().as_secs_f64() / RECIPIENTS as f64);
        }
        rounds.sort_by(f64::total_cmp);
        let median = rounds[rounds.len() / 2];
        println!(
            "notice email ({locale}): {:.1} µs per recipient (median of 5 × {RECIPIENTS}; {:.0} messages/s on one core; {} bytes/message)",
            median * 1e6,
            1.0 / median,
            bytes / (5 * RECIPIENTS)
        );
    }
}
