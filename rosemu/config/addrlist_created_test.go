package config

import (
	"strings"
	"testing"
	"time"

	"github.com/chrlab/chrlab/rosemu/kernel"
)

// A static entry's creation-time is when add made it, in the version's
// date form, and stays so; get, print and find where see it (an ageing
// script's creation-time<cut finds the older entry only). Before,
// "get $i creation-time" was refused (forum27 D3).
func TestAddressListCreationTime(t *testing.T) {
	r := New(Options{Ports: ports, Version: "7.16.2"})
	before := time.Now().Add(-time.Second)
	run(t, r, "/ip firewall address-list add list=blk address=198.51.100.7")
	after := time.Now()
	got := strings.TrimSpace(run(t, r, `:put [/ip firewall address-list get [find address=198.51.100.7] creation-time]`))
	when, err := time.ParseInLocation("2006-01-02 15:04:05", got, time.Local)
	if err != nil || when.Before(before) || when.After(after) {
		t.Fatalf("creation-time %q (%v); want the add's time, between %v and %v", got, err, before, after)
	}
	time.Sleep(1100 * time.Millisecond)
	run(t, r, "/ip firewall address-list add list=blk address=198.51.100.8")
	if again := strings.TrimSpace(run(t, r, `:put [/ip firewall address-list get [find address=198.51.100.7] creation-time]`)); again != got {
		t.Errorf("creation-time moved from %q to %q", got, again)
	}
	cut := when.Add(time.Second).Format("2006-01-02 15:04:05")
	if n := strings.TrimSpace(run(t, r, `:put [:len [/ip firewall address-list find where creation-time<"`+cut+`"]]`)); n != "1" {
		t.Errorf("find where creation-time<%q: %s entries, want 1 (the older)", cut, n)
	}
	if out := run(t, r, "/ip firewall address-list print detail"); !strings.Contains(out, "creation-time="+got) {
		t.Errorf("print detail lacks creation-time=%s:\n%s", got, out)
	}
	// RouterOS 6 prints dates as jan/02/2006 15:04:05 (a 6.48.6 print).
	r6 := New(Options{Ports: ports, Version: "6.48.6"})
	run(t, r6, "/ip firewall address-list add list=blk address=198.51.100.7")
	got6 := strings.TrimSpace(run(t, r6, `:put [/ip firewall address-list get [find] creation-time]`))
	if _, err := time.ParseInLocation("Jan/02/2006 15:04:05", got6, time.Local); err != nil || got6 != strings.ToLower(got6) {
		t.Errorf("6.48.6 creation-time %q: want jan/02/2006 15:04:05 (%v)", got6, err)
	}
}

// listKernel offers dynamic address-list entries as the kernel's sets
// would.
type listKernel struct {
	fakeKernel
	entries []kernel.DynEntry
}

func (k *listKernel) DynamicListEntries() ([]kernel.DynEntry, error) { return k.entries, nil }
func (k *listKernel) RemoveDynamicEntry(list, addr string) error     { return nil }

// An entry a rule added in the kernel: nft keeps no adding time, so its
// creation-time is when its timeout was last set (timeout less what is
// left) or, without a timeout, when rosemu first listed it, kept across
// listings and forgotten once the entry leaves the set.
func TestKernelEntryCreationTime(t *testing.T) {
	k := &listKernel{entries: []kernel.DynEntry{
		{List: "scan", Address: "192.0.2.1", Timeout: 10 * time.Minute, Expires: 9 * time.Minute},
		{List: "scan", Address: "192.0.2.2"},
	}}
	r := New(Options{Ports: ports, Version: "7.16.2", Kernel: k})
	get := func(addr string) time.Time {
		t.Helper()
		s := strings.TrimSpace(run(t, r, `:put [/ip firewall address-list get [find address=`+addr+`] creation-time]`))
		when, err := time.ParseInLocation("2006-01-02 15:04:05", s, time.Local)
		if err != nil {
			t.Fatalf("creation-time of %s: %q: %v", addr, s, err)
		}
		return when
	}
	if d := time.Since(get("192.0.2.1")); d < 59*time.Second || d > 62*time.Second {
		t.Errorf("entry with 9m left of 10m: created %v ago, want about 1m", d)
	}
	first := get("192.0.2.2")
	if d := time.Since(first); d < 0 || d > 2*time.Second {
		t.Errorf("entry without a timeout: created %v ago, want now (first listed)", d)
	}
	time.Sleep(1100 * time.Millisecond)
	if again := get("192.0.2.2"); !again.Equal(first) {
		t.Errorf("listed again: %v, want the first listing's %v", again, first)
	}
	k.entries = k.entries[:1]
	run(t, r, "/ip firewall address-list print")
	k.entries = append(k.entries, kernel.DynEntry{List: "scan", Address: "192.0.2.2"})
	if re := get("192.0.2.2"); !re.After(first) {
		t.Errorf("added again after it left: %v, want later than %v", re, first)
	}
}
