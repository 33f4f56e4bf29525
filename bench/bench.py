#!/usr/bin/env python3
"""Benchmark policydiff against git anchors.

Cases (all inputs except "bundled" are generated deterministically into a
temporary directory that is removed at the end):

  bundled      policies/privacy-policy.md vs policies/drafts/privacy-policy-next.md
               policydiff diff --format json  vs  git diff --no-index --word-diff=porcelain
  1mb          two ~1 MB generated policies, ~1% of paragraphs edited, two
               paragraphs inserted and two removed; same commands as "bundled"
  read-docx    the "1mb" pair converted to Word by pandoc (-f markdown-smart);
               policydiff diff old.docx new.docx --format json  vs  the same on the
               .md pair (target: reading Word costs at most 3x reading Markdown;
               the two Reports must agree on every change count)
  adversarial  a ~200 KB generated policy vs the same document with every
               paragraph shuffled across the whole document (headings stay in place);
               policydiff only
  versions     generated git repo, 2,000 commits, 300 of them touch
               policies/privacy-policy.md;
               policydiff versions --format json  vs  git log --format=%H -- PATH
  classify     the "bundled" pair; the cost of classification:
               policydiff diff --format json  vs  policydiff diff --format json --no-classify
  log          generated git repo, 500 commits, each a new version of a ~80 KB
               policies/privacy-policy.md (words edited in 1-3 paragraphs, sometimes
               a paragraph inserted or removed);
               policydiff log --format json  vs  git log -p --word-diff=porcelain -- PATH
  write-docx   the "1mb" pair as a Word redline with tracked changes:
               policydiff diff --format docx -o FILE; median <= 1 s

Runs are interleaved (policydiff, anchor, policydiff, anchor, ...) after one
correctness pre-check run of each command (policydiff's stdout must parse as
JSON; measured runs send stdout to /dev/null). Every command is started by a
small launcher process that reports wall time from spawn to reap and the
child's ru_maxrss from os.wait4 (see LAUNCHER for why).

Exit status: 0 all targets met, 1 a target failed, 2 harness or correctness
error (policydiff exit code != 0, invalid JSON, anchor failure, missing input).

Usage: python3 bench/bench.py [--runs N] [--adversarial-runs N] [--classify-runs N]
                              [--log-runs N] [--only CASE] [--seed S]
Set POLICYDIFF_BIN to benchmark another binary (no build is attempted then).
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import os
import platform
import random
import shlex
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Callable

ROOT = Path(__file__).resolve().parent.parent
BUNDLED_OLD = ROOT / "policies" / "privacy-policy.md"
BUNDLED_NEW = ROOT / "policies" / "drafts" / "privacy-policy-next.md"
POLICY_PATH = "policies/privacy-policy.md"

CASES = ("bundled", "1mb", "read-docx", "adversarial", "versions", "classify", "log", "site", "write-docx", "send-smtp", "send-file", "send-memory")
RATIO_TARGET = 2.0
DOCX_RATIO_TARGET = 3.0
CLASSIFY_RATIO_TARGET = 1.25
LOG_RATIO_TARGET = 1.5
RSS_TARGET_MIB = 100.0
ADVERSARIAL_TARGET_S = 5.0
DOCX_TARGET_S = 1.0
VERSION_COMMITS = 2000
POLICY_COMMITS = 300
LOG_VERSIONS = 500
LOG_POLICY_BYTES = 80_000
POLICYDIFF_TOML = ('[[policy]]\nname = "privacy-policy"\npath = "policies/privacy-policy.md"\n'
                   'title = "Privacy Policy"\nlocale = "en"\n')

GIT_NAME = "Bench Bot"
GIT_EMAIL = "bench@example.invalid"
GIT_EPOCH = 1_600_000_000  # 2020-09-13, first generated commit

# Environment for every measured command: no user/system git config, no pager.
RUN_ENV = {
    **os.environ,
    "GIT_CONFIG_NOSYSTEM": "1",
    "GIT_CONFIG_GLOBAL": os.devnull,
    "GIT_PAGER": "cat",
    "PAGER": "cat",
}


class BenchError(Exception):
    """A harness or correctness failure: the bench stops with exit code 2."""


# --------------------------------------------------------------------------
# Policy text generator
# --------------------------------------------------------------------------

SUBJECTS = [
    "We", "Our service providers", "The Company", "Our affiliates",
    "Authorized personnel", "Third-party processors acting on our behalf",
    "Our advertising partners", "Our customer support team", "The data controller",
    "Payment processors we work with", "Our analytics vendors", "Our subsidiaries",
]
SINGULAR_SUBJECTS = {"The Company", "Our customer support team", "The data controller"}
VERBS = [
    "may collect", "process", "store", "may share", "retain", "may disclose",
    "anonymize", "may transfer", "use", "aggregate", "securely delete",
    "periodically review", "pseudonymize", "encrypt", "may combine",
]
OBJECTS = [
    "your contact information", "device identifiers", "precise geolocation data",
    "payment card details", "server and usage logs",
    "information collected by cookies and similar tracking technologies",
    "your account credentials", "the communications you send to us",
    "information about your browsing activity", "inferences drawn from your preferences",
    "biometric identifiers", "your purchase history", "the content you upload",
    "information obtained from publicly available sources", "crash reports and diagnostics",
    "your IP address and approximate location", "the list of contacts you choose to import",
    "information about the apps installed on your device", "your age and gender",
    "records of your consent and privacy choices",
]
PURPOSES = [
    "to provide and maintain the Services", "to detect and prevent fraud and abuse",
    "to comply with applicable legal obligations", "to personalize content and advertising",
    "to improve and develop our products", "for analytics and internal research",
    "to respond to your requests and inquiries", "to secure our networks and systems",
    "to process transactions you initiate", "to send you service-related notices",
    "to measure the effectiveness of our campaigns", "to enforce our terms of service",
    "to verify your identity", "to establish, exercise or defend legal claims",
]
CONDITIONS = [
    "where permitted by applicable law", "subject to your prior consent",
    "unless you opt out through your account settings",
    "for as long as your account remains active",
    "in accordance with the General Data Protection Regulation",
    "as described in Section {n}", "for a period not exceeding {n} months",
    "except where a longer retention period is required by law",
    "only to the extent strictly necessary", "under appropriate contractual safeguards",
    "within {n} working days of your request", "on the basis of our legitimate interests",
]
RIGHTS = [
    "access", "rectify", "erase", "restrict the processing of", "object to the processing of",
    "receive a portable copy of", "withdraw consent to the processing of",
]
REGIONS = [
    "California", "the European Economic Area", "the United Kingdom", "Brazil",
    "Canada", "Singapore", "Japan", "South Korea", "Australia", "Switzerland",
]
CONTACTS = [
    "our Data Protection Officer", "privacy@example.com", "our customer service hotline",
    "the in-app feedback form", "our registered office", "our EU representative",
]
SECTION_TITLES = [
    "Information We Collect", "How We Use Your Information", "Sharing and Disclosure",
    "Cookies and Similar Technologies", "Data Retention", "International Transfers",
    "Your Rights and Choices", "Children's Privacy", "Security Measures",
    "Changes to This Policy", "Contact Us", "Legal Bases for Processing",
    "Third-Party Services", "Marketing Communications", "Automated Decision-Making",
]
SUBSECTION_TITLES = [
    "Information You Provide", "Information Collected Automatically",
    "Information From Third Parties", "Service Providers", "Business Transfers",
    "Legal Requirements", "Retention Periods", "Safeguards", "Requests and Responses",
    "Opt-Out Mechanisms", "Regional Disclosures", "Exceptions",
]
# Words used for word-level edits: flattened vocabulary.
EDIT_WORDS = sorted({w.strip(",.") for group in (SUBJECTS, VERBS, OBJECTS, PURPOSES)
                     for phrase in group for w in phrase.split()})


def clause(rng: random.Random) -> str:
    """Return "subject verb object purpose" with subject-verb agreement."""
    subject, verb = rng.choice(SUBJECTS), rng.choice(VERBS)
    if subject in SINGULAR_SUBJECTS and not verb.startswith("may "):
        verb += "es" if verb.endswith("ss") else "s"
    return f"{subject} {verb} {rng.choice(OBJECTS)} {rng.choice(PURPOSES)}"


def make_sentence(rng: random.Random) -> str:
    """Return one policy-like sentence built from the phrase vocabulary."""
    n = rng.randint(2, 48)
    kind = rng.random()
    if kind < 0.6:
        text = clause(rng)
        if rng.random() < 0.6:
            text += ", " + rng.choice(CONDITIONS).format(n=n)
    elif kind < 0.8:
        text = (f"You have the right to {rng.choice(RIGHTS)} {rng.choice(OBJECTS)} "
                f"{rng.choice(CONDITIONS).format(n=n)}")
    elif kind < 0.9:
        rest = clause(rng)
        text = f"If you reside in {rng.choice(REGIONS)}, {rest[0].lower()}{rest[1:]}"
    else:
        text = (f"Requests may be submitted to {rng.choice(CONTACTS)} and will be "
                f"answered within {n} days")
    return text + "."


def make_paragraph(rng: random.Random, used: set[str]) -> str:
    """Return a new paragraph of 300-600 characters not already in `used`."""
    while True:
        target = rng.randint(300, 600)
        text = ""
        while len(text) < target:
            sentence = make_sentence(rng)
            if text and len(text) + 1 + len(sentence) > 600 and len(text) >= 300:
                break
            text = f"{text} {sentence}" if text else sentence
        if text not in used:
            used.add(text)
            return text


@dataclasses.dataclass
class Block:
    """One Markdown block: a heading (`kind` "h2"/"h3") or a paragraph ("p").

    For paragraphs `marker` is the numbering prefix ("3. ", "( 2 ) " or "").
    """

    kind: str
    text: str
    marker: str = ""

    def render(self) -> str:
        """Return the block as Markdown source."""
        if self.kind == "h2":
            return f"## {self.text}"
        if self.kind == "h3":
            return f"### {self.text}"
        return f"{self.marker}{self.text}"


def make_policy(rng: random.Random, target_bytes: int) -> list[Block]:
    """Return a policy of about `target_bytes` as sections/subsections/paragraphs."""
    blocks: list[Block] = []
    used: set[str] = set()
    size = 0
    section = 0
    while size < target_bytes:
        section += 1
        blocks.append(Block("h2", f"{section}. {rng.choice(SECTION_TITLES)}"))
        for sub in range(1, rng.randint(2, 4) + 1):
            blocks.append(Block("h3", f"{section}.{sub} {rng.choice(SUBSECTION_TITLES)}"))
            style = rng.choice(("dot", "paren", "plain"))
            for item in range(1, rng.randint(3, 8) + 1):
                marker = {"dot": f"{item}. ", "paren": f"( {item} ) ", "plain": ""}[style]
                text = make_paragraph(rng, used)
                blocks.append(Block("p", text, marker))
                size += len(marker) + len(text) + 2
    return blocks


def render_policy(blocks: list[Block], effective: str = "2025-01-01") -> str:
    """Return the Markdown document for `blocks` with front matter and title."""
    head = f"---\ntitle: Privacy Policy\neffective: {effective}\n---\n\n# Privacy Policy"
    return "\n\n".join([head] + [b.render() for b in blocks]) + "\n"


def edit_words(rng: random.Random, text: str) -> str:
    """Return `text` with 1-3 word-level edits (replace, insert or delete);
    the result always differs from `text`."""
    while True:
        words = text.split(" ")
        for _ in range(rng.randint(1, 3)):
            op = rng.choice(("replace", "insert", "delete"))
            i = rng.randrange(len(words))
            if op == "replace":
                words[i] = rng.choice(EDIT_WORDS)
            elif op == "insert":
                words.insert(i, rng.choice(EDIT_WORDS))
            elif len(words) > 1:
                del words[i]
        edited = " ".join(words)
        if edited != text:
            return edited


def paragraph_indices(blocks: list[Block]) -> list[int]:
    """Return the indices of paragraph blocks."""
    return [i for i, b in enumerate(blocks) if b.kind == "p"]


def fraction_of_paragraphs(blocks: list[Block], fraction: float) -> int:
    """Return how many paragraphs (at least one) make up `fraction` of them."""
    return max(1, round(len(paragraph_indices(blocks)) * fraction))


def revise_policy(rng: random.Random, blocks: list[Block], edits: int,
                  inserts: int, removals: int) -> list[Block]:
    """Return a revised copy: word edits in `edits` distinct paragraphs, then
    `inserts` new unnumbered paragraphs and `removals` deleted paragraphs.
    Numbering is not renumbered after a removal (a gap stays)."""
    new = [dataclasses.replace(b) for b in blocks]
    for i in rng.sample(paragraph_indices(new), edits):
        new[i].text = edit_words(rng, new[i].text)
    used = {b.text for b in new}
    for _ in range(inserts):
        at = rng.choice(paragraph_indices(new)) + 1
        new.insert(at, Block("p", make_paragraph(rng, used)))
    for _ in range(removals):
        del new[rng.choice(paragraph_indices(new))]
    return new


def shuffle_paragraphs(rng: random.Random, blocks: list[Block]) -> list[Block]:
    """Return a copy whose paragraphs are permuted across the whole document;
    headings keep their positions, paragraphs keep their own markers."""
    paras = [blocks[i] for i in paragraph_indices(blocks)]
    rng.shuffle(paras)
    it = iter(paras)
    return [next(it) if b.kind == "p" else b for b in blocks]


# --------------------------------------------------------------------------
# Input writers
# --------------------------------------------------------------------------

def write_pair(tmp: Path, name: str, old: str, new: str) -> tuple[Path, Path]:
    """Write an OLD/NEW pair under tmp/name and return their paths."""
    d = tmp / name
    # Several cases share a pair (1mb, read-docx, write-docx): generated
    # from the same seed, it is the same text each time.
    d.mkdir(exist_ok=True)
    old_path, new_path = d / "old.md", d / "new.md"
    old_path.write_text(old, encoding="utf-8")
    new_path.write_text(new, encoding="utf-8")
    return old_path, new_path


def gen_1mb(tmp: Path, seed: int) -> tuple[Path, Path]:
    """Write two ~1 MB policies, ~1% paragraphs edited, 2 inserted, 2 removed."""
    rng = random.Random(seed)
    old = make_policy(rng, 1_000_000)
    new = revise_policy(rng, old, fraction_of_paragraphs(old, 0.01), inserts=2, removals=2)
    return write_pair(tmp, "1mb", render_policy(old), render_policy(new, "2025-06-01"))


def gen_adversarial(tmp: Path, seed: int) -> tuple[Path, Path]:
    """Write a ~200 KB policy and the same policy with paragraphs shuffled."""
    rng = random.Random(seed + 1)
    old = make_policy(rng, 200_000)
    return write_pair(tmp, "adversarial", render_policy(old),
                      render_policy(shuffle_paragraphs(rng, old)))


def fast_import_data(payload: str) -> bytes:
    """Return a fast-import `data` command carrying `payload`."""
    raw = payload.encode("utf-8")
    return b"data %d\n" % len(raw) + raw + b"\n"


def fast_import_commit(mark: int, when: int, message: str,
                       changes: list[tuple[str, str]]) -> list[bytes]:
    """Return the fast-import commands for commit `mark` (1-based) on main, a
    child of commit mark-1, dated `when`, writing (path, content) `changes`."""
    ident = f"{GIT_NAME} <{GIT_EMAIL}> {when} +0000\n".encode()
    out = [b"commit refs/heads/main\n", b"mark :%d\n" % mark,
           b"author " + ident, b"committer " + ident, fast_import_data(message)]
    if mark > 1:
        out.append(b"from :%d\n" % (mark - 1))
    for path, content in changes:
        out += [f"M 100644 inline {path}\n".encode(), fast_import_data(content)]
    out.append(b"\n")
    return out


def repo_start_files() -> list[tuple[str, str]]:
    """Return the files besides the policy that the first commit adds."""
    return [("README.md", "# Example company policies\n"), ("policydiff.toml", POLICYDIFF_TOML)]


def versions_stream(rng: random.Random) -> bytes:
    """Return a git fast-import stream of VERSION_COMMITS commits on main, of
    which POLICY_COMMITS (including the first) change POLICY_PATH."""
    policy_commits = {0} | set(rng.sample(range(1, VERSION_COMMITS), POLICY_COMMITS - 1))
    other_files = [f"docs/page-{k:02d}.md" for k in range(20)] + \
                  [f"app/module_{k:02d}.txt" for k in range(20)]
    policy = make_policy(rng, 30_000)
    out = [b"feature done\n"]
    for i in range(VERSION_COMMITS):
        when = GIT_EPOCH + i * 3600
        date = time.strftime("%Y-%m-%d", time.gmtime(when))
        changes = repo_start_files() if i == 0 else []
        if i in policy_commits:
            if i:
                policy = revise_policy(rng, policy, fraction_of_paragraphs(policy, 0.02),
                                       inserts=int(rng.random() < 0.1),
                                       removals=int(rng.random() < 0.1))
            changes.append((POLICY_PATH, render_policy(policy, date)))
            message = f"Update privacy policy ({date})"
        else:
            path = rng.choice(other_files)
            changes.append((path, f"{path} revision {i}\n{make_sentence(rng)}\n"))
            message = f"Update {path}"
        out += fast_import_commit(i + 1, when, message, changes)
    out.append(b"done\n")
    return b"".join(out)


def log_stream(rng: random.Random) -> bytes:
    """Return a git fast-import stream of LOG_VERSIONS daily commits on main,
    each a new version of POLICY_PATH: the first adds a ~LOG_POLICY_BYTES
    policy, every later one edits words in 1-3 paragraphs and, one time in
    ten each, inserts or removes a paragraph. The effective date stays fixed."""
    policy = make_policy(rng, LOG_POLICY_BYTES)
    out = [b"feature done\n"]
    for i in range(LOG_VERSIONS):
        when = GIT_EPOCH + i * 86400
        date = time.strftime("%Y-%m-%d", time.gmtime(when))
        changes = repo_start_files() if i == 0 else []
        if i:
            policy = revise_policy(rng, policy, rng.randint(1, 3),
                                   inserts=int(rng.random() < 0.1),
                                   removals=int(rng.random() < 0.1))
        changes.append((POLICY_PATH, render_policy(policy)))
        out += fast_import_commit(i + 1, when, f"Update privacy policy ({date})", changes)
    out.append(b"done\n")
    return b"".join(out)


def import_repo(repo: Path, stream: bytes) -> Path:
    """Create the git repo `repo` from a fast-import `stream`, check out main
    and return its path."""
    repo.mkdir()
    stamp = f"@{GIT_EPOCH} +0000"
    env = {**RUN_ENV, "GIT_AUTHOR_NAME": GIT_NAME, "GIT_AUTHOR_EMAIL": GIT_EMAIL,
           "GIT_COMMITTER_NAME": GIT_NAME, "GIT_COMMITTER_EMAIL": GIT_EMAIL,
           "GIT_AUTHOR_DATE": stamp, "GIT_COMMITTER_DATE": stamp}
    for cmd, data in ((["git", "init", "-q", "-b", "main"], None),
                      (["git", "fast-import", "--quiet"], stream),
                      (["git", "reset", "-q", "--hard", "main"], None)):
        proc = subprocess.run(cmd, cwd=repo, env=env, input=data, capture_output=True)
        if proc.returncode != 0:
            raise BenchError(f"{shlex.join(cmd)} failed: {proc.stderr.decode(errors='replace')}")
    return repo


SITE_RELEASES = 300
SITE_TARGET_S = 10.0


def site_stream(rng: random.Random) -> bytes:
    """Return a fast-import stream of SITE_RELEASES commits, each a revised
    ~30 KB policy released by an annotated tag `privacy-policy/<date>`."""
    policy = make_policy(rng, 30_000)
    out = [b"feature done\n"]
    for i in range(SITE_RELEASES):
        when = GIT_EPOCH + i * 86400
        date = time.strftime("%Y-%m-%d", time.gmtime(when))
        changes = repo_start_files() if i == 0 else []
        if i:
            policy = revise_policy(rng, policy, rng.randint(1, 3),
                                   inserts=int(rng.random() < 0.2),
                                   removals=int(rng.random() < 0.1))
        changes.append((POLICY_PATH, render_policy(policy, date)))
        out += fast_import_commit(i + 1, when, f"Privacy policy effective {date}", changes)
        ident = f"{GIT_NAME} <{GIT_EMAIL}> {when} +0000\n".encode()
        out += [f"tag privacy-policy/{date}\n".encode(), b"from :%d\n" % (i + 1),
                b"tagger " + ident, fast_import_data(f"privacy-policy: effective {date}\n")]
    out.append(b"done\n")
    return b"".join(out)


def gen_site(tmp: Path, seed: int) -> Path:
    """Create the site git repo (SITE_RELEASES releases) and return its path."""
    return import_repo(tmp / "site-repo", site_stream(random.Random(seed + 5)))


def gen_versions(tmp: Path, seed: int) -> Path:
    """Create the versions git repo and return its path."""
    return import_repo(tmp / "versions", versions_stream(random.Random(seed + 2)))


def gen_log(tmp: Path, seed: int) -> Path:
    """Create the log git repo and return its path."""
    return import_repo(tmp / "log", log_stream(random.Random(seed + 3)))


# --------------------------------------------------------------------------
# Binary and measurement
# --------------------------------------------------------------------------

def newest_mtime(paths: list[Path]) -> float:
    """Return the newest mtime among the files in `paths` (dirs recursed)."""
    newest = 0.0
    for p in paths:
        files = p.rglob("*") if p.is_dir() else [p]
        newest = max([newest] + [f.stat().st_mtime for f in files if f.is_file()])
    return newest


def policydiff_binary(install_dir: Path | None = None) -> Path:
    """Return the binary to benchmark: $POLICYDIFF_BIN, else the release
    binary, running `cargo build --release` first if missing or stale.

    With `install_dir`, the binary is copied there first and the copy is
    returned: what `cargo install` does, and what a user runs. The file as
    the linker wrote it is slower to start on this kernel (its text is
    mapped from small page-cache pages, where a copied file's comes in large
    folios): the bundled pair measured 1.97x git from target/release and
    1.67x from a copy of the same bytes, alternating, 2026-11-30."""
    binary = built_binary()
    if install_dir is None:
        return binary
    installed = install_dir / "bin" / "policydiff"
    installed.parent.mkdir(parents=True, exist_ok=True)
    shutil.copy2(binary, installed)
    return installed


def built_binary() -> Path:
    """$POLICYDIFF_BIN, else target/release/policydiff (built when stale)."""
    override = os.environ.get("POLICYDIFF_BIN")
    if override:
        path = Path(shutil.which(override) or override).resolve()
        if not path.is_file():
            raise BenchError(f"POLICYDIFF_BIN={override} is not a file")
        return path
    target_dir = Path(os.environ.get("CARGO_TARGET_DIR", ROOT / "target"))
    binary = (ROOT / target_dir / "release" / "policydiff").resolve()
    sources = newest_mtime([ROOT / "src", ROOT / "Cargo.toml", ROOT / "Cargo.lock"])
    if not binary.is_file() or binary.stat().st_mtime < sources:
        print("building: cargo build --release", file=sys.stderr, flush=True)
        if subprocess.run(["cargo", "build", "--release"], cwd=ROOT).returncode != 0:
            raise BenchError("cargo build --release failed")
    if not binary.is_file():
        raise BenchError(f"{binary} missing after cargo build --release")
    return binary


@dataclasses.dataclass
class Sample:
    """One measured run: wall seconds and the child's peak RSS in MiB."""

    seconds: float
    rss_mib: float


# Each measured command is started by this tiny posix_spawn/wait4 launcher, not
# by the bench itself: Linux carries the spawning process's peak RSS into the
# child's ru_maxrss across vfork+exec, so spawning straight from this (larger)
# Python process would report at least its own peak. The launcher's own RSS is
# the floor instead (reported as "RSS floor"). It writes wall time (spawn to
# reap), the child's ru_maxrss (KiB) and exit code to the fd named in argv[1].
LAUNCHER = """
import os, sys, time
out, argv = int(sys.argv[1]), sys.argv[2:]
start = time.perf_counter()
try:
    pid = os.posix_spawnp(argv[0], argv, os.environ)
except OSError as e:
    sys.exit(f"cannot run {argv[0]}: {e}")
_, status, usage = os.wait4(pid, 0)
seconds = time.perf_counter() - start
os.write(out, f"{seconds} {usage.ru_maxrss} {os.waitstatus_to_exitcode(status)}".encode())
"""


def run_once(argv: list[str], cwd: Path, ok_codes: frozenset[int],
             capture: bool = False) -> tuple[Sample, bytes]:
    """Run `argv` once via LAUNCHER; return its Sample and stdout (empty unless
    `capture`). Raises BenchError on an exit code outside `ok_codes`."""
    read_fd, write_fd = os.pipe()
    with tempfile.TemporaryFile() as err, tempfile.TemporaryFile() as out:
        try:
            proc = subprocess.Popen(
                [sys.executable, "-I", "-S", "-c", LAUNCHER, str(write_fd), *argv],
                cwd=cwd, env=RUN_ENV, stdin=subprocess.DEVNULL,
                stdout=out if capture else subprocess.DEVNULL, stderr=err,
                pass_fds=(write_fd,))
        finally:
            os.close(write_fd)
        with os.fdopen(read_fd, "rb") as report:
            fields = report.read().split()
        proc.wait()
        err.seek(0)
        stderr = err.read().decode(errors="replace")[-4000:]
        if proc.returncode != 0 or len(fields) != 3:
            raise BenchError(f"launcher failed for `{shlex.join(argv)}`:\n{stderr}")
        seconds, maxrss_kib, code = float(fields[0]), int(fields[1]), int(fields[2])
        if code not in ok_codes:
            raise BenchError(f"`{shlex.join(argv)}` (cwd {cwd}) exited {code}:\n{stderr}")
        out.seek(0)
        return Sample(seconds, maxrss_kib / 1024), out.read()


@dataclasses.dataclass
class Command:
    """A command to measure, in `cwd`, accepting exit codes `ok_codes`."""

    argv: list[str]
    cwd: Path
    ok_codes: frozenset[int] = frozenset({0})

    def run(self, capture: bool = False) -> tuple[Sample, bytes]:
        """Run the command once (see run_once)."""
        return run_once(self.argv, self.cwd, self.ok_codes, capture)


@dataclasses.dataclass
class Result:
    """Measurements and verdict of one case."""

    case: str
    tool: list[Sample]
    anchor: list[Sample]
    target: str
    failures: list[str]

    @property
    def tool_median(self) -> float:
        """Median wall time of policydiff in seconds."""
        return statistics.median(s.seconds for s in self.tool)

    @property
    def anchor_median(self) -> float | None:
        """Median wall time of the anchor in seconds, if there is one."""
        return statistics.median(s.seconds for s in self.anchor) if self.anchor else None

    @property
    def ratio(self) -> float | None:
        """policydiff median / anchor median, if there is an anchor."""
        anchor = self.anchor_median
        return self.tool_median / anchor if anchor else None

    @property
    def spread(self) -> str:
        """Interquartile range of the per-run ratios (tool run i / anchor run i,
        interleaved), or of the tool's times when there is no anchor: how far
        one run may land from the median on this machine."""
        if self.anchor and len(self.anchor) == len(self.tool):
            values = [t.seconds / a.seconds for t, a in zip(self.tool, self.anchor) if a.seconds > 0]
            fmt = lambda v: f"{v:.2f}"
        else:
            values = [s.seconds for s in self.tool]
            fmt = fmt_time
        if len(values) < 4:
            return "—"
        q = statistics.quantiles(values, n=4)
        return f"{fmt(q[0])}–{fmt(q[2])}"

    @property
    def peak_rss(self) -> float:
        """Peak RSS of policydiff over all runs, MiB."""
        return max(s.rss_mib for s in self.tool)


def measure(tool: Command, anchor: Command | None, runs: int) -> tuple[list[Sample], list[Sample]]:
    """Run tool and anchor interleaved `runs` times each; return their samples."""
    tool_samples: list[Sample] = []
    anchor_samples: list[Sample] = []
    for _ in range(runs):
        tool_samples.append(tool.run()[0])
        if anchor:
            anchor_samples.append(anchor.run()[0])
    return tool_samples, anchor_samples


def precheck_json(tool: Command) -> object:
    """Run policydiff once capturing stdout; return the parsed JSON or raise."""
    _, stdout = tool.run(capture=True)
    try:
        return json.loads(stdout)
    except ValueError as e:
        raise BenchError(f"`{shlex.join(tool.argv)}` printed invalid JSON: {e}\n"
                         f"{stdout[:500].decode(errors='replace')}") from e


def count_versions(doc: object) -> int | None:
    """Return the number of version entries in `versions --format json` output.

    Accepts a top-level list, an object with a "versions" list, or a one-element
    list of per-policy objects holding a "versions" list; None otherwise."""
    if isinstance(doc, dict) and isinstance(doc.get("versions"), list):
        return len(doc["versions"])
    if isinstance(doc, list):
        if len(doc) == 1 and isinstance(doc[0], dict) and isinstance(doc[0].get("versions"), list):
            return len(doc[0]["versions"])
        return len(doc)
    return None


# --------------------------------------------------------------------------
# Cases
# --------------------------------------------------------------------------

def diff_commands(binary: Path, old: Path, new: Path, cwd: Path) -> tuple[Command, Command]:
    """Return the policydiff and git word-diff commands for an OLD/NEW pair."""
    tool = Command([str(binary), "diff", str(old), str(new), "--format", "json"], cwd)
    anchor = Command(["git", "diff", "--no-index", "--word-diff=porcelain", str(old), str(new)],
                     cwd, frozenset({0, 1}))
    return tool, anchor


def ratio_case(name: str, tool: Command, anchor: Command, runs: int,
               ratio_target: float = RATIO_TARGET, rss_limit: float | None = None,
               check: Callable[[object], list[str]] | None = None) -> Result:
    """Pre-check, then measure a policydiff-vs-anchor case with a ratio target.

    `check`, if given, receives policydiff's parsed JSON from the pre-check and
    returns failure messages for the result."""
    doc = precheck_json(tool)
    failures = check(doc) if check else []
    anchor.run()
    tool_s, anchor_s = measure(tool, anchor, runs)
    target = f"ratio ≤ {ratio_target:g}"
    result = Result(name, tool_s, anchor_s, target, failures)
    if result.ratio > ratio_target:
        result.failures.append(f"ratio {result.ratio:.2f} > {ratio_target:g}")
    if rss_limit is not None:
        result.target += f", RSS ≤ {rss_limit:g} MiB"
        if result.peak_rss > rss_limit:
            result.failures.append(f"peak RSS {result.peak_rss:.1f} MiB > {rss_limit:g} MiB")
    return result


def require_bundled() -> None:
    """Raise BenchError if the bundled policy or its draft is missing."""
    missing = [str(p) for p in (BUNDLED_OLD, BUNDLED_NEW) if not p.is_file()]
    if missing:
        raise BenchError(f"bundled inputs missing: {', '.join(missing)}")


def case_bundled(binary: Path, tmp: Path, args: argparse.Namespace) -> Result:
    """Bundled policy vs its draft revision."""
    require_bundled()
    return ratio_case("bundled", *diff_commands(binary, BUNDLED_OLD, BUNDLED_NEW, ROOT), args.runs)


def case_1mb(binary: Path, tmp: Path, args: argparse.Namespace) -> Result:
    """Two generated ~1 MB policies with sparse edits."""
    old, new = gen_1mb(tmp, args.seed)
    return ratio_case("1mb", *diff_commands(binary, old, new, tmp), args.runs,
                      rss_limit=RSS_TARGET_MIB)


def case_read_docx(binary: Path, tmp: Path, args: argparse.Namespace) -> Result:
    """The 1 MB pair read as Word documents vs read as Markdown."""
    if shutil.which("pandoc") is None:
        raise BenchError("the docx case needs pandoc (apt-get install pandoc); "
                         "or run another case with --only")
    src = tmp / "docx-src"  # the 1mb case may have written tmp/1mb already
    src.mkdir()
    old, new = gen_1mb(src, args.seed)
    docx = []
    for md in (old, new):
        out = md.with_suffix(".docx")
        subprocess.run(["pandoc", "-f", "markdown-smart", str(md), "-o", str(out)], check=True)
        docx.append(out)
    as_md = Command([str(binary), "diff", str(old), str(new), "--format", "json"], tmp)
    as_docx = Command([str(binary), "diff", str(docx[0]), str(docx[1]), "--format", "json"], tmp)
    md_doc = precheck_json(as_md)

    def check(doc: object) -> list[str]:
        want, got = md_doc.get("stats", {}), doc.get("stats", {})
        keys = ("added", "removed", "modified", "moved", "unchanged")
        return [f"stats.{k}: docx {got.get(k)} != markdown {want.get(k)}"
                for k in keys if got.get(k) != want.get(k)]

    return ratio_case("read-docx", as_docx, as_md, args.runs, ratio_target=DOCX_RATIO_TARGET,
                      check=check)


def case_adversarial(binary: Path, tmp: Path, args: argparse.Namespace) -> Result:
    """~200 KB policy vs the same paragraphs shuffled; absolute time target."""
    old, new = gen_adversarial(tmp, args.seed)
    tool, _ = diff_commands(binary, old, new, tmp)
    precheck_json(tool)
    tool_s, _ = measure(tool, None, args.adversarial_runs)
    result = Result("adversarial", tool_s, [], f"median ≤ {ADVERSARIAL_TARGET_S:g} s", [])
    if result.tool_median > ADVERSARIAL_TARGET_S:
        result.failures.append(f"median {result.tool_median:.2f} s > {ADVERSARIAL_TARGET_S:g} s")
    return result


def case_versions(binary: Path, tmp: Path, args: argparse.Namespace) -> Result:
    """History listing of the policy file in a generated 2,000-commit repo."""
    repo = gen_versions(tmp, args.seed)
    tool = Command([str(binary), "versions", "--format", "json"], repo)
    anchor = Command(["git", "log", "--format=%H", "--", POLICY_PATH], repo)
    git_count = len(anchor.run(capture=True)[1].split())
    if git_count != POLICY_COMMITS:
        raise BenchError(f"generator bug: git log lists {git_count} commits, "
                         f"expected {POLICY_COMMITS}")

    def check(doc: object) -> list[str]:
        """Fail unless the JSON lists POLICY_COMMITS versions."""
        count = count_versions(doc)
        if count != POLICY_COMMITS:
            return [f"JSON lists {count} versions, expected {POLICY_COMMITS}"]
        return []

    result = ratio_case("versions", tool, anchor, args.runs, check=check)
    result.target += f", {POLICY_COMMITS} versions"
    return result


def check_classification(doc: object, expected: str | None) -> list[str]:
    """Return a failure unless `doc` is a Report whose "classification" is `expected`."""
    if not isinstance(doc, dict) or "classification" not in doc:
        return ["JSON is not a Report with a \"classification\" field"]
    if doc["classification"] != expected:
        return [f"classification {json.dumps(doc['classification'])}, "
                f"expected {json.dumps(expected)}"]
    return []


def case_classify(binary: Path, tmp: Path, args: argparse.Namespace) -> Result:
    """Bundled pair with classification vs the same diff with --no-classify."""
    require_bundled()
    tool, _ = diff_commands(binary, BUNDLED_OLD, BUNDLED_NEW, ROOT)
    anchor = Command([*tool.argv, "--no-classify"], ROOT)
    anchor_failures = [f"--no-classify: {f}"
                       for f in check_classification(precheck_json(anchor), None)]
    result = ratio_case("classify", tool, anchor, args.classify_runs,
                        ratio_target=CLASSIFY_RATIO_TARGET,
                        check=lambda doc: check_classification(doc, "major") + anchor_failures)
    result.target += ", major / null"
    return result


def case_log(binary: Path, tmp: Path, args: argparse.Namespace) -> Result:
    """Classified history of a generated repo with LOG_VERSIONS policy versions."""
    repo = gen_log(tmp, args.seed)
    tool = Command([str(binary), "log", "--format", "json"], repo)
    anchor = Command(["git", "log", "-p", "--word-diff=porcelain", "--", POLICY_PATH], repo)
    rev_list = Command(["git", "rev-list", "--count", "HEAD", "--", POLICY_PATH], repo)
    git_count = int(rev_list.run(capture=True)[1])
    if git_count != LOG_VERSIONS:
        raise BenchError(f"generator bug: git lists {git_count} versions, expected {LOG_VERSIONS}")
    steps = LOG_VERSIONS - 1

    def check(doc: object) -> list[str]:
        """Fail unless the JSON is a list of `steps` classified Reports."""
        if not isinstance(doc, list):
            return ["JSON is not a list"]
        failures = []
        if len(doc) != steps:
            failures.append(f"JSON lists {len(doc)} reports, expected {steps}")
        unclassified = sum(1 for r in doc
                           if not isinstance(r, dict) or r.get("classification") is None)
        if unclassified:
            failures.append(f"{unclassified} reports lack a classification")
        return failures

    result = ratio_case("log", tool, anchor, args.log_runs,
                        ratio_target=LOG_RATIO_TARGET, check=check)
    result.target += f", {steps} reports"
    return result


def case_site(binary: Path, tmp: Path, args: argparse.Namespace) -> Result:
    """Public archive of SITE_RELEASES releases; absolute time target."""
    repo = gen_site(tmp, args.seed)
    out_dir = tmp / "site-out"
    tool = Command([str(binary), "site", "--out", str(out_dir), "--base-url", "https://example.com/privacy"], repo)
    tool.run(capture=True)
    pages = len(list((out_dir / "versions").glob("*.html")))
    redlines = len(list((out_dir / "redline").glob("*.html")))
    tool_s, _ = measure(tool, None, args.adversarial_runs)
    result = Result("site", tool_s, [], f"median ≤ {SITE_TARGET_S:g} s, {SITE_RELEASES} releases", [])
    if pages != SITE_RELEASES or redlines != SITE_RELEASES - 1:
        result.failures.append(f"{pages} version pages and {redlines} redlines, expected {SITE_RELEASES} and {SITE_RELEASES - 1}")
    if result.tool_median > SITE_TARGET_S:
        result.failures.append(f"median {result.tool_median:.2f} s > {SITE_TARGET_S:g} s")
    return result


def case_write_docx(binary: Path, tmp: Path, args: argparse.Namespace) -> Result:
    """The 1 MB pair as a Word document with tracked changes; absolute time target."""
    import zipfile

    old, new = gen_1mb(tmp, args.seed)
    out = tmp / "redline.docx"
    tool = Command([str(binary), "diff", str(old), str(new), "--format", "docx", "-o", str(out)], tmp)
    tool.run()
    failures = []
    try:
        with zipfile.ZipFile(out) as z:
            body = z.read("word/document.xml").decode()
    except (OSError, KeyError, zipfile.BadZipFile) as e:
        raise BenchError(f"`{shlex.join(tool.argv)}` wrote no Word document: {e}") from e
    revisions = body.count("<w:ins ") + body.count("<w:del ")
    if revisions == 0:
        failures.append("the document holds no tracked revision")
    tool_s, _ = measure(tool, None, args.runs)
    result = Result("write-docx", tool_s, [], f"median ≤ {DOCX_TARGET_S:g} s, {revisions} revisions", failures)
    if result.tool_median > DOCX_TARGET_S:
        result.failures.append(f"median {result.tool_median:.2f} s > {DOCX_TARGET_S:g} s")
    return result


SEND_COUNT = 10_000
SEND_RATIO_TARGET = 2.0      # time ratio to smtp-source: throughput >= 50%
SEND_FILE_TARGET = 5000.0    # messages per second, file transport
SEND_RSS_TARGET_MIB = 64.0
SEND_TOML = POLICYDIFF_TOML + """
[email]
from = "Privacy Team <privacy@example.com>"
reply_to = "privacy@example.com"
list_unsubscribe = "<mailto:unsubscribe@example.com>"
"""


def send_setup(tmp: Path, counts: list[int]) -> tuple[Path, dict[int, Path]]:
    """A working directory with policydiff.toml ([email] set) and recipient
    lists of the given sizes (a third of them zh-CN)."""
    work = tmp / "send"
    work.mkdir(exist_ok=True)
    (work / "policydiff.toml").write_text(SEND_TOML)
    lists = {}
    for n in counts:
        path = work / f"recipients-{n}.csv"
        with path.open("w") as f:
            f.write("email,name,locale\n")
            for i in range(n):
                f.write(f"user{i}@example.com,User {i},{'zh-CN' if i % 3 == 0 else 'en'}\n")
        lists[n] = path
    return work, lists


def send_argv(binary: Path, recipients: Path, transport: str, journal: Path) -> list[str]:
    """policydiff send of the bundled major change."""
    return [str(binary), "send", str(BUNDLED_OLD), str(BUNDLED_NEW), "--recipients", str(recipients),
            "--notice-date", "2025-12-01", "--transport", transport, "--insecure",
            "--connections", "4", "--journal", str(journal)]


class SmtpSink:
    """Postfix's smtp-sink on a free loopback port, for the life of a `with`."""

    def __enter__(self) -> "SmtpSink":
        if not shutil.which("smtp-sink") or not shutil.which("smtp-source"):
            raise BenchError("smtp-sink/smtp-source missing: apt-get install postfix")
        import socket
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            self.port = s.getsockname()[1]
        self.proc = subprocess.Popen(["smtp-sink", "-u", "nobody", f"127.0.0.1:{self.port}", "256"],
                                     stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        for _ in range(100):
            with socket.socket() as s:
                if s.connect_ex(("127.0.0.1", self.port)) == 0:
                    return self
            time.sleep(0.05)
        raise BenchError("smtp-sink did not start")

    def __exit__(self, *exc: object) -> None:
        self.proc.kill()
        self.proc.wait()


def message_size(binary: Path, work: Path, recipients: Path) -> int:
    """Bytes of one rendered message (the file transport's .eml)."""
    one = work / "one.csv"
    one.write_text(recipients.read_text().splitlines()[0] + "\n" + recipients.read_text().splitlines()[2] + "\n")
    out = work / "one-out"
    Command(send_argv(binary, one, f"file:{out}", work / "one.jsonl"), work).run()
    sizes = [f.stat().st_size for f in out.glob("*.eml")]
    if not sizes:
        raise BenchError("policydiff send wrote no message")
    return sizes[0]


def case_send_smtp(binary: Path, tmp: Path, args: argparse.Namespace) -> Result:
    """SMTP throughput against smtp-sink, side by side with smtp-source at the
    same concurrency (4) and message size."""
    work, lists = send_setup(tmp, [SEND_COUNT])
    size = message_size(binary, work, lists[SEND_COUNT])
    tool_s: list[Sample] = []
    anchor_s: list[Sample] = []
    with SmtpSink() as sink:
        for run in range(args.send_runs):
            journal = work / f"smtp-{run}.jsonl"
            tool_s.append(Command(send_argv(binary, lists[SEND_COUNT], f"smtp://127.0.0.1:{sink.port}", journal), work).run()[0])
            anchor = ["smtp-source", "-s", "4", "-m", str(SEND_COUNT), "-l", str(size),
                      "-f", "a@example.com", "-t", "b@example.com", f"127.0.0.1:{sink.port}"]
            anchor_s.append(Command(anchor, work).run()[0])
    result = Result("send-smtp", tool_s, anchor_s,
                    f"throughput ≥ 50% of smtp-source ({SEND_COUNT} × {size // 1024} KiB, 4 connections, journal on)", [])
    if result.ratio is not None and result.ratio > SEND_RATIO_TARGET:
        result.failures.append(f"time ratio {result.ratio:.2f} > {SEND_RATIO_TARGET}: throughput "
                               f"{1 / result.ratio:.0%} of smtp-source")
    return result


def case_send_file(binary: Path, tmp: Path, args: argparse.Namespace) -> Result:
    """File transport throughput (messages per second): the median of
    --send-file-runs runs, with the slowest and fastest, so that a quoted
    figure is the typical run and not the best one."""
    work, lists = send_setup(tmp, [SEND_COUNT])
    samples = []
    for run in range(args.send_file_runs):
        out = work / f"file-{run}"
        samples.append(Command(send_argv(binary, lists[SEND_COUNT], f"file:{out}", work / f"file-{run}.jsonl"), work).run()[0])
        shutil.rmtree(out, ignore_errors=True)  # 10,000 files a run: keep the page cache comparable
    result = Result("send-file", samples, [], f"≥ {SEND_FILE_TARGET:.0f} messages/s ({SEND_COUNT} messages)", [])
    rate = SEND_COUNT / result.tool_median
    rates = sorted(SEND_COUNT / s.seconds for s in samples)
    result.target += (f"; median {rate:.0f}/s over {len(samples)} runs "
                      f"(range {rates[0]:.0f}–{rates[-1]:.0f}/s)")
    if rate < SEND_FILE_TARGET:
        result.failures.append(f"median {rate:.0f} messages/s < {SEND_FILE_TARGET:.0f}")
    return result


def case_send_memory(binary: Path, tmp: Path, args: argparse.Namespace) -> Result:
    """Peak memory of send over SMTP for growing lists: flat, ≤ 64 MiB."""
    counts = [10_000, 100_000] + ([1_000_000] if args.send_million else [])
    work, lists = send_setup(tmp, counts)
    samples = []
    with SmtpSink() as sink:
        for n in counts:
            sample = Command(send_argv(binary, lists[n], f"smtp://127.0.0.1:{sink.port}", work / f"mem-{n}.jsonl"), work).run()[0]
            print(f"  send {n} recipients: {sample.seconds:.1f} s, peak RSS {sample.rss_mib:.1f} MiB", file=sys.stderr)
            samples.append(sample)
    rss = ", ".join(f"{n // 1000}k: {s.rss_mib:.1f}" for n, s in zip(counts, samples))
    result = Result("send-memory", samples, [], f"peak RSS ≤ {SEND_RSS_TARGET_MIB:g} MiB ({rss} MiB)", [])
    if max(s.rss_mib for s in samples) > SEND_RSS_TARGET_MIB:
        result.failures.append(f"peak RSS {max(s.rss_mib for s in samples):.1f} MiB > {SEND_RSS_TARGET_MIB:g}")
    return result


CASE_FUNCS: dict[str, Callable[[Path, Path, argparse.Namespace], Result]] = {
    "bundled": case_bundled,
    "1mb": case_1mb,
    "read-docx": case_read_docx,
    "adversarial": case_adversarial,
    "versions": case_versions,
    "classify": case_classify,
    "log": case_log,
    "site": case_site,
    "write-docx": case_write_docx,
    "send-smtp": case_send_smtp,
    "send-file": case_send_file,
    "send-memory": case_send_memory,
}


# --------------------------------------------------------------------------
# Report
# --------------------------------------------------------------------------

def fmt_time(seconds: float | None) -> str:
    """Format seconds as ms (or s above 10 s); '—' for None."""
    if seconds is None:
        return "—"
    return f"{seconds:.2f} s" if seconds >= 10 else f"{seconds * 1000:.1f} ms"


def launcher_floor() -> Sample:
    """Return the median-time, max-RSS Sample of `true` run 5 times through
    the launcher: the spawn overhead and RSS floor inside every figure."""
    samples = [run_once(["true"], ROOT, frozenset({0}))[0] for _ in range(5)]
    return Sample(statistics.median(s.seconds for s in samples),
                  max(s.rss_mib for s in samples))


def machine_info() -> str:
    """Return a one-line description of the machine and tool versions."""
    git = subprocess.run(["git", "--version"], capture_output=True, text=True).stdout.strip()
    cpu = ""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return (f"machine: nproc={len(os.sched_getaffinity(0))}, cpu={cpu or 'unknown'}, "
            f"kernel={platform.release()}, python={platform.python_version()}, {git}")


def reproduce_command(argv: list[str]) -> str:
    """Return the shell command that reproduces this run."""
    prefix = ""
    if os.environ.get("POLICYDIFF_BIN"):
        prefix = f"POLICYDIFF_BIN={shlex.quote(os.environ['POLICYDIFF_BIN'])} "
    return prefix + shlex.join(["python3", "bench/bench.py", *argv])


def print_report(results: list[Result], binary: Path, floor: Sample,
                 args: argparse.Namespace) -> None:
    """Print the Markdown results table, failure notes and reproduction info."""
    print(machine_info())
    print(f"binary: {built_binary()}, run as an installed copy ({binary})")
    print(f"runs: {args.runs} interleaved (adversarial: {args.adversarial_runs}, "
          f"classify: {args.classify_runs}, log: {args.log_runs}), seed {args.seed}")
    print(f"launcher floor (`true`): {fmt_time(floor.seconds)}, {floor.rss_mib:.1f} MiB "
          "(included in every time; peak RSS is never below it)")
    print()
    print("| case | policydiff median | anchor median | ratio | spread (IQR) | peak RSS | target | result |")
    print("|---|---|---|---|---|---|---|---|")
    for r in results:
        ratio = f"{r.ratio:.2f}" if r.ratio is not None else "—"
        anchor_rss = f" (anchor {max(s.rss_mib for s in r.anchor):.1f})" if r.anchor else ""
        verdict = "FAIL" if r.failures else "PASS"
        print(f"| {r.case} | {fmt_time(r.tool_median)} | {fmt_time(r.anchor_median)} | {ratio} | {r.spread} "
              f"| {r.peak_rss:.1f} MiB{anchor_rss} | {r.target} | {verdict} |")
    for r in results:
        for failure in r.failures:
            print(f"- {r.case}: {failure}")
    print()
    print(f"reproduce: {reproduce_command(sys.argv[1:])}")


def parse_args() -> argparse.Namespace:
    """Parse command-line options."""
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--runs", type=int, default=11,
                   help="interleaved runs per command (default 11)")
    p.add_argument("--adversarial-runs", type=int, default=3,
                   help="runs for the adversarial case (default 3)")
    p.add_argument("--classify-runs", type=int, default=31,
                   help="interleaved runs for the classify case (default 31)")
    p.add_argument("--log-runs", type=int, default=5,
                   help="interleaved runs for the log case (default 5)")
    p.add_argument("--send-runs", type=int, default=3,
                   help="interleaved runs of the send-smtp case (default 3)")
    p.add_argument("--send-file-runs", type=int, default=7,
                   help="runs of the send-file case; the median is quoted with the range (default 7)")
    p.add_argument("--send-million", action="store_true",
                   help="send-memory also sends 1,000,000 recipients (several minutes)")
    p.add_argument("--only", choices=CASES, help="run a single case")
    p.add_argument("--seed", type=int, default=20250709, help="generator seed")
    args = p.parse_args()
    if min(args.runs, args.adversarial_runs, args.classify_runs, args.log_runs, args.send_runs, args.send_file_runs) < 1:
        p.error("run counts must be >= 1")
    return args


def main() -> int:
    """Run the selected cases and return the exit code."""
    args = parse_args()
    tmp = Path(tempfile.mkdtemp(prefix="policydiff-bench-"))
    try:
        binary = policydiff_binary(install_dir=tmp)
        floor = launcher_floor()
        results = []
        for name in ([args.only] if args.only else CASES):
            print(f"running {name} ...", file=sys.stderr, flush=True)
            results.append(CASE_FUNCS[name](binary, tmp, args))
    except BenchError as e:
        print(f"bench error: {e}", file=sys.stderr)
        return 2
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    print_report(results, binary, floor, args)
    return 1 if any(r.failures for r in results) else 0


if __name__ == "__main__":
    sys.exit(main())
