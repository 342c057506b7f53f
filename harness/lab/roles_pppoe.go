package lab

import (
	"net/netip"
	"slices"
	"strings"

	"go.yaml.in/yaml/v3"
)

// pppoeFields reads the PPPoE-only fields of an isp: user and password are
// required for kind pppoe (the router's pppoe-client must name them), and
// refused for the other kinds.
func (p *parser) pppoeFields(i *ISP, f map[string]*yaml.Node, what string, line int) {
	for _, k := range []string{"user", "password", "ac-name", "service", "auth"} {
		if f[k] != nil && i.Kind != ISPPPPoE {
			p.failAt(f[k], "%s: %s is for kind pppoe, not %s", what, k, i.Kind)
		}
	}
	if i.Kind != ISPPPPoE {
		return
	}
	i.User = p.str(f["user"], what+": user")
	i.Password = p.str(f["password"], what+": password")
	i.ACName = p.str(f["ac-name"], what+": ac-name")
	i.Service = p.str(f["service"], what+": service")
	i.Auth = p.str(f["auth"], what+": auth")
	if i.Auth != "" {
		for w := range strings.SplitSeq(i.Auth, ",") {
			if !slices.Contains([]string{"pap", "chap", "mschap1", "mschap2"}, w) {
				p.failAt(f["auth"], "%s: auth: unknown protocol %q (known: pap, chap, mschap1, mschap2)", what, w)
			}
		}
	}
	if i.User == "" || i.Password == "" {
		p.failf(line, "%s: kind pppoe needs user and password (the router's /interface pppoe-client logs in with them)", what)
	}
	if len(i.DNS) > 2 {
		p.failAt(f["dns"], "%s: kind pppoe hands out at most 2 DNS servers (IPCP, RFC 1877), got %d", what, len(i.DNS))
	}
}

// expandPPPoE makes the ISP node serve PPPoE on the customer network: the
// router's planned address on that network is what IPCP gives it, and the
// ISP routes it to the session (labagent's --serve pppoe).
func (p *parser) expandPPPoE(s *Spec, n *Node, subnet netip.Prefix, line int) {
	i := n.ISP
	nw, _ := s.Network(i.Customer)
	offer, ok := p.offer(s, n, nw, line)
	if !ok {
		return
	}
	if !slices.Contains(n.Serve, "pppoe") {
		n.Serve = append(n.Serve, "pppoe")
	}
	n.Args = append(n.Args, "--pppoe-subnet", subnet.String(), "--pppoe-offer", offer.String(),
		"--pppoe-user", i.User, "--pppoe-password", i.Password, "--pppoe-antispoof="+boolString(i.AntiSpoof))
	if i.ACName != "" {
		n.Args = append(n.Args, "--pppoe-ac-name", i.ACName)
	}
	if i.Service != "" {
		n.Args = append(n.Args, "--pppoe-service", i.Service)
	}
	if i.Auth != "" {
		n.Args = append(n.Args, "--pppoe-auth", i.Auth)
	}
	if len(i.DNS) > 0 {
		var ds []string
		for _, d := range i.DNS {
			ds = append(ds, d.String())
		}
		n.Args = append(n.Args, "--pppoe-dns", strings.Join(ds, ","))
	}
}

func boolString(b bool) string {
	if b {
		return "true"
	}
	return "false"
}

// PPPoELogin is a PPPoE host's login (an interface's pppoe field): the
// user and password of one of the router's /ppp secret entries, and the
// service name it asks for (empty: any).
type PPPoELogin struct {
	User, Password, Service string
}

// pppoeLogin reads an interface's pppoe: {user, password, service}.
func (p *parser) pppoeLogin(v *yaml.Node, owner string, router, dhcp bool) *PPPoELogin {
	f := p.fields(v, owner+": pppoe", "user", "password", "service")
	switch {
	case router:
		p.failAt(v, "%s: pppoe: the router's PPPoE clients are its configuration's (/interface pppoe-client)", owner)
		return nil
	case dhcp:
		p.failAt(v, "%s: pppoe: a host takes its address by DHCP or by PPPoE, not both", owner)
		return nil
	case f == nil:
		return nil
	}
	l := &PPPoELogin{User: p.str(f["user"], owner+": pppoe: user"), Password: p.str(f["password"], owner+": pppoe: password"),
		Service: p.str(f["service"], owner+": pppoe: service")}
	if l.User == "" {
		p.failAt(v, "%s: pppoe: needs user (and password): the login of one of the router's /ppp secret entries", owner)
	}
	return l
}
