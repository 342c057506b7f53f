package config

import (
	"net/netip"
	"strings"
	"time"

	"github.com/chrlab/chrlab/rosemu/kernel"
	"github.com/chrlab/chrlab/rosemu/script"
)

func (t *tx) ifaceExists(name string) bool {
	if it, _ := t.iface(name); it != nil {
		return true
	}
	if name == loopbackIface {
		return !t.v6()
	}
	// A virtual router rosemu runs is not stored, but is an interface.
	return isStoredInterface(t.m, name) || t.findByName(vrrpTable, name) != nil
}

func (t *tx) findByName(table, name string) *item {
	for _, it := range t.m.tables[table] {
		if it.props["name"] == name {
			return it
		}
	}
	return nil
}

// listUser names what refers to an interface list, "" when nothing does.
func (t *tx) listUser(name string) string {
	if user := t.listRefUser(name); user != "" {
		return user
	}
	for _, it := range t.m.tables["interface list member"] {
		if it.props["list"] == name {
			return "interface list member " + it.ID()
		}
	}
	for _, it := range t.m.tables["interface bridge port"] {
		if it.props["interface"] == name && !t.ifaceExists(name) {
			return "interface bridge port " + it.ID()
		}
	}
	for _, tbl := range []string{"ip firewall filter", "ip firewall nat", "ip firewall mangle", "ip firewall raw"} {
		for _, it := range t.m.tables[tbl] {
			for _, p := range []string{"in-interface-list", "out-interface-list"} {
				if strings.TrimPrefix(it.props[p], "!") == name {
					return tbl + " rule " + it.ID()
				}
			}
		}
	}
	return ""
}

func checkListName(t *tx, it *item) error {
	for _, x := range t.m.tables["interface list"] {
		if x.id != it.id && x.props["name"] == it.props["name"] {
			return &Error{Msg: "failure: list with such name already exists", Category: 4, arg: "name"}
		}
	}
	return nil
}

// pMemberList requires a user interface list; the built-in lists are
// computed and take no members.
func pMemberList(t *tx, name, v string) (string, error) {
	l := t.findByName("interface list", v)
	if l == nil || l.builtin {
		return "", errNoMatch(name)
	}
	return v, nil
}

func checkMember(t *tx, it *item) error {
	for _, x := range t.m.tables["interface list member"] {
		if x.id != it.id && x.props["list"] == it.props["list"] && x.props["interface"] == it.props["interface"] {
			return errFailure("interface", "already have such entry")
		}
	}
	return nil
}

func checkAddress(t *tx, it *item) error {
	if it.props["network"] == "" {
		p, err := netip.ParsePrefix(it.props["address"])
		if err != nil {
			return errInvalid("address")
		}
		it.props["network"] = p.Masked().Addr().String()
	}
	return nil
}

// addressNetmask is the netmask of an address written address/bits, as
// get gives it: the manual lists netmask beside network among /ip
// address's properties (Manual:IP/Address, https://wiki.mikrotik.com/wiki/Manual:IP/Address),
// and a public hairpin-NAT generator compares "($a->"netmask") <
// 255.255.255.252" and writes network/netmask into its rules.
// [verify] that RouterOS 7 still gives it.
func addressNetmask(address string) string {
	p, err := netip.ParsePrefix(address)
	if err != nil || !p.Addr().Is4() {
		return ""
	}
	m := uint32(0xffffffff) << (32 - p.Bits()) // 0 for /0: Go shifts all bits out
	return netip.AddrFrom4([4]byte{byte(m >> 24), byte(m >> 16), byte(m >> 8), byte(m)}).String()
}

func checkAddressList(t *tx, it *item) error {
	if t.addrDuplicate(it) != nil {
		return errFailure("address", "already have such entry")
	}
	return checkDynamicEntry(t, it)
}

// checkDynamicEntry makes an address-list entry with a timeout or
// dynamic=yes (7.x) dynamic: kept in RAM and never exported (Address-lists
// page: "If a timeout is specified, the address will be stored on the RAM
// and will be removed after a system's reboot"). A timeout sets when it
// expires.
func checkDynamicEntry(t *tx, it *item) error {
	it.dynamic = it.props["timeout"] != "" || it.props["dynamic"] == "yes"
	if to := it.props["timeout"]; to != "" {
		d, _ := script.ParseTime(to)
		it.expires = t.now.Add(d)
	} else {
		it.expires = time.Time{}
	}
	return nil
}

var portProtocols = map[string]bool{"tcp": true, "udp": true, "udp-lite": true, "sctp": true, "dccp": true}

func checkRule(t *tx, it *item) error { return checkRuleOf(t, it, "icmp") }

// checkRuleOf refuses a rule whose matchers need a protocol the rule does
// not name (icmp is the family's ICMP: icmp, or icmpv6 for /ipv6). RouterOS
// judges each rule alone: a jump from a rule with protocol=icmp does not
// give the rules of the target chain the protocol, and the manual's ICMP
// chains write protocol=icmp on every rule (Building Advanced Firewall,
// https://help.mikrotik.com/docs/display/ROS/Building+Advanced+Firewall).
// tcp-flags, tcp-mss, icmp-options, reject-with=tcp-reset and a dst-limit
// mode keyed on a port are worded as RouterOS words dst-port's refusal;
// whether RouterOS refuses them at all is [verify], but rosemu cannot
// render them, and they were refused when the rules were rendered, with
// rosemu's words at column 1 (forum27 D2).
func checkRuleOf(t *tx, it *item, icmp string) error {
	proto := it.props["protocol"]
	for _, p := range []string{"src-port", "dst-port", "port"} {
		if it.props[p] != "" && !portProtocols[proto] {
			return errFailure(p, p+" can be used only with protocol tcp, udp, udp-lite, sctp or dccp")
		}
	}
	for _, p := range []string{"tcp-flags", "tcp-mss"} {
		if it.props[p] != "" && proto != "tcp" {
			return errFailure(p, p+" can be used only with protocol tcp")
		}
	}
	if it.props["icmp-options"] != "" && proto != icmp {
		return errFailure("icmp-options", "icmp-options can be used only with protocol "+icmp)
	}
	// IPv6 rules with dst-limit are stored, not rendered (kernel.Unsupported6).
	if v := it.props["dst-limit"]; v != "" && icmp == "icmp" {
		if mode, ports := kernel.DstLimitNeedsPorts(v); ports && !portProtocols[proto] {
			return errFailure("dst-limit", "dst-limit mode "+mode+" can be used only with protocol tcp, udp, udp-lite, sctp or dccp")
		}
	}
	if it.props["action"] == "jump" && it.props["jump-target"] == "" {
		return errFailure("jump-target", "jump-target must be specified for action=jump")
	}
	if it.props["jump-target"] != "" && it.props["action"] != "jump" {
		return errFailure("jump-target", "jump-target can be used only with action=jump")
	}
	if it.props["reject-with"] != "" && it.props["action"] != "reject" {
		return errFailure("reject-with", "reject-with can be used only with action=reject")
	}
	if it.props["reject-with"] == "tcp-reset" && proto != "tcp" {
		return errFailure("reject-with", "reject-with=tcp-reset can be used only with protocol tcp")
	}
	return nil
}
