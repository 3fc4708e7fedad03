#!/usr/bin/env bash
# ctest wrapper for `seedcanvas-bench check` on the CPU: the fixture root as the Qt tests find
# it ($SEEDCANVAS_FIXTURES, else the build's default); a missing root fails, as in the Qt tests.
set -u
bench="$1"
fixtures="${SEEDCANVAS_FIXTURES:-${SEEDCANVAS_DEFAULT_FIXTURES:-}}"
if [ ! -d "$fixtures" ]; then
  echo "no fixtures at '$fixtures' (set SEEDCANVAS_FIXTURES)"
  exit 1
fi
exec "$bench" check --fixtures "$fixtures" --device cpu
