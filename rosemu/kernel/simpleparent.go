package kernel

import (
	"fmt"
	"sort"
	"strings"
)

// Simple queues with parents. RouterOS builds simple queues on HTB
// ("Queues" and "HTB" pages of the manual): a queue whose parent= names
// another simple queue is a class under that queue's class, one per
// direction, so the parent's max-limit bounds what its children take
// together, and the children share it (a child takes what its siblings
// leave, up to its own max-limit). A queue with children is an inner
// queue: it holds no packets of its own; the packets go to its leaves.
//
// rosemu builds the same hierarchy in the HTB qdisc 7a: of every
// interface (queues.go): a queue with a parent gets its classes under its
// parent's, parents before their children, up to eight levels (HTB's
// depth). A class under a parent gets the smallest rate (as a queue tree
// entry without limit-at, queuetree.go), so that its parent's ceiling
// rules; its ceiling is its own max-limit within its parents'. A top
// queue of a hierarchy has nobody to borrow from: its rate is its
// max-limit, or no limit.
//
// Which queue a packet joins: the top queues are taken in list order, as
// before (the first whose target holds the packet); a packet an inner
// queue takes goes on to its children, in list order, each child's own
// target deciding, and so on down. A packet no child takes stays with
// the inner queue: rosemu gives each inner queue a hidden leaf class of
// its own under its class (the inner queue's queue type, PCQ or FIFO, is
// that leaf's), so that such packets are still held to the inner queue's
// max-limit, shared with the children [verify] both: that a child only
// sees packets its parent's target holds, and that RouterOS holds a
// parent's other traffic to the parent's limit.

// simpleOwnBase is the first minor of the inner queues' own leaves:
// above the tree classes (queuetree.go caps them there), below the PCQ
// sub-streams (pcqMinorBase); queue i's are simpleOwnBase+2i (upload)
// and +1 (download), as queueClass numbers the queues' classes.
const simpleOwnBase = 0x7000

// SimpleMaxDepth is the deepest a simple queue may sit below its top
// queue: HTB takes eight levels of classes, and an inner queue's own
// leaf is one below it.
const SimpleMaxDepth = 7

// simpleHier is the hierarchy the simple queues' parents make.
type simpleHier struct {
	// parent is each queue's parent's index in st.Queues, -1 for none.
	parent []int
	// depth is each queue's level below its top queue; -1 for a queue
	// left out: its parent is not among the queues, its chain of parents
	// is a cycle, or it is deeper than SimpleMaxDepth.
	depth []int
	// children are each queue's children that are placed, in list order.
	children [][]int
}

// simpleHierarchy places the queues of qs by their parents.
func simpleHierarchy(qs []SimpleQueue) simpleHier {
	h := simpleHier{parent: make([]int, len(qs)), depth: make([]int, len(qs)), children: make([][]int, len(qs))}
	idx := map[string]int{}
	for i, q := range qs {
		if _, dup := idx[q.Name]; !dup {
			idx[q.Name] = i
		}
	}
	for i, q := range qs {
		h.parent[i] = -1
		if q.Parent != "" && q.Parent != "none" {
			h.parent[i] = -2 // a parent that is not among the queues
			if j, ok := idx[q.Parent]; ok && j != i {
				h.parent[i] = j
			}
		}
	}
	for i := range qs {
		d, p := 0, h.parent[i]
		for p >= 0 && d <= SimpleMaxDepth {
			d++
			p = h.parent[p]
		}
		if p != -1 || d > SimpleMaxDepth {
			d = -1
		}
		h.depth[i] = d
	}
	for i, p := range h.parent {
		if p >= 0 && h.depth[i] >= 0 {
			h.children[p] = append(h.children[p], i)
		}
	}
	return h
}

// placed reports whether queue i gets classes and rules.
func (h simpleHier) placed(i int) bool { return h.depth[i] >= 0 }

// inner reports whether queue i has children: its packets go to them,
// or to its own leaf.
func (h simpleHier) inner(i int) bool { return len(h.children[i]) > 0 }

// member reports whether queue i is part of a hierarchy: a parent or a
// child. A member gets classes in both directions, limited or not, so
// that its children have a class to hang under.
func (h simpleHier) member(i int) bool { return h.parent[i] >= 0 || h.inner(i) }

// ownClass is the minor of the class queue i's own packets join in a
// direction: its class, or the hidden leaf of an inner queue.
func (h simpleHier) ownClass(i int, download bool) uint16 {
	if h.inner(i) {
		c := uint16(simpleOwnBase + 2*i)
		if download {
			c++
		}
		return c
	}
	return queueClass(i, download)
}

// simpleDir is one direction's settings of a queue.
type simpleDir struct {
	rate  uint64 // max-limit, 0: none
	pcq   PCQ
	fifo  FIFO
	burst Burst
}

func (q SimpleQueue) dir(download bool) simpleDir {
	if download {
		return simpleDir{q.Download, q.DownloadPCQ, q.DownloadFIFO, q.DownloadBurst}
	}
	return simpleDir{q.Upload, q.UploadPCQ, q.UploadFIFO, q.UploadBurst}
}

// reach is the most a queue may reach in a direction: its burst-limit
// when its burst applies, else its max-limit; 0 for no limit.
func (d simpleDir) reach() uint64 {
	if d.burst.Applies(d.rate) {
		return d.burst.Limit
	}
	return d.rate
}

// minLimit is the smaller of two limits, 0 standing for none.
func minLimit(a, b uint64) uint64 {
	switch {
	case a == 0:
		return b
	case b == 0:
		return a
	}
	return min(a, b)
}

// simpleClass is one HTB class of a simple queue in one direction.
type simpleClass struct {
	q           int
	download    bool
	minor       uint16
	parentMinor uint16 // 0: under the qdisc
	depth       int
	// leaf: packets join it (a queue without children, or an inner
	// queue's own leaf, own); its queue type hangs under it.
	leaf, own  bool
	rate, ceil uint64 // as built, burst denied
	// burstRate and burstCeil are the rate and ceiling while burst is
	// allowed; burstCeil 0: the class has no burst of its own.
	burstRate, burstCeil uint64
	burst                Burst
	// quantum is what the class sends in its turn when it borrows: a
	// queue of its own borrows from nobody (an MTU, as before); in a
	// hierarchy the classes under a parent take turns by bytes, more
	// than a GSO packet each (pcqQuantum), so that a child sending
	// larger packets does not take more than its share.
	quantum uint32
}

// simpleLayout is every class of the simple queues, parents before
// their children (queue by queue in list order at each level).
func simpleLayout(st *State) []simpleClass {
	qs := st.Queues
	h := simpleHierarchy(qs)
	var out []simpleClass
	for i, q := range qs {
		if !h.placed(i) {
			continue
		}
		for _, download := range []bool{false, true} {
			d := q.dir(download)
			if !h.member(i) {
				// A queue of its own, as before parents: no class
				// where it has no limit.
				rate := d.rate
				if rate == 0 && d.pcq.On && d.pcq.Rate > 0 {
					rate = treeUnlimited // no max-limit: only pcq-rate holds each sub-stream
				}
				if rate == 0 {
					continue
				}
				c := simpleClass{q: i, download: download, minor: queueClass(i, download), leaf: true, rate: rate, ceil: rate, burst: d.burst, quantum: 1514}
				if d.burst.Applies(d.rate) {
					c.burstRate, c.burstCeil = d.burst.Limit, d.burst.Limit
				}
				out = append(out, c)
				continue
			}
			// up is the smallest of what the parents may reach.
			var up uint64
			for p := h.parent[i]; p >= 0; p = h.parent[p] {
				up = minLimit(up, qs[p].dir(download).reach())
			}
			top := h.parent[i] < 0
			rates := func(ceil uint64) (uint64, uint64) {
				if ceil == 0 {
					ceil = treeUnlimited
				}
				if top {
					return ceil, ceil // nobody to borrow from
				}
				return min(treeFloorRate, ceil), ceil
			}
			c := simpleClass{q: i, download: download, minor: queueClass(i, download), depth: h.depth[i], leaf: !h.inner(i), burst: d.burst, quantum: pcqQuantum}
			if p := h.parent[i]; p >= 0 {
				c.parentMinor = queueClass(p, download)
			}
			c.rate, c.ceil = rates(minLimit(d.rate, up))
			if d.burst.Applies(d.rate) {
				if b := minLimit(d.burst.Limit, up); b > c.ceil {
					c.burstRate, c.burstCeil = rates(b)
				}
			}
			out = append(out, c)
			if h.inner(i) {
				// Its own leaf may take what the queue may reach; the
				// queue's class holds it to max-limit while burst is
				// denied.
				ceil := minLimit(d.reach(), up)
				if ceil == 0 {
					ceil = treeUnlimited
				}
				out = append(out, simpleClass{q: i, download: download, minor: h.ownClass(i, download), parentMinor: c.minor,
					depth: h.depth[i] + 1, leaf: true, own: true, rate: min(treeFloorRate, ceil), ceil: ceil, quantum: pcqQuantum})
			}
		}
	}
	sort.SliceStable(out, func(a, b int) bool { return out[a].depth < out[b].depth })
	return out
}

// simpleRules are the rules that put the packets a queue's targets hold
// in a direction in to the class, or the chain, of action.
func simpleRules(q SimpleQueue, download bool, action string, mk *marks) []string {
	var rules []string
	addr, iface := "ip saddr ", "iifname "
	if download {
		addr, iface = "ip daddr ", "oifname "
	}
	match, ok := simpleMatch(q, download, mk)
	if !ok {
		return nil // no packet carries any of its packet marks
	}
	action = match + action
	if set := prefixSet(q.Targets); set != "" {
		rules = append(rules, addr+set+" "+action)
	}
	if set := linkSet(q.Interfaces); set != "" {
		rules = append(rules, iface+set+" "+action)
	}
	return rules
}

// simpleChain is the name of inner queue i's chain for a direction.
func simpleChain(i int, download bool) string {
	if download {
		return fmt.Sprintf("simple_queue_%d_down", i)
	}
	return fmt.Sprintf("simple_queue_%d_up", i)
}

// simpleAction is what a rule of queue i does with a packet it takes in
// a direction: an inner queue sends it on to its children's chain, a
// leaf puts it in its class.
func simpleAction(h simpleHier, pcqs map[uint16]pcqClass, qs []SimpleQueue, i int, download bool) string {
	way := "upload"
	if download {
		way = "download"
	}
	if h.inner(i) {
		return fmt.Sprintf("goto %s comment %s", simpleChain(i, download), quoteText(qs[i].Name+" "+way, maxComment))
	}
	return fmt.Sprintf("%s accept comment %s", pickClass(pcqs, queueClass(i, download)), quoteText(qs[i].Name+" "+way, maxComment))
}

// renderSimpleChains writes the chain of each inner queue and direction:
// its children in list order, each taking what its targets hold that way,
// then the inner queue's own leaf for what none takes.
func renderSimpleChains(b *strings.Builder, st *State, h simpleHier, pcqs map[uint16]pcqClass, mk *marks) {
	qs := st.Queues
	for i, q := range qs {
		if !h.placed(i) || !h.inner(i) {
			continue
		}
		for _, download := range []bool{false, true} {
			way := "upload"
			if download {
				way = "download"
			}
			fmt.Fprintf(b, "\n\t# RouterOS /queue simple %q %s: its children in list order, then its own traffic\n", q.Name, way)
			fmt.Fprintf(b, "\tchain %s {\n", simpleChain(i, download))
			for _, j := range h.children[i] {
				for _, r := range simpleRules(qs[j], download, simpleAction(h, pcqs, qs, j, download), mk) {
					b.WriteString("\t\t" + r + "\n")
				}
			}
			fmt.Fprintf(b, "\t\t%s accept comment %s\n", pickClass(pcqs, h.ownClass(i, download)), quoteText(q.Name+" "+way+" (no child)", maxComment))
			b.WriteString("\t}\n")
		}
	}
}

// simpleMatch is what a packet must also have to be queue q's, beyond its
// target, as nftables matches ending in a space ("" for nothing more), and
// false when no packet can have it. dst (the Queues page: the queue takes
// only the stream between the target and dst) is the other end: where an
// upload goes (its destination address, or the interface it leaves by)
// and where a download comes from (source address, or the interface it
// came in by). packet-marks takes the packets mangle gave one of the
// marks (no-mark: unmarked ones); a mark no rule sets or matches is on no
// packet.
func simpleMatch(q SimpleQueue, download bool, mk *marks) (string, bool) {
	var m string
	addr, iface := "ip daddr ", "oifname "
	if download {
		addr, iface = "ip saddr ", "iifname "
	}
	if set := prefixSet(q.Dst); set != "" {
		m += addr + set + " "
	}
	if set := linkSet(q.DstInterfaces); set != "" {
		m += iface + set + " "
	}
	if len(q.PacketMarks) == 0 {
		return m, true
	}
	var ns []string
	for _, name := range q.PacketMarks {
		n, err := mk.packetMark(name)
		if err != nil {
			continue
		}
		ns = append(ns, fmt.Sprintf("0x%x", n))
	}
	if len(ns) == 0 {
		return "", false
	}
	return m + fmt.Sprintf("meta mark & 0x%x { %s } ", packetMarkMask, strings.Join(ns, ", ")), true
}
