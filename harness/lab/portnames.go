package lab

import (
	"fmt"
	"regexp"
	"strings"

	"go.yaml.in/yaml/v3"
)

// portNames checks the router ports' names: a RouterOS interface name the
// lab can also take as router.<name>, none twice, none the default name
// of another of the lab router's ports (etherM: a lab router has ether1 to
// etherN, and a VM's management NIC the one after), none a symbol of a
// port (wan, lan).
func (p *parser) portNames(ports []*yaml.Node, r *Router) {
	seen := map[string]int{}
	for i, v := range ports {
		if i >= len(r.Ports) || r.Ports[i].Name == "" {
			continue
		}
		name, line := r.Ports[i].Name, nameLine(v)
		owner := "router " + r.Name + ": port " + PortName(i)
		switch {
		case !ifaceNameRE.MatchString(name):
			p.failf(line, "%s: name %q: want a RouterOS port name such as sfp-sfpplus1 (letters, digits, '.', '-', '_')", owner, name)
		case etherRE.MatchString(name) && name != PortName(i):
			p.failf(line, "%s: name %s is the default name of another port of the lab router (its ports are ether1 to ether%d, in the order written); write the ports the configuration needs in that order instead", owner, name, len(r.Ports))
		case wanRE.MatchString(name) || name == "lan":
			p.failf(line, "%s: name %s stands for a port's role in probes (router.%s); name the port by its RouterOS default name", owner, name, name)
		}
		if first, dup := seen[strings.ToLower(name)]; dup {
			p.failf(line, "%s: name %s already names the port at line %d", owner, name, first)
		}
		seen[strings.ToLower(name)] = line
	}
}

// nameLine is the line of a port mapping's name field.
func nameLine(n *yaml.Node) int {
	for i := 0; i+1 < len(n.Content); i += 2 {
		if n.Content[i].Value == "name" {
			return n.Content[i+1].Line
		}
	}
	return n.Line
}

// PortPrelude is the configuration that gives the lab router's named ports
// their names, applied before any other: on every backend a port's
// default-name is etherN, so the rename is what a RouterBOARD export's
// lines (interface=sfp-sfpplus1) find. Empty when no port is named.
func (s *Spec) PortPrelude() string {
	var b strings.Builder
	for i, pt := range s.Router.Ports {
		if pt.Name != "" && pt.Name != PortName(i) {
			fmt.Fprintf(&b, "/interface ethernet set [ find default-name=%s ] name=%s\n", PortName(i), pt.Name)
		}
	}
	return b.String()
}

// PortDefaults rewrites what a configuration says of a named port's
// default name (set [ find default-name=sfp-sfpplus1 ] name=WAN) into the
// lab port's own (default-name=ether1), which the router has. The lines
// keep their number, so positions in the router's messages still hold.
func (s *Spec) PortDefaults(rsc []byte) []byte {
	for i, pt := range s.Router.Ports {
		if pt.Name == "" || pt.Name == PortName(i) {
			continue
		}
		re := regexp.MustCompile(`(default-name=)("?)` + regexp.QuoteMeta(pt.Name) + `("?)([\s\]]|$)`)
		rsc = re.ReplaceAll(rsc, []byte("${1}${2}"+PortName(i)+"${3}${4}"))
	}
	return rsc
}

// portIndexByName is the index of the router port a lab names name, or
// -1.
func (s *Spec) portIndexByName(name string) int {
	for i, pt := range s.Router.Ports {
		if pt.Name != "" && strings.EqualFold(pt.Name, name) {
			return i
		}
	}
	return -1
}

// PortLabel is the name a person knows the router's i-th port by: the
// name the lab gives it, else etherN.
func (s *Spec) PortLabel(i int) string {
	if i < len(s.Router.Ports) && s.Router.Ports[i].Name != "" {
		return s.Router.Ports[i].Name
	}
	return PortName(i)
}
