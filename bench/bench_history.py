#!/usr/bin/env python3
"""Benchmark policydiff's history commands against git on a real archive.

Needs a local snapshot of a policy archive kept in git, such as Open Terms
Archive's public `contrib-versions` (42,632 commits, 307 privacy-policy
files): --snapshot PATH (a bare repository or one with a work tree). The
snapshot is cloned (locally, hard links) into a temporary directory, which
is removed at the end; the snapshot itself is never written.

Cases, each policydiff vs its git anchor, runs interleaved, medians and
ratios (wall time, whole process, started by bench.py's launcher):

  versions-NAME  policydiff versions -p NAME
                 vs git log --format=%H -- PATH                  (≤ 1.0×)
  log-NAME       policydiff log -p NAME
                 vs git log -p --word-diff=porcelain -- PATH     (≤ 1.2×)
  log-all        policydiff log --all --format jsonl, the config's one
                 policy being the glob '*/Privacy Policy.md'
                 vs git log -p --word-diff=porcelain -- '*/Privacy Policy.md'
                                                   (≤ 1.5×, peak RSS ≤ 256 MiB)

for NAME in Booking.com, Alibaba.com, Wikipedia. --commit-graph writes a
commit-graph into the clone first (`git commit-graph write --reachable`),
which git's log reads; policydiff reads every commit itself either way.

After the table: the CPU time (user + sys) of the same runs, medians,
which a shared machine's load moves far less than wall time; then the
number of changes `log --all` calls major, minor and
none per year of the newer version's commit (from the pre-check run).

Exit status: 0 all targets met, 1 a target failed, 2 harness error.

Usage: python3 bench/bench_history.py --snapshot PATH [--runs N] [--all-runs N]
                                      [--only TEXT] [--commit-graph]
Set POLICYDIFF_BIN to benchmark another binary.
"""

from __future__ import annotations

import argparse
import collections
import json
import os
import shlex
import shutil
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench import (  # noqa: E402
    BenchError, Command, Result, fmt_time, launcher_floor, machine_info, measure,
    built_binary, policydiff_binary,
)

POLICIES = {
    "Booking.com": "Booking.com/Privacy Policy.md",
    "Alibaba.com": "Alibaba.com/Privacy Policy.md",
    "Wikipedia": "Wikipedia/Privacy Policy.md",
}
GLOB = "*/Privacy Policy.md"
VERSIONS_TARGET = 1.0
LOG_TARGET = 1.2
ALL_TARGET = 1.5
ALL_RSS_MIB = 256.0


def parse_args() -> argparse.Namespace:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--snapshot", required=True, type=Path,
                   help="git repository of the archive (bare or not)")
    p.add_argument("--runs", type=int, default=5, help="runs per single-policy case")
    p.add_argument("--all-runs", type=int, default=3, help="runs of the log-all case")
    p.add_argument("--only", help="run the cases whose name contains this "
                   "(versions, log-Wikipedia, log-all, ...)")
    p.add_argument("--commit-graph", action="store_true",
                   help="write a commit-graph into the clone before measuring")
    return p.parse_args()


def clone(snapshot: Path, tmp: Path, commit_graph: bool) -> Path:
    """A local clone with a work tree (the glob is matched against it) and the
    two configs: the three named policies, and the glob alone."""
    if not snapshot.exists():
        raise BenchError(f"--snapshot {snapshot} does not exist")
    repo = tmp / "archive"
    run(["git", "clone", "-q", str(snapshot), str(repo)], tmp)
    if commit_graph:
        run(["git", "commit-graph", "write", "--reachable"], repo)
    else:
        # A snapshot may carry one; without means without.
        for f in ("commit-graph", "commit-graphs"):
            path = repo / ".git" / "objects" / "info" / f
            if path.is_dir():
                shutil.rmtree(path)
            elif path.exists():
                path.unlink()
    (repo / "policydiff.toml").write_text("".join(
        f'[[policy]]\nname = "{name}"\npath = "{path}"\n\n' for name, path in POLICIES.items()))
    (repo / "all.toml").write_text(f'[[policy]]\npath = "{GLOB}"\n')
    return repo


def run(argv: list[str], cwd: Path) -> str:
    out = subprocess.run(argv, cwd=cwd, capture_output=True, text=True)
    if out.returncode != 0:
        raise BenchError(f"`{shlex.join(argv)}` failed:\n{out.stderr[-2000:]}")
    return out.stdout


class Timed:
    """A Command that also keeps the CPU time (user + sys) of each measured
    run: the load of a shared machine stretches wall time, much less the
    CPU a run needs. Read from this process's children's times, which
    include the launcher's waited-for child (and the launcher, ~20 ms)."""

    def __init__(self, command: Command):
        self.command = command
        self.cpu: list[float] = []

    def run(self, capture: bool = False):
        before = os.times()
        result = self.command.run(capture=capture)
        after = os.times()
        self.cpu.append(after.children_user - before.children_user
                        + after.children_system - before.children_system)
        return result

    def __getattr__(self, name: str):
        return getattr(self.command, name)


# CPU medians per case, for the table after the main one.
CPU: dict[str, tuple[float, float]] = {}


def case(name: str, tool: Command, anchor: Command, runs: int, target: float,
         rss: float | None = None, check=None) -> Result:
    """Pre-check both, then measure interleaved."""
    tool, anchor = Timed(tool), Timed(anchor)
    _, out = tool.run(capture=True)
    failures = check(out) if check else []
    anchor.run()
    # The pre-checks are not measured.
    tool.cpu.clear()
    anchor.cpu.clear()
    tool_s, anchor_s = measure(tool, anchor, runs)
    CPU[name] = (statistics.median(tool.cpu), statistics.median(anchor.cpu))
    result = Result(name, tool_s, anchor_s, f"ratio ≤ {target:g}", failures)
    if result.ratio > target:
        result.failures.append(f"ratio {result.ratio:.2f} > {target:g}")
    if rss is not None:
        result.target += f", RSS ≤ {rss:g} MiB"
        if result.peak_rss > rss:
            result.failures.append(f"peak RSS {result.peak_rss:.1f} MiB > {rss:g} MiB")
    return result


def main() -> int:
    args = parse_args()
    tmp = Path(tempfile.mkdtemp(prefix="policydiff-bench-history-"))
    results: list[Result] = []
    years: dict[str, collections.Counter] = {}
    try:
        binary = str(policydiff_binary(install_dir=tmp))
        floor = launcher_floor()
        print("cloning the snapshot ...", file=sys.stderr, flush=True)
        repo = clone(args.snapshot, tmp, args.commit_graph)
        commits = run(["git", "rev-list", "--count", "HEAD"], repo).strip()
        for name, path in POLICIES.items():
            for kind in ("versions", "log"):
                label = f"{kind}-{name}"
                if args.only and args.only not in label:
                    continue
                print(f"running {label} ...", file=sys.stderr, flush=True)
                tool = Command([binary, kind, "-p", name], repo)
                if kind == "versions":
                    anchor = Command(["git", "log", "--format=%H", "--", path], repo)
                    git_ids = run(anchor.argv, repo).split()

                    def check(out: bytes, git_ids=git_ids) -> list[str]:
                        ours = [line.split()[0] for line in out.decode().splitlines()]
                        if sorted(g[:10] for g in git_ids) != sorted(ours):
                            return [f"{len(ours)} versions, git lists {len(git_ids)} commits"]
                        return []
                    results.append(case(label, tool, anchor, args.runs, VERSIONS_TARGET,
                                        check=check))
                else:
                    anchor = Command(["git", "log", "-p", "--word-diff=porcelain", "--", path],
                                     repo)
                    results.append(case(label, tool, anchor, args.runs, LOG_TARGET))
        if not args.only or args.only in "log-all":
            print("running log-all ...", file=sys.stderr, flush=True)
            tool = Command([binary, "--config", "all.toml", "log", "--all", "--format", "jsonl"],
                           repo)
            anchor = Command(["git", "log", "-p", "--word-diff=porcelain", "--", GLOB], repo)

            def count_years(out: bytes) -> list[str]:
                # Lines end at '\n' only: a Report may hold U+2028 unescaped.
                for line in filter(None, out.decode().split("\n")):
                    report = json.loads(line)
                    year = report["new"]["date"][:4]
                    years.setdefault(year, collections.Counter())[
                        report["classification"] or "-"] += 1
                return [] if years else ["no reports"]
            results.append(case("log-all", tool, anchor, args.all_runs, ALL_TARGET,
                                rss=ALL_RSS_MIB, check=count_years))
    except BenchError as e:
        print(f"bench error: {e}", file=sys.stderr)
        return 2
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    print(machine_info())
    print(f"binary: {built_binary()}, run as an installed copy ({binary})")
    print(f"snapshot: {args.snapshot} ({commits} commits), commit-graph: "
          f"{'written' if args.commit_graph else 'none'}")
    print(f"runs: {args.runs} interleaved (log-all: {args.all_runs})")
    print(f"launcher floor (`true`): {fmt_time(floor.seconds)}, {floor.rss_mib:.1f} MiB")
    print()
    print("| case | policydiff median | git median | ratio | spread (IQR) | peak RSS | target | result |")
    print("|---|---|---|---|---|---|---|---|")
    for r in results:
        verdict = "ok" if not r.failures else "FAIL: " + "; ".join(r.failures)
        print(f"| {r.case} | {fmt_time(r.tool_median)} | {fmt_time(r.anchor_median)} | "
              f"{r.ratio:.2f}× | {r.spread} | {r.peak_rss:.0f} MiB | {r.target} | {verdict} |")
    print()
    print("CPU time (user + sys), medians of the same runs:")
    print()
    print("| case | policydiff CPU | git CPU | ratio |")
    print("|---|---|---|---|")
    for name, (ours, theirs) in CPU.items():
        print(f"| {name} | {ours:.2f} s | {theirs:.2f} s | {ours / max(theirs, 1e-9):.2f}× |")
    if years:
        print()
        print("Changes by year of the newer version (log --all):")
        print()
        print("| year | major | minor | none | all |")
        print("|---|---|---|---|---|")
        for year in sorted(years):
            c = years[year]
            print(f"| {year} | {c['major']} | {c['minor']} | {c['none']} | {sum(c.values())} |")
    return 1 if any(r.failures for r in results) else 0


if __name__ == "__main__":
    sys.exit(main())
