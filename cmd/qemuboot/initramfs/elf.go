package initramfs

import (
	"debug/elf"
	"fmt"
	"os"
	"path/filepath"
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
		for _, lib := range needed {
			found := ""
			for _, d := range libDirs {
				c := filepath.Join(d, lib)
				if _, err := os.Stat(filepath.Join(root, c)); err == nil {
					found = c
					break
				}
			}
			if found == "" {
				return fmt.Errorf("find library %s, needed by %s, in %v under %s", lib, p, libDirs, root)
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
