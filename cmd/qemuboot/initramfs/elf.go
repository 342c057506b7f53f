package initramfs

import (
	"debug/elf"
	"fmt"
	"os"
	"path"
	"path/filepath"
	"strings"
)

// libDirs are where the Debian dynamic linker looks for libraries on
// amd64, in its order.
var libDirs = []string{"/lib/x86_64-linux-gnu", "/usr/lib/x86_64-linux-gnu", "/lib64", "/lib", "/usr/lib"}

// SharedLibs returns the dynamic linker and every shared library the ELF
// binary at bin needs, transitively, as absolute paths inside root (the
// paths the guest's dynamic linker will look at). This is what ldd prints,
// without running the binary.
func SharedLibs(root, bin string) ([]string, error) {
	var out []string
	seen := map[string]bool{}
	var walk func(p string) error
	walk = func(p string) error {
		f, err := elf.Open(filepath.Join(root, p))
		if err != nil {
			return fmt.Errorf("read ELF %s: %w", p, err)
		}
		defer f.Close()
		for _, prog := range f.Progs {
			if prog.Type != elf.PT_INTERP {
				continue
			}
			data := make([]byte, prog.Filesz)
			if _, err := prog.ReadAt(data, 0); err != nil {
				return fmt.Errorf("read the interpreter of %s: %w", p, err)
			}
			interp := string(data[:len(data)-1]) // NUL-terminated
			if !seen[interp] {
				seen[interp] = true
				out = append(out, interp)
			}
		}
		needed, err := f.ImportedLibraries()
		if err != nil {
			return fmt.Errorf("read the libraries %s needs: %w", p, err)
		}
		dirs, err := searchPath(f, p)
		if err != nil {
			return err
		}
		for _, lib := range needed {
			found := ""
			for _, d := range dirs {
				c := filepath.Join(d, lib)
				if _, err := os.Stat(filepath.Join(root, c)); err == nil {
					found = c
					break
				}
			}
			if found == "" {
				return fmt.Errorf("find library %s, needed by %s, in %v under %s", lib, p, dirs, root)
			}
			if seen[found] {
				continue
			}
			seen[found] = true
			out = append(out, found)
			if err := walk(found); err != nil {
				return err
			}
		}
		return nil
	}
	if err := walk(bin); err != nil {
		return nil, err
	}
	return out, nil
}

// searchPath is where the dynamic linker looks for the libraries the
// object at p needs: its DT_RPATH (when it has no DT_RUNPATH) or
// DT_RUNPATH first, then libDirs. strongSwan's charon and plugins find
// libstrongswan and libcharon through a RUNPATH of /usr/lib/ipsec.
func searchPath(f *elf.File, p string) ([]string, error) {
	paths, err := f.DynString(elf.DT_RUNPATH)
	if err != nil {
		return nil, fmt.Errorf("read the RUNPATH of %s: %w", p, err)
	}
	if len(paths) == 0 {
		if paths, err = f.DynString(elf.DT_RPATH); err != nil {
			return nil, fmt.Errorf("read the RPATH of %s: %w", p, err)
		}
	}
	var dirs []string
	for _, s := range paths {
		for _, d := range strings.Split(s, ":") {
			d = strings.ReplaceAll(strings.ReplaceAll(d, "${ORIGIN}", "$ORIGIN"), "$ORIGIN", path.Dir(p))
			if d != "" {
				dirs = append(dirs, d)
			}
		}
	}
	return append(dirs, libDirs...), nil
}
