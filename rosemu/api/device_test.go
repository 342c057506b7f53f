package api

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"sync"

	"github.com/chrlab/chrlab/rosemu/config"
)

// tableDevice is a small in-memory /ip/firewall/nat menu: print, add and
// remove, with RouterOS's messages for the failures it can hit.
type tableDevice struct {
	mu   sync.Mutex
	rows []config.Row
	next int
}

const natPath = "/ip/firewall/nat"

func newTableDevice() *tableDevice {
	return &tableDevice{
		next: 0x11,
		rows: []config.Row{
			row(".id=*1", "chain=srcnat", "action=masquerade", "out-interface=ether1", "comment=defconf", "disabled=false"),
			row(".id=*2", "chain=dstnat", "action=dst-nat", "dst-port=80", "to-ports=8080", "disabled=false"),
			row(".id=*3", "chain=dstnat", "action=dst-nat", "dst-port=443", "disabled=true"),
			row(".id=*10", "chain=srcnat", "action=src-nat", "to-addresses=10.0.0.1", "disabled=false"),
		},
	}
}

func (d *tableDevice) Command(ctx context.Context, path string, args map[string]string) ([]config.Row, string, error) {
	d.mu.Lock()
	defer d.mu.Unlock()
	switch path {
	case natPath + "/print":
		for name := range args {
			if name != "detail" {
				return nil, "", &config.Error{Msg: "unknown parameter " + name, Category: 1}
			}
		}
		out := make([]config.Row, len(d.rows))
		for i, r := range d.rows {
			out[i] = append(config.Row(nil), r...)
		}
		return out, "", nil
	case natPath + "/add":
		chain := args["chain"]
		if chain == "" {
			return nil, "", &config.Error{Msg: "failure: chain not specified", Category: 4}
		}
		action := args["action"]
		if action == "" {
			action = "accept"
		}
		id := "*" + strings.ToUpper(strconv.FormatInt(int64(d.next), 16))
		d.next++
		r := row(".id="+id, "chain="+chain, "action="+action)
		if c, ok := args["comment"]; ok {
			r = append(r, config.Prop{Name: "comment", Value: c})
		}
		d.rows = append(d.rows, append(r, config.Prop{Name: "disabled", Value: "false"}))
		return nil, id, nil
	case natPath + "/remove":
		id := args[".id"]
		if id == "" {
			id = args["numbers"]
		}
		for i, r := range d.rows {
			if v, _ := r.Get(".id"); v == id {
				d.rows = append(d.rows[:i], d.rows[i+1:]...)
				return nil, "", nil
			}
		}
		return nil, "", &config.Error{Msg: "no such item (4)", Category: 0}
	}
	return nil, "", &config.Error{Msg: fmt.Sprintf("no such command or directory (%s)", path), Category: 0}
}

// row builds a row from "name=value" words.
func row(props ...string) config.Row {
	r := make(config.Row, len(props))
	for i, p := range props {
		r[i].Name, r[i].Value, _ = strings.Cut(p, "=")
	}
	return r
}
