package check

import (
	"strings"
	"testing"
)

// replyOnlyLAN is a home router whose LAN bridge answers ARP only for
// static entries, with a DHCP server that adds one per lease (the shape of
// a 7.15 export's main-infrastructure-br).
const replyOnlyLAN = `/interface bridge add arp=reply-only name=bridge
/interface bridge port add bridge=bridge interface=ether2
/ip pool add name=dhcp ranges=192.168.99.50-192.168.99.200
/ip dhcp-server add add-arp=yes address-pool=dhcp interface=bridge name=dhcp1
/ip dhcp-server network add address=192.168.99.0/24 gateway=192.168.99.1
/ip address add address=192.168.99.1/24 interface=bridge network=192.168.99.0
/ip dhcp-client add interface=ether1
/ip firewall nat add action=masquerade chain=srcnat out-interface=ether1
/ip firewall nat add action=dst-nat chain=dstnat dst-port=8080 in-interface=ether1 protocol=tcp to-addresses=192.168.99.10 to-ports=80
`

// TestReplyOnlyLANClientLeases: behind arp=reply-only the router answers
// only hosts it holds a static ARP entry for, which its DHCP server adds
// per lease (add-arp=yes). The lab's client had a fixed address, so the
// router answered nothing on that LAN (WebFig from the LAN timed out in a
// 7.15 export's lab). It now leases by DHCP, with no gateway of its own.
// Controls: the same LAN with arp enabled keeps a fixed client, and
// reply-only without add-arp keeps it too, with a note that the router
// reaches none of the lab's hosts.
func TestReplyOnlyLANClientLeases(t *testing.T) {
	client := func(rsc string) (string, []string) {
		t.Helper()
		p := importNamed(t, "home.rsc", []byte(rsc))
		c, err := p.Case(Fix{})
		if err != nil {
			t.Fatal(err)
		}
		_, node, ok := strings.Cut(c.YAML, "  - name: client1\n")
		if !ok {
			t.Fatalf("no client1 in the lab:\n%s", c.YAML)
		}
		node, _, _ = strings.Cut(node, "  - name:")
		return node, p.Notes
	}
	node, notes := client(replyOnlyLAN)
	if !strings.Contains(node, "dhcp: true") || strings.Contains(node, "gateway:") {
		t.Errorf("behind reply-only with add-arp the client does not lease by DHCP alone:\n%s", node)
	}
	if !hasNote(notes, "arp=reply-only, line 1", "add-arp=yes, line 4", "leases its address by DHCP") {
		t.Errorf("no note of the DHCP client: %q", notes)
	}

	node, notes = client(strings.Replace(replyOnlyLAN, "arp=reply-only ", "", 1))
	if strings.Contains(node, "dhcp: true") || !strings.Contains(node, "gateway: 192.168.99.1") {
		t.Errorf("with ARP enabled the client is not a fixed host:\n%s", node)
	}
	if hasNote(notes, "reply-only") {
		t.Errorf("a reply-only note without reply-only: %q", notes)
	}

	node, notes = client(strings.Replace(replyOnlyLAN, "add-arp=yes ", "", 1))
	if strings.Contains(node, "dhcp: true") {
		t.Errorf("without add-arp the client leases by DHCP (it would get no ARP entry):\n%s", node)
	}
	if !hasNote(notes, "no DHCP server with add-arp=yes") {
		t.Errorf("no note that the router reaches no lab host: %q", notes)
	}
}

// TestStaticWANBesideDHCPClient: a WAN with a static address whose subnet
// holds the default route's gateway, and a DHCP client that adds no
// default route (a 7.15 router behind its ISP's edge router), is a static
// line: the lab's ISP goes to the route's gateway. It was a DHCP WAN, and
// nobody answered at the gateway. Control: the client that adds the
// default route keeps the WAN a DHCP one.
func TestStaticWANBesideDHCPClient(t *testing.T) {
	rsc := `/interface bridge add name=bridge
/interface bridge port add bridge=bridge interface=ether2
/ip address add address=192.168.99.1/24 interface=bridge network=192.168.99.0
/ip address add address=192.168.100.7/24 interface=ether1 network=192.168.100.0
/ip dhcp-client add add-default-route=no interface=ether1 use-peer-dns=no
/ip route add distance=50 dst-address=0.0.0.0/0 gateway=192.168.100.1
/ip firewall nat add action=masquerade chain=srcnat out-interface=ether1
`
	p := importNamed(t, "edge.rsc", []byte(rsc))
	if len(p.WANs) != 1 || p.WANs[0].Kind != "static" || p.WANs[0].Address.String() != "192.168.100.7/24" || p.WANs[0].Gateway.String() != "192.168.100.1" {
		t.Fatalf("WANs %+v, want ether1 static 192.168.100.7/24 by 192.168.100.1", p.WANs)
	}
	if !hasNote(p.Notes, "adds no default route (line 5)", "line 6", "192.168.100.7/24 (line 4)") {
		t.Errorf("no note of the static line: %q", p.Notes)
	}
	c, err := p.Case(Fix{})
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(c.YAML, "address: 192.168.100.1}") {
		t.Errorf("no lab node at the default route's gateway 192.168.100.1:\n%s", c.YAML)
	}

	p = importNamed(t, "edge.rsc", []byte(strings.Replace(rsc, "add-default-route=no ", "", 1)))
	if len(p.WANs) != 1 || p.WANs[0].Kind != "dhcp" {
		t.Fatalf("WANs %+v, want ether1 a DHCP WAN when its client adds the default route", p.WANs)
	}
}

// hasNote reports whether one note holds every part.
func hasNote(notes []string, parts ...string) bool {
	for _, n := range notes {
		all := true
		for _, part := range parts {
			if !strings.Contains(n, part) {
				all = false
				break
			}
		}
		if all {
			return true
		}
	}
	return false
}
