package lab

import (
	"context"
	"fmt"
	"net/netip"
)

// Docker wiring. Each lab network is a Docker network, but not on the lab's
// own subnet: Docker gets a subnet from wirePools (wireBits says how large), unique
// on this machine, and every lab member sets its lab address on the
// interface itself (labagent with --address, the router by its RouterOS
// configuration). Two reasons. Docker refuses a network whose subnet
// overlaps another one, so with the lab's subnets a lab kept running
// (KEEP=1) would block every other lab; and Docker 20.10 now and then keeps
// a removed container's endpoint on a network (moby#43286), which then
// cannot be removed until the engine restarts. With subnets of their own, a
// leftover network costs one subnet of the pool instead of every later run.

// wirePools is where Docker subnets come from: private space that neither
// the labs (docs/design.md, "Lab addressing") nor this machine use, and,
// for a lab whose own subnets cover the first (a user's LAN of
// 10.0.0.0/8), the benchmarking block.
var wirePools = []netip.Prefix{netip.MustParsePrefix("10.200.0.0/13"), netip.MustParsePrefix("198.18.0.0/15")}

// wireSubnets picks a free Docker subnet for every lab network, twice as
// large as the lab subnet, at least a /24 and at most a /16 (wireBits),
// avoiding this machine's addresses and routes, every existing Docker
// network and the lab's own subnets.
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
		var p netip.Prefix
		ok := false
		for _, pool := range wirePools {
			if p, ok = freePrefix(pool, wireBits(nw.Subnet), used); ok {
				break
			}
		}
		if !ok {
			return nil, fmt.Errorf("no free /%d left in %v for lab network %s (leftover networks? make down, or restart the Docker engine if Docker says they have active endpoints)", wireBits(nw.Subnet), wirePools, nw.Name)
		}
		out[nw.Name] = p
		used = append(used, p)
	}
	if err := wireClashes(spec, out); err != nil {
		return nil, err
	}
	return out, nil
}

// wireClashes refuses a lab two of whose members on one network would get
// the same wire address: on a lab subnet larger than a /17 only the low
// 15 bits of a host number reach the wire (wireBits, translate).
func wireClashes(spec *Spec, wire map[string]netip.Prefix) error {
	seen := map[netip.Addr]netip.Addr{}
	for _, in := range spec.members() {
		nw, ok := spec.Network(in.Network)
		if !ok || nw.Trunk != "" || !in.Address.IsValid() {
			continue
		}
		w := translate(nw.Subnet, wire[nw.Name], in.Address)
		if other, dup := seen[w]; dup && other != in.Address {
			return fmt.Errorf("lab network %s (%s): %s and %s would share the wire address %s (on a subnet larger than a /17 only the last 15 bits of a host number are kept); give one of them another address", nw.Name, nw.Subnet, other, in.Address, w)
		}
		seen[w] = in.Address
	}
	return nil
}

// wireBits is the length of the wire subnet that carries lab subnet p:
// twice p, never smaller than a /24 and never larger than a /16. A lab
// address keeps its host number on the wire (translate), so every one
// lands in the lower half and Docker's gateway, at the top of the wire
// (wireGateway), is nobody's: a lab may use its subnet's .254, which a
// router's LAN address or an ISP's gateway at the top of a /29 often is.
// A user's LAN may be far larger than the few addresses a lab puts on it
// (192.168.10.1/14, 10.0.0.1/8): its wire is a /16 and keeps the low 15
// bits of each host number, so the pool is not spent on one network.
func wireBits(p netip.Prefix) int {
	return max(min(p.Bits()-1, 24), largestWire)
}

// largestWire is the prefix length of the largest wire subnet.
const largestWire = 16

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
	start := u32(pool.Masked().Addr())
	count := uint32(1) << (bits - pool.Bits())
	for i := uint32(0); i < count; i++ {
		p := netip.PrefixFrom(from32(start+i*step), bits)
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
	l, w, x := u32(lab.Masked().Addr()), u32(wire.Masked().Addr()), u32(a)
	host := x - l
	if lab.Bits() <= largestWire {
		// A lab subnet larger than a /17 rides on a /16 (wireBits):
		// its host number is cut to the wire's lower half.
		host &= uint32(1)<<(31-wire.Bits()) - 1
	}
	return from32(w | host)
}

// u32 and from32 convert an IPv4 address to and from its number.
func u32(a netip.Addr) uint32 {
	b := a.As4()
	return uint32(b[0])<<24 | uint32(b[1])<<16 | uint32(b[2])<<8 | uint32(b[3])
}

func from32(v uint32) netip.Addr {
	return netip.AddrFrom4([4]byte{byte(v >> 24), byte(v >> 16), byte(v >> 8), byte(v)})
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

// members are the ports of every router and every node's interfaces.
func (s *Spec) members() []Interface {
	out := append([]Interface(nil), s.Router.Ports...)
	for _, r := range s.Routers {
		out = append(out, r.Ports...)
	}
	for _, n := range s.Nodes {
		out = append(out, n.Interfaces...)
	}
	return out
}
