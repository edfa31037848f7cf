#!/usr/bin/env python3
"""gotest-summary reads `go test -json` on stdin and prints what a reader of
a CI log needs: every top-level test with its result (so that the PostgreSQL
and semantic-mode tests are seen to run, not skip), the full output of
failing tests and packages, one line per package as `go test` prints it, and
a closing "N passed, N failed, N skipped" line."""
import json
import sys

output = {}  # (package, test) -> lines
counts = {"pass": 0, "fail": 0, "skip": 0}
for raw in sys.stdin:
    try:
        ev = json.loads(raw)
    except ValueError:
        print(raw, end="")  # build errors and the like
        continue
    pkg, test, action = ev.get("Package", ""), ev.get("Test"), ev.get("Action")
    key = (pkg, test)
    if action == "build-output":
        print(ev.get("Output", ""), end="")
        continue
    if action == "output":
        output.setdefault(key, []).append(ev.get("Output", ""))
        continue
    if action not in ("pass", "fail", "skip"):
        continue
    elapsed = ev.get("Elapsed", 0)
    if test is None:  # the package
        lines = output.pop(key, [])
        if action == "fail":
            print("".join(lines), end="")  # ends with go test's FAIL line
        else:
            last = [l for l in lines if l.startswith(("ok", "?"))]
            print(last[-1] if last else f"ok  \t{pkg}\t{elapsed:.3f}s\n", end="")
        continue
    lines = output.pop(key, [])
    if "/" in test:  # subtests are reported inside their parent
        if action == "fail":
            output.setdefault((pkg, test.split("/")[0]), []).extend(lines)
        continue
    counts[action] += 1
    if action == "fail":
        print("".join(lines), end="")  # ends with its "--- FAIL" line
        continue
    if action == "skip":
        why = next((l.strip() for l in reversed(lines) if l.strip() and not l.startswith(("=== ", "--- "))), "")
        print(f"--- SKIP: {test} ({pkg}): {why}")
        continue
    print(f"--- {action.upper()}: {test} ({elapsed:.2f}s)")
print(f"{counts['pass']} passed, {counts['fail']} failed, {counts['skip']} skipped")
