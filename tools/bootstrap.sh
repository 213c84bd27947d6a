#!/usr/bin/env bash
# Set up Secure Base on Debian/Ubuntu and then launch it or run its tests.
#   bash tools/bootstrap.sh run     # install what is missing, then open the app
#   bash tools/bootstrap.sh run --standard-voice-only   # the same without the natural voice
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
TEST_PACKAGES=(xvfb xauth xdotool pulseaudio pulseaudio-utils
  # real key presses for the keyboard-only e2e; validators for the menu entry and AppStream
  # file; a private D-Bus for the media-key tests
  desktop-file-utils appstream dbus)

need_root() { if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi; }

can_be_root() {  # root, password-less sudo, or sudo that may ask for a password here
  [ "$(id -u)" -eq 0 ] && return 0
  command -v sudo >/dev/null || return 1
  sudo -n true 2>/dev/null && return 0
  [ -t 0 ] || return 1
  echo "Installing system packages needs administrator rights; sudo may ask for your password."
  sudo -v 2>/dev/null  # "not in the sudoers file" is said below, in plainer words
}

ask_an_administrator() {
  cat >&2 <<EOF
Secure Base needs some system packages that are not installed yet, and this account cannot
install them (it has no administrator rights through sudo). Please ask an administrator to run:

  sudo apt-get install $*

and then run this command again.
EOF
  exit 1
}

install_system() {
  local missing=() p
  for p in "$@"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed" || missing+=("$p")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  can_be_root || ask_an_administrator "${missing[@]}"
  echo "Installing system packages: ${missing[*]}"
  # apt's and debconf's chatter goes to a log, shown only if something fails
  local log; log=$(mktemp -t securebase-apt.XXXXXX)
  if ! { need_root apt-get update -qq &&
         need_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq \
           --no-install-recommends "${missing[@]}"; } >"$log" 2>&1; then
    tail -n 30 "$log" >&2
    echo "Installing the system packages failed; the full log is in $log" >&2
    exit 1
  fi
  rm -f "$log"
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
# The natural voice (Piper with the voice Joe, about 190 MB) is part of every set-up; on a small
# machine `--standard-voice-only` or SECUREBASE_NATURAL_VOICE=0 leaves it out (the app then
# speaks with espeak-ng, and says so once).
natural=${SECUREBASE_NATURAL_VOICE:-1}
args=()
for arg in "$@"; do
  if [ "$arg" = --standard-voice-only ]; then natural=0; else args+=("$arg"); fi
done
set -- "${args[@]+"${args[@]}"}"
# What is installed, as a level: 1 the app, 2 with the natural voice, 3 with the test tools too.
want=$([ "$action" = test ] && echo 3 || { [ "$natural" = 0 ] && echo 1 || echo 2; })
hash=$(cat pyproject.toml setup.py | sha256sum | cut -c1-16)
have=0
for level in 1 2 3; do [ -f "$VENV/.installed-$hash-$level" ] && have=$level; done

pip_quietly() {  # pip's and setuptools' chatter goes to a log, shown only if something fails
  local log="$VENV/install.log"
  if ! "$VENV/bin/python" -m pip install -q "$@" >"$log" 2>&1; then
    tail -n 40 "$log" >&2
    echo "Installing the Python packages failed; the full log is in $log" >&2
    exit 1
  fi
}

# pip's raw progress ("Progress 1234 of 5678" per download) as one running line on a terminal,
# or one line per download in a log; everything else pip says goes to its log only.
PROGRESS_AWK='
/^Progress [0-9]+ of [0-9]+/ {
  cur = $2; if ($2 == $4) { done += $4; cur = 0 }
  mb = int((done + cur) / 1048576)
  if (tty && mb != shown) { printf "\r  %d MB downloaded", mb; shown = mb; fflush() }
  next }
/^ *Downloading / { if (!tty) { sub(/^ */, "  "); print; fflush() } }
END { if (tty && shown != "") printf "\r\033[K  %d MB downloaded\n", shown }'

install_natural_voice() {
  echo "Installing the natural voice (about 120 MB to download; --standard-voice-only skips it)…"
  local log="$VENV/natural-voice.log" tty=0
  [ -t 1 ] && tty=1
  if "$VENV/bin/python" -m pip install --progress-bar raw -e ".[natural-voice]" 2>&1 |
      tee "$log" | awk -v tty="$tty" "$PROGRESS_AWK"; then
    return 0
  fi
  echo "The natural voice could not be installed (details in $log); the standard voice will" \
       "be used until the next run tries again." >&2
  return 1
}

if [ "$have" -lt "$want" ]; then
  [ -x "$VENV/bin/python" ] || "$PY" -m venv "$VENV"
  if [ "$have" -lt 1 ]; then
    echo "Installing Python packages into $VENV (first time takes a few minutes)…"
    pip_quietly --upgrade pip
    pip_quietly -e .
    rm -f "$VENV"/.installed-*; touch "$VENV/.installed-$hash-1"; have=1
  fi
  if [ "$want" -ge 2 ] && [ "$have" -lt 2 ] && install_natural_voice; then
    touch "$VENV/.installed-$hash-2"; have=2
  fi
  if [ "$want" -ge 3 ]; then
    [ "$have" -ge 2 ] || exit 1   # the tests need the natural voice
    echo "Installing the test tools…"
    pip_quietly -e ".[test,natural-voice]"
    touch "$VENV/.installed-$hash-3"
  fi
fi

case "$action" in
  run)  # The first time: the applications-menu entry and icon. `securebase
        # --uninstall-desktop-entry` removes them, and this marker keeps them removed.
        if [ ! -f "$VENV/.desktop-entry" ]; then
          "$VENV/bin/securebase" --install-desktop-entry && touch "$VENV/.desktop-entry"
        fi
        exec "$VENV/bin/securebase" "$@" ;;
  test) if ! contracts=$("$VENV/bin/lint-imports" --no-logo 2>&1); then
          echo "$contracts" >&2; exit 1
        fi
        echo "Import contracts: ${contracts##*Contracts: }"
        # Lint (ruff) and types (mypy, strict on core, storage and speech): pyproject.toml.
        "$VENV/bin/ruff" check --quiet . || exit 1
        echo "ruff: no findings"
        if ! types=$("$VENV/bin/mypy" 2>&1); then echo "$types" >&2; exit 1; fi
        echo "mypy: ${types##*$'\n'}"
        exec "$VENV/bin/python" -m pytest "$@" ;;
  setup) echo "Secure Base is set up." ;;
  *) echo "usage: bash tools/bootstrap.sh run|test|setup" >&2; exit 2 ;;
esac
