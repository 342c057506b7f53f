package kernel

import (
	"strings"
	"testing"
)

// A dst-limit's buckets live through a reload that leaves its rule as it
// was (an address-list entry added, as a scheduler script does every few
// seconds), and start empty when the rule itself changes: a connection
// from the client fills the set, an unrelated change keeps the client's
// element, a new rate empties the set.
func TestReloadKeepsMeters(t *testing.T) {
	l := newLab(t)
	dp := hairpinDataplane(t, l)
	st := baseState()
	limited := rule("*50", "chain=input", "action=accept", "protocol=tcp", "dst-port=12566", "dst-limit=1/1m,5,src-address/1m")
	// A limit is a named object (limitObject): the reload that keeps
	// the meters deletes and declares it again, with its new rate.
	lim := rule("*51", "chain=forward", "action=accept", "protocol=udp", "limit=10,5")
	st.Filter = append([]Rule{limited, lim}, st.Filter...)
	if err := dp.Apply(st); err != nil {
		t.Fatalf("Apply: %v", err)
	}
	serve(t, nsHandle(t, l.r), "0.0.0.0:12566")
	if saw, err := dial(nsHandle(t, l.c), "", "192.168.88.1:12566"); err != nil || saw != "192.168.88.20" {
		t.Fatalf("client to the router: saw %q, %v", saw, err)
	}
	elements := func() string {
		t.Helper()
		out, err := run(dp.ns, "", dp.nft, "list", "set", "ip", TableName, "dl__2a50")
		if err != nil {
			t.Fatalf("list the dst-limit set: %v", err)
		}
		return out
	}
	if e := elements(); !strings.Contains(e, "192.168.88.20") {
		t.Fatalf("the client's connection left no bucket:\n%s", e)
	}
	st.AddressLists["wan-ip"] = []AddrEntry{prefix("203.0.113.2/32")}
	st.Filter[1] = rule("*51", "chain=forward", "action=accept", "protocol=udp", "limit=20,5")
	if err := dp.Apply(st); err != nil {
		t.Fatalf("Apply with an address list: %v", err)
	}
	if out, err := run(dp.ns, "", dp.nft, "list", "limit", "ip", TableName, "lim__2a51"); err != nil || !strings.Contains(out, "rate 20/second") {
		t.Errorf("the limit object after the reload: %v\n%s", err, out)
	}
	if e := elements(); !strings.Contains(e, "192.168.88.20") {
		t.Errorf("an unrelated change emptied the dst-limit set:\n%s", e)
	}
	st.Filter[0] = rule("*50", "chain=input", "action=accept", "protocol=tcp", "dst-port=12566", "dst-limit=2/1m,5,src-address/1m")
	if err := dp.Apply(st); err != nil {
		t.Fatalf("Apply with a new rate: %v", err)
	}
	if e := elements(); strings.Contains(e, "192.168.88.20") {
		t.Errorf("a changed rule kept the old rule's buckets:\n%s", e)
	}
	// Rules, chains and sets of the reload are all there: the client
	// still reaches the router.
	if saw, err := dial(nsHandle(t, l.c), "", "192.168.88.1:12566"); err != nil || saw != "192.168.88.20" {
		t.Errorf("client to the router after the reloads: saw %q, %v", saw, err)
	}
}
