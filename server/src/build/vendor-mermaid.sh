#!/usr/bin/env bash
# Copies dist/mermaid.min.js of mermaid@$1 from the npm registry into the console's static files ($2/classes).
# npm checks the tarball against the registry's integrity hash and keeps it in its cache, so later builds work offline.
set -euo pipefail
version="$1"
target="$2"
out="$target/classes/console/vendor"
if [[ -s "$out/mermaid.min.js" && -f "$out/mermaid.version" && "$(cat "$out/mermaid.version")" == "$version" ]]; then
  exit 0
fi
work="$target/npm-vendor"
mkdir -p "$work" "$out"
tarball=$(cd "$work" && npm pack "mermaid@$version" --prefer-offline --silent | tail -n 1)
tar -xzf "$work/$tarball" -C "$work" package/dist/mermaid.min.js package/LICENSE
cp "$work/package/dist/mermaid.min.js" "$out/mermaid.min.js"
cp "$work/package/LICENSE" "$out/mermaid.LICENSE"
printf '%s' "$version" > "$out/mermaid.version"
