#!/usr/bin/env bash
# The project's one test command (README, CI): starts the real S3 test server (Ceph RADOS Gateway
# on 127.0.0.1, installed from Debian packages when missing), installs zip when missing (the
# function-package tests) and chromium-driver when missing (the runs-browser tests), builds and runs the whole test suite, then prints a plain
# "N passed, N failed, N skipped" line read from the test results.
# Extra arguments go to `dotnet test` (for example: --filter "FullyQualifiedName~CrashTests").
set -euo pipefail

repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$repo"

# The function-package tests run eng/package-function.sh, which zips with `zip`.
if ! command -v zip >/dev/null 2>&1; then
  sudo=(); if ((EUID != 0)); then sudo=(sudo); fi
  echo "test.sh: installing zip" >&2
  { "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends zip >/dev/null 2>&1 ||
    { "${sudo[@]}" apt-get update >/dev/null 2>&1 &&
      "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends zip >/dev/null; }; } ||
    { echo "test.sh: could not install zip (apt-get install zip)" >&2; exit 1; }
fi

# The runs-browser tests (Stricture.Tests/Ui) drive Debian's chromium through Debian's chromedriver
# at /usr/bin/chromedriver; Selenium is never allowed to download a browser or driver of its own.
if [[ ! -x /usr/bin/chromedriver || ! -x /usr/bin/chromium ]]; then
  sudo=(); if ((EUID != 0)); then sudo=(sudo); fi
  echo "test.sh: installing chromium and chromium-driver" >&2
  { "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends chromium chromium-driver >/dev/null 2>&1 ||
    { "${sudo[@]}" apt-get update >/dev/null 2>&1 &&
      "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends chromium chromium-driver >/dev/null; }; } ||
    { echo "test.sh: could not install chromium-driver (apt-get install chromium chromium-driver)" >&2; exit 1; }
fi

# Stop the S3 server afterwards only if this run started it.
s3="$repo/eng/s3-test-server.sh"
if "$s3" status >/dev/null 2>&1; then
  started_s3=false
else
  started_s3=true
fi
s3_env=$("$s3" start)
eval "$s3_env"
export STRICTURE_TEST_S3_ENDPOINT STRICTURE_TEST_S3_ACCESS_KEY STRICTURE_TEST_S3_SECRET_KEY \
  STRICTURE_TEST_S3_REGION STRICTURE_TEST_S3_RGW_PID_FILE STRICTURE_TEST_S3_OSD_PID_FILE STRICTURE_TEST_S3_MON_PID_FILE
stop_s3() { if [[ "$started_s3" == true ]]; then "$s3" stop >/dev/null 2>&1 || true; fi; }
trap stop_s3 EXIT

results="$repo/TestResults"
rm -rf "$results"

status=0
dotnet test Stricture.sln --configuration Release \
  --logger "trx;LogFileName=stricture.trx" --results-directory "$results" "$@" || status=$?

trx="$results/stricture.trx"
if [[ -f "$trx" ]]; then
  counters=$(grep -o '<Counters [^>]*>' "$trx" | head -n 1)
  value() { sed -n "s/.* $1=\"\([0-9]*\)\".*/\1/p" <<<"$counters"; }
  passed=$(value passed); failed=$(value failed); total=$(value total); executed=$(value executed)
  skipped=$(( ${total:-0} - ${executed:-0} ))
  # A test that cannot run here (the MinIO container without a container runtime) says why.
  awk '/outcome="NotExecuted"/ { match($0, /testName="[^"]*"/); name = substr($0, RSTART + 10, RLENGTH - 11); pending = 1 }
       pending && /<Message>/ { sub(/.*<Message>/, ""); sub(/<\/Message>.*/, ""); print "skipped: " name ": " $0; pending = 0 }' "$trx"
  echo "${passed:-0} passed, ${failed:-0} failed, ${skipped} skipped"
  if [[ "${executed:-0}" -eq 0 ]]; then
    echo "No test was executed." >&2
    status=1
  fi
else
  echo "No test results were written ($trx is missing)." >&2
  [[ $status -ne 0 ]] || status=1
fi
exit "$status"
