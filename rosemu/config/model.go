package config

import (
	"strconv"
	"strings"
	"time"
)

// item is one entry of a menu. Props hold canonical values as export
// prints them (booleans as yes/no); "disabled" and "comment" are props too.
type item struct {
	id      uint64
	props   map[string]string
	dynamic bool
	builtin bool
	expires time.Time // address-list entries with a timeout
	// created is when add made the item (address-list creation-time);
	// zero for the entries rosemu generates (kernel, lease, PPP, DNS).
	created time.Time
}

func (it *item) clone() *item {
	c := *it
	c.props = make(map[string]string, len(it.props))
	for k, v := range it.props {
		c.props[k] = v
	}
	return &c
}

func (it *item) ID() string { return formatID(it.id) }

func (it *item) disabled() bool { return it.props["disabled"] == "yes" }

func formatID(id uint64) string { return "*" + strings.ToUpper(strconv.FormatUint(id, 16)) }

func parseID(s string) (uint64, bool) {
	if !strings.HasPrefix(s, "*") {
		return 0, false
	}
	n, err := strconv.ParseUint(s[1:], 16, 64)
	return n, err == nil
}

// model is the whole configuration: the items of every menu in list order.
// A transaction works on a clone and replaces the router's model on commit.
type model struct {
	tables map[string][]*item
}

func (m *model) clone() *model {
	c := &model{tables: make(map[string][]*item, len(m.tables))}
	for k, items := range m.tables {
		cl := make([]*item, len(items))
		for i, it := range items {
			cl[i] = it.clone()
		}
		c.tables[k] = cl
	}
	return c
}
