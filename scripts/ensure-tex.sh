#!/usr/bin/env bash
# Make sure pdflatex and latexmk exist: install TeX Live from Debian's packages when we are root,
# otherwise print the exact command. Exit 1 only when TeX is required (CI=true or REQUIRE_TEX=1).
set -u
packages="texlive-latex-recommended texlive-pictures texlive-fonts-recommended latexmk"
if command -v pdflatex >/dev/null 2>&1 && command -v latexmk >/dev/null 2>&1; then
  exit 0
fi
if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
  echo "pdflatex/latexmk missing: installing TeX Live from Debian's packages ($packages)"
  export DEBIAN_FRONTEND=noninteractive
  if apt-get install -y --no-install-recommends $packages || { apt-get update && apt-get install -y --no-install-recommends $packages; }; then
    exit 0
  fi
  echo "error: installing TeX Live failed" >&2
else
  echo "pdflatex/latexmk not found. Install TeX Live with:"
  echo "  sudo apt-get install -y --no-install-recommends $packages"
fi
if [ "${CI:-}" = "true" ] || [ "${REQUIRE_TEX:-}" = "1" ]; then
  echo "error: TeX is required here (CI=true), and it is missing" >&2
  exit 1
fi
exit 0
