package agentcmd

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log"
	"net"
	"os"
	"time"

	"github.com/vishvananda/netlink"

	"github.com/chrlab/chrlab/internal/ctxwait"
	"github.com/chrlab/chrlab/rosemu/service/ppp"
	"github.com/chrlab/chrlab/rosemu/service/pppoe"
)

// A lab host that is a PPPoE customer of the router (an interface with
// pppoe: {user, password} in the lab file; labagent node --pppoe-client
// WIRE=PLANNED/LEN --pppoe-client-user U --pppoe-client-password P). Like a DHCP host,
// the interface Docker wired at WIRE loses its addresses and takes the MAC
// address 02:00 followed by the planned address in hex; then the host
// dials for its whole life: each session's address goes on the TUN ppp0
// with the default route through it, and the session is written to
// pppoeClientState. A refused login or a lost session dials again a
// second later, so a configuration applied after the lab is up (the
// router's server, a corrected secret) is found.

const pppoeClientState = "/run/labagent-pppoe-client.json"

// pppoeHostOpts are the --pppoe-* flags of a node.
type pppoeHostOpts struct {
	iface                   dhcpClientFlags // at most one: --pppoe-client
	user, password, service string
}

// pppoeSession is what pppoeClientState holds.
type pppoeSession struct {
	Interface string   `json:"interface"`
	MAC       string   `json:"mac"`
	Address   string   `json:"address"`
	Peer      string   `json:"peer"`
	DNS       []string `json:"dns,omitempty"`
}

// startPPPoEClient prepares the interface and dials until stop closes.
func startPPPoEClient(o pppoeHostOpts, stop <-chan struct{}) error {
	if len(o.iface) != 1 {
		return fmt.Errorf("--pppoe-client: want one interface, got %d", len(o.iface))
	}
	h, err := netlink.NewHandle()
	if err != nil {
		return fmt.Errorf("open netlink for the PPPoE client: %w", err)
	}
	link, err := prepareDHCPLink(h, o.iface[0])
	if err != nil {
		h.Close()
		return fmt.Errorf("pppoe client: %w", err)
	}
	if err := h.LinkSetUp(link); err != nil {
		h.Close()
		return fmt.Errorf("pppoe client: bring up %s: %w", link.Attrs().Name, err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	go func() {
		<-stop
		cancel()
	}()
	go func() {
		defer h.Close()
		for ctx.Err() == nil {
			err := pppoeHostSession(ctx, h, link, o)
			if ctx.Err() != nil {
				return
			}
			log.Printf("pppoe client on %s: %v; dialling again in 1s", link.Attrs().Name, err)
			_ = os.Remove(pppoeClientState)
			ctxwait.Sleep(ctx, time.Second)
		}
	}()
	return nil
}

// pppoeHostSession dials once and carries the session until it ends.
func pppoeHostSession(ctx context.Context, h *netlink.Handle, link netlink.Link, o pppoeHostOpts) error {
	name := link.Attrs().Name
	l, err := pppoe.OpenLink(name)
	if err != nil {
		return err
	}
	dctx, dcancel := context.WithTimeout(ctx, 20*time.Second)
	c, err := pppoe.Dial(dctx, l, pppoe.ClientConfig{User: o.user, Password: o.password, ServiceName: o.service, Keepalive: 10 * time.Second})
	dcancel()
	if err != nil {
		if errors.Is(err, pppoe.ErrAuth) {
			return fmt.Errorf("the server refused user %s: %w", o.user, err)
		}
		return fmt.Errorf("dial: %w", err)
	}
	defer c.Close()
	const tunName = "ppp0"
	tun, err := ppp.OpenTUN(tunName)
	if err != nil {
		return err
	}
	defer tun.Close()
	if err := configureTUN(h, tunName, c.Local, c.Peer, c.MTU); err != nil {
		return err
	}
	tl, err := h.LinkByName(tunName)
	if err != nil {
		return fmt.Errorf("find %s: %w", tunName, err)
	}
	// Everything leaves through the session, as on a PPPoE customer's
	// router.
	if err := h.RouteReplace(&netlink.Route{LinkIndex: tl.Attrs().Index, Dst: &net.IPNet{IP: net.IPv4zero, Mask: net.CIDRMask(0, 32)}, Scope: netlink.SCOPE_LINK}); err != nil {
		return fmt.Errorf("default route through %s: %w", tunName, err)
	}
	st := pppoeSession{Interface: tunName, MAC: link.Attrs().HardwareAddr.String(), Address: c.Local.String(), Peer: c.Peer.String()}
	for _, d := range c.DNS {
		st.DNS = append(st.DNS, d.String())
	}
	b, _ := json.Marshal(st)
	if err := os.WriteFile(pppoeClientState, b, 0o644); err != nil {
		return fmt.Errorf("record the session: %w", err)
	}
	log.Printf("pppoe client on %s: session up as user %s: %s, peer %s, DNS %v, MTU %d", name, o.user, c.Local, c.Peer, c.DNS, c.MTU)
	go func() {
		<-ctx.Done()
		c.Close()
	}()
	err = ppp.Pump(c, tun, nil)
	return fmt.Errorf("session ended: %w", err)
}
