#!/usr/bin/env bash
# Installs what exporter needs from Debian 12 beyond Python: free CJK fonts for the PDF
# writer, poppler (pdffonts/pdftoppm) and LibreOffice for the tests that render the .docx.
# Idempotent; safe to run twice. Needs root (or sudo).
set -euo pipefail
SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
export DEBIAN_FRONTEND=noninteractive

with_office=1
[ "${1:-}" = "--no-office" ] && with_office=0

# fonts-liberation2 has Times New Roman's metrics, so LibreOffice breaks lines with digits as Word does.
pkgs="python3-venv fonts-noto-cjk fonts-arphic-gkai00mp fonts-arphic-gbsn00lp fonts-wqy-microhei fonts-liberation2 fontconfig poppler-utils"
[ "$with_office" = 1 ] && pkgs="$pkgs libreoffice-writer-nogui libreoffice-calc-nogui"

$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends $pkgs >/dev/null

# FandolFang/Hei/Kai/Song live only in texlive-lang-chinese; unpack just the six OTFs
# instead of installing the package with its ~240 MB of TeX dependencies.
if ! fc-list | grep -q FandolFang; then
  d=$(mktemp -d)
  chmod 777 "$d"
  (cd "$d" && $SUDO apt-get download -qq texlive-lang-chinese 2>/dev/null \
     && dpkg-deb --fsys-tarfile texlive-lang-chinese_*.deb \
        | tar -x --wildcards --no-anchored 'fandol/Fandol[FHKS]*.otf' 'texlive-doc/fonts/fandol/*')
  $SUDO install -Dm644 "$d"/usr/share/texlive/texmf-dist/fonts/opentype/public/fandol/Fandol*.otf \
      -t /usr/local/share/fonts/fandol
  $SUDO install -Dm644 "$d"/usr/share/doc/texlive-doc/fonts/fandol/* -t /usr/local/share/fonts/fandol || true
  rm -rf "$d"
fi
# Without the Windows fonts, fontconfig hands every Chinese font name a sans face; map the
# names a GB/T 9704 .docx uses to free faces of the same design (LibreOffice renders with them).
$SUDO install -Dm644 "$(dirname "$0")/fontconfig/65-exporter-gbt9704.conf" -t /etc/fonts/conf.d
$SUDO fc-cache -f >/dev/null
