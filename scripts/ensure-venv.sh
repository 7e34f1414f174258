#!/usr/bin/env bash
# Create the virtual environment .venv. On Debian, `python3 -m venv` needs the python3-venv package:
# install it when we are root, otherwise print the exact command.
set -u
python=${PYTHON:-python3}
venv=${1:-.venv}
[ -x "$venv/bin/python" ] && exit 0
if ! command -v "$python" >/dev/null 2>&1; then
  echo "error: $python not found; on Debian: apt-get install -y python3 python3-venv" >&2
  exit 1
fi
if "$python" -m venv "$venv" 2>/dev/null; then
  exit 0
fi
rm -rf "$venv"
version=$("$python" -c 'import sys; print(f"{sys.version_info[0]}.{sys.version_info[1]}")')
if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
  echo "python3 -m venv failed: installing python3-venv from Debian's packages"
  export DEBIAN_FRONTEND=noninteractive
  apt-get install -y --no-install-recommends python3-venv "python${version}-venv" \
    || { apt-get update && apt-get install -y --no-install-recommends python3-venv "python${version}-venv"; } \
    || apt-get install -y --no-install-recommends python3-venv
  "$python" -m venv "$venv" && exit 0
fi
echo "error: could not create $venv. On Debian run: sudo apt-get install -y python3-venv" >&2
exit 1
