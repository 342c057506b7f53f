package kernel

import (
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"net"
	"net/netip"
	"strconv"
	"strings"
	"time"

	"github.com/mdlayher/netlink"
	"github.com/ti-mo/conntrack"
	"github.com/ti-mo/netfilter"
	"golang.org/x/sys/unix"
)

// A RouterOS rule with log=yes (or action=log) writes one entry per packet
// to the router's log, topics firewall,info:
//
//	forward: in:ether2 out:ether1, connection-state:new src-mac 0c:..., proto TCP (SYN), 192.168.88.20:40022->203.0.113.2:80, len 60
//
// rosemu renders such a rule's log statement into an NFLOG group and
// reads the packets back here, with the connection's conntrack entry, to
// write that line.

// LogGroup is the NFLOG group of rosemu's firewall log statements. Any
// group not 0 would do; nothing else in the router's namespace uses one.
const LogGroup = 7

// FirewallLog is one packet a log rule matched.
type FirewallLog struct {
	Time time.Time
	// Prefix is the statement's prefix: the rule's log-prefix, a space
	// and "<chain>: " (render.go).
	Prefix string
	// In and Out are the Linux links the packet came in and goes out on
	// ("" for none).
	In, Out string
	// SrcMAC is the source of the frame it came in, nil for none (the
	// router's own packets, point-to-point links).
	SrcMAC net.HardwareAddr
	// State is the connection state RouterOS names ("new",
	// "established", "related", "untracked"), "" when the packet has no
	// conntrack entry (raw chains, invalid packets).
	State string
	// Hook is the netfilter hook the packet was logged at (NF_INET_*:
	// 0 prerouting, 1 input, 2 forward, 3 output, 4 postrouting), -1
	// when NFLOG did not say.
	Hook int
	// Packet is the packet from its network header, cut after the
	// transport header.
	Packet []byte
	// Orig and Reply are the tuples of the packet's connection, when it
	// has one: Reply differing from Orig reversed is NAT.
	Orig, Reply Tuple
}

// Tuple is one direction of a conntrack entry.
type Tuple struct {
	Src, Dst netip.AddrPort
}

// nfnetlink_log's message types, attributes and commands
// (include/uapi/linux/netfilter/nfnetlink_log.h).
const (
	nfulnlMsgPacket = 0
	nfulnlMsgConfig = 1

	nfulaPacketHdr   = 1
	nfulaIfindexIn   = 4
	nfulaIfindexOut  = 5
	nfulaHWAddr      = 8
	nfulaPayload     = 9
	nfulaPrefix      = 10
	nfulaCT          = 18
	nfulaCTInfo      = 19
	nfulaCfgCmd      = 1
	nfulaCfgMode     = 2
	nfulaCfgQThresh  = 5
	nfulaCfgFlags    = 6
	nfulnlCmdBind    = 1
	nfulnlCopyPacket = 2
	nfulnlFConntrack = 0x0002

	// logCopy is how much of each packet is copied: the IPv4 or IPv6
	// header with options and the transport header.
	logCopy = 128
)

// ListenLog binds the firewall's NFLOG group in the router's namespace and
// calls fn for each logged packet until ctx ends. The rulesets that Apply
// loads from then on log into the group; before, and when binding fails
// (a kernel without nfnetlink_log), the log statements write to the
// kernel's log. It returns once bound, reading in the background.
func (d *Dataplane) ListenLog(ctx context.Context, fn func(FirewallLog)) error {
	c, err := netfilter.Dial(&netlink.Config{NetNS: int(d.ns)})
	if err != nil {
		return fmt.Errorf("open nfnetlink in the router namespace: %w", err)
	}
	cfg := func(attrs []netfilter.Attribute) error {
		m, err := netfilter.MarshalNetlink(netfilter.Header{
			SubsystemID: netfilter.NFSubsysULOG, MessageType: nfulnlMsgConfig,
			Family: netfilter.ProtoUnspec, ResourceID: LogGroup,
			Flags: netlink.Request | netlink.Acknowledge,
		}, attrs)
		if err != nil {
			return err
		}
		_, err = c.Query(m)
		return err
	}
	mode := make([]byte, 6)
	binary.BigEndian.PutUint32(mode, logCopy)
	mode[4] = nfulnlCopyPacket
	steps := [][]netfilter.Attribute{
		{{Type: nfulaCfgCmd, Data: []byte{nfulnlCmdBind}}},
		{{Type: nfulaCfgMode, Data: mode}},
		// One packet a message: an entry must not wait for a batch.
		{{Type: nfulaCfgQThresh, Data: netfilter.Uint32Bytes(1)}},
		{{Type: nfulaCfgFlags, Data: netfilter.Uint16Bytes(nfulnlFConntrack)}},
	}
	for _, attrs := range steps {
		if err := cfg(attrs); err != nil {
			c.Close()
			return fmt.Errorf("bind NFLOG group %d: %w", LogGroup, err)
		}
	}
	// A burst of logged packets must not be cut short by a small
	// receive buffer; what overflows it is lost (ENOBUFS), as RouterOS
	// too drops log entries it cannot keep up with.
	_ = c.SetOption(netlink.NoENOBUFS, true)
	d.mu.Lock()
	d.logGroup = LogGroup
	d.mu.Unlock()
	names := newLinkNames(d)
	go func() {
		<-ctx.Done()
		c.Close()
	}()
	go func() {
		// The lookup's socket belongs to this reader, which closes it.
		look := &ctLookup{d: d}
		defer look.close()
		for {
			msgs, err := c.Receive()
			if err != nil {
				if ctx.Err() != nil || errors.Is(err, net.ErrClosed) {
					return
				}
				// A lost burst (ENOBUFS) or a transient error: read on,
				// without spinning on a socket that keeps failing.
				time.Sleep(10 * time.Millisecond)
				continue
			}
			for _, m := range msgs {
				if ev, ok := parseLogMessage(m, names); ok {
					if !ev.Orig.Src.Addr().IsValid() {
						look.fill(&ev)
					}
					fn(ev)
				}
			}
		}
	}()
	return nil
}

// ctLookup reads a logged packet's connection from the conntrack table
// when NFLOG did not carry it: a kernel built without
// CONFIG_NETFILTER_NETLINK_GLUE_CT (Debian's and Ubuntu's have it) sends
// no conntrack attributes. The entry is read just after the packet
// passed, so its NAT is exact; its state is told from the entry's status
// and packet count (set below), which a packet that came in between can
// blur (docs/routeros.md).
type ctLookup struct {
	d    *Dataplane
	c    *conntrack.Conn
	down bool
}

func (l *ctLookup) close() {
	if l.c != nil {
		l.c.Close()
	}
}

func (l *ctLookup) fill(ev *FirewallLog) {
	p, ok := parsePacket(ev.Packet)
	if !ok || !p.ports && !p.echo || l.down {
		return
	}
	if l.c == nil {
		c, err := l.d.dialConntrack()
		if err != nil {
			l.down = true
			return
		}
		l.c = c
	}
	proto := uint8(unix.IPPROTO_TCP)
	if p.proto == "UDP" {
		proto = unix.IPPROTO_UDP
	}
	pkt := conntrack.NewFlow(proto, 0, p.src, p.dst, p.sport, p.dport, 0, 0)
	if p.echo {
		// An echo's entry is keyed by type, code and identifier; its
		// reply way has the other echo type (nf_conntrack_proto_icmp).
		other := uint8(0)
		if p.icmpType == 0 {
			other = 8
		}
		pkt = conntrack.NewFlow(unix.IPPROTO_ICMP, 0, p.src, p.dst, 0, 0, 0, 0)
		pkt.TupleOrig.Proto.ICMPType, pkt.TupleOrig.Proto.ICMPID = p.icmpType, p.icmpID
		pkt.TupleReply.Proto.ICMPType, pkt.TupleReply.Proto.ICMPID = other, p.icmpID
	}
	// The packet as it goes (before any NAT, or a src-nat still to
	// come), as dst-nat left it (the reply tuple reversed), or a reply.
	queries := []struct {
		q     conntrack.Flow
		reply bool
	}{
		{conntrack.Flow{TupleOrig: pkt.TupleOrig}, false},
		{conntrack.Flow{TupleReply: pkt.TupleReply}, false},
		{conntrack.Flow{TupleReply: pkt.TupleOrig}, true},
	}
	for _, x := range queries {
		f, err := l.c.Get(x.q)
		if err != nil {
			continue
		}
		l.set(ev, f, p, x.reply)
		return
	}
	if p.echo {
		// No hairpin search for an echo (the search below compares
		// ports): a missing entry is one the kernel did not confirm.
		ev.State = unconfirmedState(p, ev.Hook, l.d.mayUntrack())
		return
	}
	// A connection both NATs changed (a hairpin): the packet has its
	// dst-nat destination, and by the time it is looked up the src-nat
	// has changed the reply tuple too. It is the entry whose original
	// source is the packet's and whose replies come from the packet's
	// destination.
	flows, err := l.c.Dump(nil)
	if err != nil {
		return
	}
	defer func() {
		if ev.State == "" {
			ev.State = unconfirmedState(p, ev.Hook, l.d.mayUntrack())
		}
	}()
	src, dst := netip.AddrPortFrom(p.src, p.sport), netip.AddrPortFrom(p.dst, p.dport)
	for _, f := range flows {
		if f.TupleOrig.Proto.Protocol == proto && netip.AddrPortFrom(f.TupleOrig.IP.SourceAddress, f.TupleOrig.Proto.SourcePort) == src &&
			netip.AddrPortFrom(f.TupleReply.IP.SourceAddress, f.TupleReply.Proto.SourcePort) == dst {
			l.set(ev, f, p, false)
			return
		}
	}
}

// unconfirmedState is the state of a logged packet whose connection is
// not in the table (fill found no entry), "" when it cannot be told.
// The kernel gives every tracked packet an entry before the input,
// forward and postrouting hooks and puts it in the table only when the
// packet leaves them (nf_conntrack_confirm): an entry that is missing
// just after a packet of one of those hooks belongs to a packet that was
// dropped (a log=yes rule with action=drop, the usual hardening rule,
// or a later drop), and a packet that opens a connection (a TCP SYN
// alone, UDP, an ICMP echo request) was then its first: new, as NFLOG says itself on a
// kernel with CONFIG_NETFILTER_NETLINK_GLUE_CT and RouterOS logs it
// ("connection-state:new", docs/routeros.md). Left unsaid: prerouting
// and output (raw's chains run there before conntrack, and a packet
// there has no entry), a packet that does not open a connection
// (invalid, or a stray segment), and any packet while the loaded
// rulesets untrack some (a raw notrack rule, connection tracking
// enabled=no), since an untracked packet has no entry either.
func unconfirmedState(p packetInfo, hook int, mayUntrack bool) string {
	if mayUntrack {
		return ""
	}
	switch hook {
	case unix.NF_INET_LOCAL_IN, unix.NF_INET_FORWARD, unix.NF_INET_POST_ROUTING:
	default:
		return ""
	}
	if p.proto == "UDP" || p.proto == "TCP" && p.detail == "SYN" || p.echo && p.icmpType == 8 {
		return "new"
	}
	return ""
}

// mayUntrack says whether a ruleset rosemu loaded untracks packets (a raw
// notrack rule, connection tracking enabled=no, EoIP's GRE).
func (d *Dataplane) mayUntrack() bool {
	d.mu.Lock()
	defer d.mu.Unlock()
	return d.untracks
}

// set fills ev's tuples and state from the entry f; reply says the
// packet went the reply way.
func (l *ctLookup) set(ev *FirewallLog, f conntrack.Flow, p packetInfo, reply bool) {
	ev.Orig, ev.Reply = flowTuple(f.TupleOrig), flowTuple(f.TupleReply)
	// The kernel's state of a packet going the original way: new (or
	// related, for an expected connection) until a reply was seen,
	// established after. The reply may have come between the packet and
	// this lookup; the connection's first packet (a SYN, or the only one
	// counted, nf_conntrack_acct being on in rosemu's namespace) was
	// still new then.
	first := p.proto == "TCP" && p.detail == "SYN" || f.CountersOrig.Packets == 1
	switch {
	case reply || f.Status.SeenReply() && !first:
		ev.State = "established"
	case f.Status.Expected():
		ev.State = "related"
	default:
		ev.State = "new"
	}
}

// flowTuple is one direction of a decoded entry.
func flowTuple(t conntrack.Tuple) Tuple {
	return Tuple{Src: netip.AddrPortFrom(t.IP.SourceAddress, t.Proto.SourcePort), Dst: netip.AddrPortFrom(t.IP.DestinationAddress, t.Proto.DestinationPort)}
}

// linkNames maps ifindexes of the router's namespace to link names,
// asking the kernel for an index it has not seen (links come and go with
// the configuration; an index is not reused while its link lives).
type linkNames struct {
	d     *Dataplane
	names map[int]string
}

func newLinkNames(d *Dataplane) *linkNames { return &linkNames{d: d, names: map[int]string{}} }

func (l *linkNames) name(index int) string {
	if index == 0 {
		return ""
	}
	if n, ok := l.names[index]; ok {
		return n
	}
	link, err := l.d.nl.LinkByIndex(index)
	if err != nil {
		return "if" + strconv.Itoa(index)
	}
	n := link.Attrs().Name
	l.names[index] = n
	return n
}

// parseLogMessage reads one NFULNL_MSG_PACKET.
func parseLogMessage(m netlink.Message, names *linkNames) (FirewallLog, bool) {
	h, attrs, err := netfilter.UnmarshalNetlink(m)
	if err != nil || h.SubsystemID != netfilter.NFSubsysULOG || h.MessageType != nfulnlMsgPacket {
		return FirewallLog{}, false
	}
	ev := FirewallLog{Time: time.Now(), Hook: -1}
	for _, a := range attrs {
		switch a.Type {
		case nfulaPacketHdr:
			// struct nfulnl_msg_packet_hdr: hw_protocol (2 bytes), hook.
			if len(a.Data) >= 3 {
				ev.Hook = int(a.Data[2])
			}
		case nfulaPrefix:
			ev.Prefix = strings.TrimRight(string(a.Data), "\x00")
		case nfulaIfindexIn:
			ev.In = names.name(int(a.Uint32()))
		case nfulaIfindexOut:
			ev.Out = names.name(int(a.Uint32()))
		case nfulaHWAddr:
			if len(a.Data) >= 4 {
				n := int(binary.BigEndian.Uint16(a.Data))
				if n > 0 && 4+n <= len(a.Data) {
					ev.SrcMAC = append(net.HardwareAddr(nil), a.Data[4:4+n]...)
				}
			}
		case nfulaPayload:
			ev.Packet = append([]byte(nil), a.Data...)
		case nfulaCTInfo:
			ev.State = ctInfoState(a.Uint32())
		case nfulaCT:
			children := a.Children
			if !a.Nested {
				children, _ = netfilter.UnmarshalAttributes(a.Data)
			}
			ev.Orig, ev.Reply = ctTuples(children)
		}
	}
	return ev, len(ev.Packet) > 0
}

// ctInfoState names enum ip_conntrack_info as RouterOS's
// connection-state does.
func ctInfoState(info uint32) string {
	switch info {
	case 0, 3: // IP_CT_ESTABLISHED, IP_CT_ESTABLISHED_REPLY
		return "established"
	case 1, 4: // IP_CT_RELATED, IP_CT_RELATED_REPLY
		return "related"
	case 2: // IP_CT_NEW
		return "new"
	case 7: // IP_CT_UNTRACKED
		return "untracked"
	}
	return ""
}

// ctTuples reads CTA_TUPLE_ORIG and CTA_TUPLE_REPLY of a conntrack entry.
func ctTuples(attrs []netfilter.Attribute) (orig, reply Tuple) {
	for _, a := range attrs {
		switch a.Type {
		case 1: // CTA_TUPLE_ORIG
			orig = ctTuple(a)
		case 2: // CTA_TUPLE_REPLY
			reply = ctTuple(a)
		}
	}
	return orig, reply
}

func ctTuple(a netfilter.Attribute) Tuple {
	children := a.Children
	if !a.Nested {
		children, _ = netfilter.UnmarshalAttributes(a.Data)
	}
	var src, dst netip.Addr
	var sport, dport uint16
	for _, c := range children {
		kids := c.Children
		if !c.Nested {
			kids, _ = netfilter.UnmarshalAttributes(c.Data)
		}
		switch c.Type {
		case 1: // CTA_TUPLE_IP
			for _, k := range kids {
				ip, _ := netip.AddrFromSlice(k.Data)
				switch k.Type {
				case 1, 3: // CTA_IP_V4_SRC, CTA_IP_V6_SRC
					src = ip
				case 2, 4:
					dst = ip
				}
			}
		case 2: // CTA_TUPLE_PROTO
			for _, k := range kids {
				switch k.Type {
				case 2: // CTA_PROTO_SRC_PORT
					sport = k.Uint16()
				case 3:
					dport = k.Uint16()
				}
			}
		}
	}
	return Tuple{Src: netip.AddrPortFrom(src, sport), Dst: netip.AddrPortFrom(dst, dport)}
}

// FormatFirewallLog writes ev as RouterOS's log line; name maps a Linux
// link to its RouterOS interface.
//
//	<log-prefix> <chain>: in:<if> out:<if>, [connection-state:<s> ][src-mac <mac>, ]proto <P>[ (<detail>)], <src>->dst>[, NAT ...], len <n>
//
// An absent interface is "(unknown 0)", as RouterOS 7 prints it. NAT is
// shown as RouterOS does for a connection NAT changed: "NAT
// (src->new-src)->dst" for src-nat, "NAT src->(dst->new-dst)" for dst-nat
// [verify: the exact NAT notation].
func FormatFirewallLog(ev FirewallLog, name func(string) string) string {
	ifname := func(n string) string {
		if n == "" {
			return "(unknown 0)"
		}
		return name(n)
	}
	var b strings.Builder
	b.WriteString(ev.Prefix)
	fmt.Fprintf(&b, "in:%s out:%s, ", ifname(ev.In), ifname(ev.Out))
	if ev.State != "" {
		b.WriteString("connection-state:" + ev.State + " ")
	}
	if len(ev.SrcMAC) > 0 {
		b.WriteString("src-mac " + ev.SrcMAC.String() + ", ")
	}
	p, ok := parsePacket(ev.Packet)
	if !ok {
		fmt.Fprintf(&b, "proto ?, len %d", len(ev.Packet))
		return b.String()
	}
	b.WriteString("proto " + p.proto)
	if p.detail != "" {
		b.WriteString(" (" + p.detail + ")")
	}
	b.WriteString(", " + endpoint(p.src, p.sport, p.ports) + "->" + endpoint(p.dst, p.dport, p.ports))
	if nat := natText(ev, p); nat != "" {
		b.WriteString(", NAT " + nat)
	}
	fmt.Fprintf(&b, ", len %d", p.length)
	return b.String()
}

// natText describes the NAT of ev's connection, "" when it has none.
func natText(ev FirewallLog, p packetInfo) string {
	o, r := ev.Orig, ev.Reply
	if !o.Src.Addr().IsValid() || !r.Src.Addr().IsValid() {
		return ""
	}
	snat := r.Dst != o.Src // replies go to another source
	dnat := r.Src != o.Dst // replies come from another destination
	if !snat && !dnat {
		return ""
	}
	ap := func(a netip.AddrPort) string { return endpoint(a.Addr(), a.Port(), p.ports) }
	src, dst := ap(o.Src), ap(o.Dst)
	if snat {
		src = "(" + ap(o.Src) + "->" + ap(r.Dst) + ")"
	}
	if dnat {
		dst = "(" + ap(o.Dst) + "->" + ap(r.Src) + ")"
	}
	return src + "->" + dst
}

func endpoint(a netip.Addr, port uint16, ports bool) string {
	if !ports {
		return a.String()
	}
	return netip.AddrPortFrom(a, port).String()
}

// packetInfo is what a log line tells of a packet.
type packetInfo struct {
	proto, detail string
	src, dst      netip.Addr
	sport, dport  uint16
	ports         bool
	length        int
	// echo is an IPv4 ICMP echo request (8) or reply (0), with its
	// type and identifier: what conntrack keys its entry by.
	echo     bool
	icmpType uint8
	icmpID   uint16
}

// parsePacket reads the network and transport headers of an IPv4 or IPv6
// packet.
func parsePacket(b []byte) (packetInfo, bool) {
	var p packetInfo
	if len(b) < 1 {
		return p, false
	}
	var proto int
	var l4 []byte
	switch b[0] >> 4 {
	case 4:
		ihl := int(b[0]&0x0f) * 4
		if len(b) < 20 || ihl < 20 {
			return p, false
		}
		p.length = int(binary.BigEndian.Uint16(b[2:4]))
		proto = int(b[9])
		p.src, _ = netip.AddrFromSlice(b[12:16])
		p.dst, _ = netip.AddrFromSlice(b[16:20])
		if len(b) > ihl {
			l4 = b[ihl:]
		}
	case 6:
		if len(b) < 40 {
			return p, false
		}
		p.length = 40 + int(binary.BigEndian.Uint16(b[4:6]))
		proto = int(b[6])
		p.src, _ = netip.AddrFromSlice(b[8:24])
		p.dst, _ = netip.AddrFromSlice(b[24:40])
		l4 = b[40:]
	default:
		return p, false
	}
	switch proto {
	case unix.IPPROTO_TCP:
		p.proto = "TCP"
		if len(l4) >= 14 {
			p.sport, p.dport, p.ports = binary.BigEndian.Uint16(l4), binary.BigEndian.Uint16(l4[2:]), true
			p.detail = tcpFlags(l4[13])
		}
	case unix.IPPROTO_UDP:
		p.proto = "UDP"
		if len(l4) >= 4 {
			p.sport, p.dport, p.ports = binary.BigEndian.Uint16(l4), binary.BigEndian.Uint16(l4[2:]), true
		}
	case unix.IPPROTO_ICMP, unix.IPPROTO_ICMPV6:
		p.proto = "ICMP"
		if proto == unix.IPPROTO_ICMPV6 {
			p.proto = "ICMPv6"
		}
		if len(l4) >= 2 {
			p.detail = fmt.Sprintf("type %d, code %d", l4[0], l4[1])
		}
		if proto == unix.IPPROTO_ICMP && len(l4) >= 8 && l4[1] == 0 && (l4[0] == 8 || l4[0] == 0) {
			p.echo, p.icmpType, p.icmpID = true, l4[0], binary.BigEndian.Uint16(l4[4:6])
		}
	case unix.IPPROTO_GRE:
		p.proto = "GRE"
	default:
		p.proto = strconv.Itoa(proto)
	}
	return p, true
}

// tcpFlags names the flags set, in RouterOS's order [verify: the order
// beyond SYN,ACK and ACK,FIN/PSH/RST seen in RouterOS logs].
func tcpFlags(f byte) string {
	var out []string
	for _, x := range []struct {
		bit  byte
		name string
	}{{0x02, "SYN"}, {0x10, "ACK"}, {0x01, "FIN"}, {0x08, "PSH"}, {0x04, "RST"}, {0x20, "URG"}, {0x40, "ECE"}, {0x80, "CWR"}} {
		if f&x.bit != 0 {
			out = append(out, x.name)
		}
	}
	return strings.Join(out, ",")
}
