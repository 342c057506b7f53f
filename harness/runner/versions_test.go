package runner

import (
	"errors"
	"testing"
)

func TestCheckVersion(t *testing.T) {
	for _, v := range []string{"6.49.18", "7.16.2", "7.20.8"} {
		if err := checkVersion(true, v); err != nil {
			t.Errorf("rosemu %s: %v", v, err)
		}
	}
	for _, v := range []string{"6.48.6", "8.1", "7.x", ""} {
		if err := checkVersion(true, v); !errors.Is(err, ErrVersion) {
			t.Errorf("rosemu %q: error %v, want ErrVersion", v, err)
		}
	}
	if vs, err := Versions(" 6.49.18, 7.16.2 ,7.20.8"); err != nil || len(vs) != 3 || vs[1] != "7.16.2" {
		t.Errorf("Versions = %v, %v", vs, err)
	}
	if _, err := Versions("7.16.2,seven"); !errors.Is(err, ErrVersion) {
		t.Errorf("Versions with a bad one: error %v, want ErrVersion", err)
	}
}
