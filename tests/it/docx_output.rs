//! `diff --format docx`: the Word redline. The revisions in the file are
//! checked against the Report JSON of the same diff, and the document is
//! opened by headless LibreOffice: shown with its changes, with all changes
//! accepted (must read as the new version) and all rejected (the old one).

use std::io::Read;
use std::path::{Path, PathBuf};
use std::time::Duration;

use serde_json::Value;

use crate::support::{self, TestDir, TestRepo, banners};

// ---------------------------------------------------------------------------
// Reading the package
// ---------------------------------------------------------------------------

/// One part of a .docx, as text.
fn part(docx: &[u8], name: &str) -> Option<String> {
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(docx)).expect("a zip archive");
    let mut f = zip.by_name(name).ok()?;
    let mut s = String::new();
    f.read_to_string(&mut s).expect("UTF-8 part");
    Some(s)
}

/// An XML token: a start tag (name, attributes, self-closing), an end tag
/// or text. Enough XML for what docx-rs writes (no CDATA, no comments).
#[derive(Debug)]
enum Tok {
    Start(String, Vec<(String, String)>, bool),
    End(String),
    Text(String),
}

fn unescape(s: &str) -> String {
    s.replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&apos;", "'")
        .replace("&#39;", "'")
        .replace("&amp;", "&")
}

fn tokens(xml: &str) -> Vec<Tok> {
    let attr = regex::Regex::new(r#"([\w:]+)="([^"]*)""#).unwrap();
    let mut out = Vec::new();
    let mut rest = xml;
    while let Some(lt) = rest.find('<') {
        if lt > 0 {
            out.push(Tok::Text(unescape(&rest[..lt])));
        }
        let gt = rest[lt..].find('>').expect("closed tag") + lt;
        let tag = &rest[lt + 1..gt];
        rest = &rest[gt + 1..];
        if tag.starts_with('?') || tag.starts_with('!') {
            continue;
        }
        if let Some(name) = tag.strip_prefix('/') {
            out.push(Tok::End(name.trim().to_owned()));
            continue;
        }
        let closed = tag.ends_with('/');
        let tag = tag.trim_end_matches('/');
        let name = tag.split_whitespace().next().unwrap_or("").to_owned();
        let attrs = attr
            .captures_iter(tag)
            .map(|c| (c[1].to_owned(), unescape(&c[2])))
            .collect();
        out.push(Tok::Start(name, attrs, closed));
    }
    out
}

/// A tracked revision found in document.xml.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
struct Revision {
    /// `ins` or `del`.
    kind: String,
    author: String,
    date: String,
    text: String,
}

/// What document.xml holds: run revisions, paragraph-mark revisions,
/// paragraphs (style, text as shown: plain, inserted and deleted).
#[derive(Debug, Default)]
struct Body {
    runs: Vec<Revision>,
    marks: Vec<Revision>,
    paragraphs: Vec<(Option<String>, String)>,
}

fn body(docx: &[u8]) -> Body {
    let xml = part(docx, "word/document.xml").expect("word/document.xml");
    let mut b = Body::default();
    let mut stack: Vec<String> = Vec::new();
    let mut open: Option<Revision> = None;
    let mut style = None;
    let mut para = String::new();
    let mut ppr_children: Vec<String> = Vec::new();
    let get = |attrs: &[(String, String)], k: &str| {
        attrs
            .iter()
            .find(|(n, _)| n == k)
            .map(|(_, v)| v.clone())
            .unwrap_or_default()
    };
    for t in tokens(&xml) {
        match t {
            Tok::Start(name, attrs, closed) => {
                let kind = match name.as_str() {
                    "w:ins" => Some("ins"),
                    "w:del" => Some("del"),
                    _ => None,
                };
                if let Some(kind) = kind {
                    let rev = Revision {
                        kind: kind.into(),
                        author: get(&attrs, "w:author"),
                        date: get(&attrs, "w:date"),
                        text: String::new(),
                    };
                    if closed {
                        // Only a paragraph mark is revised by an empty element.
                        assert!(
                            stack.ends_with(&["w:pPr".into(), "w:rPr".into()]),
                            "an empty {name} outside a paragraph mark: {stack:?}"
                        );
                        b.marks.push(rev);
                    } else {
                        assert!(open.is_none(), "nested revisions");
                        open = Some(rev);
                    }
                }
                // Word wants the schema's order: the style first, the
                // paragraph mark's run properties last.
                if stack.last().is_some_and(|p| p == "w:pPr") {
                    ppr_children.push(name.clone());
                }
                if name == "w:pStyle" {
                    style = Some(get(&attrs, "w:val"));
                }
                if name == "w:br" {
                    para.push('\n');
                }
                if !closed {
                    stack.push(name);
                }
            }
            Tok::End(name) => {
                assert_eq!(stack.pop().as_deref(), Some(name.as_str()), "XML nesting");
                if name == "w:pPr" {
                    let kids = std::mem::take(&mut ppr_children);
                    let pos = |n: &str| kids.iter().position(|k| k == n);
                    assert!(pos("w:pStyle").is_none_or(|i| i == 0), "{kids:?}");
                    assert!(pos("w:rPr").is_none_or(|i| i + 1 == kids.len()), "{kids:?}");
                    if let (Some(s), Some(i)) = (pos("w:spacing"), pos("w:ind")) {
                        assert!(s < i, "{kids:?}");
                    }
                }
                if name == "w:ins" || name == "w:del" {
                    b.runs.push(open.take().expect("an open revision"));
                }
                if name == "w:p" && !stack.iter().any(|s| s == "w:comment") {
                    b.paragraphs.push((style.take(), std::mem::take(&mut para)));
                }
            }
            Tok::Text(text) => {
                let inside = stack.last().map(String::as_str);
                let in_body = stack.iter().any(|s| s == "w:body");
                match inside {
                    Some("w:t") => {
                        assert!(
                            open.as_ref().is_none_or(|r| r.kind == "ins"),
                            "plain text inside a deletion: {text:?}"
                        );
                        if let Some(r) = open.as_mut() {
                            r.text.push_str(&text);
                        }
                        if in_body {
                            para.push_str(&text);
                        }
                    }
                    Some("w:delText") => {
                        let r = open.as_mut().expect("deleted text outside a deletion");
                        assert_eq!(r.kind, "del", "deleted text inside an insertion");
                        r.text.push_str(&text);
                        para.push_str(&text);
                    }
                    _ => {}
                }
            }
        }
    }
    assert!(
        stack.is_empty() && open.is_none(),
        "unbalanced document.xml"
    );
    b
}

// ---------------------------------------------------------------------------
// What the Report says the revisions must be
// ---------------------------------------------------------------------------

/// `"3.2 "`, `"effective: "` or nothing: how a clause's label is written.
fn prefix(clause: &Value) -> String {
    match clause["label"].as_str() {
        Some(l) if clause["kind"] == "meta" => format!("{l}: "),
        Some(l) => format!("{l} "),
        None => String::new(),
    }
}

fn labelled(clause: &Value) -> String {
    format!("{}{}", prefix(clause), clause["text"].as_str().unwrap())
}

/// The revisions each change of a Report must give, as the README states
/// the mapping: run revisions (kind, text) and paragraph-mark revisions.
fn expected(report: &Value) -> (Vec<(String, String)>, Vec<String>) {
    let mut runs = Vec::new();
    let mut marks = Vec::new();
    let push = |runs: &mut Vec<(String, String)>, kind: &str, text: String| {
        if !text.is_empty() {
            runs.push((kind.to_owned(), text));
        }
    };
    for c in report["changes"].as_array().unwrap() {
        let (old, new) = (&c["old"], &c["new"]);
        match c["kind"].as_str().unwrap() {
            "added" => {
                push(&mut runs, "ins", labelled(new));
                marks.push("ins".to_owned());
            }
            "removed" => {
                push(&mut runs, "del", labelled(old));
                marks.push("del".to_owned());
            }
            "moved" => {
                push(&mut runs, "ins", labelled(new));
                push(&mut runs, "del", labelled(old));
                marks.extend(["ins".to_owned(), "del".to_owned()]);
            }
            _ if c["regroup"] == "split" => {
                let more = c["more_new"].as_array().map_or(0, Vec::len);
                marks.extend(std::iter::repeat_n("ins".to_owned(), more));
            }
            _ => {
                // The label, then the word runs; neighbours of one kind are one revision.
                let mut ops: Vec<(&str, String)> = Vec::new();
                let (po, pn) = (prefix(old), prefix(new));
                if po == pn {
                    ops.push(("equal", pn));
                } else {
                    ops.push(("delete", po));
                    ops.push(("insert", pn));
                }
                for op in c["inline"].as_array().unwrap() {
                    ops.push((
                        op["op"].as_str().unwrap(),
                        op["text"].as_str().unwrap().into(),
                    ));
                }
                let mut merged: Vec<(&str, String)> = Vec::new();
                for (op, text) in ops.into_iter().filter(|(_, t)| !t.is_empty()) {
                    match merged.last_mut() {
                        Some((o, t)) if *o == op => t.push_str(&text),
                        _ => merged.push((op, text)),
                    }
                }
                for (op, text) in merged {
                    match op {
                        "insert" => push(&mut runs, "ins", text),
                        "delete" => push(&mut runs, "del", text),
                        _ => {}
                    }
                }
            }
        }
    }
    (runs, marks)
}

/// Check every revision of the document against the Report: the same
/// insertions and deletions with the same text, all by policydiff on `date`.
#[track_caller]
fn assert_revisions_match(docx: &[u8], report: &Value, date: &str) -> Body {
    let b = body(docx);
    for r in b.runs.iter().chain(&b.marks) {
        assert_eq!(r.author, "policydiff", "{r:?}");
        assert_eq!(r.date, date, "{r:?}");
    }
    let (want_runs, want_marks) = expected(report);
    let mut got: Vec<(String, String)> = b
        .runs
        .iter()
        .map(|r| (r.kind.clone(), r.text.clone()))
        .collect();
    let mut want = want_runs;
    got.sort();
    want.sort();
    let count = |v: &[(String, String)], k: &str| v.iter().filter(|(x, _)| x == k).count();
    assert_eq!(
        (count(&got, "ins"), count(&got, "del")),
        (count(&want, "ins"), count(&want, "del")),
        "w:ins / w:del counts"
    );
    for (g, w) in got.iter().zip(&want) {
        assert_eq!(g, w, "a revision differs from the Report");
    }
    let mut marks: Vec<String> = b.marks.iter().map(|r| r.kind.clone()).collect();
    let mut want_marks = want_marks;
    marks.sort();
    want_marks.sort();
    assert_eq!(marks, want_marks, "paragraph-mark revisions");
    b
}

// ---------------------------------------------------------------------------
// The pairs
// ---------------------------------------------------------------------------

const OLD: &str = "---\ntitle: Sample Policy\neffective: 2025-01-01\n---\n\n# Sample Policy\n\n\
## Collection\n\n1. We collect your name and email address.\n\n2. We keep your data for one year.\n\n\
3. We delete inactive accounts after two years of silence.\n\n\
## Sharing\n\nWe do not sell your personal information to anyone, for any price, at any time.\n\n\
We share data with payment processors only.\n\n\
## Contact\n\nWrite to privacy@example.com with any question.\n";

const NEW: &str = "---\ntitle: Sample Policy\neffective: 2025-01-01\n---\n\n# Sample Policy\n\n\
## Collection\n\n1. We collect your name and email address.\n\n2. We keep your data for three years.\n\n\
## Sharing\n\nWe share data with payment processors only.\n\n\
We share usage statistics with analytics partners.\n\n\
## Contact\n\nWrite to privacy@example.com with any question.\n\n\
We do not sell your personal information to anyone, for any price, at any time.\n";

/// The commit date of the new version, which the revisions carry.
const NEW_DATE: &str = "2025-03-04T05:06:07Z";

/// A repository with the crafted pair as two commits.
fn crafted_repo() -> TestRepo {
    let repo = TestRepo::new();
    repo.commit(&[(support::POLICY, OLD)], "old", "2025-01-02T03:04:05Z");
    repo.commit(&[(support::POLICY, NEW)], "new", NEW_DATE);
    repo
}

/// The Report JSON and the Word bytes of one diff.
fn both(dir: &TestDir, old: &str, new: &str) -> (Value, Vec<u8>) {
    let json = support::run_ok(dir.cmd().args(["diff", old, new, "-f", "json"]));
    let out = dir.join("redline.docx");
    support::run_ok(
        dir.cmd()
            .args(["diff", old, new, "-f", "docx", "-o"])
            .arg(&out),
    );
    let bytes = std::fs::read(&out).expect("the .docx was written");
    assert!(bytes.starts_with(b"PK\x03\x04"), "not a zip file");
    (support::json(&json), bytes)
}

fn bundled(dir: &TestDir) -> (Value, Vec<u8>) {
    let old = support::bundled_policy();
    let new = support::bundled_draft();
    both(dir, old.to_str().unwrap(), new.to_str().unwrap())
}

#[test]
fn bundled_pair_revisions_match_the_report() {
    let dir = TestDir::new();
    let (report, docx) = bundled(&dir);
    // No commit date for files: the new version's effective date.
    let effective = report["new"]["effective"].as_str().expect("effective date");
    let b = assert_revisions_match(&docx, &report, &format!("{effective}T00:00:00Z"));
    assert!(b.runs.len() >= 20, "{} revisions", b.runs.len());
    // The whole document is there: one paragraph per new clause, plus
    // removed clauses and the old place of each move.
    let kinds = |k: &str| {
        report["changes"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|c| c["kind"] == k)
            .count()
    };
    assert_eq!(
        b.paragraphs.len(),
        report["new"]["clauses"].as_u64().unwrap() as usize + kinds("removed") + kinds("moved")
    );
    // Headings keep their numbers as text and take styles by depth.
    assert!(
        b.paragraphs.contains(&(
            Some("Heading2".into()),
            "1. How we collect and use your personal information and other information".into()
        )),
        "{:?}",
        &b.paragraphs[..8]
    );
    assert_eq!(
        b.paragraphs[2],
        (Some("Heading1".into()), "Privacy Policy".into())
    );
}

#[test]
fn crafted_pair_added_removed_moved_and_modified_clauses_are_tracked() {
    let repo = crafted_repo();
    let (report, docx) = both(&repo, "HEAD~1", "HEAD");
    let kinds: Vec<&str> = report["changes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["kind"].as_str().unwrap())
        .collect();
    for k in ["added", "removed", "moved", "modified"] {
        assert_eq!(
            kinds.iter().filter(|&&x| x == k).count(),
            1,
            "{k}: {kinds:?}"
        );
    }
    assert_eq!(
        report["new"]["date"]
            .as_str()
            .map(|d| d.starts_with("2025-03-04")),
        Some(true)
    );
    let b = assert_revisions_match(&docx, &report, NEW_DATE);
    // The modified clause: one paragraph, the changed words only.
    let texts: Vec<(&str, &str)> = b
        .runs
        .iter()
        .map(|r| (r.kind.as_str(), r.text.as_str()))
        .collect();
    assert!(texts.contains(&("del", "one year")), "{texts:?}");
    assert!(texts.contains(&("ins", "three years")), "{texts:?}");
    let para = |needle: &str| {
        b.paragraphs
            .iter()
            .filter(|(_, t)| t.contains(needle))
            .map(|(s, t)| (s.clone(), t.clone()))
            .collect::<Vec<_>>()
    };
    assert_eq!(
        para("We keep your data"),
        [(
            None,
            "2. We keep your data for one yearthree years.".to_owned()
        )]
    );
    // The move: deleted where it stood, inserted where it stands, each with a comment.
    let moved = para("We do not sell");
    assert_eq!(moved.len(), 2, "{moved:?}");
    let order: Vec<&str> = b.paragraphs.iter().map(|(_, t)| t.as_str()).collect();
    let at = |s: &str| order.iter().position(|t| t.starts_with(s)).unwrap();
    assert!(at("We do not sell") < at("We share data"), "{order:?}");
    assert!(
        at("Write to privacy")
            < order
                .iter()
                .rposition(|t| t.starts_with("We do not sell"))
                .unwrap()
    );
    let comments = part(&docx, "word/comments.xml").expect("word/comments.xml");
    assert!(
        comments.contains("Moved here from Sharing (old line 18)."),
        "{comments}"
    );
    assert!(
        comments.contains("Moved to Contact (new line 24)."),
        "{comments}"
    );
    assert_eq!(comments.matches("<w:comment ").count(), 2, "{comments}");
    assert!(comments.contains(r#"w:author="policydiff""#), "{comments}");
    // Headings by depth, labels as written.
    assert_eq!(
        b.paragraphs[2],
        (Some("Heading1".into()), "Sample Policy".into())
    );
    assert_eq!(
        b.paragraphs[3],
        (Some("Heading2".into()), "Collection".into())
    );
    assert_eq!(
        b.paragraphs[4].1,
        "1. We collect your name and email address."
    );
    let styles = part(&docx, "word/styles.xml").unwrap();
    assert!(styles.contains(r#"w:styleId="Heading2""#), "{styles}");
}

#[test]
fn docx_goes_to_a_pipe_but_not_to_a_terminal() {
    let dir = TestDir::new();
    let old = support::bundled_policy();
    let new = support::bundled_draft();
    let out = dir
        .cmd()
        .arg("diff")
        .arg(&old)
        .arg(&new)
        .args(["-f", "docx"])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", support::stderr(&out));
    assert!(
        out.stdout.starts_with(b"PK\x03\x04"),
        "not a zip on the pipe"
    );
    assert!(part(&out.stdout, "word/document.xml").is_some());
    // On a terminal (util-linux `script` gives the command a pty): refused.
    let script = Path::new("/usr/bin/script");
    if !script.is_file() {
        skip("the terminal refusal test needs util-linux `script`");
        return;
    }
    let bin = assert_cmd::cargo::cargo_bin("policydiff");
    let cmdline = format!(
        "{} diff {} {} -f docx",
        bin.display(),
        old.display(),
        new.display()
    );
    let out = std::process::Command::new(script)
        .args(["-qec", &cmdline, "/dev/null"])
        .env("NO_COLOR", "1")
        .output()
        .unwrap();
    let shown = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(2), "{shown}");
    assert!(
        shown.contains(
            "policydiff: error: --format docx writes a binary Word file: give -o FILE.docx"
        ),
        "{shown}"
    );
    assert!(!shown.contains("PK"), "{shown}");
}

// ---------------------------------------------------------------------------
// Headless LibreOffice
// ---------------------------------------------------------------------------

/// Skip loudly, or fail under CI=true (as the Chromium tests do).
fn skip(what: &str) {
    let msg = format!("SKIPPED: {what}");
    support::skip_loudly(&msg);
}

/// Why the LibreOffice checks cannot run here, if they cannot.
fn libreoffice_missing() -> Option<String> {
    let runs = |cmd: &str, arg: &str| {
        std::process::Command::new(cmd)
            .arg(arg)
            .output()
            .is_ok_and(|o| o.status.success() || !o.stdout.is_empty() || !o.stderr.is_empty())
    };
    let mut missing = Vec::new();
    if !runs("soffice", "--version") {
        missing.push("`soffice` (Debian: apt-get install libreoffice-writer-nogui)".to_owned());
    }
    for tool in ["pdftotext", "pdftoppm"] {
        if !runs(tool, "-v") {
            missing.push(format!("`{tool}` (Debian: apt-get install poppler-utils)"));
        }
    }
    (!missing.is_empty()).then(|| missing.join(", "))
}

/// A LibreOffice with a private profile, so parallel runs don't clash.
struct Office {
    profile: tempfile::TempDir,
}

/// Accepts or rejects every tracked change, then exports a PDF.
const MACRO: &str = r#"<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE script:module PUBLIC "-//OpenOffice.org//DTD OfficeDocument 1.0//EN" "module.dtd">
<script:module xmlns:script="http://openoffice.org/2000/script" script:name="Module1" script:language="StarBasic">
Sub AllChanges(command As String, inUrl As String, outUrl As String)
  Dim args(0) As New com.sun.star.beans.PropertyValue
  args(0).Name = &quot;Hidden&quot;
  args(0).Value = True
  doc = StarDesktop.loadComponentFromURL(inUrl, &quot;_blank&quot;, 0, args())
  dispatcher = createUnoService(&quot;com.sun.star.frame.DispatchHelper&quot;)
  dispatcher.executeDispatch(doc.getCurrentController().getFrame(), command, &quot;&quot;, 0, Array())
  Dim pdf(0) As New com.sun.star.beans.PropertyValue
  pdf(0).Name = &quot;FilterName&quot;
  pdf(0).Value = &quot;writer_pdf_Export&quot;
  doc.storeToURL(outUrl, pdf())
  doc.close(True)
End Sub
</script:module>
"#;

impl Office {
    fn new() -> Office {
        Office {
            profile: tempfile::Builder::new()
                .prefix("policydiff-soffice-")
                .tempdir()
                .unwrap(),
        }
    }

    fn soffice(&self) -> assert_cmd::Command {
        let mut cmd = assert_cmd::Command::new("soffice");
        cmd.arg(format!(
            "-env:UserInstallation=file://{}",
            self.profile.path().display()
        ))
        .arg("--headless")
        .timeout(Duration::from_secs(180));
        cmd
    }

    /// The document as LibreOffice shows it (changes shown), as PDF.
    fn pdf(&self, docx: &Path, outdir: &Path) -> PathBuf {
        let out = self
            .soffice()
            .args(["--convert-to", "pdf", "--outdir"])
            .arg(outdir)
            .arg(docx)
            .output()
            .expect("run soffice");
        let pdf = outdir.join(docx.with_extension("pdf").file_name().unwrap());
        assert!(
            pdf.is_file(),
            "soffice wrote no PDF ({}):{}",
            out.status,
            banners(&[
                ("stdout", &String::from_utf8_lossy(&out.stdout)),
                ("stderr", &String::from_utf8_lossy(&out.stderr))
            ])
        );
        pdf
    }

    /// The document with every change accepted (`accept`) or rejected, as PDF.
    fn all_changes(&self, docx: &Path, accept: bool, pdf: &Path) {
        let module = self.profile.path().join("user/basic/Standard/Module1.xba");
        if !module.is_file() {
            // The profile is made on the first start; the macro goes into it.
            let _ = self.soffice().arg("--terminate_after_init").output();
        }
        assert!(module.is_file(), "no Basic library in the new profile");
        std::fs::write(&module, MACRO).unwrap();
        let command = if accept {
            ".uno:AcceptAllTrackedChanges"
        } else {
            ".uno:RejectAllTrackedChanges"
        };
        let _ = std::fs::remove_file(pdf);
        let out = self
            .soffice()
            .arg(format!(
                "macro:///Standard.Module1.AllChanges(\"{command}\",\"file://{}\",\"file://{}\")",
                docx.display(),
                pdf.display()
            ))
            .output()
            .expect("run soffice");
        assert!(
            pdf.is_file(),
            "the macro wrote no PDF ({}): {}",
            out.status,
            String::from_utf8_lossy(&out.stderr)
        );
    }
}

/// The body text of a PDF (the page header and footer cropped off), as its
/// letters and digits only: line breaks, hyphenation and Markdown marks
/// then cannot make a difference, and a missing or extra word still does.
fn pdf_letters(pdf: &Path) -> String {
    // A4 in points; the body lies between the 1985- and 1701-twip margins.
    let out = std::process::Command::new("pdftotext")
        .args(["-x", "0", "-y", "85", "-W", "596", "-H", "672"])
        .arg(pdf)
        .arg("-")
        .output()
        .expect("run pdftotext");
    assert!(out.status.success(), "pdftotext failed");
    letters(&String::from_utf8_lossy(&out.stdout))
}

fn letters(s: &str) -> String {
    s.chars().filter(|c| c.is_alphanumeric()).collect()
}

/// A Markdown version's text as letters and digits (front-matter fences and
/// heading marks carry none).
fn markdown_letters(md: &str) -> String {
    letters(md)
}

/// Where two letter strings first differ, for a readable failure.
#[track_caller]
fn assert_same_letters(what: &str, want: &str, got: &str) {
    if want == got {
        return;
    }
    let at = want
        .chars()
        .zip(got.chars())
        .take_while(|(a, b)| a == b)
        .count();
    let show = |s: &str| {
        s.chars()
            .skip(at.saturating_sub(40))
            .take(120)
            .collect::<String>()
    };
    panic!(
        "{what}: differs at letter {at} (lengths {} and {}){}",
        want.chars().count(),
        got.chars().count(),
        banners(&[("expected", &show(want)), ("LibreOffice", &show(got))])
    );
}

fn artifact_dir() -> PathBuf {
    let tmp = Path::new(env!("CARGO_TARGET_TMPDIR"));
    tmp.parent().unwrap_or(tmp).join("test-artifacts")
}

/// Shown, every inserted and deleted run is on the page; accepted, the
/// document is the new version; rejected, the old one.
fn check_in_libreoffice(
    name: &str,
    docx: &[u8],
    report: &Value,
    old_md: &str,
    new_md: &str,
    case_insensitive_reject: bool,
) {
    let office = Office::new();
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join(format!("{name}.docx"));
    std::fs::write(&path, docx).unwrap();
    let shown = office.pdf(&path, dir.path());
    let shown_text = pdf_letters(&shown);
    let (runs, _) = expected(report);
    for (kind, text) in &runs {
        let l = letters(text);
        assert!(
            shown_text.contains(&l),
            "{kind} {text:?} is not shown by LibreOffice"
        );
    }
    // Both kinds are on the page: the view shows deletions too.
    assert!(runs.iter().any(|(k, _)| k == "del") && runs.iter().any(|(k, _)| k == "ins"));
    // A first-page screenshot to look at.
    let artifacts = artifact_dir();
    std::fs::create_dir_all(&artifacts).unwrap();
    let png = artifacts.join(format!("docx-{name}"));
    let st = std::process::Command::new("pdftoppm")
        .args(["-png", "-r", "60", "-f", "1", "-l", "1", "-singlefile"])
        .arg(&shown)
        .arg(&png)
        .status()
        .expect("run pdftoppm");
    assert!(st.success());
    let shot = std::fs::read(png.with_extension("png")).unwrap();
    assert!(
        shot.starts_with(b"\x89PNG") && shot.len() > 10_000,
        "{} bytes",
        shot.len()
    );
    std::fs::copy(&shown, artifacts.join(format!("docx-{name}.pdf"))).unwrap();

    let accepted = dir.path().join("accepted.pdf");
    office.all_changes(&path, true, &accepted);
    assert_same_letters(
        "all changes accepted",
        &markdown_letters(new_md),
        &pdf_letters(&accepted),
    );
    let rejected = dir.path().join("rejected.pdf");
    office.all_changes(&path, false, &rejected);
    let (mut want, mut got) = (markdown_letters(old_md), pdf_letters(&rejected));
    if case_insensitive_reject {
        // Unchanged runs of an edited clause show the new spelling (a
        // change of case is editorial), so rejecting gives the old words
        // in the new case.
        want = want.to_lowercase();
        got = got.to_lowercase();
    }
    assert_same_letters("all changes rejected", &want, &got);
}

#[test]
fn crafted_pair_in_libreoffice_shows_accepts_and_rejects_every_change() {
    if let Some(missing) = libreoffice_missing() {
        skip(&format!("the Word redline test needs {missing}"));
        return;
    }
    let repo = crafted_repo();
    let (report, docx) = both(&repo, "HEAD~1", "HEAD");
    check_in_libreoffice("crafted", &docx, &report, OLD, NEW, false);
}

#[test]
fn bundled_pair_in_libreoffice_shows_accepts_and_rejects_every_change() {
    if let Some(missing) = libreoffice_missing() {
        skip(&format!("the Word redline test needs {missing}"));
        return;
    }
    let dir = TestDir::new();
    let (report, docx) = bundled(&dir);
    let old = std::fs::read_to_string(support::bundled_policy()).unwrap();
    let new = std::fs::read_to_string(support::bundled_draft()).unwrap();
    check_in_libreoffice("bundled", &docx, &report, &old, &new, true);
}
