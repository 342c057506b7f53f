package kernel

import (
	"fmt"
	"strings"
)

// MSSClamp is a PPP session whose profile has change-tcp-mss=yes: the SYNs
// of TCP connections through it are clamped to what its MTU carries.
type MSSClamp struct {
	Link string // the RouterOS interface: pppoe-out1, <pppoe-user>
	// MTU is the session's, when known (a PPPoE client's): SYNs that come
	// in by the link are clamped to MTU-40 too, so that the LAN host does
	// not send segments the link cannot carry. 0: only the SYNs that
	// leave by the link, to their route's MTU.
	MTU int
}

// renderMSSClamps writes the forward chain that clamps the sessions' SYNs,
// at the mangle priority, so that a user's change-mss rule and counters in
// postrouting see the clamped value, as a rule RouterOS adds in forward
// would leave them.
func renderMSSClamps(b *strings.Builder, cs []MSSClamp) {
	if len(cs) == 0 {
		return
	}
	b.WriteString("\n\t# RouterOS PPP profile change-tcp-mss=yes: SYNs through the session carry an MSS its MTU holds\n")
	b.WriteString("\tchain ppp_mss {\n\t\ttype filter hook forward priority -150; policy accept;\n")
	for _, c := range cs {
		link := LinkName(c.Link)
		fmt.Fprintf(b, "\t\toifname %q tcp flags syn / syn,rst tcp option maxseg size set rt mtu comment %s\n", link, quoteText(c.Link+" change-tcp-mss", maxComment))
		if c.MTU > 40 {
			fmt.Fprintf(b, "\t\tiifname %q tcp flags syn / syn,rst tcp option maxseg size > %d tcp option maxseg size set %d comment %s\n", link, c.MTU-40, c.MTU-40, quoteText(c.Link+" change-tcp-mss", maxComment))
		}
	}
	b.WriteString("\t}\n")
}
