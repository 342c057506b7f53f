package config

import (
	"encoding/base64"
	"net/netip"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/chrlab/chrlab/rosemu/script"
)

// The /ip dns menus (docs/routeros.md). /ip dns is a settings menu; /ip dns static
// holds the router's own answers. The DNS service (rosemu/service/dns)
// serves them: the engine hands it a DNSConfig after every committed change.

// DNSConfig is a snapshot of /ip dns and its enabled static entries, in the
// form the DNS service works with.
type DNSConfig struct {
	// AllowRemoteRequests makes the router answer DNS queries from the
	// network on UDP and TCP port 53.
	AllowRemoteRequests bool
	// Servers are the upstream servers, in the order they are asked.
	Servers []netip.Addr
	// CacheSize bounds the cache, in bytes.
	CacheSize int
	// CacheMaxTTL caps how long an upstream answer stays cached.
	CacheMaxTTL time.Duration
	// QueryServerTimeout bounds one attempt at one server;
	// QueryTotalTimeout bounds the whole upstream resolution.
	QueryServerTimeout, QueryTotalTimeout time.Duration
	// Static are the enabled /ip dns static entries in list order.
	Static []DNSStatic
	// DoHServer is use-doh-server: when set, RouterOS sends the queries
	// it cannot answer itself to that server only (RFC 8484), and
	// servers= serve only to resolve its host name (forum40 D2).
	DoHServer string
	// DoHVerifyCert is verify-doh-cert: the DoH server's certificate must
	// chain to one of DoHRoots, the DER certificates of /certificate.
	DoHVerifyCert bool
	DoHRoots      [][]byte
	// DoHMaxConnections and DoHMaxQueries are doh-max-server-connections
	// and doh-max-concurrent-queries; DoHTimeout is doh-timeout.
	DoHMaxConnections, DoHMaxQueries int
	DoHTimeout                       time.Duration
	// Adlists are the enabled /ip dns adlist entries loaded from a file
	// (dns_adlist.go).
	Adlists []DNSAdlist
}

// DNSStatic is one enabled /ip dns static entry.
type DNSStatic struct {
	ID string
	// Name is the lower-cased name for name entries, "" for regexp entries.
	Name string
	// Regexp is the POSIX extended expression of regexp entries.
	Regexp string
	// Type is A, AAAA, CNAME, NXDOMAIN or FWD.
	Type string
	// Address answers A and AAAA entries.
	Address netip.Addr
	// CNAME is the target of CNAME entries, lower-cased.
	CNAME string
	// ForwardTo are the servers of FWD entries; empty means Servers.
	ForwardTo []netip.Addr
	TTL       time.Duration
	// MatchSubdomain makes a name entry answer its subdomains too.
	MatchSubdomain bool
	// AddressList is the firewall address list the IPv4 addresses of
	// the entry's answers go to (7.5's address-list=); "" for none.
	AddressList string
}

// DNSService is what the engine tells about DNS configuration: package
// rosemu/service/dns implements it. The engine calls Update with the
// router's lock held after every committed transaction, so Update must
// return quickly and must not call back into the Router; CacheUsed is
// called while print runs, under the same lock.
type DNSService interface {
	Update(DNSConfig)
	// CacheUsed is the size of the cached answers in bytes.
	CacheUsed() int
}

// DNS types of /ip dns static. rosemu's DNS service answers the first
// five; the record types of storedDNSTypes are stored and reported.
var dnsTypes = []string{"A", "AAAA", "CNAME", "NXDOMAIN", "FWD", "MX", "NS", "SRV", "TXT"}

// storedDNSTypes maps the record types rosemu stores without answering to
// the property each needs.
var storedDNSTypes = map[string]string{"MX": "mx-exchange", "NS": "ns", "SRV": "srv-target", "TXT": "text"}

// dnsRecordReason says why an MX, NS, SRV or TXT entry is not answered.
const dnsRecordReason = "rosemu's DNS service answers A, AAAA, CNAME, NXDOMAIN and FWD entries; MX, NS, SRV and TXT entries are stored and not answered"

var (
	dnsMenu = &menu{
		path: "ip dns", single: true,
		props: append([]*prop{
			{name: "servers", parse: pServers, show: true},
			{name: "allow-remote-requests", parse: pBool, def: "no", show: true, isBool: true},
			{name: "query-server-timeout", parse: pQueryTimeout, def: "2s", show: true, notEnforced: zeroQueryTimeoutReason, inert: nonZeroQueryTimeout("query-server-timeout")},
			{name: "query-total-timeout", parse: pQueryTimeout, def: "10s", show: true, notEnforced: zeroQueryTimeoutReason, inert: nonZeroQueryTimeout("query-total-timeout")},
			{name: "cache-size", parse: pCacheSize, def: "2048KiB", show: true},
			{name: "cache-max-ttl", parse: pDuration(0, maxTTL), def: "1w", show: true},
			// The VRF the DNS service runs in (7; a 7.19 verbose export
			// writes vrf=main): rosemu binds no DNS server to a VRF.
			{name: "vrf", parse: pNonEmpty, def: "main", major: 7, notEnforced: vrfReason},
		}, dnsExtraProps...),
		readonly: func(t *tx, _ *item) []Prop {
			used := 0
			if t.r.opts.DNS != nil {
				used = (t.r.opts.DNS.CacheUsed() + 1023) / 1024
			}
			return []Prop{{"dynamic-servers", joinAddrs(appendNewAddrs(appendNewAddrs(dhcpDNS(t.m), pppoeDNS(t.m)...), dhcp6DNS(t.m)...))}, {"cache-used", strconv.Itoa(used) + "KiB"}}
		},
	}
	dnsStaticMenu = &menu{
		path: "ip dns static",
		// Static entries are matched in their order (regexp entries
		// first match wins), and scripts place new ones before a marker
		// entry (eworm's dhcp-to-dns: place-before=$PlaceBefore).
		addOnly: []string{"place-before"},
		props: []*prop{
			{name: "name", parse: pStaticName},
			{name: "regexp", parse: pRegexp},
			// Written at its default too from 7.16 (realcheck34 D3;
			// [verify] 7.15).
			{name: "type", parse: pDNSType, def: "A", show: true, writeDefault: true, writeDefaultSince: "7.16"},
			{name: "address", parse: pStaticAddr},
			{name: "cname", parse: pDNSName},
			{name: "forward-to", parse: pServers},
			{name: "mx-exchange", parse: pDNSName, notEnforced: dnsRecordReason},
			{name: "mx-preference", parse: pInt(0, 65535), def: "0"},
			{name: "ns", parse: pDNSName, notEnforced: dnsRecordReason},
			{name: "srv-target", parse: pDNSName, notEnforced: dnsRecordReason},
			{name: "srv-port", parse: pInt(0, 65535), def: "0"},
			{name: "srv-priority", parse: pInt(0, 65535), def: "0"},
			{name: "srv-weight", parse: pInt(0, 65535), def: "0"},
			{name: "text", parse: pString, notEnforced: dnsRecordReason},
			{name: "ttl", parse: pDuration(0, maxTTL), def: "1d", show: true},
			// match-subdomain and address-list (home_stored.go) came
			// with RouterOS 7.5 (its changelog: "dns - added
			// "match-subdomain" option for static entries"); 6.x and
			// 7.0-7.4 refuse them as unknown parameters.
			{name: "match-subdomain", parse: pBool, def: "no", show: true, isBool: true, major: 7, sinceMinor7: 5},
			comment, disabled,
		},
		check: checkDNSStatic,
		readonly: func(t *tx, it *item) []Prop {
			return []Prop{{"dynamic", boolAPI(it.dynamic)}}
		},
		columns: []string{"name", "regexp", "type", "address", "ttl"},
	}
)

// maxTTL is the largest TTL a DNS record carries (2^31-1 seconds, RFC 2181).
const maxTTL = (1<<31 - 1) * time.Second

// pServers is a comma list of IPv4 or IPv6 addresses, duplicates kept out.
func pServers(_ *tx, name, v string) (string, error) {
	if v == "" {
		return "", nil
	}
	var out []string
	seen := map[netip.Addr]bool{}
	for _, s := range strings.Split(v, ",") {
		a, err := netip.ParseAddr(strings.TrimSpace(s))
		if err != nil || a.Zone() != "" {
			return "", errInvalid(name)
		}
		if !seen[a] {
			seen[a] = true
			out = append(out, a.String())
		}
	}
	return strings.Join(out, ","), nil
}

// pAnyIP is an IPv4 or IPv6 address; empty clears the property.
func pAnyIP(_ *tx, name, v string) (string, error) { return anyIP(name, v, true) }

// anyIP reads an IPv4 or IPv6 address; unmap reads an IPv4-mapped IPv6
// address as the IPv4 address inside it.
func anyIP(name, v string, unmap bool) (string, error) {
	if v == "" {
		return "", nil
	}
	a, err := netip.ParseAddr(v)
	if err != nil || a.Zone() != "" {
		return "", errInvalid(name)
	}
	if unmap {
		a = a.Unmap()
	}
	return a.String(), nil
}

// pStaticAddr is a static entry's address, kept in the family it is
// written in: an IPv4-mapped IPv6 address (::ffff:10.2.1.1) is an AAAA
// entry's address, as RouterOS takes and exports it (a 7.10rc5 export
// whose DHCP lease script writes its hosts so has 123 of them), not the
// IPv4 address inside it, which type=AAAA then refused.
func pStaticAddr(_ *tx, name, v string) (string, error) { return anyIP(name, v, false) }

// pDuration is a RouterOS time between min and max, stored compact (1d, 5m).
func pDuration(min, max time.Duration) parser {
	return func(_ *tx, name, v string) (string, error) {
		d, ok := script.ParseTime(v)
		if !ok {
			d, ok = decimalSeconds(v)
		}
		if !ok || d < min || d > max {
			return "", errInvalid(name)
		}
		return script.FormatTimeCompact(d), nil
	}
}

// zeroQueryTimeoutReason: a RouterOS 6.27 export (forum thread
// "hotspot login page without internet access") writes
// query-server-timeout=0ms query-total-timeout=0ms, so RouterOS 6 takes
// 0. Neither the wiki nor help.mikrotik.com says what 0 does (no wait at
// all, or no limit) [verify]; rosemu resolves with the default in its
// place rather than guess, and says so.
const zeroQueryTimeoutReason = "RouterOS 6 takes a DNS query timeout of 0ms, but what it does with it is not documented; rosemu waits the default (query-server-timeout 2s, query-total-timeout 10s) instead"

// pQueryTimeout is a DNS query timeout: 1ms..1h, and 0 too on RouterOS 6
// (see zeroQueryTimeoutReason). [verify] whether RouterOS 7 takes 0.
func pQueryTimeout(t *tx, name, v string) (string, error) {
	min := time.Millisecond
	if t.v6() {
		min = 0
	}
	out, err := pDuration(min, time.Hour)(t, name, v)
	if out == "0s" {
		out = "0ms" // as the 6.27 export writes it
	}
	return out, err
}

// nonZeroQueryTimeout: a query timeout other than 0 is enforced.
func nonZeroQueryTimeout(prop string) func(map[string]string) bool {
	return func(p map[string]string) bool {
		d, _ := script.ParseTime(p[prop])
		return p[prop] == "" || d != 0
	}
}

// pCacheSize is KiB, written with or without the unit (2048, 2048KiB), in
// RouterOS's range 64..4294967295.
func pCacheSize(_ *tx, name, v string) (string, error) {
	n, err := strconv.ParseUint(strings.TrimSuffix(v, "KiB"), 10, 32)
	if err != nil || n < 64 {
		return "", errInvalid(name)
	}
	return strconv.FormatUint(n, 10) + "KiB", nil
}

// pStaticName is a static entry's name: a domain name, whose labels
// RouterOS also takes with spaces in them. A 7.22.1 export's lease script
// made "add address=... comment=\"DHCP lease for ...\" name=\"Perfume
// genie 3.np.example\" type=A" from a client's host name, and the export
// writes it so; it was refused as "invalid value for argument name".
// [verify] whether RouterOS takes other blanks (tabs) in a name.
func pStaticName(t *tx, name, v string) (string, error) {
	if strings.ContainsAny(v, "\t\r\n") || strings.HasPrefix(v, " ") {
		return "", errInvalid(name)
	}
	if _, err := pDNSName(t, name, strings.ReplaceAll(v, " ", "_")); err != nil {
		return "", err
	}
	return strings.TrimSuffix(v, "."), nil
}

// pDNSName is a domain name; RouterOS keeps it as written and matches it
// without regard to case. Empty clears the property (switching an entry
// from name to regexp).
func pDNSName(_ *tx, name, v string) (string, error) {
	if v == "" {
		return "", nil
	}
	v = strings.TrimSuffix(v, ".")
	if v == "" || len(v) > 253 || strings.ContainsAny(v, " \t\r\n") {
		return "", errInvalid(name)
	}
	for _, l := range strings.Split(v, ".") {
		if l == "" || len(l) > 63 {
			return "", errInvalid(name)
		}
	}
	return v, nil
}

// pRegexp accepts a POSIX extended regular expression. Go's POSIX mode
// (regexp.CompilePOSIX) stands in for RouterOS's regex library; it differs
// in that it also accepts the escapes \n, \t, \x41 and \pL, and empty
// groups "()", which RouterOS documents as refused, and it refuses a
// repetition operator with nothing before it ("*a", "a**") and bounds above
// 1000, where POSIX leaves the meaning undefined. The [[=a=]] and [[.a.]]
// classes are refused by both. [verify] RouterOS's wording for a bad
// expression; rosemu uses the generic "invalid value for argument regexp".
func pRegexp(_ *tx, name, v string) (string, error) {
	if v == "" {
		return "", nil
	}
	if _, err := regexp.CompilePOSIX(v); err != nil {
		return "", errInvalid(name)
	}
	return v, nil
}

// pDNSType accepts the static entry types RouterOS has.
func pDNSType(_ *tx, name, v string) (string, error) {
	for _, x := range dnsTypes {
		if strings.EqualFold(v, x) {
			return x, nil
		}
	}
	return "", errInvalid(name)
}

// checkDNSStatic enforces one of name and regexp, the properties each type
// needs, and no properties of another type: rosemu never keeps a value it
// would silently ignore. An IPv6 address without a type makes the entry
// AAAA. RouterOS 7.12.1 and 7.21.5 refuse name with regexp as "only name
// or regexp allowed" (seen on live routers, jeff-nasseri/mikrotik-mcp
// issue 141); [verify] the wording of the other failures.
func checkDNSStatic(t *tx, it *item) error {
	p := it.props
	switch {
	case p["name"] != "" && p["regexp"] != "":
		return errFailure("regexp", "only name or regexp allowed")
	case p["name"] == "" && p["regexp"] == "":
		return &Error{Msg: "failure: name or regexp must be specified", Category: 4}
	}
	typ := p["type"]
	if typ == "" {
		typ = "A"
	}
	// Only an entry with no type written takes AAAA from its IPv6
	// address; an explicit type=A (not kept: it is the default) with an
	// IPv6 address is refused like its mirror, type=AAAA with an IPv4
	// one (forum40 D4), not silently turned into AAAA.
	_, typeGiven := argValue(t.args, "type")
	if a, err := netip.ParseAddr(p["address"]); err == nil && a.Is6() && typ == "A" && p["type"] == "" && !typeGiven {
		typ, p["type"] = "AAAA", "AAAA"
	}
	// An FWD entry may leave forward-to empty: it asks the router's own
	// servers, and its address-list is what it is for (a 7.21 RB5009's
	// "add address-list=alist-dns-roblox comment=\"Roblox gather\"
	// regexp=... type=FWD", made on 7.20). forum40 D5 refused it as
	// "failure: forward-to not specified", words no source gave
	// (realcheck35 D5).
	need := map[string]string{"A": "address", "AAAA": "address", "CNAME": "cname"}[typ]
	if n, ok := storedDNSTypes[typ]; ok {
		need = n
	}
	if need != "" && p[need] == "" {
		return &Error{Msg: "failure: " + need + " not specified", Category: 4, arg: need}
	}
	// A property of another type would be kept and never used.
	own := map[string]string{"mx-preference": "MX", "srv-port": "SRV", "srv-priority": "SRV", "srv-weight": "SRV"}
	for _, k := range []string{"address", "cname", "forward-to", "mx-exchange", "ns", "srv-target", "text", "mx-preference", "srv-port", "srv-priority", "srv-weight"} {
		ok := k == need || (k == "forward-to" && typ == "FWD") || own[k] == typ
		if p[k] != "" && !ok {
			return errFailure(k, k+" can not be used with type="+typ)
		}
	}
	if a, err := netip.ParseAddr(p["address"]); err == nil && (typ == "A") != a.Is4() {
		return errInvalid("address")
	}
	return nil
}

// DNS returns the DNS configuration of the committed model.
func (r *Router) DNS() DNSConfig {
	r.mu.Lock()
	defer r.mu.Unlock()
	return dnsConfig(r.m)
}

// dnsConfig builds the snapshot; values were validated when they were set.
func dnsConfig(m *model) DNSConfig {
	c := DNSConfig{}
	get := func(it *item, p *prop) string {
		if v, ok := it.props[p.name]; ok {
			return v
		}
		return p.def
	}
	dur := func(s string) time.Duration {
		d, _ := script.ParseTime(s)
		return d
	}
	if items := m.tables[dnsMenu.tableName()]; len(items) > 0 {
		it := items[0]
		c.AllowRemoteRequests = get(it, dnsMenu.prop("allow-remote-requests")) == "yes"
		c.Servers = addrList(get(it, dnsMenu.prop("servers")))
		// The servers DHCP leases brought (dynamic-servers) are asked after
		// the configured ones.
		c.Servers = appendNewAddrs(c.Servers, dhcpDNS(m)...)
		c.Servers = appendNewAddrs(c.Servers, pppoeDNS(m)...)
		c.Servers = appendNewAddrs(c.Servers, dhcp6DNS(m)...)
		kib, _ := strconv.Atoi(strings.TrimSuffix(get(it, dnsMenu.prop("cache-size")), "KiB"))
		c.CacheSize = kib * 1024
		c.CacheMaxTTL = dur(get(it, dnsMenu.prop("cache-max-ttl")))
		c.QueryServerTimeout = dur(get(it, dnsMenu.prop("query-server-timeout")))
		c.QueryTotalTimeout = dur(get(it, dnsMenu.prop("query-total-timeout")))
		// 0 (RouterOS 6) is reported as not enforced and waits the default.
		if c.QueryServerTimeout == 0 {
			c.QueryServerTimeout = dur(dnsMenu.prop("query-server-timeout").def)
		}
		if c.QueryTotalTimeout == 0 {
			c.QueryTotalTimeout = dur(dnsMenu.prop("query-total-timeout").def)
		}
		c.DoHServer = get(it, dnsMenu.prop("use-doh-server"))
		c.DoHVerifyCert = get(it, dnsMenu.prop("verify-doh-cert")) == "yes"
		c.DoHMaxConnections, _ = strconv.Atoi(get(it, dnsMenu.prop("doh-max-server-connections")))
		c.DoHMaxQueries, _ = strconv.Atoi(get(it, dnsMenu.prop("doh-max-concurrent-queries")))
		c.DoHTimeout = dur(get(it, dnsMenu.prop("doh-timeout")))
	}
	c.Adlists = dnsAdlists(m)
	// verify-doh-cert checks the server against the router's certificate
	// store (DNS page: "Will use the /certificate list"): every
	// certificate there with its DER (imported or signed) is a trust
	// anchor. [verify] whether RouterOS also requires trusted=yes.
	if c.DoHServer != "" {
		for _, it := range m.tables[certMenu.tableName()] {
			if der, err := base64.StdEncoding.DecodeString(it.props["der"]); err == nil && len(der) > 0 {
				c.DoHRoots = append(c.DoHRoots, der)
			}
		}
	}
	for _, it := range m.tables[dnsStaticMenu.tableName()] {
		if _, stored := storedDNSTypes[it.props["type"]]; it.disabled() || stored {
			continue
		}
		s := DNSStatic{
			ID:             it.ID(),
			Name:           strings.ToLower(it.props["name"]),
			Regexp:         it.props["regexp"],
			Type:           get(it, dnsStaticMenu.prop("type")),
			CNAME:          strings.ToLower(it.props["cname"]),
			ForwardTo:      addrList(forwarderAddrs(m, it.props["forward-to"])),
			TTL:            dur(get(it, dnsStaticMenu.prop("ttl"))),
			MatchSubdomain: it.props["match-subdomain"] == "yes",
			AddressList:    it.props["address-list"],
		}
		s.Address, _ = netip.ParseAddr(it.props["address"])
		c.Static = append(c.Static, s)
	}
	return c
}

func addrList(s string) []netip.Addr {
	var out []netip.Addr
	for _, f := range strings.Split(s, ",") {
		if a, err := netip.ParseAddr(f); err == nil {
			out = append(out, a)
		}
	}
	return out
}

// decimalSeconds reads the fractional seconds RouterOS 6 exports write
// for sub-second settings ("/routing bfd interface set [ find default=yes
// ] interval=0.2s min-rx=0.2s"): digits, a dot, up to three digits, "s".
func decimalSeconds(v string) (time.Duration, bool) {
	num, ok := strings.CutSuffix(v, "s")
	whole, frac, dot := strings.Cut(num, ".")
	if !ok || !dot || whole == "" || frac == "" || len(frac) > 3 || strings.Trim(whole+frac, "0123456789") != "" || len(whole) > 9 {
		return 0, false
	}
	w, _ := strconv.Atoi(whole)
	f, _ := strconv.Atoi((frac + "00")[:3])
	return time.Duration(w)*time.Second + time.Duration(f)*time.Millisecond, true
}
