#!/usr/bin/env bash
# Regenerates icons/png/<name>-<size>.png from every icons/*.svg.
# Needs rsvg-convert (Debian/Ubuntu: sudo apt-get install librsvg2-bin).
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
out="$here/png"
sizes=(16 24 32 48 64 128 256)

if ! command -v rsvg-convert >/dev/null 2>&1; then
    echo "render.sh: rsvg-convert not found; install it with: sudo apt-get install librsvg2-bin" >&2
    exit 1
fi

mkdir -p "$out"
shopt -s nullglob
svgs=("$here"/*.svg)
if [ "${#svgs[@]}" -eq 0 ]; then
    echo "render.sh: no SVG files in $here" >&2
    exit 1
fi

for svg in "${svgs[@]}"; do
    name="$(basename "$svg" .svg)"
    for size in "${sizes[@]}"; do
        rsvg-convert -w "$size" -h "$size" -o "$out/$name-$size.png" "$svg"
    done
    echo "rendered $name (${sizes[*]} px)"
done
