//! The bad-input matrix (issue 8, item 10): every class of bad input a user
//! or an attacker can hand the `policydiff` binary, one row each, run as a
//! real child process in its own temporary directory or git repository.
//!
//! Every row of [`error_rows`] must be refused the same way: exit code 2, one
//! line on stderr starting with `policydiff: error:` that names what is wrong
//! and where (file, line, field or flag), no panic text, nothing on stdout,
//! no raw control characters, and no file left behind, changed or destroyed.
//! [`accepted_rows`] holds odd inputs that must work (or at least not crash).
//! Each row runs under a hang timeout and a memory cap, so an unbounded read
//! fails its row instead of the machine.
//!
//! This file is the place to add the next bad input: one more row.
//! `cargo test --test bad_input -- --nocapture` lists every row as it runs;
//! add `MATRIX_VERBOSE=1` to see each row's stderr too. A failing run lists
//! all failing rows at once, each with its argv, what is wrong, and stderr.
//! Fixtures are generated here at run time (binary, UTF-16, 17 MiB, deep
//! nesting, FIFOs, device nodes); none is committed.

use crate::support;

use std::collections::BTreeMap;
use std::io::Read;
use std::os::unix::ffi::OsStrExt;
use std::os::unix::fs::{FileTypeExt, MetadataExt, PermissionsExt};
use std::os::unix::process::{CommandExt, ExitStatusExt};
use std::path::{Path, PathBuf};
use std::process::Stdio;
use std::time::{Duration, Instant};

use support::{DEFAULT_CONFIG, POLICY, TestDir, TestRepo, policy_text};

// ---------------------------------------------------------------------------
// Limits of every run
// ---------------------------------------------------------------------------

/// A row still running after this long is killed and fails as a hang. A
/// hang on hostile input is minutes or forever; the margin is for a debug
/// build on a loaded 2-core machine, with the other tests running beside.
const HANG_AFTER: Duration = Duration::from_secs(20);

/// Address-space cap of each child: an unbounded read (`/dev/zero`) fails
/// its row instead of exhausting a machine shared with other jobs. Far above
/// what any legitimate run needs, even with a big stack for deep parsing.
const MEMORY_CAP: u64 = 4 << 30;

/// The policy's size limit (README: "over 16 MiB").
const LIMIT: usize = 16 * 1024 * 1024;

// ---------------------------------------------------------------------------
// Grounds: the temporary directory or repository a row runs in
// ---------------------------------------------------------------------------

/// A plain directory or a git repository, with what the row's setup made.
enum Place {
    Dir(TestDir),
    Repo(TestRepo),
}

/// Where a row runs. Dropping it unlocks the read-only directories a setup
/// made, so the temporary directory can be removed.
struct Ground {
    place: Place,
    /// Why the row cannot run here (it is reported as skipped, never passed).
    skip: Option<String>,
    /// Directories made read-only (mode 0555, maybe `chattr +i`), unlocked on drop.
    locked: Vec<PathBuf>,
}

impl std::ops::Deref for Ground {
    type Target = TestDir;
    fn deref(&self) -> &TestDir {
        match &self.place {
            Place::Dir(d) => d,
            Place::Repo(r) => r,
        }
    }
}

impl Drop for Ground {
    fn drop(&mut self) {
        for p in &self.locked {
            let _ = std::process::Command::new("chattr")
                .arg("-i")
                .arg(p)
                .stderr(Stdio::null())
                .status();
            let _ = std::fs::set_permissions(p, std::fs::Permissions::from_mode(0o755));
        }
    }
}

impl Ground {
    fn dir(d: TestDir) -> Ground {
        Ground {
            place: Place::Dir(d),
            skip: None,
            locked: Vec::new(),
        }
    }

    fn repo(r: TestRepo) -> Ground {
        Ground {
            place: Place::Repo(r),
            skip: None,
            locked: Vec::new(),
        }
    }

    fn git(&self) -> &TestRepo {
        match &self.place {
            Place::Repo(r) => r,
            Place::Dir(_) => panic!("this ground is not a git repository"),
        }
    }

    /// The temporary root holding `work` (for files outside the repository).
    fn root(&self) -> PathBuf {
        self.path()
            .parent()
            .expect("work has a parent")
            .to_path_buf()
    }

    /// Run policydiff here for setup; it must succeed.
    fn setup_run(&self, args: &[&str]) {
        support::run_ok(self.cmd().args(args));
    }
}

/// A directory (not a repository) holding `present.md`, a valid policy.
fn plain() -> Ground {
    let g = Ground::dir(TestDir::new());
    g.write("present.md", policy_text(1));
    g
}

/// [`plain`] plus one file.
fn plain_with(name: &str, contents: impl AsRef<[u8]>) -> Ground {
    let g = plain();
    g.write(name, contents);
    g
}

/// A repository with policydiff.toml and three committed versions of the
/// policy at fixed dates, the first tagged `v1`.
fn history() -> Ground {
    Ground::repo(support::three_version_repo())
}

/// [`history`] with a different policydiff.toml in the working tree.
fn history_config(config: &str) -> Ground {
    history_config_bytes(config.as_bytes())
}

/// [`history_config`] for bytes that are no valid text.
fn history_config_bytes(config: &[u8]) -> Ground {
    let g = history();
    g.write("policydiff.toml", config);
    g
}

const EMAIL_CONFIG: &str = "\n[email]\nfrom = \"Privacy Team <privacy@example.com>\"\nreply_to = \"privacy@example.com\"\n";

/// The bundled policy released as `privacy-policy/2025-07-09`, the bundled
/// draft (a major change) in the working tree, `[email]` configured, and a
/// two-row recipient list `r.csv`.
fn released() -> Ground {
    let repo = TestRepo::new();
    let bundled = std::fs::read_to_string(support::bundled_policy()).expect("bundled policy");
    repo.commit(
        &[
            (
                "policydiff.toml",
                &format!("{DEFAULT_CONFIG}{EMAIL_CONFIG}"),
            ),
            (POLICY, &bundled),
        ],
        "Import policy",
        "2025-07-01T10:00:00Z",
    );
    let g = Ground::repo(repo);
    g.setup_run(&["release", "--effective", "2025-07-09"]);
    let draft = std::fs::read_to_string(support::bundled_draft()).expect("bundled draft");
    g.write(POLICY, draft);
    g.write(
        "r.csv",
        "email,name\nana@example.com,Ana\nli@example.com,Li\n",
    );
    g
}

/// [`released`] plus one file.
fn released_with(name: &str, contents: impl AsRef<[u8]>) -> Ground {
    let g = released();
    g.write(name, contents);
    g
}

/// [`released`] after a real `send` to `r.csv` through the file transport,
/// with its journal `j.jsonl` (whatever format the binary writes today).
fn journaled() -> Ground {
    let g = released();
    g.setup_run(&send(&["--recipients", "r.csv", "--journal", "j.jsonl"]));
    g
}

/// The lines of the journal [`journaled`] wrote.
fn journal_lines(g: &Ground) -> Vec<String> {
    String::from_utf8(g.read("j.jsonl"))
        .expect("journal is UTF-8")
        .lines()
        .map(str::to_owned)
        .collect()
}

/// `send` from the release to the working tree, mail to `file:out`.
fn send(extra: &[&'static str]) -> Vec<&'static str> {
    let mut v = vec![
        "send",
        "privacy-policy/2025-07-09",
        POLICY,
        "--notice-date",
        "2025-12-01",
    ];
    if !extra.contains(&"--transport") {
        v.extend(["--transport", "file:out"]);
    }
    v.extend_from_slice(extra);
    v
}

/// [`send`] with `--dry-run`.
fn send_dry(extra: &[&'static str]) -> Vec<&'static str> {
    let mut v = send(extra);
    v.push("--dry-run");
    v
}

// ---------------------------------------------------------------------------
// Generated fixtures
// ---------------------------------------------------------------------------

/// Deterministic bytes that are no text in any encoding.
fn noise(len: usize) -> Vec<u8> {
    let mut rng = fastrand::Rng::with_seed(8);
    (0..len).map(|_| rng.u8(..)).collect()
}

/// A policy text of `len` bytes or a little more, made of valid lines.
fn policy_of_size(len: usize) -> Vec<u8> {
    let line = "1. This line of policy text is repeated until the file is big enough.\n";
    let mut s = String::from("# Privacy Policy\n\n");
    while s.len() < len {
        s.push_str(line);
    }
    s.into_bytes()
}

/// A web page of `len` bytes or a little more.
fn html_of_size(len: usize) -> Vec<u8> {
    let line = "<p>This paragraph of policy text is repeated until the page is big enough.</p>\n";
    let mut s = String::from("<html><body><h1>Privacy Policy</h1>\n");
    while s.len() < len {
        s.push_str(line);
    }
    s.into_bytes()
}

/// `text` encoded as UTF-16 with a byte-order mark.
fn utf16(text: &str, big_endian: bool) -> Vec<u8> {
    let mut out: Vec<u8> = if big_endian {
        vec![0xFE, 0xFF]
    } else {
        vec![0xFF, 0xFE]
    };
    for unit in text.encode_utf16() {
        let b = if big_endian {
            unit.to_be_bytes()
        } else {
            unit.to_le_bytes()
        };
        out.extend_from_slice(&b);
    }
    out
}

/// A small policy whose last block nests `kind` `depth` levels deep.
fn deep(depth: usize, kind: Nesting) -> String {
    let mut s = String::from("# Privacy Policy\n\n1. We collect your name.\n\n");
    match kind {
        Nesting::Quote => {
            s.push_str(&">".repeat(depth));
            s.push_str(" quoted\n");
        }
        Nesting::Bullets => {
            s.push_str(&"- ".repeat(depth));
            s.push_str("item\n");
        }
        Nesting::IndentedBullets => {
            for i in 0..depth {
                s.push_str(&"  ".repeat(i));
                s.push_str("- item\n");
            }
        }
        Nesting::IndentedNumbers => {
            for i in 0..depth {
                s.push_str(&"   ".repeat(i));
                s.push_str("1. item\n");
            }
        }
        Nesting::Emphasis => {
            s.push_str(&"*".repeat(depth));
            s.push_str("loud");
            s.push_str(&"*".repeat(depth));
            s.push('\n');
        }
        Nesting::Links => {
            s.push_str(&"[".repeat(depth));
            s.push_str("here");
            s.push_str(&"](https://example.com)".repeat(depth));
            s.push('\n');
        }
    }
    s
}

/// The container kinds [`deep`] nests.
#[derive(Clone, Copy)]
enum Nesting {
    Quote,
    Bullets,
    IndentedBullets,
    IndentedNumbers,
    Emphasis,
    Links,
}

fn mkfifo(path: &Path) {
    let c = std::ffi::CString::new(path.as_os_str().as_bytes()).expect("no NUL in path");
    // SAFETY: a valid NUL-terminated path; mkfifo touches nothing else.
    let rc = unsafe { libc::mkfifo(c.as_ptr(), 0o644) };
    assert_eq!(
        rc,
        0,
        "mkfifo {}: {}",
        path.display(),
        std::io::Error::last_os_error()
    );
}

/// A character device node like /dev/full (1, 7: every write fails with
/// ENOSPC) inside the ground, so a bug that replaces the target destroys
/// only this copy, never the machine's /dev/full. Without the privilege to
/// make one, a symlink to /dev/full stands in (then only the link is at risk).
fn full_device(g: &Ground, name: &str) {
    let path = g.join(name);
    let c = std::ffi::CString::new(path.as_os_str().as_bytes()).expect("no NUL in path");
    // SAFETY: a valid NUL-terminated path; mknod creates one node.
    let rc = unsafe { libc::mknod(c.as_ptr(), libc::S_IFCHR | 0o666, libc::makedev(1, 7)) };
    if rc != 0 {
        std::os::unix::fs::symlink("/dev/full", &path).expect("symlink to /dev/full");
    }
}

/// Make `rel` a directory nothing can be created in, even by root (where
/// permissions alone do not stop writes: then `chattr +i`). Sets `skip`
/// when neither works here.
fn read_only_dir(g: &mut Ground, rel: &str) {
    let dir = g.join(rel);
    std::fs::create_dir_all(&dir).expect("mkdir");
    std::fs::set_permissions(&dir, std::fs::Permissions::from_mode(0o555)).expect("chmod");
    g.locked.push(dir.clone());
    if writable(&dir) {
        let _ = std::process::Command::new("chattr")
            .arg("+i")
            .arg(&dir)
            .stderr(Stdio::null())
            .status();
    }
    if writable(&dir) {
        g.skip = Some(format!(
            "cannot make {} read-only here (root without chattr +i)",
            dir.display()
        ));
    }
}

/// Whether a file can be created in `dir` (the probe is removed again).
fn writable(dir: &Path) -> bool {
    let probe = dir.join(".probe");
    let ok = std::fs::write(&probe, b"x").is_ok();
    let _ = std::fs::remove_file(&probe);
    ok
}

// ---------------------------------------------------------------------------
// Rows
// ---------------------------------------------------------------------------

/// What a row's run must show.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Expect {
    /// Refused: exit 2 with one `policydiff: error:` line (see the module doc).
    Error,
    /// Accepted: exit 0.
    Success,
    /// Must not crash or hang: exit 0 or 1, or a clean one-line error (exit 2).
    NoCrash,
}

/// An extra check on a finished row.
type After = fn(&Ground, &Run) -> Result<(), String>;

/// One input class.
struct Row {
    name: &'static str,
    setup: Box<dyn Fn() -> Ground>,
    args: Vec<String>,
    /// A file (relative to the ground) fed to standard input; else /dev/null.
    stdin: Option<&'static str>,
    expect: Expect,
    /// Each must appear in stderr; `a|b` means either.
    needles: &'static [&'static str],
    /// None of these may appear on stdout or stderr (secrets, addresses).
    forbid: &'static [&'static str],
    /// A clap usage error: clap's own multi-line format starting `error:` is
    /// accepted as well as the one-line form.
    clap: bool,
    /// Must answer within this time (for devices and FIFOs).
    within: Option<Duration>,
    after: Option<After>,
}

impl Row {
    fn new(
        expect: Expect,
        name: &'static str,
        setup: impl Fn() -> Ground + 'static,
        args: &[&str],
    ) -> Row {
        Row {
            name,
            setup: Box::new(setup),
            args: args.iter().map(|s| s.to_string()).collect(),
            stdin: None,
            expect,
            needles: &[],
            forbid: &[],
            clap: false,
            within: None,
            after: None,
        }
    }

    fn clap(mut self) -> Row {
        self.clap = true;
        self
    }

    fn within(mut self, secs: u64) -> Row {
        self.within = Some(Duration::from_secs(secs));
        self
    }

    fn stdin(mut self, file: &'static str) -> Row {
        self.stdin = Some(file);
        self
    }

    fn forbid(mut self, words: &'static [&'static str]) -> Row {
        self.forbid = words;
        self
    }

    fn then(mut self, check: After) -> Row {
        self.after = Some(check);
        self
    }
}

/// A row that must be refused, with the words stderr must contain.
fn err(
    name: &'static str,
    setup: impl Fn() -> Ground + 'static,
    args: &[&str],
    needles: &'static [&'static str],
) -> Row {
    let mut row = Row::new(Expect::Error, name, setup, args);
    row.needles = needles;
    row
}

/// Visible forms of ESC that an error or redline may use instead of the byte.
const VISIBLE_ESC: &str = "\\x1b|\\x1B|\\u{1b}|\\u001b|\\e|^[";

/// Every class of bad input, each refused with exit 2 and one line.
fn error_rows() -> Vec<Row> {
    vec![
        // --- web pages (issue 14) -------------------------------------------
        err(
            "HTML page over 16 MiB",
            || plain_with("huge.html", html_of_size(LIMIT + 1024 * 1024)),
            &["diff", "huge.html", "present.md"],
            &["huge.html", "16 MiB"],
        ),
        err(
            "invalid CSS selector in a policy's select",
            || history_config(&format!("{DEFAULT_CONFIG}select = \"main >\"\n")),
            &["diff", "v1", "HEAD"],
            &[
                "policydiff.toml",
                "policy[0].select",
                "not a valid CSS selector",
            ],
        ),
        err(
            "invalid CSS selector in a policy's remove",
            || history_config(&format!("{DEFAULT_CONFIG}remove = [\"nav\", \"[[\"]\n")),
            &["check"],
            &[
                "policydiff.toml",
                "policy[0].remove",
                "not a valid CSS selector",
            ],
        ),
        err(
            "import of a page whose select matches nothing",
            || plain_with("page.html", "<main><p>Text.</p></main>"),
            &["import", "page.html", "--select", "#policy"],
            &["page.html", "#policy", "matches nothing"],
        ),
        err(
            "HTML tag with a million attributes",
            || {
                let attrs: Vec<String> = (0..1_000_000).map(|i| format!("a{i}=1")).collect();
                plain_with(
                    "attrs.html",
                    format!(
                        "<main><p {}>We collect your name.</p></main>",
                        attrs.join(" ")
                    ),
                )
            },
            &["diff", "present.md", "attrs.html"],
            &["attrs.html", "attributes"],
        )
        .within(5),
        err(
            "HTML page of thousands of tags with 1000 attributes each",
            || {
                let attrs: Vec<String> = (0..1000).map(|i| format!("a{i}")).collect();
                let tag = format!("<p {}>x</p>", attrs.join(" "));
                plain_with(
                    "manyattrs.html",
                    format!("<main>{}</main>", tag.repeat(2500)),
                )
            },
            &["diff", "present.md", "manyattrs.html"],
            &["manyattrs.html", "attributes"],
        )
        .within(5),
        err(
            "HTML formatting tags left open, re-created for every later paragraph",
            || {
                let open: String = (0..128).map(|i| format!("<p><font a={i}></p>")).collect();
                plain_with(
                    "fmt.html",
                    format!("<main>{open}{}</main>", "<p>x".repeat(250_000)),
                )
            },
            &["diff", "present.md", "fmt.html"],
            &["fmt.html", "elements"],
        )
        .within(5),
        err(
            "HTML formatting tags hidden from a count behind object markers",
            || {
                let open: String = (0..20_000)
                    .map(|i| format!("<p><b a={i}><object></b></object></p>"))
                    .collect();
                plain_with(
                    "marker.html",
                    format!("<main>{open}{}</main>", "<p>x".repeat(250_000)),
                )
            },
            &["diff", "present.md", "marker.html"],
            &["marker.html", "elements"],
        )
        .within(5),
        err(
            "HTML table one row 100000 cells wide, then 100000 rows",
            || {
                plain_with(
                    "wide.html",
                    format!(
                        "<main><table><tr>{}{}</table></main>",
                        "<td>x".repeat(100_000),
                        "<tr><td>x".repeat(100_000)
                    ),
                )
            },
            &["diff", "present.md", "wide.html"],
            &["wide.html", "table", "cells"],
        )
        .within(5),
        // --- files given as a version -------------------------------------
        err(
            "missing file",
            plain,
            &["diff", "nosuch.md", "present.md"],
            &["nosuch.md"],
        ),
        err(
            "missing file, -o into a new directory: nothing created",
            plain,
            &["diff", "nosuch.md", "present.md", "-o", "out/r.html"],
            &["nosuch.md"],
        ),
        err(
            "directory as a version",
            || {
                let g = plain();
                std::fs::create_dir(g.join("adir")).expect("mkdir");
                g
            },
            &["diff", "adir", "present.md"],
            &["adir", "directory"],
        ),
        err(
            "binary file (PNG bytes)",
            || {
                plain_with(
                    "logo.md",
                    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x01\x00\x08\x06",
                )
            },
            &["diff", "logo.md", "present.md"],
            &["logo.md", "binary|NUL"],
        ),
        err(
            "random bytes",
            || plain_with("noise.md", noise(4096)),
            &["diff", "present.md", "noise.md"],
            &["noise.md", "binary|NUL|UTF-8"],
        ),
        err(
            "NUL byte on line 3",
            || plain_with("nul.md", b"# Policy\n\n1. We keep\x00 your data.\n"),
            &["diff", "present.md", "nul.md"],
            &["nul.md", "line 3"],
        ),
        err(
            "invalid UTF-8 (GBK) on line 2",
            // "隐私政策" (privacy policy) in GBK.
            || plain_with("gbk.md", b"# Policy\n1. \xd2\xfe\xcb\xbd\xd5\xfe\xb2\xdf\n"),
            &["diff", "gbk.md", "present.md"],
            &["gbk.md", "UTF-8", "line 2"],
        ),
        err(
            "UTF-16LE with BOM",
            || plain_with("u16le.md", utf16(&policy_text(2), false)),
            &["diff", "present.md", "u16le.md"],
            &["u16le.md", "UTF-16"],
        ),
        err(
            "UTF-16BE with BOM",
            || plain_with("u16be.md", utf16(&policy_text(2), true)),
            &["diff", "u16be.md", "present.md"],
            &["u16be.md", "UTF-16"],
        ),
        err(
            "empty file",
            || plain_with("empty.md", ""),
            &["diff", "empty.md", "present.md"],
            &["empty.md", "empty"],
        ),
        err(
            "whitespace-only file",
            || plain_with("blank.md", " \n\n\t\r\n   \n"),
            &["diff", "present.md", "blank.md"],
            &["blank.md", "empty|blank|whitespace|no policy text"],
        ),
        err(
            "file over the 16 MiB limit",
            || plain_with("huge.md", policy_of_size(LIMIT + 1024 * 1024)),
            &["diff", "present.md", "huge.md"],
            &["huge.md", "limit|MiB"],
        ),
        err(
            "stdin over the 16 MiB limit",
            || plain_with("huge.md", policy_of_size(LIMIT + 1024 * 1024)),
            &["diff", "-", "present.md"],
            &["stdin", "limit|MiB"],
        )
        .stdin("huge.md"),
        err(
            "stdin on both sides",
            plain,
            &["diff", "-", "-"],
            &["standard input|stdin"],
        ),
        err(
            "symlink loop",
            || {
                let g = plain();
                std::os::unix::fs::symlink("loop.md", g.join("loop.md")).expect("symlink");
                g
            },
            &["diff", "loop.md", "present.md"],
            &["loop.md"],
        ),
        err(
            "file name with terminal escapes is echoed visibly",
            plain,
            &["diff", "bad\u{1b}]0;pwned\u{7}\u{1b}[2J.md", "present.md"],
            &["pwned", VISIBLE_ESC],
        ),
        // --- devices and FIFOs: refuse non-regular files, within a second --
        err(
            "/dev/zero as a version",
            plain,
            &["diff", "/dev/zero", "present.md"],
            &["/dev/zero", "regular|device|special|not a file"],
        )
        .within(1),
        err(
            "/dev/urandom as a version",
            plain,
            &["diff", "present.md", "/dev/urandom"],
            &["/dev/urandom", "regular|device|special|not a file"],
        )
        .within(1),
        err(
            "/dev/null as a version",
            plain,
            &["diff", "/dev/null", "present.md"],
            &["/dev/null", "regular|device|special|not a file|empty"],
        )
        .within(1),
        err(
            "/dev/zero to show",
            plain,
            &["show", "/dev/zero"],
            &["/dev/zero", "regular|device|special|not a file"],
        )
        .within(1),
        err(
            "FIFO as a version",
            || {
                let g = plain();
                mkfifo(&g.join("fifo.md"));
                g
            },
            &["diff", "fifo.md", "present.md"],
            &["fifo.md", "regular|FIFO|fifo|pipe|special"],
        )
        .within(1),
        err(
            "/dev/urandom as the config",
            history,
            &["--config", "/dev/urandom", "versions"],
            &["/dev/urandom"],
        )
        .within(1),
        err(
            "/dev/zero as a journal",
            released,
            &["receipts", "--journal", "/dev/zero"],
            &["/dev/zero"],
        )
        .within(1),
        err(
            "/dev/zero as a notice context",
            plain,
            &["notice", "--from-context", "/dev/zero", "--kind", "email"],
            &["/dev/zero"],
        )
        .within(1),
        err(
            "/dev/zero as a recipient list",
            released,
            &send_dry(&["--recipients", "/dev/zero"]),
            &["/dev/zero"],
        )
        .within(1),
        // --- git versions -------------------------------------------------
        err(
            "unknown revision",
            history,
            &["diff", "nosuchrev", "HEAD"],
            &["nosuchrev"],
        ),
        err(
            "unknown revision in REV:PATH",
            history,
            &["diff", "nosuchrev:policies/privacy-policy.md", "HEAD"],
            &["nosuchrev"],
        ),
        err(
            "path absent at a revision",
            history,
            &["diff", "HEAD~1:policies/nope.md", "HEAD"],
            &["policies/nope.md", "HEAD~1"],
        ),
        err(
            "policy absent at a bare revision",
            || {
                let repo = TestRepo::new();
                repo.commit(
                    &[("policydiff.toml", DEFAULT_CONFIG)],
                    "Config",
                    "2025-01-01T10:00:00Z",
                );
                repo.commit(
                    &[(POLICY, &policy_text(1))],
                    "Policy",
                    "2025-02-01T10:00:00Z",
                );
                Ground::repo(repo)
            },
            &["diff", "HEAD~1", "HEAD"],
            &[POLICY, "HEAD~1"],
        ),
        err(
            "directory at a revision",
            history,
            &["diff", "HEAD:policies", "HEAD"],
            &["policies", "directory"],
        ),
        err(
            "revision with terminal escapes is echoed visibly",
            history,
            &["diff", "v1\u{1b}[2J\u{1b}]0;pwned\u{7}", "HEAD"],
            &["pwned", VISIBLE_ESC],
        ),
        err(
            "bare revision outside git",
            plain,
            &["diff", "HEAD~1", "present.md"],
            &["HEAD~1", "git"],
        ),
        err(
            "revision in a repository without commits",
            || Ground::repo(TestRepo::new()),
            &["show", "HEAD"],
            &["HEAD"],
        ),
        err(
            "versions outside git",
            || plain_with("policydiff.toml", DEFAULT_CONFIG),
            &["versions"],
            &["git"],
        ),
        // --- configuration --------------------------------------------------
        err(
            "config: unknown key",
            || {
                history_config(
                    "[[policy]]\nname = \"privacy-policy\"\npth = \"policies/privacy-policy.md\"\n",
                )
            },
            &["versions"],
            &["policydiff.toml", "pth", "line 3"],
        ),
        err(
            "config: value of the wrong type",
            || history_config("[[policy]]\nname = 5\npath = \"policies/privacy-policy.md\"\n"),
            &["versions"],
            &["policydiff.toml", "name", "line 2"],
        ),
        err(
            "config: TOML syntax error",
            || {
                history_config(
                    "[[policy]]\nname = \"privacy-policy\"\npath = \"policies/privacy-policy.md\"\ntitle = \"Privacy\n",
                )
            },
            &["versions"],
            &["policydiff.toml", "line 4"],
        ),
        err(
            "config: locale without templates (fr)",
            || history_config(&DEFAULT_CONFIG.replace("\"en\"", "\"fr\"")),
            &["versions"],
            &["policydiff.toml", "locale", "fr"],
        ),
        err(
            "config: policy name a..b",
            || history_config(&DEFAULT_CONFIG.replace("\"privacy-policy\"", "\"a..b\"")),
            &["versions"],
            &["policydiff.toml", "a..b"],
        ),
        err(
            "config: policy name x.lock",
            || history_config(&DEFAULT_CONFIG.replace("\"privacy-policy\"", "\"x.lock\"")),
            &["versions"],
            &["policydiff.toml", "x.lock"],
        ),
        err(
            "config: absolute policy path",
            || {
                history_config(
                    &DEFAULT_CONFIG.replace("\"policies/privacy-policy.md\"", "\"/etc/passwd\""),
                )
            },
            &["versions"],
            &["policydiff.toml", "path"],
        ),
        err(
            "config: no [[policy]]",
            || history_config("[notice]\nbase_url = \"https://example.com/privacy\"\n"),
            &["versions"],
            &["policydiff.toml", "policy"],
        ),
        err(
            "config: email.max_attempts = 0",
            || {
                history_config(&format!(
                    "{DEFAULT_CONFIG}\n[email]\nfrom = \"P <p@example.com>\"\nmax_attempts = 0\n"
                ))
            },
            &["versions"],
            &["policydiff.toml", "max_attempts"],
        ),
        err(
            "config: not UTF-8",
            || {
                history_config_bytes(
                    b"[[policy]]\nname = \"\xd2\xfe\"\npath = \"policies/privacy-policy.md\"\n",
                )
            },
            &["versions"],
            &["policydiff.toml", "UTF-8"],
        ),
        err(
            "config: --config names a missing file",
            history,
            &["--config", "nosuch.toml", "versions"],
            &["nosuch.toml"],
        ),
        err(
            "config: --config names a directory",
            || {
                let g = history();
                std::fs::create_dir(g.join("cfgdir")).expect("mkdir");
                g
            },
            &["--config", "cfgdir", "versions"],
            &["cfgdir"],
        ),
        err(
            "unknown --policy name",
            history,
            &["versions", "--policy", "nosuch"],
            &["nosuch"],
        ),
        err(
            "triggers: configured policy path outside the repository",
            || {
                let g = history_config(
                    &DEFAULT_CONFIG.replace("\"policies/privacy-policy.md\"", "\"../outside.md\""),
                );
                std::fs::write(g.root().join("outside.md"), policy_text(1)).expect("write");
                g
            },
            &["triggers"],
            &["outside.md", "outside"],
        ),
        // --- dates and numbers --------------------------------------------
        err(
            "release --effective 2026-02-30",
            history,
            &["release", "--effective", "2026-02-30"],
            &["--effective", "2026-02-30"],
        ),
        err(
            "notice --notice-date 2026/01/01",
            released,
            &[
                "notice",
                "privacy-policy/2025-07-09",
                POLICY,
                "--notice-date",
                "2026/01/01",
            ],
            &["--notice-date", "2026/01/01"],
        ),
        err(
            "send --effective 2026-02-30",
            released,
            &send_dry(&["--recipients", "r.csv", "--effective", "2026-02-30"]),
            &["--effective", "2026-02-30"],
        ),
        err(
            "log --since March",
            history,
            &["log", "--since", "March"],
            &["--since", "March"],
        ),
        err(
            "diff --timeout 0",
            plain,
            &["diff", "present.md", "present.md", "--timeout", "0"],
            &["--timeout"],
        ),
        err(
            "diff --format pdf (clap)",
            plain,
            &["diff", "present.md", "present.md", "--format", "pdf"],
            &["pdf"],
        )
        .clap(),
        err(
            "diff without NEW (clap)",
            plain,
            &["diff", "present.md"],
            &["NEW"],
        )
        .clap(),
        // --- send: shard, rate, transport, recipients ------------------------
        err(
            "send --shard 3/2",
            released,
            &send(&["--recipients", "r.csv", "--shard", "3/2"]),
            &["--shard", "3/2"],
        ),
        err(
            "send --shard 0/2",
            released,
            &send(&["--recipients", "r.csv", "--shard", "0/2"]),
            &["--shard", "0/2"],
        ),
        err(
            "send --rate 0/s",
            released,
            &send(&["--recipients", "r.csv", "--rate", "0/s"]),
            &["--rate", "0/s"],
        ),
        err(
            "send --rate abc",
            released,
            &send(&["--recipients", "r.csv", "--rate", "abc"]),
            &["--rate", "abc"],
        ),
        err(
            "send --connections 0",
            released,
            &send(&["--recipients", "r.csv", "--connections", "0"]),
            &["--connections"],
        ),
        err(
            "send --dry-run --transport ftp://x",
            released,
            &send_dry(&["--recipients", "r.csv", "--transport", "ftp://x"]),
            &["--transport|ftp"],
        ),
        err(
            "send --dry-run with a password in the transport URL",
            released,
            &send_dry(&[
                "--recipients",
                "r.csv",
                "--transport",
                "smtp://mailer:hunter2@127.0.0.1:2525",
            ]),
            &["password"],
        )
        .forbid(&["hunter2"]),
        err(
            "recipients: invalid address with --strict",
            || {
                released_with(
                    "bad.csv",
                    "email,name\nana@example.com,Ana\nbob@@example.com,Bob\n",
                )
            },
            &send(&["--recipients", "bad.csv", "--strict"]),
            &["bad.csv", "line 3"],
        )
        .forbid(&["bob@"]),
        err(
            "recipients: CRLF list, invalid row on line 3 with --strict",
            || {
                released_with(
                    "crlf.csv",
                    "email,name\r\nana@example.com,Ana\r\nbob@@example.com,Bob\r\n",
                )
            },
            &send(&["--recipients", "crlf.csv", "--strict"]),
            &["crlf.csv", "line 3"],
        )
        .forbid(&["bob@"]),
        err(
            "recipients: broken JSON line with --strict",
            || {
                released_with(
                    "bad.jsonl",
                    "{\"email\":\"ana@example.com\"}\n{\"email\": \n",
                )
            },
            &send(&["--recipients", "bad.jsonl", "--strict"]),
            &["bad.jsonl", "line 2"],
        ),
        err(
            "recipients: no email column",
            || released_with("nocol.csv", "mail,name\nana@example.com,Ana\n"),
            &send(&["--recipients", "nocol.csv"]),
            &["nocol.csv", "email"],
        )
        .forbid(&["ana@"]),
        err(
            "recipients: not UTF-8",
            || released_with("gbk.csv", b"email,\xd2\xfe\nana@example.com,x\n"),
            &send(&["--recipients", "gbk.csv"]),
            &["gbk.csv", "UTF-8"],
        ),
        err(
            "recipients: missing file",
            released,
            &send(&["--recipients", "nope.csv"]),
            &["nope.csv"],
        ),
        err(
            "recipients: a directory",
            || {
                let g = released();
                std::fs::create_dir(g.join("rdir")).expect("mkdir");
                g
            },
            &send(&["--recipients", "rdir"]),
            &["rdir"],
        ),
        // --- damaged journals ---------------------------------------------
        err(
            "receipts: journal truncated inside its header",
            || {
                let g = journaled();
                let first = journal_lines(&g).remove(0);
                g.write("trunc.jsonl", &first[..first.len() / 2]);
                g
            },
            &["receipts", "--journal", "trunc.jsonl"],
            &["trunc.jsonl", "line 1"],
        ),
        err(
            "receipts: garbage line inside the journal",
            || {
                let g = journaled();
                let mut lines = journal_lines(&g);
                lines[1] = "garbage".into();
                g.write("mid.jsonl", lines.join("\n") + "\n");
                g
            },
            &["receipts", "--journal", "mid.jsonl"],
            &["mid.jsonl", "line 2"],
        ),
        err(
            "receipts: journal without its header",
            || {
                let g = journaled();
                let lines = journal_lines(&g);
                g.write("nohead.jsonl", lines[1..].join("\n") + "\n");
                g
            },
            &["receipts", "--journal", "nohead.jsonl"],
            &["nohead.jsonl", "line 1"],
        ),
        err(
            "receipts: random bytes",
            || {
                let g = journaled();
                g.write("noise.jsonl", noise(3000));
                g
            },
            &["receipts", "--journal", "noise.jsonl"],
            &["noise.jsonl"],
        ),
        err(
            "receipts: empty journal",
            || {
                let g = journaled();
                g.write("empty.jsonl", "");
                g
            },
            &["receipts", "--journal", "empty.jsonl"],
            &["empty.jsonl"],
        ),
        err(
            "receipts: journal is a directory",
            || {
                let g = journaled();
                std::fs::create_dir(g.join("jdir")).expect("mkdir");
                g
            },
            &["receipts", "--journal", "jdir"],
            &["jdir"],
        ),
        err(
            "receipts: missing journal",
            journaled,
            &["receipts", "--journal", "nosuch.jsonl"],
            &["nosuch.jsonl"],
        ),
        err(
            "send: resume on a damaged journal sends nothing",
            || {
                let g = journaled();
                let mut lines = journal_lines(&g);
                lines[1] = "garbage".into();
                g.write("j.jsonl", lines.join("\n") + "\n");
                g.write("r.csv", "email\nana@example.com\nnew@example.com\n");
                g
            },
            &send(&["--recipients", "r.csv", "--journal", "j.jsonl"]),
            &["j.jsonl", "line 2"],
        ),
        // --- output targets -----------------------------------------------
        err(
            "-o under a regular file",
            plain,
            &[
                "diff",
                "present.md",
                "present.md",
                "-o",
                "present.md/r.html",
            ],
            &["r.html"],
        ),
        err(
            "-o onto a directory",
            || {
                let g = plain();
                g.write("outdir/keep.txt", "keep");
                g
            },
            &["diff", "present.md", "present.md", "-o", "outdir"],
            &["outdir"],
        ),
        err(
            "-o into a read-only directory",
            || {
                let mut g = plain();
                read_only_dir(&mut g, "ro");
                g
            },
            &["diff", "present.md", "present.md", "-o", "ro/r.html"],
            &["ro/r.html|ro"],
        ),
        err(
            "-o onto a full device (like /dev/full)",
            || {
                let g = plain();
                full_device(&g, "full");
                g
            },
            &["diff", "present.md", "present.md", "-o", "full"],
            &["full"],
        )
        .then(still_a_device),
        err(
            "-o onto a symlink to /dev/full",
            || {
                let g = plain();
                std::os::unix::fs::symlink("/dev/full", g.join("fulllink")).expect("symlink");
                g
            },
            &["diff", "present.md", "present.md", "-o", "fulllink"],
            &["fulllink|/dev/full"],
        ),
        err(
            "check -o onto a full device",
            || {
                let g = history();
                full_device(&g, "full");
                g
            },
            &["check", "-o", "full"],
            &["full"],
        )
        .then(still_a_device),
        // --- site --out -----------------------------------------------------
        err(
            "site --out a non-empty directory it did not write",
            || released_with("keepme/important.txt", "keep\n"),
            &["site", "--out", "keepme"],
            &["keepme", "important.txt|not empty|non-empty"],
        ),
        err(
            "site --out . at the repository root",
            released,
            &["site", "--out", "."],
            &["repository|policydiff.toml|.git|not empty|non-empty"],
        ),
        err(
            "site --out the policies directory",
            released,
            &["site", "--out", "policies"],
            &["policies"],
        ),
        err(
            "site --out the config file",
            released,
            &["site", "--out", "policydiff.toml"],
            &["policydiff.toml"],
        ),
        // --- other inputs ---------------------------------------------------
        err(
            "notice --from-context with broken JSON",
            || plain_with("ctx.json", "{\"policy\": "),
            &["notice", "--from-context", "ctx.json", "--kind", "email"],
            &["ctx.json"],
        ),
        err(
            "init --import a missing file",
            || Ground::dir(TestDir::new()),
            &["init", "--import", "nosuch.md"],
            &["nosuch.md"],
        ),
    ]
}

/// The `-o` target named `full` is still a character device.
fn still_a_device(g: &Ground, _: &Run) -> Result<(), String> {
    let meta = std::fs::symlink_metadata(g.join("full")).map_err(|e| format!("full: {e}"))?;
    let ft = meta.file_type();
    if ft.is_char_device() || ft.is_symlink() {
        Ok(())
    } else {
        Err("the device node `full` was replaced by a regular file".into())
    }
}

/// Odd inputs that must be accepted, or at least survive.
fn accepted_rows() -> Vec<Row> {
    use Nesting::*;
    let front = "---\ntitle: Privacy Policy\neffective: 2025-07-09\n---\n\n# Privacy Policy\n\n## Collection\n\n1. We collect your name.\n\n2. We keep data for 2 years.\n";
    let deep_diff = |name: &'static str, depth: usize, kind: Nesting, old_side: bool| {
        let args: &[&str] = if old_side {
            &["diff", "deep.md", "present.md"]
        } else {
            &["diff", "present.md", "deep.md"]
        };
        Row::new(
            Expect::NoCrash,
            name,
            move || plain_with("deep.md", deep(depth, kind)),
            args,
        )
    };
    vec![
        Row::new(
            Expect::Success,
            "CR-only line endings keep the front matter",
            move || {
                let g = plain_with("lf.md", front);
                g.write("cr.md", front.replace('\n', "\r"));
                g
            },
            &["diff", "lf.md", "cr.md"],
        )
        .then(|_, run| contains(&run.stdout, "No changes")),
        Row::new(
            Expect::Success,
            "CR-only line endings: the effective date is read",
            move || plain_with("cr.md", front.replace('\n', "\r")),
            &["diff", "cr.md", "present.md", "--format", "json"],
        )
        .then(|_, run| {
            let report: serde_json::Value = serde_json::from_str(&run.stdout)
                .map_err(|e| format!("stdout is not JSON: {e}"))?;
            match report["old"]["effective"].as_str() {
                Some("2025-07-09") => Ok(()),
                other => Err(format!("old.effective is {other:?}, not \"2025-07-09\"")),
            }
        }),
        Row::new(
            Expect::Success,
            "CRLF line endings keep the front matter",
            move || {
                let g = plain_with("lf.md", front);
                g.write("crlf.md", front.replace('\n', "\r\n"));
                g
            },
            &["diff", "lf.md", "crlf.md"],
        )
        .then(|_, run| contains(&run.stdout, "No changes")),
        Row::new(
            Expect::Success,
            "terminal escapes in a policy show visibly in the text redline",
            || {
                let g = plain_with(
                    "old.md",
                    "# Policy\n\n1. We collect your name.\n\n2. We keep data.\n",
                );
                g.write(
                    "new.md",
                    "# Policy\n\n1. We collect your name.\u{1b}]52;c;aGVsbG8=\u{7}\n\n2. We keep data.\u{1b}[2J \u{1b}]0;pwned\u{7} and \u{9b}31m more.\n",
                );
                g
            },
            &["diff", "old.md", "new.md"],
        )
        .then(|_, run| contains(&run.stdout, "pwned").and(any_of(&run.stdout, VISIBLE_ESC))),
        deep_diff("5000 nested block quotes, old side", 5000, Quote, true),
        deep_diff("100000 nested block quotes, new side", 100_000, Quote, false),
        deep_diff("100000 nested bullet markers", 100_000, Bullets, true),
        deep_diff("1000-level indented bullet list", 1000, IndentedBullets, false),
        deep_diff("300-level indented ordered list", 300, IndentedNumbers, true),
        deep_diff("5000 nested emphasis markers", 5000, Emphasis, false),
        deep_diff("5000 nested links", 5000, Links, true),
        Row::new(
            Expect::NoCrash,
            "check against a base holding 5000 nested block quotes",
            || {
                let g = history();
                g.git().commit(
                    &[(POLICY, &deep(5000, Quote))],
                    "Deep quote",
                    "2025-04-01T10:00:00Z",
                );
                g.write(POLICY, policy_text(3));
                g
            },
            &["check", "--base", "HEAD"],
        ),
        Row::new(
            Expect::NoCrash,
            "log over a history holding 100000 nested block quotes",
            || {
                let g = history();
                g.git().commit(
                    &[(POLICY, &deep(100_000, Quote))],
                    "Deep quote",
                    "2025-04-01T10:00:00Z",
                );
                g.git().commit(
                    &[(POLICY, &policy_text(2))],
                    "Back to normal",
                    "2025-05-01T10:00:00Z",
                );
                g
            },
            &["log"],
        ),
        Row::new(
            Expect::Success,
            "HTML page of 100000 nested divs",
            || plain_with("deep.html", format!("{}We collect your name.{}", "<div>".repeat(100_000), "</div>".repeat(100_000))),
            &["diff", "present.md", "deep.html"],
        )
        .within(8),
        Row::new(
            Expect::Success,
            "HTML page of 100000 unclosed nested lists",
            || plain_with("deep.html", "<ol><li>".repeat(100_000) + "We collect your name."),
            &["import", "deep.html"],
        )
        .within(8),
        Row::new(
            Expect::Success,
            "scripts and inline event handlers in a page are inert",
            || {
                plain_with(
                    "page.html",
                    r#"<html><head><script>alert('head')</script></head><body onload="alert('load')">
<h1>Privacy Policy</h1><p onclick="alert('click')">We collect your name.<script>document.write('alert')</script></p>
<p><a href="javascript:alert('link')">Contact</a> <img src=x onerror="alert('img')"><svg onload="alert('svg')"><text>alert</text></svg></p>
<noscript><p>alert noscript</p></noscript><template><p>alert template</p></template></body></html>"#,
                )
            },
            &["diff", "present.md", "page.html", "-f", "html"],
        )
        .forbid(&["alert", "onerror", "onclick", "javascript:", "document.write"]),
        Row::new(
            Expect::NoCrash,
            "triggers of a 100000-deep block quote",
            || plain_with("deep.md", deep(100_000, Quote)),
            &["triggers", "deep.md"],
        ),
    ]
}

fn contains(text: &str, needle: &str) -> Result<(), String> {
    if text.contains(needle) {
        Ok(())
    } else {
        Err(format!("output lacks {needle:?}"))
    }
}

/// `text` contains one of the `|`-separated alternatives.
fn any_of(text: &str, alternatives: &str) -> Result<(), String> {
    if alternatives.split('|').any(|a| text.contains(a)) {
        Ok(())
    } else {
        Err(format!("output lacks {alternatives:?}"))
    }
}

// ---------------------------------------------------------------------------
// Running a row
// ---------------------------------------------------------------------------

/// What a child did.
struct Run {
    code: Option<i32>,
    signal: Option<i32>,
    stdout: String,
    stderr: String,
    elapsed: Duration,
    hung: bool,
}

/// Cap the child's address space (runs between fork and exec).
fn limit_memory() -> std::io::Result<()> {
    let cap = libc::rlimit {
        rlim_cur: MEMORY_CAP,
        rlim_max: MEMORY_CAP,
    };
    // SAFETY: setrlimit is async-signal-safe and reads only `cap`.
    if unsafe { libc::setrlimit(libc::RLIMIT_AS, &cap) } != 0 {
        return Err(std::io::Error::last_os_error());
    }
    Ok(())
}

/// Run the row's command in its ground with the test support's hermetic
/// environment, killing it past its deadline.
fn run(g: &Ground, row: &Row) -> Run {
    // The support module's command carries the scrubbed environment; run it
    // through std to add the memory cap and our own deadline.
    let template = g.cmd();
    let mut cmd = std::process::Command::new(template.get_program());
    if let Some(dir) = template.get_current_dir() {
        cmd.current_dir(dir);
    }
    for (key, value) in template.get_envs() {
        match value {
            Some(v) => cmd.env(key, v),
            None => cmd.env_remove(key),
        };
    }
    cmd.args(&row.args)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .stdin(match row.stdin {
            Some(f) => Stdio::from(std::fs::File::open(g.join(f)).expect("open stdin file")),
            None => Stdio::null(),
        });
    // SAFETY: the hook only calls setrlimit.
    unsafe {
        cmd.pre_exec(limit_memory);
    }
    // A row's own bound, with the same margin for load.
    let deadline = row
        .within
        .map_or(HANG_AFTER, |w| 2 * w + Duration::from_secs(4));
    let start = Instant::now();
    let mut child = cmd.spawn().expect("spawn policydiff");
    let drain = |mut pipe: Box<dyn Read + Send>| {
        std::thread::spawn(move || {
            let mut buf = Vec::new();
            let _ = pipe.read_to_end(&mut buf);
            buf
        })
    };
    let out = drain(Box::new(child.stdout.take().expect("stdout")));
    let errs = drain(Box::new(child.stderr.take().expect("stderr")));
    let mut hung = false;
    let status = loop {
        if let Some(status) = child.try_wait().expect("wait") {
            break status;
        }
        if start.elapsed() > deadline {
            hung = true;
            let _ = child.kill();
            break child.wait().expect("wait after kill");
        }
        std::thread::sleep(Duration::from_millis(5));
    };
    let elapsed = start.elapsed();
    Run {
        code: status.code(),
        signal: status.signal(),
        stdout: String::from_utf8_lossy(&out.join().expect("stdout reader")).into_owned(),
        stderr: String::from_utf8_lossy(&errs.join().expect("stderr reader")).into_owned(),
        elapsed,
        hung,
    }
}

// ---------------------------------------------------------------------------
// Snapshots: nothing left behind, nothing destroyed
// ---------------------------------------------------------------------------

/// One directory entry as it matters here.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Entry {
    Dir,
    File { len: u64, hash: blake3::Hash },
    Symlink(PathBuf),
    Fifo,
    CharDevice(u64),
    Other(String),
}

/// Every entry under `root` (symlinks not followed, FIFOs not opened).
fn snapshot(root: &Path) -> BTreeMap<PathBuf, Entry> {
    let mut map = BTreeMap::new();
    let mut todo = vec![root.to_path_buf()];
    while let Some(dir) = todo.pop() {
        let Ok(entries) = std::fs::read_dir(&dir) else {
            continue;
        };
        for e in entries.flatten() {
            let path = e.path();
            let Ok(meta) = std::fs::symlink_metadata(&path) else {
                continue;
            };
            let ft = meta.file_type();
            let entry = if ft.is_dir() {
                todo.push(path.clone());
                Entry::Dir
            } else if ft.is_file() {
                let bytes = std::fs::read(&path).unwrap_or_default();
                Entry::File {
                    len: meta.len(),
                    hash: blake3::hash(&bytes),
                }
            } else if ft.is_symlink() {
                Entry::Symlink(std::fs::read_link(&path).unwrap_or_default())
            } else if ft.is_fifo() {
                Entry::Fifo
            } else if ft.is_char_device() {
                Entry::CharDevice(meta.rdev())
            } else {
                Entry::Other(format!("{ft:?}"))
            };
            let rel = path.strip_prefix(root).unwrap_or(&path).to_path_buf();
            map.insert(rel, entry);
        }
    }
    map
}

/// What changed between two snapshots, as problems.
fn snapshot_changes(
    before: &BTreeMap<PathBuf, Entry>,
    after: &BTreeMap<PathBuf, Entry>,
) -> Vec<String> {
    let mut out = Vec::new();
    for (path, was) in before {
        match after.get(path) {
            None => out.push(format!("destroyed {}", path.display())),
            Some(now) if now != was => out.push(format!(
                "changed {} ({} -> {})",
                path.display(),
                describe(was),
                describe(now)
            )),
            _ => {}
        }
    }
    for (path, now) in after {
        if !before.contains_key(path) {
            out.push(format!(
                "left behind {} ({})",
                path.display(),
                describe(now)
            ));
        }
    }
    if out.len() > 6 {
        let more = out.len() - 5;
        out.truncate(5);
        out.push(format!("… and {more} more"));
    }
    out
}

fn describe(e: &Entry) -> String {
    match e {
        Entry::Dir => "directory".into(),
        Entry::File { len, .. } => format!("file of {len} bytes"),
        Entry::Symlink(t) => format!("symlink to {}", t.display()),
        Entry::Fifo => "FIFO".into(),
        Entry::CharDevice(_) => "character device".into(),
        Entry::Other(s) => s.clone(),
    }
}

// ---------------------------------------------------------------------------
// Judging a row
// ---------------------------------------------------------------------------

/// Control characters other than newline and tab (C0, DEL, C1): these must
/// never reach a terminal raw.
fn raw_controls(text: &str) -> Vec<String> {
    let mut found: Vec<String> = text
        .chars()
        .filter(|c| c.is_control() && *c != '\n' && *c != '\t')
        .map(|c| format!("U+{:04X}", c as u32))
        .collect();
    found.dedup();
    found
}

/// Text made safe to print in a test report.
fn visible(text: &str) -> String {
    let mut s = String::new();
    for c in text.chars() {
        if c.is_control() && c != '\n' {
            s.push_str(&format!("\\u{{{:x}}}", c as u32));
        } else {
            s.push(c);
        }
    }
    if s.len() > 1500 {
        let mut cut = 1500;
        while !s.is_char_boundary(cut) {
            cut -= 1;
        }
        s.truncate(cut);
        s.push_str(" …");
    }
    s
}

/// Everything wrong with a finished row.
fn judge(row: &Row, g: &Ground, run: &Run, changes: Vec<String>) -> Vec<String> {
    let mut bad = Vec::new();
    if run.hung {
        bad.push(format!(
            "hang: no answer within {:.0} s, killed",
            run.elapsed.as_secs_f64()
        ));
    } else if let Some(within) = row.within
        && run.elapsed > within
    {
        bad.push(format!(
            "slow: took {:.2} s, must answer within {} s",
            run.elapsed.as_secs_f64(),
            within.as_secs()
        ));
    }
    if !run.hung
        && let Some(sig) = run.signal
    {
        bad.push(format!("crashed: killed by signal {sig}"));
    }
    for panic in [
        "panicked",
        "RUST_BACKTRACE",
        "stack backtrace",
        "overflowed its stack",
        "memory allocation of",
    ] {
        if run.stderr.contains(panic) {
            bad.push(format!("panic text on stderr ({panic:?})"));
        }
    }
    let err = run.stderr.strip_suffix('\n').unwrap_or(&run.stderr);
    let one_line_error = |bad: &mut Vec<String>| {
        if row.clap {
            if !(err.starts_with("policydiff: error:") || err.starts_with("error:")) {
                bad.push("stderr does not start with an error line".into());
            }
        } else {
            if !err.starts_with("policydiff: error:") {
                bad.push("stderr does not start with `policydiff: error:`".into());
            }
            if err.lines().count() != 1 {
                bad.push(format!("stderr is {} lines, not one", err.lines().count()));
            }
        }
    };
    if !run.hung && run.signal.is_none() {
        match (row.expect, run.code) {
            (Expect::Error, Some(2)) => {
                one_line_error(&mut bad);
                for needle in row.needles {
                    if !needle.split('|').any(|n| run.stderr.contains(n)) {
                        bad.push(format!("stderr lacks {needle:?}"));
                    }
                }
                if !run.stdout.is_empty() {
                    bad.push(format!(
                        "stdout not empty on error ({} bytes)",
                        run.stdout.len()
                    ));
                }
            }
            (Expect::Error, code) => bad.push(format!("exit code {code:?}, expected 2")),
            (Expect::Success, Some(0)) => {}
            (Expect::Success, code) => bad.push(format!("exit code {code:?}, expected 0")),
            (Expect::NoCrash, Some(0 | 1)) => {}
            (Expect::NoCrash, Some(2)) => one_line_error(&mut bad),
            (Expect::NoCrash, code) => {
                bad.push(format!("exit code {code:?}, expected 0, 1 or a clean 2"))
            }
        }
    }
    for (stream, text) in [("stdout", &run.stdout), ("stderr", &run.stderr)] {
        let raw = raw_controls(text);
        if !raw.is_empty() {
            bad.push(format!(
                "raw control characters on {stream}: {}",
                raw.join(" ")
            ));
        }
        for word in row.forbid {
            if text.contains(word) {
                bad.push(format!("{stream} shows {word:?}"));
            }
        }
    }
    bad.extend(changes);
    if bad.is_empty()
        && let Some(after) = row.after
        && let Err(why) = after(g, run)
    {
        bad.push(why);
    }
    bad
}

/// Run every row; panic with the list of all failing rows.
fn run_table(table: &str, rows: Vec<Row>) {
    let total = rows.len();
    let mut failures = Vec::new();
    let mut skipped = Vec::new();
    // MATRIX_VERBOSE=1 (with --nocapture) shows every row's stderr, to see
    // the messages when adding a row.
    let verbose = std::env::var_os("MATRIX_VERBOSE").is_some();
    for row in &rows {
        let g = (row.setup)();
        if let Some(why) = &g.skip {
            eprintln!("skip  {}: {why}", row.name);
            skipped.push(format!("{}: {why}", row.name));
            continue;
        }
        let before = snapshot(g.path());
        let run = run(&g, row);
        let changes = snapshot_changes(&before, &snapshot(g.path()));
        let bad = judge(row, &g, &run, changes);
        eprintln!(
            "{}  {} ({:.2} s)",
            if bad.is_empty() { "ok  " } else { "FAIL" },
            row.name,
            run.elapsed.as_secs_f64()
        );
        if verbose {
            eprintln!(
                "      | {}",
                visible(run.stderr.trim_end()).replace('\n', "\n      | ")
            );
        }
        if !bad.is_empty() {
            failures.push(format!(
                "[{}]\n    argv: policydiff {}\n    {}\n    exit: {}; stderr:\n{}",
                row.name,
                visible(&row.args.join(" ")),
                bad.join("\n    "),
                match (run.code, run.signal) {
                    (Some(c), _) => c.to_string(),
                    (None, Some(s)) => format!("signal {s}"),
                    _ => "?".into(),
                },
                visible(run.stderr.trim_end())
                    .lines()
                    .map(|l| format!("      | {l}"))
                    .collect::<Vec<_>>()
                    .join("\n")
            ));
        }
    }
    assert!(
        failures.is_empty(),
        "{table}: {} of {total} rows fail{}:\n\n{}\n",
        failures.len(),
        if skipped.is_empty() {
            String::new()
        } else {
            format!(" ({} skipped: {})", skipped.len(), skipped.join("; "))
        },
        failures.join("\n\n")
    );
}

// ---------------------------------------------------------------------------
// The tests
// ---------------------------------------------------------------------------

#[test]
fn bad_input_matrix_every_row_exits_2_with_one_line_naming_it() {
    let mut rows = error_rows();
    rows.extend(word_document_rows());
    assert!(rows.len() >= 30, "the matrix covers at least 30 classes");
    run_table("bad-input matrix", rows);
}

#[test]
fn odd_but_valid_input_is_accepted_and_never_crashes() {
    run_table("accepted-input table", accepted_rows());
}

/// Hostile Word documents (issue 14): each refused with the file named,
/// within the matrix's time and memory caps. Fixtures: `docx_input`.
fn word_document_rows() -> Vec<Row> {
    use crate::docx_input::{
        billion_laughs, deeply_nested, lying_zip_bomb, many_comment_anchors, nested_fields,
        no_document, wide_table, zip_bomb,
    };
    vec![
        err(
            "zip bomb (.docx declaring 3 GiB)",
            || plain_with("bomb.docx", zip_bomb(3 << 30)),
            &["diff", "present.md", "bomb.docx"],
            &["bomb.docx", "zip bomb"],
        ),
        err(
            "zip bomb that declares less than it inflates to",
            || plain_with("liar.docx", lying_zip_bomb()),
            &["diff", "present.md", "liar.docx"],
            &["liar.docx"],
        ),
        err(
            "XML entity expansion (billion laughs) in a .docx",
            || plain_with("laughs.docx", billion_laughs()),
            &["diff", "laughs.docx#original", "present.md"],
            &["laughs.docx", "DOCTYPE"],
        ),
        err(
            ".docx without word/document.xml",
            || plain_with("empty.docx", no_document()),
            &["diff", "present.md", "empty.docx"],
            &["empty.docx", "word/document.xml"],
        ),
        err(
            "a text file named .docx",
            || plain_with("text.docx", policy_text(1)),
            &["diff", "present.md", "text.docx"],
            &["text.docx", "not a zip"],
        ),
        err(
            ".docx with elements nested 200000 deep",
            || plain_with("deep.docx", deeply_nested(200_000)),
            &["diff", "present.md", "deep.docx"],
            &["deep.docx", "nested deeper"],
        ),
        err(
            ".docx table one row 100000 cells wide, then 100000 rows (padded: 1e10 cells)",
            || plain_with("wide.docx", wide_table(100_000, 100_000)),
            &["diff", "present.md", "wide.docx"],
            &["wide.docx", "table", "cells"],
        )
        .within(5),
        err(
            ".docx table 1000 cells wide and 20000 rows long",
            || plain_with("long.docx", wide_table(1000, 20_000)),
            &["diff", "present.md", "long.docx"],
            &["long.docx", "table", "cells"],
        )
        .within(5),
        err(
            ".docx with 300000 fields nested in one another",
            || plain_with("fields.docx", nested_fields(300_000)),
            &["diff", "present.md", "fields.docx"],
            &["fields.docx", "fields nested deeper"],
        )
        .within(5),
        Row::new(
            Expect::NoCrash,
            ".docx paragraph anchoring 500000 comments is read in time",
            || plain_with("comments.docx", many_comment_anchors(500_000)),
            &["diff", "present.md", "comments.docx"],
        )
        .within(5),
    ]
}
