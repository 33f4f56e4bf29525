#!/usr/bin/env python3
"""Benchmark web pages as versions (issue 14).

Cases:

  1mb-html   the 1 MB pair of bench.py (gen_1mb), published as web pages by
             pandoc (`pandoc -s`); reading it as HTML vs reading it as Markdown:
               policydiff diff old.html new.html --format json
               policydiff diff old.md   new.md   --format json
             and, reading only (one side, parsed and its triggers listed):
               policydiff triggers new.html --format json  vs  ... new.md
             target: HTML costs at most 3x Markdown (median of runs).
  verify     the bundled policy released in a fresh git repository, its pandoc
             page verified:  policydiff verify live.html
             target: median under 50 ms.

Runs are interleaved; wall time is measured from spawn to reap (bench.py's
launcher). Needs pandoc. Exit status: 0 targets met, 1 a target failed,
2 harness error.

Usage: python3 bench/bench_html.py [--runs N] [--seed S]
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import bench  # noqa: E402  (bench.py beside this file: generators, launcher)

TARGET_RATIO = 3.0
TARGET_VERIFY_S = 0.050


def pandoc(src: Path, out: Path) -> None:
    subprocess.run(["pandoc", "-s", "-o", str(out), str(src)], check=True)


def median_pair(a: list[str], b: list[str], cwd: Path, runs: int,
                ok: frozenset[int] = frozenset({0})) -> tuple[float, float]:
    """Medians (seconds) of two commands run alternately, after one warm-up each."""
    bench.run_once(a, cwd, ok)
    bench.run_once(b, cwd, ok)
    sa, sb = [], []
    for _ in range(runs):
        sa.append(bench.run_once(a, cwd, ok)[0].seconds)
        sb.append(bench.run_once(b, cwd, ok)[0].seconds)
    sa.sort()
    sb.sort()
    return sa[len(sa) // 2], sb[len(sb) // 2]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=15)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    failed = False
    with tempfile.TemporaryDirectory(prefix="policydiff-bench-html-") as tmp_name:
        tmp = Path(tmp_name)
        binary = str(bench.policydiff_binary(install_dir=tmp))
        old_md, new_md = bench.gen_1mb(tmp, args.seed)
        old_html, new_html = old_md.with_suffix(".html"), new_md.with_suffix(".html")
        pandoc(old_md, old_html)
        pandoc(new_md, new_html)
        cwd = old_md.parent
        for label, html_cmd, md_cmd in [
            ("diff of the pair",
             [binary, "diff", old_html.name, new_html.name, "--format", "json"],
             [binary, "diff", old_md.name, new_md.name, "--format", "json"]),
            ("reading one side (triggers)",
             [binary, "triggers", new_html.name, "--format", "json"],
             [binary, "triggers", new_md.name, "--format", "json"]),
        ]:
            t_html, t_md = median_pair(html_cmd, md_cmd, cwd, args.runs, frozenset({0, 1}))
            ratio = t_html / t_md
            ok = ratio <= TARGET_RATIO
            failed |= not ok
            print(f"1mb-html  {label}: HTML {t_html * 1000:.1f} ms, Markdown {t_md * 1000:.1f} ms, "
                  f"ratio {ratio:.2f} (target <= {TARGET_RATIO}) {'ok' if ok else 'FAILED'}")

        repo = tmp / "repo"
        (repo / "policies").mkdir(parents=True)
        (repo / "policies" / "privacy-policy.md").write_bytes(bench.BUNDLED_OLD.read_bytes())
        (repo / "policydiff.toml").write_text(
            '[[policy]]\nname = "privacy-policy"\npath = "policies/privacy-policy.md"\n')
        git = ["git", "-c", "user.name=Bench", "-c", "user.email=bench@example.invalid"]
        subprocess.run(["git", "init", "-q", "-b", "main"], cwd=repo, check=True)
        subprocess.run(["git", "add", "-A"], cwd=repo, check=True)
        subprocess.run(git + ["commit", "-qm", "policy"], cwd=repo, check=True)
        subprocess.run(git + ["tag", "-a", "privacy-policy/2025-07-09", "-m",
                              "privacy-policy: effective 2025-07-09"], cwd=repo, check=True)
        pandoc(bench.BUNDLED_OLD, repo / "live.html")
        cmd = [binary, "verify", "live.html"]
        bench.run_once(cmd, repo, frozenset({0}))
        samples = sorted(bench.run_once(cmd, repo, frozenset({0}))[0].seconds
                         for _ in range(args.runs))
        median = samples[len(samples) // 2]
        ok = median < TARGET_VERIFY_S
        failed |= not ok
        print(f"verify    bundled policy's pandoc page: median {median * 1000:.1f} ms over "
              f"{args.runs} runs (min {samples[0] * 1000:.1f}, max {samples[-1] * 1000:.1f}; "
              f"target < {TARGET_VERIFY_S * 1000:.0f} ms) {'ok' if ok else 'FAILED'}")
    return 1 if failed else 0


if __name__ == "__main__":
    try:
        sys.exit(main())
    except (bench.BenchError, subprocess.CalledProcessError) as e:
        print(f"bench_html: error: {e}", file=sys.stderr)
        sys.exit(2)
