package routefilter

import (
	"strings"
	"testing"
)

// TestV6Rule: RouterOS 6 entries map to rules of the 7 language: an
// exact prefix, a prefix with a length range or one length, inverted,
// the setters and each action; what does not map is an error naming it,
// and passthrough with nothing to set is no rule.
func TestV6Rule(t *testing.T) {
	for _, tc := range []struct {
		props map[string]string
		want  string
	}{
		{map[string]string{"prefix": "0.0.0.0/0", "action": "discard"}, "if (dst==0.0.0.0/0) { reject }"},
		{map[string]string{"prefix": "10.0.0.0/8", "prefix-length": "24-32", "action": "reject"}, "if (dst in 10.0.0.0/8 && dst-len in 24-32) { reject }"},
		{map[string]string{"prefix": "10.88.0.0/16", "prefix-length": "24", "action": "accept", "invert-match": "yes"}, "if (!(dst in 10.88.0.0/16 && dst-len in 24-24)) { accept }"},
		{map[string]string{"prefix-length": "25-32", "action": "discard"}, "if (dst in 0.0.0.0/0 && dst-len in 25-32) { reject }"},
		{map[string]string{"set-bgp-local-pref": "200", "set-bgp-prepend": "2", "action": "passthrough"}, "set bgp-local-pref 200; set bgp-path-prepend 2"},
		{map[string]string{"action": "jump", "jump-target": "bogons"}, "jump bogons"},
		{map[string]string{"action": "return", "comment": "x"}, "return"},
		{map[string]string{"action": "passthrough", "prefix": "10.0.0.0/8"}, ""},
		{map[string]string{"prefix": "10.88.0.0/24", "set-distance": "50", "action": "accept"}, "if (dst==10.88.0.0/24) { set distance 50; accept }"},
	} {
		got, err := V6Rule(tc.props)
		if err != nil || got != tc.want {
			t.Errorf("%v: %q, %v; want %q", tc.props, got, err, tc.want)
			continue
		}
		if got != "" {
			if _, err := Parse(got); err != nil {
				t.Errorf("%q does not parse: %v", got, err)
			}
		}
	}
	for _, tc := range []struct {
		props map[string]string
		want  string
	}{
		{map[string]string{"set-distance": "300", "action": "accept"}, "set-distance=300: want 0 to 255"},
		{map[string]string{"set-bgp-weight": "5", "action": "accept"}, "set-bgp-weight=5 is not modelled"},
		{map[string]string{"bgp-as-path": "_65002_", "action": "discard"}, "bgp-as-path=_65002_ is not modelled"},
		{map[string]string{"action": "log"}, "action=log is not modelled"},
		{map[string]string{"prefix": "2001:db8::/32", "action": "discard"}, "want an IPv4 prefix"},
		{map[string]string{"prefix": "10.0.0.0/8", "prefix-length": "24-16", "action": "discard"}, "prefix-length=24-16"},
	} {
		if _, err := V6Rule(tc.props); err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%v: err %v, want %q", tc.props, err, tc.want)
		}
	}
	// The chain V6Chains adds accepts what the named chain does not
	// decide; the chain renders. With two entries (a BGP instance's
	// out-filter, then the peer's) the first decides first.
	chains, entry, err := V6Chains(Chains{"in": {"if (dst==10.88.0.0/24) { reject }"}}, "in")
	if err != nil {
		t.Fatal(err)
	}
	code, fn, err := BIRD(chains, nil, entry, "f", 65001)
	if err != nil || fn != "f1" || !strings.Contains(code, "case f0() {") || !strings.Contains(code, "(net = 10.88.0.0/24)") {
		t.Errorf("%s %v:\n%s", fn, err, code)
	}
	chains, _, err = V6Chains(Chains{"inst": {"reject"}, "peer": {"accept"}}, "inst", "", "peer")
	if err != nil || strings.Join(chains[V6Entry], ";") != "jump inst;jump peer;accept" {
		t.Errorf("two entries: %v %v", chains[V6Entry], err)
	}
}
