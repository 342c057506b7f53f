#!/bin/sh
# ensure-bird.sh installs Debian's bird2, whose bird and birdc the OSPF
# tests run on this machine (rosemu's OSPF and a lab node's are BIRD; the
# lab images carry their own). Running it again changes nothing; off
# Debian or without root it says what to do.
set -eu
. "$(dirname "$0")/apt.sh"

ensure_program bird bird2 "the OSPF tests"
