package initramfs

import (
	"bytes"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"strings"
)

// Options says what goes into the initramfs. Paths are absolute paths as
// seen inside Root, which is "/" when the image build runs it.
type Options struct {
	Root    string   // the filesystem to take files from
	Kernel  string   // kernel version under /lib/modules; empty: the only one
	Modules []string // module names to load, with their dependencies
	Init    string   // vminit, installed as /init
	Rosemu  string   // installed as /bin/rosemu
	Nft     string   // installed as /usr/sbin/nft with its libraries
	// Programs are more files the guest's rosemu runs (BIRD for OSPF,
	// strongSwan's charon for IPsec), each installed at its own path: an
	// ELF file with its libraries, another file as it is, a directory
	// with every file below it (charon's plugins, its configuration).
	Programs []string
}

// Paths inside the guest that vminit relies on.
const (
	GuestRosemu     = "/bin/rosemu"
	GuestNft        = "/usr/sbin/nft"
	GuestModuleList = "/etc/chrlab/modules" // absolute .ko paths, one a line, in load order
)

// Summary says what Build put in, for the build log.
type Summary struct {
	Kernel  string
	Modules []string
	Libs    []string
	Bytes   int64
}

// Build writes an uncompressed newc initramfs to w. Uncompressed because
// the kernel unpacks it faster than it could decompress it, and the image
// layer is compressed by the registry anyway.
func Build(o Options, w io.Writer) (Summary, error) {
	var s Summary
	root := o.Root
	if root == "" {
		root = "/"
	}
	kver := o.Kernel
	if kver == "" {
		vers, err := os.ReadDir(filepath.Join(root, "lib/modules"))
		if err != nil {
			return s, fmt.Errorf("list kernels in %s: %w", filepath.Join(root, "lib/modules"), err)
		}
		if len(vers) != 1 {
			return s, fmt.Errorf("pick the kernel in %s: want exactly one version, found %d", filepath.Join(root, "lib/modules"), len(vers))
		}
		kver = vers[0].Name()
	}
	s.Kernel = kver
	modDir := path.Join("/lib/modules", kver)
	dep, err := os.Open(filepath.Join(root, modDir, "modules.dep"))
	if err != nil {
		return s, fmt.Errorf("open modules.dep of kernel %s: %w", kver, err)
	}
	defer dep.Close()
	var builtin io.Reader
	if f, err := os.Open(filepath.Join(root, modDir, "modules.builtin")); err == nil {
		defer f.Close()
		builtin = f
	}
	md, err := ParseModuleDeps(dep, builtin)
	if err != nil {
		return s, err
	}
	mods, err := md.Resolve(o.Modules)
	if err != nil {
		return s, err
	}
	files, err := expandPrograms(root, o.Programs)
	if err != nil {
		return s, err
	}
	var elfs []string
	for _, f := range files {
		if f.elf {
			elfs = append(elfs, f.path)
		}
	}
	var libs []string
	seenLib := map[string]bool{}
	for _, bin := range append([]string{o.Nft}, elfs...) {
		ls, err := SharedLibs(root, bin)
		if err != nil {
			return s, err
		}
		for _, l := range ls {
			if !seenLib[l] {
				seenLib[l] = true
				libs = append(libs, l)
			}
		}
	}
	s.Libs = libs

	cw := &countWriter{w: w}
	c := newCPIO(cw)
	for _, d := range []string{"dev", "proc", "sys", "run", "tmp", "var/lib/rosemu", "etc/chrlab"} {
		c.Dir(d)
	}
	// The kernel opens /dev/console for init's standard streams before
	// init can mount devtmpfs: without the node init would start with
	// none and its output would be lost.
	c.charDev("dev/console", 5, 1)
	// netns names live under /var/run/netns, /run on Debian.
	c.Symlink("var/run", "../run")
	copyFile := func(src, dst string, perm uint32) error {
		data, err := os.ReadFile(filepath.Join(root, src))
		if err != nil {
			return fmt.Errorf("read %s for the initramfs: %w", src, err)
		}
		c.File(dst, perm, data)
		return nil
	}
	if err := copyFile(o.Init, "/init", 0o755); err != nil {
		return s, err
	}
	if same, err := sameFile(root, o.Init, o.Rosemu); err != nil {
		return s, err
	} else if same {
		// An installed chrlab is both (it acts as the program it is
		// called as): a link keeps one copy in the guest's memory.
		c.Symlink(GuestRosemu, "/init")
	} else if err := copyFile(o.Rosemu, GuestRosemu, 0o755); err != nil {
		return s, err
	}
	if err := copyFile(o.Nft, GuestNft, 0o755); err != nil {
		return s, err
	}
	for _, f := range files {
		perm := uint32(0o644)
		if f.elf {
			perm = 0o755
		}
		if err := copyFile(f.path, f.path, perm); err != nil {
			return s, err
		}
	}
	for _, l := range libs {
		if err := copyFile(l, l, 0o755); err != nil {
			return s, err
		}
	}
	// nft and Go's resolver read these when present; they are optional.
	for _, f := range []string{"/etc/protocols", "/etc/services"} {
		if _, err := os.Stat(filepath.Join(root, f)); err == nil {
			if err := copyFile(f, f, 0o644); err != nil {
				return s, err
			}
		}
	}
	var list bytes.Buffer
	for _, m := range mods {
		p := path.Join(modDir, m)
		if err := copyFile(p, p, 0o644); err != nil {
			return s, err
		}
		list.WriteString(p + "\n")
		s.Modules = append(s.Modules, ModuleName(m))
	}
	c.File(GuestModuleList, 0o644, list.Bytes())
	if err := c.Close(); err != nil {
		return s, fmt.Errorf("write the initramfs: %w", err)
	}
	s.Bytes = cw.n
	return s, nil
}

// charDev adds a character device node.
func (c *cpioWriter) charDev(name string, major, minor uint32) {
	name = strings.TrimPrefix(path.Clean("/"+name), "/")
	c.mkdirAll(path.Dir(name))
	if c.err != nil {
		return
	}
	c.ino++
	hdr := fmt.Sprintf("070701%08X%08X%08X%08X%08X%08X%08X%08X%08X%08X%08X%08X%08X",
		c.ino, uint32(0o020000|0o600), 0, 0, 1, 0, 0, 0, 0, major, minor, len(name)+1, 0)
	c.write([]byte(hdr))
	c.write([]byte(name + "\x00"))
	c.pad(len(hdr) + len(name) + 1)
}

type countWriter struct {
	w io.Writer
	n int64
}

func (c *countWriter) Write(p []byte) (int, error) {
	n, err := c.w.Write(p)
	c.n += int64(n)
	return n, err
}

// sameFile reports whether two files below root hold the same bytes.
func sameFile(root, a, b string) (bool, error) {
	da, err := os.ReadFile(filepath.Join(root, a))
	if err != nil {
		return false, fmt.Errorf("read %s for the initramfs: %w", a, err)
	}
	db, err := os.ReadFile(filepath.Join(root, b))
	if err != nil {
		return false, fmt.Errorf("read %s for the initramfs: %w", b, err)
	}
	return bytes.Equal(da, db), nil
}

// programFile is one file Options.Programs puts in the guest.
type programFile struct {
	path string
	elf  bool // installed executable, with its libraries
}

// expandPrograms lists the files of Options.Programs: a file itself, a
// directory every regular file below it (a link to a file counts as the
// file it names, as copyFile reads through it).
func expandPrograms(root string, programs []string) ([]programFile, error) {
	var out []programFile
	add := func(p string) error {
		f, err := os.Open(filepath.Join(root, p))
		if err != nil {
			return fmt.Errorf("read %s for the initramfs: %w", p, err)
		}
		defer f.Close()
		magic := make([]byte, 4)
		n, _ := io.ReadFull(f, magic)
		out = append(out, programFile{path: p, elf: n == 4 && string(magic) == "\x7fELF"})
		return nil
	}
	for _, p := range programs {
		st, err := os.Stat(filepath.Join(root, p))
		if err != nil {
			return nil, fmt.Errorf("read %s for the initramfs: %w", p, err)
		}
		if !st.IsDir() {
			if err := add(p); err != nil {
				return nil, err
			}
			continue
		}
		err = filepath.WalkDir(filepath.Join(root, p), func(full string, d fs.DirEntry, err error) error {
			if err != nil || d.IsDir() {
				return err
			}
			if st, err := os.Stat(full); err != nil || !st.Mode().IsRegular() {
				return err
			}
			rel, err := filepath.Rel(root, full)
			if err != nil {
				return err
			}
			return add("/" + filepath.ToSlash(rel))
		})
		if err != nil {
			return nil, fmt.Errorf("list %s for the initramfs: %w", p, err)
		}
	}
	return out, nil
}
