#!/usr/bin/env python3
"""Measure pyparallel's recall on the real-code sites in tests/recall.

Each file in tests/recall marks the line where a finding should start with a trailing
`# recall: PARxxx` comment (several codes may be listed, separated by commas) and names its
source in a leading `# Recall site: ...` comment. Look-alike files (`LOOKALIKE_*.py`, source in
a leading `# Look-alike: ...` comment) mark a loop that must stay silent with
`# lookalike: PARxxx`. This script runs

    pyparallel check --output-format json --exit-zero --select <codes> tests/recall

matches the findings to the markers by file, code and line, and prints, per rule, the number
of sites, how many were found, the recall, and the sites that were missed (with their source);
for the loop rules, how many found sites carry an applicable fix (a fix whose applicability is
not display-only); and the look-alikes that were flagged (a finding of the marked code whose
start lies in the line span of the marked loop statement). Findings that match no marker are
listed separately (they are not counted either way).

Usage:
    scripts/recall.py [BINARY] [--dir tests/recall] [--json]

BINARY defaults to target/release/pyparallel. The exit code is always 0.
"""

from __future__ import annotations

import argparse
import ast
import json
import re
import subprocess
import sys
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
MARKER = re.compile(r"#\s*recall:\s*(PAR\d{3}(?:\s*,\s*PAR\d{3})*)")
LOOKALIKE = re.compile(r"#\s*lookalike:\s*(PAR\d{3}(?:\s*,\s*PAR\d{3})*)")
SOURCE = re.compile(r"^#\s*Recall site:\s*(.+)$")
LOOKALIKE_SOURCE = re.compile(r"^#\s*Look-alike:\s*(.+)$")
# Rules whose findings start on a loop (`for`, `while`) or a comprehension.
LOOP_RULES = {"PAR101", "PAR102", "PAR201", "PAR202", "PAR203", "PAR204", "PAR205", "PAR306", "PAR606"}
LOOP_NODES = (ast.For, ast.AsyncFor, ast.While, ast.ListComp, ast.SetComp, ast.DictComp, ast.GeneratorExp)


def collect_sites(folder: Path) -> tuple[list[dict], dict[str, str]]:
    """Every `# recall:` marker in the folder, and each file's source line."""
    sites = []
    sources = {}
    for path in sorted(folder.rglob("*.py")):
        rel = path.relative_to(folder).as_posix()
        lines = path.read_text(encoding="utf-8").splitlines()
        source = ""
        for line in lines[:5]:
            match = SOURCE.match(line.strip())
            if match:
                source = match.group(1).strip()
                break
        sources[rel] = source
        for number, line in enumerate(lines, start=1):
            match = MARKER.search(line)
            if not match:
                continue
            for code in re.split(r"\s*,\s*", match.group(1)):
                sites.append({"file": rel, "line": number, "code": code, "source": source})
    return sites, sources


def statement_span(tree: ast.AST | None, line: int) -> tuple[int, int]:
    """Lines of the outermost loop or comprehension starting on `line` (the line alone if none)."""
    best = None
    if tree is not None:
        for node in ast.walk(tree):
            if isinstance(node, LOOP_NODES) and node.lineno == line:
                end = node.end_lineno or line
                if best is None or end > best[1]:
                    best = (line, end)
    return best or (line, line)


def collect_lookalikes(folder: Path) -> list[dict]:
    """Every `# lookalike:` marker in the folder, with the line span of the marked loop."""
    marks = []
    for path in sorted(folder.rglob("*.py")):
        rel = path.relative_to(folder).as_posix()
        text = path.read_text(encoding="utf-8")
        lines = text.splitlines()
        source = ""
        for line in lines[:5]:
            match = LOOKALIKE_SOURCE.match(line.strip())
            if match:
                source = match.group(1).strip()
                break
        try:
            tree = ast.parse(text)
        except SyntaxError:
            tree = None
        for number, line in enumerate(lines, start=1):
            match = LOOKALIKE.search(line)
            if not match:
                continue
            span = statement_span(tree, number)
            for code in re.split(r"\s*,\s*", match.group(1)):
                marks.append({"file": rel, "line": number, "span": span, "code": code, "source": source})
    return marks


def is_applicable(finding: dict) -> bool:
    """A fix is attached and `--fix`/`--unsafe-fixes` would apply it (not display-only)."""
    fix = finding.get("fix")
    if not fix:
        return False
    applicability = str(fix.get("applicability", "")).replace("-", "").replace("_", "").lower()
    return applicability not in ("displayonly", "display")


def run_linter(binary: str, folder: Path, codes: list[str]) -> list[dict]:
    command = [
        binary,
        "check",
        "--output-format",
        "json",
        "--exit-zero",
        "--select",
        ",".join(codes),
        str(folder),
    ]
    try:
        done = subprocess.run(command, capture_output=True, text=True, check=False)
    except OSError as error:
        sys.exit(f"recall.py: cannot run {binary}: {error}")
    try:
        findings = json.loads(done.stdout or "[]")
    except json.JSONDecodeError:
        sys.exit(f"recall.py: {binary} did not print JSON:\n{done.stdout}\n{done.stderr}")
    result = []
    for finding in findings:
        path = Path(finding["filename"])
        try:
            rel = path.resolve().relative_to(folder.resolve()).as_posix()
        except ValueError:
            rel = path.as_posix()
        result.append(
            {
                "file": rel,
                "line": finding["location"]["row"],
                "code": finding["code"],
                "message": finding.get("message", ""),
                "applicable_fix": is_applicable(finding),
            }
        )
    return result


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("binary", nargs="?", default=str(ROOT / "target" / "release" / "pyparallel"))
    parser.add_argument("--dir", default=str(ROOT / "tests" / "recall"), help="folder of recall files")
    parser.add_argument("--json", action="store_true", help="print machine-readable results")
    args = parser.parse_args()

    folder = Path(args.dir)
    sites, _ = collect_sites(folder)
    lookalikes = collect_lookalikes(folder)
    codes = sorted({site["code"] for site in sites})
    if not codes:
        sys.exit(f"recall.py: no `# recall:` markers under {folder}")
    selected = sorted(set(codes) | {mark["code"] for mark in lookalikes})
    findings = run_linter(args.binary, folder, selected)

    fired = defaultdict(list)  # (file, code) -> findings
    for finding in findings:
        fired[(finding["file"], finding["code"])].append(finding)
    matched = set()
    for site in sites:
        hits = [f for f in fired[(site["file"], site["code"])] if f["line"] == site["line"]]
        site["found"] = bool(hits)
        site["message"] = hits[0]["message"] if hits else ""
        site["applicable_fix"] = any(hit["applicable_fix"] for hit in hits)
        if not hits:
            elsewhere = [f["line"] for f in fired[(site["file"], site["code"])]]
            site["same_code_elsewhere"] = elsewhere
        for hit in hits:
            matched.add(id(hit))
    for mark in lookalikes:
        first, last = mark["span"]
        hits = [f for f in fired[(mark["file"], mark["code"])] if first <= f["line"] <= last]
        mark["flagged"] = bool(hits)
        mark["fired_lines"] = [f["line"] for f in hits]
        for hit in hits:
            matched.add(id(hit))
    extra = [f for f in findings if id(f) not in matched]

    per_rule = {}
    for code in codes:
        rule_sites = [s for s in sites if s["code"] == code]
        found = sum(s["found"] for s in rule_sites)
        per_rule[code] = {
            "sites": len(rule_sites),
            "found": found,
            "applicable_fix": sum(s["applicable_fix"] for s in rule_sites if s["found"]),
            "recall": found / len(rule_sites) if rule_sites else 0.0,
            "repositories": len({s["source"].split()[0] for s in rule_sites if s["source"]}),
            "missed": [
                {key: s[key] for key in ("file", "line", "source", "same_code_elsewhere")}
                for s in rule_sites
                if not s["found"]
            ],
        }
    total_found = sum(s["found"] for s in sites)
    loop_sites = [s for s in sites if s["code"] in LOOP_RULES]
    loop_found = [s for s in loop_sites if s["found"]]
    loop_fixable = sum(s["applicable_fix"] for s in loop_found)
    flagged = [m for m in lookalikes if m["flagged"]]
    summary = {
        "binary": args.binary,
        "sites": len(sites),
        "found": total_found,
        "recall": total_found / len(sites),
        "repositories": len({s["source"].split()[0] for s in sites if s["source"]}),
        "rules": per_rule,
        "loop_sites": {
            "sites": len(loop_sites),
            "found": len(loop_found),
            "recall": len(loop_found) / len(loop_sites) if loop_sites else 0.0,
            "repositories": len({s["source"].split()[0] for s in loop_sites if s["source"]}),
            "applicable_fix": loop_fixable,
            "applicable_fix_ratio": loop_fixable / len(loop_found) if loop_found else 0.0,
        },
        "lookalikes": {
            "marked": len(lookalikes),
            "flagged": len(flagged),
            "repositories": len({m["source"].split()[0] for m in lookalikes if m["source"]}),
            "flagged_sites": [
                {key: m[key] for key in ("file", "line", "code", "source", "fired_lines")} for m in flagged
            ],
        },
        "unmarked_findings": extra,
    }

    if args.json:
        json.dump(summary, sys.stdout, indent=2)
        print()
        return 0

    print(f"Recall of {args.binary} on {folder}")
    print(f"{'rule':<8} {'sites':>5} {'found':>5} {'recall':>7} {'fixable':>8}")
    for code, rule in per_rule.items():
        print(f"{code:<8} {rule['sites']:>5} {rule['found']:>5} {rule['recall']:>7.0%} {rule['applicable_fix']:>8}")
    print(f"{'all':<8} {summary['sites']:>5} {summary['found']:>5} {summary['recall']:>7.0%}"
          f"   ({summary['repositories']} repositories)")
    loops = summary["loop_sites"]
    print(f"\nLoop rules: {loops['found']} of {loops['sites']} sites found ({loops['recall']:.0%}, "
          f"{loops['repositories']} repositories); {loops['applicable_fix']} of the {loops['found']} found "
          f"carry an applicable fix ({loops['applicable_fix_ratio']:.0%})")
    looks = summary["lookalikes"]
    print(f"Look-alikes: {looks['flagged']} of {looks['marked']} flagged (target 0)")
    for mark in looks["flagged_sites"]:
        print(f"  {mark['file']}:{mark['line']} {mark['code']} fired on line(s) {mark['fired_lines']}")
        print(f"      {mark['source']}")
    for code, rule in per_rule.items():
        if not rule["missed"]:
            continue
        print(f"\nMissed {code} ({len(rule['missed'])}):")
        for site in rule["missed"]:
            note = ""
            if site.get("same_code_elsewhere"):
                note = f"  [{code} fired on line(s) {site['same_code_elsewhere']} instead]"
            print(f"  {site['file']}:{site['line']}{note}")
            print(f"      {site['source']}")
    if extra:
        print(f"\nFindings on no marker ({len(extra)}, not counted):")
        for finding in extra:
            print(f"  {finding['file']}:{finding['line']} {finding['code']} {finding['message'][:100]}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
