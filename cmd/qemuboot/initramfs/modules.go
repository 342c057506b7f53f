// Package initramfs assembles the vm guest's initramfs at image build time:
// vminit as /init, rosemu, the nft binary with its shared libraries, and the
// kernel modules rosemu needs with their dependencies, in load order.
package initramfs

import (
	"bufio"
	"fmt"
	"io"
	"path"
	"sort"
	"strings"
)

// ModuleDeps is a parsed modules.dep: for each module path (relative to
// /lib/modules/<version>), the paths of the modules it needs.
type ModuleDeps struct {
	deps    map[string][]string
	byName  map[string]string // module name -> path
	builtin map[string]bool   // names of modules built into the kernel
}

// ModuleName returns the name the kernel knows a module file by:
// kernel/net/netfilter/nft-foo.ko -> nft_foo. The kernel treats '-' and '_'
// alike in module names.
func ModuleName(p string) string {
	b := path.Base(p)
	for _, ext := range []string{".xz", ".zst", ".gz"} {
		b = strings.TrimSuffix(b, ext)
	}
	b = strings.TrimSuffix(b, ".ko")
	return strings.ReplaceAll(b, "-", "_")
}

// ParseModuleDeps reads modules.dep and modules.builtin (both from the
// kernel's /lib/modules/<version>; builtin may be nil).
func ParseModuleDeps(dep, builtin io.Reader) (*ModuleDeps, error) {
	m := &ModuleDeps{deps: map[string][]string{}, byName: map[string]string{}, builtin: map[string]bool{}}
	sc := bufio.NewScanner(dep)
	sc.Buffer(make([]byte, 64*1024), 1024*1024)
	for n := 1; sc.Scan(); n++ {
		line := strings.TrimSpace(sc.Text())
		if line == "" {
			continue
		}
		mod, rest, ok := strings.Cut(line, ":")
		if !ok {
			return nil, fmt.Errorf("parse modules.dep line %d: no colon in %q", n, line)
		}
		m.deps[mod] = strings.Fields(rest)
		m.byName[ModuleName(mod)] = mod
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("read modules.dep: %w", err)
	}
	if builtin != nil {
		sc := bufio.NewScanner(builtin)
		for sc.Scan() {
			if l := strings.TrimSpace(sc.Text()); l != "" {
				m.builtin[ModuleName(l)] = true
			}
		}
		if err := sc.Err(); err != nil {
			return nil, fmt.Errorf("read modules.builtin: %w", err)
		}
	}
	return m, nil
}

// Resolve returns the module files (paths relative to /lib/modules/<ver>)
// needed to load every named module, each after everything it depends on,
// so that loading them in this order never fails for a missing symbol.
// Names built into the kernel need no file and are skipped; a name that is
// neither a module nor built in is an error, so that a typo in the list
// does not surface only as a missing feature inside the guest.
func (m *ModuleDeps) Resolve(names []string) ([]string, error) {
	var order []string
	state := map[string]int{} // 1 visiting, 2 done
	var visit func(p string, chain []string) error
	visit = func(p string, chain []string) error {
		switch state[p] {
		case 2:
			return nil
		case 1:
			return fmt.Errorf("resolve module %s: dependency cycle %s", ModuleName(p), strings.Join(append(chain, p), " -> "))
		}
		deps, ok := m.deps[p]
		if !ok {
			return fmt.Errorf("resolve module %s: modules.dep lists it as a dependency of %s but has no line for it", p, strings.Join(chain, " -> "))
		}
		state[p] = 1
		// Sorted so that the order, and so the image, is the same on
		// every build.
		ds := append([]string(nil), deps...)
		sort.Strings(ds)
		for _, d := range ds {
			if err := visit(d, append(chain, p)); err != nil {
				return err
			}
		}
		state[p] = 2
		order = append(order, p)
		return nil
	}
	var missing []string
	for _, n := range names {
		name := strings.ReplaceAll(n, "-", "_")
		p, ok := m.byName[name]
		if !ok {
			if !m.builtin[name] {
				missing = append(missing, n)
			}
			continue
		}
		if err := visit(p, nil); err != nil {
			return nil, err
		}
	}
	if len(missing) > 0 {
		return nil, fmt.Errorf("resolve kernel modules: %s neither in modules.dep nor built in", strings.Join(missing, ", "))
	}
	return order, nil
}

// ReadList reads a list of names, one per line, with # comments.
func ReadList(r io.Reader) ([]string, error) {
	var out []string
	sc := bufio.NewScanner(r)
	for sc.Scan() {
		line, _, _ := strings.Cut(sc.Text(), "#")
		if line = strings.TrimSpace(line); line != "" {
			out = append(out, line)
		}
	}
	return out, sc.Err()
}
