package agentcmd

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"log"
	"net"
	"net/netip"
	"os"
	"strings"
	"time"

	"github.com/insomniacslk/dhcp/dhcpv4"
	"github.com/insomniacslk/dhcp/dhcpv4/nclient4"
	"github.com/vishvananda/netlink"

	"github.com/chrlab/chrlab/internal/ctxwait"
)

// A lab host that takes its address by DHCP (an interface with dhcp: true
// in the lab file; labagent node --dhcp-client WIRE=PLANNED/LEN). The
// interface Docker wired at WIRE loses its wire address and gets the MAC
// address 02:00 followed by the planned lab address in hex (192.168.88.30
// -> 02:00:c0:a8:58:1e), or the MAC the flag names after a comma
// (WIRE=PLANNED/LEN,MAC), so a router configuration can give the host a
// static lease; then a DHCP client runs for the node's whole life, puts the
// leased address on the interface and the router option as the default
// route, renews, and writes the lease to dhcpClientState, where labagent
// dhcp-address reads it for the harness.

// dhcpClientState is where the node keeps the address it leased.
const dhcpClientState = "/run/labagent-dhcp-client.json"

// dhcpClientFlag is one --dhcp-client WIRE=PLANNED/LEN.
type dhcpClientFlag struct {
	wire    netip.Addr
	planned netip.Prefix
	// mac is the MAC the lab file gives the host (--dhcp-client
	// WIRE=PLANNED/LEN,MAC), nil for plannedMAC's: a router that knows
	// its hosts by MAC (a static lease, add-arp) knows this one by it.
	mac net.HardwareAddr
}

// hwAddr is the MAC address the interface takes.
func (f dhcpClientFlag) hwAddr() net.HardwareAddr {
	if f.mac != nil {
		return f.mac
	}
	return plannedMAC(f.planned.Addr())
}

type dhcpClientFlags []dhcpClientFlag

func (d *dhcpClientFlags) String() string { return fmt.Sprint(*d) }

func (d *dhcpClientFlags) Set(v string) error {
	pair, mac, withMAC := strings.Cut(v, ",")
	var a addressFlags
	if err := a.Set(pair); err != nil {
		return err
	}
	f := dhcpClientFlag{wire: a[0].wire, planned: a[0].lab}
	if withMAC {
		hw, err := net.ParseMAC(mac)
		if err != nil || len(hw) != 6 || hw[0]&1 != 0 {
			return fmt.Errorf("%q: MAC %q is not a unicast Ethernet address", v, mac)
		}
		f.mac = hw
	}
	*d = append(*d, f)
	return nil
}

// plannedMAC is the MAC address a DHCP host uses: 02:00 and the planned
// address.
func plannedMAC(a netip.Addr) net.HardwareAddr {
	b := a.As4()
	return net.HardwareAddr{0x02, 0x00, b[0], b[1], b[2], b[3]}
}

// clientLease is what dhcpClientState holds.
type clientLease struct {
	Interface string `json:"interface"`
	MAC       string `json:"mac"`
	Address   string `json:"address"` // with the prefix length
	Router    string `json:"router,omitempty"`
	Server    string `json:"server"`
	// DNS are the lease's DNS servers (option 6), as written to
	// /etc/resolv.conf.
	DNS []string `json:"dns,omitempty"`
}

// resolvConf is the node's resolver file: its own, as each node is a
// container of its own.
const resolvConf = "/etc/resolv.conf"

// writeResolvConf puts the lease's DNS servers in path, as a PC's DHCP
// client does: before, a lab host ignored them (empty resolv.conf), so a
// wrong dns-server= on the router's DHCP network could not show (forum40
// D7). A lease without DNS servers leaves the file as it is.
func writeResolvConf(path string, dns []net.IP) error {
	if len(dns) == 0 {
		return nil
	}
	var b strings.Builder
	b.WriteString("# written by labagent from the DHCP lease\n")
	for _, a := range dns {
		b.WriteString("nameserver " + a.String() + "\n")
	}
	return os.WriteFile(path, []byte(b.String()), 0o644)
}

// startDHCPClients prepares each interface and starts its client; the
// clients run until stop closes.
func startDHCPClients(flags dhcpClientFlags, hostName string, setGateway bool, stop <-chan struct{}) error {
	h, err := netlink.NewHandle()
	if err != nil {
		return fmt.Errorf("open netlink for the DHCP client: %w", err)
	}
	for _, f := range flags {
		link, err := prepareDHCPLink(h, f)
		if err != nil {
			h.Close()
			return err
		}
		c := &dhcpHost{h: h, link: link, setGateway: setGateway, hostName: hostName}
		ctx, cancel := context.WithCancel(context.Background())
		go func() {
			<-stop
			cancel()
		}()
		go c.run(ctx)
	}
	return nil
}

// prepareDHCPLink finds the interface that holds the wire address, removes
// its IPv4 addresses and sets the planned MAC.
func prepareDHCPLink(h *netlink.Handle, f dhcpClientFlag) (netlink.Link, error) {
	links, err := h.LinkList()
	if err != nil {
		return nil, fmt.Errorf("list interfaces for the DHCP client: %w", err)
	}
	for _, l := range links {
		addrs, err := h.AddrList(l, netlink.FAMILY_V4)
		if err != nil {
			return nil, fmt.Errorf("list addresses of %s: %w", l.Attrs().Name, err)
		}
		for _, a := range addrs {
			if ip, ok := netip.AddrFromSlice(a.IP.To4()); !ok || ip != f.wire {
				continue
			}
			for _, old := range addrs {
				if err := h.AddrDel(l, &old); err != nil {
					return nil, fmt.Errorf("remove %s from %s: %w", old.IPNet, l.Attrs().Name, err)
				}
			}
			if err := h.LinkSetHardwareAddr(l, f.hwAddr()); err != nil {
				return nil, fmt.Errorf("set MAC %s on %s: %w", f.hwAddr(), l.Attrs().Name, err)
			}
			return h.LinkByName(l.Attrs().Name)
		}
	}
	return nil, fmt.Errorf("start DHCP client: no interface has the wire address %s", f.wire)
}

// dhcpHost is the DHCP client of one interface.
type dhcpHost struct {
	h          *netlink.Handle
	link       netlink.Link
	setGateway bool
	held       *netlink.Addr
	// hostName goes in option 12 of each DISCOVER and REQUEST, as a PC or
	// phone sends its name: the router's lease shows it (host-name), and
	// lease scripts that make DNS names of it have one to use.
	hostName string
}

func (c *dhcpHost) run(ctx context.Context) {
	name := c.link.Attrs().Name
	var cl *nclient4.Client
	for cl == nil {
		var err error
		cl, err = nclient4.New(name, nclient4.WithTimeout(time.Second), nclient4.WithRetry(2))
		if err != nil {
			log.Printf("dhcp client on %s: open: %v", name, err)
			if !ctxwait.Sleep(ctx, time.Second) {
				return
			}
		}
	}
	defer cl.Close()
	for ctx.Err() == nil {
		var mods []dhcpv4.Modifier
		if c.hostName != "" {
			mods = append(mods, dhcpv4.WithOption(dhcpv4.OptHostName(c.hostName)))
		}
		lease, err := cl.Request(ctx, mods...)
		if err != nil {
			// No server yet: the router's configuration adds it later.
			if !ctxwait.Sleep(ctx, 500*time.Millisecond) {
				return
			}
			continue
		}
		if err := c.apply(lease); err != nil {
			log.Printf("dhcp client on %s: %v", name, err)
			ctxwait.Sleep(ctx, time.Second)
			continue
		}
		lt := lease.ACK.IPAddressLeaseTime(time.Hour)
		// Renew at half the lease with a fresh exchange: a lab host needs
		// no RENEWING state of its own.
		if !ctxwait.Sleep(ctx, lt/2) {
			cl.Release(lease)
			return
		}
	}
}

// apply puts the leased address on the interface (replacing an older one),
// sets the default route via the router option and records the lease.
func (c *dhcpHost) apply(l *nclient4.Lease) error {
	ack := l.ACK
	mask := ack.SubnetMask()
	if mask == nil {
		mask = net.CIDRMask(24, 32)
	}
	addr := &netlink.Addr{IPNet: &net.IPNet{IP: ack.YourIPAddr.To4(), Mask: mask}}
	if c.held != nil && !c.held.IPNet.IP.Equal(addr.IP) {
		c.h.AddrDel(c.link, c.held)
	}
	if err := c.h.AddrReplace(c.link, addr); err != nil {
		return fmt.Errorf("add leased address %s: %w", addr.IPNet, err)
	}
	c.held = addr
	st := clientLease{Interface: c.link.Attrs().Name, MAC: c.link.Attrs().HardwareAddr.String(), Address: addr.IPNet.String(),
		Server: ack.ServerIdentifier().String()}
	if rs := ack.Router(); len(rs) > 0 {
		st.Router = rs[0].String()
		if c.setGateway {
			if err := setDefaultGateway(c.h, rs[0]); err != nil {
				return fmt.Errorf("set the default route via %s: %w", rs[0], err)
			}
		}
	}
	for _, a := range ack.DNS() {
		st.DNS = append(st.DNS, a.String())
	}
	if err := writeResolvConf(resolvConf, ack.DNS()); err != nil {
		return fmt.Errorf("write the lease's DNS servers: %w", err)
	}
	b, _ := json.Marshal(st)
	if err := os.WriteFile(dhcpClientState, b, 0o644); err != nil {
		return fmt.Errorf("record the lease: %w", err)
	}
	log.Printf("dhcp client on %s: leased %s from %s (router %s)", st.Interface, st.Address, st.Server, st.Router)
	return nil
}

// runDHCPAddress prints the address the node's DHCP client holds (without
// the prefix length), or a PPPoE host's session address; it exits 1 while
// there is none.
func runDHCPAddress(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("dhcp-address", flag.ContinueOnError)
	if err := parseFlags(fs, args, stderr); err != nil {
		return 2
	}
	if b, err := os.ReadFile(pppoeClientState); err == nil {
		var s pppoeSession
		if err := json.Unmarshal(b, &s); err != nil {
			fmt.Fprintf(stderr, "labagent dhcp-address: read %s: %v\n", pppoeClientState, err)
			return 1
		}
		fmt.Fprintln(stdout, s.Address)
		return 0
	}
	b, err := os.ReadFile(dhcpClientState)
	if errors.Is(err, os.ErrNotExist) {
		fmt.Fprintln(stderr, "labagent dhcp-address: no lease yet")
		return 1
	}
	var l clientLease
	if err == nil {
		err = json.Unmarshal(b, &l)
	}
	if err != nil {
		fmt.Fprintf(stderr, "labagent dhcp-address: read %s: %v\n", dhcpClientState, err)
		return 1
	}
	addr, _, _ := strings.Cut(l.Address, "/")
	fmt.Fprintln(stdout, addr)
	return 0
}
