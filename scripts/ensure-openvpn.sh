#!/bin/sh
# ensure-openvpn.sh installs Debian's openvpn, which the OpenVPN tests of
# rosemu run on this machine (rosemu's OpenVPN server and client are
# openvpn processes; the lab images carry their own). Without it those
# tests would skip, and a skip is not a pass. Running it again changes
# nothing; off Debian or without root it says what to do.
set -eu
. "$(dirname "$0")/apt.sh"

command -v openvpn >/dev/null 2>&1 || [ -x /usr/sbin/openvpn ] && exit 0
if is_root && is_debian; then
	apt_install openvpn
else
	say "openvpn is missing: install Debian's openvpn package (apt-get install openvpn) to run the OpenVPN tests"
	exit 1
fi
