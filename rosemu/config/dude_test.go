package config

import (
	"strings"
	"testing"
)

// TestDudeExportDB: a backup script that saves the Dude's database inside
// ":do { } on-error" compiles and takes its on-error branch (rosemu has
// no Dude database), writing no file; the settings stay as they were.
func TestDudeExportDB(t *testing.T) {
	r := New(Options{Ports: ports})
	run(t, r, `/system script add name=bk source={
  :do {
    /dude export-db backup-file="bk-dude.db"
    :log info "bk: saved"
  } on-error={ :log warning "bk: the Dude is not there" }
}
/system script run bk`)
	if !logHas(r, "bk: the Dude is not there") || logHas(r, "bk: saved") {
		t.Errorf("log %v; want the on-error branch only", r.Log())
	}
	if out := run(t, r, "/file print"); strings.Contains(out, "bk-dude") {
		t.Errorf("a file was written:\n%s", out)
	}
}
