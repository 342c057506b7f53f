package lab

import (
	"os"
	"path/filepath"
	"testing"
)

// FuzzLab feeds the lab loader arbitrary YAML, seeded with every lab of
// the repository: it returns a spec or an error and never panics.
func FuzzLab(f *testing.F) {
	files, _ := filepath.Glob("../../labs/*.yaml")
	for _, file := range files {
		data, err := os.ReadFile(file)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(data)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		s, err := Parse("/l/lab.yaml", data)
		if err == nil && s == nil {
			t.Fatal("no spec and no error")
		}
	})
}
