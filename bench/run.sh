#!/usr/bin/env bash
# The one command for the ingest benchmark: builds the server and the benchmark in Release, runs
# every scenario in one process (durable-write baseline and ingest in alternating slices, then
# large-post memory) and prints a markdown results block on stdout, also saved under bench/results/
# (gitignored). Options are passed through, e.g. bench/run.sh --count 5000; see
# docs/benchmarks.md. Progress and build output go to stderr; the exit code is non-zero if any post
# was not answered 202 or the run could not finish.
set -euo pipefail

repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$repo"

echo "building (Release)..." >&2
dotnet build -c Release --nologo -v quiet -clp:'NoSummary;ErrorsOnly' Stricture.Ingest/Stricture.Ingest.csproj >&2
dotnet build -c Release --nologo -v quiet -clp:'NoSummary;ErrorsOnly' bench/Stricture.Bench/Stricture.Bench.csproj >&2

mkdir -p bench/results
out="bench/results/ingest-$(date -u +%Y%m%dT%H%M%SZ).md"
export BENCH_COMMAND="bench/run.sh${*:+ $*}"
dotnet bench/Stricture.Bench/bin/Release/net10.0/Stricture.Bench.dll \
  --server Stricture.Ingest/bin/Release/net10.0/Stricture.Ingest.dll \
  --work-dir bench/results \
  "$@" | tee "$out"
echo "saved to $out" >&2
