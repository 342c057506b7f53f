package lab

import (
	"context"
	"fmt"
	"strings"
)

// SetRouterLink pulls (up false) or plugs back (up true) the cable of
// the port with index port (0 for ether1) of the lab's router or of one of
// its more routers, by name, as a lab step (link-down, link-up) does. The
// wire container takes its end of the port's veth down, so the router's
// port loses carrier and the rest of the lab network stays up, as when the
// cable between a router port and its switch or modem is pulled. A QEMU
// router also needs its guest NIC's link set (RouterRun.LinkCmd): the
// container bridges the port to a tap, and without it the guest would
// still see a link; a more router runs rosemu in a container whatever runs
// the lab's router, and sees its port's carrier. Only the netns wiring has
// an end of the router's port that no one else shares; under Docker's
// wiring the port's peer is on a bridge of this machine's own namespace.
func (l *Lab) SetRouterLink(ctx context.Context, router string, port int, up bool) error {
	state := map[bool]string{true: "up", false: "down"}[up]
	name := PortName(port)
	rt, ok := l.Spec.RouterNamed(router)
	if !ok {
		return fmt.Errorf("set the link of router port %s %s: lab %s has no router %s", name, state, l.Spec.Name, router)
	}
	if port < 0 || port >= len(rt.Ports) {
		return fmt.Errorf("set the link of router port %s %s: the router %s of lab %s has %d ports", name, state, router, l.Spec.Name, len(rt.Ports))
	}
	linkCmd := l.linkCmd
	if router != l.Spec.Router.Name {
		linkCmd = nil
		name = router + " " + name
	}
	if l.wiring != WiringNetns || l.box == nil {
		return fmt.Errorf("set the link of router port %s %s: only the netns wiring can pull a port's cable (this lab is wired %s; unset %s)", name, state, l.wiring, WiringEnv)
	}
	l.box.mu.Lock()
	ends := l.box.ends[router]
	l.box.mu.Unlock()
	if port >= len(ends) {
		return fmt.Errorf("set the link of router port %s %s: the wire has no end for it (a lab kept from an earlier run is not wired by this process)", name, state)
	}
	guest := func() error {
		if linkCmd == nil {
			return nil
		}
		res, err := l.Run(ctx, router, linkCmd(port+1, up))
		if err != nil {
			return fmt.Errorf("set the guest's link of router port %s %s: %w", name, state, err)
		}
		if res.ExitCode != 0 {
			return fmt.Errorf("set the guest's link of router port %s %s: %s", name, state, strings.TrimSpace(string(res.Stderr)+string(res.Stdout)))
		}
		return nil
	}
	wire := func() error {
		res, err := l.runIn(ctx, l.box.id, "wire", []string{"ip", "link", "set", ends[port], state})
		if err != nil {
			return fmt.Errorf("set the wire's end of router port %s %s: %w", name, state, err)
		}
		if res.ExitCode != 0 {
			return fmt.Errorf("set the wire's end of router port %s %s: %s", name, state, strings.TrimSpace(string(res.Stderr)))
		}
		return nil
	}
	// Down: the guest first, so it never sees a link without a wire;
	// up: the wire first, for the same reason.
	steps := []func() error{guest, wire}
	if up {
		steps = []func() error{wire, guest}
	}
	for _, f := range steps {
		if err := f(); err != nil {
			return err
		}
	}
	l.logf("router port %s: link %s", name, state)
	return nil
}
