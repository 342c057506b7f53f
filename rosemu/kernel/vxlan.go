package kernel

import (
	"encoding/binary"
	"fmt"
	"net"
	"net/netip"
	"strings"

	"github.com/vishvananda/netlink"
	"github.com/vishvananda/netlink/nl"
	"golang.org/x/sys/unix"
)

// VXLAN is a RouterOS /interface vxlan as the kernel's vxlan driver
// carries it (TunLink.VXLAN): Linux and RouterOS speak the same RFC 7348
// encapsulation (Ethernet in UDP with an 8-byte header carrying the VNI),
// so the tunnel is a kernel link, not a user-space one as GRE and EoIP
// are (rosemu/iptun: this machine's kernel has no gre module, but it has
// vxlan). The link is an Ethernet link: a bridge takes it as a port.
type VXLAN struct {
	VNI  int
	Port int // the UDP port it listens on and sends to (RouterOS: 8472)
	// Local is the outer source (invalid: the routed source, RouterOS's
	// local-address unset).
	Local netip.Addr
	// Group and Interface are the multicast group the flooded frames go
	// to and the interface that joins it (both or neither).
	Group     netip.Addr
	Interface string
	// Learning learns the far ends' MAC addresses and VTEPs from the
	// packets received (RouterOS's learning, Linux's learning).
	Learning bool
	// MaxFDB bounds the learned entries (RouterOS's max-fdb-size, Linux's
	// maxaddress; 0: no bound).
	MaxFDB int
	// TTL of the outer packets (0: RouterOS's auto, Linux's default).
	TTL int
	// Checksum computes the outer UDP checksum (RouterOS's checksum).
	Checksum bool
	// VTEPs are the static remote VTEPs (/interface vxlan vteps): every
	// flooded frame (broadcast, unknown unicast, multicast) goes to each,
	// head-end replication; a frame to a learned MAC goes to its VTEP only.
	VTEPs []VTEP
}

// VTEP is one static remote VTEP: its address and UDP port.
type VTEP struct {
	Remote netip.Addr
	Port   int
}

// key is a text of every setting, to tell whether the link must be made
// anew (the vxlan driver takes most of them only at creation).
func (v *VXLAN) key(devIndex int) string {
	var b strings.Builder
	fmt.Fprintf(&b, "vni=%d port=%d local=%v group=%v dev=%d learning=%v max=%d ttl=%d csum=%v", v.VNI, v.Port, v.Local, v.Group, devIndex, v.Learning, v.MaxFDB, v.TTL, v.Checksum)
	for _, t := range v.VTEPs {
		b.WriteString(" vtep=" + netip.AddrPortFrom(t.Remote, uint16(t.Port)).String())
	}
	return b.String()
}

// vxlanLink is the netlink link of v named name; devIndex is the index of
// the multicast interface (0: none).
func vxlanLink(name string, v *VXLAN, devIndex int) *netlink.Vxlan {
	attrs := netlink.NewLinkAttrs()
	attrs.Name = LinkName(name)
	x := &netlink.Vxlan{LinkAttrs: attrs, VxlanId: v.VNI, Port: v.Port, Learning: v.Learning,
		Limit: v.MaxFDB, TTL: v.TTL, UDPCSum: v.Checksum, VtepDevIndex: devIndex}
	if v.Local.IsValid() && !v.Local.IsUnspecified() {
		x.SrcAddr = net.IP(v.Local.AsSlice())
	}
	if v.Group.IsValid() {
		x.Group = net.IP(v.Group.AsSlice())
	}
	// The kernel's source port range is its own choice (a hash of the
	// inner flow), as on RouterOS [verify]; ageing is Linux's 300 s.
	return x
}

// ensureVXLAN makes the vxlan link of tl, or brings the existing one to
// it: a link whose settings or VTEPs changed is made anew (the kernel
// takes the VNI, port and addresses only at creation), so its learned
// entries go with it, as a RouterOS VXLAN's do when it is reconfigured
// [verify].
func (d *Dataplane) ensureVXLAN(tl TunLink, l netlink.Link, byName map[string]netlink.Link) (netlink.Link, error) {
	if l != nil && (l.Type() != "vxlan" || l.Attrs().Alias != l2Alias) {
		if l.Attrs().Alias != l2Alias {
			return nil, fmt.Errorf("create interface %s: the router already has an interface %s that is not one of its configuration's tunnels", tl.Name, tl.Name)
		}
		// A tunnel of another kind under this name (an EoIP removed and
		// a VXLAN added): made anew.
		if err := d.nl.LinkDel(l); err != nil && !isNotFound(err) {
			return nil, fmt.Errorf("replace interface %s: delete the old one: %w", tl.Name, err)
		}
		l = nil
	}
	v := tl.VXLAN
	dev := 0
	if v.Interface != "" {
		p, ok := byName[LinkName(v.Interface)]
		if !ok {
			return nil, fmt.Errorf("create vxlan interface %s: its interface %s is not in the router namespace", tl.Name, v.Interface)
		}
		dev = p.Attrs().Index
	}
	key := v.key(dev)
	if l != nil && d.vxlans[tl.Name] != key {
		if err := d.nl.LinkDel(l); err != nil && !isNotFound(err) {
			return nil, fmt.Errorf("change vxlan interface %s: delete the old one: %w", tl.Name, err)
		}
		l = nil
	}
	if l == nil {
		if err := d.nl.LinkAdd(vxlanLink(tl.Name, v, dev)); err != nil {
			return nil, errNoKernelSupport(err, "create vxlan interface "+tl.Name, "VXLAN (CONFIG_VXLAN)")
		}
		nl2, err := d.adoptNew(tl.Name, "vxlan interface")
		if err != nil {
			return nil, err
		}
		l = nl2
		for _, t := range v.VTEPs {
			if err := inNetns(d.ns, func() error { return appendVTEP(l.Attrs().Index, t, v.Port) }); err != nil {
				d.nl.LinkDel(l)
				return nil, fmt.Errorf("add vtep %s to vxlan interface %s: %w", t.Remote, tl.Name, err)
			}
		}
		if d.vxlans == nil {
			d.vxlans = map[string]string{}
		}
		d.vxlans[tl.Name] = key
	}
	return l, d.finishLink(l, tl)
}

// appendVTEP adds the static remote VTEP t to the vxlan link index, in
// the calling thread's namespace: a forwarding entry of the all-zeros MAC
// (the kernel's default destination, used for every flooded frame and
// each with no learned entry) to t's address, as "bridge fdb append
// 00:00:00:00:00:00 dev vxlan1 dst <remote> port <port>" does; several
// such entries replicate a flooded frame to each. The port is sent only
// when it is not the link's own (dstPort), as iproute2 does. vishvananda's
// NeighAppend writes no NDA_PORT, so the request is built here.
func appendVTEP(index int, t VTEP, dstPort int) error {
	req := nl.NewNetlinkRequest(unix.RTM_NEWNEIGH, unix.NLM_F_CREATE|unix.NLM_F_APPEND|unix.NLM_F_ACK)
	req.AddData(&netlink.Ndmsg{Family: unix.AF_BRIDGE, Index: uint32(index),
		State: uint16(netlink.NUD_PERMANENT | netlink.NUD_NOARP), Flags: uint8(netlink.NTF_SELF)})
	req.AddData(nl.NewRtAttr(unix.NDA_LLADDR, make([]byte, 6)))
	req.AddData(nl.NewRtAttr(unix.NDA_DST, t.Remote.AsSlice()))
	if t.Port != 0 && t.Port != dstPort {
		port := make([]byte, 2)
		binary.BigEndian.PutUint16(port, uint16(t.Port))
		req.AddData(nl.NewRtAttr(unix.NDA_PORT, port))
	}
	_, err := req.Execute(unix.NETLINK_ROUTE, 0)
	return err
}
