package config

import (
	"net/netip"
	"strconv"

	"github.com/chrlab/chrlab/rosemu/kernel"
)

// /interface vxlan is built: each enabled one is the kernel's vxlan link
// (kernel.VXLAN), with its static VTEPs (/interface vxlan vteps) as the
// link's default destinations, so a bridge may take it as a port and
// its frames cross the router's input and output chains as UDP to and
// from its port. docs/vxlan.md.

// vxlanTunLink is the kernel link of the VXLAN it.
func vxlanTunLink(m *model, it *item) kernel.TunLink {
	p := it.props
	eff := func(k string) string { return effective(vxlanMenu, p, k) }
	v := &kernel.VXLAN{
		VNI:      atoiOr(p["vni"], 0),
		Port:     atoiOr(eff("port"), 8472),
		Learning: eff("learning") == "yes",
		MaxFDB:   atoiOr(eff("max-fdb-size"), 0),
		TTL:      atoiOr(eff("ttl"), 0), // auto: not a number, the kernel's default
		Checksum: eff("checksum") == "yes",
	}
	if a, err := netip.ParseAddr(p["local-address"]); err == nil && a.Is4() {
		v.Local = a
	}
	// group takes effect with its interface (the manual: "This property
	// requires specifying the interface setting").
	if g, err := netip.ParseAddr(p["group"]); err == nil && g.Is4() && g.IsMulticast() && p["interface"] != "" {
		v.Group, v.Interface = g, p["interface"]
	}
	for _, t := range m.tables["interface vxlan vteps"] {
		if t.props["interface"] != p["name"] || t.disabled() {
			continue
		}
		// An IPv6 VTEP of an IPv4 VXLAN is ignored, as RouterOS ignores a
		// VTEP of the other IP version (vteps-ip-version); IPv6 VTEPs are
		// not built (vxlanNotEnforced).
		// A VTEP without a port of its own sends to the interface's port:
		// the manual's example sets port=4789 on the interface only and
		// adds its VTEPs without one ("The configuration is complete"),
		// and its VTEP table lists no port. [verify] on a 7.x router
		// whose VTEP print shows port=8472 (a 7.x API's output) that an
		// unset VTEP port follows the interface's.
		if a, err := netip.ParseAddr(t.props["remote-ip"]); err == nil && a.Is4() {
			v.VTEPs = append(v.VTEPs, kernel.VTEP{Remote: a, Port: atoiOr(t.props["port"], v.Port)})
		}
	}
	tl := kernel.TunLink{Name: p["name"], MTU: atoiOr(eff("mtu"), 1500), VXLAN: v}
	if !groupMAC(p["mac-address"]) {
		tl.MAC = p["mac-address"]
	}
	return tl
}

// vxlanSharedReason is why a VXLAN of a VNI and port that an earlier
// enabled one holds is not built: Linux's vxlan driver takes one link per
// VNI and UDP port whatever their local addresses ("A VXLAN device with
// the specified VNI already exists"), and the run failed at the second
// (create vxlan interface ...: file exists) on a configuration validate
// had accepted. [verify] whether RouterOS takes two such VXLANs (with
// vtep-vrf or local-address apart).
const vxlanSharedReason = "rosemu's kernel takes one VXLAN per VNI and port: this one's VNI and port are an earlier VXLAN's, so it is a link that drops what is routed into it, and its bridge port forwards nothing"

// vxlanShadowed names the enabled VXLANs of m whose VNI and port an
// earlier enabled one holds (vxlanSharedReason), each with that one's
// name.
func vxlanShadowed(m *model) map[string]string {
	held, out := map[string]string{}, map[string]string{}
	for _, it := range m.tables["interface vxlan"] {
		if it.disabled() {
			continue
		}
		k := strconv.Itoa(atoiOr(it.props["vni"], 0)) + "/" + strconv.Itoa(atoiOr(effective(vxlanMenu, it.props, "port"), 8472))
		if h, ok := held[k]; ok {
			out[it.props["name"]] = h
			continue
		}
		held[k] = it.props["name"]
	}
	return out
}

// vxlanSharedWhy is, for NotEnforced, vxlanSharedReason for a VXLAN that
// vxlanShadowed names.
func vxlanSharedWhy(m *model) func(*item) string {
	shadowed := vxlanShadowed(m)
	return func(it *item) string {
		if _, ok := shadowed[it.props["name"]]; ok {
			return vxlanSharedReason
		}
		return ""
	}
}

// The VXLAN settings the kernel link does not model, reported at values
// away from their defaults.
func init() {
	for name, why := range map[string]string{
		"allow-fast-path":  "rosemu has no fast path: every packet of the VXLAN passes the firewall as on RouterOS's slow path",
		"dont-fragment":    "rosemu's outer packets never carry DF (dont-fragment=disabled): a large one is fragmented",
		"vrf":              "rosemu's VXLAN link is in the main routing table; its VRF is stored",
		"vtep-vrf":         "rosemu sends and receives the VXLAN's UDP in the main routing table; vtep-vrf is stored",
		"vteps-ip-version": "rosemu carries VXLAN over IPv4 only: IPv6 VTEPs are stored",
		"arp":              "rosemu's VXLAN link always answers ARP (arp=enabled)",
		"arp-timeout":      "rosemu's VXLAN link keeps the kernel's ARP timing",
		"hw":               "rosemu has no switch chip to offload the VXLAN to",
		"rem-csum":         "rosemu sends no remote checksum offload (rem-csum=none)",
		"bridge":           "rosemu does not add the VXLAN to a bridge by this setting: add a /interface bridge port",
		"bridge-pvid":      "rosemu does not add the VXLAN to a bridge by this setting: add a /interface bridge port",
		"group":            "a multicast group is used only with its interface, and only an IPv4 group",
	} {
		if p := vxlanMenu.prop(name); p != nil {
			p.notEnforced = why
		}
	}
	// auto (rosemu's default, the newer manual's: inherit on a router
	// without VXLAN offload) is taken as disabled, the older manual's
	// default, which is what rosemu does [verify]; enabled and inherit
	// are reported.
	vxlanMenu.prop("dont-fragment").inert = func(p map[string]string) bool {
		return p["dont-fragment"] == "" || p["dont-fragment"] == "auto" || p["dont-fragment"] == "disabled"
	}
	vxlanMenu.prop("group").inert = func(p map[string]string) bool {
		g, err := netip.ParseAddr(p["group"])
		return err == nil && g.Is4() && g.IsMulticast() && p["interface"] != ""
	}
	mac := vxlanMenu.prop("mac-address")
	mac.notEnforced = "a multicast MAC address (its first byte has the group bit set) cannot be an interface's own: rosemu's VXLAN link keeps the MAC the kernel gave it, and the setting is stored"
	mac.inert = func(p map[string]string) bool { return !groupMAC(p["mac-address"]) }
	remote := vxlanVtepsMenu.prop("remote-ip")
	remote.notEnforced = "rosemu carries VXLAN over IPv4 only: an IPv6 VTEP is stored"
	remote.inert = func(p map[string]string) bool {
		a, err := netip.ParseAddr(p["remote-ip"])
		return err == nil && a.Is4()
	}
}
