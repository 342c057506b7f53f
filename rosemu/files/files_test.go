package files

import (
	"errors"
	"io/fs"
	"slices"
	"testing"
)

func TestStore(t *testing.T) {
	var s Store
	if err := s.WriteFile("/a.rsc", []byte("x")); err != nil {
		t.Fatal(err)
	}
	if err := s.WriteFile("../../b.rsc", []byte("yy")); err != nil {
		t.Fatal(err)
	}
	if got := s.Names(); !slices.Equal(got, []string{"a.rsc", "b.rsc"}) {
		t.Errorf("names %v: a path cannot leave the store", got)
	}
	if d, err := s.ReadFile("a.rsc"); err != nil || string(d) != "x" {
		t.Errorf("read: %q %v", d, err)
	}
	if _, err := s.ReadFile("c.rsc"); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("missing file: %v", err)
	}
	if err := s.WriteFile("big", make([]byte, MaxTotal)); !errors.Is(err, ErrFull) {
		t.Errorf("over the bound: %v", err)
	}
	if err := s.Remove("a.rsc"); err != nil || s.total != 2 {
		t.Errorf("remove: %v, total %d", err, s.total)
	}
	if err := s.WriteFile("", nil); err == nil {
		t.Error("a file without a name was stored")
	}
}
