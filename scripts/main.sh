#!/usr/bin/env bash
# The main job: set up this machine (scripts/setup.sh), check the bundled models, then execute the
# example notebooks headlessly and write them (with viewable plots) under out/.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh

echo
echo "== Checking the bundled models =="
node dist/cli/main.js check runtime/models/*.spk

if [ -f scripts/run-notebooks.mjs ]; then
  echo
  echo "== Executing the example notebooks =="
  node scripts/run-notebooks.mjs
fi
