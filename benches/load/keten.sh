#!/usr/bin/env bash
# Issue 17's benchmark driver: see benches/load/keten.py (its docstring lists what is
# measured and every setting). Examples:
#   cargo build --release --locked && benches/load/keten.sh            # the issue's sizes
#   SMALL=1 benches/load/keten.sh                                      # under 10 minutes
#   BACKENDS=postgres SECTIONS="lezen logboek" benches/load/keten.sh   # a part
# Figures on stdout (Markdown), progress on stderr.
set -euo pipefail
exec python3 "$(dirname "${BASH_SOURCE[0]}")/keten.py" "$@"
