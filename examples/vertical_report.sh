#!/usr/bin/env bash
# List which drafts are already vertical and which need reframing, using `creator probe --json`.
# Usage: examples/vertical_report.sh DRAFT...
set -euo pipefail
creator probe --json "$@" | python3 -c '
import json, sys
for line in sys.stdin:
    rec = json.loads(line)
    path, v = rec["path"], rec["video"]
    if v is None:
        print(path + ": audio only")
        continue
    w, h = v["display_width"], v["display_height"]
    print(f"{path}: {w}x{h} " + ("vertical" if h > w else "needs reframing"))
'
