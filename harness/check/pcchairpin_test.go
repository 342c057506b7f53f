package check

import (
	"slices"
	"strings"
	"testing"
)

// pccTwoLines is the head of a 7.9 dual-PPPoE PCC export: two lines, a LAN
// bridge, the lines' routing tables.
const pccTwoLines = "# jul/22/2023 13:22:28 by RouterOS 7.9.2\n" + `/interface bridge
add name=Bridge-LAN1
/interface pppoe-client
add disabled=no interface=ether1 name=pppoe-out1 user=ppp1
add disabled=no interface=ether2 name=pppoe-out2 user=ppp2
/interface list
add name=Bridge-LAN
/routing table
add disabled=no fib name=via-ISP1
add disabled=no fib name=via-ISP2
/interface bridge port
add bridge=Bridge-LAN1 interface=ether5
/interface list member
add interface=Bridge-LAN1 list=Bridge-LAN
/ip address
add address=192.168.88.1/24 interface=Bridge-LAN1 network=192.168.88.0
`

// A dual-PPPoE PCC export (7.9) whose forward is bound to pppoe-out1: the
// LAN's hairpin misses the dst-nat now, and once the fix adds a rule for
// the LAN, the classifier marks the request and its table sends it to the
// ISP ("unreachable" with the fix in the lab). The mark is a finding of the
// hairpin path too, and the fix keeps the LAN's requests to the router's
// own addresses out of mangle. The address list LAN is fixed: the DHCP
// server on Bridge-LAN1 does not name it (it was read as filled at run time
// because "Bridge-LAN1" holds "LAN", and the mark went unseen). Without the
// classifier, no such finding.
func TestPCCMarksHairpinOfABoundForward(t *testing.T) {
	base := pccTwoLines + `/ip pool
add name=dhcp_pool0 ranges=192.168.88.2-192.168.88.254
/ip dhcp-server
add address-pool=dhcp_pool0 interface=Bridge-LAN1 name=dhcp1
/ip firewall address-list
add address=192.168.88.0/24 list=LAN
/ip firewall mangle
add action=accept chain=prerouting dst-address-list=LAN
add action=mark-connection chain=prerouting in-interface-list=Bridge-LAN new-connection-mark=ISP1_Conn passthrough=yes per-connection-classifier=both-addresses:2/0
add action=mark-routing chain=prerouting connection-mark=ISP1_Conn in-interface-list=Bridge-LAN new-routing-mark=via-ISP1 passthrough=no
/ip firewall nat
add action=masquerade chain=srcnat out-interface=pppoe-out1
add action=masquerade chain=srcnat out-interface=pppoe-out2
add action=dst-nat chain=dstnat dst-port=8443 in-interface=pppoe-out1 protocol=tcp to-addresses=192.168.88.10 to-ports=443
/ip route
add dst-address=0.0.0.0/0 gateway=pppoe-out1 routing-table=via-ISP1
add dst-address=0.0.0.0/0 gateway=pppoe-out1
add distance=2 dst-address=0.0.0.0/0 gateway=pppoe-out2
`
	marked := func(text string) (bool, []string) { return causeAndFix(t, text, HairpinMarked, "hairpin:Bridge-LAN1") }
	got, lines := marked(base)
	if !got {
		t.Errorf("no finding of the classifier's mark on the hairpin")
	}
	if !slices.ContainsFunc(lines, func(l string) bool {
		return strings.HasPrefix(l, "/ip firewall mangle add chain=prerouting action=accept in-interface=Bridge-LAN1 dst-address-type=local")
	}) {
		t.Errorf("the fix keeps the LAN's requests in mangle:\n%s", strings.Join(lines, "\n"))
	}
	if got, _ := marked(strings.Replace(base, "add action=mark-connection chain=prerouting in-interface-list=Bridge-LAN new-connection-mark=ISP1_Conn passthrough=yes per-connection-classifier=both-addresses:2/0\n", "", 1)); got {
		t.Errorf("a mark finding without the classifier")
	}
	for v, want := range map[string]bool{"list=LAN": true, "LAN": true, "Bridge-LAN1": false, "LANs": false, "a LAN b": true} {
		if namesToken(v, "LAN") != want {
			t.Errorf("namesToken(%q, LAN) = %v", v, !want)
		}
	}
}

// Two PPPoE lines and forwards on an address list of the router's IP Cloud
// name (a 7.x site's dst-address-list=WAN holding *.sn.mynetname.net): the
// name resolves to the address of the WAN the main route leaves by, so the
// forwards miss connections to the second line's address. The finding is
// on the second line only, and the fix copies the forward onto it; with
// one line, no such finding.
func TestCloudNameListMissesTheOtherWAN(t *testing.T) {
	base := "# 2025-03-01 10:00:00 by RouterOS 7.17\n" + `/interface pppoe-client
add name=pppoe-out1 interface=ether1 user=u1 password=p add-default-route=yes default-route-distance=1 disabled=no
add name=pppoe-out2 interface=ether2 user=u2 password=p add-default-route=yes default-route-distance=2 disabled=no
/interface bridge
add name=LAN
/interface bridge port
add bridge=LAN interface=ether3
/ip address
add address=192.168.1.1/24 interface=LAN
/ip cloud
set ddns-enabled=yes
/ip firewall address-list
add list=WAN address=0123456789ab.sn.mynetname.net
/ip firewall nat
add chain=srcnat out-interface=pppoe-out1 action=masquerade
add chain=srcnat out-interface=pppoe-out2 action=masquerade
add chain=dstnat dst-address-list=WAN protocol=tcp dst-port=8001 action=dst-nat to-addresses=192.168.1.250 to-ports=8001
`
	paths := func(text string) ([]string, []string) {
		p := loadText(t, text)
		found, _ := p.Diagnose()
		var got []string
		for _, f := range found {
			if f.Cause == CloudOneWAN {
				got = append(got, f.Path)
			}
		}
		return got, p.Propose(found).Lines
	}
	got, lines := paths(base)
	if !slices.Equal(got, []string{"internet via pppoe-out2"}) {
		t.Errorf("IP Cloud list findings on %v, want the second line's only", got)
	}
	if !slices.ContainsFunc(lines, func(l string) bool {
		return strings.HasPrefix(l, "/ip firewall nat add chain=dstnat action=dst-nat in-interface=pppoe-out2 protocol=tcp dst-port=8001 to-addresses=192.168.1.250")
	}) {
		t.Errorf("the fix copies the forward onto pppoe-out2:\n%s", strings.Join(lines, "\n"))
	}
	if got, _ := paths(strings.Replace(base, "add name=pppoe-out2 interface=ether2 user=u2 password=p add-default-route=yes default-route-distance=2 disabled=no\n", "", 1)); len(got) != 0 {
		t.Errorf("one line: IP Cloud list findings on %v", got)
	}
}

// A PCC export (7.9) whose door marks (mark-connection in-interface=
// pppoe-out1) sit below "accept in-interface=pppoe-out1": the accept ends
// prerouting for what comes in on the line, the door never marks it, and
// the classifier (without connection-mark=no-mark) sends the answers by its
// hash; the lab's second line timed out while --offline took its
// connections as marked. The fix puts the door mark above the accept and
// gives the classifiers connection-mark=no-mark. With classifiers that
// have it, the accepts alone still break the door; without the accepts,
// the door marks hold and there is no finding.
func TestPCCDoorMarksBelowAnAccept(t *testing.T) {
	base := pccTwoLines + `/ip firewall mangle
add action=accept chain=prerouting in-interface=pppoe-out1
add action=accept chain=prerouting in-interface=pppoe-out2
add action=mark-connection chain=prerouting in-interface-list=Bridge-LAN new-connection-mark=ISP1_Conn passthrough=yes per-connection-classifier=both-addresses:2/0
add action=mark-routing chain=prerouting connection-mark=ISP1_Conn in-interface-list=Bridge-LAN new-routing-mark=via-ISP1 passthrough=no
add action=mark-connection chain=prerouting in-interface-list=Bridge-LAN new-connection-mark=ISP2_Conn passthrough=yes per-connection-classifier=both-addresses:2/1
add action=mark-routing chain=prerouting connection-mark=ISP2_Conn in-interface-list=Bridge-LAN new-routing-mark=via-ISP2 passthrough=no
add action=mark-connection chain=prerouting in-interface=pppoe-out1 new-connection-mark=ISP1_Conn passthrough=yes
add action=mark-routing chain=output connection-mark=ISP1_Conn new-routing-mark=via-ISP1 passthrough=no
add action=mark-connection chain=prerouting in-interface=pppoe-out2 new-connection-mark=ISP2_Conn passthrough=yes
add action=mark-routing chain=output connection-mark=ISP2_Conn new-routing-mark=via-ISP2 passthrough=no
/ip firewall nat
add action=masquerade chain=srcnat out-interface=pppoe-out1
add action=masquerade chain=srcnat out-interface=pppoe-out2
add action=dst-nat chain=dstnat dst-port=8443 in-interface=pppoe-out2 protocol=tcp to-addresses=192.168.88.10 to-ports=443
/ip route
add dst-address=0.0.0.0/0 gateway=pppoe-out1 routing-table=via-ISP1
add dst-address=0.0.0.0/0 gateway=pppoe-out2 routing-table=via-ISP2
add dst-address=0.0.0.0/0 gateway=pppoe-out1
add distance=2 dst-address=0.0.0.0/0 gateway=pppoe-out2
`
	pcc := func(text string) (bool, []string) { return causeAndFix(t, text, PCCAnswers, "internet via pppoe-out2") }
	got, lines := pcc(base)
	if !got {
		t.Fatalf("no finding of the classifier on the answers of pppoe-out2's forward")
	}
	for _, want := range []string{
		`comment="came in on pppoe-out2" place-before=[ find where action=accept and chain=prerouting and in-interface=pppoe-out2 ]`,
		`per-connection-classifier=both-addresses:2/0 ] connection-mark=no-mark`,
		`per-connection-classifier=both-addresses:2/1 ] connection-mark=no-mark`,
	} {
		if !slices.ContainsFunc(lines, func(l string) bool { return strings.HasSuffix(l, want) }) {
			t.Errorf("the fix lacks a line ending %q:\n%s", want, strings.Join(lines, "\n"))
		}
	}
	noMark := strings.ReplaceAll(base, "in-interface-list=Bridge-LAN new-connection-mark=", "connection-mark=no-mark in-interface-list=Bridge-LAN new-connection-mark=")
	if got, _ := pcc(noMark); !got {
		t.Errorf("classifiers with connection-mark=no-mark, door marks below the accepts: no PCC finding on pppoe-out2")
	}
	open := strings.Replace(noMark, "add action=accept chain=prerouting in-interface=pppoe-out1\nadd action=accept chain=prerouting in-interface=pppoe-out2\n", "", 1)
	if got, _ := pcc(open); got {
		t.Errorf("with the door marks reached and classifiers with connection-mark=no-mark, a PCC finding on pppoe-out2")
	}
}

// causeAndFix diagnoses an export: whether a finding of cause is on path,
// and the lines of the fix proposed for all it found.
func causeAndFix(t *testing.T, text string, cause Cause, path string) (bool, []string) {
	t.Helper()
	p := loadText(t, text)
	found, _ := p.Diagnose()
	return slices.ContainsFunc(found, func(f Finding) bool { return f.Cause == cause && f.Path == path }), p.Propose(found).Lines
}
