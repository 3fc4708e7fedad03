#!/usr/bin/env bash
# ctest wrapper for `seedcanvas-bench check` on the CPU, with the fixture root the Qt tests use:
# a named root ($SEEDCANVAS_FIXTURES) must exist (status 1 otherwise); with none named and the
# build's default absent (a clone without ../shared) the test is skipped (77), as they skip.
set -u
bench="$1"
if [ -n "${SEEDCANVAS_FIXTURES:-}" ]; then
  fixtures="$SEEDCANVAS_FIXTURES"
  [ -d "$fixtures" ] || { echo "no fixtures at SEEDCANVAS_FIXTURES='$fixtures'"; exit 1; }
else
  fixtures="${SEEDCANVAS_DEFAULT_FIXTURES:-}"
  [ -d "$fixtures" ] || { echo "no fixture root: SEEDCANVAS_FIXTURES is unset and '$fixtures' does not exist"; exit 77; }
fi
exec "$bench" check --fixtures "$fixtures" --device cpu
