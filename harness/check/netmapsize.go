package check

import (
	"fmt"
	"net/netip"
)

// NetmapNarrow is a dstnat netmap whose to-addresses block is smaller than
// its dst-address block. Netmap keeps each address's host part within the
// to-addresses prefix (a 1:1 mapping of one set of addresses to another,
// https://help.mikrotik.com/docs/spaces/ROS/pages/3211299/NAT): with one
// address, or a smaller block, as to-addresses, several public addresses
// land on the same server, and the servers meant for the others are never
// reached (to-addresses=192.168.88.10 for dst-address=203.0.113.250/31 sends
// .250 and .251 both to .10).
const NetmapNarrow Cause = "the netmap's to-addresses block is smaller than its dst-address block: netmap keeps each address's host part only within the to-addresses prefix, so several public addresses map onto the same server and the servers meant for the others are never reached"

// netmapNarrow returns the finding for forward fw when it is such a
// netmap, and the block to-addresses should be: its own address widened
// to the dst-address block's size.
func netmapNarrow(i int, fw Forward) (Finding, netip.Prefix, bool) {
	if fw.cmd == nil || fw.cmd.Value("action") != "netmap" || fw.cmd.Value("chain") != "dstnat" {
		return Finding{}, netip.Prefix{}, false
	}
	dst, ok := prefixOf(fw.cmd.Value("dst-address"))
	if !ok {
		return Finding{}, netip.Prefix{}, false
	}
	to, ok := prefixOf(fw.cmd.Value("to-addresses"))
	if !ok || to.Bits() <= dst.Bits() {
		return Finding{}, netip.Prefix{}, false
	}
	want := netip.PrefixFrom(to.Addr(), dst.Bits()).Masked()
	n := 1 << (32 - dst.Bits())
	d := fmt.Sprintf("dst-address=%s holds %d addresses, to-addresses=%s only %d: every one of them goes to %s",
		fw.cmd.Value("dst-address"), n, fw.cmd.Value("to-addresses"), 1<<(32-to.Bits()), to.Masked())
	if to.Bits() == 32 {
		d = fmt.Sprintf("dst-address=%s holds %d addresses, to-addresses=%s is one: every one of them goes to %s",
			fw.cmd.Value("dst-address"), n, fw.cmd.Value("to-addresses"), to.Addr())
	}
	return Finding{Forward: i, Path: "all", Cause: NetmapNarrow, Line: fw.Line, Rule: fw.Text, Detail: d}, want, true
}

// prefixOf reads an IPv4 address or prefix; an address is a /32.
func prefixOf(s string) (netip.Prefix, bool) {
	if pf, err := netip.ParsePrefix(s); err == nil && pf.Addr().Is4() {
		return pf, true
	}
	if a, err := netip.ParseAddr(s); err == nil && a.Is4() {
		return netip.PrefixFrom(a, 32), true
	}
	return netip.Prefix{}, false
}
