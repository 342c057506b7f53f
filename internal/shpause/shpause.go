// Package shpause gives the shell scripts chrlab runs in lab members a
// wait that costs no process.
//
// Those scripts poll: a member waits for the wire to give it its
// interfaces, a capture for tcpdump to listen and then to end. dash has no
// wait shorter than a second but the sleep program, a fork and an exec per
// poll (3 to 5 ms of CPU each on the 2-core machine), and the polls of one
// lab ran to some 170 of them. busybox's sh (every chrlab image has busybox
// from the base image) times out a read: a read on a FIFO that nobody
// writes is a sleep inside the shell.
package shpause

// Shell runs a script with busybox's sh: append the script, the name of
// $0 and the arguments.
var Shell = []string{"/bin/busybox", "sh", "-c"}

// Define defines the shell function pause, which waits its argument in
// seconds (fractions allowed): a read with that timeout on a FIFO of the
// script's own, opened on descriptor 3 and unlinked at once, so scripts
// that run side by side in one member never share one. Where no FIFO can
// be made it falls back to the sleep program. A script that starts a
// process in the background should do so before Define, or close 3 for
// it (3<&-), so the process does not keep the FIFO open.
const Define = `if mkfifo /run/chrlab-pause.$$ 2>/dev/null && exec 3<>/run/chrlab-pause.$$; then
	rm -f /run/chrlab-pause.$$
	pause() { read -t "$1" x <&3; }
else
	pause() { sleep "$1"; }
fi
`

// Command is the argv that runs script under Shell, with $0 named name.
func Command(script, name string, args ...string) []string {
	return append(append(append([]string{}, Shell...), script, name), args...)
}
