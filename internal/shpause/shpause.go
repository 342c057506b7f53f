// Package shpause gives the shell scripts chrlab runs in lab members a
// wait that costs no process.
//
// Those scripts poll: a member waits for the wire to give it its
// interfaces, a capture for tcpdump to listen and then to end. dash has no
// wait shorter than a second but the sleep program, a fork and an exec per
// poll (3 to 5 ms of CPU each on the 2-core machine), and the polls of one
// lab ran to some 170 of them. busybox's sh (the lab images have busybox
// from their base image) times out a read: a read on a FIFO that nobody
// writes is a sleep inside the shell.
package shpause

// launcher runs the script ($1) with busybox's sh where the member has
// busybox, telling Define so (CHRLAB_PAUSE); elsewhere (the CHR
// container's image has no busybox) with the member's own sh, where pause
// falls back to the sleep program.
const launcher = `s=$1; shift; if [ -x /bin/busybox ]; then CHRLAB_PAUSE=read exec /bin/busybox sh -c "$s" "$0" "$@"; fi; eval "$s"`

// Define defines the shell function pause, which waits its argument in
// seconds (fractions allowed): a read with that timeout on a FIFO of the
// script's own, opened on descriptor 3 and unlinked at once, so scripts
// that run side by side in one member never share one. Where no FIFO can
// be made it falls back to the sleep program. A script that starts a
// process in the background should do so before Define, or close 3 for
// it (3<&-), so the process does not keep the FIFO open.
const Define = `if [ "${CHRLAB_PAUSE:-}" = read ] && mkfifo /run/chrlab-pause.$$ 2>/dev/null && exec 3<>/run/chrlab-pause.$$; then
	rm -f /run/chrlab-pause.$$
	pause() { read -t "$1" x <&3; }
else
	pause() { sleep "$1"; }
fi
unset CHRLAB_PAUSE
`

// Command is the argv that runs script (busybox's sh where the member
// has it), with $0 named name and the arguments args.
func Command(script, name string, args ...string) []string {
	return append([]string{"/bin/sh", "-c", launcher, name, script}, args...)
}

// Script is the script of an argv Command made ("" for another argv).
func Script(argv []string) string {
	if len(argv) >= 5 && argv[2] == launcher {
		return argv[4]
	}
	return ""
}
