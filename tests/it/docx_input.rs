//! Word documents as versions (issue 14): `.docx` files made by tools we did
//! not write (pandoc, LibreOffice) and by docx-rs's writer, read back through
//! the real binary. Numbering labels are checked against what LibreOffice
//! itself draws (its PDF export, read with `pdftotext`).
//!
//! pandoc, LibreOffice (`soffice`) and `pdftotext` must be installed
//! (`bash .ci/run` installs them); without them a test skips loudly, and
//! under `CI=true` the skip is a failure.

use crate::support::{self, TestDir, TestRepo, json, run_err, run_ok};

use std::io::{Cursor, Write};
use std::path::Path;
use std::process::Command;

use docx_rs::{
    AbstractNumbering, Comment, Delete, Docx, IndentLevel, Insert, Level, LevelJc, LevelOverride,
    LevelText, NumberFormat, Numbering, NumberingId, Paragraph, Run, Start, Style, StyleType,
};

/// The tools a test needs, or a loud skip (a failure under `CI=true`).
fn tools(names: &[&str]) -> bool {
    let missing: Vec<&str> = names
        .iter()
        .copied()
        .filter(|t| {
            Command::new(t).arg("--version").output().map_or(true, |o| {
                !o.status.success() && o.stdout.is_empty() && o.stderr.is_empty()
            })
        })
        .collect();
    if missing.is_empty() {
        return true;
    }
    let msg = format!(
        "SKIPPED: Word-document test needs {} (Debian: apt-get install pandoc libreoffice-writer-nogui poppler-utils)",
        missing.join(", ")
    );
    support::skip_loudly(&msg);
    false
}

#[track_caller]
fn tool(dir: &Path, program: &str, args: &[&str]) {
    let mut cmd = Command::new(program);
    cmd.current_dir(dir).args(args);
    if program == "soffice" {
        // A profile of its own: no clash with another LibreOffice running.
        cmd.arg(format!(
            "-env:UserInstallation=file://{}",
            dir.join("lo-profile").display()
        ));
    }
    let out = cmd
        .output()
        .unwrap_or_else(|e| panic!("run {program}: {e}"));
    assert!(
        out.status.success(),
        "{program} {args:?} failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
}

/// Quotes as pandoc's `smart` extension writes them, made straight.
fn straight(s: &str) -> String {
    s.replace(['’', '‘'], "'").replace(['“', '”'], "\"")
}

/// `diff policies/privacy-policy.md DOCX` reports no substantive change,
/// and every editorial item is explained: pandoc's Markdown reader turns
/// straight quotes into typographic ones (its `smart` extension), so the
/// document really differs there, and only there.
fn assert_same_policy(dir: &TestDir, docx: &str, quotes_may_differ: bool) {
    let policy = support::bundled_policy();
    let report = json(&run_ok(dir.cmd().args([
        "diff",
        policy.to_str().expect("path"),
        docx,
        "--format",
        "json",
    ])));
    assert_eq!(
        report["classification"], "none",
        "{docx}: {:#}",
        report["stats"]
    );
    let stats = &report["stats"];
    for k in ["added", "removed", "modified", "moved"] {
        assert_eq!(stats[k], 0, "{docx}: {k} in {stats:#}");
    }
    let changes = report["changes"].as_array().expect("changes");
    if !quotes_may_differ {
        assert!(changes.is_empty(), "{docx}: {changes:#?}");
    }
    for c in changes {
        assert_eq!(c["kind"], "editorial", "{docx}: {c:#}");
        let (old, new) = (
            c["old"]["text"].as_str().expect("old"),
            c["new"]["text"].as_str().expect("new"),
        );
        assert_ne!(old, new, "{docx}: {c:#}");
        assert_eq!(
            straight(old),
            straight(new),
            "{docx}: an editorial item other than quote marks: {c:#}"
        );
        assert_eq!(c["old"]["label"], c["new"]["label"], "{docx}: {c:#}");
        assert_eq!(c["old"]["section"], c["new"]["section"], "{docx}: {c:#}");
    }
    assert_eq!(report["notes"].as_array().map(Vec::len), Some(0));
}

#[test]
fn pandoc_docx_of_the_bundled_policy_is_the_same_policy() {
    if !tools(&["pandoc"]) {
        return;
    }
    let dir = TestDir::new();
    let policy = support::bundled_policy();
    let p = policy.to_str().expect("path");
    tool(dir.path(), "pandoc", &[p, "-o", "smart.docx"]);
    tool(
        dir.path(),
        "pandoc",
        &["-f", "markdown-smart", p, "-o", "plain.docx"],
    );
    assert_same_policy(&dir, "smart.docx", true);
    assert_same_policy(&dir, "plain.docx", false);
    // The front matter comes back from the document's properties.
    let out = run_ok(
        dir.cmd()
            .args(["diff", p, "plain.docx", "--format", "json"]),
    );
    let report = json(&out);
    assert_eq!(
        report["new"]["title"], report["old"]["title"],
        "{:#}",
        report["new"]
    );
}

#[test]
fn libreoffice_docx_of_the_bundled_policy_is_the_same_policy() {
    if !tools(&["pandoc", "soffice"]) {
        return;
    }
    let dir = TestDir::new();
    let policy = support::bundled_policy();
    let p = policy.to_str().expect("path");
    tool(dir.path(), "pandoc", &[p, "-o", "smart.odt"]);
    // From ODT, not HTML: pandoc's HTML has no `effective` field, shows the
    // title block as a heading, and writes `1)` lists as `<ol>` (drawn `1.`),
    // three real differences of that document, not of reading Word.
    tool(
        dir.path(),
        "pandoc",
        &["-f", "markdown-smart", p, "-o", "plain.odt"],
    );
    for src in ["smart.odt", "plain.odt"] {
        tool(
            dir.path(),
            "soffice",
            &["--headless", "--convert-to", "docx:MS Word 2007 XML", src],
        );
    }
    assert_same_policy(&dir, "smart.docx", true);
    assert_same_policy(&dir, "plain.docx", false);
}

fn level(i: usize, format: &str, text: &str) -> Level {
    Level::new(
        i,
        Start::new(1),
        NumberFormat::new(format),
        LevelText::new(text),
        LevelJc::new("left"),
    )
    .indent(Some(720 * (i as i32 + 1)), None, None, None)
}

/// Three levels of Word numbering in two instances of one definition, the
/// second restarting at 1; then a two-level `%1.`/`%1.%2` list whose second
/// instance restarts only level 2 (its items keep the parent's number) and
/// whose third redefines level 1 with a start of its own, but no
/// `startOverride` (LibreOffice continues the count).
/// Each paragraph's text is one code word.
fn numbered_docx() -> (Vec<u8>, Vec<&'static str>) {
    let items: [(usize, usize, &str); 22] = [
        (10, 0, "Alpha"),
        (10, 1, "Bravo"),
        (10, 1, "Charlie"),
        (10, 2, "Delta"),
        (10, 2, "Echo"),
        (10, 1, "Foxtrot"),
        (10, 0, "Golf"),
        (10, 1, "Hotel"),
        (10, 2, "India"),
        (0, 0, "Interlude"),
        (11, 0, "Juliet"),
        (11, 1, "Kilo"),
        (11, 0, "Lima"),
        (10, 0, "Mike"),
        (30, 0, "November"),
        (30, 1, "Oscar"),
        (30, 1, "Papa"),
        (30, 0, "Quebec"),
        (31, 1, "Romeo"),
        (31, 1, "Sierra"),
        (32, 0, "Tango"),
        (32, 0, "Uniform"),
    ];
    let mut docx = Docx::new()
        .add_abstract_numbering(
            AbstractNumbering::new(10)
                .add_level(level(0, "decimal", "%1."))
                .add_level(level(1, "lowerLetter", "(%2)"))
                .add_level(level(2, "lowerRoman", "%3)")),
        )
        .add_numbering(Numbering::new(10, 10))
        .add_numbering(Numbering::new(11, 10).add_override(LevelOverride::new(0).start(1)))
        .add_abstract_numbering(
            AbstractNumbering::new(30)
                .add_level(level(0, "decimal", "%1."))
                .add_level(level(1, "decimal", "%1.%2")),
        )
        .add_numbering(Numbering::new(30, 30))
        .add_numbering(Numbering::new(31, 30).add_override(LevelOverride::new(1).start(1)))
        .add_numbering(
            Numbering::new(32, 30).add_override(
                LevelOverride::new(0).level(
                    Level::new(
                        0,
                        Start::new(7),
                        NumberFormat::new("decimal"),
                        LevelText::new("%1."),
                        LevelJc::new("left"),
                    )
                    .indent(Some(720), None, None, None),
                ),
            ),
        );
    for &(num, ilvl, word) in &items {
        let mut p = Paragraph::new().add_run(Run::new().add_text(word));
        if num != 0 {
            p = p.numbering(NumberingId::new(num), IndentLevel::new(ilvl));
        }
        docx = docx.add_paragraph(p);
    }
    let mut buf = Cursor::new(Vec::new());
    docx.build().pack(&mut buf).expect("pack docx");
    (buf.into_inner(), items.iter().map(|i| i.2).collect())
}

/// Each code word's label as our converter computes it (through the
/// document layer, as `diff` sees it).
fn our_labels(bytes: &[u8]) -> std::collections::HashMap<String, String> {
    use policydiff::convert::docx::{View, to_markdown};
    use policydiff::document::{Document, Format};
    let md = to_markdown(bytes, View::Accepted, 64 << 20)
        .expect("convert")
        .markdown;
    let doc = Document::parse(&md, Format::Markdown);
    doc.clauses
        .iter()
        .map(|c| (c.text.clone(), c.label.clone().unwrap_or_default()))
        .collect()
}

#[test]
fn word_numbering_labels_are_the_ones_libreoffice_draws() {
    if !tools(&["soffice", "pdftotext"]) {
        return;
    }
    let dir = TestDir::new();
    let (bytes, words) = numbered_docx();
    dir.write("numbered.docx", &bytes);
    tool(
        dir.path(),
        "soffice",
        &["--headless", "--convert-to", "pdf", "numbered.docx"],
    );
    tool(
        dir.path(),
        "pdftotext",
        &["-layout", "numbered.pdf", "numbered.txt"],
    );
    let text = String::from_utf8(dir.read("numbered.txt")).expect("utf-8");
    let ours = our_labels(&bytes);
    let mut restart_seen = false;
    for word in words {
        // pdftotext may close up a label and its text ("(a)Bravo").
        let line = text
            .lines()
            .find(|l| l.trim_end().ends_with(word))
            .unwrap_or_else(|| panic!("{word} not in LibreOffice's PDF:\n{text}"));
        let drawn = line.trim_end().strip_suffix(word).unwrap_or("").trim();
        assert_eq!(
            ours.get(word).map(String::as_str),
            Some(drawn),
            "{word}: LibreOffice draws {drawn:?}\n{text}"
        );
        restart_seen |= word == "Juliet" && drawn == "1.";
    }
    assert!(restart_seen, "the second instance restarts:\n{text}");
    assert_eq!(
        ours.get("Romeo").map(String::as_str),
        Some("2.1"),
        "a restart of level 2 keeps level 1's number"
    );
    // And through the binary: the labels are the clauses' labels.
    let out =
        run_ok(
            dir.cmd()
                .args(["diff", "numbered.docx", "numbered.docx", "--format", "json"]),
        );
    assert_eq!(json(&out)["stats"]["unchanged"], 22);
}

/// A draft with tracked changes by a lawyer and a comment.
fn tracked_docx() -> Vec<u8> {
    let text = |s: &str| Run::new().add_text(s);
    let item = |p: Paragraph| p.numbering(NumberingId::new(20), IndentLevel::new(0));
    let docx = Docx::new()
        .add_style(Style::new("Heading1", StyleType::Paragraph).name("heading 1"))
        .add_abstract_numbering(AbstractNumbering::new(20).add_level(level(0, "decimal", "%1.")))
        .add_numbering(Numbering::new(20, 20))
        .add_paragraph(
            Paragraph::new()
                .style("Heading1")
                .add_run(text("Data we collect")),
        )
        .add_paragraph(
            Paragraph::new().add_insert(
                Insert::new(text(
                    "We share your precise location with advertising partners.",
                ))
                .author("Lawyer"),
            ),
        )
        .add_paragraph(item(
            Paragraph::new()
                .add_run(text("We collect your email address"))
                .add_insert(Insert::new(text(" and your phone number")).author("Lawyer"))
                .add_run(text(" to create your account.")),
        ))
        .add_paragraph(item(
            Paragraph::new()
                .add_comment_start(Comment::new(1).author("Alice").add_paragraph(
                    Paragraph::new().add_run(text("Check the retention law first.")),
                ))
                .add_run(text("We keep your data for "))
                .add_delete(
                    Delete::new()
                        .author("Lawyer")
                        .add_run(Run::new().add_delete_text("two years")),
                )
                .add_insert(Insert::new(text("five years")).author("Lawyer"))
                .add_run(text(" after you close your account."))
                .add_comment_end(1),
        ))
        .add_paragraph(item(Paragraph::new().add_run(text(
            "We protect your data with encryption in transit and at rest.",
        ))))
        .add_paragraph(
            Paragraph::new().add_delete(
                Delete::new().author("Lawyer").add_run(
                    Run::new().add_delete_text("We never sell your personal information."),
                ),
            ),
        );
    let mut buf = Cursor::new(Vec::new());
    docx.build().pack(&mut buf).expect("pack docx");
    buf.into_inner()
}

/// The changes of a report as (kind, old text, new text).
fn changes(report: &serde_json::Value) -> Vec<(String, String, String)> {
    report["changes"]
        .as_array()
        .expect("changes")
        .iter()
        .map(|c| {
            let t = |side: &str| c[side]["text"].as_str().unwrap_or("").to_owned();
            (
                c["kind"].as_str().unwrap_or("").to_owned(),
                t("old"),
                t("new"),
            )
        })
        .collect()
}

#[test]
fn tracked_changes_are_two_versions_and_comments_are_notes() {
    let dir = TestDir::new();
    dir.write("draft.docx", tracked_docx());
    let report = json(&run_ok(dir.cmd().args([
        "diff",
        "draft.docx#original",
        "draft.docx",
        "--format",
        "json",
    ])));
    let mut got = changes(&report);
    got.sort();
    let mut want: Vec<(String, String, String)> = [
        (
            "added",
            "",
            "We share your precise location with advertising partners.",
        ),
        (
            "modified",
            "We collect your email address to create your account.",
            "We collect your email address and your phone number to create your account.",
        ),
        (
            "modified",
            "We keep your data for two years after you close your account.",
            "We keep your data for five years after you close your account.",
        ),
        ("removed", "We never sell your personal information.", ""),
    ]
    .iter()
    .map(|(k, o, n)| (k.to_string(), o.to_string(), n.to_string()))
    .collect();
    want.sort();
    assert_eq!(got, want, "{:#}", report["changes"]);
    assert_ne!(
        report["classification"], "none",
        "{:#}",
        report["classification"]
    );
    assert_eq!(report["old"]["path"], "draft.docx#original");
    let notes: Vec<&str> = report["notes"]
        .as_array()
        .expect("notes")
        .iter()
        .filter_map(|n| n.as_str())
        .collect();
    assert_eq!(
        notes,
        ["comment by Alice on clause 2.: Check the retention law first."],
        "one note, once, though both sides carry it"
    );
    // The same two views of a committed draft, by revision.
    let repo = TestRepo::new();
    repo.write("legal/draft.docx", tracked_docx());
    repo.commit(&[], "draft from legal", "2025-01-01T10:00:00Z");
    let by_rev = json(&run_ok(repo.cmd().args([
        "diff",
        "HEAD:legal/draft.docx#original",
        "HEAD:legal/draft.docx",
        "--format",
        "json",
    ])));
    let mut got = changes(&by_rev);
    got.sort();
    assert_eq!(got, want);
    // Without tracked changes both views are the same text.
    dir.write("numbered.docx", numbered_docx().0);
    let same = json(&run_ok(dir.cmd().args([
        "diff",
        "numbered.docx#original",
        "numbered.docx",
        "--format",
        "json",
    ])));
    assert_eq!(same["changes"].as_array().map(Vec::len), Some(0));
}

/// A zip of `entries`, deflated.
pub(crate) fn zip_of(entries: &[(&str, &[u8])]) -> Vec<u8> {
    let mut w = zip::ZipWriter::new(Cursor::new(Vec::new()));
    let options = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated);
    for (name, data) in entries {
        w.start_file(*name, options).expect("zip entry");
        w.write_all(data).expect("zip write");
    }
    w.finish().expect("zip finish").into_inner()
}

/// A minimal document.xml around `body`.
pub(crate) fn document_xml(prolog: &str, body: &str) -> Vec<u8> {
    format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>{prolog}<w:document xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\"><w:body>{body}</w:body></w:document>"
    )
    .into_bytes()
}

/// A zip whose directory declares `declared` bytes for its document, a
/// bomb as far as any reader that trusts it goes (the bytes behind it are
/// a small valid document).
pub(crate) fn zip_bomb(declared: u32) -> Vec<u8> {
    let mut z = zip_of(&[(
        "word/document.xml",
        &document_xml(
            "",
            "<w:p><w:r><w:t>We collect your email address.</w:t></w:r></w:p>",
        ),
    )]);
    // Uncompressed size: offset 22 of the local header, 24 of the central one.
    for (sig, at) in [(0x04034b50u32, 22usize), (0x02014b50, 24)] {
        let sig = sig.to_le_bytes();
        let pos = z.windows(4).position(|w| w == sig).expect("zip header");
        z[pos + at..pos + at + 4].copy_from_slice(&declared.to_le_bytes());
    }
    z
}

/// A zip whose document really inflates to 80 MiB (of spaces inside one
/// `w:t`) while its headers declare 1 KiB: a reader must not trust them.
pub(crate) fn lying_zip_bomb() -> Vec<u8> {
    let mut body = b"<w:p><w:r><w:t>".to_vec();
    body.resize(body.len() + (80 << 20), b' ');
    body.extend_from_slice(b"</w:t></w:r></w:p>");
    let xml = document_xml("", std::str::from_utf8(&body).expect("ascii"));
    let mut z = zip_of(&[("word/document.xml", &xml)]);
    for (sig, at) in [(0x04034b50u32, 22usize), (0x02014b50, 24)] {
        let sig = sig.to_le_bytes();
        let pos = z.windows(4).position(|w| w == sig).expect("zip header");
        z[pos + at..pos + at + 4].copy_from_slice(&1024u32.to_le_bytes());
    }
    z
}

/// Entity expansion ("billion laughs") in document.xml.
pub(crate) fn billion_laughs() -> Vec<u8> {
    let mut dtd = String::from("<!DOCTYPE w:document [<!ENTITY lol \"lol\">");
    for i in 1..10 {
        let prev = if i == 1 {
            "lol".to_owned()
        } else {
            format!("lol{}", i - 1)
        };
        dtd.push_str(&format!(
            "<!ENTITY lol{i} \"{}\">",
            format!("&{prev};").repeat(10)
        ));
    }
    dtd.push(']');
    dtd.push('>');
    zip_of(&[(
        "word/document.xml",
        &document_xml(&dtd, "<w:p><w:r><w:t>&lol9;</w:t></w:r></w:p>"),
    )])
}

/// A table with one row `wide` cells wide and `long` rows of one cell:
/// padded to its widest row, `wide` × `long` cells.
pub(crate) fn wide_table(wide: usize, long: usize) -> Vec<u8> {
    let cell = "<w:tc><w:p><w:r><w:t>x</w:t></w:r></w:p></w:tc>";
    let mut body = String::from("<w:tbl><w:tr>");
    body.push_str(&cell.repeat(wide));
    body.push_str("</w:tr>");
    body.push_str(&format!("<w:tr>{cell}</w:tr>").repeat(long));
    body.push_str("</w:tbl>");
    zip_of(&[("word/document.xml", &document_xml("", &body))])
}

/// One paragraph anchoring `n` distinct comments.
pub(crate) fn many_comment_anchors(n: usize) -> Vec<u8> {
    let mut body = String::from("<w:p>");
    for i in 0..n {
        body.push_str(&format!("<w:commentRangeStart w:id=\"{i}\"/>"));
    }
    body.push_str("<w:r><w:t>We collect your name.</w:t></w:r></w:p>");
    zip_of(&[("word/document.xml", &document_xml("", &body))])
}

/// `n` fields nested in one another (each past its code), then `n` runs.
pub(crate) fn nested_fields(n: usize) -> Vec<u8> {
    let mut body = String::from("<w:p>");
    let field = "<w:r><w:fldChar w:fldCharType=\"begin\"/></w:r><w:r><w:fldChar w:fldCharType=\"separate\"/></w:r>";
    body.push_str(&field.repeat(n));
    body.push_str(&"<w:r><w:t>x</w:t></w:r>".repeat(n));
    body.push_str("</w:p>");
    zip_of(&[("word/document.xml", &document_xml("", &body))])
}

/// A package without word/document.xml.
pub(crate) fn no_document() -> Vec<u8> {
    zip_of(&[("word/styles.xml", b"<w:styles/>".as_slice())])
}

/// document.xml nested `depth` elements deep.
pub(crate) fn deeply_nested(depth: usize) -> Vec<u8> {
    let body = format!(
        "{}<w:p><w:r><w:t>Deep.</w:t></w:r></w:p>{}",
        "<w:sdt><w:sdtContent>".repeat(depth),
        "</w:sdtContent></w:sdt>".repeat(depth)
    );
    zip_of(&[("word/document.xml", &document_xml("", &body))])
}

#[test]
fn hostile_word_documents_are_refused_by_name() {
    let dir = TestDir::new();
    dir.write("p.md", support::policy_text(1));
    for (file, bytes, needles) in [
        (
            "bomb.docx",
            zip_bomb(3 << 30),
            &["bomb.docx", "zip bomb"][..],
        ),
        ("laughs.docx", billion_laughs(), &["laughs.docx", "DOCTYPE"]),
        (
            "empty.docx",
            no_document(),
            &["empty.docx", "word/document.xml"],
        ),
        (
            "deep.docx",
            deeply_nested(100_000),
            &["deep.docx", "nested deeper"],
        ),
        (
            "text.docx",
            support::policy_text(1).into_bytes(),
            &["text.docx", "not a zip"],
        ),
    ] {
        dir.write(file, &bytes);
        run_err(dir.cmd().args(["diff", "p.md", file]), needles);
        let suffixed = format!("{file}#original");
        run_err(dir.cmd().args(["diff", &suffixed, "p.md"]), needles);
    }
}

#[test]
fn fields_tables_and_links_read_as_displayed() {
    use docx_rs::{FieldCharType, Hyperlink, HyperlinkType, InstrText, Table, TableCell, TableRow};
    let cell =
        |s: &str| TableCell::new().add_paragraph(Paragraph::new().add_run(Run::new().add_text(s)));
    let docx = Docx::new()
        .add_paragraph(
            Paragraph::new()
                .add_run(Run::new().add_text("Effective on "))
                .add_run(Run::new().add_field_char(FieldCharType::Begin, false))
                .add_run(Run::new().add_instr_text(InstrText::Unsupported("DATE \\@ yyyy".into())))
                .add_run(Run::new().add_field_char(FieldCharType::Separate, false))
                .add_run(Run::new().add_text("2025"))
                .add_run(Run::new().add_field_char(FieldCharType::End, false))
                .add_run(Run::new().add_text(".")),
        )
        .add_paragraph(
            Paragraph::new()
                .add_run(Run::new().add_text("Write to "))
                .add_hyperlink(
                    Hyperlink::new("https://example.com/contact", HyperlinkType::External)
                        .add_run(Run::new().add_text("our privacy team")),
                ),
        )
        .add_table(Table::new(vec![
            TableRow::new(vec![cell("Data"), cell("Kept for")]),
            TableRow::new(vec![cell("Email *address*"), cell("2 years")]),
        ]));
    let mut buf = Cursor::new(Vec::new());
    docx.build().pack(&mut buf).expect("pack");
    let md = policydiff::convert::docx::to_markdown(
        buf.get_ref(),
        policydiff::convert::docx::View::Accepted,
        64 << 20,
    )
    .expect("convert")
    .markdown;
    let doc = policydiff::document::Document::parse(&md, policydiff::document::Format::Markdown);
    let texts: Vec<&str> = doc.clauses.iter().map(|c| c.text.as_str()).collect();
    assert_eq!(
        texts,
        [
            "Effective on 2025.",
            "Write to our privacy team",
            "Data | Kept for",
            "Email *address* | 2 years"
        ],
        "{md}"
    );
    assert_eq!(
        doc.clauses[1].links,
        ["https://example.com/contact"],
        "{md}"
    );
}

/// Counts of a Report that say whether anything substantive changed.
fn substantive(report: &serde_json::Value) -> (String, u64, u64, u64, u64) {
    let s = &report["stats"];
    (
        report["classification"].as_str().unwrap_or("?").to_owned(),
        s["added"].as_u64().unwrap_or(99),
        s["removed"].as_u64().unwrap_or(99),
        s["modified"].as_u64().unwrap_or(99),
        s["moved"].as_u64().unwrap_or(99),
    )
}

/// Issue 14's round trip of issue 12's output: the Word redline that
/// `diff --format docx` writes, read back with its changes rejected, is the
/// old version, and with them accepted the new one.
#[test]
fn our_word_redline_reads_back_as_the_old_and_the_new_version() {
    let dir = TestDir::new();
    let (old, new) = (support::bundled_policy(), support::bundled_draft());
    let redline = dir.join("redline.docx");
    support::run_ok(
        dir.cmd()
            .arg("diff")
            .arg(&old)
            .arg(&new)
            .args(["--format", "docx", "-o"])
            .arg(&redline),
    );
    let json = |a: &str, b: &str| -> serde_json::Value {
        let out = dir
            .cmd()
            .args(["diff", a, b, "--format", "json"])
            .output()
            .expect("run");
        assert!(
            out.status.code() == Some(0),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        serde_json::from_slice(&out.stdout).expect("report")
    };
    let (old, new) = (old.display().to_string(), new.display().to_string());
    let original = format!("{}#original", redline.display());
    let accepted = redline.display().to_string();
    for (a, b, what) in [
        (
            &old,
            &original,
            "old version vs the redline with changes rejected",
        ),
        (
            &new,
            &accepted,
            "new version vs the redline with changes accepted",
        ),
    ] {
        let report = json(a, b);
        assert_eq!(
            substantive(&report),
            ("none".to_owned(), 0, 0, 0, 0),
            "{what}: {}",
            serde_json::to_string_pretty(&report["changes"]).unwrap()
        );
    }
    // And between the two readings, the same change as the Markdown pair.
    let direct = json(&old, &new);
    let through_word = json(&original, &accepted);
    assert_eq!(
        substantive(&through_word),
        substantive(&direct),
        "{}",
        serde_json::to_string_pretty(&through_word["changes"]).unwrap()
    );
    assert_eq!(
        through_word["triggers"]
            .as_array()
            .map(|t| t.iter().map(|t| t["id"].clone()).collect::<Vec<_>>()),
        direct["triggers"]
            .as_array()
            .map(|t| t.iter().map(|t| t["id"].clone()).collect::<Vec<_>>())
    );
}
