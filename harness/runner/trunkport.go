package runner

import (
	"context"
	"net/netip"
)

// taggedOnly reports whether the lab port is a port of a vlan-filtering
// bridge that admits only tagged frames (an RB5009's trunk to a switch):
// it carries no untagged address, so the lab does not wait for one on it.
func (e *labEnv) taggedOnly(ctx context.Context, port string) bool {
	iface, ok := e.spec.RouterIface(port, netip.Addr{})
	if !ok {
		return false
	}
	rows, err := e.rc.Print(ctx, "/interface/bridge/port", "?interface="+e.portName(ctx, iface), "?disabled=false")
	if err != nil || len(rows) == 0 {
		return false
	}
	for _, r := range rows {
		if r["frame-types"] != "admit-only-vlan-tagged" {
			return false
		}
		brs, err := e.rc.Print(ctx, "/interface/bridge", "?name="+r["bridge"])
		if err != nil || len(brs) == 0 || brs[0]["vlan-filtering"] != "true" {
			return false
		}
	}
	return true
}

// unaddressed reports whether the router's configuration gives the lab port
// no way to an address: no address, DHCP or PPPoE client on the port or on
// the bridge it is a port of, and, when the lab's network on the port is a
// trunk, no VLAN on it. A port the user's router leaves unused (ether3 to
// ether5 of a home router without a bridge) is such a port, and so is a
// port whose router has addresses only on VLANs while the lab puts no VLAN
// on its wire (a school's bridge towards a switch the lab does not have);
// the lab does not wait for an address there.
func (e *labEnv) unaddressed(ctx context.Context, port string) bool {
	iface, ok := e.spec.RouterIface(port, netip.Addr{})
	if !ok {
		return false
	}
	name := e.portName(ctx, iface)
	l3, err := e.l3Interface(ctx, name)
	if err != nil {
		return false
	}
	queries := []struct{ menu, filter string }{
		{"/ip/address", "?interface=" + l3},
		{"/ip/dhcp-client", "?interface=" + l3},
		{"/interface/pppoe-client", "?interface=" + name},
	}
	if l3 != name {
		// A PPPoE client on the bridge the port belongs to (a 6.46
		// hAP's pppoe-out1 on its WAN-Bridge): the port was taken for
		// unaddressed, the lab did not wait for the session, and a
		// probe asked for the WAN's address before the client had
		// dialed ("router has no address on WAN-Bridge or pppoe-out1",
		// one run in two).
		queries = append(queries, struct{ menu, filter string }{"/interface/pppoe-client", "?interface=" + l3})
	}
	if len(e.wireVLANs(iface)) > 0 {
		queries = append(queries, struct{ menu, filter string }{"/interface/vlan", "?interface=" + name},
			struct{ menu, filter string }{"/interface/vlan", "?interface=" + l3})
	}
	for _, q := range queries {
		rows, err := e.rc.Print(ctx, q.menu, q.filter)
		if err != nil {
			return false
		}
		// A disabled address or client gives the port nothing: a 6.x
		// export's "add interface=ether2-isp2" DHCP client is disabled
		// (no disabled=no), and the lab waited 30 s for its address and
		// gave the whole run up.
		for _, r := range rows {
			if r["disabled"] != "true" {
				return false
			}
		}
	}
	return true
}
