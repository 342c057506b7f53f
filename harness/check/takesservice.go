package check

import (
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/chrlab/chrlab/harness/export"
)

// TakesRouterService is a forward that takes a port of the WAN which the
// input chain opens for the router's own service.
const TakesRouterService Cause = "the forward takes a port of the WAN that the input chain accepts for the router's own service: dstnat comes before the input chain, so the connection goes to the server and the router's service is unreachable from the internet"

// routerServices are the router's own TCP services the check probes from
// the internet, at their default ports.
var routerServices = []struct {
	name string
	port int
}{{"winbox", 8291}, {"ssh", 22}, {"www", 80}}

// serviceDefaults are the default ports of /ip service's entries
// (https://help.mikrotik.com/docs/spaces/ROS/pages/103841820/Services).
var serviceDefaults = map[string]int{"telnet": 23, "ftp": 21, "www": 80, "ssh": 22, "www-ssl": 443, "api": 8728, "winbox": 8291, "api-ssl": 8729}

// serviceSettings reads the export's /ip service lines: the port each
// named service is set to, and whether it is disabled. A service the
// export does not name keeps its default port and is enabled (www-ssl
// aside, which has no certificate by default and is left as it is).
func (p *Plan) serviceSettings() (ports map[string]int, off map[string]bool) {
	ports, off = map[string]int{}, map[string]bool{}
	for k, v := range serviceDefaults {
		ports[k] = v
	}
	if p.export == nil {
		return ports, off
	}
	keep := p.keeper(p.export)
	for _, c := range p.export.Commands {
		if !keep(c) || c.MenuPath() != "ip service" {
			continue
		}
		if c.Verb == "disable" || c.Verb == "enable" {
			// The generic commands of every menu item set disabled=:
			// "/ip service disable telnet", "disable [find name=ssh]",
			// "disable ftp,telnet" (Services,
			// https://help.mikrotik.com/docs/spaces/ROS/pages/103841820/Services;
			// Command Line Interface, general commands). Only set was
			// read, and a script that disabled SSH and WebFig so was
			// warned of both open (realcheck26 D6).
			for _, name := range strings.Split(serviceTarget(c.Target), ",") {
				if _, ok := serviceDefaults[strings.TrimSpace(name)]; ok {
					off[strings.TrimSpace(name)] = c.Verb == "disable"
				}
			}
			continue
		}
		if c.Verb != "set" {
			continue
		}
		name := serviceTarget(c.Target)
		if _, ok := serviceDefaults[name]; !ok {
			continue
		}
		if v := c.Value("port"); v != "" {
			if n, err := strconv.Atoi(v); err == nil && n > 0 && n < 65536 {
				ports[name] = n
			}
		}
		if v, ok := c.Get("disabled"); ok {
			off[name] = v == "yes" || v == "true"
		}
	}
	return ports, off
}

// wwwSSLOn reports whether the export turns WebFig over HTTPS on: www-ssl
// is disabled by default and needs a certificate, so only a set that
// enables it (disabled=no) and names a certificate makes the router listen
// on its port (Services page of the manual,
// https://help.mikrotik.com/docs/spaces/ROS/pages/103841820/Services).
func (p *Plan) wwwSSLOn() bool {
	if p.export == nil {
		return false
	}
	keep := p.keeper(p.export)
	on, cert := false, false
	for _, c := range p.export.Commands {
		if !keep(c) || c.MenuPath() != "ip service" || c.Verb != "set" || serviceTarget(c.Target) != "www-ssl" {
			continue
		}
		if v, ok := c.Get("disabled"); ok {
			on = v == "no" || v == "false"
		}
		if v, ok := c.Get("certificate"); ok {
			cert = v != "" && v != "none"
		}
	}
	return on && cert
}

// serviceTarget reads the service a set names: "www", "[ find name=www ]".
func serviceTarget(t string) string {
	t = strings.TrimSpace(t)
	if !strings.HasPrefix(t, "[") {
		return strings.Trim(t, `"`)
	}
	for _, f := range strings.Fields(strings.Trim(t, "[] ")) {
		if v, ok := strings.CutPrefix(f, "name="); ok {
			return strings.Trim(v, `"`)
		}
	}
	return ""
}

// services are the router's own TCP services the check probes, at the
// ports the export sets them to; a disabled one is left out.
func (p *Plan) services() []struct {
	name string
	port int
} {
	ports, off := p.serviceSettings()
	var out []struct {
		name string
		port int
	}
	for _, s := range routerServices {
		if off[s.name] {
			continue
		}
		s.port = ports[s.name]
		out = append(out, s)
	}
	return out
}

// serviceName is the name of the router's own service on port, "" for a
// port the check does not probe.
func (p *Plan) serviceName(port int) string {
	for _, s := range p.services() {
		if s.port == port {
			return s.name
		}
	}
	return ""
}

// portFreed reports whether the export moved or disabled the service
// whose default port this is, and left no enabled service on it: the
// router itself has nothing there (WebFig moved to 8080 frees 80).
func (p *Plan) portFreed(port int) bool {
	ports, off := p.serviceSettings()
	freed := false
	for name, def := range serviceDefaults {
		if def == port && (off[name] || ports[name] != def) {
			freed = true
		}
	}
	if !freed {
		return false
	}
	for name, n := range ports {
		if n == port && !off[name] && (name != "www-ssl" || p.wwwSSLOn()) {
			return false
		}
	}
	return true
}

// routerHasPort reports whether the router itself offers something on a
// forward's port from the LAN, so that a dst-address-type=local forward
// taking the router's own LAN address on that port takes it from the LAN:
// an enabled /ip service (TCP), its DNS when it answers the LAN (53), or
// a port its input chain accepts by number (WireGuard, a VPN server). A
// forward of every port takes them all. On a port where the router has
// nothing (8443 with no service there), a LAN client asking the router's
// address reaches the server, as it does through the public address:
// nothing of the router's is lost.
func (p *Plan) routerHasPort(fw Forward) bool {
	if fw.cmd == nil || fw.cmd.Value("dst-port") == "" || strings.HasPrefix(fw.cmd.Value("dst-port"), "!") {
		return true
	}
	tcp := fw.Protocol == "tcp" || fw.Protocol == "6"
	udp := fw.Protocol == "udp" || fw.Protocol == "17"
	dp := fw.cmd.Value("dst-port")
	ports, off := p.serviceSettings()
	for name, n := range ports {
		if tcp && !off[name] && (name != "www-ssl" || p.wwwSSLOn()) && inPorts(dp, n) {
			return true
		}
	}
	if (tcp || udp) && inPorts(dp, 53) && p.routerResolves() {
		return true
	}
	keep := p.keeper(p.export)
	for _, c := range p.export.Commands {
		if !keep(c) || !enabled(c) || c.MenuPath() != "ip firewall filter" || c.Verb != "add" ||
			c.Value("chain") != "input" || c.Value("action") != "accept" {
			continue
		}
		v := c.Value("dst-port")
		if v == "" || strings.HasPrefix(v, "!") {
			continue
		}
		if pr := c.Value("protocol"); pr != "" && pr != fw.Protocol {
			continue
		}
		for _, part := range strings.Split(v, ",") {
			lo, hi, _ := strings.Cut(part, "-")
			if hi == "" {
				hi = lo
			}
			a, err1 := strconv.Atoi(lo)
			b, err2 := strconv.Atoi(hi)
			if err1 == nil && err2 == nil && rangesMeet(dp, a, b) {
				return true
			}
		}
	}
	return false
}

// rangesMeet reports whether a dst-port value (80,443 or 10000-10100)
// holds any port from lo to hi.
func rangesMeet(v string, lo, hi int) bool {
	for _, part := range strings.Split(v, ",") {
		a, b, _ := strings.Cut(part, "-")
		if b == "" {
			b = a
		}
		x, err1 := strconv.Atoi(a)
		y, err2 := strconv.Atoi(b)
		if err1 == nil && err2 == nil && x <= hi && lo <= y {
			return true
		}
	}
	return false
}

// ToRouterInputDrops is a dst-nat to the router's own service whose
// connections the input chain drops: they still come in on the WAN.
const ToRouterInputDrops Cause = "the dst-nat sends the connection to the router's own service, but the input chain still sees it come in on the WAN and drops it (dst-nat changes the address, not the in-interface)"

// toRouterPath is the service path of a dst-nat to the router itself.
func (p *Plan) toRouterPath(fw Forward) string {
	return fmt.Sprintf("service:%s-by-%d@wan", p.serviceName(fw.ToPort), fw.DstPort)
}

// toRouterFindings finds the dst-nat rules to the router's own services
// whose connections the input chain drops.
func (p *Plan) toRouterFindings() []Finding {
	if len(p.WANs) == 0 {
		return nil
	}
	f := p.export
	keep := p.keeper(f)
	m := p.newMatcher(f, keep)
	restricted := p.serviceAddresses()
	var out []Finding
	for _, fw := range p.ToRouter {
		pk := packet{src: p.PeerAddr(), dst: fw.ToAddr, proto: "tcp", dstPort: fw.ToPort, in: p.WANs[0].Interface, dstnatted: true, local: true, state: "new"}
		rule, how := m.first(f, keep, "ip firewall filter", "input", pk, map[string]bool{"accept": true, "drop": true, "reject": true})
		if how == yes && (rule == nil || rule.Value("action") == "accept") {
			// In through the input chain: the service's own address=
			// is the last word.
			name := p.serviceName(fw.ToPort)
			if allowed, ok := restricted[name]; ok && !allowed(pk.src) {
				if set := p.serviceLine(name); set != nil {
					out = append(out, Finding{Forward: -1, Path: p.toRouterPath(fw), Cause: ToRouterServiceAddress, Line: set.Line, Rule: set.Raw,
						Detail: fmt.Sprintf("the dst-nat at line %d sends tcp/%d to %s:%d; %s admits only %s", fw.Line, fw.DstPort, fw.ToAddr, fw.ToPort, name, set.Value("address"))})
				}
			}
			continue
		}
		if rule == nil || how != yes {
			continue
		}
		out = append(out, Finding{Forward: -1, Path: p.toRouterPath(fw), Cause: ToRouterInputDrops, Line: rule.Line, Rule: rule.Raw,
			Detail: fmt.Sprintf("the dst-nat at line %d sends tcp/%d to %s:%d", fw.Line, fw.DstPort, fw.ToAddr, fw.ToPort)})
	}
	return out
}

// ToRouterServiceAddress is a dst-nat to the router's own service that
// the input chain lets in, while the service's /ip service address= leaves
// the internet out: dst-nat changes the destination, not the client's
// source, so the service refuses it (Services page of the manual,
// https://help.mikrotik.com/docs/spaces/ROS/pages/103841820/Services).
// The user chooses whom to admit: no fix line.
const ToRouterServiceAddress Cause = "the dst-nat sends the connection to the router's own service and the input chain lets it in, but the service's address= admits only the networks it lists: the internet's clients keep their own source address through the dst-nat, and the service refuses them (add the remote admin's address to address=, or reach the router through a VPN)"

// serviceLine is the last enabled /ip service set line of service name
// that gives it an address=.
func (p *Plan) serviceLine(name string) *export.Command {
	keep := p.keeper(p.export)
	var out *export.Command
	for _, c := range p.export.Commands {
		if keep(c) && c.MenuPath() == "ip service" && c.Verb == "set" && serviceTarget(c.Target) == name {
			if _, ok := c.Get("address"); ok {
				out = c
			}
		}
	}
	return out
}

// inputAccepts returns the input rule that accepts a new TCP connection
// from the internet to port of the first WAN's address, when the rule
// names the port (dst-port=8291, a list or range holding it): the user
// opened it on purpose. A blanket accept is no such rule.
func (p *Plan) inputAccepts(port int) *export.Command {
	v, ok := p.firstWAN()
	if !ok {
		return nil
	}
	f, keep, m, w, wan := v.f, v.keep, v.m, v.w, v.wan
	pk := packet{src: p.PeerAddr(), dst: wan, proto: "tcp", dstPort: port, in: w.Interface, local: true, state: "new"}
	rule, how := m.first(f, keep, "ip firewall filter", "input", pk, map[string]bool{"accept": true, "drop": true, "reject": true})
	if rule == nil || how != yes || rule.Value("action") != "accept" {
		return nil
	}
	if v, neg := negated(rule.Value("dst-port")); v == "" || neg {
		return nil
	}
	return rule
}

// takenService returns the forward that takes port of the first WAN
// without naming it (a DMZ rule with no dst-port, a range, "every port
// but"), and the input rule that opens the port for the router's own
// service: the user meant the router to answer there. A forward that names
// the port itself (dst-port=80) is meant to take it, and is no finding.
func (p *Plan) takenService(port int) (int, *export.Command) {
	i := p.forwardTaking(port)
	if i < 0 {
		return -1, nil
	}
	if v := p.Forwards[i].cmd.Value("dst-port"); !strings.HasPrefix(v, "!") && slices.Contains(strings.Split(v, ","), strconv.Itoa(port)) {
		return -1, nil
	}
	r := p.inputAccepts(port)
	if r == nil {
		return -1, nil
	}
	return i, r
}

// takesServices finds the forwards that take a router service's port
// which the input chain accepts from the internet.
func (p *Plan) takesServices() []Finding {
	var out []Finding
	for _, s := range p.services() {
		i, r := p.takenService(s.port)
		if r == nil {
			continue
		}
		fw := p.Forwards[i]
		out = append(out, Finding{Forward: i, Path: "service:" + s.name + "@wan", Cause: TakesRouterService, Line: r.Line, Rule: r.Raw,
			Detail: fmt.Sprintf("tcp port %d; the dst-nat at line %d takes it first", s.port, fw.Line)})
	}
	return out
}

// serviceAcceptFix ends dstnat for the service's port before the forward
// that takes it (action=accept in dstnat), so that the input chain sees it.
func (p *Plan) serviceAcceptFix(f Finding) string {
	port := 0
	for _, s := range p.services() {
		if f.Path == "service:"+s.name+"@wan" {
			port = s.port
		}
	}
	fw := p.Forwards[f.Forward]
	return fmt.Sprintf("/ip firewall nat add chain=dstnat action=accept protocol=tcp dst-port=%d in-interface=%s comment=%s place-before=%s",
		port, export.Quote(p.WANs[0].Interface), export.Quote("router's own "+f.Path[len("service:"):len(f.Path)-len("@wan")]), p.ruleSelector(fw.Line))
}
