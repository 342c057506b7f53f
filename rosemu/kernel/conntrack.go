package kernel

import (
	"encoding/binary"
	"errors"
	"fmt"
	"net/netip"
	"os"
	"sort"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/vishvananda/netlink/nl"
	"golang.org/x/sys/unix"
)

// Conn is one connection-tracking entry, in the terms of RouterOS's
// /ip firewall connection.
type Conn struct {
	// ID is the kernel's id of the entry (ctnetlink CTA_ID): unique among
	// the live entries of the namespace and fixed for the entry's life.
	ID       uint32
	Protocol string         // "tcp", "udp", "icmp", ... or the number
	Src, Dst netip.AddrPort // original direction, as the first packet had them
	// ReplySrc and ReplyDst are the reply direction: a dst-nat shows as
	// ReplySrc != Dst, a src-nat as ReplyDst != Src.
	ReplySrc, ReplyDst netip.AddrPort
	State              string // TCP state (e.g. "established"), "" for other protocols
	// Timeout is the time left until the entry expires if no packet
	// refreshes it.
	Timeout time.Duration
	// The status bits of the entry (enum ip_conntrack_status): SrcNAT and
	// DstNAT say that NAT changed the connection; Offload is a flow moved
	// to a flowtable (RouterOS's fasttrack).
	Expected, SeenReply, Assured, Confirmed, Dying, Offload bool
	SrcNAT, DstNAT                                          bool
	// Counted is set when the kernel counts the entry's traffic
	// (net.netfilter.nf_conntrack_acct=1); the counters are zero otherwise.
	Counted                  bool
	OrigPackets, OrigBytes   uint64
	ReplyPackets, ReplyBytes uint64
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

// ctnetlink attribute types and status bits (linux/netfilter/nfnetlink_conntrack.h
// and nf_conntrack_common.h). vishvananda/netlink's ConntrackFlow drops the
// status and the id, which RouterOS's flags and remove need, so the entries
// are parsed here.
const (
	ctaTupleOrig      = 1
	ctaTupleReply     = 2
	ctaStatus         = 3
	ctaProtoinfo      = 4
	ctaTimeout        = 7
	ctaCountersOrig   = 9
	ctaCountersReply  = 10
	ctaID             = 12
	ctaTupleIP        = 1
	ctaTupleProto     = 2
	ctaIPv4Src        = 1
	ctaIPv4Dst        = 2
	ctaProtoNum       = 1
	ctaProtoSrcPort   = 2
	ctaProtoDstPort   = 3
	ctaProtoinfoTCP   = 1
	ctaProtoinfoState = 1
	ctaCounterPackets = 1
	ctaCounterBytes   = 2

	ipsExpected  = 1 << 0
	ipsSeenReply = 1 << 1
	ipsAssured   = 1 << 2
	ipsConfirmed = 1 << 3
	ipsSrcNAT    = 1 << 4
	ipsDstNAT    = 1 << 5
	ipsDying     = 1 << 9
	ipsOffload   = 1 << 14
)

// Connections lists the IPv4 connection-tracking table of the router
// namespace over ctnetlink, ordered by protocol, source and destination so
// that console numbers stay put while the table does not change.
func (d *Dataplane) Connections() ([]Conn, error) {
	msgs, err := d.dumpConntrack()
	if err != nil {
		return nil, err
	}
	out := make([]Conn, 0, len(msgs))
	for _, m := range msgs {
		c, err := parseConn(m)
		if err != nil {
			return nil, fmt.Errorf("list connections: %w", err)
		}
		out = append(out, c)
	}
	sort.SliceStable(out, func(i, j int) bool {
		a, b := out[i], out[j]
		if a.Protocol != b.Protocol {
			return a.Protocol < b.Protocol
		}
		if c := a.Src.Compare(b.Src); c != 0 {
			return c < 0
		}
		if c := a.Dst.Compare(b.Dst); c != 0 {
			return c < 0
		}
		return a.ID < b.ID
	})
	return out, nil
}

// RemoveConnection deletes the entry with the kernel id from the router
// namespace, as `conntrack -D --id` does. An entry that is already gone is
// not an error: removing is what the caller wanted.
func (d *Dataplane) RemoveConnection(id uint32) error {
	msgs, err := d.dumpConntrack()
	if err != nil {
		return err
	}
	for _, m := range msgs {
		c, err := parseConn(m)
		if err != nil || c.ID != id {
			continue
		}
		// The dumped entry, id included, is the delete request's body: the
		// kernel finds it by its original tuple and refuses when the id
		// no longer matches, so a new entry with the same tuple survives.
		err = inNetns(d.ns, func() error {
			req := nl.NewNetlinkRequest(unix.NFNL_SUBSYS_CTNETLINK<<8|nl.IPCTNL_MSG_CT_DELETE, unix.NLM_F_ACK)
			req.AddData(&nl.Nfgenmsg{NfgenFamily: unix.AF_INET, Version: nl.NFNETLINK_V0})
			req.AddRawData(m[nl.SizeofNfgenmsg:])
			_, err := req.Execute(unix.NETLINK_NETFILTER, 0)
			return err
		})
		if err != nil && !errors.Is(err, syscall.ENOENT) {
			return fmt.Errorf("remove connection %d over ctnetlink: %w", id, err)
		}
		return nil
	}
	return nil
}

// ConntrackSysctls returns the router namespace's net.netfilter.nf_conntrack_*
// sysctls by name without that prefix ("tcp_timeout_established": "432000",
// "max": "262144"). It is empty where the namespace has no connection
// tracking loaded.
func (d *Dataplane) ConntrackSysctls() (map[string]string, error) {
	const dir = "/proc/sys/net/netfilter"
	out := map[string]string{}
	err := inNetns(d.ns, func() error {
		ents, err := os.ReadDir(dir)
		if errors.Is(err, os.ErrNotExist) {
			return nil
		}
		if err != nil {
			return err
		}
		for _, e := range ents {
			name, ok := strings.CutPrefix(e.Name(), "nf_conntrack_")
			if !ok || e.IsDir() {
				continue
			}
			// Some entries are write-only or vanish with a module; the
			// rest are still worth showing.
			if v, err := os.ReadFile(dir + "/" + e.Name()); err == nil {
				out[name] = strings.TrimSpace(string(v))
			}
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("read the conntrack sysctls of the router namespace: %w", err)
	}
	return out, nil
}

// dumpConntrack returns the raw ctnetlink messages of the namespace's IPv4
// table. A dump the kernel marks interrupted (the table changed while it
// was read) is repeated a few times before the partial result is used.
func (d *Dataplane) dumpConntrack() ([][]byte, error) {
	var msgs [][]byte
	var err error
	for range 3 {
		err = inNetns(d.ns, func() error {
			req := nl.NewNetlinkRequest(unix.NFNL_SUBSYS_CTNETLINK<<8|nl.IPCTNL_MSG_CT_GET, unix.NLM_F_DUMP)
			req.AddData(&nl.Nfgenmsg{NfgenFamily: unix.AF_INET, Version: nl.NFNETLINK_V0})
			var err error
			msgs, err = req.Execute(unix.NETLINK_NETFILTER, 0)
			return err
		})
		if !errors.Is(err, nl.ErrDumpInterrupted) {
			break
		}
	}
	if err != nil && !errors.Is(err, nl.ErrDumpInterrupted) {
		return nil, fmt.Errorf("dump the conntrack table over ctnetlink: %w", err)
	}
	return msgs, nil
}

// attrs parses a run of netlink attributes keyed by type, nesting and
// byte-order flags masked off.
func attrs(b []byte) (map[uint16][]byte, error) {
	list, err := nl.ParseRouteAttr(b)
	if err != nil {
		return nil, err
	}
	m := make(map[uint16][]byte, len(list))
	for _, a := range list {
		m[a.Attr.Type&nl.NLA_TYPE_MASK] = a.Value
	}
	return m, nil
}

// parseConn decodes one ctnetlink entry (nfgenmsg header, then attributes).
func parseConn(msg []byte) (Conn, error) {
	var c Conn
	if len(msg) < nl.SizeofNfgenmsg {
		return c, fmt.Errorf("parse conntrack entry: %d bytes is too short", len(msg))
	}
	top, err := attrs(msg[nl.SizeofNfgenmsg:])
	if err != nil {
		return c, fmt.Errorf("parse conntrack entry: %w", err)
	}
	var proto uint8
	if c.Src, c.Dst, proto, err = parseTuple(top[ctaTupleOrig]); err != nil {
		return c, fmt.Errorf("parse original tuple: %w", err)
	}
	if c.ReplySrc, c.ReplyDst, _, err = parseTuple(top[ctaTupleReply]); err != nil {
		return c, fmt.Errorf("parse reply tuple: %w", err)
	}
	c.Protocol = protoName(proto)
	if v := top[ctaID]; len(v) == 4 {
		c.ID = binary.BigEndian.Uint32(v)
	}
	if v := top[ctaTimeout]; len(v) == 4 {
		c.Timeout = time.Duration(binary.BigEndian.Uint32(v)) * time.Second
	}
	if v := top[ctaStatus]; len(v) == 4 {
		s := binary.BigEndian.Uint32(v)
		c.Expected, c.SeenReply, c.Assured = s&ipsExpected != 0, s&ipsSeenReply != 0, s&ipsAssured != 0
		c.Confirmed, c.Dying, c.Offload = s&ipsConfirmed != 0, s&ipsDying != 0, s&ipsOffload != 0
		c.SrcNAT, c.DstNAT = s&ipsSrcNAT != 0, s&ipsDstNAT != 0
	}
	if v, ok := top[ctaProtoinfo]; ok {
		pi, err := attrs(v)
		if err != nil {
			return c, fmt.Errorf("parse protocol info: %w", err)
		}
		if tcp, ok := pi[ctaProtoinfoTCP]; ok {
			t, err := attrs(tcp)
			if err != nil {
				return c, fmt.Errorf("parse tcp info: %w", err)
			}
			if st := t[ctaProtoinfoState]; len(st) == 1 && int(st[0]) < len(tcpStates) {
				c.State = tcpStates[st[0]]
			}
		}
	}
	counters := func(b []byte) (pk, by uint64, err error) {
		m, err := attrs(b)
		if err != nil {
			return 0, 0, err
		}
		if v := m[ctaCounterPackets]; len(v) == 8 {
			pk = binary.BigEndian.Uint64(v)
		}
		if v := m[ctaCounterBytes]; len(v) == 8 {
			by = binary.BigEndian.Uint64(v)
		}
		return pk, by, nil
	}
	if v, ok := top[ctaCountersOrig]; ok {
		c.Counted = true
		if c.OrigPackets, c.OrigBytes, err = counters(v); err != nil {
			return c, fmt.Errorf("parse original counters: %w", err)
		}
	}
	if v, ok := top[ctaCountersReply]; ok {
		if c.ReplyPackets, c.ReplyBytes, err = counters(v); err != nil {
			return c, fmt.Errorf("parse reply counters: %w", err)
		}
	}
	return c, nil
}

// parseTuple decodes a CTA_TUPLE_* attribute: addresses, protocol, ports.
func parseTuple(b []byte) (src, dst netip.AddrPort, proto uint8, err error) {
	t, err := attrs(b)
	if err != nil {
		return src, dst, 0, err
	}
	ip, err := attrs(t[ctaTupleIP])
	if err != nil {
		return src, dst, 0, err
	}
	pr, err := attrs(t[ctaTupleProto])
	if err != nil {
		return src, dst, 0, err
	}
	sa, ok1 := netip.AddrFromSlice(ip[ctaIPv4Src])
	da, ok2 := netip.AddrFromSlice(ip[ctaIPv4Dst])
	if !ok1 || !ok2 {
		return src, dst, 0, fmt.Errorf("tuple without IPv4 addresses")
	}
	var sp, dp uint16
	if v := pr[ctaProtoSrcPort]; len(v) == 2 {
		sp = binary.BigEndian.Uint16(v)
	}
	if v := pr[ctaProtoDstPort]; len(v) == 2 {
		dp = binary.BigEndian.Uint16(v)
	}
	if v := pr[ctaProtoNum]; len(v) == 1 {
		proto = v[0]
	}
	return netip.AddrPortFrom(sa, sp), netip.AddrPortFrom(da, dp), proto, nil
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
