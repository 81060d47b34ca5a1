#!/usr/bin/env bash
# Usage: scripts/exported.sh [-l] PKG...   e.g. scripts/exported.sh internal/postgres
#
# Prints, for each package directory, the number of its exported identifiers and their
# split: types, funcs, methods (of exported types and interfaces), fields (exported fields
# of exported struct types, counted separately), consts and vars. Test files are left
# out. -l lists them too, one a line, to diff two lists. See docs/refactoring.md.
set -euo pipefail
cd "$(dirname "$0")/.."
exec go run scripts/exported/main.go "$@"
