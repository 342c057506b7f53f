#!/bin/sh
# ensure-strongswan.sh installs Debian's strongSwan (charon, swanctl and the
# extra plugins, whose kernel-libipsec does ESP in user space), which the
# IPsec tests of rosemu run on this machine (rosemu's /ip ipsec is a charon
# process per router; the lab images carry their own). Without it those tests
# would skip, and a skip is not a pass. Running it again changes nothing; off
# Debian or without root it says what to do.
set -eu
. "$(dirname "$0")/apt.sh"

pkgs="strongswan-charon strongswan-swanctl libcharon-extra-plugins libstrongswan-standard-plugins"
if [ -x /usr/lib/ipsec/charon ] && command -v swanctl >/dev/null 2>&1 &&
	[ -e /usr/lib/ipsec/plugins/libstrongswan-kernel-libipsec.so ] &&
	[ -e /usr/lib/ipsec/plugins/libstrongswan-gcm.so ]; then
	exit 0
fi
if is_root && is_debian; then
	apt_install $pkgs
else
	say "strongSwan is missing: install Debian's packages (apt-get install $pkgs) to run the IPsec tests"
	exit 1
fi
