package kernel

import (
	"fmt"
	"net/netip"

	"github.com/ti-mo/conntrack"
	"github.com/ti-mo/netfilter"
	"github.com/vishvananda/netlink"
	"golang.org/x/sys/unix"
)

// RouterOS forgets a masquerade's connections when the interface they
// leave by disconnects (the NAT page of the manual: every time the
// interface disconnects or its address changes, the router clears the
// masqueraded entries that send packets out that interface), so that the
// next packet of each is new and takes whatever route is left. Linux
// forgets them when the address goes or the device is set down, not when
// its carrier goes. rosemu marks every connection a masquerade rule
// translated with conntrack label masqLabel (render: "ct label set") and,
// when a port stops running, removes the marked entries whose translated
// source is one of that port's addresses. A src-nat rule's entries stay,
// as on RouterOS.

// masqLabel is the conntrack label bit of masqueraded connections.
const masqLabel = 127

// watchLinks follows the router's links until stop closes and purges the
// masqueraded connections of a port whose carrier went.
func (d *Dataplane) watchLinks(stop <-chan struct{}) error {
	ch := make(chan netlink.LinkUpdate, 64)
	ns := d.ns
	if err := netlink.LinkSubscribeWithOptions(ch, stop, netlink.LinkSubscribeOptions{Namespace: &ns}); err != nil {
		return fmt.Errorf("follow the router's links: %w", err)
	}
	running := map[int32]bool{}
	d.mu.Lock()
	links, err := d.nl.LinkList()
	d.mu.Unlock()
	if err != nil {
		return fmt.Errorf("list the router's links: %w", err)
	}
	for _, l := range links {
		running[int32(l.Attrs().Index)] = l.Attrs().RawFlags&unix.IFF_RUNNING != 0
	}
	done := make(chan struct{})
	d.linkDone = done
	go func() {
		defer close(done)
		for u := range ch {
			idx := u.Index
			now := u.IfInfomsg.Flags&unix.IFF_RUNNING != 0
			was, seen := running[idx]
			running[idx] = now
			if !seen {
				d.ipsecNewLink(u.Attrs().Name)
			}
			if seen && was != now {
				d.mu.Lock()
				hook := d.onCarrier
				d.mu.Unlock()
				if hook != nil {
					hook(u.Attrs().Name, now)
				}
			}
			if !seen || !was || now {
				continue
			}
			if _, err := d.purgeMasqueraded(int(idx)); err != nil {
				d.warn(fmt.Sprintf("link %s lost carrier: forget its masqueraded connections: %v", u.Attrs().Name, err))
			}
		}
	}()
	return nil
}

// OnCarrier calls fn with a link's name each time the link starts or stops
// running (its carrier comes or goes), from the link watcher's goroutine;
// fn must return quickly.
func (d *Dataplane) OnCarrier(fn func(link string, running bool)) {
	d.mu.Lock()
	defer d.mu.Unlock()
	d.onCarrier = fn
}

// warn records a note for Warnings under the lock.
func (d *Dataplane) warn(s string) {
	d.mu.Lock()
	defer d.mu.Unlock()
	d.warnings = append(d.warnings, s)
}

// purgeMasqueraded removes the masqueraded connections whose translated
// source is an address of link index idx, and returns how many.
func (d *Dataplane) purgeMasqueraded(idx int) (int, error) {
	d.mu.Lock()
	addrs, err := d.nl.AddrList(nil, netlink.FAMILY_V4)
	d.mu.Unlock()
	if err != nil {
		return 0, fmt.Errorf("list addresses: %w", err)
	}
	own := map[netip.Addr]bool{}
	for _, a := range addrs {
		if a.LinkIndex != idx {
			continue
		}
		if ip, ok := netip.AddrFromSlice(a.IP.To4()); ok {
			own[ip] = true
		}
	}
	if len(own) == 0 {
		return 0, nil
	}
	c, err := d.dialConntrack()
	if err != nil {
		return 0, err
	}
	flows, err := c.DumpFilter(conntrack.NewFilter().Family(netfilter.ProtoIPv4), nil)
	c.Close()
	if err != nil {
		return 0, fmt.Errorf("dump the conntrack table: %w", err)
	}
	gone := map[uint32]bool{}
	for _, f := range flows {
		if masqueraded(f) && own[f.TupleReply.IP.DestinationAddress] {
			gone[f.ID] = true
		}
	}
	if len(gone) == 0 {
		return 0, nil
	}
	// One more dump for all of them, not one per entry: a busy router
	// holds thousands.
	return d.removeByIDs(gone)
}

// masqueraded reports whether a masquerade rule labelled the entry.
func masqueraded(f conntrack.Flow) bool {
	const byteIdx = masqLabel / 8
	return len(f.Labels) > byteIdx && f.Labels[byteIdx]&(1<<(masqLabel%8)) != 0
}
