package config

import (
	"slices"
	"testing"
)

// Shapes of the eleventh pass (helper h34): lines of public exports that
// rosemu refused and RouterOS wrote.

// Exports of RouterOS 6.1 to 6.19 create their bridges with an L2 MTU
// ("add l2mtu=1598 name=bridge-local"): "bad parameter l2mtu" took the
// bridge, and every port, address and DHCP server on it was refused after
// it. From 6.41 the bridge's l2mtu is read-only, and RouterOS 7 refuses it.
func TestH34BridgeL2MTUV6(t *testing.T) {
	src := "/interface bridge\nadd l2mtu=1598 name=bridge-local protocol-mode=rstp\n" +
		"/interface bridge port\nadd bridge=bridge-local interface=ether2\n" +
		"/ip address\nadd address=192.168.88.1/24 interface=bridge-local network=192.168.88.0\n"
	storedShape(t, "6.18", "6.41", []string{"ether1", "ether2"}, src, "add l2mtu=1598", "l2mtu=1598 name=bridge-local")
	for _, v := range []string{"6.49.10", "7.16.2"} {
		if len(refusedLines(validateShape(v, []string{"ether1", "ether2"}, src))) == 0 {
			t.Errorf("%s took a bridge's l2mtu", v)
		}
	}
}

// portsShape checks the ports PortsOf reads from src (and from extra
// lines, which are not validated) and that src validates on them.
func portsShape(t *testing.T, ver, src, extra string, want []string) {
	t.Helper()
	ports := PortsOf(src + extra)
	if !slices.Equal(ports, want) {
		t.Fatalf("ports = %v, want %v", ports, want)
	}
	if refused := refusedLines(validateShape(ver, ports, src)); len(refused) > 0 {
		t.Errorf("refused: %q", refused)
	}
}

// A 6.1 export names its ports by number ("set 6 master-port=ether6-master-
// local name=ether7-slave-local"): the check gave the router only the
// ports named elsewhere, so items 6 to 9 were "no such item" and every
// line naming ether7..ether10 by their new names was refused after.
func TestH34PortsOfEthernetByNumber(t *testing.T) {
	src := "/interface ethernet\nset 0 name=ether1-gateway\nset 5 name=ether6-master-local\n" +
		"set 6 master-port=ether6-master-local name=ether7-slave-local\n" +
		"/interface ethernet set 9 master-port=ether6-master-local name=ether10-slave-local\n" +
		"/tool mac-server\nadd interface=ether7-slave-local\n"
	// Numbers in other menus are not ports.
	portsShape(t, "6.1", src, "/interface ethernet switch port\nset 14 vlan-mode=secure\n/system logging\nset 12 action=memory\n",
		[]string{"ether1", "ether2", "ether3", "ether4", "ether5", "ether6", "ether7", "ether8", "ether9", "ether10"})
}

// A 7.1 RB4011 export sets the receive packet steering of its SFP+ port,
// naming it only there ("/system resource irq rps set sfp-sfpplus1
// disabled=no"): the router got no sfp-sfpplus1 and the line was "no such
// item". Items given by a port's name tell the port exists.
func TestH34PortsOfSetByName(t *testing.T) {
	portsShape(t, "7.1", "/system resource irq rps\nset sfp-sfpplus1 disabled=no\n", "/ip neighbor discovery\nset ether4 discover=no\n",
		[]string{"ether1", "ether4", "sfp-sfpplus1"})
}

// A 6.48.1 export of a 15-port x86 router renames its ports after the
// SFPs they are cabled to ("set [ find default-name=ether2 ] name=
// sfp-sfpplus1") and bonds them by the new names: sfp-sfpplus1 was taken
// for a port of its own, so the rename was "already have interface with
// such name" and the bonds held the wrong ports. A name swap between
// default names keeps both ports.
func TestH34PortsOfRenamedPort(t *testing.T) {
	src := "/interface ethernet\nset [ find default-name=ether14 ] disable-running-check=no name=sfp-sfp281\n" +
		"set [ find default-name=ether2 ] disable-running-check=no name=sfp-sfpplus1\n" +
		"set [ find default-name=ether3 ] name=sfp-sfpplus2\n" +
		"/interface bonding\nadd mode=802.3ad name=agg slaves=sfp-sfpplus1,sfp-sfpplus2\n" +
		"/ip dhcp-client\nadd disabled=no interface=sfp-sfp281\n"
	portsShape(t, "6.48.1", src, "", []string{"ether1", "ether2", "ether3", "ether14"})
	swap := "/interface ethernet\nset [ find default-name=ether2 ] name=ether3\nset [ find default-name=ether3 ] name=ether2\n"
	if want := []string{"ether1", "ether2", "ether3"}; !slices.Equal(PortsOf(swap), want) {
		t.Errorf("swap: ports = %v, want %v", PortsOf(swap), want)
	}
}

// A 6.48.1 x86 export turns on the Dude server ("/dude set enabled=yes");
// it was "bad command name dude". Stored and reported on 6 and 7.
func TestH34DudeSettings(t *testing.T) {
	for _, v := range []string{"6.48.1", "7.16.2"} {
		v := validateShape(v, []string{"ether1"}, "/dude\nset enabled=yes\n/dude set data-directory=disk1/dude\n")
		if refused := refusedLines(v); len(refused) > 0 {
			t.Fatalf("refused: %q", refused)
		}
		if got, _ := verdictOf(v, "set enabled=yes"); got != NotEnforced {
			t.Errorf("verdict %v, want not enforced", got)
		}
	}
	r := runShape(t, "6.48.1", []string{"ether1"}, "/dude\nset enabled=yes\n")
	exportRoundTrip(t, "6.48.1", []string{"ether1"}, r, "/dude\nset enabled=yes")
}
