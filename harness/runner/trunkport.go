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
