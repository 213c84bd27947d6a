"""The app as a desktop program: checks before Qt starts, the menu entry and icon (no Qt)."""

# The freedesktop id: the menu entry's and metainfo's file names, the icon's name, the Wayland
# app id and the MPRIS DesktopEntry. Lower case, as AppStream prefers.
APP_ID = "io.github.securebase.securebase"
ICON_SIZES = (16, 24, 32, 48, 64, 128, 256, 512)  # resources/icons/securebase-N.png
