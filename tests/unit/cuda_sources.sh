#!/usr/bin/env bash
# Compiles the engine's CUDA kernels (engine/llm/cuda/*.cu) with the machine's nvcc for the
# GPU machine's architecture, so a kernel that does not build (or spills registers to local
# memory) shows here, not in scarce GPU time. Exit 77 (skipped) without nvcc.
# Usage: cuda_sources.sh SOURCE_DIR TORCH_INCLUDE_DIR...
set -uo pipefail
src="$1"; shift
nvcc="${NVCC:-$(command -v nvcc || echo /usr/local/cuda/bin/nvcc)}"
[ -x "$nvcc" ] || { echo "no nvcc: skipped"; exit 77; }
work=$(mktemp -d); trap 'rm -rf "$work"' EXIT
includes=(-I "$src/engine")
for dir in "$@"; do includes+=(-I "$dir"); done
# A CPU-only LibTorch (Debian's) ships c10/cuda headers but not the one its CUDA build generates.
found=""
for dir in "$@"; do [ -f "$dir/c10/cuda/impl/cuda_cmake_macros.h" ] && found=1; done
if [ -z "$found" ]; then
  mkdir -p "$work/inc/c10/cuda/impl"
  printf '#pragma once\n#define C10_CUDA_BUILD_SHARED_LIBS\n' >"$work/inc/c10/cuda/impl/cuda_cmake_macros.h"
  includes+=(-I "$work/inc")
fi
status=0
for cu in "$src"/engine/llm/cuda/*.cu; do
  name=$(basename "$cu" .cu)
  if ! "$nvcc" -c -std=c++17 -arch=sm_90 -Xptxas --warn-on-spills --expt-relaxed-constexpr \
      -D__CUDA_NO_HALF_OPERATORS__ -D__CUDA_NO_HALF_CONVERSIONS__ -D__CUDA_NO_BFLOAT16_CONVERSIONS__ \
      -D__CUDA_NO_HALF2_OPERATORS__ "${includes[@]}" "$cu" -o "$work/$name.o" >"$work/$name.log" 2>&1; then
    echo "FAIL $name.cu does not compile:"; grep -m20 -E "error" "$work/$name.log"; status=1; continue
  fi
  if grep -q -i "spill" "$work/$name.log"; then
    echo "FAIL $name.cu spills registers:"; grep -i "spill" "$work/$name.log" | head; status=1; continue
  fi
  echo "ok   $name.cu"
done
exit $status
