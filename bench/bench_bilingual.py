#!/usr/bin/env python3
"""Bilingual check vs single-language check on the bundled pair (issue 15).

Builds a temporary git repository with the bundled policy in English and
Chinese committed and tagged as a release, puts the bundled drafts of both
languages in the working tree, and times, interleaved:

  single     policydiff --config single.toml check --format json   (English only)
  bilingual  policydiff --config policydiff.toml check --format json
             (English with its Chinese translation: both comparisons, both
             alignments, the translation findings)

Both exit 1 (the draft is a major change); stdout must be JSON with the
expected shape (checked once before timing). Prints the median of each and
the median ratio bilingual/single; target <= 2.5.

Usage: python3 bench/bench_bilingual.py [--runs N]
Set POLICYDIFF_BIN to benchmark another binary (else target/release/policydiff,
built with `cargo build --release` if missing).
"""

import argparse, json, os, shutil, statistics, subprocess, sys, tempfile, time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
TARGET = 2.5

SINGLE = """[[policy]]
name = "privacy-policy"
path = "policies/privacy-policy.md"
locale = "en"
"""
BILINGUAL = SINGLE + """
[[policy]]
name = "privacy-policy-zh"
path = "policies/privacy-policy.zh-CN.md"
locale = "zh-CN"
translation_of = "privacy-policy"
"""


def binary():
    b = os.environ.get("POLICYDIFF_BIN")
    if b:
        return b
    b = os.path.join(ROOT, "target", "release", "policydiff")
    if not os.path.exists(b):
        subprocess.run(["cargo", "build", "--release"], cwd=ROOT, check=True)
    return b


def git(repo, *args):
    env = dict(os.environ, GIT_AUTHOR_DATE="2025-07-01T10:00:00Z", GIT_COMMITTER_DATE="2025-07-01T10:00:00Z")
    subprocess.run(["git", "-c", "user.name=bench", "-c", "user.email=bench@example.invalid", *args],
                   cwd=repo, check=True, env=env, stdout=subprocess.DEVNULL)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--runs", type=int, default=30)
    a = ap.parse_args()
    bin_ = binary()
    tmp = tempfile.mkdtemp(prefix="pd-bilingual-")
    try:
        os.makedirs(os.path.join(tmp, "policies"))
        for f in ["privacy-policy.md", "privacy-policy.zh-CN.md"]:
            shutil.copy(os.path.join(ROOT, "policies", f), os.path.join(tmp, "policies", f))
        open(os.path.join(tmp, "policydiff.toml"), "w").write(BILINGUAL)
        open(os.path.join(tmp, "single.toml"), "w").write(SINGLE)
        git(tmp, "init", "-q")
        git(tmp, "add", "-A")
        git(tmp, "commit", "-qm", "release")
        git(tmp, "tag", "privacy-policy/2025-07-09")
        shutil.copy(os.path.join(ROOT, "policies/drafts/privacy-policy-next.md"),
                    os.path.join(tmp, "policies/privacy-policy.md"))
        shutil.copy(os.path.join(ROOT, "policies/drafts/privacy-policy-next.zh-CN.md"),
                    os.path.join(tmp, "policies/privacy-policy.zh-CN.md"))
        cmds = {
            "single": [bin_, "--config", "single.toml", "check", "--format", "json"],
            "bilingual": [bin_, "--config", "policydiff.toml", "check", "--format", "json"],
        }
        for name, cmd in cmds.items():
            p = subprocess.run(cmd, cwd=tmp, capture_output=True, text=True)
            if p.returncode not in (0, 1):
                print(f"{name}: exit {p.returncode}: {p.stderr}", file=sys.stderr)
                return 2
            reports = json.loads(p.stdout)["reports"]
            ts = reports[0].get("translations") or []
            t = ts[0] if ts else None
            if (name == "bilingual") != (t is not None) or (t and t["findings"]):
                print(f"{name}: unexpected output shape", file=sys.stderr)
                return 2
        times = {k: [] for k in cmds}
        ratios = []
        for _ in range(a.runs):
            run = {}
            for name, cmd in cmds.items():
                t0 = time.perf_counter()
                subprocess.run(cmd, cwd=tmp, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
                run[name] = time.perf_counter() - t0
                times[name].append(run[name])
            ratios.append(run["bilingual"] / run["single"])
        ms = {k: statistics.median(v) * 1000 for k, v in times.items()}
        ratio = statistics.median(ratios)
        q = statistics.quantiles(ratios, n=4)
        print(f"single check     median {ms['single']:.1f} ms")
        print(f"bilingual check  median {ms['bilingual']:.1f} ms")
        print(f"ratio bilingual/single: median {ratio:.2f} (quartiles {q[0]:.2f}-{q[2]:.2f}, {a.runs} runs), target <= {TARGET}")
        return 0 if ratio <= TARGET else 1
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
