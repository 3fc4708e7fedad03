# Shared by scripts/run and scripts/test: install what is missing, configure, build.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
PRESET="${SEEDCANVAS_PRESET:-default}"
BUILD_DIR="$ROOT/build/$PRESET"

say() { printf '\033[1m==> %s\033[0m\n' "$*" >&2; }

# Debian 12 packages the build, tests and app need.
PACKAGES=(
  build-essential cmake ninja-build ccache pkg-config git
  libtorch-dev libopenblas0-openmp
  libsentencepiece-dev sentencepiece
  libopenimageio-dev openimageio-tools
  nlohmann-json3-dev libcli11-dev zlib1g-dev
  qt6-base-dev qt6-base-dev-tools qt6-tools-dev qt6-tools-dev-tools qt6-l10n-tools
  libqt6sql6-sqlite qt6-image-formats-plugins qt6-svg-dev
  clang-14 libclang-rt-14-dev
  xvfb xauth
  librsvg2-bin desktop-file-utils appstream libjpeg-dev
)

as_root() {
  if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi
}

install_deps() {
  local missing=()
  for p in "${PACKAGES[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
  done
  if [ ${#missing[@]} -eq 0 ]; then
    say "all ${#PACKAGES[@]} Debian packages are installed"
    return
  fi
  say "installing ${#missing[@]} Debian packages: ${missing[*]}"
  as_root apt-get update -qq
  DEBIAN_FRONTEND=noninteractive as_root apt-get install -y --no-install-recommends "${missing[@]}"
}

build() {
  export CCACHE_DIR="${CCACHE_DIR:-$HOME/.cache/seedcanvas-ccache}"
  export CCACHE_MAXSIZE="${CCACHE_MAXSIZE:-5G}"
  # Hits across clones in other folders (CI) and with the engine's precompiled header.
  export CCACHE_BASEDIR="${CCACHE_BASEDIR:-$ROOT}"
  export CCACHE_SLOPPINESS="${CCACHE_SLOPPINESS:-pch_defines,time_macros,include_file_mtime,include_file_ctime}"
  local jobs="${SEEDCANVAS_JOBS:-$(nproc)}"
  say "configuring ($PRESET) in $BUILD_DIR"
  cmake --preset "$PRESET" -S "$ROOT" >/dev/null
  say "building with $jobs jobs"
  cmake --build "$BUILD_DIR" -j "$jobs"
}
