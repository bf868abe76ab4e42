#!/bin/sh
# POS Station, after install: the deb's postinst and the rpm's %post (docs/counter-pc.md).
#
# Installs the udev rules that let the cashier's account open the card reader, PIN pad and receipt
# printer into /usr/lib/udev/rules.d (the packages' directory; /etc/udev/rules.d stays the
# administrator's), then has udev reload its rules and re-apply them to the USB devices already
# plugged in, so nothing needs replugging. Run on every install, upgrade and aborted removal alike:
# it only ever puts the file the package ships in place.
#
# POS_INSTALL_ROOT installs into another root directory (tests, image builds); DPKG_ROOT, set by
# dpkg --root, does the same and leaves the running udev alone, since it is not that system's.
set -e

ROOT="${POS_INSTALL_ROOT:-${DPKG_ROOT:-}}"
RULES="70-pos-station.rules"
SOURCE="$ROOT/usr/lib/pos-station/resources/udev/$RULES"
TARGET_DIR="$ROOT/usr/lib/udev/rules.d"

if [ ! -f "$SOURCE" ]; then
  echo "pos-station: $SOURCE is missing; the USB devices need the udev rules (docs/peripherals.md)" >&2
  exit 1
fi
mkdir -p "$TARGET_DIR"
cp "$SOURCE" "$TARGET_DIR/$RULES.pos-new"
chmod 0644 "$TARGET_DIR/$RULES.pos-new"
mv -f "$TARGET_DIR/$RULES.pos-new" "$TARGET_DIR/$RULES"

if [ -n "${DPKG_ROOT:-}" ] || ! command -v udevadm >/dev/null 2>&1; then
  exit 0
fi
if udevadm control --reload-rules && udevadm trigger --subsystem-match=usb --action=change; then
  :
else
  echo "pos-station: udev did not reload (is it running?); the rules apply once the devices are replugged or the PC restarts" >&2
fi
exit 0
