package script

import (
	"strings"
	"testing"
)

// TestAbbreviatedNames checks the parser's reading of an unambiguous
// beginning of a menu, command or parameter name as the name.
func TestAbbreviatedNames(t *testing.T) {
	tr := NewTree()
	cmds := func() map[string]*Syntax {
		return map[string]*Syntax{
			"print": {Flags: map[string]bool{"detail": true}},
			"set":   {Params: map[string]bool{"add-default-route": true, "address": true, "address-list": true, "comment": true}, Unnamed: 1},
		}
	}
	tr.Add("ip address", cmds())
	tr.Add("ip address-pool", cmds())
	tr.Add("ip arp", cmds())
	tr.Add("ip dhcp-client", cmds())
	tr.AddKnown("ip neighbor")
	tr.Add("ip neighbor-settings", cmds())
	for _, c := range []struct{ src, path, verb, param, err string }{
		{src: "/ip dhcp-cl set 0 add-def=no", path: "ip dhcp-client", verb: "set", param: "add-default-route"},
		{src: "/ip dh pr", path: "ip dhcp-client", verb: "print"},
		{src: "/ip address print", path: "ip address", verb: "print"}, // exact, though address-pool begins with it
		{src: "/ip address set 0 address=10.0.0.1", path: "ip address", verb: "set", param: "address"},
		{src: "/ip a print", err: "bad command name a"},
		{src: "/ip addr print", err: "bad command name addr"},
		{src: "/ip arp set 0 addr=1", err: "expected end of command"},
		{src: "/ip neighbor print", err: "bad command name neighbor"}, // a menu of another version
	} {
		b, err := Parse(c.src, tr, nil)
		if c.err != "" {
			if err == nil || !strings.HasPrefix(err.Error(), c.err) {
				t.Errorf("%s: %v, want %q", c.src, err, c.err)
			}
			continue
		}
		if err != nil {
			t.Errorf("%s: %v", c.src, err)
			continue
		}
		st := b.Stmts[0].(*CmdStmt)
		if strings.Join(st.Path, " ") != c.path || st.Verb != c.verb {
			t.Errorf("%s: %v %s, want %s %s", c.src, st.Path, st.Verb, c.path, c.verb)
		}
		if c.param != "" && (len(st.Args) < 2 || st.Args[1].Name != c.param) {
			t.Errorf("%s: args %+v, want %s", c.src, st.Args, c.param)
		}
	}
}

// TestAbbreviatedGlobals: an unambiguous beginning of a global command
// names it, as hotspot voucher scripts write ":pic" for :pick; an
// ambiguous one (":p": put, pick, parse) and an unknown one stay refused.
func TestAbbreviatedGlobals(t *testing.T) {
	for src, want := range map[string]string{
		":pic $a 0 2":  "pick",
		":glo G 2":     "global",
		":toa \"1,2\"": "toarray",
		":put 1":       "put", // exact, though no other begins with it
		":set a 1":     "set", // exact, though serialize begins with se
	} {
		b, err := Parse(":local a \"abc\"; "+src, NewTree(), nil)
		if err != nil {
			t.Errorf("%s: %v", src, err)
			continue
		}
		if g, ok := b.Stmts[1].(*GlobalStmt); !ok || g.Name != want {
			t.Errorf("%s: %#v, want :%s", src, b.Stmts[1], want)
		}
	}
	for _, src := range []string{":p \"ab\" 0 1", ":se a 1", ":pickle 1"} {
		if _, err := Parse(":local a; "+src, NewTree(), nil); err == nil || !strings.Contains(err.Error(), "bad command name") {
			t.Errorf("%s: %v, want bad command name", src, err)
		}
	}
}
