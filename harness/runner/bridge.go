package runner

import (
	"context"
	"net/netip"
)

// l3Interface returns the interface that holds a port's addresses: the
// port itself, or the bridge it is an enabled port of (on RouterOS an
// address on a bridge port is invalid; the bridge is the L3 interface).
func (e *labEnv) l3Interface(ctx context.Context, port string) (string, error) {
	rows, err := e.rc.Print(ctx, "/interface/bridge/port", "?interface="+port, "?disabled=false")
	if err != nil {
		return "", err
	}
	for _, r := range rows {
		if b := r["bridge"]; b != "" {
			return b, nil
		}
	}
	return port, nil
}

// nearAddress picks, among an interface's addresses, the one on near's
// subnet (a bridge may carry several LAN subnets), else the first.
func nearAddress(rows []map[string]string, near netip.Addr) (netip.Addr, bool) {
	var first netip.Addr
	for _, r := range rows {
		p, err := netip.ParsePrefix(r["address"])
		if err != nil {
			continue
		}
		if near.IsValid() && p.Contains(near) {
			return p.Addr(), true
		}
		if !first.IsValid() {
			first = p.Addr()
		}
	}
	return first, first.IsValid()
}
