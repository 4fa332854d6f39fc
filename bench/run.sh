#!/usr/bin/env bash
# The one command for the ingest benchmark: builds the server and the benchmark in Release, runs the
# chosen scenario in one process and prints a markdown results block on stdout, also saved under
# bench/results/ (gitignored). Options are passed through; see docs/benchmarks.md.
#
#   bench/run.sh                     fs driver (the default): durable-write baseline and ingest in
#                                    alternating slices, then large-post memory
#   bench/run.sh --scenario s3       s3 driver: raw conditional PUTs and ingest in alternating
#                                    slices against the S3 test server (about 1 minute)
#   bench/run.sh --scenario all      both, one after the other
#   bench/run.sh --scenario query    read API: latest, a 7-day range and a run by id on stores of
#                                    1k, 10k and 100k runs at 100 runs a day (about 6 minutes);
#                                    not part of `all`
#   bench/run.sh --scenario discovery the organization-wide services listing and drift feed on stores of
#                                    20k and 100k runs across 1,000 services (--discovery-sizes);
#                                    not part of `all`
#   bench/run.sh --scenario ui       the runs browser's pages (/ui/) on a store of 100k runs across
#                                    1,000 services, seeded as for discovery (--ui-sizes); not part of `all`
#   bench/run.sh --scenario mirror   mirror mode: the real Stricture.Replicator copying 3,000 spooled
#                                    runs against raw PUTs of the same records in alternating slices,
#                                    then replication lag under a steady load of half that rate
#                                    (about 5 minutes); not part of `all`
#   bench/run.sh --scenario replicas three ingest processes on one bucket, all posting to one
#                                    service-day, between slices of raw PUTs; then a reconcile, which
#                                    must find nothing to add (about 2 minutes); not part of `all`
#   bench/run.sh --scenario blast    ingest with the blast radius against ingest without it
#                                    (STRICTURE_SERVER_BLAST_RADIUS=off), two servers seeded with
#                                    1,000 services, in alternating slices; not part of `all`
#   bench/run.sh --count 5000        fewer ingest operations (fs and s3), fewer runs (mirror)
#
# The s3 and mirror scenarios start the S3 test server with eng/s3-test-server.sh start when it is not
# running, and stops it at the end only if this run started it (someone else's server is left
# alone). Progress and build output go to stderr; the exit code is non-zero if any post was not
# answered 202, any query was not answered 200 as checked, or the run could not finish.
set -euo pipefail

repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$repo"

# The scenario is read here only to know whether the S3 server is needed; the option itself is
# passed through (and validated) with the others.
scenario=fs
args=("$@")
for ((i = 0; i + 1 < ${#args[@]}; i++)); do
  if [[ "${args[i]}" == --scenario ]]; then
    scenario="${args[i + 1]}"
  fi
done

echo "building (Release)..." >&2
dotnet build -c Release --nologo -v quiet -clp:'NoSummary;ErrorsOnly' Stricture.Ingest/Stricture.Ingest.csproj >&2
dotnet build -c Release --nologo -v quiet -clp:'NoSummary;ErrorsOnly' Stricture.Replicator/Stricture.Replicator.csproj >&2
dotnet build -c Release --nologo -v quiet -clp:'NoSummary;ErrorsOnly' bench/Stricture.Bench/Stricture.Bench.csproj >&2

if [[ "$scenario" == s3 || "$scenario" == all || "$scenario" == mirror || "$scenario" == replicas ]]; then
  s3_log="$(mktemp)"
  if ! s3_env="$(eng/s3-test-server.sh start 2>"$s3_log")"; then
    cat "$s3_log" >&2
    rm -f "$s3_log"
    echo "the S3 test server could not be started" >&2
    exit 1
  fi
  cat "$s3_log" >&2
  # `start` logs "S3 ready" only when this call started the daemons; when the server was already
  # up (another session's, maybe in use), it only prints the env lines and we must not stop it.
  if grep -q 's3-test-server: S3 ready at' "$s3_log"; then
    echo "the S3 test server was started by this run; it is stopped at the end" >&2
    trap 'eng/s3-test-server.sh stop >&2 || echo "warning: eng/s3-test-server.sh stop failed" >&2' EXIT
  else
    echo "the S3 test server was already running; it is left running" >&2
  fi
  rm -f "$s3_log"
  # STRICTURE_TEST_S3_* for the benchmark (endpoint, keys, pid files of the Ceph daemons).
  eval "$s3_env"
fi

mkdir -p bench/results
case "$scenario" in
  fs) name=ingest ;;
  query) name=query ;;
  discovery) name=discovery ;;
  ui) name=ui ;;
  mirror) name=mirror ;;
  replicas) name=replicas ;;
  blast) name=blast-radius ;;
  *) name="ingest-$scenario" ;;
esac
out="bench/results/$name-$(date -u +%Y%m%dT%H%M%SZ).md"
export BENCH_COMMAND="bench/run.sh${*:+ $*}"
dotnet bench/Stricture.Bench/bin/Release/net10.0/Stricture.Bench.dll \
  --server Stricture.Ingest/bin/Release/net10.0/Stricture.Ingest.dll \
  --replicator Stricture.Replicator/bin/Release/net10.0/Stricture.Replicator.dll \
  --work-dir bench/results \
  "$@" | tee "$out"
echo "saved to $out" >&2
