package config

import (
	"context"
	"net/netip"
	"strconv"
	"strings"
	"time"

	"github.com/chrlab/chrlab/rosemu/kernel"
	"github.com/chrlab/chrlab/rosemu/script"
)

// /interface vrrp (docs/routeros.md, "VRRP"). An IPv4 virtual router on
// an interface the kernel has is a MAC VLAN with the virtual router's MAC
// (00:00:5e:00:01:<vrid>), up only while the router is the virtual
// router's master: its addresses, the routes through it and its ARP
// answers exist only then, as a VRRP interface is running only while it
// is master on RouterOS. The VRRP service (rosemu/service/vrrp) speaks
// the protocol on the parent interface and reports the state with
// SetVRRPState; the engine brings the link up or down in one transaction
// and the service runs on-master or on-backup.
//
// What rosemu cannot run is stored and reported: IPv6 virtual routers
// (v3-protocol=ipv6), AH authentication, a virtual router on an interface
// that is itself stored or on a bridge port, and connection-tracking
// sync. A group member follows its authority's state (vrrpAuthority).

// vrrpStateTable holds one item per virtual router the service reported
// on, with the VRRP item's id: state is master or backup.
const vrrpStateTable = "interface vrrp state"

// VRRP is one /interface vrrp entry as the VRRP service runs it.
type VRRP struct {
	// ID is the entry's .id; SetVRRPState names it.
	ID string
	// Name is the RouterOS name, Link the kernel's link of the virtual
	// router, Parent the kernel's link it runs on.
	Name, Link, Parent string
	VRID, Priority     int
	// Interval is the advertisement interval.
	Interval time.Duration
	Preempt  bool
	// Version is 2 or 3.
	Version int
	// Password is the simple authentication's key (version 2 only), ""
	// without authentication.
	Password string
	// ChecksumAsV2 leaves the pseudo-header out of a version 3 checksum.
	ChecksumAsV2 bool
	// Remote is remote-address: advertisements go to it, unicast,
	// instead of to 224.0.0.18; invalid for multicast.
	Remote netip.Addr
	// Addresses are the IPv4 addresses of the virtual router (those of
	// /ip address on its interface), which its advertisements carry.
	Addresses []netip.Addr
	// OnMaster and OnBackup are the scripts run on a change of state.
	OnMaster, OnBackup string
	Disabled           bool
	// Follows names the group's authority (group-authority) when the
	// entry is a member of a group whose authority rosemu runs: the
	// member holds no election of its own, takes the authority's state
	// (Master) and advertises while master.
	Follows string
	Master  bool
}

// vrrpAuthority is the run entry whose state the entry takes
// (group-authority, or group-master as the first 7.x releases called it),
// nil when it is its own (none, self, its own name) or the authority is
// not run or is itself a member of another group.
func vrrpAuthority(m *model, it *item) *item {
	name := groupAuthority(it)
	if name == "" {
		return nil
	}
	isStored := storedIndex(m)
	for _, a := range m.tables[vrrpTable] {
		if a.props["name"] != name {
			continue
		}
		if vrrpWhy(m, a, isStored) != "" || groupAuthority(a) != "" {
			return nil
		}
		return a
	}
	return nil
}

// groupAuthority is the other entry an entry's group-authority (or
// group-master) names, "" when it names none, self or the entry itself.
func groupAuthority(it *item) string {
	name := vOr(it.props["group-authority"], it.props["group-master"])
	if name == "none" || name == "self" || name == it.props["name"] {
		return ""
	}
	return name
}

// vrrpGroupWhy says why an entry's group-authority is stored: it names
// an authority rosemu does not run, so the entry runs on its own.
func vrrpGroupWhy(m *model) func(*item) string {
	return func(it *item) string {
		name := groupAuthority(it)
		if name == "" || vrrpAuthority(m, it) != nil {
			return ""
		}
		return "the group's authority " + name + " is not run by rosemu (stored, or a member itself): the virtual router holds its own election"
	}
}

// vrrpTable is the /interface vrrp menu's table.
const vrrpTable = "interface vrrp"

// vrrpStoredWhy says why a VRRP entry is stored rather than run, "" when
// rosemu runs it.
func vrrpStoredWhy(m *model) func(*item) string {
	isStored := storedIndex(m)
	return func(it *item) string { return vrrpWhy(m, it, isStored) }
}

// vrrpWhy is vrrpStoredWhy with isStored telling the stored interfaces.
func vrrpWhy(m *model, it *item, isStored func(string) bool) string {
	switch {
	case it.props["version"] != "2" && it.props["v3-protocol"] == "ipv6":
		return "rosemu runs VRRP for IPv4 only: the IPv6 virtual router is stored, never master, and carries no packets"
	case it.props["authentication"] == "ah":
		return "rosemu's VRRP has no AH authentication: the virtual router is stored, never master, and carries no packets"
	}
	parent := it.props["interface"]
	if isStored(parent) || frameless(m, parent) || isPPPoEClient(m, parent) || bridgePortNamed(m, parent) || isVRRP(m, parent) {
		return "the VRRP interface runs on " + parent + ", which carries no frames of its own in rosemu: the virtual router is stored, never master, and carries no packets"
	}
	return ""
}

func isVRRP(m *model, name string) bool {
	for _, it := range m.tables[vrrpTable] {
		if it.props["name"] == name {
			return true
		}
	}
	return false
}

func isPPPoEClient(m *model, name string) bool {
	for _, it := range m.tables[pppoeClientTable] {
		if it.props["name"] == name {
			return true
		}
	}
	return false
}

// bridgePortNamed: an enabled bridge port entry names the interface, or
// an interface list it is a member of (RouterOS 7 bridges ports by list);
// the bridge takes its frames, so no MAC VLAN can sit on it.
func bridgePortNamed(m *model, name string) bool {
	inList := map[string]bool{}
	for _, e := range m.tables["interface list member"] {
		if !e.disabled() && e.props["interface"] == name {
			inList[e.props["list"]] = true
		}
	}
	for _, p := range m.tables["interface bridge port"] {
		if !p.disabled() && (p.props["interface"] == name || inList[p.props["interface"]]) {
			return true
		}
	}
	return false
}

// vrrpRun is a run VRRP entry: enforced, in the kernel.
func vrrpRun(m *model) []*item {
	why := vrrpStoredWhy(m)
	var out []*item
	for _, it := range m.tables[vrrpTable] {
		if why(it) == "" {
			out = append(out, it)
		}
	}
	return out
}

// vrrpMaster reports whether the service last said the entry is master.
func vrrpMaster(m *model, it *item) bool {
	if it.disabled() {
		return false
	}
	if a := vrrpAuthority(m, it); a != nil {
		return vrrpMaster(m, a)
	}
	s := tableItem(m, vrrpStateTable, it.id)
	return s != nil && s.props["state"] == "master" && s.props["interface"] == it.props["interface"]
}

// vrrpState fills the kernel's VRRP links, and leaves the addresses of a
// virtual router out of the kernel while it is not master: Linux keeps an
// address on a link that is down as the router's own, and would accept
// packets to it on any link, where RouterOS's backup does not.
func vrrpState(m *model, s *kernel.State) {
	backup := map[string]bool{}
	for _, it := range vrrpRun(m) {
		v := kernel.VRRP{
			Name:      it.props["name"],
			Interface: it.props["interface"],
			VRID:      atoiOr(vOr(it.props["vrid"], "1"), 1),
			MTU:       atoiOr(vOr(it.props["mtu"], "1500"), 1500),
			ARP:       vOr(it.props["arp"], "enabled"),
			Master:    vrrpMaster(m, it),
		}
		s.VRRPs = append(s.VRRPs, v)
		backup[v.Name] = !v.Master
	}
	addrs := s.Addresses[:0]
	for _, a := range s.Addresses {
		if !backup[a.Interface] {
			addrs = append(addrs, a)
		}
	}
	s.Addresses = addrs
}

// vrrps lists the run entries for the service.
func vrrps(m *model) []VRRP {
	var out []VRRP
	for _, it := range vrrpRun(m) {
		v := VRRP{ID: it.ID(), Name: it.props["name"], Link: kernel.LinkName(it.props["name"]),
			Parent:   kernel.LinkName(kernelName(m, it.props["interface"])),
			VRID:     atoiOr(vOr(it.props["vrid"], "1"), 1),
			Priority: atoiOr(vOr(it.props["priority"], "100"), 100),
			Preempt:  it.props["preemption-mode"] != "no",
			Version:  atoiOr(vOr(it.props["version"], "3"), 3),
			OnMaster: it.props["on-master"], OnBackup: it.props["on-backup"],
			ChecksumAsV2: it.props["v3-checksum-as-v2"] == "yes",
			Disabled:     it.disabled(),
		}
		v.Interval = time.Second
		if d, ok := script.ParseTime(vOr(it.props["interval"], "1s")); ok && d > 0 {
			v.Interval = d
		}
		if a := vrrpAuthority(m, it); a != nil {
			v.Follows, v.Master = a.props["name"], vrrpMaster(m, it)
		}
		if v.Version == 2 && it.props["authentication"] == "simple" {
			v.Password = it.props["password"]
		}
		if a, err := netip.ParseAddr(it.props["remote-address"]); err == nil && a.Is4() && !a.IsUnspecified() {
			v.Remote = a
		}
		for _, a := range m.tables["ip address"] {
			if a.disabled() || a.props["interface"] != v.Name {
				continue
			}
			// Stored with its length, as buildState reads it.
			if p, err := netip.ParsePrefix(a.props["address"]); err == nil && p.Addr().Is4() {
				v.Addresses = append(v.Addresses, p.Addr())
			}
		}
		out = append(out, v)
	}
	return out
}

// VRRPs returns the VRRP entries rosemu runs.
func (r *Router) VRRPs() []VRRP {
	r.mu.Lock()
	defer r.mu.Unlock()
	return vrrps(r.m)
}

// SetVRRPState records that the virtual router of entry id became master
// (or left it) as one transaction: the link comes up with its addresses
// and routes, or goes down. An unchanged state changes nothing.
func (r *Router) SetVRRPState(id string, master bool) (err error) {
	defer guarded("VRRP state of "+id, &err)
	r.mu.Lock()
	defer r.mu.Unlock()
	var it *item
	for _, x := range r.m.tables[vrrpTable] {
		if x.ID() == id {
			it = x
		}
	}
	if it == nil || it.disabled() {
		return nil // removed or disabled since: the service stops it
	}
	state := "backup"
	if master {
		state = "master"
	}
	if old := tableItem(r.m, vrrpStateTable, it.id); old != nil && old.props["state"] == state && old.props["interface"] == it.props["interface"] {
		return nil
	}
	t := r.begin(false)
	setTableItem(t.m, vrrpStateTable, &item{id: it.id, props: map[string]string{"state": state, "interface": it.props["interface"]}})
	t.changed = true
	return r.commit(t)
}

// RunVRRPScript runs an entry's on-master or on-backup script.
func (r *Router) RunVRRPScript(ctx context.Context, name, src string) error {
	return r.RunScript(ctx, "interface vrrp "+name, src, nil)
}

// checkVRRP names the interface and forgets the state of an entry that is
// disabled or moved to another interface: its link goes down in the same
// transaction, and the service starts it again as backup.
func checkVRRP(t *tx, it *item) error {
	if err := checkStoredIfName("interface vrrp")(t, it); err != nil {
		return err
	}
	if s := tableItem(t.m, vrrpStateTable, it.id); s != nil && (it.disabled() || s.props["interface"] != it.props["interface"]) {
		dropTableItem(t.m, vrrpStateTable, it.id)
	}
	return nil
}

// vrrpStatus is the read-only part of an entry: running while master, and
// the virtual router's MAC.
func vrrpStatus(t *tx, it *item) []Prop {
	master := vrrpMaster(t.m, it)
	ps := []Prop{{"running", boolAPI(master)}, {"master", boolAPI(master)},
		{"backup", boolAPI(!it.disabled() && !master && vrrpStoredWhy(t.m)(it) == "")}}
	if vrid, err := strconv.Atoi(vOr(it.props["vrid"], "1")); err == nil {
		ps = append(ps, Prop{"mac-address", strings.ToUpper(kernel.VRRPMAC(vrid).String())})
	}
	return ps
}

// vrrpFlags are the console flags of an entry: R (running) and M while
// master, B while backup.
func vrrpFlags(t *tx, it *item) string {
	switch {
	case it.disabled() || vrrpStoredWhy(t.m)(it) != "":
		return ""
	case vrrpMaster(t.m, it):
		return "RM"
	}
	return "B"
}

func init() {
	vrrpMenu.notEnforced = ""
	vrrpMenu.check = checkVRRP
	vrrpMenu.readonly = vrrpStatus
	for _, p := range vrrpMenu.props {
		switch p.name {
		case "sync-connection-tracking", "connection-tracking-mode", "connection-tracking-port":
			p.notEnforced = "rosemu does not synchronise connection tracking between VRRP routers: " + p.name + " is stored"
		case "on-fail":
			p.notEnforced = "rosemu's VRRP has no fail state: on-fail is stored"
		case "arp-timeout":
			p.notEnforced = "rosemu keeps the kernel's ARP timers: arp-timeout is stored"
		}
	}
}
