package kernel

import (
	"testing"
)

// TestAddToListKeepsStaticEntry: "An address that is already a static
// entry in the list stays static" (CLI reference of /ip/firewall/mangle,
// address-list-timeout). A knock on the router's port 2222 from the
// client, which the list holds statically, adds no dynamic entry; the
// same knock from the server, which it does not hold, adds one (the
// control). rosemu added a dynamic twin for the client too (forum59 D7),
// listed beside the static entry and still in the list for its hour
// after the static one was removed.
func TestAddToListKeepsStaticEntry(t *testing.T) {
	t.Parallel()
	l := newLab(t)
	dp := hairpinDataplane(t, l)
	st := baseState()
	st.AddressLists["trap"] = []AddrEntry{host("192.168.88.20")}
	st.Filter = append([]Rule{rule("*40", "chain=input", "action=add-src-to-address-list", "address-list=trap",
		"address-list-timeout=1h", "protocol=tcp", "dst-port=2222")}, st.Filter...)
	if err := dp.Apply(st); err != nil {
		t.Fatalf("Apply: %v", err)
	}
	for _, ns := range []string{l.c, l.s} {
		dial(nsHandle(t, ns), "", "192.168.88.1:2222") // refused: the knock is the SYN
	}
	got, err := dp.DynamicListEntries()
	if err != nil {
		t.Fatal(err)
	}
	var addrs []string
	for _, e := range got {
		if e.List == "trap" {
			addrs = append(addrs, e.Address)
		}
	}
	if len(addrs) != 1 || addrs[0] != "192.168.88.10" {
		t.Errorf("dynamic entries of trap after knocks from .20 (static) and .10: %v, want [192.168.88.10]", addrs)
	}
}
