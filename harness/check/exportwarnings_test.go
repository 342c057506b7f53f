package check

import (
	"strings"
	"testing"
)

// A defconf (RB5009, RouterOS 7.22.1) with a simple queue beside its
// fasttrack rule and a static lease kept from the LAN's old subnet: both
// faults a probe never shows (chk52 D2, D3).
const exportWarnExport = `# 2026-04-23 19:52:50 by RouterOS 7.22.1
/interface bridge
add comment=defconf name=bridge
/interface list
add comment=defconf name=WAN
add comment=defconf name=LAN
/ip pool
add name=default-dhcp ranges=192.168.88.10-192.168.88.254
/interface bridge port
add bridge=bridge comment=defconf interface=ether2
/interface list member
add comment=defconf interface=bridge list=LAN
add comment=defconf interface=ether1 list=WAN
/ip address
add address=192.168.88.1/24 comment=defconf interface=bridge network=192.168.88.0
/ip dhcp-client
add comment=defconf interface=ether1
/ip dhcp-server
add address-pool=default-dhcp interface=bridge name=defconf
/ip dhcp-server lease
add address=192.168.1.50 comment=NAS mac-address=B8:27:EB:5E:BA:93 server=defconf
/ip dhcp-server network
add address=192.168.88.0/24 comment=defconf dns-server=192.168.88.1 gateway=192.168.88.1
/ip dns
set allow-remote-requests=yes
/ip firewall filter
add action=accept chain=input comment="defconf: accept established,related,untracked" connection-state=established,related,untracked
add action=drop chain=input comment="defconf: drop all not coming from LAN" in-interface-list=!LAN
add action=fasttrack-connection chain=forward comment="defconf: fasttrack" connection-state=established,related
add action=accept chain=forward comment="defconf: accept established,related, untracked" connection-state=established,related,untracked
add action=drop chain=forward comment="defconf: drop all from WAN not DSTNATed" connection-nat-state=!dstnat connection-state=new in-interface-list=WAN
/ip firewall nat
add action=masquerade chain=srcnat comment="defconf: masquerade" ipsec-policy=out,none out-interface-list=WAN
/queue simple
add max-limit=50M/50M name=limit-lan target=192.168.88.0/24
/tool bandwidth-server
set enabled=no
`

func exportWarnings(t *testing.T, text string) string {
	t.Helper()
	return strings.Join(importText(t, text).ExportWarnings(), "\n")
}

// The simple queue beside defconf's fasttrack is named with both lines;
// the same export with the fasttrack rule disabled, with the fast path
// off, with a fasttrack rule that leaves marked traffic out, or with a
// queue tree on an interface (which fasttracked packets still meet) has
// no warning.
func TestFasttrackQueueWarning(t *testing.T) {
	w := exportWarnings(t, exportWarnExport)
	if !strings.Contains(w, "line 29 fasttracks every established connection") || !strings.Contains(w, `line 35's simple queue limit-lan limits only the first packets`) || !strings.Contains(w, `/ip firewall filter disable [ find where comment="defconf: fasttrack" ]`) {
		t.Fatalf("warnings: %q", w)
	}
	ft := `add action=fasttrack-connection chain=forward comment="defconf: fasttrack" connection-state=established,related`
	for what, text := range map[string]string{
		"fasttrack disabled": strings.Replace(exportWarnExport, ft, ft+" disabled=yes", 1),
		"fast path off":      exportWarnExport + "/ip settings\nset allow-fast-path=no\n",
		"no-mark only":       strings.Replace(exportWarnExport, ft, ft+" connection-mark=no-mark", 1),
		"interface tree":     strings.Replace(exportWarnExport, "/queue simple\nadd max-limit=50M/50M name=limit-lan target=192.168.88.0/24\n", "/queue tree\nadd max-limit=50M name=down parent=bridge\n", 1),
	} {
		if w := exportWarnings(t, text); strings.Contains(w, "fasttrack") {
			t.Errorf("%s: %q", what, w)
		}
	}
	if w := exportWarnings(t, strings.Replace(exportWarnExport, "/queue simple\nadd max-limit=50M/50M name=limit-lan target=192.168.88.0/24\n", "/queue tree\nadd max-limit=50M name=all parent=global\n", 1)); !strings.Contains(w, `queue tree (parent=global) all`) {
		t.Errorf("global tree: %q", w)
	}
}

// The fasttrack rule also defeats a tree under an interface whose leaf
// takes a packet mark (fasttracked packets skip mangle), a static lease's
// rate-limit and a PPP server's profile rate-limit (dynamic simple
// queues, with a PPPoE, L2TP, SSTP or OVPN server); all read "no problem
// found" before (forum57 D2; the L2TP, SSTP and OVPN ones until chk56). A
// tree under an interface on no-mark, and a profile's rate-limit without
// an enabled PPP server, are not warned of.
func TestFasttrackQueueWarningMore(t *testing.T) {
	queue := "/queue simple\nadd max-limit=50M/50M name=limit-lan target=192.168.88.0/24\n"
	for what, tc := range map[string]struct {
		add, want string
	}{
		"marked tree": {"/ip firewall mangle\nadd action=mark-packet chain=forward new-packet-mark=lan-dl out-interface=bridge passthrough=no\n/queue tree\nadd max-limit=20M name=lan-dl packet-mark=lan-dl parent=bridge\n",
			`queue tree lan-dl (packet-mark=lan-dl, which mangle never sets on fasttracked packets) limits only the first packets`},
		"lease": {"/ip dhcp-server lease\nadd address=192.168.88.50 mac-address=AA:BB:CC:DD:EE:01 rate-limit=2M/10M server=defconf\n",
			`lease rate-limit=2M/10M (a dynamic simple queue) limits only the first packets`},
		"pppoe profile": {"/ppp profile\nadd name=plan rate-limit=5M/10M\n/interface pppoe-server server\nadd default-profile=plan disabled=no interface=bridge service-name=isp\n",
			`PPP profile rate-limit=5M/10M (a dynamic simple queue per session) limits only the first packets`},
		// Every PPP server makes the profile's queue per session, not
		// PPPoE's alone: these three read "no problem found" before.
		"l2tp profile": {"/ppp profile\nadd name=plan rate-limit=5M/10M\n/interface l2tp-server server\nset default-profile=plan enabled=yes\n",
			`PPP profile rate-limit=5M/10M (a dynamic simple queue per session) limits only the first packets`},
		"sstp profile": {"/ppp profile\nadd name=plan rate-limit=5M/10M\n/interface sstp-server server\nset default-profile=plan enabled=yes\n",
			`PPP profile rate-limit=5M/10M (a dynamic simple queue per session) limits only the first packets`},
		"ovpn 7.17 profile": {"/ppp profile\nadd name=plan rate-limit=5M/10M\n/interface ovpn-server server\nadd default-profile=plan disabled=no name=ovpn-server1\n",
			`PPP profile rate-limit=5M/10M (a dynamic simple queue per session) limits only the first packets`},
		"no-mark tree":  {"/queue tree\nadd max-limit=20M name=sqm packet-mark=no-mark parent=bridge\n", ""},
		"profile alone": {"/ppp profile\nadd name=plan rate-limit=5M/10M\n", ""},
		"l2tp off":      {"/ppp profile\nadd name=plan rate-limit=5M/10M\n/interface l2tp-server server\nset default-profile=plan enabled=no\n", ""},
		"ovpn off":      {"/ppp profile\nadd name=plan rate-limit=5M/10M\n/interface ovpn-server server\nadd default-profile=plan disabled=yes name=ovpn-server1\n", ""},
	} {
		w := exportWarnings(t, strings.Replace(exportWarnExport, queue, tc.add, 1))
		if tc.want == "" && strings.Contains(w, "fasttrack") || tc.want != "" && !strings.Contains(w, tc.want) {
			t.Errorf("%s: warnings %q; want %q", what, w, tc.want)
		}
	}
}

// A host's simple queue below the LAN's is named with both lines and the
// move that cures it (forum57 D3: "no problem found" before). Above the
// LAN's queue, with the LAN's queue narrowed by dst, as a child of it, for
// a host outside the LAN's subnet, or below an interface target, it is not.
func TestShadowedQueueWarning(t *testing.T) {
	lan := "add max-limit=50M/50M name=limit-lan target=192.168.88.0/24\n"
	kids := "add max-limit=2M/5M name=kids target=192.168.88.50/32,192.168.88.51\n"
	w := exportWarnings(t, strings.Replace(exportWarnExport, lan, lan+kids, 1))
	if !strings.Contains(w, "line 36's simple queue kids never sees a packet: line 35's simple queue limit-lan above it holds all of its targets (192.168.88.50/32,192.168.88.51)") ||
		!strings.Contains(w, "/queue simple move [ find where name=kids ] [ find where name=limit-lan ]") {
		t.Fatalf("warnings: %q", w)
	}
	for what, text := range map[string]string{
		"above":     kids + lan,
		"dst":       strings.Replace(lan, "name=", "dst=ether1 name=", 1) + kids,
		"child":     lan + strings.Replace(kids, "name=", "parent=limit-lan name=", 1),
		"outside":   lan + strings.Replace(kids, "192.168.88.51", "192.168.89.51", 1),
		"interface": strings.Replace(lan, "192.168.88.0/24", "bridge", 1) + kids,
		// A hand-written configuration that reorders its queues (the
		// warning's own fix pasted in, or place-before=) is not in
		// file order: judged by the add lines, the fix still warned.
		"moved":        lan + kids + "move [ find where name=kids ] [ find where name=limit-lan ]\n",
		"place-before": lan + strings.Replace(kids, "name=", "place-before=0 name=", 1),
	} {
		if w := exportWarnings(t, strings.Replace(exportWarnExport, lan, text, 1)); strings.Contains(w, "never sees") {
			t.Errorf("%s: %q", what, w)
		}
	}
}

// A tree under the LAN bridge on a mark set only as packets come in by the
// bridge (upload) is named with both lines (forum57 D4: "no problem found"
// before). Under the WAN, under global, or with the mark also set without
// in-interface, it is not.
func TestInboundTreeWarning(t *testing.T) {
	queue := "/queue simple\nadd max-limit=50M/50M name=limit-lan target=192.168.88.0/24\n"
	mangle := "/ip firewall mangle\nadd action=mark-packet chain=prerouting in-interface=bridge new-packet-mark=upload passthrough=no\n"
	tree := "/queue tree\nadd max-limit=10M name=up parent=bridge\nadd name=up-leaf packet-mark=upload parent=up\n"
	w := exportWarnings(t, strings.Replace(exportWarnExport, queue, mangle+tree, 1))
	if !strings.Contains(w, "line 38's queue tree up-leaf under bridge takes packet-mark=upload, which line 35 sets only on packets that come in by bridge") {
		t.Fatalf("warnings: %q", w)
	}
	for what, text := range map[string]string{
		"wan":            mangle + strings.Replace(tree, "parent=bridge", "parent=ether1", 1),
		"global":         mangle + strings.Replace(tree, "parent=bridge", "parent=global", 1),
		"also elsewhere": mangle + "add action=mark-packet chain=postrouting new-packet-mark=upload out-interface=bridge\n" + tree,
	} {
		if w := exportWarnings(t, strings.Replace(exportWarnExport, queue, text, 1)); strings.Contains(w, "takes nothing") {
			t.Errorf("%s: %q", what, w)
		}
	}
}

// A static lease off the server's subnet is named with its line and the
// subnet it belongs on; the lease on the subnet, or on a server the export
// does not run, is not.
func TestLeaseOffSubnetWarning(t *testing.T) {
	w := exportWarnings(t, exportWarnExport)
	if !strings.Contains(w, "line 21's static DHCP lease gives NAS (B8:27:EB:5E:BA:93) the address 192.168.1.50, on none of the subnets the router holds where its DHCP server runs (192.168.88.0/24)") {
		t.Fatalf("warnings: %q", w)
	}
	if w := exportWarnings(t, strings.Replace(exportWarnExport, "address=192.168.1.50", "address=192.168.88.50", 1)); strings.Contains(w, "lease") {
		t.Errorf("lease on the subnet: %q", w)
	}
	if w := exportWarnings(t, strings.Replace(exportWarnExport, "server=defconf\n", "server=old\n", 1)); strings.Contains(w, "lease") {
		t.Errorf("lease of another server: %q", w)
	}
	if w := exportWarnings(t, strings.Replace(exportWarnExport, "server=defconf\n", "server=all\n", 1)); !strings.Contains(w, "192.168.1.50") {
		t.Errorf("lease on server=all: %q", w)
	}
}

// A PPPoE client whose profile has change-tcp-mss=no, with no change-mss
// rule, is warned of; the profile left on, or a change-mss rule in
// mangle, gets no warning.
func TestPPPoEMSSWarning(t *testing.T) {
	const text = `# 2026-04-23 19:52:50 by RouterOS 7.22.1
/interface pppoe-client
add add-default-route=yes disabled=no interface=ether1 name=pppoe-out1 use-peer-dns=yes user=customer@isp
/ppp profile
set *0 change-tcp-mss=no
/ip address
add address=192.168.88.1/24 interface=ether2 network=192.168.88.0
/ip firewall nat
add action=masquerade chain=srcnat out-interface=pppoe-out1
`
	if w := exportWarnings(t, text); !strings.Contains(w, "line 3's PPPoE client pppoe-out1 uses the PPP profile default, which has change-tcp-mss=no") || !strings.Contains(w, "/ppp profile set default change-tcp-mss=yes") {
		t.Fatalf("warnings: %q", w)
	}
	for what, tx := range map[string]string{
		"profile on": strings.Replace(text, "change-tcp-mss=no", "change-tcp-mss=yes", 1),
		"no profile": strings.Replace(text, "/ppp profile\nset *0 change-tcp-mss=no\n", "", 1),
		"clamped":    text + "/ip firewall mangle\nadd action=change-mss chain=forward new-mss=clamp-to-pmtu out-interface=pppoe-out1 protocol=tcp tcp-flags=syn\n",
	} {
		if w := exportWarnings(t, tx); strings.Contains(w, "PPPoE") {
			t.Errorf("%s: %q", what, w)
		}
	}
}

// The warning's wording with one queue and with several: "line 35's ...
// limits" for one; for several the list ends with "and" and the verb is
// "limit" (it read "line 35's ..., line 36's ... limits only").
func TestFasttrackQueueWarningWording(t *testing.T) {
	queue := "/queue simple\nadd max-limit=50M/50M name=limit-lan target=192.168.88.0/24\n"
	one := exportWarnings(t, exportWarnExport)
	if !strings.Contains(one, "queue trees with parent=global and mangle: line 35's simple queue limit-lan limits only the first packets") {
		t.Errorf("one queue: %q", one)
	}
	two := exportWarnings(t, strings.Replace(exportWarnExport, queue, queue+"add max-limit=5M/5M name=guest target=192.168.89.0/24\n", 1))
	if !strings.Contains(two, "line 35's simple queue limit-lan and line 36's simple queue guest limit only the first packets") {
		t.Errorf("two queues: %q", two)
	}
	three := exportWarnings(t, strings.Replace(exportWarnExport, queue, queue+"add max-limit=5M/5M name=guest target=192.168.89.0/24\nadd max-limit=1M/1M name=cam target=192.168.90.0/24\n", 1))
	if !strings.Contains(three, "line 35's simple queue limit-lan, line 36's simple queue guest and line 37's simple queue cam limit only the first packets") {
		t.Errorf("three queues: %q", three)
	}
}
