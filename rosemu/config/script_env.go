package config

import (
	"hash/fnv"
	"sort"
	"strconv"
	"strings"

	"github.com/chrlab/chrlab/rosemu/script"
)

// /system script environment lists the global variables, with their
// names and values (the Scripting page's Script repository: "Environment
// contains all user-defined variables and their assigned values", with
// the properties name, user and value). Scripts read it to show or clear
// their settings: "/system script environment print terse where
// name~"^cfdns"" (a public Cloudflare DNS updater),
// "/system script environment remove [find name=x]". print, find, get
// (value is the variable's value, of its own type) and remove (the global
// is gone, as :set x without a value) are modelled; the print layout is
// rosemu's own [verify]. Source:
// https://help.mikrotik.com/docs/display/ROS/Scripting
var scriptEnvMenu = &menu{
	path: "system script environment", readOnly: true,
	props: []*prop{sProp("name", ""), sProp("user", ""), sProp("value", "")},
	commands: map[string]menuCommand{
		"print":  {run: (*tx).envPrint},
		"find":   {run: (*tx).envFind},
		"get":    {run: (*tx).envGet},
		"remove": {syntax: &script.Syntax{Params: map[string]bool{"numbers": true}, Unnamed: 1}, run: (*tx).envRemove},
	},
}

func init() { insertMenus("system script", scriptEnvMenu) }

// The variables an event gives its script ($leaseBound,
// $"lease-hostname"; t.envEvent) are the event's, not the environment's,
// and are not listed.

// envGlobals are the globals of the run the transaction belongs to (the
// script's own map, which it changes as it runs), else the router's.
func (t *tx) envGlobals() map[string]script.Value {
	if t.env != nil {
		return t.env
	}
	return t.r.globals
}

func envID(name string) string {
	h := fnv.New32a()
	h.Write([]byte(name))
	return formatID(uint64(h.Sum32()&0x7fffffff) + 1)
}

func (t *tx) envTable(req *request) ([]Row, []int, error) {
	g := t.envGlobals()
	names := make([]string, 0, len(g))
	for k := range g {
		if _, event := t.envEvent[k]; !event {
			names = append(names, k)
		}
	}
	sort.Strings(names)
	var rows []Row
	for _, n := range names {
		rows = append(rows, Row{{".id", envID(n)}, {"name", n}, {"user", "admin"}, {"value", g[n].String()}})
	}
	sel, err := selectRows(rows, req)
	return rows, sel, err
}

// envResolve turns references (ids, variable names, console numbers)
// into rows.
func (t *tx) envResolve(rows []Row, ref string) ([]int, error) {
	return t.resolveEach(ref, func(r string) int {
		for i, row := range rows {
			id, _ := row.Get(".id")
			name, _ := row.Get("name")
			if id == r || name == r {
				return i
			}
		}
		if n, err := strconv.Atoi(r); err == nil && n >= 0 && n < len(rows) {
			return n
		}
		return -1
	})
}

func (t *tx) envFind(req *request) (result, error) { return findRows(t.envTable(req)) }

func (t *tx) envGet(req *request) (result, error) {
	row, name, err := t.getRow(req, t.envTable, t.envResolve)
	if err != nil {
		return result{}, err
	}
	if name == "value" {
		n, _ := row.Get("name")
		return result{val: t.envGlobals()[n]}, nil
	}
	v, ok := row.Get(name)
	if !ok {
		return result{}, errNoValueName()
	}
	return result{val: script.Str(v)}, nil
}

func (t *tx) envRemove(req *request) (result, error) {
	rows, pos, err := refRows(req, t.envTable, t.envResolve)
	if err != nil {
		return result{}, err
	}
	g := t.envGlobals()
	for _, i := range pos {
		n, _ := rows[i].Get("name")
		delete(g, n)
	}
	return result{}, nil
}

func (t *tx) envPrint(req *request) (result, error) {
	rows, sel, err := t.envTable(req)
	if err != nil {
		return result{}, err
	}
	out, res, ok := t.rowsCounted(req, rows, sel)
	if ok {
		return res, nil
	}
	// as-value gives each global's value as its own type (a num, an
	// array), so a script compares it as get would; the console and the
	// API show text.
	if req.flags["as-value"] {
		var vals []script.Value
		g := t.envGlobals()
		for _, row := range out {
			id, _ := row.Get(".id")
			n, _ := row.Get("name")
			arr := &script.Array{Keys: map[string]script.Value{".id": script.ID(id), "name": script.Str(n), "user": script.Str("admin"), "value": g[n]}}
			vals = append(vals, script.Value{Kind: script.KindArray, Arr: arr})
		}
		return result{val: script.ArrayOf(vals...)}, nil
	}
	var b strings.Builder
	for i, row := range out {
		n, _ := row.Get("name")
		v, _ := row.Get("value")
		b.WriteString(strconv.Itoa(i) + " name=" + strconv.Quote(n) + " user=\"admin\" value=" + strconv.Quote(v) + "\n")
	}
	return result{text: b.String(), ret: b.String()}, nil
}
