package kernel

import (
	"fmt"
	"net/netip"
	"strconv"
	"strings"

	"github.com/vishvananda/netlink"
)

// Simple queues. RouterOS limits a simple queue's targets to its max-limit:
// what they send (upload) and what is sent to them (download), each packet
// caught by the first queue whose target holds it, in list order ("Queues"
// page of the manual: simple queues are processed in order, a packet that
// matched one is not seen by the next). A target is an address, a subnet
// or an interface, several in one queue; for an interface, what enters
// the router by it is upload and what leaves by it download (the
// interface stands for what is behind it). Fasttracked connections skip them
// (the forum's first answer to "my queue does not limit": the default
// fasttrack rule).
//
// rosemu gives every interface of the router an HTB qdisc (handle 7a:)
// with two classes per queue, upload and download, and a forward-hook
// chain sets each packet's priority to its queue's class: the qdisc of
// the interface the packet leaves by sends it through that class at the
// limit. A packet no queue catches gets no class and leaves unshaped, as
// does a fasttracked one (the fasttrack rule labels its connection, and the
// chain lets labelled connections by). The chain runs after the filter
// chain (priority 10), so it sees the LAN's addresses on both ways (before
// srcnat, after dstnat), as RouterOS's queues do.
//
// An interface target is matched by the interface the chain sees: a
// routed packet of a bridge's port comes in and leaves by the bridge, so
// target=bridge holds the bridge's hosts, and a port of a bridge is not
// taken as a target (package config reports such a queue as stored).
//
// Limits of the model: each interface enforces the limit on its own, so a
// target whose traffic leaves by two interfaces in one direction gets the
// limit on each; the router's own traffic is not queued; limit-at,
// priorities and queue types other than PCQ (pcq.go) and
// the FIFOs (fifo.go) are stored only. Bursts are enforced by changing
// the classes' limits (burst.go); a parent by placing the queue's classes
// under its parent's, and its packets through its parent's chain
// (simpleparent.go).

// queueMajor is the handle of rosemu's HTB qdisc on every interface.
const queueMajor = 0x7a

// fasttrackLabel is the conntrack label of a connection a fasttrack rule
// accepted; masqLabel is another.
const fasttrackLabel = 126

// queueClass is the minor of queue i's class for a direction.
func queueClass(i int, download bool) uint16 {
	c := uint16(0x10 + 2*i)
	if download {
		c++
	}
	return c
}

// renderQueues writes the chain that sorts forwarded packets into the
// queues' classes.
func renderQueues(b *strings.Builder, st *State, mk *marks) {
	qs := st.Queues
	if len(qs) == 0 {
		return
	}
	pcqs := pcqLayout(st)
	h := simpleHierarchy(qs)
	fmt.Fprintf(b, "\n\t# RouterOS /queue simple: each forwarded packet joins the class of the first queue whose target holds it\n")
	fmt.Fprintf(b, "\tchain simple_queues {\n\t\ttype filter hook forward priority 10; policy accept;\n")
	fmt.Fprintf(b, "\t\tct label %d accept comment \"fasttracked: no queue\"\n", fasttrackLabel)
	for i, q := range qs {
		if !h.placed(i) || h.parent[i] >= 0 {
			continue // a child is reached through its parent (simpleparent.go)
		}
		// Both directions of a queue are matched even when one is
		// unlimited, so that a later queue does not catch that way. An
		// address target holds a packet's source (upload) or
		// destination (download); an interface target the interface it
		// came in by (upload) or leaves by (download). The upload rules
		// come first, so that a packet that is both (from one target to
		// another) is upload, as it is for address targets.
		rules := simpleRules(q, false, simpleAction(h, pcqs, qs, i, false), mk)
		rules = append(rules, simpleRules(q, true, simpleAction(h, pcqs, qs, i, true), mk)...)
		for _, r := range rules {
			b.WriteString("\t\t" + r + "\n")
		}
	}
	b.WriteString("\t}\n")
	renderSimpleChains(b, st, h, pcqs, mk)
}

// pickClass is the statement that puts a packet in the class minor: its
// PCQ child, when the queue is a PCQ, else the class itself.
func pickClass(pcqs map[uint16]pcqClass, minor uint16) string {
	if c, ok := pcqs[minor]; ok {
		return c.pick()
	}
	return fmt.Sprintf("meta priority set %x:%x", queueMajor, minor)
}

// prefixSet writes prefixes as an anonymous nftables set, "" for none.
func prefixSet(ps []netip.Prefix) string {
	if len(ps) == 0 {
		return ""
	}
	var out []string
	for _, p := range ps {
		out = append(out, p.String())
	}
	return "{ " + strings.Join(out, ", ") + " }"
}

// linkSet writes RouterOS interface names as an anonymous set of their
// kernel link names, "" for none.
func linkSet(names []string) string {
	if len(names) == 0 {
		return ""
	}
	var out []string
	for _, n := range names {
		out = append(out, strconv.Quote(LinkName(n)))
	}
	return "{ " + strings.Join(out, ", ") + " }"
}

// queuesKey identifies what syncQueues built, so that an Apply that changes
// nothing of the queues or interfaces leaves the qdiscs (and their
// backlog) alone.
func queuesKey(st *State) string {
	return fmt.Sprintf("%v|%v|%v|%v", st.Queues, st.TreeQueues, st.shapedLinks(), st.InterfaceQueues)
}

// linkMTUs are the MTUs of the links named, as the kernel has them: the
// FIFOs' segmenters (fifo.go) are cut to them. A link that is missing
// counts as 0; syncQueues reports it.
func (d *Dataplane) linkMTUs(names []string) string {
	var b strings.Builder
	for _, n := range names {
		mtu := 0
		if l, err := d.nl.LinkByName(LinkName(n)); err == nil {
			mtu = l.Attrs().MTU
		}
		fmt.Fprintf(&b, "|%d", mtu)
	}
	return b.String()
}

// shapedLinks are the interfaces the queues shape: the ports, bridges and
// VLANs, and the PPPoE sessions that are up.
func (st *State) shapedLinks() []string {
	return append(st.l2Names(), st.SessionLinks...)
}

// syncQueues puts rosemu's HTB qdisc with the simple queues' classes on
// every interface of the router, and the queue trees' on the interfaces
// they live on (queuetree.go), or takes it off where no queue is left.
func (d *Dataplane) syncQueues(st *State) error {
	key := queuesKey(st)
	if len(st.Queues) > 0 || len(st.TreeQueues) > 0 || len(st.InterfaceQueues) > 0 {
		// Only queues have segmenters (and interface queues bursts) cut to the MTUs: a router without
		// any asks the kernel nothing more at each Apply.
		key += d.linkMTUs(st.shapedLinks())
	}
	if key == d.queuesKey {
		return nil
	}
	// A reading the sampler takes from here on is of classes being
	// replaced: it is not kept (queuestats.go).
	d.queueGen++
	// The burst controllers leave the classes alone while they are
	// rebuilt, and follow the new ones (burst.go).
	oldBursts := d.haltBursts()
	root := netlink.MakeHandle(queueMajor, 0)
	layout := treeLayout(st)
	pcqs := pcqLayout(st)
	simple := simpleLayout(st)
	session := map[string]bool{}
	for _, n := range st.SessionLinks {
		session[n] = true
	}
	for _, n := range st.shapedLinks() {
		l, err := d.nl.LinkByName(LinkName(n))
		if err != nil {
			if session[n] {
				continue // a session's TUN that is already gone
			}
			return fmt.Errorf("sync queues on interface %s: %w", n, err)
		}
		qds, err := d.nl.QdiscList(l)
		if err != nil {
			return fmt.Errorf("sync queues on interface %s: list qdiscs: %w", n, err)
		}
		for _, q := range qds {
			// The HTB, or the interface queue's token bucket with the
			// HTB under it (ifqueue.go): removing the root takes the
			// qdiscs under it along.
			if (q.Attrs().Handle == root || q.Attrs().Handle == ifQueueHandle) && q.Attrs().Parent == netlink.HANDLE_ROOT {
				if err := d.nl.QdiscDel(q); err != nil {
					return fmt.Errorf("sync queues on interface %s: remove the old qdisc: %w", n, err)
				}
			}
		}
		htbParent := uint32(netlink.HANDLE_ROOT)
		if rate := st.InterfaceQueues[n]; rate > 0 {
			if err := d.addInterfaceQueue(l, rate); err != nil {
				return fmt.Errorf("sync queues on interface %s: %w", n, err)
			}
			htbParent = ifQueueHandle | 1
		}
		if len(st.Queues) == 0 && !treeOn(layout, n) {
			continue
		}
		// The handles of the qdiscs under the HTB, afresh: removing the
		// old HTB took its qdiscs with it.
		majors := &fifoMajors{}
		htb := netlink.NewHtb(netlink.QdiscAttrs{LinkIndex: l.Attrs().Index, Handle: root, Parent: htbParent})
		if err := d.nl.QdiscAdd(htb); err != nil {
			return fmt.Errorf("sync queues on interface %s: add an HTB qdisc: %w", n, err)
		}
		for _, c := range simple {
			q := st.Queues[c.q]
			cl := newHTBClass(netlink.ClassAttrs{LinkIndex: l.Attrs().Index, Parent: netlink.MakeHandle(queueMajor, c.parentMinor),
				Handle: netlink.MakeHandle(queueMajor, c.minor)},
				netlink.HtbClassAttrs{Rate: c.rate, Ceil: c.ceil, Prio: 7, Quantum: c.quantum})
			if err := d.nl.ClassAdd(cl); err != nil {
				return fmt.Errorf("sync queue %s on interface %s: add its class: %w", q.Name, n, err)
			}
			if !c.leaf {
				continue // an inner queue: its packets are its leaves'
			}
			if pc, ok := pcqs[c.minor]; ok {
				if err := d.addPCQChildren(l, majors, pc, c.rate, c.ceil, 7); err != nil {
					return fmt.Errorf("sync queue %s on interface %s: %w", q.Name, n, err)
				}
			} else if err := d.addFIFO(l, majors, netlink.MakeHandle(queueMajor, c.minor), q.dir(c.download).fifo); err != nil {
				return fmt.Errorf("sync queue %s on interface %s: %w", q.Name, n, err)
			}
		}
		if err := d.addTreeClasses(l, majors, n, layout, pcqs); err != nil {
			return err
		}
	}
	d.startBursts(st, oldBursts)
	d.queuesKey = key
	// The new classes count from zero: the old base and readings are of
	// the classes taken away (queuestats.go).
	d.queueBase, d.queueSamples = nil, [2]*queueSample{}
	d.syncQueueSampler(len(st.Queues) > 0 || len(st.TreeQueues) > 0)
	return nil
}

// htbMinRate is the smallest rate and ceiling, in bits/s, an HTB class is
// given; RouterOS takes a max-limit of 1. HTB counts bytes/s, so 1 to 7
// bits/s are 0, which the kernel refuses (EINVAL: the whole queue sync
// failed); and the class's buffer is the time one 1600-byte packet takes at
// the rate, in the kernel's 32-bit ticks, which overflows below about 48
// bits/s (measured: at 8 and 16 bits/s the buffer wrapped around, at 64 it
// held 3.1e9 of 4.3e9 ticks). 800 bits/s keeps a tenfold margin; a queue
// that slow holds back nearly every packet as RouterOS's would.
const htbMinRate = 800

// newHTBClass is netlink.NewHtbClass with the rate and ceiling raised to
// htbMinRate.
func newHTBClass(attrs netlink.ClassAttrs, h netlink.HtbClassAttrs) *netlink.HtbClass {
	h.Rate, h.Ceil = max(h.Rate, htbMinRate), max(h.Ceil, htbMinRate)
	return netlink.NewHtbClass(attrs, h)
}
