package export

import (
	"strings"
	"testing"
)

// A RouterBOARD's export made lab-ready: the radio's menu (header and
// wrapped lines), a bridge port naming the radio, LEDs and a port's PoE
// parameter go, each listed; every other line keeps its number and text.
func TestLabReady(t *testing.T) {
	src := "# jan/02/2024 by RouterOS 6.49.10\n" +
		"/interface bridge\n" +
		"add name=bridge\n" +
		"/interface ethernet\n" +
		"set [ find default-name=ether5 ] name=ether5-nas poe-out=off\n" +
		"/interface wireless\n" +
		"set [ find default-name=wlan1 ] mode=ap-bridge \\\n" +
		"    ssid=Home\n" +
		"/interface bridge port\n" +
		"add bridge=bridge interface=ether2\n" +
		"add bridge=bridge interface=wlan1\n" +
		"/system leds settings\n" +
		"set all-leds-off=immediate\n" +
		"/ip address\n" +
		"add address=192.168.88.1/24 interface=bridge\n"
	out, notes := LabReady("r.rsc", []byte(src))
	got := strings.Split(string(out), "\n")
	want := strings.Split(src, "\n")
	if len(got) != len(want) {
		t.Fatalf("%d lines, want %d:\n%s", len(got), len(want), out)
	}
	kept := map[int]string{1: want[1], 2: want[2], 3: want[3], 8: want[8], 9: want[9], 13: want[13], 14: want[14]}
	for i, l := range kept {
		if got[i] != l {
			t.Errorf("line %d = %q, want it kept: %q", i+1, got[i], l)
		}
	}
	for _, i := range []int{5, 6, 7, 10, 11, 12} {
		if !strings.HasPrefix(got[i], "#") {
			t.Errorf("line %d = %q, want it set aside", i+1, got[i])
		}
	}
	if got[4] != "/interface ethernet set [ find default-name=ether5 ] name=ether5-nas" {
		t.Errorf("port line = %q, want it without poe-out", got[4])
	}
	var texts []string
	for _, n := range notes {
		texts = append(texts, n.String())
	}
	all := strings.Join(texts, "\n")
	for _, s := range []string{"line 5 /interface ethernet: poe-out=off only", "line 7 /interface wireless: wireless", "line 11 /interface bridge port: names wlan1", "line 13 /system leds settings: LEDs"} {
		if !strings.Contains(all, s) {
			t.Errorf("notes lack %q:\n%s", s, all)
		}
	}
	// Nothing of the hardware: the text is returned as it was.
	plain := "/ip address\nadd address=192.168.88.1/24 interface=ether2\n"
	if out, notes := LabReady("p.rsc", []byte(plain)); string(out) != plain || len(notes) != 0 {
		t.Errorf("a plain configuration changed: %q %v", out, notes)
	}
	// Not an export (a script block): returned as it was.
	script := ":foreach i in=[/interface find] do={ :put $i }\n"
	if out, _ := LabReady("s.rsc", []byte(script)); string(out) != script {
		t.Errorf("a script changed: %q", out)
	}
}

// A RouterBOARD's USB disk ("/disk set usb1 ..." of 7.16 and later
// exports, a partition on it) is set aside; a CHR's slot and a tmpfs are
// kept.
func TestLabReadyBoardDisk(t *testing.T) {
	src := "# 2024-12-09 03:57:50 by RouterOS 7.16.2\n" +
		"/disk\n" +
		"set usb1 media-interface=none media-sharing=no\n" +
		"add parent=usb1 partition-number=1 type=partition\n" +
		"set slot1 slot=slot1 type=hardware\n" +
		"add slot=ram tmpfs-max-size=64M type=tmpfs\n" +
		"set usb slot=usb\n"
	out, notes := LabReady("r.rsc", []byte(src))
	got := strings.Split(string(out), "\n")
	want := strings.Split(src, "\n")
	for _, i := range []int{2, 3} {
		if !strings.HasPrefix(got[i], "# set aside by chrlab: names usb1") {
			t.Errorf("line %d = %q, want it set aside", i+1, got[i])
		}
	}
	for _, i := range []int{1, 4, 5} {
		if got[i] != want[i] {
			t.Errorf("line %d = %q, want it kept", i+1, got[i])
		}
	}
	if !strings.HasPrefix(got[6], "# set aside by chrlab: names usb") {
		t.Errorf("line 7 = %q, want it set aside", got[6])
	}
	if len(notes) != 3 || notes[0].Line != 3 || notes[1].Line != 4 || notes[2].Line != 7 {
		t.Errorf("notes: %v", notes)
	}
}

// A line two commands were glued into (a real export's
// `out-interface="wan A"/ip firewall nat`) does not stop the rest of the
// file from being made lab-ready: the radio lines after it are still set
// aside, and the glued line is left for the router to refuse.
func TestLabReadyPastABadLine(t *testing.T) {
	src := "# 2024-08-09 21:29:49 by RouterOS 7.15.3\n" +
		"/ip firewall nat add action=masquerade chain=srcnat out-interface=\"wan A\"/ip firewall nat\n" +
		"/caps-man channel add band=2ghz-b/g/n frequency=2412 name=ch1\n" +
		"/interface wireless set [ find default-name=wlan1 ] ssid=Home\n" +
		"/ip address add address=192.168.88.1/24 interface=ether2\n"
	out, notes := LabReady("r.rsc", []byte(src))
	got := strings.Split(string(out), "\n")
	want := strings.Split(src, "\n")
	if got[1] != want[1] || got[4] != want[4] {
		t.Errorf("kept lines changed:\n%s", out)
	}
	if !strings.HasPrefix(got[2], "# set aside") || !strings.HasPrefix(got[3], "# set aside") {
		t.Errorf("radio lines not set aside:\n%s", out)
	}
	if len(notes) != 2 {
		t.Errorf("notes: %v", notes)
	}
}

// A CRS326's SwOS settings are set aside as hardware, the rest kept.
func TestLabReadySwOS(t *testing.T) {
	src := "/system identity\nset name=sw1\n/system swos\nset address-acquisition-mode=static identity=sw1 \\\n    static-ip-address=10.0.0.5\n"
	out, notes := LabReady("s.rsc", []byte(src))
	got := strings.Split(string(out), "\n")
	if got[1] != "set name=sw1" || !strings.HasPrefix(got[2], "#") || !strings.HasPrefix(got[4], "#") {
		t.Errorf("lab-ready:\n%s", out)
	}
	if len(notes) != 1 || !strings.Contains(notes[0].String(), "SwOS") {
		t.Errorf("notes = %v", notes)
	}
}

// A VLAN made on a virtual AP is set aside with the radio, and so is the
// bridge port that names the VLAN (a hAP ax³ export); the rest is kept.
func TestLabReadyInterfaceOnRadio(t *testing.T) {
	src := "/interface wifi\nadd master-interface=wifi1 name=wifi_guest\n" +
		"/interface vlan\nadd interface=wifi_guest name=guest_v20 vlan-id=20\nadd interface=ether2 name=v30 vlan-id=30\n" +
		"/interface bridge port\nadd bridge=br interface=guest_v20\nadd bridge=br interface=v30\n"
	checkAside(t, src, map[int]bool{1: true, 3: true, 4: false, 6: true, 7: false})
}

// A GPS receiver's settings are set aside as hardware.
func TestLabReadyGPS(t *testing.T) {
	out, notes := LabReady("g.rsc", []byte("/system gps\nset enabled=yes port=serial0\n/system identity\nset name=x\n"))
	if !strings.HasPrefix(strings.Split(string(out), "\n")[1], "#") || len(notes) != 1 || !strings.Contains(notes[0].String(), "GPS") {
		t.Errorf("out %q notes %v", out, notes)
	}
}

// ZeroTier (ARM-only) is set aside with the interfaces it makes and the
// lines that name them.
func TestLabReadyZeroTier(t *testing.T) {
	src := "/zerotier\nset zt1 disabled=no\n/zerotier interface\nadd instance=zt1 name=zerotier1 network=0123456789abcdef\n" +
		"/interface list member\nadd interface=zerotier1 list=LAN\nadd interface=ether2 list=LAN\n"
	out, _ := LabReady("z.rsc", []byte(src))
	got := strings.Split(string(out), "\n")
	for i, aside := range map[int]bool{1: true, 3: true, 5: true, 6: false} {
		if strings.HasPrefix(got[i], "#") != aside {
			t.Errorf("line %d = %q, set aside want %v", i+1, got[i], aside)
		}
	}
}

// LoRa servers are set aside; other /iot menus are not.
func TestLabReadyLoRa(t *testing.T) {
	out, notes := LabReady("l.rsc", []byte("/iot lora servers add address=eu.example.net name=TTN-EU protocol=UDP\n/iot mqtt brokers add address=10.0.0.1 name=b\n"))
	got := strings.Split(string(out), "\n")
	if !strings.HasPrefix(got[0], "#") || strings.HasPrefix(got[1], "#") || len(notes) != 1 {
		t.Errorf("out %q notes %v", out, notes)
	}
}

// Wiliot's built-in server of a 7.23.1 export is set aside with its menu
// line, as LoRa's is; /iot mqtt stays.
func TestLabReadyWiliot(t *testing.T) {
	out, notes := LabReady("w.rsc", []byte("/iot wiliot servers\nset *1 address=mqtt.us-east-2.prod.wiliot.cloud name=\"Wiliot US East\"\n/iot mqtt brokers add address=10.0.0.1 name=b\n"))
	got := strings.Split(string(out), "\n")
	if !strings.HasPrefix(got[1], "#") || strings.HasPrefix(got[2], "#") || len(notes) != 1 || !strings.Contains(notes[0].Reason, "Bluetooth") {
		t.Errorf("out %q notes %+v", out, notes)
	}
}

// A 7.19rc1 RB5009's verbose export writes the Modbus gateway of the iot
// package, which bridges Modbus TCP to a KNOT's RS485 port: "/iot modbus
// set disable-security-rules=yes disabled=yes hardware-port=*1
// tcp-port=502 timeout=1000ms". The lab router has no such port; the
// line was refused as "bad command name iot" (realcheck35 D4), so
// validate failed on that export. It is set aside as LoRa's is; /iot mqtt
// stays.
func TestLabReadyModbus(t *testing.T) {
	out, notes := LabReady("m.rsc", []byte("/iot modbus\nset disable-security-rules=yes disabled=yes hardware-port=*1 tcp-port=502 \\\n    timeout=1000ms\n/iot mqtt brokers add address=10.0.0.1 name=b\n"))
	got := strings.Split(string(out), "\n")
	if !strings.HasPrefix(got[1], "#") || !strings.HasPrefix(got[2], "#") || strings.HasPrefix(got[3], "#") || len(notes) != 1 || !strings.Contains(notes[0].Reason, "Modbus") {
		t.Errorf("out %q notes %+v", out, notes)
	}
}

// RouterOS 6's /lora servers (a 6.48.1 export) are set aside as /iot
// lora is; /loran is no such menu and stays.
func TestLabReadyLoRaV6(t *testing.T) {
	out, notes := LabReady("l.rsc", []byte("/lora servers\nadd address=eu.example.net down-port=1700 name=TTN-EU up-port=1700\n/loran x\n"))
	got := strings.Split(string(out), "\n")
	if !strings.HasPrefix(got[1], "#") || strings.HasPrefix(got[2], "#") || len(notes) != 1 {
		t.Errorf("out %q notes %v", out, notes)
	}
}

// A PPP client on a USB modem (a 7.1 Audience export) is set aside with
// the lines naming it; a DHCP server set aside with the radio it serves
// takes its static leases along, and another server's leases stay.
func TestLabReadyModemAndRadioDHCP(t *testing.T) {
	src := "/interface ppp-client\nadd apn=internet name=ppp-out1 port=usb1\n" +
		"/interface list member\nadd interface=ppp-out1 list=WAN\nadd interface=ether2 list=LAN\n" +
		"/ip dhcp-server\nadd address-pool=p1 interface=wifi3 name=dhcp2\nadd address-pool=p2 interface=ether2 name=dhcp1\n" +
		"/ip dhcp-server lease\nadd address=192.168.81.72 mac-address=C4:AD:34:00:57:AE server=dhcp2\nadd address=192.168.10.5 mac-address=C4:AD:34:00:57:AF server=dhcp1\n"
	out, _ := LabReady("m.rsc", []byte(src))
	got := strings.Split(string(out), "\n")
	for i, aside := range map[int]bool{1: true, 3: true, 4: false, 6: true, 7: false, 9: true, 10: false} {
		if strings.HasPrefix(got[i], "#") != aside {
			t.Errorf("line %d = %q, set aside want %v", i+1, got[i], aside)
		}
	}
}

// A verbose export's "/queue interface set wlan1 ..." names the radio as
// its item, and a v6 VRF names it in interfaces=: both are set aside.
func TestLabReadyRadioAsItem(t *testing.T) {
	src := "/interface wireless\nset [ find default-name=wlan1 ] ssid=x\n/queue interface\nset wlan1 queue=wireless-default\nset ether2 queue=only-hardware-queue\n" +
		"/ip route vrf\nadd interfaces=wlan1 routing-mark=mgmt\nadd interfaces=ether3 routing-mark=other\n"
	out, _ := LabReady("q.rsc", []byte(src))
	got := strings.Split(string(out), "\n")
	for i, aside := range map[int]bool{3: true, 4: false, 6: true, 7: false} {
		if strings.HasPrefix(got[i], "#") != aside {
			t.Errorf("line %d = %q, set aside want %v", i+1, got[i], aside)
		}
	}
}

// RouterOS 6.28's /system lcd (and its pages) is set aside as hardware.
func TestLabReadySystemLCD(t *testing.T) {
	out, notes := LabReady("l.rsc", []byte("/system lcd\nset contrast=0 enabled=no port=parallel type=24x4\n/system lcd page\nset time disabled=yes display-time=5s\n/system identity\nset name=x\n"))
	got := strings.Split(string(out), "\n")
	if !strings.HasPrefix(got[1], "#") || !strings.HasPrefix(got[3], "#") || strings.HasPrefix(got[5], "#") || len(notes) != 2 {
		t.Errorf("out %q notes %v", out, notes)
	}
}

// A 7.19.6 verbose export unsets PoE power cycling on every port
// ("power-cycle-interval=none !power-cycle-ping-address
// power-cycle-ping-enabled=no !power-cycle-ping-timeout"): the "!" forms
// go with the rest of the port's RouterBOARD parameters (they were kept,
// and a CHR refused the line, so the port's rename was lost), and the
// board's IRQ lines ("/system resource irq set 0 cpu=auto") are set
// aside while its rps submenu, which names ports, is kept.
func TestLabReadyVerboseUnsetAndIRQ(t *testing.T) {
	src := "# 2026-06-14 05:25:07 by RouterOS 7.19.6\n" +
		"/interface ethernet\n" +
		"set [ find default-name=ether1 ] mtu=1500 name=WAN1G poe-out=auto-on \\\n" +
		"    power-cycle-interval=none !power-cycle-ping-address \\\n" +
		"    power-cycle-ping-enabled=no !power-cycle-ping-timeout rx-flow-control=off\n" +
		"/system resource irq\n" +
		"set 0 cpu=auto\n" +
		"/system resource irq rps\n" +
		"set WAN1G disabled=yes\n"
	out, notes := LabReady("v.rsc", []byte(src))
	got := strings.Split(string(out), "\n")
	if got[2] != "/interface ethernet set [ find default-name=ether1 ] mtu=1500 name=WAN1G rx-flow-control=off" {
		t.Errorf("port line = %q", got[2])
	}
	if !strings.HasPrefix(got[6], "#") || got[8] != "set WAN1G disabled=yes" {
		t.Errorf("irq lines = %q, %q", got[6], got[8])
	}
	var texts []string
	for _, n := range notes {
		texts = append(texts, n.String())
	}
	all := strings.Join(texts, "\n")
	for _, s := range []string{"!power-cycle-ping-address only: PoE power cycling", "/system resource irq: IRQ lines"} {
		if !strings.Contains(all, s) {
			t.Errorf("notes lack %q:\n%s", s, all)
		}
	}
}

// A 6.46.3 export's power-line port ("/interface pwr-line set [ find
// default-name=pwr-line1 ] mac-address=...") is set aside as hardware
// (was "bad command name pwr-line"), and so is a bridge port naming it.
func TestLabReadyPwrLine(t *testing.T) {
	src := "/interface pwr-line\nset [ find default-name=pwr-line1 ] mac-address=C4:AD:34:01:F1:F4\n" +
		"/interface bridge port\nadd bridge=b interface=pwr-line1\nadd bridge=b interface=ether2\n"
	out, notes := LabReady("p.rsc", []byte(src))
	got := strings.Split(string(out), "\n")
	for i, aside := range map[int]bool{1: true, 3: true, 4: false} {
		if strings.HasPrefix(got[i], "#") != aside {
			t.Errorf("line %d = %q, set aside want %v", i+1, got[i], aside)
		}
	}
	if len(notes) == 0 || !strings.Contains(notes[0].String(), "PWR-LINE") {
		t.Errorf("notes %v", notes)
	}
}

// TestLabReadyProfileNamedDefault: a wireless security profile named
// default (every 6.x wireless board's verbose export renames it so) goes
// with the radio, but "default" is no interface: the BGP instance and the
// hotspot profile called default stay. The radio's own name still sets
// aside what names it (the control).
func TestLabReadyProfileNamedDefault(t *testing.T) {
	src := "# jan/02/2024 by RouterOS 6.49.2\n" +
		"/interface wireless security-profiles\n" +
		"set [ find default=yes ] authentication-types=wpa2-psk mode=dynamic-keys name=default\n" +
		"/interface wireless\n" +
		"set [ find default-name=wlan1 ] name=radio ssid=Home\n" +
		"/routing bgp instance\n" +
		"set default as=65530\n" +
		"/ip hotspot profile\n" +
		"set [ find default=yes ] dns-name=x\n" +
		"set default html-directory=hotspot\n" +
		"/interface bridge port\n" +
		"add bridge=bridge interface=radio\n"
	checkAside(t, src, map[int]bool{2: true, 4: true, 6: false, 8: false, 9: false, 11: true})
}

// TestLabReadyQueueOnModem: a queue tree on the LTE modem goes with it,
// and so do its children; the tree on the bridge stays (the control).
func TestLabReadyQueueOnModem(t *testing.T) {
	src := "# jan/02/2024 by RouterOS 6.48.3\n" +
		"/interface lte\n" +
		"set [ find ] name=lte1\n" +
		"/queue tree\n" +
		"add max-limit=1M name=DOWN parent=bridge\n" +
		"add name=VOIP packet-mark=VOIP parent=DOWN priority=1\n" +
		"add max-limit=1M name=UP parent=lte1\n" +
		"add name=VOIP_ packet-mark=VOIP parent=UP priority=1\n"
	checkAside(t, src, map[int]bool{2: true, 4: false, 5: false, 6: true, 7: true})
}

// checkAside makes src lab-ready and checks which lines (0-based) are
// set aside (true) or kept (false).
func checkAside(t *testing.T, src string, want map[int]bool) {
	t.Helper()
	out, _ := LabReady("r.rsc", []byte(src))
	got := strings.Split(string(out), "\n")
	for i, aside := range want {
		if strings.HasPrefix(got[i], "#") != aside {
			t.Errorf("line %d = %q, set aside: want %v", i+1, got[i], aside)
		}
	}
}

// TestLabReadyTrimsRadiosFromBridgeVLAN: a bridge VLAN entry that names a
// radio beside wired ports keeps its line without the radio (the wired
// guest VLAN on ether2 was lost with the Wi-Fi interface); one with no
// wired port left is set aside whole (the control).
func TestLabReadyTrimsRadiosFromBridgeVLAN(t *testing.T) {
	src := `/interface bridge
add name=bridge vlan-filtering=yes
/interface wireless
add master-interface=wlan1 name=wlan-guest ssid=guest
/interface bridge vlan
add bridge=bridge tagged=bridge,ether2 untagged=wlan-guest vlan-ids=30
add bridge=bridge tagged=bridge untagged=wlan2 vlan-ids=40
add bridge=bridge tagged=bridge,wlan1,ether3 vlan-ids=50
`
	out, notes := LabReady("home.rsc", []byte(src))
	lines := strings.Split(string(out), "\n")
	// A line the lab keeps may be written with its menu (the line
	// before it can be set aside); its number stays.
	if !strings.HasSuffix(lines[5], "add bridge=bridge tagged=bridge,ether2 vlan-ids=30") {
		t.Errorf("line 6 = %q, want the radio cut and ether2 kept", lines[5])
	}
	if !strings.HasPrefix(lines[6], "# set aside by chrlab: names wlan2") {
		t.Errorf("line 7 = %q, want it set aside (no wired port)", lines[6])
	}
	if !strings.HasSuffix(lines[7], "add bridge=bridge tagged=bridge,ether3 vlan-ids=50") {
		t.Errorf("line 8 = %q, want wlan1 cut", lines[7])
	}
	var reasons []string
	for _, n := range notes {
		reasons = append(reasons, n.String())
	}
	if len(notes) != 4 || !strings.Contains(strings.Join(reasons, "\n"), "line 6 /interface bridge vlan: wlan-guest cut from the line") {
		t.Errorf("notes: %q", reasons)
	}
}
