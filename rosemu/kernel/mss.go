package kernel

import (
	"fmt"
	"strings"
)

// MSSClamp is a PPP session whose profile has change-tcp-mss=yes, or a
// GRE, IPIP or EoIP tunnel with clamp-tcp-mss=yes: the SYNs of TCP
// connections through it are clamped to what its MTU carries.
type MSSClamp struct {
	Link string // the RouterOS interface: pppoe-out1, <pppoe-user>, gre1
	// MTU is the session's, when known (a PPPoE client's), or the
	// tunnel's: SYNs that come in by the link are clamped to MTU-40 too,
	// so that the LAN host does not send segments the link cannot carry.
	// 0: only the SYNs that leave by the link, to their route's MTU.
	MTU int
	// Tunnel: a tunnel's clamp-tcp-mss, which clamps only the SYNs it
	// receives ("a router will change the MSS size for received TCP SYN
	// packets if the current MSS size exceeds the tunnel interface MTU
	// (taking into account the TCP/IP overhead) ... only after
	// decapsulation the MSS is changed", GRE, IPIP and EoIP pages of the
	// manual): no rule for the SYNs that leave by it. [verify] on a CHR
	// that the SYNs routed into the tunnel keep their MSS.
	Tunnel bool
}

// renderMSSClamps writes the forward chain that clamps the sessions' SYNs,
// at the mangle priority, so that a user's change-mss rule and counters in
// postrouting see the clamped value, as a rule RouterOS adds in forward
// would leave them.
func renderMSSClamps(b *strings.Builder, cs []MSSClamp) {
	if len(cs) == 0 {
		return
	}
	b.WriteString("\n\t# RouterOS PPP profile change-tcp-mss=yes, tunnel clamp-tcp-mss=yes: SYNs through the link carry an MSS its MTU holds\n")
	b.WriteString("\tchain ppp_mss {\n\t\ttype filter hook forward priority -150; policy accept;\n")
	for _, c := range cs {
		link := LinkName(c.Link)
		what := quoteText(c.Link+" change-tcp-mss", maxComment)
		if c.Tunnel {
			what = quoteText(c.Link+" clamp-tcp-mss", maxComment)
		} else {
			fmt.Fprintf(b, "\t\toifname %q tcp flags syn / syn,rst tcp option maxseg size set rt mtu comment %s\n", link, what)
		}
		if c.MTU > 40 {
			fmt.Fprintf(b, "\t\tiifname %q tcp flags syn / syn,rst tcp option maxseg size > %d tcp option maxseg size set %d comment %s\n", link, c.MTU-40, c.MTU-40, what)
		}
	}
	b.WriteString("\t}\n")
}
