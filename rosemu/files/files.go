// Package files is the router's file store (RouterOS's /file): what a user
// uploads over SFTP, for /import to run. It lives in memory, as rosemu's
// configuration does, and is bounded so that uploads cannot exhaust the
// daemon's memory.
package files

import (
	"errors"
	"io"
	"io/fs"
	"os"
	"path"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/pkg/sftp"
)

// MaxTotal bounds the bytes all files hold together: RouterOS's own bound
// is its flash, which on a CHR is far larger than any configuration.
const MaxTotal = 64 << 20

// ErrFull is returned by a write that would exceed MaxTotal.
var ErrFull = errors.New("not enough space on the router's file store")

// Store holds the files by name ("x.rsc", "dir/x.rsc"). The zero value is
// empty and ready; it is safe for concurrent use.
type Store struct {
	mu    sync.Mutex
	files map[string]file
	total int
}

type file struct {
	data []byte
	mod  time.Time
}

// clean turns an SFTP or console path into a store name: no leading "/",
// no "." or ".." parts.
func clean(name string) string {
	return strings.TrimPrefix(path.Clean("/"+name), "/")
}

// ReadFile returns a copy of the named file.
func (s *Store) ReadFile(name string) ([]byte, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	f, ok := s.files[clean(name)]
	if !ok {
		return nil, fs.ErrNotExist
	}
	return append([]byte(nil), f.data...), nil
}

// WriteFile creates or replaces the named file.
func (s *Store) WriteFile(name string, data []byte) error {
	name = clean(name)
	if name == "" {
		return fs.ErrInvalid
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	old := len(s.files[name].data)
	if s.total-old+len(data) > MaxTotal {
		return ErrFull
	}
	if s.files == nil {
		s.files = map[string]file{}
	}
	s.files[name] = file{data: append([]byte(nil), data...), mod: time.Now()}
	s.total += len(data) - old
	return nil
}

// Remove deletes the named file.
func (s *Store) Remove(name string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	name = clean(name)
	f, ok := s.files[name]
	if !ok {
		return fs.ErrNotExist
	}
	s.total -= len(f.data)
	delete(s.files, name)
	return nil
}

// Names lists the files, sorted.
func (s *Store) Names() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]string, 0, len(s.files))
	for n := range s.files {
		out = append(out, n)
	}
	sort.Strings(out)
	return out
}

// SFTP returns the handlers of an SFTP server over the store: upload,
// download, list, stat, remove and rename of files in its one folder.
func (s *Store) SFTP() sftp.Handlers {
	h := handlers{s}
	return sftp.Handlers{FileGet: h, FilePut: h, FileCmd: h, FileList: h}
}

type handlers struct{ s *Store }

func (h handlers) Fileread(r *sftp.Request) (io.ReaderAt, error) {
	data, err := h.s.ReadFile(r.Filepath)
	if err != nil {
		return nil, os.ErrNotExist
	}
	return strings.NewReader(string(data)), nil
}

// Filewrite collects an upload and stores it when the client closes it.
func (h handlers) Filewrite(r *sftp.Request) (io.WriterAt, error) {
	if clean(r.Filepath) == "" {
		return nil, os.ErrInvalid
	}
	return &upload{s: h.s, name: r.Filepath}, nil
}

func (h handlers) Filecmd(r *sftp.Request) error {
	switch r.Method {
	case "Remove":
		if err := h.s.Remove(r.Filepath); err != nil {
			return os.ErrNotExist
		}
		return nil
	case "Rename":
		data, err := h.s.ReadFile(r.Filepath)
		if err != nil {
			return os.ErrNotExist
		}
		if err := h.s.WriteFile(r.Target, data); err != nil {
			return err
		}
		return h.s.Remove(r.Filepath)
	case "Setstat":
		// Clients set times and modes after an upload; the store keeps
		// neither.
		return nil
	}
	return sftp.ErrSSHFxOpUnsupported
}

func (h handlers) Filelist(r *sftp.Request) (sftp.ListerAt, error) {
	switch r.Method {
	case "List":
		var infos listing
		h.s.mu.Lock()
		for n, f := range h.s.files {
			infos = append(infos, info{name: n, size: int64(len(f.data)), mod: f.mod})
		}
		h.s.mu.Unlock()
		sort.Slice(infos, func(i, j int) bool { return infos[i].Name() < infos[j].Name() })
		return infos, nil
	case "Stat":
		name := clean(r.Filepath)
		if name == "" {
			return listing{info{name: "/", dir: true}}, nil
		}
		h.s.mu.Lock()
		f, ok := h.s.files[name]
		h.s.mu.Unlock()
		if !ok {
			return nil, os.ErrNotExist
		}
		return listing{info{name: path.Base(name), size: int64(len(f.data)), mod: f.mod}}, nil
	}
	return nil, sftp.ErrSSHFxOpUnsupported
}

// upload is one file being written; it reaches the store on Close.
type upload struct {
	s    *Store
	name string
	mu   sync.Mutex
	buf  []byte
}

func (u *upload) WriteAt(p []byte, off int64) (int, error) {
	u.mu.Lock()
	defer u.mu.Unlock()
	end := int(off) + len(p)
	if off < 0 || end > MaxTotal {
		return 0, ErrFull
	}
	if end > len(u.buf) {
		u.buf = append(u.buf, make([]byte, end-len(u.buf))...)
	}
	copy(u.buf[off:], p)
	return len(p), nil
}

func (u *upload) Close() error {
	u.mu.Lock()
	defer u.mu.Unlock()
	return u.s.WriteFile(u.name, u.buf)
}

type listing []os.FileInfo

func (l listing) ListAt(out []os.FileInfo, off int64) (int, error) {
	if off >= int64(len(l)) {
		return 0, io.EOF
	}
	n := copy(out, l[off:])
	if off+int64(n) >= int64(len(l)) {
		return n, io.EOF
	}
	return n, nil
}

type info struct {
	name string
	size int64
	mod  time.Time
	dir  bool
}

func (i info) Name() string { return i.name }
func (i info) Size() int64  { return i.size }
func (i info) Mode() fs.FileMode {
	if i.dir {
		return fs.ModeDir | 0o755
	}
	return 0o644
}
func (i info) ModTime() time.Time { return i.mod }
func (i info) IsDir() bool        { return i.dir }
func (i info) Sys() any           { return nil }
