package config

import (
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/chrlab/chrlab/rosemu/script"
)

// dnsFlusher is a DNS service whose cache can be emptied (the DNS
// service of package rosemu/service/dns is one).
type dnsFlusher interface{ Flush() }

// DNSCacheRecord is one record of the DNS service's cache: an upstream
// answer's record, with the time it has left.
type DNSCacheRecord struct {
	// ID stays the record's while it is cached; /ip dns cache and /ip dns
	// cache all show a record with the same id (scripts find in one and
	// get in the other).
	ID         uint64
	Name, Type string // name without the trailing dot; "A", "CNAME", ...
	Data       string // the address, the target name, ...
	TTL        time.Duration
}

// dnsCacheLister is a DNS service that lists what it cached (the DNS
// service of package rosemu/service/dns is one). Its list is read at each
// command, as /ip firewall connection reads the kernel's table: the cache
// changes with every query, never through the configuration.
type dnsCacheLister interface{ CacheRecords() []DNSCacheRecord }

// /ip dns cache lists the cached records the router answers clients from
// and /ip dns cache all every cached record (DNS page of the manual,
// https://help.mikrotik.com/docs/spaces/ROS/pages/37748767/DNS, "DNS
// Cache": "/ip dns cache: a list with cache DNS entries that RouterOS
// cache can reply with to client requests; /ip dns cache all: a complete
// list with all cached DNS records stored including also, for example, PTR
// records"), read from the DNS service's cache; flush empties it. The
// properties are the v6 manual's (Manual:IP/DNS, "Cache Monitoring":
// address, name, ttl of the A records; "All DNS Entries": data, name, ttl,
// type): RouterOS 6's /ip dns cache shows its A records as name, address
// and ttl; RouterOS 7's shows name, type, data and ttl of its A, AAAA and
// CNAME records [verify] 7's property set and record types. A negative
// answer, cached too, has no record to list [verify]. Without a service
// (validate) both lists are empty. Scripts that read the cache
// ("[/ip dns cache find where name=x]", "/ip dns cache all get $i data")
// found nothing before, and cache all was "bad command name all".
var (
	dnsCacheMenu = &menu{
		path: "ip dns cache", readOnly: true,
		props: []*prop{sProp("name", ""), sProp("type", ""), sProp("data", ""), sProp("address", ""), sProp("ttl", "")},
		commands: map[string]menuCommand{
			"flush": {syntax: &script.Syntax{}, run: func(t *tx, req *request) (result, error) {
				if f, ok := t.r.opts.DNS.(dnsFlusher); ok {
					f.Flush()
				}
				return result{}, nil
			}},
			"print": {run: func(t *tx, req *request) (result, error) { return t.dnsCachePrint(req, false) }},
			"find":  {run: func(t *tx, req *request) (result, error) { return findRows(t.dnsCacheTable(req, false)) }},
			"get":   {run: func(t *tx, req *request) (result, error) { return t.dnsCacheGet(req, false) }},
		},
	}
	dnsCacheAllMenu = &menu{
		path: "ip dns cache all", readOnly: true,
		props: []*prop{sProp("name", ""), sProp("type", ""), sProp("data", ""), sProp("ttl", "")},
		commands: map[string]menuCommand{
			"print": {run: func(t *tx, req *request) (result, error) { return t.dnsCachePrint(req, true) }},
			"find":  {run: func(t *tx, req *request) (result, error) { return findRows(t.dnsCacheTable(req, true)) }},
			"get":   {run: func(t *tx, req *request) (result, error) { return t.dnsCacheGet(req, true) }},
		},
	}
)

func init() {
	insertMenus("ip dns", dnsCacheMenu)
	insertMenus("ip dns cache", dnsCacheAllMenu)
}

// dnsCacheTable reads the service's cache as rows of /ip dns cache (all:
// of /ip dns cache all), and the positions the request's where selects.
func (t *tx) dnsCacheTable(req *request, all bool) ([]Row, []int, error) {
	var recs []DNSCacheRecord
	if l, ok := t.r.opts.DNS.(dnsCacheLister); ok {
		recs = l.CacheRecords()
	}
	v6 := t.v6()
	var rows []Row
	for _, c := range recs {
		ttl := script.FormatTimeCompact(c.TTL)
		id := formatID(c.ID)
		switch {
		case all:
			rows = append(rows, Row{{".id", id}, {"name", c.Name}, {"type", c.Type}, {"data", c.Data}, {"ttl", ttl}})
		case v6:
			if c.Type == "A" {
				rows = append(rows, Row{{".id", id}, {"name", c.Name}, {"address", c.Data}, {"ttl", ttl}})
			}
		case c.Type == "A" || c.Type == "AAAA" || c.Type == "CNAME":
			rows = append(rows, Row{{".id", id}, {"name", c.Name}, {"type", c.Type}, {"data", c.Data}, {"ttl", ttl}})
		}
	}
	sel, err := selectRows(rows, req)
	return rows, sel, err
}

func (t *tx) dnsCacheGet(req *request, all bool) (result, error) {
	table := func(r *request) ([]Row, []int, error) { return t.dnsCacheTable(r, all) }
	// Ids, and console numbers in the console, as for connections.
	row, name, err := t.getRow(req, table, t.connResolve)
	if err != nil {
		return result{}, err
	}
	v, ok := connValue(row)(name)
	if !ok {
		return result{}, errNoValueName()
	}
	return result{val: v}, nil
}

func (t *tx) dnsCachePrint(req *request, all bool) (result, error) {
	rows, sel, err := t.dnsCacheTable(req, all)
	if err != nil {
		return result{}, err
	}
	if res, ok := t.rowsPrinted(req, rows, sel); ok {
		return res, nil
	}
	cols := []string{"name", "type", "data", "ttl"}
	if !all && t.v6() {
		cols = []string{"name", "address", "ttl"}
	}
	var b strings.Builder
	if req.flags["detail"] {
		for _, i := range sel {
			var parts []string
			for _, c := range cols {
				v, _ := rows[i].Get(c)
				parts = append(parts, c+"="+quote(v))
			}
			fmt.Fprintf(&b, "%2d %s \n\n", i, strings.Join(parts, " "))
		}
		return result{text: b.String()}, nil
	}
	heads := make([]string, len(cols))
	for i, c := range cols {
		heads[i] = strings.ToUpper(c)
	}
	if !t.v6() {
		// RouterOS 7 names the columns above the table, as /ip firewall
		// connection print does.
		b.WriteString("Columns: " + strings.Join(heads, ", ") + "\n")
	}
	cells := [][]string{append([]string{"#"}, heads...)}
	for _, i := range sel {
		row := []string{strconv.Itoa(i)}
		for _, c := range cols {
			v, _ := rows[i].Get(c)
			row = append(row, v)
		}
		cells = append(cells, row)
	}
	writeCells(&b, cells)
	return result{text: b.String()}, nil
}
