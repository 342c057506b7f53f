package kernel

import "golang.org/x/sys/unix"

// Running reports whether the router port with RouterOS default name
// name is running: up, and with carrier on its link, which a lab step
// that pulls the port's cable takes away. known is false when the port is
// not in the router namespace.
func (d *Dataplane) Running(name string) (running, known bool) {
	d.mu.Lock()
	defer d.mu.Unlock()
	l, err := d.nl.LinkByName(LinkName(name))
	if err != nil {
		return false, false
	}
	return l.Attrs().RawFlags&unix.IFF_RUNNING != 0, true
}

// LinkCounters are a link's traffic counters as the kernel counts them.
type LinkCounters struct {
	RxBytes, TxBytes, RxPackets, TxPackets, RxDrops, TxDrops, RxErrors, TxErrors uint64
}

// Traffic reads the counters of the link that carries the RouterOS
// interface name (a port's default name, a bridge's or VLAN's own name);
// known is false when the router namespace has no such link.
func (d *Dataplane) Traffic(name string) (c LinkCounters, known bool) {
	d.mu.Lock()
	defer d.mu.Unlock()
	l, err := d.nl.LinkByName(LinkName(name))
	if err != nil {
		return LinkCounters{}, false
	}
	s := l.Attrs().Statistics
	if s == nil {
		return LinkCounters{}, true
	}
	return LinkCounters{RxBytes: s.RxBytes, TxBytes: s.TxBytes, RxPackets: s.RxPackets, TxPackets: s.TxPackets,
		RxDrops: s.RxDropped, TxDrops: s.TxDropped, RxErrors: s.RxErrors, TxErrors: s.TxErrors}, true
}
