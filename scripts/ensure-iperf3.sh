#!/bin/sh
# ensure-iperf3.sh installs Debian's iperf3, which the unit tests of the
# iperf probe and its server run on this machine (a lab node's image
# carries its own). Without it those tests cannot check the probe against
# real iperf3 output. Running it again changes nothing; off Debian or
# without root it says what to do.
set -eu
. "$(dirname "$0")/apt.sh"

command -v iperf3 >/dev/null 2>&1 && exit 0
if is_root && is_debian; then
	apt_install iperf3
else
	say "iperf3 is missing: install Debian's iperf3 package (apt-get install iperf3) to run the iperf probe's tests"
	exit 1
fi
