#!/usr/bin/env bash
# Edit every draft in a folder and collect the ready-to-paste captions.
# Usage: examples/weekly_batch.sh DRAFTS_DIR [NICHE]
# A draft whose edited video already exists is skipped; one bad draft does not stop the rest.
set -uo pipefail
dir=${1:?usage: weekly_batch.sh DRAFTS_DIR [NICHE]}
niche=${2:-}
captions="$dir/captions.txt"
: > "$captions"
status=0
for draft in "$dir"/*.mp4 "$dir"/*.mov; do
  [ -e "$draft" ] || continue
  case "$draft" in *.edited.mp4) continue ;; esac
  out="${draft%.*}.edited.mp4"
  if [ -e "$out" ]; then echo "skip $draft (done)" >&2; continue; fi
  if result=$(creator --quiet edit "$draft" ${niche:+--niche "$niche"} --json); then
    python3 -c 'import json,sys; r=json.loads(sys.argv[1]); print(r["output"] + ": " + r["caption"])' \
      "$result" >> "$captions"
  else
    status=3   # creator printed the reason on stderr
  fi
done
echo "captions in $captions" >&2
exit $status
