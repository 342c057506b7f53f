package lab

import (
	"net/netip"

	"go.yaml.in/yaml/v3"
)

// moreRouter reads one item of routers: a RouterOS router beside the
// device under test, in the grammar of router. Its ports are wired as the
// router's are; what only the device under test has stays its own: port
// names (the rename runs before its configuration) and ports in a VLAN of
// a trunk network (the lab tags frames for hosts, not for routers).
func (p *parser) moreRouter(n *yaml.Node, s *Spec) Router {
	var r Router
	p.router(n, &r)
	if r.Name == s.Router.Name && r.Name != "" {
		p.failAt(n, "router %s: name already used by the lab's router", r.Name)
	}
	for i, v := range p.seq(mapValue(n, "ports"), "router ports") {
		if i >= len(r.Ports) {
			break
		}
		pt := r.Ports[i]
		if pt.Name != "" {
			p.failf(nameLine(v), "router %s: port %s: name: only the lab's router takes RouterBOARD port names; this router's ports are ether1 to ether%d in the order written", r.Name, PortName(i), len(r.Ports))
		}
		if nw, ok := s.Network(pt.Network); ok && nw.Trunk != "" {
			p.failAt(v, "router %s: port %s on network %s, a VLAN of %s: put the port on %s and its VLAN in the router's configuration (/interface vlan)", r.Name, PortName(i), nw.Name, nw.Trunk, nw.Trunk)
		}
	}
	return r
}

// mapValue is the value of key in a YAML mapping, nil when it has none.
func mapValue(n *yaml.Node, key string) *yaml.Node {
	if n == nil || n.Kind != yaml.MappingNode {
		return nil
	}
	for i := 0; i+1 < len(n.Content); i += 2 {
		if n.Content[i].Value == key {
			return n.Content[i+1]
		}
	}
	return nil
}

// RouterNamed returns the lab's router or one of its more routers by name.
func (s *Spec) RouterNamed(name string) (Router, bool) {
	if name == s.Router.Name {
		return s.Router, true
	}
	for _, r := range s.Routers {
		if r.Name == name {
			return r, true
		}
	}
	return Router{}, false
}

// RouterBasePath is BasePath for any router of the lab: its base .rsc
// resolved against the spec file's folder, empty for none.
func (s *Spec) RouterBasePath(r Router) string {
	if r.Base == "" {
		return ""
	}
	return (&Spec{File: s.File, Router: r}).BasePath()
}

// ForRouter is the spec as router r sees it: r in the router's place, the
// rest as it is. The lab's code for the router (its rosemu command line,
// its port names, its addresses) then serves every router alike.
func (s *Spec) ForRouter(r Router) *Spec {
	c := *s
	c.Router = r
	return &c
}

// RouterMgmtOf returns the management address of the lab's router (the
// one RouterMgmt returns) or of one of its more routers: the next ones
// up in the management subnet, in the order the lab lists them.
func (l *Lab) RouterMgmtOf(name string) (netip.Addr, bool) {
	a := l.RouterMgmt()
	if name == l.Spec.Router.Name {
		return a, true
	}
	for _, r := range l.Spec.Routers {
		a = a.Next()
		if r.Name == name {
			return a, true
		}
	}
	return netip.Addr{}, false
}
