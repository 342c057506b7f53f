#!/bin/sh
# ensure-chromium.sh installs Debian's chromium, which the report test uses
# to open report.html headless and check that its plots render. Running it
# again changes nothing; off Debian or without root it says what to do.
set -eu
. "$(dirname "$0")/apt.sh"

ensure_program chromium chromium "the report test"
