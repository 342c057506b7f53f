package kernel

import (
	"fmt"
	"net"
	"net/netip"
	"strconv"
	"strings"

	"github.com/vishvananda/netlink"
)

// Conn is one connection-tracking entry, in the terms of RouterOS's
// /ip firewall connection.
type Conn struct {
	Protocol string         // "tcp", "udp", "icmp", ... or the number
	Src, Dst netip.AddrPort // original direction, as the first packet had them
	// ReplySrc and ReplyDst are the reply direction: a dst-nat shows as
	// ReplySrc != Dst, a src-nat as ReplyDst != Src.
	ReplySrc, ReplyDst netip.AddrPort
	State              string // TCP state (e.g. "established"), "" for other protocols
	SrcNAT, DstNAT     bool
}

// ConntrackCount returns the number of tracked connections in the router
// namespace, from /proc/sys/net/netfilter/nf_conntrack_count, or from
// `conntrack -C` where that file is missing.
func (d *Dataplane) ConntrackCount() (int, error) {
	v, err := readSysctl(d.ns, "net.netfilter.nf_conntrack_count")
	if err != nil {
		out, cerr := run(d.ns, "", "conntrack", "-C")
		if cerr != nil {
			return 0, fmt.Errorf("count connections: read nf_conntrack_count: %v; and %w", err, cerr)
		}
		v = strings.TrimSpace(out)
	}
	n, err := strconv.Atoi(v)
	if err != nil {
		return 0, fmt.Errorf("count connections: parse %q: %w", v, err)
	}
	return n, nil
}

// tcpStates are the kernel's TCP conntrack states by number.
var tcpStates = []string{"none", "syn-sent", "syn-received", "established", "fin-wait",
	"close-wait", "last-ack", "time-wait", "close", "syn-sent2"}

// Connections lists the IPv4 connection-tracking table of the router
// namespace over netlink.
func (d *Dataplane) Connections() ([]Conn, error) {
	flows, err := d.nl.ConntrackTableList(netlink.ConntrackTable, netlink.FAMILY_V4)
	if err != nil {
		return nil, fmt.Errorf("list connections over netlink: %w", err)
	}
	out := make([]Conn, 0, len(flows))
	for _, f := range flows {
		c := Conn{
			Protocol: protoName(f.Forward.Protocol),
			Src:      addrPort(f.Forward.SrcIP, f.Forward.SrcPort),
			Dst:      addrPort(f.Forward.DstIP, f.Forward.DstPort),
			ReplySrc: addrPort(f.Reverse.SrcIP, f.Reverse.SrcPort),
			ReplyDst: addrPort(f.Reverse.DstIP, f.Reverse.DstPort),
		}
		c.DstNAT = c.ReplySrc != c.Dst
		c.SrcNAT = c.ReplyDst != c.Src
		if tcp, ok := f.ProtoInfo.(*netlink.ProtoInfoTCP); ok && int(tcp.State) < len(tcpStates) {
			c.State = tcpStates[tcp.State]
		}
		out = append(out, c)
	}
	return out, nil
}

// protoName names protocol n as RouterOS prints it.
func protoName(n uint8) string {
	for name, num := range protocols {
		if num == int(n) { // RouterOS names are unique per number
			return name
		}
	}
	return strconv.Itoa(int(n))
}

func addrPort(ip net.IP, port uint16) netip.AddrPort {
	a, _ := netip.AddrFromSlice(ip.To4())
	return netip.AddrPortFrom(a, port)
}
