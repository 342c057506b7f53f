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

// /system script environment print's non-console forms: count-only counts
// the rows where picks; the API gets one row per global, values as text;
// as-value gives each global's value as its own type (a num stays a num),
// not as the string the other run-time menus' as-value gives.
func TestEnvironmentPrintForms(t *testing.T) {
	r := New(Options{Ports: ports})
	out := run(t, r, `:global n 5; :global s "x"; :global b true
:foreach e in=[/system script environment print as-value] do={:put (($e->"name") . " " . [:typeof ($e->"value")] . " " . [:typeof ($e->".id")] . " " . ($e->"user"))}
:put [/system script environment print count-only where name~"^[nb]"]`)
	if want := "b bool id admin\nn num id admin\ns str id admin\n2\n"; out != want {
		t.Errorf("as-value and count-only: %q, want %q", out, want)
	}
	rows, _, err := r.Command(context.Background(), "/system/script/environment/print", nil)
	if err != nil || len(rows) != 3 {
		t.Fatalf("API print: %v %v", rows, err)
	}
	if n, _ := rows[1].Get("name"); n != "n" {
		t.Errorf("API row 1 name %q, want n", n)
	}
	if v, _ := rows[1].Get("value"); v != "5" {
		t.Errorf("API row 1 value %q, want 5", v)
	}
	if _, ret, err := r.Command(context.Background(), "/system/script/environment/print", map[string]string{"count-only": ""}); err != nil || ret != "3" {
		t.Errorf("API count-only: %q %v", ret, err)
	}
}
