package kernel

import (
	"encoding/binary"
	"errors"
	"fmt"
	"slices"

	"github.com/vishvananda/netlink"
	"github.com/vishvananda/netlink/nl"
	"golang.org/x/sys/unix"
)

// FIFO is a queue's buffer: RouterOS's queue types pfifo (Packets) and
// bfifo (Bytes). A simple queue's default type default-small holds 10
// packets, a PCQ sub-stream pcq-limit. Without it a leaf class would queue
// the link's 1000 packets: at 512 kbit/s 23 s of data where RouterOS keeps
// a fraction of a second, and a TCP transfer through a slow queue stalled
// in the lab where it runs on RouterOS. Zero: the kernel's default.
type FIFO struct {
	Packets, Bytes int
}

// segmenterRate is the rate of the TBF in front of each FIFO, in bytes/s
// (100 Gbit/s): far above any class's ceiling, so that it only cuts
// packets and never shapes.
const segmenterRate = 100e9 / 8

// fifoMajors hands out the handles of the qdiscs under rosemu's HTB on
// one link: each segmenter and each FIFO gets its own, counted from 0x100
// (clear of the HTB's 0x7a) at each rebuild of the link's queues. None is
// left to the kernel: it picks handles from 0x8000 up, where an explicit
// one asked for later was already taken ("invalid argument").
type fifoMajors struct{ next uint32 }

func (m *fifoMajors) take() (uint32, error) {
	if m.next < 0x100 {
		m.next = 0x100
	}
	if m.next >= 0xffff {
		return 0, fmt.Errorf("no qdisc handle left on the link")
	}
	h := m.next << 16
	m.next++
	return h, nil
}

// addFIFO puts f under the class parent of link l: a pfifo or bfifo
// qdisc with f's limit, behind a TBF that cuts the lab's GSO packets into
// frames of the link's MTU. A Linux host hands a veth TCP segments of up
// to 64 KB, which the router forwards whole, so a FIFO of 10 "packets"
// held 190 KB: 3 s at 512 kbit/s, where RouterOS on Ethernet holds 10
// frames (234 ms). TBF segments a GSO packet longer than its burst before
// its child queue counts it; the netlink package knows neither the TBF's
// burst attribute nor the FIFOs' options (struct tc_fifo_qopt: one 32-bit
// limit), so the requests are built here.
func (d *Dataplane) addFIFO(l netlink.Link, majors *fifoMajors, parent uint32, f FIFO) error {
	kind, limit := "pfifo", f.Packets
	if f.Bytes > 0 {
		kind, limit = "bfifo", f.Bytes
	}
	if limit <= 0 {
		return nil
	}
	seg, err := majors.take()
	if err != nil {
		return err
	}
	fifo, err := majors.take()
	if err != nil {
		return err
	}
	// The burst is the longest frame the link sends whole: its MTU, the
	// Ethernet header and a VLAN tag. A longer packet that is no GSO packet
	// would be dropped; the MTU is part of queuesKey, so a new MTU rebuilds.
	burst := uint32(l.Attrs().MTU + 14 + 4)
	qopt := nl.TcTbfQopt{}
	qopt.Rate.Linklayer = 1 // TC_LINKLAYER_ETHERNET: no rate table is sent
	opts := nl.NewRtAttr(nl.TCA_OPTIONS, nil)
	opts.AddRtAttr(nl.TCA_TBF_PARMS, qopt.Serialize())
	opts.AddRtAttr(nl.TCA_TBF_RATE64, nl.Uint64Attr(segmenterRate))
	opts.AddRtAttr(nl.TCA_TBF_BURST, nl.Uint32Attr(burst))
	under := seg | 1
	if err := d.addQdisc(l, parent, seg, "tbf", opts); errors.Is(err, unix.ENOENT) || errors.Is(err, unix.EOPNOTSUPP) {
		// A kernel without sch_tbf: the FIFO counts the packets as they
		// come, GSO packets whole, and the router says so once.
		if w := "the kernel has no TBF qdisc (sch_tbf): a queue's FIFO counts the hosts' GSO packets whole, so it holds more than its limit of frames"; !slices.Contains(d.warnings, w) {
			d.warnings = append(d.warnings, w)
		}
		under = parent
	} else if err != nil {
		return fmt.Errorf("add the segmenter of class %x:%x: %w", parent>>16, parent&0xffff, err)
	}
	opt := make([]byte, 4)
	binary.NativeEndian.PutUint32(opt, uint32(limit))
	if err := d.addQdisc(l, under, fifo, kind, nl.NewRtAttr(nl.TCA_OPTIONS, opt)); err != nil {
		return fmt.Errorf("add %s limit %d under class %x:%x: %w", kind, limit, parent>>16, parent&0xffff, err)
	}
	return nil
}

// addQdisc adds a qdisc of kind with its options and handle under parent
// of link l.
func (d *Dataplane) addQdisc(l netlink.Link, parent, handle uint32, kind string, opts *nl.RtAttr) error {
	req := nl.NewNetlinkRequest(unix.RTM_NEWQDISC, unix.NLM_F_CREATE|unix.NLM_F_EXCL|unix.NLM_F_ACK)
	req.AddData(&nl.TcMsg{Family: nl.FAMILY_ALL, Ifindex: int32(l.Attrs().Index), Parent: parent, Handle: handle})
	req.AddData(nl.NewRtAttr(nl.TCA_KIND, nl.ZeroTerminated(kind)))
	req.AddData(opts)
	return inNetns(d.ns, func() error {
		_, err := req.Execute(unix.NETLINK_ROUTE, 0)
		return err
	})
}
