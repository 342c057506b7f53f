package scenario

import (
	"os"
	"path/filepath"
	"testing"
)

// FuzzScenarioPaths feeds the scenario loader arbitrary YAML, seeded with every
// scenario of the repository: it must return a scenario or an error, never
// panic, and a scenario it accepts must name no file outside its folder.
func FuzzScenarioPaths(f *testing.F) {
	files, _ := filepath.Glob("../../scenarios/*/scenario.yaml")
	for _, file := range files {
		data, err := os.ReadFile(file)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(data)
	}
	f.Add([]byte("name: ../x\nlab: hairpin\nrouter: r.rsc\nsteps:\n  - probe: tcp\n    from: a\n    to: b:1\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		s, err := Parse("/s/x/scenario.yaml", data)
		if err != nil {
			return
		}
		if !SafeName(s.Name) {
			t.Errorf("accepted name %q, which is not one path element", s.Name)
		}
		if !s.RouterInline && !filepath.IsLocal(s.Router) {
			t.Errorf("accepted router %q outside the scenario's folder", s.Router)
		}
		if s.Lab != "inline" && !filepath.IsLocal(s.Lab) {
			t.Errorf("accepted lab %q outside the scenario's folder", s.Lab)
		}
	})
}
