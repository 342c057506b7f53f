package routefilter

import (
	"net/netip"
	"strings"
	"testing"
)

// TestParse reads the rule shapes of real exports and the manual: a bare
// action, "dst==" without spaces, nested and/or/not, else if, set and
// append with a comma list, and trailing semicolons.
func TestParse(t *testing.T) {
	for _, tc := range []struct{ rule, want string }{
		{"accept", "[{accept  }]"},
		{"if ( dst==192.168.0.0/16) { reject }", "[{{== [] dst 192.168.0.0/16} [{reject  }] []}]"},
		{"if (dst in 10.0.0.0/8 && dst-len>24) {reject;} else {set bgp-local-pref 200; accept;}",
			"[{{&& [{in [] dst 10.0.0.0/8} {> [] dst-len 24}]  } [{reject  }] [{set bgp-local-pref 200} {accept  }]}]"},
		{"if (!(protocol bgp) || afi ipv6) { return }", "[{{|| [{! [{ [] protocol bgp}]  } { [] afi ipv6}]  } [{return  }] []}]"},
		{"if (dst-len in 8-24) { jump other } else if (dst==0.0.0.0/0) { reject }", "[{{in [] dst-len 8-24} [{jump other }] [{{== [] dst 0.0.0.0/0} [{reject  }] []}]}]"},
		{"append bgp-communities 65000:1,no-export; accept", "[{append bgp-communities 65000:1,no-export} {accept  }]"},
	} {
		ss, err := Parse(tc.rule)
		if err != nil {
			t.Errorf("%q: %v", tc.rule, err)
			continue
		}
		if got := fmtStmts(ss); got != tc.want {
			t.Errorf("%q:\n got %s\nwant %s", tc.rule, got, tc.want)
		}
	}
	for _, bad := range []string{"if (dst in 10.0.0.0/8 { reject }", "if dst in 10.0.0.0/8 { reject }", "frobnicate", "set bgp-med", "if () { accept }"} {
		if _, err := Parse(bad); err == nil {
			t.Errorf("%q parsed", bad)
		}
	}
}

// TestBIRD: a chain renders to a BIRD function per chain (jumps first),
// and what rosemu cannot apply is an error naming the chain and rule:
// a list instead of a prefix, an AS-path expression, a next hop, a
// distance out of range, a chain that jumps into itself. (The functions' syntax is
// checked by BIRD in rosemu/service/bird's TestRender.)
func TestBIRD(t *testing.T) {
	chains := Chains{
		"in":  {"if (dst-len > 24) { reject }", "jump sub", "set bgp-local-pref 150", "accept"},
		"sub": {"if (dst in 10.0.0.0/8 || dst in bogons) { reject }", "return"},
	}
	code, fn, err := BIRD(chains, Lists{"bogons": {netip.MustParsePrefix("10.0.0.0/8"), netip.MustParsePrefix("192.168.0.0/16")}}, "in", "f", 65001)
	if err != nil {
		t.Fatal(err)
	}
	if fn != "f1" || !strings.Contains(code, "function f0()") || strings.Index(code, "function f0()") > strings.Index(code, "function f1()") ||
		!strings.Contains(code, "case f0() {") || !strings.Contains(code, "bgp_local_pref = 150;") || !strings.Contains(code, "(net ~ 10.0.0.0/8)") || !strings.Contains(code, "(net ~ [ 10.0.0.0/8+, 192.168.0.0/16+ ])") {
		t.Errorf("entry %s:\n%s", fn, code)
	}
	if got := Reach(chains, "in"); strings.Join(got, ",") != "in,sub" {
		t.Errorf("Reach = %v", got)
	}
	for _, tc := range []struct{ rule, want string }{
		{"if (dst in nolist) { reject }", "no IPv4 address list of that name"},
		{"if (bgp-as-path .*65002.*) { reject }", "bgp-as-path  .*65002.* is not modelled"},
		{"set gw 10.0.0.1", "set gw is not modelled"},
		{"set distance 256; accept", "set distance 256: want 0 to 255"},
		{"set distance x; accept", "set distance x: want 0 to 255"},
		{"jump in", "jumps back into itself"},
		{"if (protocol connected) { accept }", "protocol connected is not modelled"},
		{"if (bgp-network) { accept }", "bgp-network   is not modelled"},
	} {
		_, _, err := BIRD(Chains{"in": {tc.rule}}, nil, "in", "f", 65001)
		if err == nil || !strings.Contains(err.Error(), tc.want) || !strings.Contains(err.Error(), "chain in") {
			t.Errorf("%q: %v, want %q", tc.rule, err, tc.want)
		}
	}
}

// TestBIRDDistance: "set distance" writes ros_distance and BIRD's
// preference from it; "+N"/"-N" start from the protocol's default.
func TestBIRDDistance(t *testing.T) {
	code, _, err := BIRD(Chains{"in": {"if (dst in 10.0.0.0/8) { set distance 150; accept }", "set distance -5; accept"}}, nil, "in", "f", 65001)
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"ros_distance = 150;", "preference = ros_pref(ros_distance);", "ros_distance = ros_clamp(ros_dist() - 5);"} {
		if !strings.Contains(code, want) {
			t.Errorf("no %q in:\n%s", want, code)
		}
	}
}

func fmtStmts(ss []Stmt) string {
	var b strings.Builder
	b.WriteString("[")
	for i, s := range ss {
		if i > 0 {
			b.WriteString(" ")
		}
		switch s := s.(type) {
		case If:
			b.WriteString("{" + fmtCond(s.Cond) + " " + fmtStmts(s.Then) + " " + fmtStmts(s.Else) + "}")
		case Action:
			b.WriteString("{" + s.Verb + " " + s.Prop + " " + s.Value + "}")
		}
	}
	return b.String() + "]"
}

func fmtCond(c Cond) string {
	var args []string
	for _, a := range c.Args {
		args = append(args, fmtCond(a))
	}
	return "{" + c.Op + " [" + strings.Join(args, " ") + "] " + c.Attr + " " + c.Value + "}"
}
