// Package hostlock names and opens the lock files that every chrlab
// process of a machine shares: the image build's, the lab subnets' and the
// load steps'. They keep processes of one machine from building the same
// image, wiring the same subnets or measuring load at once, so they must
// be found at one place by all of them.
package hostlock

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
)

// Dir is where the locks are: /tmp itself, not os.TempDir. TMPDIR is one
// process's choice (a test run, a CI job, a user's shell each set their
// own), and two processes that named their locks after it built the same
// image at once.
const Dir = "/tmp"

// Path is the machine's lock file called name.
func Path(name string) string {
	return filepath.Join(Dir, name)
}

// Open opens the lock file at path for flock, making it when it is
// missing. It opens read-only, which flock needs no more than, so that a
// lock file another user made (mode 0644 under the usual umask) serves
// this user too; and it opens a file that exists without O_CREAT, which a
// sticky /tmp refuses on another user's file under fs.protected_regular.
func Open(path string) (*os.File, error) {
	for {
		f, err := os.Open(path)
		if !errors.Is(err, fs.ErrNotExist) {
			return f, err
		}
		f, err = os.OpenFile(path, os.O_RDONLY|os.O_CREATE|os.O_EXCL, 0o666)
		if !errors.Is(err, fs.ErrExist) {
			return f, err
		}
		// Another process made it between the two opens: open its.
	}
}
