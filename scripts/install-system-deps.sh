#!/usr/bin/env bash
# Installs the Debian packages the test suite needs (the browser tests drive /usr/bin/chromium).
# Does nothing when they are already there, so `make test` can call it every time.
set -euo pipefail
packages=(chromium git curl poppler-utils)  # curl: pages show it, their blocks run it; poppler-utils: pdftotext reads the printed speaker sheet
missing=()
for pkg in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
done
[ ${#missing[@]} -eq 0 ] && exit 0
sudo=""
if [ "$(id -u)" -eq 0 ]; then
  echo "Installing Debian packages: ${missing[*]}"
else
  sudo="sudo"
  echo "Installing Debian packages: ${missing[*]}"
  echo "apt-get needs root: running it through sudo, which may ask for your password."
  echo "(Or install them yourself: sudo apt-get install ${missing[*]}; then run make test again.)"
fi
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -q
$sudo apt-get install -y -q --no-install-recommends "${missing[@]}"
