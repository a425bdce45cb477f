#!/usr/bin/env bash
# Sets up a fresh machine for Spikelab: Debian packages (Jupyter tools, Chromium) when missing,
# npm packages, the TypeScript build and the repo-local Jupyter kernelspec. Safe to run again.
set -euo pipefail
cd "$(dirname "$0")/.."

need_apt=()
/usr/bin/python3 -c "import nbclient, jupyter_client, nbconvert, nbformat" 2>/dev/null \
  || need_apt+=(python3-nbclient jupyter-client jupyter-nbconvert python3-nbformat)
/usr/bin/python3 -c "import jupyter_kernel_test" 2>/dev/null || need_apt+=(python3-jupyter-kernel-test)
command -v chromium >/dev/null 2>&1 || need_apt+=(chromium)
if [ ${#need_apt[@]} -gt 0 ]; then
  if [ "$(id -u)" = 0 ]; then SUDO=""; else SUDO="sudo"; fi
  echo "setup: installing Debian packages: ${need_apt[*]}"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${need_apt[@]}" >/dev/null
fi

if [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  echo "setup: npm ci"
  npm ci --no-audit --no-fund --loglevel=error
fi
echo "setup: building"
npm run --silent build
if [ -f dist/cli/main.js ] && node dist/cli/main.js kernel --help >/dev/null 2>&1; then
  node dist/cli/main.js kernel install --prefix "$PWD/.jupyter-prefix" >/dev/null
fi
echo "setup: done"
