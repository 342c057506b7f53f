package runner

import (
	"context"
	"strings"
	"testing"
)

// fakeInterfaces answers /interface prints from a list of names.
type fakeInterfaces []string

func (f fakeInterfaces) Print(_ context.Context, path string, words ...string) ([]map[string]string, error) {
	var out []map[string]string
	for _, n := range f {
		if len(words) == 0 || words[0] == "?name="+n {
			out = append(out, map[string]string{"name": n})
		}
	}
	return out, nil
}

func TestCheckInterface(t *testing.T) {
	router := fakeInterfaces{"ether1", "ether2", "bridge-lan", "vlan20", "pppoe-out1"}
	for _, name := range []string{"vlan20", "pppoe-out1", "bridge-lan", "ether2"} {
		if err := checkInterface(context.Background(), router, name, name); err != nil {
			t.Errorf("router.%s: %v", name, err)
		}
	}
	err := checkInterface(context.Background(), router, "vlan30", "vlan30")
	if err == nil {
		t.Fatal("router.vlan30 resolved on a router without vlan30")
	}
	for _, want := range []string{`router.vlan30`, `no interface "vlan30"`, "vlan20, pppoe-out1"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error %q lacks %q", err, want)
		}
	}
}
