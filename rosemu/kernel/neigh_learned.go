package kernel

import (
	"errors"
	"net/netip"
	"sort"
	"strings"

	"github.com/vishvananda/netlink"
	"golang.org/x/sys/unix"
)

// LearnedNeighbor is an IPv4 neighbour the router's kernel learnt by ARP:
// what /ip arp shows as a dynamic entry.
type LearnedNeighbor struct {
	Addr netip.Addr
	MAC  string // as RouterOS prints it (02:00:C0:A8:58:14); "" while unresolved
	Link string // the Linux link (LinkName of the RouterOS interface)
	// State is the kernel's NUD state in lower case: reachable, stale,
	// delay, probe, incomplete or failed.
	State string
}

// Complete: the entry holds a MAC the router sends to (RouterOS's C flag).
func (n LearnedNeighbor) Complete() bool {
	return n.MAC != "" && n.State != "incomplete" && n.State != "failed"
}

// LearnedNeighbors lists the IPv4 neighbours the kernel learnt in the
// router's namespace, by address: not the permanent entries (the static
// /ip arp entries, syncNeighbors), nor NOARP ones (loopback, point-to-point
// links), nor proxy entries (published ones).
func (d *Dataplane) LearnedNeighbors() ([]LearnedNeighbor, error) {
	ns, err := d.nl.NeighList(0, netlink.FAMILY_V4)
	if err != nil {
		return nil, err
	}
	names := map[int]string{}
	var out []LearnedNeighbor
	for _, n := range ns {
		if n.State&(netlink.NUD_PERMANENT|netlink.NUD_NOARP) != 0 || n.Flags&netlink.NTF_PROXY != 0 || n.State == netlink.NUD_NONE {
			continue
		}
		a, ok := netip.AddrFromSlice(n.IP.To4())
		if !ok {
			continue
		}
		name, ok := names[n.LinkIndex]
		if !ok {
			if l, err := d.nl.LinkByIndex(n.LinkIndex); err == nil {
				name = l.Attrs().Name
			}
			names[n.LinkIndex] = name
		}
		if name == "" || name == "lo" {
			continue
		}
		st := nudWord(n.State)
		ln := LearnedNeighbor{Addr: a, Link: name, State: st}
		if len(n.HardwareAddr) == 6 && st != "incomplete" && st != "failed" {
			ln.MAC = strings.ToUpper(n.HardwareAddr.String())
		}
		out = append(out, ln)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Addr.Less(out[j].Addr) })
	return out, nil
}

// nudWord names a NUD state as the kernel's "ip neigh" does, in lower case.
func nudWord(s int) string {
	switch {
	case s&netlink.NUD_INCOMPLETE != 0:
		return "incomplete"
	case s&netlink.NUD_REACHABLE != 0:
		return "reachable"
	case s&netlink.NUD_STALE != 0:
		return "stale"
	case s&netlink.NUD_DELAY != 0:
		return "delay"
	case s&netlink.NUD_PROBE != 0:
		return "probe"
	}
	return "failed"
}

// RemoveLearnedNeighbor forgets a learnt neighbour (/ip arp remove of a
// dynamic entry); one that is gone already is not an error.
func (d *Dataplane) RemoveLearnedNeighbor(addr netip.Addr, link string) error {
	l, err := d.nl.LinkByName(link)
	if err != nil {
		return nil
	}
	err = d.nl.NeighDel(&netlink.Neigh{LinkIndex: l.Attrs().Index, Family: unix.AF_INET, IP: addr.AsSlice()})
	if err != nil && !errors.Is(err, unix.ENOENT) {
		return err
	}
	return nil
}
