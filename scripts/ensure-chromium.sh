#!/bin/sh
# ensure-chromium.sh installs Debian's chromium, which the report test uses
# to open report.html headless and check that its plots render. Running it
# again changes nothing; off Debian or without root it says what to do.
set -eu
. "$(dirname "$0")/apt.sh"

command -v chromium >/dev/null 2>&1 && exit 0
if is_root && is_debian; then
	apt_install chromium
else
	say "chromium is missing: install Debian's chromium package (apt-get install chromium) to run the report test"
	exit 1
fi
