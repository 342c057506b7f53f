// Package tundev makes sure the TUN device node exists, for the user-space
// links of rosemu and the lab agent (PPPoE sessions, WireGuard).
package tundev

import (
	"fmt"
	"os"

	"golang.org/x/sys/unix"
)

// Path is the TUN device node.
const Path = "/dev/net/tun"

// EnsureNode makes /dev/net/tun when it is missing: a container may lack
// the node, and Docker's default device rules allow the TUN device
// (character 10:200), so it can be made.
func EnsureNode() error {
	if _, err := os.Stat(Path); !os.IsNotExist(err) {
		return nil
	}
	_ = os.MkdirAll("/dev/net", 0o755)
	if err := unix.Mknod(Path, unix.S_IFCHR|0o666, int(unix.Mkdev(10, 200))); err != nil && !os.IsExist(err) {
		return fmt.Errorf("make %s: %w", Path, err)
	}
	return nil
}
