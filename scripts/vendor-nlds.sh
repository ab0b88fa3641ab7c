#!/usr/bin/env bash
# Refresh the vendored NL Design System assets of the werkplek (crates/api/assets/nlds/)
# from the npm registry: the Utrecht community component CSS and design tokens (both
# EUPL-1.2). The binary embeds these files (include_bytes!), so `cargo run` needs no Node;
# only this script does. Pin the versions here and commit the result with its licence.
#
#   scripts/vendor-nlds.sh
set -euo pipefail
cd "$(dirname "$0")/.."
COMPONENTS=@utrecht/component-library-css@9.0.4
TOKENS=@utrecht/design-tokens@5.0.1
DOEL=crates/api/assets/nlds
WERK="$(mktemp -d)"
trap 'rm -rf "$WERK"' EXIT
(cd "$WERK" && npm pack --silent "$COMPONENTS" "$TOKENS" >/dev/null)
mkdir -p "$WERK/c" "$WERK/t" "$DOEL"
tar xzf "$WERK"/utrecht-component-library-css-*.tgz -C "$WERK/c"
tar xzf "$WERK"/utrecht-design-tokens-*.tgz -C "$WERK/t"
cp "$WERK/c/package/dist/index.css" "$DOEL/utrecht-componenten.css"
cp "$WERK/t/package/dist/theme.css" "$DOEL/utrecht-tokens.css"
cp "$WERK/c/package/LICENSE.md" "$DOEL/LICENSE.md"
{
    echo "Vendored by scripts/vendor-nlds.sh from the npm registry; do not edit by hand."
    echo "utrecht-componenten.css: $COMPONENTS dist/index.css"
    echo "utrecht-tokens.css: $TOKENS dist/theme.css (class .utrecht-theme)"
    echo "Licence: EUPL-1.2 (LICENSE.md), Copyright (c) 2021 Gemeente Utrecht."
} > "$DOEL/HERKOMST.txt"
ls -l "$DOEL"
