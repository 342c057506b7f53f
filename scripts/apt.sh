# apt.sh holds the helpers the set-up scripts share; source it. apt's own
# output goes to a log file, and one line says what is being installed.
# shellcheck shell=sh

setup_log=/var/log/chrlab-setup.log

say() { printf '%s\n' "chrlab setup: $*" >&2; }

is_debian() { [ -r /etc/debian_version ] && command -v apt-get >/dev/null 2>&1; }

is_root() { [ "$(id -u)" -eq 0 ]; }

docker_answers() { command -v docker >/dev/null 2>&1 && docker info >/dev/null 2>&1; }

# apt_install installs the named packages, refreshing the package lists only
# when apt cannot find a candidate (a fresh image has empty lists).
apt_install() {
	missing=""
	for p in "$@"; do
		dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing="$missing $p"
	done
	[ -z "$missing" ] && return 0
	for p in $missing; do
		if ! apt-cache policy "$p" 2>/dev/null | grep -q 'Candidate: [0-9]'; then
			say "apt-get update (no candidate for $p; output in $setup_log)"
			apt-get update -q >>"$setup_log" 2>&1 || { tail -n 20 "$setup_log" >&2; return 1; }
			break
		fi
	done
	say "installing$missing (output in $setup_log)"
	# shellcheck disable=SC2086 # word splitting of the package list is intended.
	DEBIAN_FRONTEND=noninteractive apt-get install -y -q $missing >>"$setup_log" 2>&1 || {
		tail -n 20 "$setup_log" >&2
		say "apt-get install$missing failed; see $setup_log"
		return 1
	}
}

# ensure_program installs Debian's package $2 when the program $1 is
# missing (from PATH and from /usr/sbin, which a user's PATH may lack);
# off Debian or without root it says what to do, naming what the program
# is needed for ($3), and fails. Running it again changes nothing.
ensure_program() {
	command -v "$1" >/dev/null 2>&1 && return 0
	[ -x "/usr/sbin/$1" ] && return 0
	if is_root && is_debian; then
		apt_install "$2"
	else
		say "$1 is missing: install Debian's $2 package (apt-get install $2) to run $3"
		return 1
	fi
}
