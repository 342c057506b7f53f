// Package sockopt holds socket options that a net.Dialer or a
// net.ListenConfig sets through its Control hook, before the socket binds.
package sockopt

import (
	"syscall"

	"golang.org/x/sys/unix"
)

// ReuseAddr sets SO_REUSEADDR, so that a socket may bind a local address
// and port that another socket with SO_REUSEADDR still holds. That other
// socket is often one this process closed a moment ago and a child still
// holds: a fork copies every descriptor of the process, and the child
// keeps them until it execs (close-on-exec), which on a loaded machine
// can take milliseconds. A sender from a fixed port (a probe from port
// 5000, an application with a fixed port such as SIP) then fails its
// next bind with "address already in use" unless both sockets set it.
func ReuseAddr(_, _ string, c syscall.RawConn) error {
	var serr error
	if err := c.Control(func(fd uintptr) {
		serr = unix.SetsockoptInt(int(fd), unix.SOL_SOCKET, unix.SO_REUSEADDR, 1)
	}); err != nil {
		return err
	}
	return serr
}
