package kernel

import (
	"errors"
	"fmt"
	"syscall"

	"github.com/vishvananda/netlink"
	"github.com/vishvananda/netns"
)

// Feature is a feature of the kernel that some configurations need: rosemu
// makes their interfaces on the kernel of the machine it runs on, so a
// kernel built without it refuses the configuration when it is applied
// (errNoKernelSupport). Name is the words of that refusal; Kind is the
// link kind that needs it.
type Feature struct {
	Name string
	Kind string
}

// The features a state's interfaces need, each a kind of link Apply makes.
var (
	FeatureVLAN    = Feature{Name: "802.1Q VLAN support (CONFIG_VLAN_8021Q)", Kind: "vlan"}
	FeatureBridge  = Feature{Name: "bridge support (CONFIG_BRIDGE)", Kind: "bridge"}
	FeatureMACVLAN = Feature{Name: "MAC VLANs (CONFIG_MACVLAN)", Kind: "macvlan"}
	// FeatureBridgeVLANFiltering is a bridge with vlan-filtering=yes: a
	// bridge link made with its VLAN table on (forum31 D5: the lab came
	// up, 27 s, before the router refused it).
	FeatureBridgeVLANFiltering = Feature{Name: "bridge VLAN filtering (CONFIG_BRIDGE_VLAN_FILTERING)", Kind: "bridge-vlan-filtering"}
)

// Needs lists the features st's interfaces need: a VLAN interface (802.1Q
// or 802.1ad, both of the 8021q module), a bridge, a VRRP interface (a
// MAC VLAN).
func (st *State) Needs() []Feature {
	var out []Feature
	if len(st.VLANs) > 0 {
		out = append(out, FeatureVLAN)
	}
	if len(st.Bridges) > 0 {
		out = append(out, FeatureBridge)
	}
	for _, b := range st.Bridges {
		if b.VLANFiltering {
			out = append(out, FeatureBridgeVLANFiltering)
			break
		}
	}
	if len(st.VRRPs) > 0 {
		out = append(out, FeatureMACVLAN)
	}
	return out
}

// ErrProbeUnsupported marks a Probe whose link the kernel refused as a kind
// it does not know: the kernel lacks the feature.
var ErrProbeUnsupported = errors.New("the kernel does not support it")

// Probe tells whether this machine's kernel has f, by making a link of
// its kind in a throwaway network namespace (on a dummy parent where the
// kind needs one, a veth). The error wraps ErrProbeUnsupported when the kernel
// refuses the kind (EOPNOTSUPP, as Apply would meet it); any other error
// (no privilege to make a namespace) says nothing about the feature.
func Probe(f Feature) error {
	cur, err := netns.Get()
	if err != nil {
		return fmt.Errorf("open this process's network namespace: %w", err)
	}
	defer cur.Close()
	// inNetns returns its thread to this namespace once fn has made and
	// entered the throwaway one, which goes when closed.
	return inNetns(cur, func() error {
		ns, err := netns.New()
		if err != nil {
			return fmt.Errorf("make a throwaway network namespace: %w", err)
		}
		defer ns.Close()
		return probeLink(f)
	})
}

// probeLink makes a link of f's kind in the current thread's namespace.
func probeLink(f Feature) error {
	attrs := netlink.NewLinkAttrs()
	attrs.Name = "probe0"
	var l netlink.Link
	switch f.Kind {
	case "bridge":
		l = &netlink.Bridge{LinkAttrs: attrs}
	case "bridge-vlan-filtering":
		// Without CONFIG_BRIDGE_VLAN_FILTERING the kernel refuses the
		// attribute with EOPNOTSUPP, as Apply meets it.
		on := true
		l = &netlink.Bridge{LinkAttrs: attrs, VlanFiltering: &on}
	case "vlan", "macvlan":
		// A veth, as the lab's ports are (a kernel that runs the lab
		// has it): lo takes no VLAN (it is VLAN-challenged, so a
		// kernel with 802.1Q refuses it too), and a kernel may lack
		// dummy links.
		parent := netlink.NewLinkAttrs()
		parent.Name = "probe-parent"
		if err := netlink.LinkAdd(&netlink.Veth{LinkAttrs: parent, PeerName: "probe-peer"}); err != nil {
			return fmt.Errorf("make a veth parent for a %s link: %w", f.Kind, err)
		}
		p, err := netlink.LinkByName(parent.Name)
		if err != nil {
			return fmt.Errorf("find the veth parent: %w", err)
		}
		attrs.ParentIndex = p.Attrs().Index
		if f.Kind == "vlan" {
			l = &netlink.Vlan{LinkAttrs: attrs, VlanId: 10}
		} else {
			l = &netlink.Macvlan{LinkAttrs: attrs, Mode: netlink.MACVLAN_MODE_BRIDGE}
		}
	default:
		// A kind with no attributes of its own.
		l = &netlink.GenericLink{LinkAttrs: attrs, LinkType: f.Kind}
	}
	if err := netlink.LinkAdd(l); err != nil {
		if errors.Is(err, syscall.EOPNOTSUPP) || errors.Is(err, syscall.ENOTSUP) {
			return fmt.Errorf("make a %s link: %w: %w", f.Kind, err, ErrProbeUnsupported)
		}
		return fmt.Errorf("make a %s link: %w", f.Kind, err)
	}
	return nil
}
