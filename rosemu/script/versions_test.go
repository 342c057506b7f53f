package script

import "testing"

// TestGlobalCommandsByVersion: a RouterOS version refuses the global
// commands it lacks, "bad command name <name>" at the name (forum35 D3):
// 6.49 every v7 command, 7.10 :onerror (7.13). Controls: 7.13 and a
// source parsed without a version take them, and 6.49 keeps its own.
func TestGlobalCommandsByVersion(t *testing.T) {
	v7 := []string{
		`:onerror e in={:error x} do={:put $e}`, `:put [:convert "abc" to=hex]`,
		`:put [:serialize to=json {1;2}]`, `:retry command={:put a} max=2 delay=1s`,
		`:put [:rndstr length=4]`, `:put [:deserialize from=json value="[1]"]`,
	}
	want6 := []string{
		"bad command name onerror (line 1 column 2)", "bad command name convert (line 1 column 8)",
		"bad command name serialize (line 1 column 8)", "bad command name retry (line 1 column 2)",
		"bad command name rndstr (line 1 column 8)", "bad command name deserialize (line 1 column 8)",
	}
	for i, src := range v7 {
		_, err := ParseWith(src, ParseOptions{Schema: testTree(), Version: "6.49.18"})
		if err == nil || err.Error() != want6[i] {
			t.Errorf("6.49.18 %q: %v, want %q", src, err, want6[i])
		}
		for _, v := range []string{"7.13", "7.16.2", ""} {
			if _, err := ParseWith(src, ParseOptions{Schema: testTree(), Version: v}); err != nil {
				t.Errorf("%q %q: %v", v, src, err)
			}
		}
	}
	if _, err := ParseWith(v7[0], ParseOptions{Schema: testTree(), Version: "7.10"}); err == nil || err.Error() != "bad command name onerror (line 1 column 2)" {
		t.Errorf("7.10 :onerror: %v", err)
	}
	if _, err := ParseWith(v7[1], ParseOptions{Schema: testTree(), Version: "7.10"}); err != nil {
		t.Errorf("7.10 :convert: %v", err)
	}
	// :serialize and :deserialize came with 7.13 (its changelog): 7.12
	// refuses them at the name, 7.13 takes them (ver46 D1).
	for _, c := range []struct{ ver, src, wantErr string }{
		{"7.12", v7[2], "bad command name serialize (line 1 column 8)"},
		{"7.12.1", v7[5], "bad command name deserialize (line 1 column 8)"},
		{"7.1", v7[2], "bad command name serialize (line 1 column 8)"},
		{"7.13", v7[2], ""},
		{"7.13", v7[5], ""},
		{"7.13rc1", v7[5], ""},
	} {
		_, err := ParseWith(c.src, ParseOptions{Schema: testTree(), Version: c.ver})
		got := ""
		if err != nil {
			got = err.Error()
		}
		if got != c.wantErr {
			t.Errorf("%s %q: err %q, want %q", c.ver, c.src, got, c.wantErr)
		}
	}
	if _, err := ParseWith(`:do {:put [:pick "abc" 0 1]} on-error={:log info x}`, ParseOptions{Schema: testTree(), Version: "6.49.18"}); err != nil {
		t.Errorf("6.49.18's own commands: %v", err)
	}
}

// TestSlashPathByVersion: RouterOS 6 refuses the v7 slash-separated path
// ("/ip/firewall/filter/add"), "bad command name" at the path's first
// word (forum35 D3); 7.x takes it, and 6.49 keeps the space-separated form.
func TestSlashPathByVersion(t *testing.T) {
	src := "/ip/firewall/filter/add chain=input action=accept"
	_, err := ParseWith(src, ParseOptions{Schema: testTree(), Version: "6.49.18"})
	if want := "bad command name ip/firewall/filter/add (line 1 column 2)"; err == nil || err.Error() != want {
		t.Errorf("6.49.18 %q: %v, want %q", src, err, want)
	}
	if _, err := ParseWith(":local a 1\n/ip firewall/filter add chain=input", ParseOptions{Schema: testTree(), Version: "6.49.18"}); err == nil {
		t.Error("6.49.18 took ip firewall/filter")
	}
	for _, v := range []string{"7.16.2", "7.10", ""} {
		if _, err := ParseWith(src, ParseOptions{Schema: testTree(), Version: v}); err != nil {
			t.Errorf("%q %q: %v", v, src, err)
		}
	}
	if _, err := ParseWith("/ip firewall filter add chain=input action=accept\n/ip firewall filter\nadd chain=forward", ParseOptions{Schema: testTree(), Version: "6.49.18"}); err != nil {
		t.Errorf("6.49.18 space-separated: %v", err)
	}
}
