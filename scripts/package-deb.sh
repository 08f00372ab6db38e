#!/usr/bin/env bash
# Builds dist/emotelab_VERSION_ARCH.deb: the installation of scripts/install.sh with PREFIX=/usr (static Swift
# runtime, models in /usr/share/emotelab/models, completions, licences), packed with dpkg-deb. On a Debian 12
# machine without a Swift toolchain, `apt install ./emotelab_*.deb` pulls in the libraries it needs.
#
# How Depends is derived (no list kept by hand, except opencv-data):
#   1. objdump -p lists the shared libraries the binary names (NEEDED);
#   2. ldd resolves each to the file this machine loads, readlink -f follows it through symlinks and
#      alternatives (libopenblas.so.0 is managed by update-alternatives);
#   3. dpkg -S names the Debian package that owns the file (tried under /usr and / for merged-/usr systems);
#   4. opencv-data is added for the face cascades the binary reads from /usr/share/opencv4 (a data file, not
#      a library, so ldd cannot see it).
# The binary package names carry the library ABI (libavformat59, libssl3, ...), so the list fits the Debian
# release this is built on (Debian 12 here). The build fails if a library is not owned by a package, or
# resolves into the Swift toolchain.
#
# Usage: scripts/package-deb.sh [OUTDIR]   (default dist; SWIFT_SCRATCH_PATH as for install.sh)
#   EMOTELAB_MAINTAINER   the Maintainer field (default: "EmoteLab maintainers <emotelab@localhost>")
set -euo pipefail
cd "$(dirname "$0")/.."
outdir="${1:-dist}"
mkdir -p "$outdir"
outdir="$(cd "$outdir" && pwd)"
stage="$(mktemp -d)"
trap 'rm -rf "$stage"' EXIT
pkgroot="$stage/root"

DESTDIR="$pkgroot" scripts/install.sh /usr
bin="$pkgroot/usr/bin/emotelab"

depends=()
ldd_out="$(ldd "$bin")"
while read -r lib; do
  # "libfoo.so.1 => /path (0x…)", or for the dynamic loader "/lib64/ld-linux-x86-64.so.2 (0x…)"
  path="$(awk -v lib="$lib" '$1 == lib && $3 ~ /^\// { print $3; exit }
                                          $1 ~ /^\// && substr($1, length($1) - length(lib)) == "/" lib { print $1; exit }' <<< "$ldd_out")"
  [[ -n "$path" ]] || { echo "package-deb: $lib is not resolved by ldd" >&2; exit 1; }
  real="$(readlink -f "$path")"
  case "$real" in /opt/swift/*) echo "package-deb: $lib resolves into the Swift toolchain ($real)" >&2; exit 1 ;; esac
  owner=""
  for candidate in "$real" "${real#/usr}" "/usr$real" "$path"; do
    owner="$(dpkg -S "$candidate" 2>/dev/null | sed -n '1s/:.*//p')" || owner=""
    [[ -n "$owner" ]] && break
  done
  [[ -n "$owner" ]] || { echo "package-deb: no Debian package owns $real ($lib)" >&2; exit 1; }
  depends+=("$owner")
done < <(objdump -p "$bin" | awk '$1 == "NEEDED" { print $2 }')
depends+=(opencv-data)
depends_field="$(printf '%s\n' "${depends[@]}" | sort -u | paste -sd, - | sed 's/,/, /g')"

version="$("$bin" --version | head -n1 | awk '{ print $2 }')"
arch="$(dpkg --print-architecture)"
size_kb="$(du -sk "$pkgroot/usr" | cut -f1)"
install -d "$pkgroot/DEBIAN"
cat > "$pkgroot/DEBIAN/control" <<CONTROL
Package: emotelab
Version: $version
Architecture: $arch
Maintainer: ${EMOTELAB_MAINTAINER:-EmoteLab maintainers <emotelab@localhost>}
Installed-Size: $size_kb
Depends: $depends_field
Section: science
Priority: optional
Description: facial-emotion timelines and per-task reports for usability-test recordings
 EmoteLab reads recorded usability-test sessions, finds the participant's face, recognises
 facial emotion with a small CNN, stores a per-timestamp emotion timeline in SQLite and
 reports engagement and satisfaction per task. Runs on the CPU, offline.
CONTROL
# The copyright file Debian policy expects: the licences shipped in the licenses folder.
cp "$pkgroot/usr/share/doc/emotelab/licenses/README" "$pkgroot/usr/share/doc/emotelab/copyright"

deb="$outdir/emotelab_${version}_${arch}.deb"
dpkg-deb --root-owner-group --build "$pkgroot" "$deb" >/dev/null
echo "package-deb: wrote $deb"
echo "package-deb: Depends: $depends_field"
