package config

import (
	"hash/fnv"
	"net/netip"
	"strings"

	"github.com/chrlab/chrlab/rosemu/kernel"
	"github.com/chrlab/chrlab/rosemu/script"
)

// kernelLists is what a kernel that lets rules add to address lists
// offers; package kernel's Dataplane implements it.
type kernelLists interface {
	DynamicListEntries() ([]kernel.DynEntry, error)
	RemoveDynamicEntry(list, addr string) error
}

// kernelEntryBase marks the ids of entries that rules added in the kernel.
const kernelEntryBase = 0x50000000

// kernelListItems shows the addresses rules added to address lists
// (add-src-to-address-list) as the dynamic entries RouterOS shows, with
// the time they have left. Their ids come from list and address, so they
// stay the same while the entry lives.
//
// The entries of both families are read together (the time an entry was
// first seen is forgotten when it leaves either); v6 picks the IPv6 ones,
// shown as /128 prefixes as /ipv6 firewall address-list shows a host
// [verify] on a CHR, for /ipv6 firewall address-list.
func (t *tx) kernelListItems(v6 bool) []*item {
	k, ok := t.r.opts.Kernel.(kernelLists)
	if !ok {
		return nil
	}
	entries, err := k.DynamicListEntries()
	if err != nil {
		return nil
	}
	var out []*item
	live := map[uint64]bool{}
	for _, e := range entries {
		h := fnv.New32a()
		h.Write([]byte(e.List + "/" + e.Address))
		a, err := netip.ParseAddr(e.Address)
		if err != nil {
			continue
		}
		addr := e.Address
		if a.Is6() {
			addr += "/128"
		}
		it := &item{id: kernelEntryBase | uint64(h.Sum32()&0x0fffffff), dynamic: true, props: map[string]string{"list": e.List, "address": addr}}
		// creation-time: nft keeps no time of an element's adding, so
		// the earliest of when rosemu first listed it and when its
		// timeout was last set (addrlist_created.go).
		seen, ok := t.r.sys.firstSeen[it.id]
		if !ok {
			seen = t.now
			t.r.sys.firstSeen[it.id] = seen
		}
		it.created = seen
		if e.Timeout > 0 {
			it.props["timeout"] = script.FormatTimeCompact(e.Expires)
			if set := t.now.Add(e.Expires - e.Timeout); set.Before(it.created) {
				it.created = set
			}
		}
		live[it.id] = true
		if a.Is6() == v6 {
			out = append(out, it)
		}
	}
	// An entry that left the set is made anew when a rule adds it
	// again: forget when it was first seen.
	for id := range t.r.sys.firstSeen {
		if id&0xf0000000 == kernelEntryBase && !live[id] {
			delete(t.r.sys.firstSeen, id)
		}
	}
	return out
}

func isKernelEntry(it *item) bool { return it.id&0xf0000000 == kernelEntryBase && it.dynamic }

// removeKernelEntry deletes an address a rule added, as RouterOS lets one
// remove a dynamic entry.
func (t *tx) removeKernelEntry(it *item) error {
	k, ok := t.r.opts.Kernel.(kernelLists)
	if !ok {
		return nil
	}
	if err := k.RemoveDynamicEntry(it.props["list"], strings.TrimSuffix(it.props["address"], "/128")); err != nil {
		return &Error{Msg: "failure: " + err.Error(), Category: 4}
	}
	return nil
}
