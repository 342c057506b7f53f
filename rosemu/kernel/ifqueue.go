package kernel

import (
	"fmt"

	"github.com/vishvananda/netlink"
	"github.com/vishvananda/netlink/nl"
)

// Interface queues. RouterOS's /queue interface sets the queue type of
// everything an interface sends: the last stage, after the interface's
// HTB (queue trees under the interface) and the global one (the Queues
// page of the manual: "the first level is an interface queue from
// /queue interface menu"), so it holds fasttracked packets and the
// router's own too. The one rosemu applies is a CAKE type's
// cake-bandwidth, CAKE's own shaper: the kernel has no sch_cake, so the
// interface gets a token bucket (TBF) at that rate as its root qdisc, and
// the queues' HTB (queues.go), when the interface has one, goes under it.
// CAKE's flow isolation, diffserv and AQM are not applied (package config
// reports them).

// ifQueueHandle is the handle of an interface queue's TBF.
const ifQueueHandle = 0x7c << 16

// ifQueueBuffer is how long a backlog the TBF's own FIFO holds at its
// rate when no HTB is under it [verify CAKE's]: enough for a TCP flow
// to fill the rate.
const ifQueueBuffer = 0.1 // seconds

// addInterfaceQueue puts a TBF at rate (bits/s) at the root of link l.
func (d *Dataplane) addInterfaceQueue(l netlink.Link, rate uint64) error {
	bytesPerSec := rate / 8
	// The burst is a longest frame or 10 ms at the rate, whichever is
	// more: a TBF drops a non-GSO packet longer than its burst (GSO
	// packets it cuts into frames).
	burst := uint64(l.Attrs().MTU + 14 + 4)
	if b := bytesPerSec / 100; b > burst {
		burst = b
	}
	limit := uint64(float64(bytesPerSec) * ifQueueBuffer)
	if limit < 10*burst {
		limit = 10 * burst
	}
	qopt := nl.TcTbfQopt{Limit: uint32(limit)}
	qopt.Rate.Linklayer = 1 // TC_LINKLAYER_ETHERNET: no rate table is sent
	opts := nl.NewRtAttr(nl.TCA_OPTIONS, nil)
	opts.AddRtAttr(nl.TCA_TBF_PARMS, qopt.Serialize())
	opts.AddRtAttr(nl.TCA_TBF_RATE64, nl.Uint64Attr(bytesPerSec))
	opts.AddRtAttr(nl.TCA_TBF_BURST, nl.Uint32Attr(uint32(burst)))
	if err := d.addQdisc(l, netlink.HANDLE_ROOT, ifQueueHandle, "tbf", opts); err != nil {
		return fmt.Errorf("add the interface queue's TBF at %d bit/s: %w", rate, err)
	}
	return nil
}
