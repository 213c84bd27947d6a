#!/usr/bin/env bash
# Set up Secure Base on Debian/Ubuntu and then launch it or run its tests.
#   bash tools/bootstrap.sh run     # install what is missing, then open the app
#   bash tools/bootstrap.sh test    # install what is missing, then run the checks and tests
# Idempotent: when everything is already there, set-up takes a few seconds.
set -euo pipefail
cd "$(dirname "$0")/.."
action=${1:-run}; shift || true

SYSTEM_PACKAGES=(
  # Qt widgets, offscreen and on a real screen
  libgl1 libegl1 libxkbcommon0 libxkbcommon-x11-0 libfontconfig1 libdbus-1-3 libglib2.0-0
  libxcb-cursor0 libxcb-icccm4 libxcb-image0 libxcb-keysyms1 libxcb-render-util0 libxcb-shape0
  libxcb-xinerama0 libxcb-randr0 libxrandr2 libx11-xcb1
  fonts-dejavu-core fonts-cantarell
  # sound (QtMultimedia needs libpulse0 even to import) and the offline voice
  libpulse0 libespeak-ng1 espeak-ng-data
)
TEST_PACKAGES=(xvfb xauth pulseaudio pulseaudio-utils)

need_root() { if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi; }

install_system() {
  local missing=() p
  for p in "$@"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed" || missing+=("$p")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  echo "Installing system packages: ${missing[*]}"
  need_root apt-get update -qq
  need_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
}

PY=${PYTHON:-python3}
if command -v dpkg-query >/dev/null; then
  pkgs=("${SYSTEM_PACKAGES[@]}")
  [ "$action" = test ] && pkgs+=("${TEST_PACKAGES[@]}")
  # Debian's python3 has no venv/ensurepip until python3-venv is installed
  "$PY" -c 'import ensurepip' 2>/dev/null || pkgs+=(python3-venv)
  install_system "${pkgs[@]}"
fi

VENV=.venv
extras=$([ "$action" = test ] && echo "[test,natural-voice]" || echo "")
stamp="$VENV/.installed-$(cat pyproject.toml setup.py | sha256sum | cut -c1-16)${extras:+-test}"
if [ ! -f "$stamp" ]; then
  [ -x "$VENV/bin/python" ] || "$PY" -m venv "$VENV"
  echo "Installing Python packages into $VENV (first time takes a few minutes)…"
  # pip's and setuptools' chatter goes to a log; it is shown only if something fails
  log="$VENV/install.log"
  if ! { "$VENV/bin/python" -m pip install -q --upgrade pip &&
         "$VENV/bin/python" -m pip install -q -e ".$extras"; } >"$log" 2>&1; then
    tail -n 40 "$log" >&2
    echo "Installing the Python packages failed; the full log is in $log" >&2
    exit 1
  fi
  rm -f "$VENV"/.installed-*; touch "$stamp"
  # a test stamp also covers a plain run
  [ -n "$extras" ] && touch "${stamp%-test}"
fi

case "$action" in
  run)  exec "$VENV/bin/securebase" "$@" ;;
  test) "$VENV/bin/lint-imports"
        exec "$VENV/bin/python" -m pytest "$@" ;;
  setup) echo "Secure Base is set up." ;;
  *) echo "usage: bash tools/bootstrap.sh run|test|setup" >&2; exit 2 ;;
esac
