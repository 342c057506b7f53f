#!/bin/sh
# ensure-iperf3.sh installs Debian's iperf3, which the unit tests of the
# iperf probe and its server run on this machine (a lab node's image
# carries its own). Without it those tests cannot check the probe against
# real iperf3 output. Running it again changes nothing; off Debian or
# without root it says what to do.
set -eu
. "$(dirname "$0")/apt.sh"

ensure_program iperf3 iperf3 "the iperf probe's tests"
