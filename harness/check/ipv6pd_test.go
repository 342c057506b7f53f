package check

import (
	"slices"
	"strings"
	"testing"
)

// pdHead is a home router that takes its IPv6 by prefix delegation, as
// RouterOS 7's default configuration sets it up, with the defconf accept
// of the DHCPv6 answers above the drop of what comes from outside the LAN.
const pdHead = `# by RouterOS 7.18
/interface bridge
add name=bridge
/interface bridge port
add bridge=bridge interface=ether2
/interface list
add name=WAN
add name=LAN
/interface list member
add interface=bridge list=LAN
add interface=ether1 list=WAN
/ip address
add address=192.168.88.1/24 interface=bridge network=192.168.88.0
/ip dhcp-client
add interface=ether1
/ip firewall nat
add action=masquerade chain=srcnat out-interface-list=WAN
/ipv6 address
add address=::1 from-pool=isp-pd interface=bridge
/ipv6 dhcp-client
add add-default-route=yes interface=ether1 pool-name=isp-pd request=prefix
/ipv6 firewall filter
add action=accept chain=input connection-state=established,related,untracked
add action=accept chain=input protocol=icmpv6
`

const pdAccept = "add action=accept chain=input dst-port=546 protocol=udp src-address=fe80::/10\n"
const pdDrop = "add action=drop chain=input in-interface-list=!LAN\n"

// pdNotesOf are the IPv6 faults the export's rules make certain: they
// are warnings, and none of them is left among the notes.
func pdNotesOf(t *testing.T, rsc string) []string {
	t.Helper()
	p := importText(t, rsc)
	if i := slices.IndexFunc(p.Notes, func(n string) bool { return strings.HasPrefix(n, "IPv6: ") }); i >= 0 {
		t.Errorf("an IPv6 fault stays a note: %q", p.Notes[i])
	}
	var out []string
	for _, n := range p.ExportWarnings() {
		if strings.HasPrefix(n, "IPv6: ") {
			out = append(out, n)
		}
	}
	return out
}

// The defconf shape says nothing (the control); the same firewall without
// its DHCPv6 accept names the drop and the accept to put above it; an
// accept below the drop does not help; a drop of one other port is no
// drop of the answers.
func TestPDInputDrop(t *testing.T) {
	if n := pdNotesOf(t, pdHead+pdAccept+pdDrop); len(n) != 0 {
		t.Errorf("defconf shape: %q", n)
	}
	n := pdNotesOf(t, pdHead+pdDrop+pdAccept)
	if !slices.ContainsFunc(n, func(s string) bool {
		return strings.HasPrefix(s, "IPv6: line 25 drops the DHCPv6 server's answers to the client of line 21") &&
			strings.HasSuffix(s, `protocol=udp dst-port=546 src-address=fe80::/10 place-before=[ find where action=drop and chain=input and in-interface-list="!LAN" ]`)
	}) {
		t.Errorf("accept below the drop: %q", n)
	}
	if n := pdNotesOf(t, pdHead+"add action=drop chain=input dst-port=22 protocol=tcp\n"+pdAccept+pdDrop); len(n) != 0 {
		t.Errorf("a drop of SSH: %q", n)
	}
	if n := pdNotesOf(t, pdHead+"add action=drop chain=input in-interface=ether1\n"); len(n) != 1 || !strings.Contains(n[0], "line 25 drops") {
		t.Errorf("a drop of the WAN port: %q", n)
	}
}

// A from-pool address whose pool nothing makes is named, with the one
// pool there is; a client with add-default-route=no and no default route
// is named, and a static default route silences it (the control).
func TestPDPoolAndRoute(t *testing.T) {
	rsc := strings.Replace(pdHead, "from-pool=isp-pd", "from-pool=isp_pd", 1) + pdAccept + pdDrop
	n := pdNotesOf(t, rsc)
	if len(n) != 1 || !strings.Contains(n[0], `line 19 takes the address of bridge from pool "isp_pd"`) || !strings.Contains(n[0], "from-pool=isp-pd") {
		t.Errorf("pool typo: %q", n)
	}
	rsc = strings.Replace(pdHead, "add-default-route=yes", "add-default-route=no", 1) + pdAccept + pdDrop
	n = pdNotesOf(t, rsc)
	if len(n) != 1 || !strings.Contains(n[0], "add-default-route=no and no IPv6 default route exists") {
		t.Errorf("no default route: %q", n)
	}
	if n := pdNotesOf(t, rsc+"/ipv6 route\nadd dst-address=2000::/3 gateway=ether1\n"); len(n) != 0 {
		t.Errorf("with a static default route: %q", n)
	}
	// The router takes its default route from the ISP's advertisements
	// while it forwards: no fault. Only yes does, on an interface list
	// that holds the client's interface (chk54: the WAN list, which
	// holds ether1, kept the warning): the default value and a list
	// without ether1 keep the warning.
	for _, set := range []string{"accept-router-advertisements=yes", "accept-router-advertisements=yes accept-router-advertisements-on=WAN"} {
		if n := pdNotesOf(t, rsc+"/ipv6 settings\nset "+set+"\n"); len(n) != 0 {
			t.Errorf("with %s: %q", set, n)
		}
	}
	for _, set := range []string{"accept-router-advertisements=yes-if-forwarding-disabled", "accept-router-advertisements=yes accept-router-advertisements-on=LAN"} {
		if n := pdNotesOf(t, rsc+"/ipv6 settings\nset "+set+"\n"); len(n) != 1 {
			t.Errorf("with %s: %q", set, n)
		}
	}
}

// TestPDNoAdvertisement (forum55): the default /ipv6 nd entry pointed at
// the WAN (or disabled) leaves the LAN's pool address without router
// advertisements, so its hosts form no address: the note names the
// address, the nd line and the fix. The controls: the default entry on
// interface=all, and an added entry for the bridge beside a WAN default,
// say nothing.
func TestPDNoAdvertisement(t *testing.T) {
	base := pdHead + pdAccept + pdDrop
	if n := pdNotesOf(t, base); len(n) != 0 {
		t.Errorf("defconf nd (interface=all): %q", n)
	}
	wan := base + "/ipv6 nd\nset [ find default=yes ] interface=ether1 advertise-dns=yes\n"
	n := pdNotesOf(t, wan)
	if len(n) != 1 || !strings.Contains(n[0], "line 19 gives bridge its address from pool isp-pd") ||
		!strings.Contains(n[0], "line 28 sends the default /ipv6 nd entry's advertisements on ether1 alone") || !strings.Contains(n[0], "/ipv6 nd set [ find default=yes ] interface=bridge") {
		t.Errorf("nd on the WAN: %q", n)
	}
	off := base + "/ipv6 nd\nset [ find default=yes ] disabled=yes\n"
	if n := pdNotesOf(t, off); len(n) != 1 || !strings.Contains(n[0], "no router advertisements") {
		t.Errorf("nd disabled: %q", n)
	}
	added := wan + "add interface=bridge\n"
	if n := pdNotesOf(t, added); len(n) != 0 {
		t.Errorf("an entry for the bridge: %q", n)
	}
}
