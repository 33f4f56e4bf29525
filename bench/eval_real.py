#!/usr/bin/env python3
"""Score policydiff's classification on labelled real policy changes.

Usage:
  python3 bench/eval_real.py --snapshot GIT_DIR [--labels FILE] [--bin BIN]
                             [--baseline BIN] [--show-misses] [--json OUT]

GIT_DIR is a local snapshot of the public repository
OpenTermsArchive/contrib-versions (its git directory; it is only read).
FILE is a labels file such as ../shared/real-dev/labels.json: a list of
{id, path, old, new, classification, triggers_any?}. For each pair the two
texts are read with `git show` into a temporary directory (never kept), and
`policydiff diff OLD NEW --format json` classifies them.

With --baseline, a second binary (for example one built from an earlier
commit) is scored on the same pairs in the same run, side by side.

Scoring contract (../shared/real-dev/README.md): a verdict is right when its
class is one of the labelled ones, a non-major verdict fires no trigger, and
a major verdict fires at least one of `triggers_any`.

Prints accuracy, the confusion matrix, the false-major rate (non-major
changes called major), majors called none, majors whose fired set contains
a labelled trigger, and per-trigger precision and recall. No policy text is
written anywhere but the temporary directory.
"""
from __future__ import annotations

import argparse
import collections
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_LABELS = ROOT.parent / "shared" / "real-dev" / "labels.json"
CLASSES = ("none", "minor", "major")
TRIGGERS = ("processing", "ownership", "recipients", "rights", "contact", "high-risk")


def git_show(git_dir: str, rev: str, path: str) -> bytes:
    p = subprocess.run(["git", "--git-dir", git_dir, "show", f"{rev}:{path}"],
                       capture_output=True)
    if p.returncode != 0:
        raise SystemExit(f"eval_real: git show {rev}:{path}: {p.stderr.decode(errors='replace').strip()}")
    return p.stdout


def classify(binary: str, old: Path, new: Path) -> tuple[str, list[str], str]:
    """Return (class, fired trigger ids, error) for one pair."""
    p = subprocess.run([binary, "diff", str(old), str(new), "--format", "json"],
                       capture_output=True, env={**os.environ, "NO_COLOR": "1"})
    if p.returncode != 0:
        return "error", [], p.stderr.decode(errors="replace").strip()
    report = json.loads(p.stdout)
    fired = sorted({t["id"] for t in report.get("triggers", [])})
    return report.get("classification") or "none", fired, ""


def labelled_classes(label: dict) -> list[str]:
    c = label["classification"]
    return list(c) if isinstance(c, list) else [c]


def is_right(label: dict, cls: str, fired: list[str]) -> bool:
    if cls not in labelled_classes(label):
        return False
    if cls != "major":
        return not fired
    return bool(set(fired) & set(label.get("triggers_any", [])))


def score(labels: list[dict], verdicts: dict[str, tuple[str, list[str], str]]) -> dict:
    right = 0
    confusion: dict[str, collections.Counter] = {}
    non_major = false_major = 0
    majors = major_none = major_hit = 0
    tp = collections.Counter()
    fp = collections.Counter()
    fn = collections.Counter()
    misses = []
    for label in labels:
        cls, fired, err = verdicts[label["id"]]
        expected = labelled_classes(label)
        row = "/".join(expected)
        confusion.setdefault(row, collections.Counter())[cls] += 1
        ok = is_right(label, cls, fired)
        right += ok
        if "major" not in expected:
            non_major += 1
            false_major += cls == "major"
        else:
            majors += 1
            major_none += cls == "none"
            major_hit += bool(set(fired) & set(label.get("triggers_any", [])))
        wanted = set(label.get("triggers_any", [])) if "major" in expected else set()
        for t in TRIGGERS:
            if t in fired and t in wanted:
                tp[t] += 1
            elif t in fired:
                fp[t] += 1
            elif t in wanted:
                fn[t] += 1
        if not ok:
            misses.append({"id": label["id"], "expected": expected,
                           "triggers_any": label.get("triggers_any", []),
                           "got": cls, "fired": fired, "error": err,
                           "evidence": label.get("evidence", "")})
    return {
        "pairs": len(labels), "right": right, "confusion": confusion,
        "non_major": non_major, "false_major": false_major,
        "majors": majors, "major_none": major_none, "major_hit": major_hit,
        "tp": tp, "fp": fp, "fn": fn, "misses": misses,
    }


def pct(a: int, b: int) -> str:
    return f"{a}/{b} ({100 * a / b:.0f}%)" if b else "—"


def print_scores(scores: dict[str, dict], show_misses: bool) -> None:
    names = list(scores)
    print("| measure | " + " | ".join(names) + " |")
    print("|---|" + "---|" * len(names))
    rows = [
        ("accuracy", lambda s: pct(s["right"], s["pairs"])),
        ("non-major called major", lambda s: pct(s["false_major"], s["non_major"])),
        ("majors called none", lambda s: f"{s['major_none']}/{s['majors']}"),
        ("majors firing a labelled trigger", lambda s: pct(s["major_hit"], s["majors"])),
    ]
    for title, f in rows:
        print(f"| {title} | " + " | ".join(f(scores[n]) for n in names) + " |")
    for n in names:
        s = scores[n]
        print(f"\n{n}: confusion (rows: label, columns: verdict)")
        print("| label | " + " | ".join(CLASSES) + " | error |")
        print("|---|---|---|---|---|")
        for row, counts in sorted(s["confusion"].items()):
            print(f"| {row} | " + " | ".join(str(counts[c]) for c in CLASSES)
                  + f" | {counts['error']} |")
        print(f"\n{n}: per trigger")
        print("| trigger | precision | recall | fired right | fired wrong | missed |")
        print("|---|---|---|---|---|---|")
        for t in TRIGGERS:
            tp, fp, fn = s["tp"][t], s["fp"][t], s["fn"][t]
            prec = f"{tp / (tp + fp):.2f}" if tp + fp else "—"
            rec = f"{tp / (tp + fn):.2f}" if tp + fn else "—"
            print(f"| {t} | {prec} | {rec} | {tp} | {fp} | {fn} |")
        if show_misses and s["misses"]:
            print(f"\n{n}: misses")
            for m in s["misses"]:
                want = "/".join(m["expected"]) + (f" {m['triggers_any']}" if m["triggers_any"] else "")
                got = m["got"] + (f" {m['fired']}" if m["fired"] else "")
                print(f"- {m['id']}: labelled {want}, got {got}"
                      + (f" ({m['error']})" if m["error"] else ""))


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--snapshot", required=True, help="git dir of a contrib-versions snapshot")
    p.add_argument("--labels", default=str(DEFAULT_LABELS), help="labels JSON file")
    p.add_argument("--bin", default=str(ROOT / "target" / "release" / "policydiff"),
                   help="policydiff binary to score (default: target/release/policydiff)")
    p.add_argument("--baseline", help="a second binary scored side by side")
    p.add_argument("--show-misses", action="store_true", help="list every wrong verdict")
    p.add_argument("--json", help="write the scores as JSON to this file")
    args = p.parse_args()
    labels = json.loads(Path(args.labels).read_text())
    binaries = {"policydiff": args.bin}
    if args.baseline:
        binaries = {"baseline": args.baseline, "policydiff": args.bin}
    for name, b in binaries.items():
        if not os.access(b, os.X_OK):
            raise SystemExit(f"eval_real: {name} binary {b} is missing: cargo build --release")
    verdicts: dict[str, dict] = {n: {} for n in binaries}
    with tempfile.TemporaryDirectory(prefix="policydiff-eval-") as tmp:
        for label in labels:
            d = Path(tmp) / label["id"]
            d.mkdir()
            ext = Path(label["path"]).suffix or ".md"
            old, new = d / f"old{ext}", d / f"new{ext}"
            old.write_bytes(git_show(args.snapshot, label["old"], label["path"]))
            new.write_bytes(git_show(args.snapshot, label["new"], label["path"]))
            for name, b in binaries.items():
                verdicts[name][label["id"]] = classify(b, old, new)
    scores = {n: score(labels, verdicts[n]) for n in binaries}
    print(f"labels: {args.labels} ({len(labels)} pairs)")
    print_scores(scores, args.show_misses)
    if args.json:
        Path(args.json).write_text(json.dumps(
            {n: {k: v for k, v in s.items()} for n, s in scores.items()}, indent=1, default=dict))
    return 0


if __name__ == "__main__":
    sys.exit(main())
