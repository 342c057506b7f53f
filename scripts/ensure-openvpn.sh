#!/bin/sh
# ensure-openvpn.sh installs Debian's openvpn, which the OpenVPN tests of
# rosemu run on this machine (rosemu's OpenVPN server and client are
# openvpn processes; the lab images carry their own). Without it those
# tests would skip, and a skip is not a pass. Running it again changes
# nothing; off Debian or without root it says what to do.
set -eu
. "$(dirname "$0")/apt.sh"

ensure_program openvpn openvpn "the OpenVPN tests"
