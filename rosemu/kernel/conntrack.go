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
	"time"

	"github.com/mdlayher/netlink"
	"github.com/ti-mo/conntrack"
	"github.com/ti-mo/netfilter"
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
	// Fasttracked is a connection rosemu's fasttrack rule labelled
	// (fasttrackLabel): its packets take rosemu's fast path, which is
	// RouterOS's fasttrack (F in /ip firewall connection print).
	Fasttracked bool
	// Counted is set when the kernel counts the entry's traffic
	// (net.netfilter.nf_conntrack_acct=1); the counters are zero otherwise.
	Counted                  bool
	OrigPackets, OrigBytes   uint64
	ReplyPackets, ReplyBytes uint64
	// ConnectionMark is the name of the entry's connection mark, "" for
	// none: the ct mark holds its number (marks.go).
	ConnectionMark string
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

// ctaID is CTA_ID (linux/netfilter/nfnetlink_conntrack.h), the one
// ctnetlink attribute removeByID reads itself.
const ctaID = 12

// dialConntrack opens a ctnetlink socket in the router namespace. The
// netlink library creates the socket on a thread of its own switched into
// d.ns, so no thread of ours changes namespace; the socket keeps the
// namespace for its life.
func (d *Dataplane) dialConntrack() (*conntrack.Conn, error) {
	c, err := conntrack.Dial(&netlink.Config{NetNS: int(d.ns)})
	if err != nil {
		return nil, fmt.Errorf("open ctnetlink in the router namespace: %w", err)
	}
	return c, nil
}

// Connections lists the IPv4 connection-tracking table of the router
// namespace over ctnetlink, ordered by protocol, source and destination so
// that console numbers stay put while the table does not change.
func (d *Dataplane) Connections() ([]Conn, error) {
	c, err := d.dialConntrack()
	if err != nil {
		return nil, err
	}
	defer c.Close()
	flows, err := c.DumpFilter(conntrack.NewFilter().Family(netfilter.ProtoIPv4), nil)
	if err != nil {
		return nil, fmt.Errorf("dump the conntrack table over ctnetlink: %w", err)
	}
	// The numbers of the connection marks of the applied state, back to
	// their names.
	d.mu.Lock()
	last := d.last
	d.mu.Unlock()
	names := map[uint32]string{}
	if last != nil {
		for name, n := range collectMarks(last).conn {
			names[n] = name
		}
	}
	out := make([]Conn, 0, len(flows))
	for _, f := range flows {
		c, err := connFromFlow(f)
		if err != nil {
			return nil, fmt.Errorf("list connections: %w", err)
		}
		if n := f.Mark & connMarkMask; n != 0 {
			c.ConnectionMark = names[n]
			if c.ConnectionMark == "" {
				// A mark of a rule since removed: RouterOS keeps the name,
				// rosemu has only its number.
				c.ConnectionMark = fmt.Sprintf("0x%x", n)
			}
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

// connFromFlow turns the library's decoded entry into RouterOS's terms.
func connFromFlow(f conntrack.Flow) (Conn, error) {
	o, r := f.TupleOrig, f.TupleReply
	if !o.IP.SourceAddress.Is4() || !o.IP.DestinationAddress.Is4() ||
		!r.IP.SourceAddress.Is4() || !r.IP.DestinationAddress.Is4() {
		return Conn{}, fmt.Errorf("parse conntrack entry %d: tuple without IPv4 addresses", f.ID)
	}
	c := Conn{
		ID:       f.ID,
		Protocol: protoName(o.Proto.Protocol),
		Src:      netip.AddrPortFrom(o.IP.SourceAddress, o.Proto.SourcePort),
		Dst:      netip.AddrPortFrom(o.IP.DestinationAddress, o.Proto.DestinationPort),
		ReplySrc: netip.AddrPortFrom(r.IP.SourceAddress, r.Proto.SourcePort),
		ReplyDst: netip.AddrPortFrom(r.IP.DestinationAddress, r.Proto.DestinationPort),
		Timeout:  time.Duration(f.Timeout) * time.Second,

		Expected:  f.Status.Expected(),
		SeenReply: f.Status.SeenReply(),
		Assured:   f.Status.Assured(),
		Confirmed: f.Status.Confirmed(),
		Dying:     f.Status.Dying(),
		Offload:   f.Status.Offload(),
		SrcNAT:    f.Status.SrcNAT(),
		DstNAT:    f.Status.DstNAT(),

		Fasttracked: labelSet(f.Labels, fasttrackLabel),

		OrigPackets:  f.CountersOrig.Packets,
		OrigBytes:    f.CountersOrig.Bytes,
		ReplyPackets: f.CountersReply.Packets,
		ReplyBytes:   f.CountersReply.Bytes,
	}
	// The kernel sends both counter attributes or neither (only entries
	// created under nf_conntrack_acct=1 carry them), and the library marks
	// a reply counter it decoded with Direction, so that flag says whether
	// the entry is counted even when its counts are still zero.
	c.Counted = f.CountersReply.Direction
	if tcp := f.ProtoInfo.TCP; tcp != nil && int(tcp.State) < len(tcpStates) {
		c.State = tcpStates[tcp.State]
	}
	return c, nil
}

// labelSet reports whether ct label bit is set in an entry's CTA_LABELS:
// the kernel sends its label bitmap as it holds it, an array of unsigned
// longs in the host's byte order (nf_conntrack_labels.h, ctnetlink).
func labelSet(labels []byte, bit int) bool {
	w := bit / 64 * 8
	if w+8 > len(labels) {
		return false
	}
	return binary.NativeEndian.Uint64(labels[w:w+8])&(1<<(bit%64)) != 0
}

// RemoveConnection deletes the entry with the kernel id from the router
// namespace, as `conntrack -D --id` does. An entry that is already gone is
// not an error: removing is what the caller wanted.
func (d *Dataplane) RemoveConnection(id uint32) error {
	if err := d.removeByID(id); err != nil {
		return fmt.Errorf("remove connection %d over ctnetlink: %w", id, err)
	}
	return nil
}

// removeByID deletes entry id, and only that entry. It is the one piece of
// ctnetlink not left to github.com/ti-mo/conntrack: the library's Delete (as
// of v0.6.0) never sends CTA_ID, so the kernel would delete whatever entry
// now holds the tuple, a newer connection included. Here the dumped entry,
// id included, is sent back as the delete request's body, as before: the
// kernel finds it by its original tuple and refuses with ENOENT when the id
// no longer matches, so a new entry with the same tuple survives.
func (d *Dataplane) removeByID(id uint32) error {
	_, err := d.removeByIDs(map[uint32]bool{id: true})
	return err
}

// removeByIDs deletes the entries with these ids, and only those, from one
// dump of the table, and returns how many it deleted.
func (d *Dataplane) removeByIDs(ids map[uint32]bool) (int, error) {
	c, err := netfilter.Dial(&netlink.Config{NetNS: int(d.ns)})
	if err != nil {
		return 0, fmt.Errorf("open ctnetlink in the router namespace: %w", err)
	}
	defer c.Close()
	const ctGet, ctDelete = 1, 2 // IPCTNL_MSG_CT_GET, IPCTNL_MSG_CT_DELETE
	dump, err := netfilter.MarshalNetlink(netfilter.Header{
		SubsystemID: netfilter.NFSubsysCTNetlink,
		MessageType: ctGet,
		Family:      netfilter.ProtoIPv4,
		Flags:       netlink.Request | netlink.Dump,
	}, nil)
	if err != nil {
		return 0, err
	}
	msgs, err := c.Query(dump)
	if err != nil {
		return 0, fmt.Errorf("dump the conntrack table: %w", err)
	}
	n := 0
	for _, m := range msgs {
		if len(m.Data) < nfgenmsgLen || !ids[entryID(m.Data[nfgenmsgLen:])] {
			continue
		}
		m.Header = netlink.Header{
			Type:  netlink.HeaderType(uint16(netfilter.NFSubsysCTNetlink)<<8 | ctDelete),
			Flags: netlink.Request | netlink.Acknowledge,
		}
		_, err := c.Query(m)
		if err != nil && !errors.Is(err, unix.ENOENT) {
			return n, err
		}
		n++
		if n == len(ids) {
			break
		}
	}
	return n, nil
}

// nfgenmsgLen is the size of the netfilter header before a message's
// attributes.
const nfgenmsgLen = 4

// entryID returns the CTA_ID of a dumped entry's attributes, 0 when it has
// none.
func entryID(attrs []byte) uint32 {
	ad, err := netlink.NewAttributeDecoder(attrs)
	if err != nil {
		return 0
	}
	ad.ByteOrder = binary.BigEndian
	for ad.Next() {
		if ad.Type() == ctaID {
			return ad.Uint32()
		}
	}
	return 0
}

// ConntrackSysctls returns the router namespace's net.netfilter.nf_conntrack_*
// sysctls by name without that prefix ("tcp_timeout_established": "432000",
// "max": "262144"), with "max" the emulated capacity when there is one. It
// is empty where the namespace has no connection tracking loaded.
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
	// An emulated capacity is the table's limit in place of the kernel's
	// (capacity.go). It is set before the router serves requests and never
	// changes, so reading it needs no lock.
	if d.capacity > 0 {
		out["max"] = strconv.Itoa(d.capacity)
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
