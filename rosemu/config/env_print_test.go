package config

import (
	"context"
	"strings"
	"testing"
	"time"
)

// TestEnvironmentPrint: the Scripting page's own example, ":global myVar
// true; :environment print;", prints the global, at the console and in
// the offline check. The control: without the :global, nothing named
// myVar is printed; a verb other than print is refused.
func TestEnvironmentPrint(t *testing.T) {
	r := New(Options{Ports: ports})
	if out := run(t, r, ":global myVar true; :environment print;"); !strings.Contains(out, "myVar") || !strings.Contains(out, "true") {
		t.Errorf(":environment print:\n%s", out)
	}
	if out := run(t, New(Options{Ports: ports}), ":environment print;"); strings.Contains(out, "myVar") {
		t.Errorf("control printed myVar:\n%s", out)
	}
	if v := New(Options{Ports: ports}).Validate(context.Background(), ":global myVar true; :environment print;\n", 2*time.Second); v.Count(Refused) != 0 {
		t.Errorf("validate: %+v", v.Findings)
	}
	if _, err := New(Options{Ports: ports}).Run(context.Background(), ":environment remove"); err == nil || !strings.Contains(err.Error(), "bad command name remove") {
		t.Errorf(":environment remove: %v", err)
	}
}
