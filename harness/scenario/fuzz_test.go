package scenario

import (
	"os"
	"path/filepath"
	"testing"
)

// FuzzScenario parses any scenario YAML: an error names the file, and
// nothing panics (the positions of configure steps' rsc included).
func FuzzScenario(f *testing.F) {
	files, _ := filepath.Glob("../../scenarios/*/scenario.yaml")
	for _, file := range files {
		data, err := os.ReadFile(file)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(data)
	}
	f.Add([]byte(head + "  - action: configure\n    rsc: |\n      /ip address print\n"))
	f.Add([]byte("\xef\xbb\xbf"))
	f.Fuzz(func(t *testing.T, data []byte) {
		s, err := Parse("f.yaml", data)
		if err != nil {
			if len(err.Error()) < len("f.yaml") || err.Error()[:len("f.yaml")] != "f.yaml" {
				t.Fatalf("error does not name the file: %v", err)
			}
			return
		}
		for _, st := range s.Steps {
			if st.Action == Configure && (st.RSCLine < 1 || st.RSCCol < 1) {
				t.Fatalf("configure step without a position of its rsc: %+v", st)
			}
		}
	})
}
