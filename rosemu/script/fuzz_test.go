package script

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// FuzzInterp compiles and runs any source against a recording host with a
// step bound and a deadline: the interpreter may fail, never panic or run
// past its bounds.
func FuzzInterp(f *testing.F) {
	for _, pat := range []string{"../../labs/*.rsc", "../../scenarios/*/router.rsc"} {
		files, _ := filepath.Glob(pat)
		for _, file := range files {
			data, err := os.ReadFile(file)
			if err != nil {
				f.Fatal(err)
			}
			f.Add(string(data))
		}
	}
	for _, s := range []string{
		":for i from=1 to=10 do={ :put $i }", ":foreach k,v in={a=1;b=2} do={ :put ($k . $v) }",
		":local a {1;2;{3;4}}; :set ($a->2->0) 9; :put [:len $a]", ":put [:pick \"abcdef\" 2 4]",
		":put [:find \"abc\" \"c\" -1]", ":local f do={ :return ($1 * 2) }; :put [$f 21]",
		":do { :error x } on-error={ :put caught }", ":put [:tostr [:toarray \"1,2,3\"]]",
		":while (true) do={}", ":put (1.1.1.1 + 5)", ":put [:typeof [:totime \"1d2h\"]]",
		":global g; :set g ($g . \"x\"); :put $g", ":local s [:parse \":put 1\"]; $s",
	} {
		f.Add(s)
	}
	tree := testTree()
	f.Fuzz(func(t *testing.T, src string) {
		b, err := Parse(src, tree, nil)
		if err != nil {
			return
		}
		ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
		defer cancel()
		in := NewInterp(&recorder{})
		in.Schema = tree
		in.MaxSteps = 20000
		start := time.Now()
		err = in.Run(ctx, b)
		if d := time.Since(start); d > 5*time.Second {
			t.Fatalf("ran %v past its bounds", d)
		}
		if err != nil && strings.Contains(err.Error(), "runtime error") {
			t.Fatalf("run: %v", err)
		}
	})
}
