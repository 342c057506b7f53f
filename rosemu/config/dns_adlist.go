package config

import (
	"net/netip"
	"strconv"
	"strings"
)

// /ip dns adlist (7.15+): lists of names RouterOS's DNS server blocks,
// answering a listed name with 0.0.0.0 (docs/routeros.md, "DNS adlist").
// A list named by file= (a file on the router: uploaded, or made by
// /file add or a script) is read when the entry is added or set, and the
// DNS service blocks its names; a list named by url= is stored, since
// fetching it would reach outside the lab.

// adlistURLReason is why a url= adlist is not enforced.
const adlistURLReason = "rosemu fetches no adlist from a URL (a lab router reaches no outside address): the list is stored and blocks no name; a list given as file= on the router is loaded"

// adlistNamesTable holds the names read from each file= adlist, one item
// per adlist with its id. No menu shows it, so it is neither printed nor
// exported.
const adlistNamesTable = "ip dns adlist names"

// DNSAdlist is one enabled file= adlist for the DNS service.
type DNSAdlist struct {
	// ID is the entry's id (*1): the service counts matches by it.
	ID string
	// Names are the listed names, lower case, without a trailing dot.
	Names []string
}

// dnsAdlistCounter is the DNS service's count of the queries each adlist
// answered (match-count).
type dnsAdlistCounter interface{ AdlistMatches() map[string]int }

// checkAdlist reads a file= list into adlistNamesTable. A file that is
// not there is refused, as the file of /import or /certificate import is
// ("no such file"; [verify] RouterOS's words for an adlist).
func checkAdlist(t *tx, it *item) error {
	var names []string
	if f := strings.TrimPrefix(it.props["file"], "/"); f != "" && t.r.opts.Files != nil {
		data, err := t.r.opts.Files.ReadFile(f)
		if err != nil {
			return errFailure("file", "no such file")
		}
		names = parseAdlist(string(data))
	}
	tbl := t.m.tables[adlistNamesTable]
	for i, x := range tbl {
		if x.id == it.id {
			tbl = append(tbl[:i:i], tbl[i+1:]...)
			break
		}
	}
	t.m.tables[adlistNamesTable] = append(tbl, &item{id: it.id, props: map[string]string{"names": strings.Join(names, "\n")}})
	return nil
}

// parseAdlist reads a list as adlists are published: hosts-file lines
// ("0.0.0.0 ads.example.com", more names after the address allowed) or
// one name a line; "#" starts a comment. The hosts file's own names
// (localhost and the like) are no ad names and are skipped [verify]
// whether RouterOS skips them.
func parseAdlist(text string) []string {
	var out []string
	seen := map[string]bool{}
	for _, line := range strings.Split(text, "\n") {
		if i := strings.IndexByte(line, '#'); i >= 0 {
			line = line[:i]
		}
		f := strings.Fields(line)
		if len(f) > 1 {
			if _, err := netip.ParseAddr(f[0]); err == nil {
				f = f[1:]
			}
		}
		for _, n := range f {
			n = strings.ToLower(strings.TrimSuffix(n, "."))
			switch n {
			case "", "localhost", "localhost.localdomain", "local", "broadcasthost", "ip6-localhost", "ip6-loopback", "0.0.0.0":
				continue
			}
			if !seen[n] {
				seen[n] = true
				out = append(out, n)
			}
		}
	}
	return out
}

// adlistNames are the names loaded for the adlist with id.
func adlistNames(m *model, id uint64) []string {
	for _, x := range m.tables[adlistNamesTable] {
		if x.id == id && x.props["names"] != "" {
			return strings.Split(x.props["names"], "\n")
		}
	}
	return nil
}

// dnsAdlists are the enabled file= adlists for the DNS service.
func dnsAdlists(m *model) []DNSAdlist {
	var out []DNSAdlist
	for _, it := range m.tables[dnsAdlistMenu.tableName()] {
		if it.disabled() || it.props["file"] == "" {
			continue
		}
		out = append(out, DNSAdlist{ID: it.ID(), Names: adlistNames(m, it.id)})
	}
	return out
}

// adlistStats are an adlist's name-count (the names loaded) and
// match-count (the queries the DNS service answered from it).
func adlistStats(t *tx, it *item) []Prop {
	n := len(adlistNames(t.m, it.id))
	matches := 0
	if c, ok := t.r.opts.DNS.(dnsAdlistCounter); ok {
		matches = c.AdlistMatches()[it.ID()]
	}
	return []Prop{{"name-count", strconv.Itoa(n)}, {"match-count", strconv.Itoa(matches)}}
}
