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
	if strings.Contains(node, "dhcp: true") || strings.Contains(node, "mac:") {
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

// labNode is the lab file's lines of node name, and the notes, of the lab
// check builds for rsc; the lab file must parse.
func labNode(t *testing.T, rsc, name string) (string, []string) {
	t.Helper()
	p := importNamed(t, "home.rsc", []byte(rsc))
	c, err := p.Case(Fix{})
	if err != nil {
		t.Fatal(err)
	}
	caseLoads(t, c)
	_, node, ok := strings.Cut(c.YAML, "  - name: "+name+"\n")
	if !ok {
		t.Fatalf("no %s in the lab:\n%s", name, c.YAML)
	}
	node, _, _ = strings.Cut(node, "  - name:")
	return node, p.Notes
}

// TestReplyOnlyStaticARPHosts: behind arp=reply-only without a DHCP
// server that adds ARP entries the router answers only the hosts /ip arp
// lists (a 7.x export's LAN bridge, 13 paths broken because the lab's
// client got no answer). The forward's server takes the MAC of its static
// entry, and the client the address and MAC of another entry. Controls:
// without the entries both keep the lab's own (and the note says the
// router reaches none of them); with ARP enabled the entries change
// nothing; an entry whose MAC the server already has is not the client's.
func TestReplyOnlyStaticARPHosts(t *testing.T) {
	rsc := strings.Replace(replyOnlyLAN, "add-arp=yes ", "", 1) +
		"/ip arp add address=192.168.99.10 interface=bridge mac-address=48:65:EE:19:3C:0D\n" +
		"/ip arp add address=192.168.99.77 comment=PC interface=bridge mac-address=D4:3B:04:87:C7:47\n"
	server, notes := labNode(t, rsc, "server1")
	if !strings.Contains(server, "gateway: 192.168.99.1") || !strings.Contains(server, "{network: lan1, address: 192.168.99.10, mac: 48:65:ee:19:3c:0d}") {
		t.Errorf("the server does not take its static ARP entry's MAC:\n%s", server)
	}
	if !hasNote(notes, "arp=reply-only, line 1", "server at 192.168.99.10 takes the MAC of its static ARP entry (48:65:ee:19:3c:0d, line 10)") {
		t.Errorf("no note of the server's MAC: %q", notes)
	}
	client, notes := labNode(t, rsc, "client1")
	if !strings.Contains(client, "gateway: 192.168.99.1") || !strings.Contains(client, "{network: lan1, address: 192.168.99.77, mac: d4:3b:04:87:c7:47}") {
		t.Errorf("the client does not stand in for the static ARP entry of 192.168.99.77:\n%s", client)
	}
	if !hasNote(notes, "client there takes the address and MAC of the static ARP entry for 192.168.99.77 (d4:3b:04:87:c7:47, line 11)") || hasNote(notes, "none of the lab's") {
		t.Errorf("no note of the client's entry: %q", notes)
	}

	// The PC's entry has the server's MAC: the client has no entry left.
	client, notes = labNode(t, strings.Replace(rsc, "D4:3B:04:87:C7:47", "48:65:EE:19:3C:0D", 1), "client1")
	if strings.Contains(client, "mac:") || strings.Contains(client, "192.168.99.77") {
		t.Errorf("the client takes a MAC the server has:\n%s", client)
	}
	if !hasNote(notes, "the lab's client is none of them (every entry there is another lab host's: line 10, line 11)") {
		t.Errorf("no note of the taken entries: %q", notes)
	}

	bare := strings.Replace(replyOnlyLAN, "add-arp=yes ", "", 1)
	server, notes = labNode(t, bare, "server1")
	client, _ = labNode(t, bare, "client1")
	if strings.Contains(server, "mac:") || strings.Contains(client, "mac:") {
		t.Errorf("without static ARP entries a host takes a MAC:\n%s%s", server, client)
	}
	if !hasNote(notes, "server 192.168.99.10 has neither a static ARP entry nor a static lease") || !hasNote(notes, "none of the lab's") {
		t.Errorf("no notes that the router reaches no lab host: %q", notes)
	}

	// With ARP enabled the router still sends the server's packets to the
	// MAC its static entry pins (rc33 C3: a DVR's entry on a shop's bridge,
	// every forward "broken" in the lab): the server takes it; the client,
	// which the router finds by ARP, keeps the lab's.
	enabledARP := strings.Replace(rsc, "arp=reply-only ", "", 1)
	server, notes = labNode(t, enabledARP, "server1")
	client, _ = labNode(t, enabledARP, "client1")
	if !strings.Contains(server, "{network: lan1, address: 192.168.99.10, mac: 48:65:ee:19:3c:0d}") || strings.Contains(client, "mac:") || hasNote(notes, "reply-only") {
		t.Errorf("with ARP enabled: the server does not take its static entry's MAC, or the client takes one:\n%s%s%q", server, client, notes)
	}
	if !hasNote(notes, "server 192.168.99.10 has a static ARP entry on bridge (line 10): the lab's server takes its MAC (48:65:ee:19:3c:0d)") {
		t.Errorf("no note of the server's pinned MAC: %q", notes)
	}
	// Control: with ARP enabled and no entry, nothing changes.
	server, notes = labNode(t, strings.Replace(bare, "arp=reply-only ", "", 1), "server1")
	if strings.Contains(server, "mac:") || hasNote(notes, "static ARP entry") {
		t.Errorf("with ARP enabled and no entry the server takes a MAC:\n%s%q", server, notes)
	}
}

// TestReplyOnlyStaticLeaseServer: behind arp=reply-only a DHCP server with
// add-arp=yes puts its leases in the ARP table: the forward's server with
// a static lease leases its address by DHCP with the lease's MAC, with no
// gateway of its own. Controls: without the lease (and with a lease that
// blocks access) it keeps its fixed address and the lab's MAC, with a note
// that the router does not reach it; with ARP enabled the lease changes
// nothing.
func TestReplyOnlyStaticLeaseServer(t *testing.T) {
	rsc := replyOnlyLAN + "/ip dhcp-server lease add address=192.168.99.10 comment=NAS mac-address=00:11:32:2C:A7:85 server=dhcp1\n"
	server, notes := labNode(t, rsc, "server1")
	if strings.Contains(server, "gateway:") || !strings.Contains(server, "{network: lan1, address: 192.168.99.10, dhcp: true, mac: 00:11:32:2c:a7:85}") {
		t.Errorf("the server does not lease by DHCP with its static lease's MAC:\n%s", server)
	}
	if !hasNote(notes, "add-arp=yes, line 4", "server at 192.168.99.10 leases it by DHCP with the MAC of its static lease (00:11:32:2c:a7:85, line 10)") {
		t.Errorf("no note of the server's lease: %q", notes)
	}

	for _, other := range []string{replyOnlyLAN, strings.Replace(rsc, "comment=NAS", "block-access=yes", 1)} {
		server, notes = labNode(t, other, "server1")
		if strings.Contains(server, "dhcp: true") || strings.Contains(server, "mac:") || !strings.Contains(server, "gateway: 192.168.99.1") {
			t.Errorf("without a static lease the server is not a fixed host:\n%s", server)
		}
		if !hasNote(notes, "server 192.168.99.10 has neither a static ARP entry nor a static lease") {
			t.Errorf("no note that the router does not reach the server: %q", notes)
		}
	}

	server, notes = labNode(t, strings.Replace(rsc, "arp=reply-only ", "", 1), "server1")
	if strings.Contains(server, "dhcp: true") || strings.Contains(server, "mac:") || hasNote(notes, "reply-only") {
		t.Errorf("with ARP enabled the lease shapes the lab:\n%s%q", server, notes)
	}
}

// TestReplyOnlyLANWarning (forum66): a LAN behind arp=reply-only with no
// DHCP server that adds ARP entries and no static /ip arp entry is a LAN
// the router reaches no host of. Offline it read "no problem found" and a
// lab run "cause not identified"; it is a warning with its line and the
// change that cures it. Controls: add-arp=yes, a static ARP entry, arp
// enabled: no warning.
func TestReplyOnlyLANWarning(t *testing.T) {
	warnings := func(rsc string) []string {
		t.Helper()
		return importNamed(t, "home.rsc", []byte(rsc)).ExportWarnings()
	}
	noAddARP := strings.Replace(replyOnlyLAN, "add-arp=yes ", "", 1)
	got := strings.Join(warnings(noAddARP), "\n")
	for _, w := range []string{"line 1: bridge answers ARP only for static entries (arp=reply-only)", "reaches no host of 192.168.99.0/24", "/ip dhcp-server set [ find interface=bridge ] add-arp=yes"} {
		if !strings.Contains(got, w) {
			t.Errorf("warnings %q lack %q", got, w)
		}
	}
	noServer := strings.Replace(noAddARP, "/ip dhcp-server add address-pool=dhcp interface=bridge name=dhcp1\n", "", 1)
	if got := strings.Join(warnings(noServer), "\n"); !strings.Contains(got, "/interface bridge set [ find name=bridge ] arp=enabled") {
		t.Errorf("without a DHCP server: warnings %q, want the fix arp=enabled", got)
	}
	for name, rsc := range map[string]string{
		"add-arp":     replyOnlyLAN,
		"static arp":  noAddARP + "/ip arp add address=192.168.99.10 interface=bridge mac-address=02:00:00:00:00:10\n",
		"arp enabled": strings.Replace(noAddARP, "arp=reply-only ", "", 1),
	} {
		if got := strings.Join(warnings(rsc), "\n"); strings.Contains(got, "reply-only") {
			t.Errorf("%s: a reply-only warning: %q", name, got)
		}
	}
}
