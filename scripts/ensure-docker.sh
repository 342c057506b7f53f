#!/bin/sh
# ensure-docker.sh makes sure a Docker engine answers and debootstrap is
# installed (the offline base image is built with it). On a bare Debian host
# run as root it installs docker.io and debootstrap and starts dockerd by hand,
# because these machines have no systemd; anywhere else it says what to do.
# Running it again changes nothing.
set -eu

log=/var/log/chrlab-dockerd.log
wait_seconds=60

. "$(dirname "$0")/apt.sh"

# dockerd_running uses pidof (sysvinit-utils, always on Debian) because pgrep
# comes from procps, which a minimal system may lack.
dockerd_running() { pidof dockerd >/dev/null 2>&1; }

need_root() {
	if is_debian; then
		say "$1: run as root (sudo $0), or install them yourself: apt-get install -y docker.io debootstrap"
	else
		say "$1: this is not Debian; install Docker (https://docs.docker.com/engine/install/) and debootstrap, start the engine, then retry"
	fi
	exit 1
}

# debootstrap is only needed when no registry answers, but it is cheap and
# keeps the offline path working, so it is installed whenever we can.
if ! command -v debootstrap >/dev/null 2>&1 && [ ! -x /usr/sbin/debootstrap ]; then
	if is_root && is_debian; then
		apt_install debootstrap
	else
		say "warning: debootstrap is missing; the base image can then only be pulled from a registry"
	fi
fi

if docker_answers; then
	exit 0
fi

is_root && is_debian || need_root "no Docker engine answers"

if ! command -v dockerd >/dev/null 2>&1; then
	apt_install docker.io debootstrap
fi

# Another dockerd may still be starting (a previous run of this script): only
# start one when none is running, so two engines never fight over the socket.
if ! dockerd_running; then
	say "starting dockerd (log: $log)"
	# A session of its own: the engine outlives the make, the shell and the
	# process group that started it (a CI step or a terminal that ends
	# kills its group, and every later lab would find no engine).
	setsid nohup dockerd >"$log" 2>&1 </dev/null &
fi

printf 'ensure-docker: waiting for the Docker engine ' >&2
i=0
while ! docker_answers; do
	i=$((i + 1))
	if [ "$i" -gt "$wait_seconds" ]; then
		printf '\n' >&2
		say "dockerd did not answer within ${wait_seconds}s; see $log"
		tail -n 20 "$log" >&2 || true
		exit 1
	fi
	printf '.' >&2
	sleep 1
done
printf ' ready after %ss\n' "$i" >&2
