package kernel

import (
	"errors"
	"fmt"
	"os"

	"github.com/vishvananda/netns"
	"golang.org/x/sys/unix"
)

// isNetns reports whether h is a network namespace rather than some other
// file. /run/netns/<name> is only a bind mount of one: after `docker
// restart` the container's mounts are gone but its filesystem, and so the
// empty file the mount sat on, stays. Opening that file succeeds, and
// moving an interface "into" it fails with EINVAL, which is how rosemu
// failed to come back after a restart.
func isNetns(h netns.NsHandle) bool {
	var st unix.Statfs_t
	if err := unix.Fstatfs(int(h), &st); err != nil {
		return false
	}
	return st.Type == unix.NSFS_MAGIC
}

// removeStaleNamed removes /run/netns/<name> when it is no namespace: the
// leftover of an earlier run of this container, whose namespace ended with
// it.
func removeStaleNamed(name string) error {
	path := "/run/netns/" + name
	// A mount of something else would be unexpected; lazily detach it
	// so the file can go.
	if err := unix.Unmount(path, unix.MNT_DETACH); err != nil && !errors.Is(err, unix.EINVAL) && !errors.Is(err, unix.ENOENT) {
		return fmt.Errorf("unmount stale network namespace file %s: %w", path, err)
	}
	if err := os.Remove(path); err != nil && !os.IsNotExist(err) {
		return fmt.Errorf("remove stale network namespace file %s: %w", path, err)
	}
	return nil
}
