package images

import (
	"crypto/sha256"
	"fmt"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"sync"
)

// stampSkip are the top-level directories of a checkout that hold no
// source: the repository's history, make's binaries and the runs'
// results (which every lab run adds to).
var stampSkip = map[string]bool{".git": true, "bin": true, "results": true}

// stampEnv are the variables that change what go build makes of the same
// files.
var stampEnv = []string{"GOFLAGS", "GOOS", "GOARCH", "GOAMD64", "GOARM64", "GOEXPERIMENT", "GOTOOLCHAIN", "GOWORK", "GOROOT"}

// stampOnce is one checkout's stamp, taken once per builder.
type stampOnce struct {
	once sync.Once
	sum  []byte
	err  error
}

// stampOf returns the stamp of the checkout at root, walking it once for
// all the programs a run builds from it (they build side by side, each
// asking before its build).
func (b *builder) stampOf(root string) ([]byte, error) {
	b.stampMu.Lock()
	if b.stamps == nil {
		b.stamps = map[string]*stampOnce{}
	}
	st, ok := b.stamps[root]
	if !ok {
		st = &stampOnce{}
		b.stamps[root] = st
	}
	b.stampMu.Unlock()
	st.once.Do(func() { st.sum, st.err = sourceStamp(root) })
	return st.sum, st.err
}

// sourceStamp sums what a build of the checkout at root depends on that
// can change: every file's name, size, mode and modification time (as
// make judges staleness), the go command's own (a new toolchain) and the
// build environment. The module cache is not in it: its files never
// change under a version.
func sourceStamp(root string) ([]byte, error) {
	h := sha256.New()
	goBin, err := exec.LookPath("go")
	if err != nil {
		return nil, err
	}
	fi, err := os.Stat(goBin)
	if err != nil {
		return nil, err
	}
	fmt.Fprintf(h, "go %s %d %d\n", goBin, fi.Size(), fi.ModTime().UnixNano())
	for _, k := range stampEnv {
		fmt.Fprintf(h, "env %s=%q\n", k, os.Getenv(k))
	}
	err = filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(root, path)
		if d.IsDir() {
			if filepath.Dir(rel) == "." && stampSkip[rel] {
				return filepath.SkipDir
			}
			return nil
		}
		fi, err := d.Info()
		if err != nil {
			return err
		}
		fmt.Fprintf(h, "%q %d %o %d\n", rel, fi.Size(), fi.Mode(), fi.ModTime().UnixNano())
		return nil
	})
	if err != nil {
		return nil, err
	}
	return h.Sum(nil), nil
}
