#!/usr/bin/env bash
# Installs the Debian packages EmoteLab needs to build, test and run.
# Idempotent: packages already installed are skipped. Needs root (or sudo) only when something is missing.
set -euo pipefail

PACKAGES=(
  pkg-config
  libavformat-dev libavcodec-dev libswscale-dev libavutil-dev
  libopenblas-dev
  libssl-dev
  libsqlite3-dev
  opencv-data
  ffmpeg
  binutils  # objdump for scripts/package-deb.sh (the Swift toolchain needs binutils too)
  chromium  # headless, for the report page's replay test (ReplayBrowserTests); skipped when missing
)
# Packages for the documentation images (scripts/docs-images.sh): headless Chromium, DejaVu and a CJK font so
# that task names in any script render as written.
DOCS_PACKAGES=(chromium fonts-dejavu-core fonts-wqy-zenhei)
# Extra packages for developers: reference fixtures and benchmarks (PyTorch, OpenCV) and the docs images.
DEV_PACKAGES=(python3-torch python3-opencv python3-numpy python3-venv sqlite3 time "${DOCS_PACKAGES[@]}")

# Usage: scripts/setup.sh [--dev | --docs]
want=("${PACKAGES[@]}")
case "${1:-}" in
  --dev) want+=("${DEV_PACKAGES[@]}") ;;
  --docs) want+=("${DOCS_PACKAGES[@]}") ;;
esac

missing=()
for p in "${want[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done

if [[ ${#missing[@]} -eq 0 ]]; then
  echo "setup: all ${#want[@]} packages already installed"
  exit 0
fi

SUDO=""
if [[ $(id -u) -ne 0 ]]; then
  if command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
    SUDO="sudo"
  else
    echo "setup: missing packages: ${missing[*]}; run this script as root (or with sudo) to install them" >&2
    exit 1
  fi
fi

echo "setup: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get -o DPkg::Lock::Timeout=900 update -qq
$SUDO apt-get -o DPkg::Lock::Timeout=900 install -y -qq --no-install-recommends "${missing[@]}"
echo "setup: done"
