package kernel

import (
	"bufio"
	"fmt"
	"io"
	"net"
	"strings"
	"testing"
	"time"

	"github.com/vishvananda/netns"
)

// TestFasttrackSkipsFilter: a connection the defconf fasttrack rule
// fasttracked goes on after a drop for it is added at the top of the
// filter's forward chain, as on RouterOS, whose fast path skips the filter
// (a forum's "my new block rule does not stop the download until I remove
// the connection"). The control: the same drop without the fasttrack rule
// cuts the connection at once.
func TestFasttrackSkipsFilter(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name      string
		fasttrack bool
	}{{"fasttracked", true}, {"control without fasttrack", false}} {
		t.Run(tc.name, func(t *testing.T) {
			l := newLab(t)
			dp := hairpinDataplane(t, l)
			echo(t, nsHandle(t, l.w), "198.51.100.50:7")
			st := baseState()
			if !tc.fasttrack {
				st.Filter = dropAction(st.Filter, "fasttrack-connection")
			}
			if err := dp.Apply(st); err != nil {
				t.Fatal(err)
			}
			roundTrip := echoRoundTrips(t, l)
			// Established packets pass the fasttrack rule, which labels the
			// connection.
			for n := 0; n < 3; n++ {
				if err := roundTrip(n); err != nil {
					t.Fatalf("before the drop, round trip %d: %v", n, err)
				}
			}
			// The skip counts the fast path's packets under the dummy
			// rule's id, and the connection carries the fasttrack label
			// (forum43 D12: the dummy showed 0 and no entry had F).
			cs, err := dp.RuleCounters()
			if err != nil {
				t.Fatal(err)
			}
			if got := cs[FasttrackCounterID].Packets; tc.fasttrack != (got > 0) {
				t.Errorf("fast path counted %d packets under %s (fasttrack %v)", got, FasttrackCounterID, tc.fasttrack)
			}
			conns, err := dp.Connections()
			if err != nil {
				t.Fatal(err)
			}
			flagged := 0
			for _, c := range conns {
				if c.Protocol == "tcp" && c.Dst.Port() == 7 && c.Fasttracked {
					flagged++
				}
			}
			if tc.fasttrack != (flagged == 1) {
				t.Errorf("%d echo connections fasttracked of %+v (fasttrack %v)", flagged, conns, tc.fasttrack)
			}
			st.Filter = append([]Rule{rule("*F0", "chain=forward", "action=drop", "dst-address=198.51.100.50", "comment=block now")}, st.Filter...)
			if err := dp.Apply(st); err != nil {
				t.Fatal(err)
			}
			err = roundTrip(3)
			if tc.fasttrack && err != nil {
				t.Errorf("a fasttracked connection after a drop at the top of forward: %v; want it to go on", err)
			}
			if !tc.fasttrack && err == nil {
				t.Errorf("without fasttrack the drop at the top of forward let the connection go on; want it cut")
			}
			// A new connection meets the drop either way.
			if err := inNetns(nsHandle(t, l.c), func() error {
				c, err := net.DialTimeout("tcp4", "198.51.100.50:7", time.Second)
				if err == nil {
					c.Close()
				}
				return err
			}); err == nil {
				t.Errorf("a new connection passed the drop")
			}
		})
	}
}

// dropAction returns rules without those of action act.
func dropAction(rules []Rule, act string) []Rule {
	var out []Rule
	for _, r := range rules {
		if r.Props["action"] != act {
			out = append(out, r)
		}
	}
	return out
}

// echo starts a line echo server in ns.
func echo(t *testing.T, ns netns.NsHandle, addr string) {
	t.Helper()
	acceptIn(t, ns, "tcp4", addr, func(c net.Conn) { go func() { defer c.Close(); io.Copy(c, c) }() })
}

// TestFasttrackPostroutingSeesFirst: the packet the fasttrack rule
// labels (the server's SYN-ACK, the connection's first established one)
// still leaves through postrouting mangle, where a rule counts it; the
// connection's later packets skip mangle. Before, the skip read the label
// the same packet had just been given, and the rule counted nothing for
// the whole connection. The control is the same traffic without the
// fasttrack rule: every packet to the LAN is counted.
func TestFasttrackPostroutingSeesFirst(t *testing.T) {
	t.Parallel()
	count := func(t *testing.T, fasttrack bool) uint64 {
		l := newLab(t)
		dp := hairpinDataplane(t, l)
		echo(t, nsHandle(t, l.w), "198.51.100.50:7")
		st := baseState()
		if !fasttrack {
			st.Filter = dropAction(st.Filter, "fasttrack-connection")
		}
		st.Mangle = []Rule{rule("*M1", "chain=postrouting", "out-interface=ether2", "action=passthrough", "comment=to the LAN")}
		if err := dp.Apply(st); err != nil {
			t.Fatal(err)
		}
		roundTrip := echoRoundTrips(t, l)
		for n := 0; n < 5; n++ {
			if err := roundTrip(n); err != nil {
				t.Fatal(err)
			}
		}
		cs, err := dp.RuleCounters()
		if err != nil {
			t.Fatal(err)
		}
		return cs["*M1"].Packets
	}
	// Subtests: each lab's namespaces go with its subtest.
	var withFT, without uint64
	t.Run("fasttracked", func(t *testing.T) { withFT = count(t, true) })
	t.Run("control without fasttrack", func(t *testing.T) { without = count(t, false) })
	if withFT == 0 {
		t.Errorf("fasttracked: the postrouting rule counted no packet; want the one the fasttrack rule labelled")
	}
	if without < 6 || withFT >= without {
		t.Errorf("postrouting counts: %d fasttracked, %d without fasttrack; want the SYN-ACK and five answers without, fewer with", withFT, without)
	}
}

// echoRoundTrips connects the lab's LAN client to the internet's echo
// server (198.51.100.50:7, started by the caller) and returns a function
// that sends line n and checks that it comes back; the connection closes
// with the test.
func echoRoundTrips(t *testing.T, l *lab) func(n int) error {
	t.Helper()
	var c net.Conn
	if err := inNetns(nsHandle(t, l.c), func() (err error) {
		c, err = net.DialTimeout("tcp4", "198.51.100.50:7", 2*time.Second)
		return err
	}); err != nil {
		t.Fatalf("connect to the internet's echo: %v", err)
	}
	t.Cleanup(func() { c.Close() })
	r := bufio.NewReader(c)
	return func(n int) error {
		c.SetDeadline(time.Now().Add(1500 * time.Millisecond))
		want := fmt.Sprintf("line %d", n)
		if _, err := fmt.Fprintln(c, want); err != nil {
			return err
		}
		got, err := r.ReadString('\n')
		if err != nil {
			return err
		}
		if strings.TrimSpace(got) != want {
			return fmt.Errorf("echo answered %q, want %q", got, want)
		}
		return nil
	}
}

// TestFasttrackSkipAsksFibOnlyWithPolicyRouting: the forward chains'
// skip of fasttracked connections looks the destination up in the fib
// only where a packet may have been routed by another table than main (a
// routing table or a /routing rule exists); with main alone the routed
// packet had a main route, and the lookup per packet is left out.
// Prerouting asks the fib either way: its packet is not routed yet.
func TestFasttrackSkipAsksFibOnlyWithPolicyRouting(t *testing.T) {
	rules := func() *State {
		return &State{
			Filter: []Rule{{ID: "*1", Props: map[string]string{"chain": "forward", "action": "fasttrack-connection", "connection-state": "established,related"}}},
			Mangle: []Rule{{ID: "*2", Props: map[string]string{"chain": "forward", "action": "passthrough"}}},
		}
	}
	for _, tc := range []struct {
		name    string
		st      func() *State
		withFib bool
	}{
		{"main only", rules, false},
		{"a routing table", func() *State { st := rules(); st.RoutingTables = []RoutingTable{{Name: "wan2", ID: 2}}; return st }, true},
		{"a routing rule", func() *State {
			st := rules()
			st.RoutingRules = []RoutingRule{{Action: "lookup", Table: "main"}}
			return st
		}, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			ft := planFasttrack(tc.st())
			for _, c := range []struct{ table, chain string }{{"filter", "forward"}, {"mangle", "forward"}} {
				lead := strings.Join(ft.lead(c.table, c.chain), "\n")
				if lead == "" {
					t.Fatalf("%s/%s: no skip of fasttracked connections", c.table, c.chain)
				}
				if got := strings.Contains(lead, "fib daddr"); got != tc.withFib {
					t.Errorf("%s/%s: fib lookup %v, want %v: %s", c.table, c.chain, got, tc.withFib, lead)
				}
			}
			if pre := strings.Join(ft.lead("mangle", "prerouting"), "\n"); !strings.Contains(pre, "fib daddr oif exists") {
				t.Errorf("mangle/prerouting: want the fib lookup, got %q", pre)
			}
		})
	}
}
