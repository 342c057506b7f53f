package config

import "github.com/chrlab/chrlab/rosemu/script"

// dnsFlusher is a DNS service whose cache can be emptied (the DNS
// service of package rosemu/service/dns is one).
type dnsFlusher interface{ Flush() }

// dnsCacheMenu is /ip dns cache: the cached answers, which the user reads
// and empties with flush (DNS page of the manual,
// https://help.mikrotik.com/docs/spaces/ROS/pages/37748767/DNS, "Cache").
// It holds no configuration: print lists nothing here, and flush empties
// the running service's cache (nothing to do without one, as in validate).
var dnsCacheMenu = &menu{
	path: "ip dns cache", readOnly: true,
	commands: map[string]menuCommand{
		"flush": {syntax: &script.Syntax{}, run: func(t *tx, req *request) (result, error) {
			if f, ok := t.r.opts.DNS.(dnsFlusher); ok {
				f.Flush()
			}
			return result{}, nil
		}},
	},
}

func init() { insertMenus("ip dns", dnsCacheMenu) }
