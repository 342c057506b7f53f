package kernel

import (
	"strings"
	"testing"
)

// TestRenderTCPMSSNegated: tcp-mss=!A-B is two exclusive lines, one for a
// packet without the MSS option and one for an MSS outside A-B, as Linux's
// tcpmss match inverts (a packet without the option matches "!"); a plain
// tcp-mss stays one line. Before, the negation was the one line
// "tcp option maxseg size != A-B", which matches no packet without the
// option.
func TestRenderTCPMSSNegated(t *testing.T) {
	st := baseState()
	st.Filter = []Rule{
		rule("*1", "chain=forward", "action=drop", "protocol=tcp", "tcp-mss=!536-65535"),
		rule("*2", "chain=forward", "action=accept", "protocol=tcp", "tcp-mss=1400-1500"),
	}
	st.Mangle = []Rule{rule("*3", "chain=forward", "action=passthrough", "protocol=tcp", "tcp-flags=syn", "tcp-mss=!1460")}
	out, err := Render(st)
	if err != nil {
		t.Fatal(err)
	}
	rendered(t, out,
		"meta l4proto tcp tcp option maxseg missing counter drop comment \"*1\"",
		"meta l4proto tcp tcp option maxseg size != 536-65535 counter drop comment \"*1\"",
		"meta l4proto tcp tcp option maxseg size 1400-1500 counter accept comment \"*2\"",
		"meta l4proto tcp tcp flags & (syn) == syn tcp option maxseg missing counter comment \"*3\"",
		"meta l4proto tcp tcp flags & (syn) == syn tcp option maxseg size != 1460 counter comment \"*3\"",
	)
	if n := strings.Count(out, `comment "*2"`); n != 1 {
		t.Errorf("plain tcp-mss: %d lines, want 1", n)
	}
}

// TestTCPMSSNegatedMatchesWithoutOption: through a port forward, a filter
// rule protocol=tcp tcp-mss=!536-65535 action=drop lets the handshake pass
// (its SYNs carry MSS 1460) and drops the packets after it, which carry no
// MSS option: the server's line never arrives (no fasttrack rule here). Before, nothing was dropped
// and the line came. The control, the same rule with tcp-flags=syn, sees
// only SYNs, all with MSS, and drops nothing.
func TestTCPMSSNegatedMatchesWithoutOption(t *testing.T) {
	t.Parallel()
	l := newLab(t)
	dp := hairpinDataplane(t, l)
	serve(t, nsHandle(t, l.s), "0.0.0.0:12566")
	peer := nsHandle(t, l.w)
	fwd := rule("*2", "chain=dstnat", "action=dst-nat", "dst-address=203.0.113.2", "protocol=tcp", "dst-port=12566", "to-addresses=192.168.88.10")
	try := func(props ...string) (string, error) {
		t.Helper()
		// The rule alone in filter: the base state's fasttrack rule would
		// take the connection past the forward chain after its SYN-ACK,
		// as RouterOS's does.
		st := withNAT(baseState(), fwd)
		st.Filter = []Rule{rule("*20", append([]string{"chain=forward", "action=drop", "protocol=tcp"}, props...)...)}
		if err := dp.Apply(st); err != nil {
			t.Fatalf("Apply: %v", err)
		}
		return dial(peer, "198.51.100.50", "203.0.113.2:12566")
	}
	if saw, err := try("tcp-flags=syn", "tcp-mss=!536-65535"); err != nil || saw != "198.51.100.50" {
		t.Fatalf("control (SYNs only, all with MSS): saw %q, err %v; want the line", saw, err)
	}
	if saw, err := try("tcp-mss=!536-65535"); err == nil {
		t.Errorf("tcp-mss=!536-65535 drop: the server's line %q passed; packets without the MSS option should match", saw)
	}
}
