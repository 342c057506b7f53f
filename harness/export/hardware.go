package export

import (
	"fmt"
	"regexp"
	"strings"
)

// MenuReason is a menu (and the menus below it) whose commands a lab
// router cannot take, with the reason a report gives.
type MenuReason struct{ Prefix, Reason string }

// HardwareMenus are the menus of RouterBOARD hardware a lab router does not
// have (a CHR has none of it either): a RouterBOARD's export carries them,
// and a CHR refuses them.
var HardwareMenus = []MenuReason{
	{"interface wireless", "wireless: a lab router has no radio"},
	{"interface wifi", "wireless: a lab router has no radio"},
	{"interface wifiwave2", "wireless: a lab router has no radio"},
	{"interface w60g", "wireless: a lab router has no radio"},
	{"interface lte", "LTE modem: a lab router has none"},
	{"interface ethernet switch", "switch chip: a lab router has none; its ports are plain ethernet"},
	{"interface ethernet poe", "PoE: a lab router has none"},
	{"caps-man", "CAPsMAN manages radios a lab router does not have"},
	{"interface wireless cap", "CAPsMAN manages radios a lab router does not have"},
	{"system routerboard", "RouterBOARD settings: a lab router is not a RouterBOARD"},
	{"system leds", "LEDs: a lab router has none"},
	{"lcd", "LCD: a lab router has none"},
	// RouterOS 6.2x kept the LCD under /system (a 6.28 export: "/system
	// lcd set contrast=0 enabled=no port=parallel type=24x4").
	{"system lcd", "LCD: a lab router has none"},
	{"system health", "hardware sensors: a lab router has none"},
	{"tool sms", "SMS needs a modem a lab router does not have"},
	// A PPP client dials through a serial or USB modem (port=usb1 of a
	// 7.1 Audience export; PPP page of the manual, "PPP Client").
	{"interface ppp-client", "PPP client on a serial or USB modem: a lab router has no modem"},
	// A CRS switch's dual-boot SwOS settings and a RouterBOARD's flash
	// partitions (RouterOS exports of CRS326 and CCR carry them).
	{"system swos", "SwOS settings: a lab router is not a CRS switch"},
	{"partitions", "flash partitions: a lab router is not a RouterBOARD"},
	{"system gps", "GPS: a lab router has no GPS receiver"},
	// A PWR-LINE device's HomePlug AV port (PWR Line page of the manual,
	// https://help.mikrotik.com/docs/display/ROS/PWR+Line): 6.46.3 exports
	// of a RouterBOARD write "set [ find default-name=pwr-line1 ]
	// mac-address=...".
	{"interface pwr-line", "PWR-LINE: a lab router has no power-line port"},
	// ZeroTier is built for ARM and ARM64 only (the ZeroTier page of the
	// manual); the lab's router is x86, as a CHR is.
	{"zerotier", "ZeroTier: an ARM-only package a lab router (x86) does not have"},
	// LoRa servers and gateways serve a LoRa card (LR8, LR9); 7.x exports
	// of routers with the iot package list the built-in TTN servers.
	{"iot lora", "LoRa: a lab router has no LoRa gateway card"},
	// RouterOS 6's lora package kept the same menu at the top level: a
	// 6.48.1 export of a GNS3 router lists "/lora servers add
	// address=eu.mikrotik.thethings.industries down-port=1700 name=TTN-EU
	// up-port=1700".
	{"lora", "LoRa: a lab router has no LoRa gateway card"},
	// Wiliot's gateway relays Bluetooth tags and runs only on a device
	// with Bluetooth (the Wiliot page of the manual,
	// https://manual.mikrotik.com/docs/internet-of-things/wiliot.md); 7.2x
	// exports of routers with the iot package carry its built-in server,
	// "/iot wiliot servers set *1 address=mqtt.us-east-2.prod.wiliot.cloud
	// name=\"Wiliot US East\"", which the lab router refused as "bad command
	// name iot" (realcheck31 D4).
	{"iot wiliot", "Wiliot: a lab router has no Bluetooth for its tags"},
	// The iot package's Modbus gateway bridges Modbus TCP to the RS485
	// port of a KNOT (the Modbus page of the manual,
	// https://help.mikrotik.com/docs/x/EABnCw: "a port with the name
	// modbus is assigned to the Modbus service, but the service itself is
	// disabled"); a 7.19rc1 RB5009's verbose export writes "/iot modbus
	// set disable-security-rules=yes disabled=yes hardware-port=*1
	// tcp-port=502 timeout=1000ms", which the lab router refused as "bad
	// command name iot" (realcheck35 D4).
	{"iot modbus", "Modbus: a lab router has no RS485 port for the Modbus gateway"},
}

// HardwareEthernetArgs are the parameters of /interface ethernet that only
// a RouterBOARD's ports have (a CHR refuses them as bad parameters), with
// what they belong to: the port's line is kept without them.
var HardwareEthernetArgs = map[string]string{
	"poe-out": "PoE", "poe-priority": "PoE", "poe-voltage": "PoE", "poe-lldp-enabled": "PoE",
	"poe-out-current-limit": "PoE", "poe-out-voltage": "PoE",
	"power-cycle-ping-enabled": "PoE power cycling", "power-cycle-ping-address": "PoE power cycling",
	"power-cycle-ping-timeout": "PoE power cycling", "power-cycle-interval": "PoE power cycling",
	"sfp-rate-select": "SFP cage", "sfp-shutdown-temperature": "SFP cage", "sfp-ignore-rx-los": "SFP cage",
	"combo-mode": "combo port", "cable-settings": "cable diagnostics", "fec-mode": "SFP cage", "mdix-enable": "PHY",
}

// InterfaceArgs are the arguments whose values name interfaces.
var InterfaceArgs = map[string]bool{
	"interface": true, "in-interface": true, "out-interface": true, "master-port": true,
	"tagged": true, "untagged": true, "bridge": true, "ports": true, "in-bridge-port": true, "out-bridge-port": true,
	"interfaces": true,
}

// radioMenus are the menus whose items are radio, modem or ZeroTier
// interfaces, whose names later commands may use. Their submenus name
// profiles, not interfaces: "/interface wireless security-profiles set [
// find default=yes ] name=default" of every 6.x wireless board's verbose
// export made "default" an interface, and set aside its "/routing bgp
// instance set default" and "/ip hotspot profile set default".
var radioMenus = map[string]bool{
	"interface wireless": true, "interface wifi": true, "interface wifiwave2": true, "interface w60g": true,
	"interface lte": true, "zerotier interface": true, "interface ppp-client": true, "interface pwr-line": true,
}

// radioName matches the default names of radio and modem interfaces: wlan1,
// wifi1, lte1, cap1, w60g1, and of a PWR-LINE device's pwr-line1.
var radioName = regexp.MustCompile(`^(wlan|wifi|lte|cap|w60g|pwr-line)[0-9]+`)

// menuReason returns the reason a command of path is set aside by menus.
func menuReason(path string, menus []MenuReason) string {
	for _, h := range menus {
		if path == h.Prefix || strings.HasPrefix(path, h.Prefix+" ") {
			return h.Reason
		}
	}
	return ""
}

// Hardware returns the commands a lab router cannot take, with the reason:
// those of the hardware menus (and of extra, which a caller adds), and
// those that name a radio or modem interface (a bridge port of wlan1).
func (f *File) Hardware(extra []MenuReason) map[*Command]string {
	menus := append(append([]MenuReason(nil), HardwareMenus...), extra...)
	aside := map[*Command]string{}
	radios, servers, queues := map[string]bool{}, map[string]bool{}, map[string]bool{}
	for _, c := range f.Commands {
		if c.Menu == nil {
			continue
		}
		r := menuReason(c.MenuPath(), menus)
		if r == "" && readsRouterboard(c) {
			// "/system identity set name=[/system routerboard get
			// serial-number]": the value is the board's, and a CHR has
			// no /system routerboard to read it from (bad command name
			// routerboard), so the line fails on one.
			r = "reads /system routerboard (the board's serial number or model), which a lab router does not have"
		}
		if r == "" && c.MenuPath() == "system resource irq" {
			// "set 0 cpu=auto" for each of the board's IRQ lines (16 in
			// a 7.19.6 RB5009 verbose export); its rps submenu names
			// ports and is kept.
			r = "IRQ lines: the board's hardware interrupts, which a lab router does not have"
		}
		if r == "" {
			continue
		}
		aside[c] = r
		if radioMenus[c.MenuPath()] {
			if n, ok := c.FindArg("default-name"); ok {
				radios[n] = true
			}
			if n := c.Value("name"); n != "" {
				radios[n] = true
			}
		}
	}
	// A name an ethernet port is given ("/interface ethernet set [ find
	// default-name=ether3 ] name=lte1", the port chrlab check puts in an
	// LTE modem's place) is that port's, whatever it looks like.
	ports := map[string]bool{}
	for _, c := range f.Commands {
		if c.MenuPath() == "interface ethernet" && c.Verb == "set" && c.Value("name") != "" {
			ports[c.Value("name")] = true
		}
	}
	f.ports = ports
	isRadio := func(n string) bool { return radios[n] || radioName.MatchString(n) && !ports[n] }
	// An interface made on a radio (a VLAN on a virtual AP: "/interface
	// vlan add interface=wifi_guest name=guest_v20" of a hAP ax³ export)
	// is set aside with it, and so are the commands that name it (its
	// bridge port): repeat until no new name is found.
	for grown := true; grown; {
		grown = false
		for _, c := range f.Commands {
			if _, ok := aside[c]; ok || c.Menu == nil {
				continue
			}
			if r := diskSlotReason(c); r != "" {
				aside[c] = r
				continue
			}
			// "set wlan1 queue=wireless-default" of /queue interface in a
			// verbose export names the radio as its item.
			if t := c.Target; t != "" && !strings.ContainsAny(t, "[\" ") && isRadio(t) {
				aside[c] = fmt.Sprintf("names %s, an interface the lab router does not have (radio, modem or ZeroTier)", t)
			}
			if _, _, keeps := bridgeVLANTrim(c, isRadio); keeps {
				// A bridge VLAN entry with a wired port besides the radios
				// keeps its line, the radios cut out (RadioTrims).
				continue
			}
			for _, a := range c.Args {
				if !InterfaceArgs[a.Name] {
					continue
				}
				for _, n := range strings.Split(strings.TrimPrefix(a.Value, "!"), ",") {
					if isRadio(n) {
						aside[c] = fmt.Sprintf("names %s, an interface the lab router does not have (radio, modem or ZeroTier)", n)
					}
				}
			}
			// A queue whose parent is a radio or modem, or a queue set
			// aside ("/queue tree add name=UP parent=lte1" and its
			// children "parent=UP" of an LTE router), goes with it.
			if p := c.MenuPath(); p == "queue tree" || p == "queue simple" {
				if par := c.Value("parent"); par != "" && (isRadio(par) || queues[par]) {
					aside[c] = fmt.Sprintf("names %s, a parent the lab router does not have (a radio or modem, or a queue set aside with one)", par)
				}
			}
			// A static lease of a DHCP server set aside (the server of a
			// radio's network) goes with it.
			if c.MenuPath() == "ip dhcp-server lease" && servers[c.Value("server")] {
				aside[c] = fmt.Sprintf("names %s, a DHCP server set aside with the interface it serves", c.Value("server"))
				continue
			}
			if _, ok := aside[c]; ok && (c.MenuPath() == "queue tree" || c.MenuPath() == "queue simple") {
				if n := c.Value("name"); n != "" && !queues[n] {
					queues[n] = true
					grown = true
				}
			}
			if _, ok := aside[c]; ok && c.MenuPath() == "ip dhcp-server" {
				if n := c.Value("name"); n != "" && !servers[n] {
					servers[n] = true
					grown = true
				}
			}
			if _, ok := aside[c]; ok && strings.HasPrefix(c.MenuPath(), "interface ") && c.MenuPath() != "interface bridge port" {
				if n := c.Value("name"); n != "" && !radios[n] {
					radios[n] = true
					grown = true
				}
			}
		}
	}
	f.radios = radios
	return aside
}

// bridgeVLANTrim returns, for a /interface bridge vlan command that names
// a radio in tagged= or untagged=, those arguments without the radios and
// the radios cut, and whether a wired port is left: "add bridge=bridge
// tagged=bridge,ether2 untagged=wlan-guest vlan-ids=30" of a home
// router's guest VLAN keeps ether2's membership (set aside whole, the
// wired guest VLAN was lost with the radio).
func bridgeVLANTrim(c *Command, isRadio func(string) bool) (trimmed []Arg, cut []string, keeps bool) {
	if c.MenuPath() != "interface bridge vlan" {
		return nil, nil, false
	}
	wired := false
	for _, a := range c.Args {
		if a.Name != "tagged" && a.Name != "untagged" {
			continue
		}
		var kept []string
		all := strings.Split(a.Value, ",")
		for _, n := range all {
			switch {
			case isRadio(n):
				cut = append(cut, n)
			case n != "":
				kept = append(kept, n)
				if n != c.Value("bridge") {
					wired = true
				}
			}
		}
		if len(kept) < len(all) {
			trimmed = append(trimmed, Arg{Name: a.Name, Value: strings.Join(kept, ","), Line: a.Line})
		}
	}
	return trimmed, cut, len(cut) > 0 && wired
}

// RadioTrims returns, for each command of f the lab keeps, the arguments
// that lose the radios they name (an empty value drops the argument) with
// the radios cut; Hardware must have run.
// IsRadio reports whether name is a radio's interface: one Hardware
// found made by a radio menu, or named as RouterOS names radios (wlan1,
// wifi2, lte1, cap3).
func (f *File) IsRadio(name string) bool {
	return f.radios[name] || radioName.MatchString(name) && !f.ports[name]
}

func (f *File) RadioTrims(aside map[*Command]string) map[*Command]RadioTrim {
	out := map[*Command]RadioTrim{}
	isRadio := f.IsRadio
	for _, c := range f.Commands {
		if _, ok := aside[c]; ok {
			continue
		}
		if args, cut, keeps := bridgeVLANTrim(c, isRadio); keeps {
			out[c] = RadioTrim{Args: args, Cut: cut}
		}
	}
	return out
}

// RadioTrim is what RadioTrims cuts out of one command.
type RadioTrim struct {
	Args []Arg    // the arguments with their new values
	Cut  []string // the radios cut out
}

// Apply sets the trimmed arguments on c (a copy when the caller needs the
// original kept).
func (t RadioTrim) Apply(c *Command) {
	for _, a := range t.Args {
		if a.Value == "" {
			c.Del(a.Name)
		} else {
			c.Set(a.Name, a.Value)
		}
	}
}

// Reason says what was cut and why.
func (t RadioTrim) Reason() string {
	return fmt.Sprintf("%s cut from the line: an interface the lab router does not have (radio, modem or ZeroTier); the wired ports are kept", strings.Join(t.Cut, ", "))
}

// boardDisk matches the slots RouterOS gives a RouterBOARD's storage:
// usb1, sata1, nvme1, sd1, mmc1 (a 7.21 export: "set usb slot=usb"), and
// their partitions (usb1-part1). A
// CHR's disks are slot1, slot2, ...
var boardDisk = regexp.MustCompile(`^(usb|sata|nvme|sd|mmc)[0-9]*(-part[0-9]+)?$`)

// diskSlotReason is why a /disk command is set aside: it names the USB,
// SATA, NVMe or SD slot of a RouterBOARD ("set usb1 media-interface=none
// media-sharing=no" of 7.16 and later exports, a partition with
// parent=usb1); "" otherwise.
func diskSlotReason(c *Command) string {
	if c.MenuPath() != "disk" {
		return ""
	}
	for _, n := range []string{c.Target, c.Value("slot"), c.Value("parent")} {
		if boardDisk.MatchString(n) {
			return fmt.Sprintf("names %s, a storage slot of the RouterBOARD a lab router does not have", n)
		}
	}
	return ""
}

// HardwareArgs returns, for each /interface ethernet command the lab keeps,
// its RouterBOARD-only parameters (poe-out=off).
func (f *File) HardwareArgs(aside map[*Command]string) map[*Command][]Arg {
	out := map[*Command][]Arg{}
	for _, c := range f.Commands {
		if _, ok := aside[c]; ok || c.MenuPath() != "interface ethernet" {
			continue
		}
		for _, a := range c.Args {
			if _, ok := HardwareEthernetArgs[a.Name]; ok {
				out[c] = append(out[c], a)
			}
		}
		// A verbose 7.19.6 export unsets some of them on every port
		// ("power-cycle-interval=none !power-cycle-ping-address
		// power-cycle-ping-enabled=no !power-cycle-ping-timeout"): they
		// go with the rest, or the line keeps a property a CHR lacks.
		for _, u := range c.Unset {
			if _, ok := HardwareEthernetArgs[u]; ok {
				out[c] = append(out[c], Arg{Name: u, Line: c.Line, Unset: true})
			}
		}
	}
	return out
}

// Aside is a command of a configuration set aside for a lab router: its
// line in the text, its menu and why (one parameter only when it says so).
type Aside struct {
	Line   int
	Menu   string
	Reason string
}

func (a Aside) String() string { return fmt.Sprintf("line %d /%s: %s", a.Line, a.Menu, a.Reason) }

// LabReady returns src with what a lab router cannot take set aside, line
// for line: every command of a hardware menu or naming a radio becomes a
// comment saying why, and so does a hardware menu's header line; a port
// line loses its RouterBOARD-only parameters. Lines keep their numbers,
// so a position the router reports is still the file's. The list says
// what was set aside (line 12, /interface wireless, wireless: ...). A
// text that does not read as an export is returned as it is: the router
// reports what it refuses.
func LabReady(name string, src []byte) ([]byte, []Aside) {
	f, err := readLenient(name, src)
	if err != nil {
		return src, nil
	}
	aside := f.Hardware(nil)
	args := f.HardwareArgs(aside)
	trims := f.RadioTrims(aside)
	if len(aside) == 0 && len(args) == 0 && len(trims) == 0 && len(f.CommentRest) == 0 {
		return src, nil
	}
	text := strings.TrimPrefix(string(src), "\uFEFF")
	if strings.Contains(strings.ReplaceAll(text, "\r\n", ""), "\r") {
		// Read counts a lone CR as a line break; lines would not match.
		return src, nil
	}
	lines := strings.Split(text, "\n")
	span := func(c *Command) (int, int) { // first and last physical line, 0-based
		i := c.Line - 1
		j := i
		for j < len(lines)-1 && continues(strings.TrimSuffix(lines[j], "\r")) {
			j++
		}
		if c.EndLine-1 > j && c.EndLine-1 < len(lines) {
			j = c.EndLine - 1 // a quoted string over several lines
		}
		return i, j
	}
	var notes []Aside
	for _, l := range f.CommentRest {
		if l-1 < len(lines) {
			// The router reads the rest of a broken comment as a command
			// ("bad command name N"): it is the comment's, so it goes back
			// into it, on its own line.
			lines[l-1] = "# " + strings.TrimSpace(lines[l-1])
		}
	}
	for _, c := range f.Commands {
		if r, ok := aside[c]; ok {
			i, j := span(c)
			if i < 0 || i >= len(lines) {
				continue
			}
			lines[i] = "# set aside by chrlab: " + r
			for k := i + 1; k <= j; k++ {
				lines[k] = "#"
			}
			notes = append(notes, Aside{Line: c.Line, Menu: c.MenuPath(), Reason: r})
			continue
		}
		if tr, ok := trims[c]; ok {
			i, j := span(c)
			if i < 0 || i >= len(lines) {
				continue
			}
			cc := *c
			cc.Args = append([]Arg(nil), c.Args...)
			tr.Apply(&cc)
			lines[i] = cc.Text()
			for k := i + 1; k <= j; k++ {
				lines[k] = "#"
			}
			notes = append(notes, Aside{Line: c.Line, Menu: c.MenuPath(), Reason: tr.Reason()})
			continue
		}
		if drop := args[c]; len(drop) > 0 {
			i, j := span(c)
			if i < 0 || i >= len(lines) {
				continue
			}
			cc := *c
			cc.Args = append([]Arg(nil), c.Args...)
			for _, a := range drop {
				cc.Del(a.Name)
				notes = append(notes, Aside{Line: c.Line, Menu: c.MenuPath(),
					Reason: fmt.Sprintf("%s only: %s, a lab router has none; the rest of the line is kept", a.Setting(), HardwareEthernetArgs[a.Name])})
			}
			lines[i] = cc.Text()
			if len(cc.Args) == 0 && len(cc.Unset) == 0 {
				lines[i] = "# set aside by chrlab: RouterBOARD port parameters only"
			}
			for k := i + 1; k <= j; k++ {
				lines[k] = "#"
			}
		}
	}
	// A hardware menu's header line ("/interface wireless") would move the
	// console into a menu the router does not have.
	for i, l := range lines {
		t := strings.TrimSpace(strings.TrimSuffix(l, "\r"))
		if !strings.HasPrefix(t, "/") || strings.ContainsAny(t, "=[\"") {
			continue
		}
		if i > 0 && continues(strings.TrimSuffix(lines[i-1], "\r")) {
			continue // the rest of a wrapped line (a script's source), not a header
		}
		words := strings.Fields(strings.ReplaceAll(strings.TrimPrefix(t, "/"), "/", " "))
		if len(words) == 0 || verbs[words[len(words)-1]] {
			continue
		}
		if r := menuReason(strings.Join(words, " "), HardwareMenus); r != "" {
			lines[i] = "# set aside by chrlab: " + r
		}
	}
	return []byte(strings.Join(lines, "\n")), notes
}

// readsRouterboard reports whether a command's values read the
// RouterBOARD's own menu ([/system routerboard get serial-number]).
func readsRouterboard(c *Command) bool {
	for _, a := range c.Args {
		v := strings.Join(strings.Fields(a.Value), " ")
		if strings.Contains(v, "[/system routerboard") || strings.Contains(v, "[/system/routerboard") {
			return true
		}
	}
	return false
}
