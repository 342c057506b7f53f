// Package embedded writes the labs, scenarios and image sources embedded
// in the chrlab binary (package chrlab's Files) out to a folder, so that
// an installed chrlab runs from any directory with the code that reads
// them unchanged: that folder stands in for a checkout.
package embedded

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"

	"github.com/chrlab/chrlab"
)

// Tree returns a folder holding the embedded files, writing it when it is
// not there yet: <user cache>/chrlab/tree-<hash of the files>. The name
// changes whenever the files do, so a folder once complete is never
// rewritten and two chrlab versions never share one.
func Tree() (string, error) {
	cache, err := os.UserCacheDir()
	if err != nil {
		return "", fmt.Errorf("find a cache folder for chrlab's embedded files: %w", err)
	}
	return TreeIn(filepath.Join(cache, "chrlab"), chrlab.Files)
}

// TreeIn writes files below parent as tree-<hash> unless present and
// returns its path. It writes into a temporary folder and renames it into
// place, so a reader never sees half a tree, and a concurrent chrlab that
// wins the rename leaves the same content.
func TreeIn(parent string, files fs.FS) (string, error) {
	sum, err := Hash(files)
	if err != nil {
		return "", err
	}
	dir := filepath.Join(parent, "tree-"+sum)
	if st, err := os.Stat(dir); err == nil && st.IsDir() {
		return dir, nil
	}
	if err := os.MkdirAll(parent, 0o755); err != nil {
		return "", fmt.Errorf("create the folder for chrlab's embedded files: %w", err)
	}
	tmp, err := os.MkdirTemp(parent, ".tree-")
	if err != nil {
		return "", fmt.Errorf("create the folder for chrlab's embedded files: %w", err)
	}
	if err := os.CopyFS(tmp, files); err != nil {
		os.RemoveAll(tmp)
		return "", fmt.Errorf("write chrlab's embedded files to %s: %w", tmp, err)
	}
	if err := os.Rename(tmp, dir); err != nil {
		os.RemoveAll(tmp)
		// Another chrlab renamed the same content into place first.
		if st, serr := os.Stat(dir); serr == nil && st.IsDir() {
			return dir, nil
		}
		return "", fmt.Errorf("move chrlab's embedded files into %s: %w", dir, err)
	}
	return dir, nil
}

// Hash is a digest of every file's path and content, in fs.WalkDir's
// lexical order: the same files give the same name on every machine.
func Hash(files fs.FS) (string, error) {
	h := sha256.New()
	err := fs.WalkDir(files, ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		f, err := files.Open(p)
		if err != nil {
			return err
		}
		defer f.Close()
		st, err := f.Stat()
		if err != nil {
			return err
		}
		fmt.Fprintf(h, "%d:%s%d:", len(p), p, st.Size())
		_, err = io.Copy(h, f)
		return err
	})
	if err != nil {
		return "", fmt.Errorf("hash chrlab's embedded files: %w", err)
	}
	return hex.EncodeToString(h.Sum(nil))[:16], nil
}
