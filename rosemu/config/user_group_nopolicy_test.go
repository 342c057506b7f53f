package config

import (
	"strings"
	"testing"
)

// TestUserGroupWithoutPolicy: "/user group add name=nologin" of a 7.18
// export is taken; the group grants nothing, so its user cannot log in;
// the export writes it back without policy and imports again.
func TestUserGroupWithoutPolicy(t *testing.T) {
	r := runShape(t, "7.18", []string{"ether1"}, "/user group\nadd name=nologin\n")
	run(t, r, "/user add name=bob group=nologin password=secret1234")
	if _, ok := r.Login("bob", "secret1234", nil, "ssh", "ssh"); ok {
		t.Error("a user of a group without policy logged in")
	}
	exp := body(r.Export())
	if !strings.Contains(exp, "/user group\nadd name=nologin\n") {
		t.Errorf("export:\n%s", exp)
	}
	if got := body(runShape(t, "7.18", []string{"ether1"}, exp).Export()); got != exp {
		t.Errorf("re-import:\n%s\nwant\n%s", got, exp)
	}
}
