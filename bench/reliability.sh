#!/usr/bin/env bash
# The one command for the reliability figures in docs/reliability.md: builds the server, the
# replicator and the harness in Release, runs the chosen scenarios against real processes on
# loopback and prints a markdown report on stdout, also saved under bench/results/ (gitignored).
# Options are passed through; see docs/reliability.md.
#
#   bench/reliability.sh                            everything: 20 kill cycles on each of fs, s3 and
#                                                   mirror, disk full and read-only (root: a tmpfs it
#                                                   mounts and removes), S3 outages, a 30-minute soak
#   bench/reliability.sh --scenario kill --drivers fs --cycles 5
#   bench/reliability.sh --scenario soak --soak-minutes 10 --soak-window-minutes 2
#
# Scenarios that use the object store start the S3 test server with eng/s3-test-server.sh start
# when it is not running (set STRICTURE_S3_PORT / STRICTURE_S3_MON_PORT to choose its ports) and
# stop it at the end only if this run started it. The outage scenario pauses and kills that
# server's gateway, so never point it at a server other sessions use. Exit code non-zero if any
# scenario lost, tore or mis-answered anything, or could not finish.
set -euo pipefail

repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$repo"

# Read only to know whether the S3 server is needed; the options are validated by the harness.
scenario=kill,disk,outage,soak
drivers=fs,s3,mirror
args=("$@")
for ((i = 0; i + 1 < ${#args[@]}; i++)); do
  case "${args[i]}" in
    --scenario) scenario="${args[i + 1]}" ;;
    --drivers) drivers="${args[i + 1]}" ;;
  esac
done

echo "building (Release)..." >&2
for project in Stricture.Ingest/Stricture.Ingest.csproj Stricture.Replicator/Stricture.Replicator.csproj \
  bench/Stricture.Reliability/Stricture.Reliability.csproj; do
  dotnet build -c Release --nologo -v quiet -clp:'NoSummary;ErrorsOnly' "$project" >&2
done

needs_s3=false
if [[ ",$scenario," == *,outage,* ]] || { [[ ",$scenario," == *,kill,* ]] && [[ "$drivers" == *s3* || "$drivers" == *mirror* ]]; }; then
  needs_s3=true
fi
if [[ "$needs_s3" == true ]]; then
  s3_log="$(mktemp)"
  if ! s3_env="$(eng/s3-test-server.sh start 2>"$s3_log")"; then
    cat "$s3_log" >&2
    rm -f "$s3_log"
    echo "the S3 test server could not be started" >&2
    exit 1
  fi
  cat "$s3_log" >&2
  if grep -q 's3-test-server: S3 ready at' "$s3_log"; then
    echo "the S3 test server was started by this run; it is stopped at the end" >&2
    trap 'eng/s3-test-server.sh stop >&2 || echo "warning: eng/s3-test-server.sh stop failed" >&2' EXIT
  else
    echo "the S3 test server was already running; it is left running" >&2
  fi
  rm -f "$s3_log"
  eval "$s3_env"
fi

mkdir -p bench/results
out="bench/results/reliability-$(date -u +%Y%m%dT%H%M%SZ).md"
export RELIABILITY_COMMAND="bench/reliability.sh${*:+ $*}"
dotnet bench/Stricture.Reliability/bin/Release/net10.0/Stricture.Reliability.dll \
  --server Stricture.Ingest/bin/Release/net10.0/Stricture.Ingest.dll \
  --replicator Stricture.Replicator/bin/Release/net10.0/Stricture.Replicator.dll \
  --work-dir bench/results \
  "$@" | tee "$out"
echo "saved to $out" >&2
