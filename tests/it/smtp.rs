//! `policydiff send` against a real SMTP server: tests/smtp/server.py
//! (aiosmtpd, with a trustme CA for TLS) runs as a child process per test on
//! 127.0.0.1, stores what it accepts in a mailbox directory (each message,
//! its decoded headers and parts as JSON, and an index line with the SMTP
//! envelope) and fails on purpose for some recipients (`tempfail-N-*`,
//! `reject-*`, `dropdata-*`).
//!
//! Without python3 and its aiosmtpd/trustme/dkim (dkimpy) modules each test prints a loud
//! SKIPPED and returns, except under CI=true, where that is a failure:
//! `python3 -m pip install -r tests/smtp/requirements.txt`.

use crate::support;

use std::collections::{BTreeMap, BTreeSet};
use std::io::{BufRead, BufReader, Write};
use std::path::{Path, PathBuf};
use std::process::{Child, ChildStdin, Stdio};
use std::sync::OnceLock;
use std::sync::mpsc::{Receiver, channel};
use std::time::{Duration, Instant};

use serde_json::Value;
use support::{
    DEFAULT_CONFIG, POLICY, TestRepo, banners, bundled_draft, bundled_policy, policy_text, run_ok,
};

/// The password the servers accept; distinctive, so a leak is found.
const PASSWORD: &str = "Tr0ub4dor&3-not-in-any-output";
const USER: &str = "mailer";
const PASSWORD_ENV: &str = "POLICYDIFF_SMTP_PASSWORD";
const FROM: &str = "Privacy Team <privacy@example.com>";
const REPLY_TO: &str = "Privacy Office <privacy-office@example.com>";
const LIST_UNSUBSCRIBE: &str =
    "<mailto:unsubscribe@example.com?subject=unsubscribe>, <https://example.com/unsubscribe>";
const JOURNAL: &str = "journal.jsonl";
const KEY_ENV: &str = "POLICYDIFF_JOURNAL_KEY";
const KEY_FILE_ENV: &str = "POLICYDIFF_JOURNAL_KEY_FILE";
const KEY_FILE: &str = "policydiff-journal.key";

// ---------------------------------------------------------------------------
// The server
// ---------------------------------------------------------------------------

fn python() -> String {
    std::env::var("POLICYDIFF_TEST_PYTHON").unwrap_or_else(|_| "python3".into())
}

fn server_script() -> PathBuf {
    support::manifest_path("tests/smtp/server.py")
}

/// Whether the test server can run here. Otherwise: a loud SKIPPED on
/// stderr and false, or a panic under CI=true.
fn server_available(test: &str) -> bool {
    static CHECK: OnceLock<Result<(), String>> = OnceLock::new();
    let check = CHECK.get_or_init(|| {
        match std::process::Command::new(python())
            .args(["-c", "import aiosmtpd, trustme, dkim"])
            .stdin(Stdio::null())
            .output()
        {
            Err(e) => Err(format!("cannot run {}: {e}", python())),
            Ok(o) if !o.status.success() => Err(format!(
                "{} cannot import aiosmtpd, trustme and dkim ({})",
                python(),
                String::from_utf8_lossy(&o.stderr)
                    .lines()
                    .rfind(|l| !l.trim().is_empty())
                    .unwrap_or("")
                    .trim()
            )),
            Ok(_) => Ok(()),
        }
    });
    match check {
        Ok(()) => true,
        Err(why) => {
            let fix = "install them with: python3 -m pip install -r tests/smtp/requirements.txt";
            if std::env::var("CI").as_deref() == Ok("true") {
                panic!("{why}\nCI=true, so the SMTP tests must run: {fix}");
            }
            // Straight to stderr: the test harness captures eprintln!.
            let bar = "!".repeat(78);
            let _ = writeln!(
                std::io::stderr(),
                "\n{bar}\n!! SKIPPED: {test}: {why}\n!! {fix}\n{bar}"
            );
            false
        }
    }
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Tls {
    Starttls,
    Implicit,
    None,
}

struct ServerOpts {
    tls: Tls,
    auth: bool,
    /// Store each message (eml + decoded JSON); else only index lines.
    store: bool,
    /// 0: the server picks one.
    port: u16,
    /// Do not listen until this file exists.
    down_until: Option<PathBuf>,
    /// Refuse every session with a 5xx at this stage (`--refuse`).
    refuse: Option<&'static str>,
    /// Never answer at this stage (`--hang`).
    hang: Option<&'static str>,
    /// Stop listening once this many sessions connected
    /// (`--stop-listening-after`).
    stop_listening_after: Option<u32>,
}

impl Default for ServerOpts {
    fn default() -> Self {
        ServerOpts {
            tls: Tls::None,
            auth: false,
            store: true,
            port: 0,
            down_until: None,
            refuse: None,
            hang: None,
            stop_listening_after: None,
        }
    }
}

/// A running tests/smtp/server.py; killed on drop.
struct Server {
    child: Child,
    _stdin: Option<ChildStdin>,
    ready: Receiver<u16>,
    port: u16,
    mailbox: PathBuf,
    ca: PathBuf,
    log: PathBuf,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Server {
    /// Start a server in `dir` and wait until it listens.
    fn start(dir: &Path, opts: ServerOpts) -> Server {
        let mut s = Server::spawn(dir, opts);
        s.wait_ready();
        s
    }

    /// Start a server process without waiting for it to listen.
    fn spawn(dir: &Path, opts: ServerOpts) -> Server {
        std::fs::create_dir_all(dir).expect("server dir");
        let mailbox = dir.join("mailbox");
        let ca = dir.join("ca.pem");
        let log = dir.join("server.log");
        let mut cmd = std::process::Command::new(python());
        cmd.arg(server_script())
            .args(["--port", &opts.port.to_string()])
            .args([
                "--tls",
                match opts.tls {
                    Tls::Starttls => "starttls",
                    Tls::Implicit => "implicit",
                    Tls::None => "none",
                },
            ])
            .arg("--mailbox")
            .arg(&mailbox)
            .args(["--watch-stdin", "--max-seconds", "300"]);
        if opts.tls != Tls::None {
            cmd.arg("--ca-out").arg(&ca);
        }
        if opts.auth {
            cmd.args(["--auth", &format!("{USER}:{PASSWORD}")]);
        }
        if !opts.store {
            cmd.arg("--no-store");
        }
        if let Some(flag) = &opts.down_until {
            cmd.arg("--down-until-file").arg(flag);
        }
        if let Some(stage) = opts.refuse {
            cmd.args(["--refuse", stage]);
        }
        if let Some(stage) = opts.hang {
            cmd.args(["--hang", stage]);
        }
        if let Some(n) = opts.stop_listening_after {
            cmd.args(["--stop-listening-after", &n.to_string()]);
        }
        let mut child = cmd
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(std::fs::File::create(&log).expect("server log"))
            .env("PYTHONUNBUFFERED", "1")
            .spawn()
            .unwrap_or_else(|e| panic!("start {}: {e}", python()));
        let stdout = child.stdout.take().expect("server stdout");
        let (tx, ready) = channel();
        std::thread::spawn(move || {
            for line in BufReader::new(stdout).lines() {
                let Ok(line) = line else { break };
                if let Some(port) = line.strip_prefix("READY ") {
                    let _ = tx.send(port.trim().parse().unwrap_or(0));
                }
            }
        });
        Server {
            _stdin: child.stdin.take(),
            child,
            ready,
            port: opts.port,
            mailbox,
            ca,
            log,
        }
    }

    /// Wait for `READY <port>`.
    fn wait_ready(&mut self) {
        match self.ready.recv_timeout(Duration::from_secs(30)) {
            Ok(port) if port > 0 => self.port = port,
            _ => {
                let status = self.child.try_wait().ok().flatten();
                panic!(
                    "the SMTP test server did not get ready (exit: {status:?}){}",
                    banners(&[("server log", &self.log_text())])
                );
            }
        }
    }

    fn log_text(&self) -> String {
        std::fs::read_to_string(&self.log).unwrap_or_default()
    }

    fn url(&self, scheme: &str, user: Option<&str>) -> String {
        match user {
            Some(u) => format!("{scheme}://{u}@127.0.0.1:{}", self.port),
            None => format!("{scheme}://127.0.0.1:{}", self.port),
        }
    }

    fn lines(&self, file: &str) -> Vec<Value> {
        let text = std::fs::read_to_string(self.mailbox.join(file)).unwrap_or_default();
        text.split_inclusive('\n')
            .filter(|l| l.ends_with('\n'))
            .map(|l| serde_json::from_str(l).expect("mailbox line is JSON"))
            .collect()
    }

    /// Index lines of the accepted messages, in order.
    fn messages(&self) -> Vec<Value> {
        self.lines("index.jsonl")
    }

    /// How many messages were accepted (cheap: counts index lines).
    fn count(&self) -> usize {
        std::fs::read(self.mailbox.join("index.jsonl"))
            .map(|b| b.iter().filter(|&&c| c == b'\n').count())
            .unwrap_or(0)
    }

    /// RCPT/AUTH/drop events.
    fn events(&self) -> Vec<Value> {
        self.lines("events.jsonl")
    }

    /// How many messages each envelope recipient got (lower-cased).
    fn received(&self) -> BTreeMap<String, usize> {
        let mut counts = BTreeMap::new();
        for m in self.messages() {
            for r in m["rcpt_tos"].as_array().expect("rcpt_tos") {
                let r = r.as_str().expect("address").to_lowercase();
                *counts.entry(r).or_insert(0) += 1;
            }
        }
        counts
    }

    /// The decoded message of an index line (headers, parts).
    fn decoded(&self, entry: &Value) -> Value {
        let file = entry["file"].as_str().expect("stored message");
        let json = self.mailbox.join(file.replace(".eml", ".json"));
        serde_json::from_str(&std::fs::read_to_string(json).expect("message JSON"))
            .expect("message JSON parses")
    }

    /// The message as received.
    fn raw(&self, entry: &Value) -> String {
        let file = entry["file"].as_str().expect("stored message");
        String::from_utf8_lossy(&std::fs::read(self.mailbox.join(file)).expect("eml")).into_owned()
    }

    /// RCPT commands the server saw for `address`.
    fn rcpt_attempts(&self, address: &str) -> usize {
        self.events()
            .iter()
            .filter(|e| e["event"] == "rcpt" && e["rcpt"].as_str() == Some(address))
            .count()
    }
}

/// Where a test's server keeps its files: beside the repository's work tree.
fn server_dir(repo: &TestRepo, name: &str) -> PathBuf {
    repo.path().parent().expect("temp root").join(name)
}

/// A free port on 127.0.0.1 (bound, then released).
fn free_port() -> u16 {
    let l = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
    l.local_addr().expect("addr").port()
}

// ---------------------------------------------------------------------------
// Repositories and commands
// ---------------------------------------------------------------------------

fn config_with_email() -> String {
    format!(
        "{DEFAULT_CONFIG}\n[email]\nfrom = {FROM:?}\nreply_to = {REPLY_TO:?}\nlist_unsubscribe = {LIST_UNSUBSCRIBE:?}\n"
    )
}

/// The bundled policy released as privacy-policy/2025-07-09, then the
/// bundled draft (effective 2026-01-15, a major change) committed over it.
fn notice_repo() -> TestRepo {
    let repo = TestRepo::new();
    repo.write("policydiff.toml", config_with_email());
    let old = std::fs::read_to_string(bundled_policy()).expect("bundled policy");
    repo.commit(&[(POLICY, &old)], "Current policy", "2025-06-01T10:00:00Z");
    run_ok(repo.cmd().args(["release", "--effective", "2025-07-09"]));
    let new = std::fs::read_to_string(bundled_draft()).expect("bundled draft");
    repo.commit(&[(POLICY, &new)], "Next policy", "2025-11-01T10:00:00Z");
    repo
}

/// Like [`notice_repo`] with two short texts, so that 10,000 messages render
/// and travel within the test's time budget (the bundled pair makes 23–29 kB
/// messages; these are about 12 kB).
fn small_notice_repo() -> TestRepo {
    let repo = TestRepo::new();
    repo.write("policydiff.toml", config_with_email());
    repo.commit(
        &[(POLICY, &policy_text(1))],
        "Current policy",
        "2025-06-01T10:00:00Z",
    );
    run_ok(repo.cmd().args(["release", "--effective", "2025-07-09"]));
    repo.commit(
        &[(POLICY, &policy_text(3))],
        "Next policy",
        "2025-11-01T10:00:00Z",
    );
    repo
}

/// The send arguments shared by every test.
fn send_args<'a>(recipients: &'a str, transport: &'a str) -> Vec<&'a str> {
    vec![
        "send",
        "privacy-policy/2025-07-09",
        POLICY,
        "--recipients",
        recipients,
        "--transport",
        transport,
        "--notice-date",
        "2025-12-01",
        "--retry-delay-ms",
        "10",
    ]
}

/// `policydiff send …` with no password in the environment, the journal at
/// `journal.jsonl` unless `extra` names one.
fn send(repo: &TestRepo, recipients: &str, transport: &str, extra: &[&str]) -> assert_cmd::Command {
    let mut cmd = repo.cmd();
    cmd.env_remove(PASSWORD_ENV)
        .env_remove(KEY_ENV)
        .env_remove(KEY_FILE_ENV)
        .args(send_args(recipients, transport))
        .args(extra);
    if !extra.contains(&"--journal") {
        cmd.args(["--journal", JOURNAL]);
    }
    cmd
}

/// What a run printed.
struct Run {
    code: Option<i32>,
    stdout: String,
    stderr: String,
}

impl Run {
    fn shown(&self) -> String {
        banners(&[("stdout", &self.stdout), ("stderr", &self.stderr)])
    }

    #[track_caller]
    fn assert_code(&self, code: i32) -> &Run {
        assert_eq!(self.code, Some(code), "exit code{}", self.shown());
        self
    }

    #[track_caller]
    fn assert_stdout(&self, needles: &[&str]) -> &Run {
        for n in needles {
            assert!(
                self.stdout.contains(n),
                "stdout lacks {n:?}{}",
                self.shown()
            );
        }
        self
    }

    #[track_caller]
    fn assert_stderr(&self, needles: &[&str]) -> &Run {
        for n in needles {
            assert!(
                self.stderr.contains(n),
                "stderr lacks {n:?}{}",
                self.shown()
            );
        }
        self
    }

    /// Neither output holds `secret`.
    #[track_caller]
    fn assert_hides(&self, secret: &str) -> &Run {
        assert!(
            !self.stdout.contains(secret) && !self.stderr.contains(secret),
            "the password appears in the output{}",
            self.shown()
        );
        self
    }
}

/// Run; never a panic.
#[track_caller]
fn run(cmd: &mut assert_cmd::Command) -> Run {
    let out = cmd.output().expect("run policydiff");
    let r = Run {
        code: out.status.code(),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    };
    assert!(!r.stderr.contains("panicked"), "panic{}", r.shown());
    r
}

/// `receipts --journal journal.jsonl [--recipients FILE] --format json`.
#[track_caller]
fn receipts(repo: &TestRepo, recipients: Option<&str>) -> Vec<Value> {
    let mut cmd = repo.cmd();
    cmd.env_remove(KEY_ENV).env_remove(KEY_FILE_ENV);
    cmd.args(["receipts", "--journal", JOURNAL, "--format", "json"]);
    if let Some(r) = recipients {
        cmd.args(["--recipients", r]);
    }
    let out = run_ok(&mut cmd);
    support::json(&out)
        .as_array()
        .expect("receipts are a list")
        .clone()
}

/// Receipts by email address.
fn receipts_by_email(rows: &[Value]) -> BTreeMap<String, Value> {
    rows.iter()
        .map(|r| (r["email"].as_str().expect("email").to_owned(), r.clone()))
        .collect()
}

fn has_cjk(s: &str) -> bool {
    s.chars().any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c))
}

fn header<'a>(decoded: &'a Value, name: &str) -> &'a str {
    decoded["headers"][name]
        .as_str()
        .unwrap_or_else(|| panic!("no single {name} header in {decoded:#}"))
}

/// Every line of the journal is a JSON object with a newline after it.
#[track_caller]
fn assert_journal_parses(repo: &TestRepo) -> usize {
    let text = String::from_utf8(repo.read(JOURNAL)).expect("journal is UTF-8");
    assert!(text.ends_with('\n'), "journal does not end with a newline");
    for (i, line) in text.lines().enumerate() {
        let v: Value = serde_json::from_str(line)
            .unwrap_or_else(|e| panic!("journal line {} is not JSON ({e}): {line}", i + 1));
        assert!(v.is_object(), "journal line {}: {line}", i + 1);
    }
    text.lines().count()
}

// ---------------------------------------------------------------------------
// STARTTLS, AUTH, headers, locales, receipts
// ---------------------------------------------------------------------------

/// Recipients: English and Chinese rows, a name with a comma, a row with no
/// locale, and a repeated address in other case.
const LOCALISED: &str = "email,name,locale\n\
ana@example.com,Ana García,en\n\
wang@example.net,王小明,zh-CN\n\
bob@example.org,\"Bob, Jr.\",en\n\
li.lei@example.com,李雷,zh-CN\n\
nolocale@example.com,Nora,\n\
ANA@Example.COM,Ana again,en\n";

fn localised_expectations() -> Vec<(&'static str, &'static str, bool)> {
    vec![
        ("ana@example.com", "Ana García", false),
        ("wang@example.net", "王小明", true),
        ("bob@example.org", "Bob, Jr.", false),
        ("li.lei@example.com", "李雷", true),
        ("nolocale@example.com", "Nora", false),
    ]
}

#[test]
fn starttls_with_auth_delivers_one_localised_message_to_each_recipient() {
    if !server_available("starttls_with_auth_delivers_one_localised_message_to_each_recipient") {
        return;
    }
    let repo = notice_repo();
    repo.write("recipients.csv", LOCALISED);
    let server = Server::start(
        &server_dir(&repo, "smtp"),
        ServerOpts {
            tls: Tls::Starttls,
            auth: true,
            ..ServerOpts::default()
        },
    );
    let ca = server.ca.display().to_string();
    let url = server.url("smtp", Some(USER));
    let r =
        run(send(&repo, "recipients.csv", &url, &["--tls-ca", &ca]).env(PASSWORD_ENV, PASSWORD));
    r.assert_code(0)
        .assert_stdout(&["sent 5,", "deferred 0", "failed 0", "duplicates 1"])
        .assert_hides(PASSWORD);

    // Exactly one message per recipient, the repeated address included.
    let expected = localised_expectations();
    let addresses: Vec<&str> = expected.iter().map(|e| e.0).collect();
    let received = server.received();
    assert_eq!(
        received,
        addresses
            .iter()
            .map(|a| (a.to_string(), 1))
            .collect::<BTreeMap<_, _>>(),
        "{}",
        server.log_text()
    );
    // Every session authenticated as the user, over TLS (the server offers
    // AUTH only after STARTTLS).
    let auths: Vec<Value> = server
        .events()
        .into_iter()
        .filter(|e| e["event"] == "auth")
        .collect();
    assert!(!auths.is_empty());
    assert!(
        auths.iter().all(|a| a["ok"] == true && a["user"] == USER),
        "{auths:?}"
    );

    let receipts = receipts_by_email(&receipts(&repo, Some("recipients.csv")));
    for m in server.messages() {
        let to = m["rcpt_tos"][0].as_str().unwrap().to_lowercase();
        let (_, name, chinese) = *expected.iter().find(|e| e.0 == to).unwrap();
        assert_eq!(m["rcpt_tos"].as_array().unwrap().len(), 1, "{m}");
        assert_eq!(m["mail_from"], "privacy@example.com", "{m}");
        let d = server.decoded(&m);
        let shown = format!("{to}: {:#}", d["headers"]);

        // Headers.
        assert_eq!(header(&d, "from"), FROM, "{shown}");
        assert_eq!(header(&d, "reply-to"), REPLY_TO, "{shown}");
        assert_eq!(header(&d, "list-unsubscribe"), LIST_UNSUBSCRIBE, "{shown}");
        assert!(!header(&d, "date").is_empty(), "{shown}");
        let message_id = header(&d, "message-id");
        assert!(
            message_id.starts_with('<') && message_id.ends_with("@example.com>"),
            "{shown}"
        );
        for single in ["from", "to", "subject", "message-id", "date", "reply-to"] {
            assert_eq!(d["header_count"][single], 1, "{single}: {shown}");
        }
        assert!(d["headers"].get("cc").is_none() && d["headers"].get("bcc").is_none());
        // To: this recipient only, with the name from the list.
        let to_header = header(&d, "to");
        assert!(
            to_header.to_lowercase().contains(&to) && to_header.contains(name),
            "{shown}"
        );
        assert_eq!(to_header.matches('@').count(), 1, "{shown}");
        // No other recipient's address anywhere in the message.
        let raw = server.raw(&m).to_lowercase();
        for other in addresses.iter().filter(|a| **a != to) {
            assert!(!raw.contains(other), "the message to {to} mentions {other}");
        }

        // Structure: multipart/alternative, text then HTML.
        assert_eq!(d["content_type"], "multipart/alternative", "{shown}");
        let parts = d["parts"].as_array().unwrap();
        let types: Vec<&str> = parts.iter().map(|p| p["type"].as_str().unwrap()).collect();
        assert_eq!(types, ["text/plain", "text/html"], "{shown}");
        let text = parts[0]["content"].as_str().unwrap();
        let html = parts[1]["content"].as_str().unwrap();

        // Locale: Chinese subject and body for zh-CN, none for English.
        let subject = header(&d, "subject");
        // The zh-CN notice names the policy by its Chinese title.
        let title = if chinese {
            "隐私政策"
        } else {
            "Privacy Policy"
        };
        assert!(subject.contains(title), "{shown}");
        assert_eq!(has_cjk(subject), chinese, "subject of {to}: {subject}");
        assert_eq!(has_cjk(text), chinese, "text of {to}:\n{text}");
        assert_eq!(has_cjk(html), chinese, "html of {to}");
        assert!(
            text.contains(name),
            "the text to {to} does not greet {name}"
        );
        assert!(html.to_lowercase().contains("<html"), "{to}: {html}");

        // The receipt names the same Message-ID.
        let receipt = &receipts[&to];
        assert_eq!(receipt["status"], "sent", "{receipt}");
        assert_eq!(receipt["message_id"], message_id, "{receipt}");
        assert!(
            receipt["reply"].as_str().unwrap().starts_with("250"),
            "{receipt}"
        );
    }
    // Five sent, and (issue 11) the repeated address as a duplicate of line 2.
    assert_eq!(receipts.len(), 6, "{receipts:?}");
    let dup = &receipts["ANA@Example.COM"];
    assert_eq!(dup["status"], "duplicate", "{dup}");
    assert_eq!(dup["line"], 7, "{dup}");
    assert_eq!(
        dup["reply"], "same address as line 2: one message for both",
        "{dup}"
    );

    // The journal holds no address and no password.
    let journal = String::from_utf8(repo.read(JOURNAL)).unwrap();
    for a in &addresses {
        assert!(!journal.contains(a), "the journal holds {a}");
    }
    assert!(!journal.contains(PASSWORD));

    // Run again: nobody twice.
    let again =
        run(send(&repo, "recipients.csv", &url, &["--tls-ca", &ca]).env(PASSWORD_ENV, PASSWORD));
    again
        .assert_code(0)
        .assert_stdout(&["sent 0,", "already sent 5"])
        .assert_hides(PASSWORD);
    assert_eq!(server.messages().len(), 5);
}

#[test]
fn a_wrong_or_missing_password_delivers_nothing_and_is_never_printed() {
    if !server_available("a_wrong_or_missing_password_delivers_nothing_and_is_never_printed") {
        return;
    }
    let repo = notice_repo();
    repo.write("recipients.csv", LOCALISED);
    let server = Server::start(
        &server_dir(&repo, "smtp"),
        ServerOpts {
            tls: Tls::Starttls,
            auth: true,
            ..ServerOpts::default()
        },
    );
    let ca = server.ca.display().to_string();
    let url = server.url("smtp", Some(USER));

    // A user and no password: refused before connecting, naming both ways.
    for env in [None, Some("")] {
        let mut cmd = send(&repo, "recipients.csv", &url, &["--tls-ca", &ca]);
        if let Some(v) = env {
            cmd.env(PASSWORD_ENV, v);
        }
        run(&mut cmd).assert_code(2).assert_stderr(&[
            "policydiff: error:",
            "password",
            PASSWORD_ENV,
            "--password-file",
        ]);
    }
    assert!(server.events().is_empty(), "{:?}", server.events());
    assert!(!repo.join(JOURNAL).exists(), "a journal was started");

    // The password in the URL is refused, and not repeated.
    let in_url = format!("smtp://{USER}:{PASSWORD}@127.0.0.1:{}", server.port);
    run(&mut send(&repo, "recipients.csv", &in_url, &[]))
        .assert_code(2)
        .assert_stderr(&["password in the URL"])
        .assert_hides(PASSWORD);

    // A wrong password: the pre-flight (issue 11) stops at the 535 before
    // the first message, one AUTH only (no lockout by retrying every
    // recipient), and neither the journal nor its key is created.
    let wrong = "wrong-Pa55-also-secret";
    let r = run(send(&repo, "recipients.csv", &url, &["--tls-ca", &ca]).env(PASSWORD_ENV, wrong));
    r.assert_code(2).assert_hides(wrong).assert_hides(PASSWORD);
    r.assert_stderr(&[
        "policydiff: error: pre-flight:",
        "refused AUTH: 535",
        "nothing was sent",
    ]);
    assert!(r.stdout.is_empty(), "{}", r.shown());
    assert!(server.messages().is_empty());
    let auths: Vec<Value> = server
        .events()
        .into_iter()
        .filter(|e| e["event"] == "auth")
        .collect();
    assert_eq!(auths.len(), 1, "{auths:?}");
    assert_eq!(auths[0]["ok"], false, "{auths:?}");
    assert!(
        !repo.join(JOURNAL).exists(),
        "the pre-flight wrote a journal"
    );
    assert!(!repo.join(KEY_FILE).exists(), "the pre-flight made a key");

    // No --tls-ca: the self-signed chain is not trusted; nothing is sent in
    // clear, nothing delivered; the pre-flight says so.
    let r = run(
        send(&repo, "recipients.csv", &url, &["--journal", "no-ca.jsonl"])
            .env(PASSWORD_ENV, PASSWORD),
    );
    r.assert_code(2)
        .assert_stderr(&["pre-flight:", "certificate", "--tls-ca"])
        .assert_hides(PASSWORD);
    assert!(!repo.join("no-ca.jsonl").exists());
    // Running again would change nothing: it does not say to.
    assert!(
        !r.stderr.contains("run the same command again"),
        "{}",
        r.shown()
    );
    assert!(!r.stderr.contains("os error"), "{}", r.shown());
    assert!(server.messages().is_empty());
}

/// A wrong password is a mistake of the sender, not a refusal of the
/// recipient: after fixing it, the same command must deliver to everyone.
#[test]

fn a_rerun_with_the_right_password_delivers_after_a_wrong_one() {
    if !server_available("a_rerun_with_the_right_password_delivers_after_a_wrong_one") {
        return;
    }
    let repo = notice_repo();
    repo.write("recipients.csv", LOCALISED);
    let server = Server::start(
        &server_dir(&repo, "smtp"),
        ServerOpts {
            tls: Tls::Starttls,
            auth: true,
            ..ServerOpts::default()
        },
    );
    let ca = server.ca.display().to_string();
    let url = server.url("smtp", Some(USER));
    run(send(&repo, "recipients.csv", &url, &["--tls-ca", &ca]).env(PASSWORD_ENV, "wrong"))
        .assert_code(2);
    assert!(server.messages().is_empty());
    let r =
        run(send(&repo, "recipients.csv", &url, &["--tls-ca", &ca]).env(PASSWORD_ENV, PASSWORD));
    r.assert_code(0).assert_stdout(&["sent 5,"]);
    assert_eq!(server.received().len(), 5);
}

// ---------------------------------------------------------------------------
// Implicit TLS; plain SMTP only with --insecure
// ---------------------------------------------------------------------------

#[test]
fn implicit_tls_works_and_plain_smtp_needs_insecure() {
    if !server_available("implicit_tls_works_and_plain_smtp_needs_insecure") {
        return;
    }
    let repo = notice_repo();
    repo.write("recipients.csv", LOCALISED);

    // smtps:// with AUTH; the password from a file (trailing newline ignored).
    let tls = Server::start(
        &server_dir(&repo, "smtps"),
        ServerOpts {
            tls: Tls::Implicit,
            auth: true,
            ..ServerOpts::default()
        },
    );
    repo.write("password.txt", format!("{PASSWORD}\n"));
    let ca = tls.ca.display().to_string();
    let r = run(&mut send(
        &repo,
        "recipients.csv",
        &tls.url("smtps", Some(USER)),
        &["--tls-ca", &ca, "--password-file", "password.txt"],
    ));
    r.assert_code(0)
        .assert_stdout(&["sent 5,"])
        .assert_hides(PASSWORD);
    assert_eq!(tls.received().values().copied().collect::<Vec<_>>(), [1; 5]);
    assert!(
        tls.events()
            .iter()
            .any(|e| e["event"] == "auth" && e["ok"] == true)
    );

    // A server with no STARTTLS: smtp:// requires it, so nothing goes in
    // clear; the run stops saying so, and nobody is marked failed …
    let plain = Server::start(&server_dir(&repo, "plain"), ServerOpts::default());
    let url = plain.url("smtp", None);
    let r = run(&mut send(
        &repo,
        "recipients.csv",
        &url,
        &["--journal", "plain.jsonl"],
    ));
    // The pre-flight (issue 11) finds it before the first message: no
    // journal is started.
    r.assert_code(2).assert_stderr(&[
        "pre-flight:",
        "does not offer STARTTLS",
        "smtps://",
        "--insecure",
    ]);
    assert!(plain.messages().is_empty());
    assert!(
        plain.events().is_empty(),
        "a RCPT was sent in clear: {:?}",
        plain.events()
    );
    assert!(!repo.join("plain.jsonl").exists());
    // … until --insecure (localhost): then delivered, each once.
    let r = run(&mut send(
        &repo,
        "recipients.csv",
        &url,
        &["--journal", "plain.jsonl", "--insecure"],
    ));
    r.assert_code(0).assert_stdout(&["sent 5,"]);
    assert_eq!(
        plain.received().values().copied().collect::<Vec<_>>(),
        [1; 5]
    );
}

// ---------------------------------------------------------------------------
// Faults: temporary failures, refusals, cut connections, a server down
// ---------------------------------------------------------------------------

#[test]
fn temporary_failures_are_retried_refusals_are_not_and_cut_connections_are_resent() {
    if !server_available(
        "temporary_failures_are_retried_refusals_are_not_and_cut_connections_are_resent",
    ) {
        return;
    }
    let repo = notice_repo();
    repo.write(
        "recipients.csv",
        "email,name,locale\n\
         tempfail-2-ana@example.com,Ana,en\n\
         ok-1@example.com,One,en\n\
         reject-bob@example.com,Bob,en\n\
         ok-2@example.com,Two,zh-CN\n\
         dropdata-cai@example.com,蔡,zh-CN\n\
         ok-3@example.com,Three,en\n",
    );
    let server = Server::start(&server_dir(&repo, "smtp"), ServerOpts::default());
    let url = server.url("smtp", None);
    // One connection: each fault is followed by a message on the same
    // (or a fresh) connection.
    let args = ["--insecure", "--connections", "1"];
    let r = run(&mut send(&repo, "recipients.csv", &url, &args));
    r.assert_code(2)
        .assert_stdout(&["sent 5,", "deferred 0", "failed 1"])
        .assert_stderr(&["1 recipient(s) not delivered", "policydiff receipts"]);
    let delivered = [
        "tempfail-2-ana@example.com",
        "ok-1@example.com",
        "ok-2@example.com",
        "dropdata-cai@example.com",
        "ok-3@example.com",
    ];
    let received = server.received();
    assert_eq!(
        received,
        delivered
            .iter()
            .map(|a| (a.to_string(), 1))
            .collect::<BTreeMap<_, _>>(),
        "{:#?}",
        server.events()
    );
    // 451, 451, then accepted; refused once and never again; cut once.
    assert_eq!(server.rcpt_attempts("tempfail-2-ana@example.com"), 3);
    assert_eq!(server.rcpt_attempts("reject-bob@example.com"), 1);
    assert_eq!(server.rcpt_attempts("dropdata-cai@example.com"), 2);
    assert!(server.events().iter().any(|e| e["event"] == "drop"));

    let rows = receipts_by_email(&receipts(&repo, Some("recipients.csv")));
    let refused = &rows["reject-bob@example.com"];
    assert_eq!(refused["status"], "failed", "{refused}");
    assert!(
        refused["reply"].as_str().unwrap().contains("550"),
        "{refused}"
    );
    for a in delivered {
        assert_eq!(rows[a]["status"], "sent", "{a}: {}", rows[a]);
    }
    // The journal: one `failed`, attempts numbered.
    let journal = String::from_utf8(repo.read(JOURNAL)).unwrap();
    assert_eq!(journal.matches("\"e\":\"failed\"").count(), 1, "{journal}");
    assert!(journal.contains("\"n\":3"), "{journal}");

    // Again: the refusal stands (not retried), nobody gets a second message.
    let r = run(&mut send(&repo, "recipients.csv", &url, &args));
    r.assert_code(2)
        .assert_stdout(&["sent 0,", "already sent 5", "failed 1"]);
    assert_eq!(server.rcpt_attempts("reject-bob@example.com"), 1);
    assert_eq!(server.received(), received);
}

#[test]
fn a_server_down_at_start_fails_the_pre_flight_fast_and_a_rerun_delivers_each_once() {
    if !server_available(
        "a_server_down_at_start_fails_the_pre_flight_fast_and_a_rerun_delivers_each_once",
    ) {
        return;
    }
    let repo = notice_repo();
    repo.write("recipients.csv", LOCALISED);
    let dir = server_dir(&repo, "smtp");
    let up = dir.join("up");
    let mut server = Server::spawn(
        &dir,
        ServerOpts {
            port: free_port(),
            down_until: Some(up.clone()),
            ..ServerOpts::default()
        },
    );
    let url = server.url("smtp", None);
    // Issue 11: main took 19 s retrying each recipient and said "deferred
    // 5" without the reason. The pre-flight fails at once, in plain words,
    // and starts no journal (a dry run too).
    for dry in [true, false] {
        let t = Instant::now();
        let extra: &[&str] = if dry {
            &["--insecure", "--dry-run"]
        } else {
            &["--insecure"]
        };
        let r = run(&mut send(&repo, "recipients.csv", &url, extra));
        let refused = format!("connection refused by 127.0.0.1:{}", server.port);
        r.assert_code(2).assert_stderr(&[
            "policydiff: error: pre-flight:",
            &refused,
            "nothing was sent",
        ]);
        assert_eq!(r.stderr.lines().count(), 1, "{}", r.shown());
        assert!(t.elapsed() < Duration::from_secs(5), "{:?}", t.elapsed());
        assert!(!repo.join(JOURNAL).exists(), "a journal was started");
        assert!(!repo.join(KEY_FILE).exists(), "a journal key was made");
    }

    std::fs::write(&up, "").unwrap();
    server.wait_ready();
    let r = run(&mut send(&repo, "recipients.csv", &url, &["--insecure"]));
    r.assert_code(0).assert_stdout(&["sent 5,", "deferred 0"]);
    let expected: BTreeMap<String, usize> = localised_expectations()
        .iter()
        .map(|e| (e.0.to_owned(), 1))
        .collect();
    assert_eq!(server.received(), expected);
    for row in receipts(&repo, Some("recipients.csv")) {
        let want = if row["line"] == 7 {
            "duplicate"
        } else {
            "sent"
        };
        assert_eq!(row["status"], want, "{row}");
    }
    // Once more: nothing to do.
    run(&mut send(&repo, "recipients.csv", &url, &["--insecure"]))
        .assert_code(0)
        .assert_stdout(&["sent 0,", "already sent 5"]);
    assert_eq!(server.received(), expected);
}

#[test]
fn shards_dry_run_and_rate() {
    if !server_available("shards_dry_run_and_rate") {
        return;
    }
    let repo = notice_repo();
    let mut list = String::from("email,name,locale\n");
    let addresses: Vec<String> = (0..12).map(|i| format!("s{i}@example.com")).collect();
    for (i, a) in addresses.iter().enumerate() {
        list.push_str(&format!(
            "{a},S {i},{}\n",
            if i % 2 == 0 { "en" } else { "zh-CN" }
        ));
    }
    repo.write("recipients.csv", &list);
    let server = Server::start(&server_dir(&repo, "smtp"), ServerOpts::default());
    let url = server.url("smtp", None);

    // --dry-run: nothing sent, no journal.
    run(&mut send(
        &repo,
        "recipients.csv",
        &url,
        &["--insecure", "--dry-run"],
    ))
    .assert_code(0)
    .assert_stdout(&["would send 12", "nothing sent"]);
    assert_eq!(server.count(), 0);
    assert!(!repo.join(JOURNAL).exists());

    // Two shards, two journals: together everyone once; at 20/s.
    let t = Instant::now();
    let mut sent = 0;
    for (k, journal) in [("1/2", "shard1.jsonl"), ("2/2", "shard2.jsonl")] {
        let r = run(&mut send(
            &repo,
            "recipients.csv",
            &url,
            &[
                "--insecure",
                "--shard",
                k,
                "--journal",
                journal,
                "--rate",
                "20/s",
            ],
        ));
        r.assert_code(0).assert_stdout(&["other shards"]);
        let n: usize = r.stdout["sent ".len()..]
            .split(',')
            .next()
            .unwrap()
            .parse()
            .unwrap();
        sent += n;
    }
    let elapsed = t.elapsed();
    assert_eq!(sent, 12);
    assert_eq!(
        server.received(),
        addresses
            .iter()
            .map(|a| (a.clone(), 1))
            .collect::<BTreeMap<_, _>>()
    );
    // 12 messages at 20/s, in two runs: at least 10 intervals of 50 ms.
    assert!(elapsed >= Duration::from_millis(450), "{elapsed:?}");
    let out = run_ok(repo.cmd().args([
        "receipts",
        "--journal",
        "shard1.jsonl",
        "--journal",
        "shard2.jsonl",
        "--recipients",
        "recipients.csv",
        "--format",
        "json",
    ]));
    let rows = support::json(&out);
    let rows = rows.as_array().unwrap();
    assert_eq!(rows.len(), 12);
    assert!(rows.iter().all(|r| r["status"] == "sent"), "{out}");
}

// ---------------------------------------------------------------------------
// Hostile and broken input
// ---------------------------------------------------------------------------

#[test]
fn a_header_injection_row_is_reported_with_its_line_and_skipped() {
    if !server_available("a_header_injection_row_is_reported_with_its_line_and_skipped") {
        return;
    }
    let repo = notice_repo();
    repo.write(
        "recipients.csv",
        "email,name,locale\n\
         ana@example.com,Ana,en\n\
         bob@example.com,\"Bob\r\nBcc: x@y\",en\n\
         \"eve@example.com\r\nBcc: x@y\",Eve,en\n\
         carol@example.com,Carol,zh-CN\n",
    );
    let server = Server::start(&server_dir(&repo, "smtp"), ServerOpts::default());
    let url = server.url("smtp", None);
    let r = run(&mut send(&repo, "recipients.csv", &url, &["--insecure"]));
    // Every valid recipient was sent: exit 0 since issue 11 (it was 2); the
    // skipped rows are listed with their lines.
    r.assert_code(0)
        .assert_stdout(&["sent 2,", "invalid 2"])
        .assert_stderr(&[
            "recipients.csv line 3:",
            "recipients.csv line 5:",
            "line break",
            "(skipped)",
            "2 invalid row(s) skipped",
        ]);
    // The report names lines, not addresses (personal data).
    assert!(!r.stderr.contains("bob@example.com") && !r.stderr.contains("eve@example.com"));
    assert_eq!(
        server.received(),
        BTreeMap::from([
            ("ana@example.com".to_owned(), 1),
            ("carol@example.com".to_owned(), 1)
        ]),
        "{:#?}",
        server.events()
    );
    assert!(
        !server
            .events()
            .iter()
            .any(|e| e["rcpt"].as_str().is_some_and(|r| r.contains("x@y"))),
        "{:?}",
        server.events()
    );
    for m in server.messages() {
        let raw = server.raw(&m).to_lowercase();
        assert!(!raw.contains("bcc") && !raw.contains("x@y"), "{raw}");
    }

    // --strict refuses the whole list.
    let r = run(&mut send(
        &repo,
        "recipients.csv",
        &url,
        &["--insecure", "--strict", "--journal", "strict.jsonl"],
    ));
    r.assert_code(2)
        .assert_stderr(&["2 invalid row(s) (line ", "and --strict: nothing was sent"]);
    assert_eq!(server.messages().len(), 2);
}

#[test]
fn empty_and_malformed_recipient_lists() {
    if !server_available("empty_and_malformed_recipient_lists") {
        return;
    }
    let repo = notice_repo();
    let server = Server::start(&server_dir(&repo, "smtp"), ServerOpts::default());
    let url = server.url("smtp", None);

    // Header only: nothing to do, success.
    repo.write("header-only.csv", "email,name,locale\n");
    run(&mut send(
        &repo,
        "header-only.csv",
        &url,
        &["--insecure", "--journal", "empty.jsonl"],
    ))
    .assert_code(0)
    .assert_stdout(&["sent 0,", "deferred 0", "failed 0", "invalid 0"]);

    // An empty file and a list without an email column: refused, named.
    repo.write("empty.csv", "");
    repo.write("no-email.csv", "mail,name\nana@example.com,Ana\n");
    for list in ["empty.csv", "no-email.csv"] {
        run(&mut send(
            &repo,
            list,
            &url,
            &["--insecure", "--journal", "x.jsonl"],
        ))
        .assert_code(2)
        .assert_stderr(&["policydiff: error:", list, "no `email` column"]);
    }
    // A list that is not there, or a directory.
    std::fs::create_dir_all(repo.join("a-dir")).unwrap();
    for list in ["missing.csv", "a-dir"] {
        run(&mut send(&repo, list, &url, &["--insecure"]))
            .assert_code(2)
            .assert_stderr(&["policydiff: error:", list]);
    }
    assert!(server.messages().is_empty());

    // Malformed rows: reported with their lines; the good rows still go.
    let mut bytes = b"email,name,locale\n\
        ana@example.com,Ana,en\n\
        only-two@example.com,Two\n\
        not-an-address,Nobody,en\n\
        ,No Mail,en\n\
        four@example.com,Four,en,extra\n"
        .to_vec();
    bytes.extend_from_slice(b"latin1@example.com,Jos\xe9,en\n");
    bytes
        .extend_from_slice(b"carol@example.com,Carol,zh-CN\n\"unterminated@example.com,Quote,en\n");
    repo.write("malformed.csv", &bytes);
    let r = run(&mut send(
        &repo,
        "malformed.csv",
        &url,
        &["--insecure", "--journal", "malformed.jsonl"],
    ));
    // The valid rows were all sent: exit 0 since issue 11 (it was 2).
    r.assert_code(0).assert_stderr(&[
        "malformed.csv line 3: 2 columns, the header has 3 (skipped)",
        "malformed.csv line 4: invalid email address (skipped)",
        "malformed.csv line 5: no email address (skipped)",
        "malformed.csv line 6: 4 columns, the header has 3 (skipped)",
        "malformed.csv line 7: not valid UTF-8 (skipped)",
    ]);
    assert_eq!(
        server.received(),
        BTreeMap::from([
            ("ana@example.com".to_owned(), 1),
            ("carol@example.com".to_owned(), 1)
        ]),
        "{}",
        r.shown()
    );
}

/// One stray quote makes the CSV reader take the rest of the file as one
/// field: every later row is neither sent nor reported, yet the run says
/// only one recipient was not delivered.
#[test]

fn a_stray_quote_does_not_hide_the_rows_after_it() {
    if !server_available("a_stray_quote_does_not_hide_the_rows_after_it") {
        return;
    }
    let repo = notice_repo();
    let mut list =
        String::from("email,name,locale\na@example.com,A,en\n\"q@example.com,Quote,en\n");
    for i in 0..100 {
        list.push_str(&format!("v{i}@example.com,V {i},en\n"));
    }
    repo.write("recipients.csv", &list);
    let server = Server::start(&server_dir(&repo, "smtp"), ServerOpts::default());
    let url = server.url("smtp", None);
    let r = run(&mut send(&repo, "recipients.csv", &url, &["--insecure"]));
    // The one valid row was sent: exit 0 since issue 11 (it was 2), the
    // rows under the quote counted and reported as invalid.
    r.assert_code(0).assert_stdout(&["sent 1,", "invalid 102"]);
    // Either the later rows are read, or the report says what happened to
    // them: the quote, or all 101 rows not delivered.
    assert!(
        server.count() == 101
            || r.stderr.to_lowercase().contains("quote")
            || r.stderr.contains("101 recipient(s) not delivered"),
        "the 100 rows after a stray quote vanished from the report{}",
        r.shown()
    );
}

#[test]
fn a_journal_cut_mid_line_resumes_and_resends_only_the_recipient_in_doubt() {
    if !server_available("a_journal_cut_mid_line_resumes_and_resends_only_the_recipient_in_doubt") {
        return;
    }
    let repo = notice_repo();
    let server = Server::start(&server_dir(&repo, "smtp"), ServerOpts::default());
    let url = server.url("smtp", None);
    repo.write(
        "first.csv",
        "email,name\na@example.com,A\nb@example.com,B\nc@example.com,C\n",
    );
    let one = ["--insecure", "--connections", "1"];
    run(&mut send(&repo, "first.csv", &url, &one))
        .assert_code(0)
        .assert_stdout(&["sent 3,"]);

    // A crash mid-write: the last line (c's `sent`) cut in half.
    let text = String::from_utf8(repo.read(JOURNAL)).unwrap();
    let body = text.strip_suffix('\n').unwrap();
    let last_start = body.rfind('\n').unwrap() + 1;
    let last = &body[last_start..];
    assert!(last.contains("\"e\":\"sent\""), "{last}");
    let cut = format!("{}{}", &text[..last_start], &last[..last.len() / 2]);
    repo.write(JOURNAL, &cut);

    repo.write(
        "all.csv",
        "email,name\na@example.com,A\nb@example.com,B\nc@example.com,C\nd@example.com,D\n",
    );
    let r = run(&mut send(&repo, "all.csv", &url, &one));
    r.assert_code(0)
        .assert_stdout(&["sent 2,", "already sent 2", "resent in doubt 1"]);
    // At least once: c again (its outcome was lost), nobody else twice.
    let received = server.received();
    assert_eq!(
        received,
        BTreeMap::from([
            ("a@example.com".to_owned(), 1),
            ("b@example.com".to_owned(), 1),
            ("c@example.com".to_owned(), 2),
            ("d@example.com".to_owned(), 1),
        ])
    );
    assert_journal_parses(&repo);
    for row in receipts(&repo, Some("all.csv")) {
        assert_eq!(row["status"], "sent", "{row}");
    }
}

/// A crash can leave a complete record without its newline: the journal
/// writer writes a record and its `\n` in two calls to a BufWriter, which
/// flushes in between when the buffer fills exactly at the record's end.
/// The resume must not glue its next record onto that line.
#[test]

fn a_journal_whose_last_record_lost_its_newline_resumes() {
    if !server_available("a_journal_whose_last_record_lost_its_newline_resumes") {
        return;
    }
    let repo = notice_repo();
    let server = Server::start(&server_dir(&repo, "smtp"), ServerOpts::default());
    let url = server.url("smtp", None);
    repo.write(
        "first.csv",
        "email,name\na@example.com,A\nb@example.com,B\n",
    );
    let one = ["--insecure", "--connections", "1"];
    run(&mut send(&repo, "first.csv", &url, &one)).assert_code(0);
    let text = String::from_utf8(repo.read(JOURNAL)).unwrap();
    repo.write(JOURNAL, text.strip_suffix('\n').unwrap());

    repo.write(
        "all.csv",
        "email,name\na@example.com,A\nb@example.com,B\nc@example.com,C\n",
    );
    run(&mut send(&repo, "all.csv", &url, &one))
        .assert_code(0)
        .assert_stdout(&["sent 1,", "already sent 2"]);
    assert_journal_parses(&repo);
    for row in receipts(&repo, Some("all.csv")) {
        assert_eq!(row["status"], "sent", "{row}");
    }
    run(&mut send(&repo, "all.csv", &url, &one))
        .assert_code(0)
        .assert_stdout(&["already sent 3"]);
}

#[test]
fn journals_of_another_notice_damaged_or_unreadable_are_refused() {
    if !server_available("journals_of_another_notice_damaged_or_unreadable_are_refused") {
        return;
    }
    let repo = notice_repo();
    let server = Server::start(&server_dir(&repo, "smtp"), ServerOpts::default());
    let url = server.url("smtp", None);
    repo.write("list.csv", "email,name\na@example.com,A\n");

    // The journal of another notice (another effective date).
    run(&mut send(
        &repo,
        "list.csv",
        &url,
        &[
            "--insecure",
            "--effective",
            "2026-02-01",
            "--journal",
            "other.jsonl",
        ],
    ))
    .assert_code(0);
    assert_eq!(server.messages().len(), 1);
    run(&mut send(
        &repo,
        "list.csv",
        &url,
        &["--insecure", "--journal", "other.jsonl"],
    ))
    .assert_code(2)
    .assert_stderr(&["policydiff: error:", "other.jsonl", "journal of notice"]);

    // A directory where the journal should be.
    std::fs::create_dir_all(repo.join("dir.jsonl")).unwrap();
    run(&mut send(
        &repo,
        "list.csv",
        &url,
        &["--insecure", "--journal", "dir.jsonl"],
    ))
    .assert_code(2)
    .assert_stderr(&["policydiff: error:", "dir.jsonl"]);

    // Not a journal, and damage in the middle (not a torn last line).
    repo.write("junk.jsonl", "hello\n");
    run(&mut send(
        &repo,
        "list.csv",
        &url,
        &["--insecure", "--journal", "junk.jsonl"],
    ))
    .assert_code(2)
    .assert_stderr(&["junk.jsonl", "line 1"]);
    let other = String::from_utf8(repo.read("other.jsonl")).unwrap();
    let mut lines: Vec<&str> = other.lines().collect();
    lines.insert(1, "{garbage");
    repo.write("damaged.jsonl", lines.join("\n") + "\n");
    run(&mut send(
        &repo,
        "list.csv",
        &url,
        &[
            "--insecure",
            "--effective",
            "2026-02-01",
            "--journal",
            "damaged.jsonl",
        ],
    ))
    .assert_code(2)
    .assert_stderr(&["damaged.jsonl", "line 2"]);
    // receipts refuses them too, and journals of two notices together.
    for j in ["dir.jsonl", "junk.jsonl", "damaged.jsonl"] {
        run(repo.cmd().args(["receipts", "--journal", j]))
            .assert_code(2)
            .assert_stderr(&[j]);
    }
    run(&mut send(&repo, "list.csv", &url, &["--insecure"])).assert_code(0);
    run(repo
        .cmd()
        .args(["receipts", "--journal", JOURNAL, "--journal", "other.jsonl"]))
    .assert_code(2)
    .assert_stderr(&["other.jsonl", "journals of one notice only"]);
    // Nothing was sent on a refused journal.
    assert_eq!(server.messages().len(), 2);
}

/// The journal cannot be written (disk full; here a file size limit):
/// the workers stop, and the thread reading the list must stop too.
#[test]

fn a_journal_write_error_stops_the_run_with_exit_2() {
    if !server_available("a_journal_write_error_stops_the_run_with_exit_2") {
        return;
    }
    let repo = small_notice_repo();
    let mut list = String::from("email,name\n");
    for i in 0..500 {
        list.push_str(&format!("w{i}@example.com,W {i}\n"));
    }
    repo.write("recipients.csv", &list);
    let server = Server::start(
        &server_dir(&repo, "smtp"),
        ServerOpts {
            store: false,
            ..ServerOpts::default()
        },
    );
    let url = server.url("smtp", None);
    let mut args = send_args("recipients.csv", &url);
    args.extend([
        "--journal",
        JOURNAL,
        "--insecure",
        "--effective",
        "2026-01-15",
    ]);
    // Writes past 16 KiB fail with EFBIG (SIGXFSZ ignored) like a full disk.
    let script = "trap '' XFSZ; ulimit -f 16; exec \"$0\" \"$@\"";
    let logs = server_dir(&repo, "runs");
    std::fs::create_dir_all(&logs).unwrap();
    let mut cmd = std::process::Command::new("bash");
    cmd.current_dir(repo.path())
        .args(["-c", script, env!("CARGO_BIN_EXE_policydiff")])
        .args(&args)
        .env("HOME", repo.home())
        .env("XDG_CONFIG_HOME", repo.home().join(".config"))
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .env("NO_COLOR", "1")
        .env_remove(PASSWORD_ENV)
        .env_remove("POLICYDIFF_CONFIG")
        .stdin(Stdio::null())
        .stdout(std::fs::File::create(logs.join("run.out")).unwrap())
        .stderr(std::fs::File::create(logs.join("run.err")).unwrap());
    let mut child = cmd.spawn().expect("bash");
    let status = wait_for(
        &mut child,
        Duration::from_secs(30),
        "send with a failing journal",
    );
    let err = std::fs::read_to_string(logs.join("run.err")).unwrap_or_default();
    assert_eq!(status.code(), Some(2), "{err}");
    assert!(err.contains(JOURNAL), "{err}");
    assert!(server.count() < 500);
}

/// Two runs of the same command at once (a cron overlap, a second
/// terminal) share the journal: each must not send what the other sends,
/// nor overwrite its records.
#[test]

fn two_concurrent_runs_on_one_journal_send_each_message_once() {
    if !server_available("two_concurrent_runs_on_one_journal_send_each_message_once") {
        return;
    }
    let repo = small_notice_repo();
    let mut list = String::from("email,name\n");
    for i in 0..200 {
        list.push_str(&format!("c{i}@example.com,C {i}\n"));
    }
    repo.write("recipients.csv", &list);
    let server = Server::start(
        &server_dir(&repo, "smtp"),
        ServerOpts {
            store: false,
            ..ServerOpts::default()
        },
    );
    let url = server.url("smtp", None);
    let mut args = send_args("recipients.csv", &url);
    args.extend([
        "--journal",
        JOURNAL,
        "--insecure",
        "--effective",
        "2026-01-15",
    ]);
    let logs = server_dir(&repo, "runs");
    std::fs::create_dir_all(&logs).unwrap();
    // The journal exists (a first run with an empty list), so neither run
    // can fail to create it; each run takes about a second (--rate), so
    // they overlap.
    repo.write("empty.csv", "email,name\n");
    let mut empty = args.clone();
    empty[4] = "empty.csv";
    let mut first = spawn_send(&repo, &empty, &logs.join("empty"));
    assert!(wait_for(&mut first, Duration::from_secs(60), "empty run").success());
    args.extend(["--rate", "200/s"]);
    let mut a = spawn_send(&repo, &args, &logs.join("a"));
    let mut b = spawn_send(&repo, &args, &logs.join("b"));
    wait_for(&mut a, Duration::from_secs(60), "run a");
    wait_for(&mut b, Duration::from_secs(60), "run b");
    let said: String = ["a", "b"]
        .iter()
        .map(|n| {
            let out = std::fs::read_to_string(logs.join(format!("{n}.out")));
            format!("run {n}: {}", out.unwrap_or_default())
        })
        .collect();
    // Whatever the two runs said, a third completes the list …
    args.truncate(args.len() - 2);
    let mut c = spawn_send(&repo, &args, &logs.join("c"));
    wait_for(&mut c, Duration::from_secs(60), "run c");
    // … and nobody got two messages, and the journal proves all 200.
    let received = server.received();
    assert_eq!(received.len(), 200);
    let twice = received.values().filter(|&&n| n > 1).count();
    assert_eq!(twice, 0, "{twice} recipients got two messages\n{said}");
    let journal = String::from_utf8(repo.read(JOURNAL)).unwrap();
    assert_eq!(
        journal.matches("\"e\":\"sent\"").count(),
        200,
        "sent records"
    );
}

// ---------------------------------------------------------------------------
// SIGKILL mid-run, 10,000 recipients
// ---------------------------------------------------------------------------

/// `policydiff send` as a plain process, so it can be killed with SIGKILL.
fn spawn_send(repo: &TestRepo, args: &[&str], log: &Path) -> Child {
    let mut cmd = std::process::Command::new(env!("CARGO_BIN_EXE_policydiff"));
    cmd.current_dir(repo.path())
        .args(args)
        .env("HOME", repo.home())
        .env("XDG_CONFIG_HOME", repo.home().join(".config"))
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .env("NO_COLOR", "1")
        .env("RUST_BACKTRACE", "0");
    for var in [
        PASSWORD_ENV,
        "POLICYDIFF_CONFIG",
        "GIT_DIR",
        "GIT_WORK_TREE",
        "GIT_CONFIG",
        "GIT_CONFIG_PARAMETERS",
        "GIT_CONFIG_COUNT",
    ] {
        cmd.env_remove(var);
    }
    cmd.stdin(Stdio::null())
        .stdout(std::fs::File::create(log.with_extension("out")).unwrap())
        .stderr(std::fs::File::create(log.with_extension("err")).unwrap())
        .spawn()
        .expect("spawn policydiff")
}

/// Wait for a child at most `limit`; kill it and panic past that.
fn wait_for(child: &mut Child, limit: Duration, what: &str) -> std::process::ExitStatus {
    let start = Instant::now();
    loop {
        if let Some(status) = child.try_wait().expect("wait") {
            return status;
        }
        if start.elapsed() > limit {
            let _ = child.kill();
            let _ = child.wait();
            panic!("{what} took more than {limit:?}");
        }
        std::thread::sleep(Duration::from_millis(20));
    }
}

#[test]
fn sigkill_mid_run_then_rerun_delivers_everyone_with_few_duplicates() {
    if !server_available("sigkill_mid_run_then_rerun_delivers_everyone_with_few_duplicates") {
        return;
    }
    const N: usize = 10_000;
    let started = Instant::now();
    let repo = small_notice_repo();
    let mut list = String::with_capacity(N * 40);
    list.push_str("email,name,locale\n");
    for i in 0..N {
        let locale = if i % 3 == 0 { "zh-CN" } else { "en" };
        list.push_str(&format!("user{i:05}@example.com,User {i},{locale}\n"));
    }
    repo.write("recipients.csv", &list);
    let server = Server::start(
        &server_dir(&repo, "smtp"),
        ServerOpts {
            store: false,
            ..ServerOpts::default()
        },
    );
    let url = server.url("smtp", None);
    let mut args = send_args("recipients.csv", &url);
    args.extend([
        "--journal",
        JOURNAL,
        "--insecure",
        "--connections",
        "4",
        "--effective",
        "2026-01-15",
    ]);
    let logs = server_dir(&repo, "runs");
    std::fs::create_dir_all(&logs).unwrap();

    // Two kills: one in the first half, one in the second, at random points.
    let kill_at = [
        fastrand::usize(N / 5..N / 2),
        fastrand::usize(N / 2 + N / 10..N * 4 / 5),
    ];
    let mut report = Vec::new();
    for (i, &at) in kill_at.iter().enumerate() {
        let mut child = spawn_send(&repo, &args, &logs.join(format!("run{i}")));
        let t = Instant::now();
        loop {
            let got = server.count();
            if got >= at {
                child.kill().expect("SIGKILL policydiff");
                child.wait().expect("reap policydiff");
                report.push(format!("killed run {i} at {got} messages received"));
                break;
            }
            if let Some(status) = child.try_wait().expect("wait") {
                panic!(
                    "run {i} ended ({status}) before the kill point {at} ({got} received): {}",
                    std::fs::read_to_string(logs.join(format!("run{i}.err"))).unwrap_or_default()
                );
            }
            assert!(
                t.elapsed() < Duration::from_secs(90),
                "run {i}: only {got} of {at} messages after 90 s"
            );
            std::thread::sleep(Duration::from_millis(20));
        }
    }
    // The rerun to completion.
    let mut child = spawn_send(&repo, &args, &logs.join("final"));
    let status = wait_for(&mut child, Duration::from_secs(120), "the final run");
    let out = std::fs::read_to_string(logs.join("final.out")).unwrap_or_default();
    let err = std::fs::read_to_string(logs.join("final.err")).unwrap_or_default();
    assert!(
        status.success(),
        "final run: {status}{}",
        banners(&[("stdout", &out), ("stderr", &err)])
    );
    report.push(format!("final run: {}", out.trim()));

    // Everyone at least once; duplicates bounded by what was in flight.
    let received = server.received();
    let missing: Vec<String> = (0..N)
        .map(|i| format!("user{i:05}@example.com"))
        .filter(|a| !received.contains_key(a))
        .collect();
    assert!(
        missing.is_empty(),
        "{} never received: {:?}",
        missing.len(),
        &missing[..missing.len().min(10)]
    );
    assert_eq!(received.len(), N, "unexpected recipients");
    let total: usize = received.values().sum();
    let duplicates = total - N;
    let most = received.values().copied().max().unwrap_or(0);
    report.push(format!(
        "{total} messages for {N} recipients: {duplicates} duplicates (at most {most} to one address)"
    ));

    // The journal parses; receipts shows all sent.
    let lines = assert_journal_parses(&repo);
    let rows = receipts(&repo, Some("recipients.csv"));
    assert_eq!(rows.len(), N);
    let statuses: BTreeSet<&str> = rows.iter().map(|r| r["status"].as_str().unwrap()).collect();
    assert_eq!(statuses, BTreeSet::from(["sent"]), "statuses: {statuses:?}");
    report.push(format!(
        "journal: {lines} lines; elapsed {:.1} s",
        started.elapsed().as_secs_f64()
    ));
    eprintln!("sigkill test: {}", report.join("; "));
    assert!(
        duplicates <= 300,
        "{duplicates} duplicates after two kills: {}",
        report.join("; ")
    );
}

// ---------------------------------------------------------------------------
// Session refusals, timeouts, addresses in replies, the journal key
// ---------------------------------------------------------------------------

/// Twenty recipients, `r0@example.com` … `r19@example.com`.
fn twenty() -> (String, Vec<String>) {
    let addresses: Vec<String> = (0..20).map(|i| format!("r{i}@example.com")).collect();
    let mut list = String::from("email,name\n");
    for (i, a) in addresses.iter().enumerate() {
        list.push_str(&format!("{a},R {i}\n"));
    }
    (list, addresses)
}

/// A 5xx at the greeting, to EHLO, to MAIL FROM or to DATA refuses the
/// session, not a recipient: the run stops with exit 2 and the server's
/// words (scrubbed), nobody is marked failed, and once the server accepts,
/// the same command delivers to all twenty, each once. (Main marked all
/// twenty failed for good on `smtp-sink -f MAIL`.) AUTH: see
/// `a_wrong_or_missing_password_delivers_nothing_and_is_never_printed`.
#[test]
fn a_server_wide_refusal_stops_the_run_marks_nobody_failed_and_a_rerun_delivers() {
    if !server_available(
        "a_server_wide_refusal_stops_the_run_marks_nobody_failed_and_a_rerun_delivers",
    ) {
        return;
    }
    let repo = notice_repo();
    let (list, addresses) = twenty();
    repo.write("twenty.csv", &list);
    for (stage, said) in [
        ("greeting", "554 5.3.2 No SMTP service here"),
        ("ehlo", "550 5.7.1 Client host rejected"),
        ("mail", "553 5.7.1 <[address]>: Sender address rejected"),
        ("data", "554 5.5.1 Error: no valid recipients"),
    ] {
        let journal = format!("{stage}.jsonl");
        let dir = server_dir(&repo, &format!("smtp-{stage}"));
        let port = free_port();
        let refusing = Server::start(
            &dir,
            ServerOpts {
                port,
                refuse: Some(stage),
                ..ServerOpts::default()
            },
        );
        let url = refusing.url("smtp", None);
        let args = ["--insecure", "--journal", journal.as_str()];
        let r = run(&mut send(&repo, "twenty.csv", &url, &args));
        // A refusal at the greeting or EHLO is met by the pre-flight
        // (issue 11): exit 2 in the server's words, no journal started. One
        // at MAIL FROM or DATA comes with the first message: the run stops.
        let at_preflight = matches!(stage, "greeting" | "ehlo");
        r.assert_code(2);
        if at_preflight {
            r.assert_stderr(&["policydiff: error: pre-flight:", said, "nothing was sent"]);
            assert!(r.stdout.is_empty(), "{stage}{}", r.shown());
        } else {
            r.assert_stdout(&["sent 0,", "failed 0"]).assert_stderr(&[
                "the run stopped",
                said,
                "nobody was marked failed",
            ]);
        }
        assert!(
            !r.stderr.contains("privacy@example.com"),
            "{stage}: an address in the output{}",
            r.shown()
        );
        assert_eq!(refusing.count(), 0, "{stage}");
        assert!(
            refusing
                .events()
                .iter()
                .any(|e| e["event"] == "refused" && e["stage"] == stage),
            "{stage}: {:?}",
            refusing.events()
        );
        // It stopped: at most one attempt per connection, not twenty.
        let attempts = refusing
            .events()
            .iter()
            .filter(|e| e["event"] == "refused")
            .count();
        assert!(attempts <= 4, "{stage}: {attempts} refused sessions");
        if at_preflight {
            assert_eq!(attempts, 1, "{stage}: the pre-flight is one session");
            assert!(!repo.join(&journal).exists(), "{stage}: a journal");
        }
        let text = std::fs::read_to_string(repo.join(&journal)).unwrap_or_default();
        assert!(!text.contains("\"e\":\"failed\""), "{stage}: {text}");
        assert!(!text.contains("privacy@example.com"), "{stage}: {text}");
        drop(refusing);

        // The server accepts again: the same command delivers everyone once.
        let server = Server::start(
            &dir.join("again"),
            ServerOpts {
                port,
                ..ServerOpts::default()
            },
        );
        let r = run(&mut send(&repo, "twenty.csv", &url, &args));
        r.assert_code(0).assert_stdout(&["sent 20,", "failed 0"]);
        assert_eq!(
            server.received(),
            addresses.iter().map(|a| (a.clone(), 1)).collect(),
            "{stage}"
        );
    }
}

/// A server that never answers: the reply says it timed out, where, and
/// after how long; never "os error 11".
#[test]
fn a_server_that_never_answers_times_out_in_plain_words() {
    if !server_available("a_server_that_never_answers_times_out_in_plain_words") {
        return;
    }
    let repo = notice_repo();
    repo.write(
        "policydiff.toml",
        format!("{}max_attempts = 2\n", config_with_email()),
    );
    repo.write("one.csv", "email,name\nana@example.com,Ana\n");
    let server = Server::start(
        &server_dir(&repo, "smtp"),
        ServerOpts {
            hang: Some("mail"),
            ..ServerOpts::default()
        },
    );
    let url = server.url("smtp", None);
    let r = run(&mut send(
        &repo,
        "one.csv",
        &url,
        &["--insecure", "--timeout", "1"],
    ));
    r.assert_code(2)
        .assert_stdout(&["deferred 1"])
        .assert_stderr(&["run the same command again"]);
    let rows = receipts(&repo, None);
    assert_eq!(rows.len(), 1, "{rows:?}");
    let reply = rows[0]["reply"].as_str().unwrap();
    assert!(
        reply.contains("timed out") && reply.contains("within 1 s at MAIL FROM"),
        "{reply}"
    );
    assert!(!reply.contains("os error"), "{reply}");
}

/// Postfix echoes the address in its refusals. Neither the journal nor the
/// receipts nor anything printed holds it; the refusal stays a per-recipient
/// failure (RCPT TO and the end of DATA), and the run goes on.
#[test]
fn addresses_echoed_by_the_server_never_reach_the_journal_or_the_output() {
    if !server_available("addresses_echoed_by_the_server_never_reach_the_journal_or_the_output") {
        return;
    }
    let repo = notice_repo();
    let secret = ["reject-alice@example.com", "rejectdata-bob@example.com"];
    repo.write(
        "list.csv",
        format!(
            "email,name\n{}\nok-1@example.com,One\n{}\n",
            format_args!("{},Alice", secret[0]),
            format_args!("{},Bob", secret[1])
        ),
    );
    let server = Server::start(&server_dir(&repo, "smtp"), ServerOpts::default());
    let url = server.url("smtp", None);
    let r = run(&mut send(
        &repo,
        "list.csv",
        &url,
        &["--insecure", "--connections", "1"],
    ));
    r.assert_code(2).assert_stdout(&["sent 1,", "failed 2"]);
    // The server did say them (so the test can fail).
    let events = std::fs::read_to_string(server.mailbox.join("events.jsonl")).unwrap();
    assert!(events.contains(&format!("<{}>", secret[0])), "{events}");
    let journal = String::from_utf8(repo.read(JOURNAL)).unwrap();
    let plain = run(repo
        .cmd()
        .args(["receipts", "--journal", JOURNAL, "--format", "json"]));
    plain.assert_code(0);
    let csv = run(repo.cmd().args(["receipts", "--journal", JOURNAL]));
    for a in secret {
        for (what, text) in [
            ("journal", &journal),
            ("send stdout", &r.stdout),
            ("send stderr", &r.stderr),
            ("receipts", &plain.stdout),
            ("receipts csv", &csv.stdout),
        ] {
            assert!(!text.contains(a), "{what} holds {a}:\n{text}");
        }
    }
    let rows = support::json(&plain.stdout);
    let failed: Vec<&Value> = rows
        .as_array()
        .unwrap()
        .iter()
        .filter(|r| r["status"] == "failed")
        .collect();
    assert_eq!(failed.len(), 2, "{rows:#}");
    for f in failed {
        let reply = f["reply"].as_str().unwrap();
        assert!(
            reply.starts_with("550 ") && reply.contains("<[address]>"),
            "{reply}"
        );
    }
}

/// The journal does not hold the key of its address hash: the key is in a
/// file beside the configuration (created once, 0600) or in the
/// environment. `receipts --recipients` works where the key is and says
/// what is missing elsewhere; an old journal with the key in its header is
/// still read.
#[test]
fn the_journal_key_lives_apart_from_the_journal() {
    use std::os::unix::fs::PermissionsExt;
    let repo = notice_repo();
    repo.write(
        "list.csv",
        "email,name\nana@example.com,Ana\nbo@example.com,Bo\n",
    );
    let r = run(&mut send(&repo, "list.csv", "file:outbox", &[]));
    r.assert_code(0)
        .assert_stderr(&["created the journal key", KEY_FILE, "out of git"]);
    let key_file = repo.join(KEY_FILE);
    let mode = std::fs::metadata(&key_file).unwrap().permissions().mode();
    assert_eq!(mode & 0o777, 0o600, "{mode:o}");
    let key = std::fs::read_to_string(&key_file)
        .unwrap()
        .trim()
        .to_owned();
    assert_eq!(key.len(), 64);
    let journal = String::from_utf8(repo.read(JOURNAL)).unwrap();
    let header: Value = serde_json::from_str(journal.lines().next().unwrap()).unwrap();
    assert!(header.get("key").is_none(), "{header}");
    assert!(header["key_id"].is_string(), "{header}");
    assert!(!journal.contains(&key), "the key is in the journal");

    // The key file is made once: a second notice's run keeps it.
    run(&mut send(
        &repo,
        "list.csv",
        "file:outbox",
        &["--journal", "second.jsonl", "--effective", "2026-02-01"],
    ))
    .assert_code(0);
    assert_eq!(std::fs::read_to_string(&key_file).unwrap().trim(), key);

    // Where the key is: joined back.
    let by_email = receipts_by_email(&receipts(&repo, Some("list.csv")));
    assert_eq!(by_email["ana@example.com"]["status"], "sent");

    // A leaked journal, elsewhere, without the key: hashes only, and a clear
    // message for --recipients.
    let away = server_dir(&repo, "away");
    std::fs::create_dir_all(&away).unwrap();
    std::fs::copy(repo.join(JOURNAL), away.join("j.jsonl")).unwrap();
    std::fs::copy(repo.join("list.csv"), away.join("list.csv")).unwrap();
    let receipts_away = |env: &[(&str, &str)], recipients: bool| {
        let mut cmd = repo.cmd_in(&away);
        cmd.env_remove(KEY_ENV).env_remove(KEY_FILE_ENV);
        for (k, v) in env {
            cmd.env(k, v);
        }
        cmd.args(["receipts", "--journal", "j.jsonl", "--format", "json"]);
        if recipients {
            cmd.args(["--recipients", "list.csv"]);
        }
        run(&mut cmd)
    };
    let r = receipts_away(&[], false);
    r.assert_code(0);
    assert!(!r.stdout.contains("ana@"), "{}", r.shown());
    receipts_away(&[], true).assert_code(2).assert_stderr(&[
        "policydiff: error:",
        "j.jsonl",
        KEY_ENV,
        KEY_FILE_ENV,
    ]);
    // With the key from the environment, or a key file named there: joined.
    for env in [
        (KEY_ENV, key.clone()),
        (KEY_FILE_ENV, key_file.display().to_string()),
    ] {
        let r = receipts_away(&[(env.0, &env.1)], true);
        r.assert_code(0)
            .assert_stdout(&["ana@example.com", "\"sent\""]);
    }
    // The wrong key is named as such.
    let wrong = "ab".repeat(32);
    receipts_away(&[(KEY_ENV, &wrong)], true)
        .assert_code(2)
        .assert_stderr(&["another journal key"]);
    receipts_away(&[(KEY_ENV, "not-hex")], true)
        .assert_code(2)
        .assert_stderr(&[KEY_ENV, "64 hex digits"]);

    // An old (version 1) journal, its key in its header and a plain address
    // in a reply: still read, the address scrubbed.
    let old_key = [9u8; 32];
    let hex: String = old_key.iter().map(|b| format!("{b:02x}")).collect();
    let hash = policydiff::deliver::journal::address_hash(&old_key, "ana@example.com");
    repo.write(
        "v1.jsonl",
        format!(
            "{{\"journal\":1,\"notice\":\"n\",\"key\":\"{hex}\",\"created\":\"2025-01-01T00:00:00.000Z\"}}\n\
             {{\"r\":\"{hash}\",\"e\":\"failed\",\"at\":\"2025-01-01T00:00:01.000Z\",\"reply\":\"550 5.1.1 <ana@example.com>: Recipient address rejected\"}}\n"
        ),
    );
    let r = run(repo.cmd().args([
        "receipts",
        "--journal",
        "v1.jsonl",
        "--recipients",
        "list.csv",
        "--format",
        "json",
    ]));
    r.assert_code(0);
    let rows = receipts_by_email(support::json(&r.stdout).as_array().unwrap());
    assert_eq!(rows["ana@example.com"]["status"], "failed");
    assert_eq!(
        rows["ana@example.com"]["reply"],
        "550 5.1.1 <[address]>: Recipient address rejected"
    );
}

/// `--no-resend-in-doubt` says the truth: the in-doubt are not deferred (a
/// rerun with the flag skips them too); `--resend-in-doubt` sends them.
#[test]
fn in_doubt_recipients_are_reported_as_such_and_resent_only_when_asked() {
    if !server_available("in_doubt_recipients_are_reported_as_such_and_resent_only_when_asked") {
        return;
    }
    let repo = notice_repo();
    let server = Server::start(&server_dir(&repo, "smtp"), ServerOpts::default());
    let url = server.url("smtp", None);
    repo.write("list.csv", "email,name\na@example.com,A\nb@example.com,B\n");
    let one = ["--insecure", "--connections", "1", "--no-resend-in-doubt"];
    run(&mut send(&repo, "list.csv", &url, &one)).assert_code(0);
    // b's outcome lost: its last line (`sent`) dropped, its `start` kept.
    let text = String::from_utf8(repo.read(JOURNAL)).unwrap();
    let mut lines: Vec<&str> = text.lines().collect();
    assert!(lines.last().unwrap().contains("\"e\":\"sent\""));
    lines.pop();
    repo.write(JOURNAL, lines.join("\n") + "\n");

    for _ in 0..2 {
        let r = run(&mut send(&repo, "list.csv", &url, &one));
        r.assert_code(2)
            .assert_stdout(&["sent 0,", "deferred 0", "in doubt (not resent) 1"])
            .assert_stderr(&["1 in doubt", "--resend-in-doubt"]);
        assert!(
            !r.stderr.contains("retry the deferred"),
            "promises a retry that never comes{}",
            r.shown()
        );
    }
    assert_eq!(server.received()["b@example.com"], 1);
    // After checking: the explicit flag wins over the one in the script.
    let mut explicit = one.to_vec();
    explicit.push("--resend-in-doubt");
    run(&mut send(&repo, "list.csv", &url, &explicit))
        .assert_code(0)
        .assert_stdout(&["resent in doubt 1"]);
    assert_eq!(server.received()["b@example.com"], 2);
    assert_eq!(server.received()["a@example.com"], 1);
}

/// `--dry-run` refuses what a real run refuses, and creates nothing.
#[test]
fn a_dry_run_checks_what_a_real_run_checks() {
    let repo = notice_repo();
    repo.write("list.csv", "email,name\nana@example.com,Ana\n");
    repo.write("afile", "not a directory");
    let dry = |transport: &str, extra: &[&str]| {
        let mut args = vec!["--dry-run"];
        args.extend_from_slice(extra);
        run(&mut send(&repo, "list.csv", transport, &args))
    };
    dry("ftp://x", &[])
        .assert_code(2)
        .assert_stderr(&["policydiff: error:", "--transport"]);
    dry("smtp://u:hunter2-secret@127.0.0.1:25", &[])
        .assert_code(2)
        .assert_stderr(&["password in the URL"])
        .assert_hides("hunter2-secret");
    dry("smtp://mailer@127.0.0.1:25", &[])
        .assert_code(2)
        .assert_stderr(&["no password", PASSWORD_ENV]);
    dry("smtp://127.0.0.1:25", &["--tls-ca", "missing-ca.pem"])
        .assert_code(2)
        .assert_stderr(&["missing-ca.pem"]);
    dry("file:afile/out", &[])
        .assert_code(2)
        .assert_stderr(&["afile"]);
    // The journal of another notice.
    run(&mut send(
        &repo,
        "list.csv",
        "file:outbox",
        &["--journal", "other.jsonl", "--effective", "2026-02-01"],
    ))
    .assert_code(0);
    dry("file:outbox", &["--journal", "other.jsonl"])
        .assert_code(2)
        .assert_stderr(&["other.jsonl", "journal of notice"]);
    // A good dry run writes nothing: no outbox, no journal.
    dry("file:dry-outbox", &[])
        .assert_code(0)
        .assert_stdout(&["would send 1"]);
    assert!(!repo.join("dry-outbox").exists());
    assert!(!repo.join(JOURNAL).exists());
}

/// `--journal` takes several files, as in the README's
/// `receipts --journal journals/*.jsonl`; a file given twice counts once.
#[test]
fn receipts_takes_several_journals_and_counts_a_repeated_one_once() {
    let repo = notice_repo();
    let (list, _) = twenty();
    repo.write("twenty.csv", &list);
    for (k, j) in [("1/2", "journals/a.jsonl"), ("2/2", "journals/b.jsonl")] {
        run(&mut send(
            &repo,
            "twenty.csv",
            "file:outbox",
            &["--shard", k, "--journal", j],
        ))
        .assert_code(0);
    }
    let rows = |journals: &[&str], recipients: bool| -> Vec<Value> {
        let mut cmd = repo.cmd();
        cmd.args(["receipts", "--format", "json", "--journal"]);
        cmd.args(journals);
        if recipients {
            cmd.args(["--recipients", "twenty.csv"]);
        }
        let r = run(&mut cmd);
        r.assert_code(0);
        support::json(&r.stdout).as_array().unwrap().clone()
    };
    let both = ["journals/a.jsonl", "journals/b.jsonl"];
    assert_eq!(rows(&both, false).len(), 20);
    let by_email = receipts_by_email(&rows(&both, true));
    assert_eq!(by_email.len(), 20);
    assert!(by_email.values().all(|r| r["status"] == "sent"));
    let once = rows(&["journals/a.jsonl"], false).len();
    assert!(once > 0 && once < 20);
    assert_eq!(
        rows(
            &["journals/a.jsonl", "journals/a.jsonl", "./journals/a.jsonl"],
            false
        )
        .len(),
        once
    );
    assert_eq!(
        rows(
            &["journals/a.jsonl", "journals/b.jsonl", "journals/a.jsonl"],
            true
        )
        .len(),
        20
    );
}

/// A list with CRLF line ends reports the bad row on line 3 as line 3.
#[test]
fn a_crlf_list_reports_the_right_line_numbers() {
    let repo = notice_repo();
    repo.write(
        "crlf.csv",
        "email,name\r\nana@example.com,Ana\r\nnot-an-address,Bad\r\nbo@example.com,Bo,extra\r\n",
    );
    let r = run(&mut send(&repo, "crlf.csv", "file:outbox", &["--dry-run"]));
    r.assert_code(0).assert_stderr(&[
        "crlf.csv line 3: invalid email address",
        "crlf.csv line 4: 3 columns",
    ]);
}

/// DKIM: lettre signs; dkimpy, an independent implementation, verifies the
/// signature on the message as the SMTP server received it.
#[test]
fn dkim_signatures_verify_with_an_independent_verifier() {
    if !server_available("dkim_signatures_verify_with_an_independent_verifier") {
        return;
    }
    let repo = notice_repo();
    std::fs::copy(
        support::manifest_path("tests/smtp/dkim-test.pem"),
        repo.join("dkim.pem"),
    )
    .unwrap();
    repo.write(
        "policydiff.toml",
        format!(
            "{}dkim_key = \"dkim.pem\"\ndkim_selector = \"pd2025\"\ndkim_domain = \"example.com\"\n",
            config_with_email()
        ),
    );
    repo.write("recipients.csv", LOCALISED);
    let server = Server::start(&server_dir(&repo, "smtp"), ServerOpts::default());
    run(&mut send(
        &repo,
        "recipients.csv",
        &server.url("smtp", None),
        &["--insecure"],
    ))
    .assert_code(0)
    .assert_stdout(&["sent 5,"]);
    let messages = server.messages();
    assert_eq!(messages.len(), 5);
    let verify = |eml: &Path, selector: &str| {
        std::process::Command::new(python())
            .arg(support::manifest_path("tests/smtp/dkim_verify.py"))
            .arg(eml)
            .args([selector, "example.com"])
            .arg(support::manifest_path("tests/smtp/dkim-test.pub.b64"))
            .output()
            .expect("run dkim_verify.py")
    };
    for m in &messages {
        let raw = server.raw(m);
        assert!(raw.contains("DKIM-Signature:"), "{raw}");
        let eml = server.mailbox.join(m["file"].as_str().unwrap());
        let out = verify(&eml, "pd2025");
        assert!(
            out.status.success(),
            "dkimpy: {}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
    }
    // The verifier can fail: a changed body, or another selector's key.
    let eml = server.mailbox.join(messages[0]["file"].as_str().unwrap());
    let tampered = server_dir(&repo, "tampered.eml");
    let raw = std::fs::read_to_string(&eml).unwrap();
    let (head, body) = raw.split_once("\r\n\r\n").unwrap();
    std::fs::write(&tampered, format!("{head}\r\n\r\nX{body}")).unwrap();
    assert!(!verify(&tampered, "pd2025").status.success());
    assert!(!verify(&eml, "other").status.success());
}

// ---------------------------------------------------------------------------
// Issue 11: `send` as an operator expects
// ---------------------------------------------------------------------------

/// The server goes down after the pre-flight: every recipient is deferred,
/// and the summary says why in one line, with the counts per locale (main
/// said "deferred 5" and the reason was only in `receipts`). Then a server
/// that defers two and refuses one: each group gets its main reason, also
/// for a refusal recorded by an earlier run.
#[test]
fn the_summary_gives_the_main_reason_of_each_group_and_counts_per_locale() {
    if !server_available("the_summary_gives_the_main_reason_of_each_group_and_counts_per_locale") {
        return;
    }
    let repo = notice_repo();
    repo.write(
        "policydiff.toml",
        format!("{}max_attempts = 2\n", config_with_email()),
    );
    repo.write("recipients.csv", LOCALISED);
    let server = Server::start(
        &server_dir(&repo, "smtp-once"),
        ServerOpts {
            stop_listening_after: Some(1),
            ..ServerOpts::default()
        },
    );
    let url = server.url("smtp", None);
    let r = run(&mut send(&repo, "recipients.csv", &url, &["--insecure"]));
    let reason = format!(
        "deferred 5: connection refused by 127.0.0.1:{}\n",
        server.port
    );
    r.assert_code(2).assert_stdout(&[
        "sent 0,",
        &reason,
        // The row with no locale gets the policy's (en).
        "by locale: en: deferred 3; zh-CN: deferred 2\n",
    ]);
    assert!(!r.stdout.contains("os error"), "{}", r.shown());
    assert!(
        server
            .events()
            .iter()
            .any(|e| e["event"] == "stop-listening"),
        "the server never stopped listening: {:?}",
        server.events()
    );
    assert_eq!(server.count(), 0);

    let repo = notice_repo();
    repo.write(
        "policydiff.toml",
        format!("{}max_attempts = 2\n", config_with_email()),
    );
    repo.write(
        "mixed.csv",
        "email,name,locale\n\
         tempfail-5-ana@example.com,Ana,en\n\
         tempfail-5-bo@example.com,Bo,en\n\
         reject-cy@example.com,Cy,en\n\
         ok-en@example.com,En,en\n\
         ok-zh@example.com,Zh,zh-CN\n",
    );
    let server = Server::start(&server_dir(&repo, "smtp-mixed"), ServerOpts::default());
    let url = server.url("smtp", None);
    let expected = [
        "deferred 2: 451 4.3.0 Temporary failure, try again later (test)\n",
        "failed 1: 550 5.1.1 <[address]>: Recipient address rejected",
    ];
    let r = run(&mut send(&repo, "mixed.csv", &url, &["--insecure"]));
    r.assert_code(2)
        .assert_stdout(&["sent 2,"])
        .assert_stdout(&expected)
        .assert_stdout(&["by locale: en: sent 1, deferred 2, failed 1; zh-CN: sent 1\n"]);
    assert!(!r.stdout.contains("reject-cy"), "{}", r.shown());
    // The next run: the refusal comes from the journal, reason and all.
    let r = run(&mut send(&repo, "mixed.csv", &url, &["--insecure"]));
    r.assert_code(2).assert_stdout(&expected).assert_stdout(&[
        "by locale: en: already sent 1, deferred 2, failed 1; zh-CN: already sent 1\n",
    ]);
}

/// `--dry-run` makes the pre-flight too (one session: EHLO, STARTTLS,
/// AUTH; no message), so a wrong password shows before the real run; and
/// it shows the subject and first lines of one email per locale.
#[test]
fn a_dry_run_makes_the_pre_flight_and_shows_one_email_per_locale() {
    if !server_available("a_dry_run_makes_the_pre_flight_and_shows_one_email_per_locale") {
        return;
    }
    let repo = notice_repo();
    repo.write("recipients.csv", LOCALISED);
    let server = Server::start(
        &server_dir(&repo, "smtp"),
        ServerOpts {
            tls: Tls::Starttls,
            auth: true,
            ..ServerOpts::default()
        },
    );
    let ca = server.ca.display().to_string();
    let url = server.url("smtp", Some(USER));
    let args = ["--tls-ca", ca.as_str(), "--dry-run"];
    let r = run(send(&repo, "recipients.csv", &url, &args).env(PASSWORD_ENV, "wrong"));
    r.assert_code(2)
        .assert_stderr(&["pre-flight:", "refused AUTH: 535"])
        .assert_hides("wrong");
    let r = run(send(&repo, "recipients.csv", &url, &args).env(PASSWORD_ENV, PASSWORD));
    r.assert_code(0)
        .assert_stdout(&[
            "--- en email, as rendered for recipients.csv line 2 ---\nSubject: ",
            "--- zh-CN email, as rendered for recipients.csv line 3 ---\nSubject: ",
            "would send 5",
            "nothing sent",
        ])
        .assert_hides(PASSWORD);
    let oks: Vec<Value> = server
        .events()
        .into_iter()
        .filter(|e| e["event"] == "auth" && e["ok"] == true)
        .collect();
    assert_eq!(oks.len(), 1, "one pre-flight session: {oks:?}");
    assert_eq!(server.count(), 0);
    assert!(!repo.join(JOURNAL).exists() && !repo.join(KEY_FILE).exists());
}

// ---------------------------------------------------------------------------
// Bilingual policies (issue 15)
// ---------------------------------------------------------------------------

#[test]
fn each_recipient_gets_the_notice_quoting_the_policy_in_their_language() {
    if !server_available("each_recipient_gets_the_notice_quoting_the_policy_in_their_language") {
        return;
    }
    use crate::bilingual_notices::{bilingual_release_repo, bundled};
    let config = format!(
        "{}\n[email]\nfrom = {FROM:?}\n",
        crate::bilingual_notices::BILINGUAL_CONFIG
    );
    let repo = bilingual_release_repo(
        &config,
        &bundled("policies/drafts/privacy-policy-next.md"),
        &bundled("policies/drafts/privacy-policy-next.zh-CN.md"),
    );
    repo.write(
        "recipients.csv",
        "email,name,locale\nana@example.com,Ana,en\nwang@example.net,王小明,zh-CN\n",
    );
    let server = Server::start(&server_dir(&repo, "smtp"), ServerOpts::default());
    let url = server.url("smtp", None);
    let send_release = || {
        let mut cmd = repo.cmd();
        cmd.env_remove(PASSWORD_ENV)
            .env_remove(KEY_ENV)
            .env_remove(KEY_FILE_ENV)
            .args([
                "send",
                "privacy-policy/2025-07-09",
                "privacy-policy/2026-01-15",
            ])
            .args(["--recipients", "recipients.csv", "--transport", &url])
            .args([
                "--insecure",
                "--notice-date",
                "2025-12-01",
                "--journal",
                JOURNAL,
            ]);
        cmd
    };
    run(&mut send_release()).assert_code(0).assert_stdout(&[
        "sent 2,",
        "en: sent 1",
        "zh-CN: sent 1",
    ]);
    let mut seen = BTreeSet::new();
    for m in server.messages() {
        let to = m["rcpt_tos"][0].as_str().unwrap().to_owned();
        let d = server.decoded(&m);
        let text = d["parts"][0]["content"].as_str().unwrap();
        let subject = header(&d, "subject");
        match to.as_str() {
            "wang@example.net" => {
                // The Chinese policy's own words and section names.
                assert!(subject.contains("《隐私政策》"), "{subject}");
                for needle in ["七、联系我们", "存储于新加坡", "签署了数据处理协议"]
                {
                    assert!(text.contains(needle), "lacks {needle:?}:\n{text}");
                }
                for english in ["Singapore", "Privacy Policy", "Contact"] {
                    assert!(!text.contains(english), "{english:?} in:\n{text}");
                }
            }
            "ana@example.com" => {
                assert!(subject.contains("Privacy Policy"), "{subject}");
                assert!(text.contains("Singapore"), "{text}");
                assert!(!has_cjk(text), "Chinese in the English email:\n{text}");
            }
            other => panic!("unexpected recipient {other}"),
        }
        seen.insert(to);
    }
    assert_eq!(seen.len(), 2);
    // One notice covers both texts: a rerun sends nobody again.
    run(&mut send_release())
        .assert_code(0)
        .assert_stdout(&["sent 0,", "already sent 2"]);
    assert_eq!(server.messages().len(), 2);
    // A Chinese text changed after the run is a different notice: its
    // journal refuses to resume it.
    repo.commit(
        &[(
            crate::bilingual_notices::ZH,
            &bundled("policies/drafts/privacy-policy-next.zh-CN.md").replace("新加坡", "日本"),
        )],
        "Chinese text fixed",
        "2025-11-02T10:00:00Z",
    );
    repo.git(&["tag", "-f", "privacy-policy/2026-01-15"]);
    run(&mut send_release())
        .assert_code(2)
        .assert_stderr(&["is the journal of notice", "not of this one"]);
    assert_eq!(server.messages().len(), 2);
}
