package kernel

import (
	"fmt"
	"net/netip"
	"slices"
	"strings"

	"github.com/vishvananda/netlink"
)

// PCQ queues. RouterOS's PCQ splits a queue's traffic into sub-streams by
// its classifier (source and/or destination address, each under its
// address mask, and ports) and gives each sub-stream at most pcq-rate;
// with pcq-rate=0 the sub-streams share the queue's max-limit equally.
// The queue's own max-limit still bounds them together (wiki pages
// Manual:Queues - PCQ and Manual:Queue, "PCQ"; the Queues page of the
// manual, queue types, https://help.mikrotik.com/docs/display/ROS/Queues).
//
// rosemu's kernel has neither SFQ nor the flow classifier, so a PCQ queue
// is built from HTB alone: the queue's class gets N child classes, one per
// sub-stream, and the chain that puts a packet in the queue's class puts
// it in the child its classifier picks instead (an nftables map from the
// classifier's bits to the child's class). Each child's ceiling is
// pcq-rate (or the queue's, for pcq-rate=0) and its rate the queue's rate
// shared by N; a child takes the rest of its ceiling by borrowing from the
// queue's class, and HTB lends to the children that borrow in turn, a
// quantum each, so the active sub-streams share what is left equally: one
// alone gets the whole max-limit, two get half each.
//
// The classifier reads the packet where the chain that picks the class
// sees it: the simple queues' chain runs before src-nat, so a simple queue
// with pcq-upload-default tells the LAN's hosts apart behind masquerade
// (the usual forum setup); a tree's runs after it (queuetree.go).
//
// Exactness. With one address in the classifier the child is picked by
// the address's bits under the mask, counted from the mask's end: N
// consecutive sub-streams (192.168.88.0 to .255 for mask 32 and N=256)
// each get a child of their own, and sub-streams N apart share one. For a
// simple queue whose targets are addresses, N covers the sub-streams of
// its largest target (a /24 with mask 32: 256), up to pcqMaxChildren;
// otherwise (interface targets, queue trees) N is pcqChildren. With a
// port, or several fields, in the classifier, the child is a hash of them
// (nftables jhash) modulo pcqChildren, and two sub-streams may share one.
// Not modelled: pcq-limit and pcq-total-limit (the children are the
// kernel's FIFOs of the link's queue length), pcq-burst-*, the IPv6
// masks, and RouterOS 5's "a new sub-stream gets a quarter of the rate
// first" (Manual:Queues - PCQ, "New PCQ implementation").
type PCQ struct {
	// On is set for a queue whose type is PCQ.
	On bool
	// Rate is pcq-rate in bits/s; 0: the sub-streams share the queue's
	// rate equally.
	Rate uint64
	// Classifier is pcq-classifier: src-address, dst-address, src-port
	// and dst-port, in that order; empty, the queue is one sub-stream.
	Classifier []string
	// SrcMask and DstMask are pcq-src-address-mask and
	// pcq-dst-address-mask (0..32).
	SrcMask, DstMask int
	// Limit is pcq-limit, each sub-stream's buffer in packets (fifo.go).
	Limit int
}

// pcqChildren is N for a PCQ whose sub-streams no target bounds, and the
// hash's modulus; pcqMaxChildren is the most a queue gets (a /24's hosts).
const (
	pcqChildren    = 64
	pcqMaxChildren = 256
	// pcqMinorBase is the first minor of the PCQ children, above the tree
	// classes' (treeMinorBase); each PCQ queue takes N from there on.
	pcqMinorBase = 0x8000
)

// pcqClass is one PCQ queue placed in the HTB: the children under the
// queue's class parent, and how the chain picks one.
type pcqClass struct {
	pcq    PCQ
	parent uint16 // minor of the queue's own class
	base   uint16 // minor of the first child
	n      int
	// key is the nftables expression whose value picks the child: the
	// classifier's bits (map mode, keys are its literals) or a hash
	// (hash mode, keys nil); "" when n is 1.
	key  string
	keys []string
}

// pick is the nftables statement that puts a packet in its child class.
func (c pcqClass) pick() string {
	switch {
	case c.n == 1:
		return fmt.Sprintf("meta priority set %x:%x", queueMajor, c.base)
	case c.keys == nil:
		return fmt.Sprintf("meta priority set jhash %s mod %d seed 0x0 offset 0x%x", c.key, c.n, uint32(queueMajor)<<16|uint32(c.base))
	}
	var elems []string
	for i, k := range c.keys {
		elems = append(elems, fmt.Sprintf("%s : %x:%x", k, queueMajor, c.base+uint16(i)))
	}
	return fmt.Sprintf("meta priority set %s map { %s }", c.key, strings.Join(elems, ", "))
}

// pcqLayout places the PCQ queues of st: each direction of a simple queue
// with a PCQ type, then each tree leaf with one, in that order; the map is
// keyed by the minor of the queue's class. A queue past the last minor
// gets no children (it shapes as a queue of its max-limit alone).
func pcqLayout(st *State) map[uint16]pcqClass {
	out := map[uint16]pcqClass{}
	next := pcqMinorBase
	place := func(parent uint16, p PCQ, bounds []netip.Prefix) {
		c := pcqShape(p, bounds)
		c.parent = parent
		if next+c.n > 0xffff {
			return
		}
		c.base = uint16(next)
		next += c.n
		out[parent] = c
	}
	h := simpleHierarchy(st.Queues)
	for i, q := range st.Queues {
		if !h.placed(i) {
			continue
		}
		// A target bounds the sub-streams of the classifier's address on
		// its own side: the source of the upload, the destination of the
		// download, when every target is an address.
		var up, down []netip.Prefix
		if len(q.Interfaces) == 0 {
			up, down = q.Targets, q.Targets
		}
		// An inner queue's type is its own leaf's (simpleparent.go).
		if q.UploadPCQ.On {
			place(h.ownClass(i, false), q.UploadPCQ, boundsFor(q.UploadPCQ, "src-address", up))
		}
		if q.DownloadPCQ.On {
			place(h.ownClass(i, true), q.DownloadPCQ, boundsFor(q.DownloadPCQ, "dst-address", down))
		}
	}
	for _, c := range treeLayout(st) {
		if c.leaf && c.q.PCQ.On {
			place(c.minor, c.q.PCQ, nil)
		}
	}
	return out
}

// boundsFor is targets when the classifier is the one address field
// side, else nil.
func boundsFor(p PCQ, side string, targets []netip.Prefix) []netip.Prefix {
	if len(p.Classifier) == 1 && p.Classifier[0] == side {
		return targets
	}
	return nil
}

// pcqShape is the number of children of a PCQ and how the chain picks one
// (see the type's comment).
func pcqShape(p PCQ, bounds []netip.Prefix) pcqClass {
	c := pcqClass{pcq: p, n: 1}
	if len(p.Classifier) == 0 {
		return c
	}
	if len(p.Classifier) > 1 {
		var fields []string
		for _, f := range p.Classifier {
			fields = append(fields, pcqField(p, f))
		}
		c.n, c.key = pcqChildren, strings.Join(fields, " . ")
		return c
	}
	switch f := p.Classifier[0]; f {
	case "src-port", "dst-port":
		c.n = pcqChildren
		c.key = fmt.Sprintf("th %s & %d", strings.TrimSuffix(f, "-port")+"port", c.n-1)
		for i := 0; i < c.n; i++ {
			c.keys = append(c.keys, fmt.Sprint(i))
		}
	default:
		mask := p.SrcMask
		if f == "dst-address" {
			mask = p.DstMask
		}
		// The sub-streams a target holds: 2^(mask-len) for each target
		// prefix; the largest decides N.
		n := pcqChildren
		if len(bounds) > 0 {
			n = 1
			for _, b := range bounds {
				if bits := mask - b.Bits(); bits > 0 {
					n = max(n, 1<<min(bits, 8))
				}
			}
		}
		n = min(n, pcqMaxChildren, 1<<min(mask, 8))
		if n <= 1 {
			return c
		}
		// The bits just above the mask's end: the sub-stream's number
		// within its 2^k neighbours.
		shift := 32 - mask
		sel := uint32(n-1) << shift
		c.n = n
		c.key = fmt.Sprintf("ip %s & %s", pcqAddrField(f), addr4(sel))
		for i := 0; i < n; i++ {
			c.keys = append(c.keys, addr4(uint32(i)<<shift).String())
		}
	}
	return c
}

// pcqField is one classifier field as an nftables expression, addresses
// under their masks.
func pcqField(p PCQ, f string) string {
	switch f {
	case "src-address":
		return fmt.Sprintf("ip saddr & %s", addr4(maskBits(p.SrcMask)))
	case "dst-address":
		return fmt.Sprintf("ip daddr & %s", addr4(maskBits(p.DstMask)))
	case "src-port":
		return "th sport"
	}
	return "th dport"
}

func pcqAddrField(f string) string {
	if f == "src-address" {
		return "saddr"
	}
	return "daddr"
}

// maskBits is an IPv4 netmask of n bits.
func maskBits(n int) uint32 {
	if n <= 0 {
		return 0
	}
	return ^uint32(0) << (32 - min(n, 32))
}

func addr4(v uint32) netip.Addr {
	return netip.AddrFrom4([4]byte{byte(v >> 24), byte(v >> 16), byte(v >> 8), byte(v)})
}

// pcqFloorRate is a child's smallest rate, in bits/s.
const pcqFloorRate = 8000

// pcqQuantum is what each child may send in its turn when the children
// borrow, in bytes: more than the largest packet, a GSO packet of 64 KiB
// (a veth's). HTB lets a class send a packet whatever its deficit and adds
// one quantum after, so with a quantum of one MTU the children took turns
// by packets, and a sub-stream of larger packets (one TCP connection's,
// against four smaller ones') took twice its share.
const pcqQuantum = 1 << 17

// pcqChildRates are the rate and ceiling of each sub-stream class of c
// under a class of rate and ceil: pcq-rate (or the class's ceiling) is
// each one's ceiling, and they share the class's rate.
func pcqChildRates(c pcqClass, rate, ceil uint64) (uint64, uint64) {
	childCeil := ceil
	if c.pcq.Rate > 0 {
		childCeil = min(c.pcq.Rate, ceil)
	}
	childRate := max(rate/uint64(c.n), pcqFloorRate)
	return min(childRate, childCeil), childCeil
}

// addPCQChildren adds the children of PCQ c under the queue's class, whose
// rate and ceiling are rate and ceil: each child's ceiling is pcq-rate
// (within the queue's) or the queue's, its rate the queue's rate shared by
// the children (within pcq-rate), so that the children together are held
// to the queue's and borrow the rest from it in turn.
func (d *Dataplane) addPCQChildren(l netlink.Link, majors *fifoMajors, c pcqClass, rate, ceil uint64, prio uint32) error {
	childRate, childCeil := pcqChildRates(c, rate, ceil)
	for i := 0; i < c.n; i++ {
		cl := newHTBClass(netlink.ClassAttrs{LinkIndex: l.Attrs().Index, Parent: netlink.MakeHandle(queueMajor, c.parent),
			Handle: netlink.MakeHandle(queueMajor, c.base+uint16(i))},
			netlink.HtbClassAttrs{Rate: childRate, Ceil: childCeil, Prio: prio, Quantum: pcqQuantum})
		if err := d.nl.ClassAdd(cl); err != nil {
			return fmt.Errorf("add PCQ sub-stream class %x:%x: %w", queueMajor, c.base+uint16(i), err)
		}
		if err := d.addFIFO(l, majors, netlink.MakeHandle(queueMajor, c.base+uint16(i)), FIFO{Packets: c.pcq.Limit}); err != nil {
			return fmt.Errorf("add PCQ sub-stream buffer: %w", err)
		}
	}
	return nil
}

// pcqClassifiers are the classifier's fields in RouterOS's order.
var pcqClassifiers = []string{"src-address", "dst-address", "src-port", "dst-port"}

// SortClassifier puts a pcq-classifier's fields in the order PCQ.Classifier
// keeps, without repeats.
func SortClassifier(fields []string) []string {
	var out []string
	for _, f := range pcqClassifiers {
		if slices.Contains(fields, f) {
			out = append(out, f)
		}
	}
	return out
}
