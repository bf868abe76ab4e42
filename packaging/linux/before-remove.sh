#!/bin/sh
# POS Station, before removal: the deb's prerm and the rpm's %preun (docs/counter-pc.md).
#
# On uninstall (deb: remove, deconfigure; rpm: $1 = 0, no version left) removes the udev rules
# after-install.sh put in /usr/lib/udev/rules.d and has udev reload. On an upgrade (deb: upgrade,
# failed-upgrade; rpm: $1 >= 1) it leaves them: the new version's after-install replaces them.
# A purge comes after a removal, so the rules are already gone by then.
#
# POS_INSTALL_ROOT / DPKG_ROOT: another root directory, as in after-install.sh.
set -e

case "${1:-}" in
  upgrade | failed-upgrade | [1-9]*) exit 0 ;;
esac

ROOT="${POS_INSTALL_ROOT:-${DPKG_ROOT:-}}"
RULES_FILE="$ROOT/usr/lib/udev/rules.d/70-pos-station.rules"
rm -f "$RULES_FILE"

if [ -n "${DPKG_ROOT:-}" ] || ! command -v udevadm >/dev/null 2>&1; then
  exit 0
fi
udevadm control --reload-rules || echo "pos-station: udev did not reload (is it running?)" >&2
exit 0
