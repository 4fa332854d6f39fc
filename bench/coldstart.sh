#!/usr/bin/env bash
# Function-mode cold start (docs/benchmarks.md, "Function cold start"): builds Stricture.Ingest and
# the bare baseline app (bench/Stricture.BareFunction: the template's app on the same Lambda
# adapter) in each packaging variant, then times process start to the first invocation's response
# against an emulated Lambda Runtime API on loopback, interleaving the apps round by round. Prints a
# markdown block on stdout, also saved under bench/results/ (gitignored).
#
#   bench/coldstart.sh                        all variants, 15 rounds
#   bench/coldstart.sh --rounds 30            more rounds
#   bench/coldstart.sh --variants composite   only some of: jit, r2r, composite
#
# Variants: jit = framework-dependent build run with `dotnet app.dll`; r2r = self-contained
# linux-x64 with ReadyToRun; composite = self-contained, ReadyToRun composite (the framework and the
# app precompiled into one image; how docs/function.md packages the function). Stricture stores to
# the S3 test server: it is started with eng/s3-test-server.sh when not running, and stopped at the
# end only if this run started it.
set -euo pipefail

repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$repo"

command="bench/coldstart.sh${*:+ $*}"
rounds=15
variants=jit,r2r,composite
while [[ $# -gt 0 ]]; do
  case "$1" in
    --rounds) rounds="$2"; shift 2 ;;
    --variants) variants="$2"; shift 2 ;;
    *) echo "unknown argument: $1" >&2; exit 2 ;;
  esac
done

out_dir="bench/results/coldstart-build"
mkdir -p "$out_dir"
build() { # variant project name -> prints the binary's path
  local variant="$1" project="$2" name="$3" dir="$out_dir/$1/$3"
  # The SDK reuses ReadyToRun images from obj/ without noticing a switch between composite and
  # per-assembly compilation (the result then aborts at start-up): compile afresh each time.
  rm -rf "$(dirname "$project")/obj/Release/net10.0/linux-x64/R2R" "$dir"
  case "$variant" in
    jit) dotnet build -c Release --nologo -v quiet -clp:'NoSummary;ErrorsOnly' "$project" >&2
         echo "$(dirname "$project")/bin/Release/net10.0/$name.dll" ;;
    r2r) dotnet publish -c Release --nologo -v quiet -clp:'NoSummary;ErrorsOnly' -r linux-x64 --self-contained \
           -p:PublishReadyToRun=true -o "$dir" "$project" >&2
         echo "$dir/$name" ;;
    composite) dotnet publish -c Release --nologo -v quiet -clp:'NoSummary;ErrorsOnly' -r linux-x64 --self-contained \
           -p:PublishReadyToRun=true -p:PublishReadyToRunComposite=true -o "$dir" "$project" >&2
         echo "$dir/$name" ;;
    *) echo "unknown variant: $variant" >&2; exit 2 ;;
  esac
}

echo "building (Release)..." >&2
dotnet build -c Release --nologo -v quiet -clp:'NoSummary;ErrorsOnly' bench/Stricture.ColdStart/Stricture.ColdStart.csproj >&2
args=(--rounds "$rounds")
IFS=, read -ra wanted <<<"$variants"
for variant in "${wanted[@]}"; do
  echo "building the $variant variant..." >&2
  bare="$(build "$variant" bench/Stricture.BareFunction/Stricture.BareFunction.csproj Stricture.BareFunction)"
  stricture="$(build "$variant" Stricture.Ingest/Stricture.Ingest.csproj Stricture.Ingest)"
  args+=(--variant "$variant" "$bare" "$stricture")
done

s3_log="$(mktemp)"
if ! s3_env="$(eng/s3-test-server.sh start 2>"$s3_log")"; then
  cat "$s3_log" >&2
  rm -f "$s3_log"
  echo "the S3 test server could not be started" >&2
  exit 1
fi
if grep -q 's3-test-server: S3 ready at' "$s3_log"; then
  trap 'eng/s3-test-server.sh stop >&2 || echo "warning: eng/s3-test-server.sh stop failed" >&2' EXIT
fi
rm -f "$s3_log"
eval "$s3_env"

out="bench/results/coldstart-$(date -u +%Y%m%dT%H%M%SZ).md"
export BENCH_COMMAND="$command"
dotnet bench/Stricture.ColdStart/bin/Release/net10.0/Stricture.ColdStart.dll "${args[@]}" | tee "$out"
echo "saved to $out" >&2
