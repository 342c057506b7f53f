package config

import (
	"context"
	"strings"
	"testing"
)

// TestMenuSweep checks invariants of every menu for both major versions:
// each default is a value its own parser accepts unchanged (so that
// setting a property to its default exports nothing), and print, print
// detail, export and the API's print run on every menu.
func TestMenuSweep(t *testing.T) {
	for _, version := range []string{"6.49.10", "7.16.2", "7.18.2"} {
		r := New(Options{Ports: ports, Version: version})
		tx := r.begin(false)
		for _, m := range menus {
			for _, p := range m.props {
				if p.parse == nil || p.def == "" || !p.forVersion(version) || !m.forVersion(version) {
					continue
				}
				got, err := p.parse(tx, p.name, p.def)
				if err != nil || got != p.def {
					t.Errorf("%s: /%s %s: default %q parses as %q, %v", version, m.path, p.name, p.def, got, err)
				}
			}
			if m.readOnly && m.commands == nil {
				continue
			}
			if !m.forVersion(version) && menuFor(m.path, version).forVersion(version) {
				continue // the version's own menu of that path (/mpls ldp of 6 or 7)
			}
			if !m.forVersion(version) {
				// The version refuses the menu (wireless security profiles
				// from 7.13): print must fail as the menu word is unknown.
				if _, err := r.Run(context.Background(), "/"+m.path+" print"); err == nil || !strings.HasPrefix(err.Error(), "bad command name") {
					t.Errorf("%s: /%s print: %v, want bad command name", version, m.path, err)
				}
				continue
			}
			if _, hasPrint := m.commands["print"]; hasPrint {
				continue // reads the kernel
			}
			cmds := []string{"/" + m.path + " print", "/" + m.path + " export"}
			if !m.single {
				cmds = append(cmds, "/"+m.path+" print detail")
			}
			for _, c := range cmds {
				if _, err := r.Run(context.Background(), c); err != nil {
					t.Errorf("%s: %s: %v", version, c, err)
				}
			}
			if _, _, err := r.Command(context.Background(), "/"+strings.ReplaceAll(m.path, " ", "/")+"/print", nil); err != nil {
				t.Errorf("%s: API print /%s: %v", version, m.path, err)
			}
		}
		// A fresh router exports nothing but its header: every built-in
		// item is at its default.
		if exp := body(r.Export()); strings.Count(exp, "\n") > 2 {
			t.Errorf("%s: default router exports:\n%s", version, exp)
		}
	}
}
