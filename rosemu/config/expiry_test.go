package config

import (
	"context"
	"testing"
	"time"
)

// TestAddressListTimeoutExpires: an entry added with timeout= leaves the
// list, and the kernel's state, when its time is up, with nothing else
// happening on the router; an entry without timeout stays (the control).
func TestAddressListTimeoutExpires(t *testing.T) {
	k := &fakeKernel{}
	r := New(Options{Ports: ports, Kernel: k})
	run(t, r, "/ip firewall address-list add list=temp address=192.168.88.20 timeout=300ms\n"+
		"/ip firewall address-list add list=keep address=192.168.88.21\n"+
		"/ipv6 firewall address-list add list=temp address=3fff:88::10 timeout=400ms")
	lists := func() (v4, v6 int) {
		rows, _, err := r.Command(context.Background(), "/ip/firewall/address-list/print", nil)
		if err != nil {
			t.Fatal(err)
		}
		rows6, _, err := r.Command(context.Background(), "/ipv6/firewall/address-list/print", nil)
		if err != nil {
			t.Fatal(err)
		}
		return len(rows), len(rows6)
	}
	if v4, v6 := lists(); v4 != 2 || v6 != 1 {
		t.Fatalf("at once: %d IPv4 and %d IPv6 entries, want 2 and 1", v4, v6)
	}
	r.mu.Lock()
	applied := k.calls
	r.mu.Unlock()
	time.Sleep(700 * time.Millisecond)
	// The kernel first: a print is a transaction, which would drop the
	// entries itself.
	r.mu.Lock()
	calls, last := k.calls, k.last
	r.mu.Unlock()
	if calls == applied {
		t.Fatal("the kernel was not told of the expired entries")
	}
	if es := last.AddressLists["temp"]; len(es) != 0 {
		t.Errorf("the kernel's state still holds %+v in list temp", es)
	}
	if len(last.AddressLists["keep"]) != 1 {
		t.Errorf("the kernel's state lost the entry without timeout: %+v", last.AddressLists)
	}
	if v4, v6 := lists(); v4 != 1 || v6 != 0 {
		t.Errorf("after the timeouts: %d IPv4 and %d IPv6 entries, want the one without timeout", v4, v6)
	}
}
