#!/usr/bin/env bash
# Packages Stricture.Ingest as an AWS Lambda custom-runtime (provided.al2023) function
# (docs/function.md): a self-contained, ReadyToRun composite publish whose executable is named
# `bootstrap`, zipped with its Unix permissions. Prints the zip's path on stdout.
#
#   eng/package-function.sh                         linux-x64 into out/function (and out/stricture-function.zip)
#   eng/package-function.sh --arch arm64            Graviton
#   eng/package-function.sh --out /tmp/fn           another output directory
#
# It compiles in a scratch directory of its own, never in the projects' obj/: the SDK reuses
# ReadyToRun images left there by an earlier per-assembly (non-composite) publish, and such a
# package aborts at start-up.
set -euo pipefail

repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
arch=x64
out="$repo/out"
while [[ $# -gt 0 ]]; do
  case "$1" in
    --arch) arch="$2"; shift 2 ;;
    --out) out="$2"; shift 2 ;;
    *) echo "package-function: unknown argument '$1' (expected --arch x64|arm64, --out DIR)" >&2; exit 2 ;;
  esac
done
case "$arch" in
  x64|arm64) ;;
  *) echo "package-function: --arch must be x64 or arm64, not '$arch'" >&2; exit 2 ;;
esac
if ! command -v zip >/dev/null 2>&1; then
  echo "package-function: 'zip' is required (Debian: apt-get install zip)" >&2
  exit 1
fi

mkdir -p "$out"
out="$(cd "$out" && pwd)"
function_dir="$out/function"
zip_path="$out/stricture-function.zip"
scratch="$(mktemp -d "${TMPDIR:-/tmp}/stricture-function.XXXXXX")"
trap 'rm -rf "$scratch"' EXIT
rm -rf "$function_dir" "$zip_path"

echo "package-function: publishing Stricture.Ingest for linux-$arch (ReadyToRun composite)..." >&2
dotnet publish "$repo/Stricture.Ingest/Stricture.Ingest.csproj" --configuration Release --nologo \
  --runtime "linux-$arch" --self-contained --artifacts-path "$scratch" --output "$function_dir" \
  -p:PublishReadyToRun=true -p:PublishReadyToRunComposite=true >&2

# Lambda runs the executable named `bootstrap`; the app host finds Stricture.Ingest.dll beside it by name.
mv "$function_dir/Stricture.Ingest" "$function_dir/bootstrap"
chmod 755 "$function_dir/bootstrap"
(cd "$function_dir" && zip -q -r -X "$zip_path" .)
echo "package-function: $(du -sh "$function_dir" | cut -f1) unzipped, $(du -h "$zip_path" | cut -f1) zipped" >&2
echo "$zip_path"
