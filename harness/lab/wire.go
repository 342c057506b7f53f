package lab

import (
	"context"
	"fmt"
	"net/netip"
)

// Docker wiring. Each lab network is a Docker network, but not on the lab's
// own subnet: Docker gets a subnet of the same size from wirePool, unique
// on this machine, and every lab member sets its lab address on the
// interface itself (labagent with --address, the router by its RouterOS
// configuration). Two reasons. Docker refuses a network whose subnet
// overlaps another one, so with the lab's subnets a lab kept running
// (KEEP=1) would block every other lab; and Docker 20.10 now and then keeps
// a removed container's endpoint on a network (moby#43286), which then
// cannot be removed until the engine restarts. With subnets of their own, a
// leftover network costs one subnet of the pool instead of every later run.

// wirePool is where Docker subnets come from: private space that neither
// the labs (docs/design.md, "Lab addressing") nor this machine use.
var wirePool = netip.MustParsePrefix("10.200.0.0/13")

// wireSubnets picks a free Docker subnet for every lab network, twice as
// large as the lab subnet and at least a /24 (wireBits), avoiding this machine's addresses and routes,
// every existing Docker network and the lab's own subnets.
func wireSubnets(ctx context.Context, docker *dockerClient, spec *Spec) (map[string]netip.Prefix, error) {
	used, err := usedPrefixes(ctx, docker, spec)
	if err != nil {
		return nil, err
	}
	out := map[string]netip.Prefix{}
	for _, nw := range spec.Networks {
		if nw.Trunk != "" {
			continue // a VLAN rides on its trunk's wire
		}
		p, ok := freePrefix(wirePool, wireBits(nw.Subnet), used)
		if !ok {
			return nil, fmt.Errorf("no free /%d left in %s for lab network %s (leftover networks? make down, or restart the Docker engine if Docker says they have active endpoints)", wireBits(nw.Subnet), wirePool, nw.Name)
		}
		out[nw.Name] = p
		used = append(used, p)
	}
	return out, nil
}

// wireBits is the length of the wire subnet that carries lab subnet p:
// twice p, and never smaller than a /24. A lab address keeps its host
// number on the wire (translate), so every one lands in the lower half and
// Docker's gateway, at the top of the wire (wireGateway), is nobody's: a lab
// may use its subnet's .254, which a router's LAN address or an ISP's
// gateway at the top of a /29 often is.
func wireBits(p netip.Prefix) int {
	return min(p.Bits()-1, 24)
}

// wireGateway is the address Docker takes as the gateway of wire subnet w,
// the last host of its upper half, which no lab address translates to.
func wireGateway(w netip.Prefix) netip.Addr {
	return lastAddr(w).Prev()
}

// freePrefix returns the first prefix of length bits inside pool that
// overlaps none of used.
func freePrefix(pool netip.Prefix, bits int, used []netip.Prefix) (netip.Prefix, bool) {
	if bits < pool.Bits() || bits > 30 {
		return netip.Prefix{}, false
	}
	step := uint32(1) << (32 - bits)
	base := pool.Masked().Addr().As4()
	start := uint32(base[0])<<24 | uint32(base[1])<<16 | uint32(base[2])<<8 | uint32(base[3])
	count := uint32(1) << (bits - pool.Bits())
	for i := uint32(0); i < count; i++ {
		v := start + i*step
		p := netip.PrefixFrom(netip.AddrFrom4([4]byte{byte(v >> 24), byte(v >> 16), byte(v >> 8), byte(v)}), bits)
		if !overlapsAny(p, used) {
			return p, true
		}
	}
	return netip.Prefix{}, false
}

// translate maps a lab address to the Docker address with the same host
// part in the Docker subnet wire: 192.168.88.10 in 192.168.88.0/24 is
// 10.200.3.10 in 10.200.3.0/24.
func translate(lab, wire netip.Prefix, a netip.Addr) netip.Addr {
	l, w, x := lab.Masked().Addr().As4(), wire.Masked().Addr().As4(), a.As4()
	var out [4]byte
	for i := range out {
		out[i] = w[i] | (x[i] - l[i])
	}
	return netip.AddrFrom4(out)
}

// wired returns a copy of the spec whose networks carry their Docker
// subnets and whose router ports their Docker addresses: what the router's
// launcher needs to find its ports by subnet.
func wired(spec *Spec, wire map[string]netip.Prefix) *Spec {
	w := *spec
	w.Networks = nil
	for _, nw := range spec.Networks {
		if nw.Trunk != "" {
			continue
		}
		nw.Subnet = wire[nw.Name]
		w.Networks = append(w.Networks, nw)
	}
	w.Router.Ports = nil
	for _, p := range spec.Router.Ports {
		nw, _ := spec.Network(p.Network)
		p.Address = translate(nw.Subnet, wire[p.Network], p.Address)
		w.Router.Ports = append(w.Router.Ports, p)
	}
	return &w
}
