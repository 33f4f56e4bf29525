//! Test support for the `policydiff` CLI tests (ripgrep style): hermetic
//! temporary directories and git repositories, a `policydiff` command runner,
//! and assertions that print expected and actual output between banners.
//!
//! Every directory made here is laid out as
//!
//! ```text
//! <tempdir>/work   the directory tests run in (a git work tree for TestRepo)
//! <tempdir>/home   an empty HOME, so no ~/.gitconfig leaks into a test
//! ```
#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::Output;

use assert_cmd::Command;

/// Config for a repository managing one policy at `policies/privacy-policy.md`.
pub const DEFAULT_CONFIG: &str = "[[policy]]\nname = \"privacy-policy\"\npath = \"policies/privacy-policy.md\"\ntitle = \"Privacy Policy\"\nlocale = \"en\"\n";

/// The policy path of [`DEFAULT_CONFIG`], repository-relative.
pub const POLICY: &str = "policies/privacy-policy.md";

/// Environment variables that could point git or policydiff somewhere else, or
/// give them an identity, and so must not leak in from the test runner.
const SCRUBBED_ENV: &[&str] = &[
    "GIT_DIR",
    "GIT_WORK_TREE",
    "GIT_INDEX_FILE",
    "GIT_OBJECT_DIRECTORY",
    "GIT_ALTERNATE_OBJECT_DIRECTORIES",
    "GIT_CEILING_DIRECTORIES",
    "GIT_COMMON_DIR",
    "GIT_NAMESPACE",
    "GIT_CONFIG",
    "GIT_CONFIG_PARAMETERS",
    "GIT_CONFIG_COUNT",
    "GIT_AUTHOR_NAME",
    "GIT_AUTHOR_EMAIL",
    "GIT_AUTHOR_DATE",
    "GIT_COMMITTER_NAME",
    "GIT_COMMITTER_EMAIL",
    "GIT_COMMITTER_DATE",
    "EMAIL",
    "POLICYDIFF_CONFIG",
    "NO_COLOR",
    "CLICOLOR",
    "CLICOLOR_FORCE",
];

/// Path of a file in this crate (the bundled policies).
pub fn manifest_path(rel: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join(rel)
}

/// The bundled current policy.
pub fn bundled_policy() -> PathBuf {
    manifest_path("policies/privacy-policy.md")
}

/// The bundled draft revision of it.
pub fn bundled_draft() -> PathBuf {
    manifest_path("policies/drafts/privacy-policy-next.md")
}

/// A temporary directory (not a git repository) with an empty HOME beside it.
pub struct TestDir {
    _tmp: tempfile::TempDir,
    work: PathBuf,
    home: PathBuf,
}

impl TestDir {
    /// A fresh, empty directory.
    pub fn new() -> TestDir {
        let tmp = tempfile::Builder::new()
            .prefix("policydiff-cli-")
            .tempdir()
            .expect("create temp dir");
        // Canonical, so paths printed by the binary match paths built here.
        let root = std::fs::canonicalize(tmp.path()).expect("canonicalize temp dir");
        let work = root.join("work");
        let home = root.join("home");
        for d in [&work, &home, &home.join(".config")] {
            std::fs::create_dir_all(d).expect("create dir");
        }
        TestDir {
            _tmp: tmp,
            work,
            home,
        }
    }

    /// The directory commands run in.
    pub fn path(&self) -> &Path {
        &self.work
    }

    /// The empty HOME used for every command.
    pub fn home(&self) -> &Path {
        &self.home
    }

    /// `rel` under [`TestDir::path`].
    pub fn join(&self, rel: &str) -> PathBuf {
        self.work.join(rel)
    }

    /// Write a file (creating parent directories).
    pub fn write(&self, rel: &str, contents: impl AsRef<[u8]>) -> PathBuf {
        let path = self.join(rel);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).expect("create parent dir");
        }
        std::fs::write(&path, contents).expect("write file");
        path
    }

    /// Read a file as bytes.
    pub fn read(&self, rel: &str) -> Vec<u8> {
        std::fs::read(self.join(rel)).unwrap_or_else(|e| panic!("read {rel}: {e}"))
    }

    /// Names of the entries of a directory under this one, sorted.
    pub fn list(&self, rel: &str) -> Vec<String> {
        let mut names: Vec<String> = std::fs::read_dir(self.join(rel))
            .unwrap_or_else(|e| panic!("list {rel}: {e}"))
            .map(|e| {
                e.expect("dir entry")
                    .file_name()
                    .to_string_lossy()
                    .into_owned()
            })
            .collect();
        names.sort();
        names
    }

    /// `policydiff` run in this directory with a scrubbed environment:
    /// HOME is empty, no system git config, NO_COLOR=1.
    pub fn cmd(&self) -> Command {
        self.cmd_in(&self.work)
    }

    /// Like [`TestDir::cmd`], run from `dir` (e.g. a subdirectory).
    pub fn cmd_in(&self, dir: &Path) -> Command {
        let mut cmd = Command::cargo_bin("policydiff").expect("policydiff binary");
        cmd.current_dir(dir);
        for var in SCRUBBED_ENV {
            cmd.env_remove(var);
        }
        cmd.env("HOME", &self.home)
            .env("XDG_CONFIG_HOME", self.home.join(".config"))
            .env("GIT_CONFIG_NOSYSTEM", "1")
            .env("NO_COLOR", "1")
            .env("RUST_BACKTRACE", "0")
            .timeout(std::time::Duration::from_secs(60));
        cmd
    }
}

/// A temporary git repository (branch `main`) with a local identity and
/// [`DEFAULT_CONFIG`] written (not committed).
pub struct TestRepo {
    dir: TestDir,
}

impl std::ops::Deref for TestRepo {
    type Target = TestDir;
    fn deref(&self) -> &TestDir {
        &self.dir
    }
}

impl TestRepo {
    /// `git init`, local user.name/email, and policydiff.toml.
    pub fn new() -> TestRepo {
        let repo = TestRepo::without_identity();
        repo.git(&["config", "user.name", "Test Author"]);
        repo.git(&["config", "user.email", "author@example.com"]);
        repo
    }

    /// Like [`TestRepo::new`] but with no user.name/email configured anywhere
    /// (commits made by [`TestRepo::commit`] still get an identity).
    pub fn without_identity() -> TestRepo {
        let repo = TestRepo::without_config();
        repo.write("policydiff.toml", DEFAULT_CONFIG);
        repo
    }

    /// A bare `git init` (no identity, no policydiff.toml).
    pub fn without_config() -> TestRepo {
        let repo = TestRepo {
            dir: TestDir::new(),
        };
        repo.git(&["init", "-q", "-b", "main"]);
        repo
    }

    /// Run git here with a hermetic environment; panic on failure; stdout
    /// with the trailing newline removed.
    pub fn git(&self, args: &[&str]) -> String {
        self.git_env(args, &[])
    }

    /// [`TestRepo::git`] with extra environment variables.
    pub fn git_env(&self, args: &[&str], env: &[(&str, &str)]) -> String {
        let out = self.git_raw(args, env);
        let mut s = String::from_utf8(out).expect("git output is UTF-8");
        while s.ends_with('\n') {
            s.pop();
        }
        s
    }

    /// Run git hermetically (no global or system config, scrubbed GIT_*
    /// variables); panic on failure; raw stdout.
    fn git_raw(&self, args: &[&str], env: &[(&str, &str)]) -> Vec<u8> {
        let mut cmd = std::process::Command::new("git");
        cmd.current_dir(self.path());
        for var in SCRUBBED_ENV {
            cmd.env_remove(var);
        }
        cmd.env("HOME", self.home())
            .env("XDG_CONFIG_HOME", self.home().join(".config"))
            .env("GIT_CONFIG_NOSYSTEM", "1")
            .env("GIT_CONFIG_GLOBAL", "/dev/null")
            .args([
                "-c",
                "commit.gpgsign=false",
                "-c",
                "tag.gpgsign=false",
                "-c",
                "core.autocrlf=false",
            ])
            .args(args)
            .envs(env.iter().copied());
        let out = cmd.output().expect("run git");
        assert!(
            out.status.success(),
            "git {args:?} failed ({}):\n{}",
            out.status,
            String::from_utf8_lossy(&out.stderr)
        );
        out.stdout
    }

    /// Write `files`, stage everything, and commit with author and committer
    /// date `date` (e.g. `2025-01-01T10:00:00Z`). Returns the commit id.
    pub fn commit(&self, files: &[(&str, &str)], msg: &str, date: &str) -> String {
        for (rel, contents) in files {
            self.write(rel, contents);
        }
        self.git(&["add", "-A"]);
        self.git_env(
            &[
                "-c",
                "user.name=Test Author",
                "-c",
                "user.email=author@example.com",
                "commit",
                "-q",
                "--allow-empty",
                "-m",
                msg,
            ],
            &[("GIT_AUTHOR_DATE", date), ("GIT_COMMITTER_DATE", date)],
        );
        self.rev_parse("HEAD")
    }

    /// A lightweight tag on HEAD.
    pub fn tag(&self, name: &str) {
        self.git(&["tag", name]);
    }

    /// An annotated tag on `rev` with message `msg`.
    pub fn tag_annotated(&self, name: &str, rev: &str, msg: &str) {
        self.git_env(
            &[
                "-c",
                "user.name=Test Author",
                "-c",
                "user.email=author@example.com",
                "tag",
                "-a",
                name,
                "-m",
                msg,
                rev,
            ],
            &[("GIT_COMMITTER_DATE", "2025-06-01T10:00:00Z")],
        );
    }

    /// Full commit id of `rev`.
    pub fn rev_parse(&self, rev: &str) -> String {
        self.git(&["rev-parse", &format!("{rev}^{{commit}}")])
    }

    /// All tag names, sorted.
    pub fn tags(&self) -> Vec<String> {
        let out = self.git(&["tag", "-l"]);
        out.lines().map(str::to_owned).collect()
    }

    /// The message of an annotated tag (fails for lightweight tags).
    pub fn tag_message(&self, name: &str) -> String {
        assert_eq!(
            self.git(&["cat-file", "-t", &format!("refs/tags/{name}")]),
            "tag",
            "{name} is not an annotated tag"
        );
        self.git(&["tag", "-l", "--format=%(contents)", name])
    }

    /// The bytes of `path` at `rev`, via `git show`.
    pub fn show_at(&self, rev: &str, path: &str) -> Vec<u8> {
        self.git_raw(&["show", &format!("{rev}:{path}")], &[])
    }
}

/// A small policy in Markdown: `version` changes the wording of clause 2.
pub fn policy_text(version: u32) -> String {
    let mut s = String::from(
        "---\ntitle: Privacy Policy\n---\n\n# Privacy Policy\n\n## Collection\n\n1. We collect your name and email address.\n\n",
    );
    s.push_str(&format!(
        "2. We keep your data for {version} year{}.\n\n",
        if version == 1 { "" } else { "s" }
    ));
    if version >= 3 {
        s.push_str("3. We share your data with analytics partners.\n\n");
    }
    s.push_str("## Contact\n\nWrite to privacy@example.com.\n");
    s
}

/// Standard output as UTF-8.
pub fn stdout(out: &Output) -> String {
    String::from_utf8(out.stdout.clone()).expect("stdout is UTF-8")
}

/// Standard error, lossily.
pub fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

/// Run, assert exit 0 and no panic, and return stdout.
#[track_caller]
pub fn run_ok(cmd: &mut Command) -> String {
    let out = cmd.output().expect("run policydiff");
    let err = stderr(&out);
    assert!(
        out.status.success(),
        "expected success, got {}\n{}",
        out.status,
        banners(&[
            ("stdout", &String::from_utf8_lossy(&out.stdout)),
            ("stderr", &err)
        ])
    );
    assert!(!err.contains("panicked"), "panic on stderr:\n{err}");
    stdout(&out)
}

/// Run, assert exit 2 with `policydiff: error:` first on stderr, every needle
/// in stderr, no panic; return stderr.
#[track_caller]
pub fn run_err(cmd: &mut Command, needles: &[&str]) -> String {
    let out = cmd.output().expect("run policydiff");
    let err = stderr(&out);
    let shown = banners(&[
        ("stdout", &String::from_utf8_lossy(&out.stdout)),
        ("stderr", &err),
    ]);
    assert!(!err.contains("panicked"), "panic on stderr:\n{shown}");
    assert_eq!(
        out.status.code(),
        Some(2),
        "expected exit 2, got {}\n{shown}",
        out.status
    );
    assert!(
        err.starts_with("policydiff: error:"),
        "stderr does not start with 'policydiff: error:'\n{shown}"
    );
    for needle in needles {
        assert!(err.contains(needle), "stderr lacks {needle:?}\n{shown}");
    }
    err
}

/// Sections of text, each between banners.
pub fn banners(sections: &[(&str, &str)]) -> String {
    let mut s = String::new();
    for (name, text) in sections {
        s.push_str(&format!("\n{:=^60}\n{text}", format!(" {name} ")));
        if !text.ends_with('\n') {
            s.push('\n');
        }
    }
    s.push_str(&"=".repeat(60));
    s.push('\n');
    s
}

/// Assert two texts are equal, printing both between banners when not.
#[track_caller]
pub fn assert_same(expected: &str, actual: &str) {
    if expected != actual {
        panic!(
            "output differs from expected\n{}",
            banners(&[("expected", expected), ("actual", actual)])
        );
    }
}

/// Parse JSON output.
#[track_caller]
pub fn json(text: &str) -> serde_json::Value {
    serde_json::from_str(text)
        .unwrap_or_else(|e| panic!("invalid JSON ({e}):\n{}", banners(&[("output", text)])))
}

/// One committed version of the policy, ready to release.
pub fn one_version_repo() -> TestRepo {
    let repo = TestRepo::new();
    repo.commit(
        &[
            ("policydiff.toml", DEFAULT_CONFIG),
            (POLICY, &policy_text(1)),
        ],
        "Policy v1",
        "2025-01-01T10:00:00Z",
    );
    repo
}

/// Three committed versions of the policy at fixed dates; the first is tagged `v1`.
pub fn three_version_repo() -> TestRepo {
    let repo = one_version_repo();
    repo.tag("v1");
    repo.commit(
        &[(POLICY, &policy_text(2))],
        "Policy v2",
        "2025-02-01T10:00:00Z",
    );
    repo.commit(
        &[(POLICY, &policy_text(3))],
        "Policy v3",
        "2025-03-01T10:00:00Z",
    );
    repo
}

/// Say loudly that a test is skipped because a tool or server is missing:
/// straight to the process's stderr (the harness captures `eprintln!` of
/// passing tests, and this must be seen). Under `CI=true` a skip is a
/// failure: CI installs everything the tests need.
#[track_caller]
pub fn skip_loudly(msg: &str) {
    if std::env::var("CI").is_ok_and(|v| v == "true") {
        panic!("{msg} — a skip under CI=true is a failure");
    }
    let bar = "!".repeat(78);
    let _ = std::io::Write::write_fmt(
        &mut std::io::stderr(),
        format_args!("\n{bar}\n{msg}\n{bar}\n\n"),
    );
}
