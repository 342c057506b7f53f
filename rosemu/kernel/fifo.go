package kernel

import (
	"encoding/binary"
	"fmt"

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

// addFIFO puts f under the class parent of link l: a pfifo or bfifo
// qdisc with f's limit. The netlink package knows neither kind's options
// (struct tc_fifo_qopt: one 32-bit limit), so the request is built here.
func (d *Dataplane) addFIFO(l netlink.Link, parent uint32, f FIFO) error {
	kind, limit := "pfifo", f.Packets
	if f.Bytes > 0 {
		kind, limit = "bfifo", f.Bytes
	}
	if limit <= 0 {
		return nil
	}
	req := nl.NewNetlinkRequest(unix.RTM_NEWQDISC, unix.NLM_F_CREATE|unix.NLM_F_EXCL|unix.NLM_F_ACK)
	req.AddData(&nl.TcMsg{Family: nl.FAMILY_ALL, Ifindex: int32(l.Attrs().Index), Parent: parent})
	req.AddData(nl.NewRtAttr(nl.TCA_KIND, nl.ZeroTerminated(kind)))
	opt := make([]byte, 4)
	binary.NativeEndian.PutUint32(opt, uint32(limit))
	req.AddData(nl.NewRtAttr(nl.TCA_OPTIONS, opt))
	err := inNetns(d.ns, func() error {
		_, err := req.Execute(unix.NETLINK_ROUTE, 0)
		return err
	})
	if err != nil {
		return fmt.Errorf("add %s limit %d under class %x:%x: %w", kind, limit, parent>>16, parent&0xffff, err)
	}
	return nil
}
