package config

import (
	"context"
	"testing"
)

// TestLoginNote: a note shows after login by default and before it only
// with RouterOS 7's show-at-cli-login; show-at-login=no and an empty note
// show nothing (the controls).
func TestLoginNote(t *testing.T) {
	for _, c := range []struct{ version, src, after, before string }{
		{"7.16.2", "", "", ""},
		{"7.16.2", `/system note set note="Authorised use only"`, "Authorised use only", ""},
		{"7.16.2", `/system note set note="Keep out" show-at-login=no show-at-cli-login=yes`, "", "Keep out"},
		{"6.49.10", `/system note set note="Hi" show-at-login=no`, "", ""},
	} {
		r := New(Options{Ports: []string{"ether1"}, Version: c.version})
		if _, err := r.Run(context.Background(), c.src); err != nil {
			t.Fatal(err)
		}
		if after, before := r.LoginNote(); after != c.after || before != c.before {
			t.Errorf("%s %q: note %q/%q, want %q/%q", c.version, c.src, after, before, c.after, c.before)
		}
		if hasNotEnforced(r, "/system note", "") {
			t.Errorf("%q: /system note reported", c.src)
		}
	}
}
