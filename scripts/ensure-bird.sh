#!/bin/sh
# ensure-bird.sh installs Debian's bird2, whose bird and birdc the OSPF
# tests run on this machine (rosemu's OSPF and a lab node's are BIRD; the
# lab images carry their own). Running it again changes nothing; off
# Debian or without root it says what to do.
set -eu
. "$(dirname "$0")/apt.sh"

command -v bird >/dev/null 2>&1 || [ -x /usr/sbin/bird ] && exit 0
if is_root && is_debian; then
	apt_install bird2
else
	say "bird is missing: install Debian's bird2 package (apt-get install bird2) to run the OSPF tests"
	exit 1
fi
