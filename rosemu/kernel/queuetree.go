package kernel

import (
	"fmt"
	"sort"
	"strings"

	"github.com/vishvananda/netlink"
)

// Queue trees. RouterOS builds a queue tree as an HTB hierarchy: an entry
// whose parent is an interface is a class of that interface's HTB, one
// whose parent is global a class of the global HTB, and one whose parent
// is another entry a class under it, up to eight levels ("Queues" and
// "HTB" pages of the manual). Only leaves hold packets, and a leaf takes
// the packets whose packet mark (set by /ip firewall mangle) it names;
// limit-at is what the class is guaranteed, max-limit the most it may
// reach by borrowing from its parent, and priority orders the leaves that
// borrow. Fasttracked packets skip the global tree (parent=global) as
// they skip the simple queues, but an interface's tree still shapes them
// (Firewall manual, FastTrack: "FastTrack packets bypass ... simple
// queues, queue tree with parent=global"): the "SQM without disabling
// fasttrack" recipe rests on it. They skip mangle, so they carry no
// packet mark and only a packet-mark=no-mark leaf takes them.
//
// rosemu builds the same classes in the HTB qdisc (handle 7a:) that
// carries the simple queues (queues.go): an interface's tree on that
// interface, the global tree on every interface (so each interface
// enforces its limits on its own, as for simple queues). A postrouting
// chain, after NAT, sets each packet's priority to the class of the leaf
// that takes it: first a leaf of the tree of the interface the packet
// leaves by, then a leaf of the global tree. A packet a simple queue
// caught and a tree leaf also takes is held by the leaf (RouterOS would
// pass it through both). A class without limit-at gets the smallest rate,
// so that its parent's max-limit bounds what its children take together
// (an HTB class is never held back below its own rate), except a top
// class, which has no parent to borrow from and gets its max-limit; one
// without max-limit may take what its parent leaves.
//
// A PPPoE client's interface is shaped while its session is up (the
// session's TUN device carries the qdisc; it is built again when the
// session comes back). A leaf with a PCQ type gets a child class per
// sub-stream (pcq.go); its classifier sees the packet as it leaves, after
// src-nat, as an interface's HTB does in RouterOS's packet flow
// [verify] for a tree under global. An entry's burst changes its class's
// ceiling (burst.go). Limits of the model: other queue types (SFQ, RED,
// ...; the kernel has none) and bucket-size are stored only; trees under other interfaces (tunnels) are not built.

// treeMinorBase is the first minor of the tree classes, above the simple
// queues' (queueClass).
const treeMinorBase = 0x1000

// treeFloorRate is the rate of a class without limit-at, in bits/s: HTB
// needs one, and the smallest lets the parent's ceiling rule.
const treeFloorRate = 8000

// treeUnlimited stands for no max-limit anywhere up the tree, in bits/s:
// above what a lab's links carry, and within HTB's 32-bit rate field in
// bytes/s (a 64-bit ceiling left the class without ceiling tokens).
const treeUnlimited = 32e9

// treeClass is one tree entry placed in its HTB.
type treeClass struct {
	q           TreeQueue
	minor       uint16
	parentMinor uint16 // 0: a top class, under the qdisc
	root        string // "global" or the interface's RouterOS name
	leaf        bool
	depth       int
	ceil        uint64 // the smallest max-limit of it and its parents; 0: none
	// upCeil is the smallest ceiling of its parents alone, 0: none; a
	// parent with a burst counts at its burst-limit, the most it may
	// reach (its own class holds it to its max-limit while burst is
	// denied, burst.go).
	upCeil uint64
}

// treeLayout places the entries of st.TreeQueues: an entry whose chain of
// parents does not end at global or one of the router's interfaces within
// eight levels is left out, with what is under it. Parents come before
// their children.
func treeLayout(st *State) []treeClass {
	idx := map[string]int{}
	for i, q := range st.TreeQueues {
		idx[q.Name] = i
	}
	ifaces := map[string]bool{}
	for _, n := range st.shapedLinks() {
		ifaces[n] = true
	}
	parents := map[string]bool{}
	for _, q := range st.TreeQueues {
		parents[q.Parent] = true
	}
	var out []treeClass
	for i, q := range st.TreeQueues {
		if treeMinorBase+i >= simpleOwnBase {
			// The minors above are the inner simple queues' own
			// leaves and the PCQ sub-streams'.
			break
		}
		c := treeClass{q: q, minor: treeMinorBase + uint16(i), leaf: !parents[q.Name], ceil: q.MaxLimit}
		p, placed := q.Parent, false
		for depth := 0; depth < 8; depth++ {
			if p == "global" || ifaces[p] {
				c.root, c.depth, placed = p, depth, true
				break
			}
			j, ok := idx[p]
			if !ok {
				break
			}
			if depth == 0 {
				c.parentMinor = treeMinorBase + uint16(j)
			}
			m := st.TreeQueues[j].MaxLimit
			if b := st.TreeQueues[j].Burst; b.Applies(m) {
				m = b.Limit
			}
			if m > 0 && (c.upCeil == 0 || m < c.upCeil) {
				c.upCeil = m
			}
			if m > 0 && (c.ceil == 0 || m < c.ceil) {
				c.ceil = m
			}
			p = st.TreeQueues[j].Parent
		}
		if placed {
			out = append(out, c)
		}
	}
	sort.SliceStable(out, func(a, b int) bool { return out[a].depth < out[b].depth })
	return out
}

// treeOn reports whether interface name carries tree classes.
func treeOn(layout []treeClass, name string) bool {
	for _, c := range layout {
		if c.root == "global" || c.root == name {
			return true
		}
	}
	return false
}

// renderTree writes the chain that sorts packets into the leaves' classes.
// A leaf whose packet mark no firewall rule sets or matches catches
// nothing (no packet carries it).
func renderTree(b *strings.Builder, st *State, mk *marks) {
	var ifRules, lowerRules, globalRules []string
	pcqs := pcqLayout(st)
	ports := bridgePortSet(st)
	for _, c := range treeLayout(st) {
		if !c.leaf || ports[c.root] {
			continue // a bridge port's tree is sorted in the bridge table (renderPortTree)
		}
		for _, name := range c.q.PacketMarks {
			n, err := mk.packetMark(name)
			if err != nil {
				continue // no rule sets or matches it: no packet carries it
			}
			r := fmt.Sprintf("meta mark & 0x%x == 0x%x %s accept comment %s", packetMarkMask, n, pickClass(pcqs, c.minor), quoteText(c.q.Name, maxComment))
			if c.root == "global" {
				globalRules = append(globalRules, r)
				continue
			}
			ifRules = append(ifRules, fmt.Sprintf("oifname %q %s", LinkName(c.root), r))
			// A packet routed out of a VLAN leaves by the port under it:
			// the VLAN's own tree first, then the port's.
			if over := vlansOver(st, c.root); len(over) > 0 {
				lowerRules = append(lowerRules, fmt.Sprintf("oifname %s %s", linkSet(over), r))
			}
		}
	}
	ifRules = append(ifRules, lowerRules...)
	if len(ifRules)+len(globalRules) == 0 {
		return
	}
	fmt.Fprintf(b, "\n\t# RouterOS /queue tree: a packet joins the class of the leaf that takes its packet mark, its interface's tree first\n")
	fmt.Fprintf(b, "\tchain queue_tree {\n\t\ttype filter hook postrouting priority 300; policy accept;\n")
	for _, r := range ifRules {
		b.WriteString("\t\t" + r + "\n")
	}
	// Only the global tree lets fasttracked packets by: RouterOS's fast
	// path skips the global HTB, not the interfaces'.
	if len(globalRules) > 0 {
		fmt.Fprintf(b, "\t\tct label %d accept comment \"fasttracked: skips the global tree\"\n", fasttrackLabel)
	}
	for _, r := range globalRules {
		b.WriteString("\t\t" + r + "\n")
	}
	b.WriteString("\t}\n")
}

// vlansOver are the enabled VLAN interfaces stacked on interface name,
// directly or on one another (QinQ). What is routed out of one of them
// leaves by name: the VLAN passes its frames, tagged, to the interface
// under it, whose HTB holds them as any other frame it sends. So a tree
// under a port holds the traffic of the VLANs on the port too
// (docs/routeros.md, "Queue trees under a port"; forum57 D5: it held
// none of it).
func vlansOver(st *State, name string) []string {
	var out []string
	under := map[string]bool{name: true}
	for grew := true; grew; {
		grew = false
		for _, v := range st.VLANs {
			if !v.Disabled && under[v.Interface] && !under[v.Name] {
				under[v.Name], grew = true, true
				out = append(out, v.Name)
			}
		}
	}
	return out
}

// bridgePortSet are the ports of the enabled bridges of st.
func bridgePortSet(st *State) map[string]bool {
	out := map[string]bool{}
	for _, b := range st.Bridges {
		if b.Disabled {
			continue
		}
		for _, p := range b.Ports {
			out[p.Interface] = true
		}
	}
	return out
}

// portTreeRules are the rules that put a packet leaving by a bridge's port
// into the class of the leaf of that port's tree that takes its packet
// mark. A tree under a port of a bridge is that port's HTB, which holds
// what leaves by the port, routed into the bridge or bridged to it (the
// Queues page: an interface's HTB is the last level before the frame
// leaves; the old manual's queue tree: an interface parent "represents one
// particular outgoing interface", [verify] on a CHR for a bridge's port).
// The ip family's postrouting hook, where renderTree sorts the other
// trees, sees a routed packet leave by the bridge, not by the port the
// bridge then picks, so a port's leaves are sorted at the bridge family's
// postrouting hook, which sees each frame with the port it leaves by and
// with the mark mangle gave the packet. They matched nothing before
// (forum57 D1).
func portTreeRules(st *State) []string {
	ports := bridgePortSet(st)
	if len(ports) == 0 {
		return nil
	}
	mk := collectMarks(st)
	pcqs := pcqLayout(st)
	var out []string
	for _, c := range treeLayout(st) {
		if !c.leaf || !ports[c.root] {
			continue
		}
		for _, name := range c.q.PacketMarks {
			n, err := mk.packetMark(name)
			if err != nil {
				continue // no rule sets or matches it: no packet carries it
			}
			out = append(out, fmt.Sprintf("oifname %q meta mark & 0x%x == 0x%x %s accept comment %s",
				LinkName(c.root), packetMarkMask, n, pickClass(pcqs, c.minor), quoteText(c.q.Name, maxComment)))
		}
	}
	return out
}

// renderPortTree writes the bridge table's chain of portTreeRules, after
// the bridge filter and nat (priority 400).
func renderPortTree(b *strings.Builder, st *State) {
	rules := portTreeRules(st)
	if len(rules) == 0 {
		return
	}
	b.WriteString("\t# RouterOS /queue tree under a bridge's port: a frame joins the class of the port's leaf that takes its packet mark\n")
	b.WriteString("\tchain queue_tree_ports {\n\t\ttype filter hook postrouting priority 400; policy accept;\n")
	for _, r := range rules {
		b.WriteString("\t\t" + r + "\n")
	}
	b.WriteString("\t}\n")
}

// treeRates are the rate and ceiling of tree class c's HTB class when its
// ceiling is ceil (0: none).
func treeRates(c treeClass, ceil uint64) (uint64, uint64) {
	// A class without max-limit may take what its parent may.
	if ceil == 0 {
		ceil = treeUnlimited
	}
	rate := c.q.LimitAt
	switch {
	case c.parentMinor == 0:
		// A top class has nobody to borrow from: its own rate is all
		// it gets, so it is its max-limit (the interface's, or the
		// global queue's, whole).
		rate = ceil
	case rate == 0:
		rate = treeFloorRate
	}
	return min(rate, ceil), ceil
}

// treePrio is the HTB priority of a RouterOS priority 1..8.
func treePrio(q TreeQueue) uint32 {
	if q.Priority >= 1 && q.Priority <= 8 {
		return uint32(q.Priority - 1)
	}
	return 7
}

// addTreeClasses adds the tree classes that live on interface name to its
// HTB qdisc, parents first.
func (d *Dataplane) addTreeClasses(l netlink.Link, majors *fifoMajors, name string, layout []treeClass, pcqs map[uint16]pcqClass) error {
	for _, c := range layout {
		if c.root != "global" && c.root != name {
			continue
		}
		rate, ceil := treeRates(c, c.ceil)
		prio := treePrio(c.q)
		cl := newHTBClass(netlink.ClassAttrs{LinkIndex: l.Attrs().Index, Parent: netlink.MakeHandle(queueMajor, c.parentMinor),
			Handle: netlink.MakeHandle(queueMajor, c.minor)},
			netlink.HtbClassAttrs{Rate: rate, Ceil: ceil, Prio: prio, Quantum: 1514})
		if err := d.nl.ClassAdd(cl); err != nil {
			return fmt.Errorf("sync queue tree %s on interface %s: add its class: %w", c.q.Name, name, err)
		}
		if pc, ok := pcqs[c.minor]; ok {
			if err := d.addPCQChildren(l, majors, pc, rate, ceil, prio); err != nil {
				return fmt.Errorf("sync queue tree %s on interface %s: %w", c.q.Name, name, err)
			}
		} else if c.leaf {
			if err := d.addFIFO(l, majors, netlink.MakeHandle(queueMajor, c.minor), c.q.FIFO); err != nil {
				return fmt.Errorf("sync queue tree %s on interface %s: %w", c.q.Name, name, err)
			}
		}
	}
	return nil
}
