package config

import (
	"net/netip"
	"strconv"
	"strings"
)

// The /ip service menu (https://help.mikrotik.com/docs/spaces/ROS/pages/103841820/Services):
// the router's own services. rosemu listens for each enabled one on the
// router's addresses in the router's namespace (rosemu/service/ipsvc), on
// its port, admitting connections only from its address= list; the
// firewall's input chain sees them first, as on RouterOS.

// serviceDefault is a service of a fresh RouterOS 7 (CHR 7.16): its port
// and whether it starts disabled.
type serviceDefault struct {
	name     string
	port     int
	disabled bool
}

// serviceDefaults are in the order /ip service print lists them.
var serviceDefaults = []serviceDefault{
	{"telnet", 23, false}, {"ftp", 21, false}, {"www", 80, false}, {"ssh", 22, false},
	{"www-ssl", 443, true}, {"api", 8728, false}, {"winbox", 8291, false}, {"api-ssl", 8729, false},
}

// reverseProxyService is RouterOS 7.22's built-in reverse proxy, enabled
// on port 443 on a fresh router: 7.22 and 7.23 exports write "set
// reverse-proxy disabled=yes" beside the other services (a 7.23.3
// CCR1036's, a 7.22.1 CHR's), and it was "no such item". rosemu serves
// nothing on it (rosemu/service/ipsvc knows the eight older services), and
// it shares 443 with www-ssl without a port conflict being raised here.
var reverseProxyService = serviceDefault{"reverse-proxy", 443, false}

// servicesOf are the built-in services of RouterOS version v.
func servicesOf(v string) []serviceDefault {
	if versionAtLeast(v, 7, 22) {
		return append(append([]serviceDefault(nil), serviceDefaults...), reverseProxyService)
	}
	return serviceDefaults
}

func serviceDefaultOf(name string) serviceDefault {
	if name == reverseProxyService.name {
		return reverseProxyService
	}
	for _, d := range serviceDefaults {
		if d.name == name {
			return d
		}
	}
	return serviceDefault{}
}

const ipServiceTable = "ip service"

const (
	serviceCertReason = "rosemu's TLS services (www-ssl, api-ssl) serve a self-signed certificate made at start, not the one named"
	serviceTLSReason  = "rosemu's TLS services offer TLS 1.2 and 1.3 whatever tls-version says"
)

// pServiceCert is a service's certificate=: none or the name of a
// /certificate entry. RouterOS refuses a name it does not have; the
// wording is the one of its other references (errNoMatch) [verify].
func pServiceCert(t *tx, name, v string) (string, error) {
	if v == "" {
		return "", errInvalid(name)
	}
	if v != "none" && t.findByName("certificate", v) == nil {
		return "", errNoMatch(name)
	}
	return v, nil
}

const serviceVRFReason = "rosemu binds no service to a VRF: the service answers on every interface, not only on its VRF's interfaces"

var ipServiceMenu = &menu{
	path: "ip service", noAdd: true, nameProp: "name",
	props: []*prop{
		{name: "name"},
		{name: "port", parse: pInt(1, 65535)},
		{name: "address", parse: pPrefixList, def: "", show: true},
		// certificate names a /certificate entry (or none), as an OVPN
		// server's does; rosemu's TLS services still serve the
		// self-signed certificate made at start, so a named one is
		// stored and reported (forum32 D3, D4).
		{name: "certificate", parse: pServiceCert, def: "none", show: true, notEnforced: serviceCertReason},
		// Go's TLS server offers 1.2 and 1.3 whatever tls-version says.
		{name: "tls-version", parse: pEnum("any", "only-1.2"), def: "any", show: true, notEnforced: serviceTLSReason},
		// A service in a VRF other than main listens only on that VRF's
		// interfaces on RouterOS; rosemu binds no service to a VRF, so it
		// answers on every interface as in main: stored and reported.
		{name: "vrf", parse: pNonEmpty, def: "main", show: true, notEnforced: serviceVRFReason},
		{name: "max-sessions", parse: pInt(1, 1000), def: "20", show: true},
		disabled,
	},
	check:   checkService,
	columns: []string{"name", "port", "address", "certificate", "vrf"},
	exportRef: func(it *item) string {
		return it.props["name"]
	},
	// Each service has its own port and disabled state (www-ssl starts
	// disabled): export writes what differs from them, and set keeps
	// www-ssl disabled=no although it is the generic default (forum32 D1).
	itemDef: func(it *item, name string) (string, bool) {
		d := serviceDefaultOf(it.props["name"])
		if d.name == "" {
			return "", false
		}
		switch name {
		case "port":
			return strconv.Itoa(d.port), true
		case "disabled":
			if d.disabled {
				return "yes", true
			}
			return "no", true
		}
		return "", false
	},
}

func init() { menus = append(menus, ipServiceMenu) }

// seedServices gives a fresh router RouterOS's services; their ids come
// from no counter (see seedUsers).
func seedServices(m *model, version string) {
	var items []*item
	for i, d := range servicesOf(version) {
		it := &item{id: uint64(i + 1), props: map[string]string{"name": d.name, "port": strconv.Itoa(d.port)}}
		if d.disabled {
			it.props["disabled"] = "yes"
		}
		items = append(items, it)
	}
	m.tables[ipServiceTable] = items
}

// checkService refuses a port that another enabled service listens on:
// two listeners cannot share it. [verify] RouterOS's wording.
func checkService(t *tx, it *item) error {
	if it.disabled() {
		return nil
	}
	if it.props["name"] == reverseProxyService.name {
		return nil
	}
	for _, x := range t.m.tables[ipServiceTable] {
		if x.props["name"] == reverseProxyService.name {
			continue
		}
		if x.id != it.id && !x.disabled() && x.props["port"] == it.props["port"] {
			return errFailure("port", "port "+it.props["port"]+" is already used by service "+x.props["name"])
		}
	}
	return nil
}

// IPService is one /ip service entry as the services need it.
type IPService struct {
	Name     string
	Port     int
	Disabled bool
	// Address are the prefixes connections may come from; empty allows
	// every address.
	Address     []netip.Prefix
	MaxSessions int
}

// Allows reports whether a connection from addr may use the service.
func (s IPService) Allows(addr netip.Addr) bool {
	if len(s.Address) == 0 {
		return true
	}
	addr = addr.Unmap()
	for _, p := range s.Address {
		if p.Contains(addr) {
			return true
		}
	}
	return false
}

// IPServices returns the committed /ip service entries.
func (r *Router) IPServices() []IPService {
	r.mu.Lock()
	defer r.mu.Unlock()
	var out []IPService
	for _, it := range r.m.tables[ipServiceTable] {
		s := IPService{Name: it.props["name"], Disabled: it.disabled(), MaxSessions: 20}
		s.Port, _ = strconv.Atoi(it.props["port"])
		if v, err := strconv.Atoi(it.props["max-sessions"]); err == nil {
			s.MaxSessions = v
		}
		for _, f := range strings.Split(it.props["address"], ",") {
			if p, ok := parsePrefixOrAddr(f); ok {
				s.Address = append(s.Address, p)
			}
		}
		out = append(out, s)
	}
	return out
}

// Identity is the /system identity name.
func (r *Router) Identity() string {
	r.mu.Lock()
	defer r.mu.Unlock()
	if n := r.m.tables["system identity"][0].props["name"]; n != "" {
		return n
	}
	return "MikroTik"
}

// BandwidthServer returns /tool bandwidth-server as a service of the
// router: on by default on TCP 2000 (Bandwidth Test page,
// https://help.mikrotik.com/docs/display/ROS/Bandwidth+Test; Securing your
// router asks to turn it off), so that a lab probe of TCP 2000 meets a
// listener as it would on RouterOS. allowed-addresses4 and
// allowed-addresses6 (7.x) limit the clients as a service's address= does
// [verify] whether RouterOS resets or drops a client outside them.
func (r *Router) BandwidthServer() IPService {
	r.mu.Lock()
	defer r.mu.Unlock()
	s := IPService{Name: "bandwidth-server", Port: 2000, MaxSessions: 100}
	get := func(it *item, name string) string {
		if v, ok := it.props[name]; ok {
			return v
		}
		if p := btestMenu.prop(name); p != nil {
			return p.def
		}
		return ""
	}
	its := r.m.tables[btestMenu.tableName()]
	if len(its) == 0 {
		return s
	}
	it := its[0]
	s.Disabled = get(it, "enabled") != "yes"
	if v, err := strconv.Atoi(get(it, "max-sessions")); err == nil {
		s.MaxSessions = v
	}
	// Each family's list limits that family only: an empty one leaves it
	// open, so a v4 list alone admits every IPv6 client.
	for _, k := range []struct {
		name string
		all  netip.Prefix
	}{{"allowed-addresses4", netip.MustParsePrefix("0.0.0.0/0")}, {"allowed-addresses6", netip.MustParsePrefix("::/0")}} {
		var fam []netip.Prefix
		for _, f := range strings.Split(get(it, k.name), ",") {
			if p, ok := parsePrefixOrAddr(strings.TrimSpace(f)); ok {
				fam = append(fam, p)
			}
		}
		if len(fam) == 0 {
			fam = []netip.Prefix{k.all}
		}
		s.Address = append(s.Address, fam...)
	}
	return s
}
