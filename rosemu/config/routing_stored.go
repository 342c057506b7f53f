package config

import (
	"net/netip"
	"strings"
)

// Menus of small-office and home-lab exports that rosemu stores without
// enforcing: dynamic routing (OSPF, BFD, router ids), RADIUS clients,
// layer-7 patterns, containers and their disks, TFTP, IP accounting and
// the packet sniffer's settings. Each keeps RouterOS's property names so
// that an export is accepted, printed and exported again; none changes a
// packet in the lab, and NotEnforced reports every one that is used.

const (
	bgpReason    = "rosemu's BGP runs IPv4 unicast sessions of the main table only: this is stored and changes no session"
	filterReason = "rosemu applies only RouterOS 7 rule chains that a BGP session (input.filter, output.filter-chain) or an OSPF instance (in-filter-chain, out-filter-chain) names: this is stored, and routes are taken and announced without it"
	// unusedChainReason: a /routing filter rule of a chain no BGP
	// session or OSPF instance rosemu runs applies.
	unusedChainReason = "no BGP session or OSPF instance rosemu runs applies the rule's chain (rosemu applies the chains a session's input.filter or output.filter-chain and an instance's in-filter-chain or out-filter-chain name): the rule is stored"
	bfdReason         = "rosemu runs no BFD sessions"
	radiusReason      = "rosemu sends no RADIUS requests: no service authenticates against the server"
	layer7Reason      = "rosemu matches no layer-7 patterns: a rule naming one is kept, the pattern is not applied to payloads"
	containerReason   = "rosemu runs no containers"
	diskReason        = "rosemu has no disks: tmpfs, partitions and network disks are stored only"
	tftpReason        = "rosemu runs no TFTP server"
	accountReason     = "rosemu keeps no IP accounting tables"
	snifferReason     = "rosemu captures nothing through /tool sniffer (chrlab's capture runs outside the router)"
)

// pIfsOrLists is a comma list of interfaces, interface lists or "all"
// (/routing ospf interface-template interfaces=, /routing bfd
// configuration interfaces=).
func pIfsOrLists(t *tx, name, v string) (string, error) {
	if v == "" {
		return "", nil
	}
	for _, x := range splitList(v) {
		x = strings.TrimPrefix(x, "!")
		if x != "all" && !t.ifaceExists(x) && t.findByName("interface list", x) == nil {
			return "", errNoMatch(name)
		}
	}
	return v, nil
}

// bgpCommon are the properties BGP templates and connections share, with
// the dotted names of RouterOS 7 (output.network, local.role).
func bgpCommon() []*prop {
	ps := []*prop{
		withParse("as", "", pAS),
		sProp("address-families", "ip"),
		sProp("afi", ""),
		sProp("router-id", ""),
		sProp("routing-table", ""),
		sProp("vrf", ""),
		sProp("hold-time", "3m"),
		sProp("keepalive-time", "1m"),
		bProp("multihop", "no"),
		// "nexthop-choice (default | force-self | propagate)" of the BGP
		// page of the manual.
		eProp("nexthop-choice", "default", "default", "force-self", "propagate"),
		bProp("use-bfd", "no"),
		sProp("templates", ""),
		sProp("cluster-id", ""),
		sProp("save-to", ""),
		// "VPLS NLRI length format type. Used for compatibility with Cisco
		// VPLS" (BGP page of the manual); a 7.19.4 CCR2004 export writes
		// "add cisco-vpls-nlri-len-fmt=auto-bits connect=yes ... name=CR7".
		eProp("cisco-vpls-nlri-len-fmt", "", "auto-bits", "auto-bytes", "bits", "bytes"),
		// BGP ADD-PATH: "add-path-out (all | none)" of the BGP page of
		// the manual; a 7.21 export writes it on templates and
		// connections of route reflector clients.
		eProp("add-path-out", "", "all", "none"),
		// 7.22 split it by direction: input.add-path and output.add-path
		// name the address families ("output.add-path=ip" of a 7.22 route
		// reflector's template; the community.routeros changelog: "replace
		// add-path-out with input.add-path and output.add-path for
		// RouterOS 7.22 and later"). Empty for none.
		withParse("input.add-path", "", pAddPathAFI),
		withParse("output.add-path", "", pAddPathAFI),
	}
	// input.allow-as and the other accept/filter lists of the BGP page of
	// the manual (https://help.mikrotik.com/docs/display/ROS/BGP); a 7.x
	// export writes "input.allow-as=2 .filter=threats-in".
	for _, n := range []string{"input.filter", "input.affinity", "input.accept-nlri", "input.accept-communities", "input.limit-process-routes-ipv4", "input.limit-process-routes-ipv6",
		"input.allow-as", "input.ignore-as-path-len", "input.accept-ext-communities", "input.accept-large-communities", "input.accept-unknown",
		"output.filter-communities", "output.filter-ext-communities", "output.filter-large-communities", "output.filter-unknown",
		"output.network", "output.filter-chain", "output.filter-select", "output.default-originate", "output.redistribute", "output.remove-private-as",
		"output.default-prepend", "output.keep-sent-attributes", "output.as-override", "output.no-client-to-client-reflection", "output.no-early-cut",
		"local.address", "local.port", "local.ttl", "remote.address", "remote.port", "remote.allowed-as", "remote.ttl"} {
		ps = append(ps, sProp(n, ""))
	}
	// remote.as is an AS number and local.role one of the roles of the
	// BGP page of the manual (https://help.mikrotik.com/docs/display/ROS/BGP):
	// as free text a typo was accepted and the session then silently
	// not run (forum39 D3).
	ps = append(ps, withParse("remote.as", "", pAS), withParse("local.role", "", pBGPRole))
	return append(ps, comment, disabled)
}

var (
	bgpTemplateMenu = &menu{
		path: "routing bgp template", nameProp: "name", major: 7,
		props:    append([]*prop{{name: "name", parse: pChain, required: true}}, bgpCommon()...),
		defaults: []map[string]string{{"name": "default"}},
		// RouterOS names the built-in template by name: "set default ...".
		exportRef: func(it *item) string { return quote(it.props["name"]) },
		check:     checkUniqueName("routing bgp template", "entry with such name already exists"),
		columns:   []string{"name", "as"},
	}
	// RouterOS 6's BGP instances, and 7.20's: 7.1-7.19 have only
	// connections, templates and sessions and refuse the menu word (the
	// community.routeros Ansible collection's table of API paths: "Not
	// supported from 7.15 until reintroduced in 7.20", and no v7 menu
	// before; ver46 D5). Was taken on every 7.x, where a v6 "set default"
	// answered "no such item".
	bgpInstanceMenu = &menu{
		path: "routing bgp instance", nameProp: "name", back7: 20,
		props: []*prop{
			{name: "name", parse: pChain, required: true},
			withParse("as", "", pAS),
			onlyV7(sProp("router-id", "")),
			onlyV6(withParse("router-id", "0.0.0.0", pRouterIDv6)),
			sProp("routing-table", ""),
			sProp("vrf", ""),
			sProp("cluster-id", ""),
			comment, disabled,
		},
		check:   checkUniqueName("routing bgp instance", "entry with such name already exists"),
		columns: []string{"name", "as", "router-id"},
	}
	bgpConnectionMenu = &menu{
		path: "routing bgp connection", nameProp: "name", major: 7,
		props: append([]*prop{
			{name: "name", parse: pChain, required: true},
			sProp("instance", ""),
			bProp("connect", "yes"),
			bProp("listen", "yes"),
			{name: "tcp-md5-key", parse: pString, sensitive: true},
		}, bgpCommon()...),
		columns: []string{"name", "remote.address", "as"},
	}
	routingFilterRuleMenu = &menu{
		// Applied when a run BGP session's chain uses it (bgpUse).
		path: "routing filter rule", major: 7,
		addOnly: []string{"place-before"},
		props: []*prop{
			{name: "chain", parse: pChain, required: true},
			sProp("rule", ""),
			comment, disabled,
		},
		columns: []string{"chain", "rule"},
	}
	// routingIDMenu is modelled: an OSPF instance's or BGP session's
	// router-id may name an entry, whose id= it then takes (ospf.go,
	// bgp.go); an entry nothing names has no effect, on RouterOS too.
	routingIDMenu = &menu{
		path: "routing id", nameProp: "name", major: 7,
		props: []*prop{
			{name: "name", parse: pChain, required: true},
			withParse("id", "", pAnyIP),
			sProp("select-dynamic-id", ""),
			sProp("select-from-vrf", ""),
			comment, disabled,
		},
		// No uniqueness check: a 7.11.2 export carries the same
		// "add id=172.16.0.1 name=OSPF_ID" twice. [verify] later versions.
		columns: []string{"name", "id"},
	}
	ospfInstanceMenu = &menu{
		path: "routing ospf instance", nameProp: "name",
		// As 6.x routers print it: "Flags: X - disabled, * - default"
		// and " 0  * name="default" router-id=192.168.0.1
		// distribute-default=never redistribute-connected=no ...",
		// every property (users' 6.x console outputs in public notes).
		v6Detail: true,
		props: []*prop{
			{name: "name", parse: pChain, required: true},
			onlyV7(eProp("version", "2", "2", "3")),
			onlyV7(sProp("vrf", "main")),
			onlyV7(sProp("router-id", "main")),
			onlyV6(withParse("router-id", "0.0.0.0", pRouterIDv6)),
			withParse("routing-table", "", pRoutingTable),
			onlyV7(eProp("originate-default", "never", "never", "always", "if-installed")),
			onlyV7(sProp("redistribute", "")),
			onlyV7(sProp("in-filter-chain", "")),
			onlyV7(sProp("out-filter-chain", "")),
			onlyV7(sProp("out-filter-select", "")),
			sProp("domain-id", ""),
			sProp("domain-tag", ""),
			onlyV7(sProp("mpls-te-address", "")),
			sProp("mpls-te-area", ""),
			comment, disabled,
		},
		check:   checkUniqueName("routing ospf instance", "entry with such name already exists"),
		columns: []string{"name", "version", "router-id"},
	}
	ospfAreaMenu = &menu{
		path: "routing ospf area", nameProp: "name",
		props: []*prop{
			{name: "name", parse: pChain, required: true},
			onlyV7(&prop{name: "instance", parse: pNamed("routing ospf instance"), required: true}),
			onlyV6(namedDefault("instance", "default", "routing ospf instance")),
			withParse("area-id", "0.0.0.0", pAnyIP),
			eProp("type", "default", "default", "stub", "nssa"),
			iProp("default-cost", "1", 0, 1<<24),
			bProp("no-summaries", "no"),
			eProp("nssa-translate", "candidate", "candidate", "no", "yes"),
			comment, disabled,
		},
		check:   checkUniqueName("routing ospf area", "entry with such name already exists"),
		columns: []string{"name", "instance", "area-id", "type"},
	}
	ospfTemplateMenu = &menu{
		path: "routing ospf interface-template", major: 7,
		// Templates are matched in their order (an interface takes the
		// first that matches), and the menu is ordered (move works), so
		// add takes place-before as RouterOS's ordered menus do
		// (forum39 D9; [verify] on a 7.x router).
		addOnly: []string{"place-before"},
		props: []*prop{
			{name: "area", parse: pNamed("routing ospf area"), required: true},
			withParse("interfaces", "", pIfsOrLists),
			withParse("networks", "", pPrefixList46),
			eProp("type", "broadcast", "broadcast", "nbma", "ptp", "ptmp", "ptp-unnumbered", "virtual-link"),
			iProp("cost", "1", 1, 65535),
			iProp("priority", "128", 0, 255),
			bProp("passive", "no"),
			withParse("hello-interval", "10s", pTime),
			withParse("dead-interval", "40s", pTime),
			withParse("retransmit-interval", "5s", pTime),
			withParse("transmit-delay", "1s", pTime),
			eProp("auth", "", "", "simple", "md5", "sha1", "sha256", "sha384", "sha512"),
			sProp("auth-id", ""),
			sProp("auth-key", ""),
			withParse("instance-id", "0", pInt(0, 255)),
			sProp("vlink-neighbor-id", ""),
			sProp("vlink-transit-area", ""),
			bProp("use-bfd", "no"),
			sProp("prefix-list", ""),
			comment, disabled,
		},
		columns: []string{"area", "interfaces", "networks", "type"},
	}
	// ospfStaticNeighborMenu is RouterOS 7's list of OSPF neighbors on
	// NBMA networks (a WireGuard mesh: address=10.100.100.2%wg0).
	ospfStaticNeighborMenu = &menu{
		path: "routing ospf static-neighbor", notEnforced: ospfNBMAReason, major: 7,
		props: []*prop{
			{name: "address", parse: pString, required: true},
			{name: "area", parse: pNamed("routing ospf area"), required: true},
			withParse("instance-id", "0", pInt(0, 255)),
			withParse("poll-interval", "2m", pTime),
			comment, disabled,
		},
		columns: []string{"address", "area"},
	}
	bfdConfigMenu = &menu{
		path: "routing bfd configuration", notEnforced: bfdReason, major: 7,
		props: []*prop{
			withParse("interfaces", "", pIfsOrLists),
			withParse("addresses", "", pPrefixList46),
			withParse("min-rx", "200ms", pTime),
			withParse("min-tx", "200ms", pTime),
			iProp("multiplier", "5", 1, 255),
			bProp("forbid-bfd", "no"),
			sProp("vrf", "main"),
			comment, disabled,
		},
		columns: []string{"interfaces", "min-rx", "min-tx", "multiplier"},
	}
	radiusMenu = &menu{
		path: "radius", notEnforced: radiusReason,
		props: []*prop{
			{name: "address", parse: pAnyIP, required: true},
			withParse("service", "", pSetOrEmpty("ppp", "login", "hotspot", "wireless", "dhcp", "ipsec", "dot1x")),
			{name: "secret", parse: pString, sensitive: true},
			withParse("authentication-port", "1812", pPortNum),
			withParse("accounting-port", "1813", pPortNum),
			withParse("timeout", "300ms", pTime),
			withParse("src-address", "0.0.0.0", pAnyIP),
			sProp("realm", ""),
			sProp("domain", ""),
			sProp("called-id", ""),
			bProp("accounting-backup", "no"),
			eProp("protocol", "udp", "udp", "radsec"),
			sProp("certificate", "none"),
			onlyV7(sProp("radsec-timeout", "3s300ms")),
			onlyV7(bProp("require-message-auth", "yes")),
			comment, disabled,
		},
		columns: []string{"service", "address", "secret"},
	}
	radiusIncomingMenu = &menu{
		path: "radius incoming", single: true, notEnforced: radiusReason,
		props: []*prop{
			bProp("accept", "no"),
			withParse("port", "3799", pPortNum),
			onlyV7(sProp("vrf", "main")),
		},
	}
	layer7Menu = &menu{
		path: "ip firewall layer7-protocol", nameProp: "name", notEnforced: layer7Reason,
		props: []*prop{
			{name: "name", parse: pChain, required: true},
			sProp("regexp", ""),
			comment,
		},
		check:   checkUniqueName("ip firewall layer7-protocol", "entry with such name already exists"),
		columns: []string{"name", "regexp"},
	}
	containerMenu = &menu{
		path: "container", nameProp: "name", notEnforced: containerReason, since7: 4,
		props: []*prop{
			sProp("name", ""),
			sProp("remote-image", ""),
			sProp("file", ""),
			{name: "interface", parse: pNamed("interface veth"), required: true},
			sProp("root-dir", ""),
			sProp("mounts", ""),
			// A mount written inline, src:dst[:rw|ro] (a 7.21 export:
			// "mount=/usb-docker/app/data:/app-data:rw"). [verify] the
			// first 7.x.
			onlyV7(sProp("mount", "")),
			// How long a stop waits before the container is killed (the
			// same 7.21 export: stop-time=30s).
			onlyV7(sProp("stop-time", "")),
			sProp("envlist", ""),
			sProp("envlists", ""),
			// The mount lists of the same release that gave /container
			// mounts its list= (a tailscale container's export:
			// "envlists=tailscale interface=veth1 ... mountlists=tailscale").
			onlyV7(sProp("mountlists", "")),
			sProp("cmd", ""),
			sProp("entrypoint", ""),
			sProp("workdir", ""),
			sProp("hostname", ""),
			sProp("domain-name", ""),
			sProp("dns", ""),
			sProp("hosts", ""),
			sProp("user", ""),
			sProp("stop-signal", "15"),
			bProp("logging", "no"),
			bProp("start-on-boot", "no"),
			bProp("check-certificate", "yes"),
			sProp("layer-dir", ""),
			sProp("devices", ""),
			sProp("memory-high", "unlimited"),
			sProp("cpu-list", ""),
			sProp("shm-size", ""),
			sProp("auto-restart-interval", "none"),
			comment,
		},
		columns: []string{"name", "remote-image", "interface"},
	}
	containerConfigMenu = &menu{
		path: "container config", single: true, notEnforced: containerReason, since7: 4,
		props: []*prop{
			sProp("registry-url", ""),
			sProp("username", ""),
			{name: "password", parse: pString, sensitive: true},
			sProp("tmpdir", ""),
			sProp("layer-dir", ""),
			sProp("ram-high", "0"),
			sProp("memory-high", "unlimited"),
		},
	}
	containerMountsMenu = &menu{
		path: "container mounts", nameProp: "name", notEnforced: containerReason, since7: 4,
		props: []*prop{
			// A mount is named by name= (7.x up to 7.19) or, since the
			// release that gave containers mountlists=, by the list it
			// belongs to (list= with no name: "/container/mounts add
			// list=blocky_mounts src=disk1/blocky/cache dst=/app/cache",
			// "add list=$mountList src=... dst=/config mode=ro" of 7.2x
			// setup scripts and exports; Container page of the manual,
			// https://help.mikrotik.com/docs/display/ROS/Container).
			// One of the two is needed. [verify] the first 7.x of list=
			// without name= and of mode=.
			{name: "name", parse: pChain},
			{name: "src", parse: pString, required: true},
			{name: "dst", parse: pString, required: true},
			sProp("list", ""),
			bProp("read-only", "no"),
			onlyV7(sProp("mode", "")),
			comment,
		},
		check: func(_ *tx, it *item) error {
			if it.props["name"] == "" && it.props["list"] == "" {
				return errFailure("name", "name not specified")
			}
			return nil
		},
		columns: []string{"name", "src", "dst"},
	}
	containerEnvsMenu = &menu{
		path: "container envs", notEnforced: containerReason, since7: 4,
		props: []*prop{
			sProp("name", ""),
			sProp("list", ""),
			{name: "key", parse: pString, required: true},
			sProp("value", ""),
			comment,
		},
		columns: []string{"name", "list", "key", "value"},
	}
	diskMenu = &menu{
		path: "disk", nameProp: "slot", notEnforced: diskReason,
		props: []*prop{
			// A partition's slot is named by the router when the line
			// gives none: exports write "add parent=pcie1
			// partition-number=1 ... type=partition" without it.
			{name: "slot", parse: pChain},
			// hardware: a disk of the machine (a CHR's slotN), which
			// exports write as "set slot1 slot=slot1 type=hardware".
			// Exports always write it, tmpfs too ("add slot=tmpfs-scratch
			// tmpfs-max-size=16000000 type=tmpfs" of 7.18 and 7.23
			// exports; realcheck31 D6).
			{name: "type", parse: pEnum("tmpfs", "partition", "file", "raid", "nfs", "smb", "iscsi", "nvme-tcp", "sshfs", "hardware"), def: "tmpfs", show: true, always: true},
			sProp("tmpfs-max-size", ""),
			sProp("parent", ""),
			sProp("partition-number", ""),
			sProp("partition-offset", ""),
			sProp("partition-size", ""),
			bProp("swap", "no"),
			sProp("file-path", ""),
			sProp("file-size", ""),
			// A disk's sharing over the network (RouterOS 7.16 CHR
			// exports: media-interface=none media-sharing=no).
			onlyV7(sProp("media-interface", "none")),
			onlyV7(sProp("media-sharing", "no")),
			// A disk's mount and SMB settings (Disks page of the manual;
			// a 7.19.6 L009 verbose export writes "compress=no
			// mount-filesystem=yes !mount-point-template mount-read-only=no
			// smb-sharing=no", a 7.23 export smb-server-password="").
			onlyV7(bProp("compress", "no")),
			onlyV7(bProp("mount-filesystem", "yes")),
			onlyV7(sProp("mount-point-template", "")),
			onlyV7(bProp("mount-read-only", "no")),
			onlyV7(bProp("smb-sharing", "no")),
			onlyV7(sProp("smb-server-password", "")),
			// A network disk's remote end: the types nfs, smb, iscsi and
			// nvme-tcp were taken without the properties that say where
			// it is, and sshfs (7.17) not at all, so a 7.23.1 cAP ax's
			// "/disk add ... type=sshfs sshfs-address=..." was refused
			// "expected end of command" (realcheck30 D2). The names are
			// the /disk fields of RouterOS's API (the ansible
			// community.routeros API data: sshfs-* from 7.17, the others
			// from 7.15, its oldest /disk entry) [verify] the first 7.x of
			// the nfs, smb, iscsi and nvme-tcp ones; the manual's SSHFS
			// page gives the sshfs ones.
			onlyV7(sProp("nfs-address", "")),
			onlyV7(sProp("nfs-share", "")),
			onlyV7(sProp("smb-address", "")),
			onlyV7(sProp("smb-share", "")),
			onlyV7(sProp("smb-user", "")),
			onlyV7(&prop{name: "smb-password", parse: pString, sensitive: true}),
			onlyV7(sProp("iscsi-address", "")),
			onlyV7(sProp("iscsi-iqn", "")),
			onlyV7(sProp("iscsi-port", "")),
			onlyV7(sProp("nvme-tcp-address", "")),
			onlyV7(sProp("nvme-tcp-port", "")),
			onlyV7(sProp("nvme-tcp-host-name", "")),
			onlyV7(&prop{name: "nvme-tcp-password", parse: pString, sensitive: true}),
			sinceV7(17, sProp("sshfs-address", "")),
			sinceV7(17, sProp("sshfs-port", "")),
			sinceV7(17, sProp("sshfs-user", "")),
			sinceV7(17, &prop{name: "sshfs-password", parse: pString, sensitive: true}),
			sinceV7(17, sProp("sshfs-path", "")),
			comment, disabled,
		},
		check: checkDisk,
		// A CHR's own disks exist before any line names them: slot1,
		// slot2, ... from 7.9, disk1 in a 7.8 CHR export ("/disk set
		// disk1 slot=disk1"). [verify] the version that renamed them.
		onDemand: func(_ *tx, name string) map[string]string {
			for _, prefix := range []string{"slot", "disk"} {
				if n, ok := strings.CutPrefix(name, prefix); ok && n != "" && strings.Trim(n, "0123456789") == "" && len(n) < 4 {
					return map[string]string{"slot": name, "type": "hardware"}
				}
			}
			return nil
		},
		exportRef: func(it *item) string { return it.props["slot"] },
		columns:   []string{"slot", "type"},
	}
	diskSettingsMenu = &menu{
		path: "disk settings", single: true, notEnforced: diskReason,
		props: []*prop{
			withParse("auto-media-interface", "none", pIfOrNone),
			sProp("auto-media-sharing", "no"),
			sProp("auto-smb-sharing", "no"),
			sProp("auto-smb-user", "guest"),
			sProp("default-mount-point-template", "[slot]"),
		},
	}
	tftpMenu = &menu{
		path: "ip tftp", notEnforced: tftpReason,
		props: []*prop{
			withParse("ip-addresses", "", pAddrList4),
			sProp("req-filename", ""),
			sProp("real-filename", ""),
			bProp("allow", "yes"),
			bProp("read-only", "yes"),
			bProp("allow-rollover", "no"),
			bProp("allow-overwrite", "no"),
			comment, disabled,
		},
		columns: []string{"ip-addresses", "req-filename", "real-filename"},
	}
	tftpSettingsMenu = &menu{
		path: "ip tftp settings", single: true, notEnforced: tftpReason,
		props: []*prop{
			iProp("max-block-size", "4096", 512, 65536),
		},
	}
	accountingMenu = &menu{
		path: "ip accounting", single: true, notEnforced: accountReason,
		props: []*prop{
			bProp("enabled", "no"),
			bProp("account-local-traffic", "no"),
			iProp("threshold", "256", 0, 8192),
		},
	}
	accountingWebMenu = &menu{
		path: "ip accounting web-access", single: true, notEnforced: accountReason,
		props: []*prop{
			bProp("accessible-via-web", "no"),
			withParse("address", "0.0.0.0/0", pPrefix),
		},
	}
	snifferMenu = &menu{
		path: "tool sniffer", single: true, notEnforced: snifferReason,
		props: []*prop{
			sProp("file-name", ""),
			sProp("file-limit", "1000KiB"),
			sProp("memory-limit", "100KiB"),
			sProp("memory-scroll", "yes"),
			bProp("only-headers", "no"),
			bProp("streaming-enabled", "no"),
			withParse("streaming-server", "0.0.0.0", pAddrOrAddrPort),
			sProp("filter-stream", "no"),
			sProp("filter-interface", ""),
			sProp("filter-direction", "any"),
			sProp("filter-operator-between-entries", "or"),
			sProp("filter-mac-address", ""),
			sProp("filter-mac-protocol", ""),
			sProp("filter-ip-address", ""),
			sProp("filter-ipv6-address", ""),
			sProp("filter-src-ip-address", ""),
			sProp("filter-dst-ip-address", ""),
			sProp("filter-ip-protocol", ""),
			sProp("filter-port", ""),
			sProp("filter-src-port", ""),
			sProp("filter-dst-port", ""),
			sProp("filter-cpu", ""),
			sProp("filter-size", ""),
			sProp("filter-vlan", ""),
			sProp("quick-rows", "20"),
			sProp("quick-show-frame", "no"),
			// The rest of a 7.19 verbose export's sniffer line.
			onlyV7(sProp("filter-src-ipv6-address", "")),
			onlyV7(sProp("filter-dst-ipv6-address", "")),
			onlyV7(sProp("filter-src-mac-address", "")),
			onlyV7(sProp("filter-dst-mac-address", "")),
			onlyV7(sProp("max-packet-size", "2048")),
		},
	}
)

// pIfOrNone is an interface or "none".
func pIfOrNone(t *tx, name, v string) (string, error) {
	if v == "none" || t.ifaceExists(v) || t.findByName("interface list", v) != nil {
		return v, nil
	}
	return "", errNoMatch(name)
}

// RouterOS 6's dynamic routing: the OSPF instance "default" and area
// "backbone" every v6 router has, networks and interfaces, BGP peers
// (the BGP instance "default" too) and /routing filter rules. The menus
// of 6 only exist before 7 (before7: 1, as no 7.0 was released).
var (
	ospfNetworkV6Menu = &menu{
		path: "routing ospf network", before7: 1,
		props: []*prop{
			// Two 6.49 exports write "add area=backbone" with no
			// network: RouterOS leaves a property out of an export at
			// its default, which would be 0.0.0.0/0 (every address).
			// [verify] on 6.49 that an empty network is 0.0.0.0/0.
			{name: "network", parse: pPrefix, def: "0.0.0.0/0"},
			// Written in every export, backbone too: all 28 networks of
			// the real 6.x exports of realcheck27-33 have area=
			// (realcheck33 D6).
			writtenAlways(namedDefault("area", "backbone", "routing ospf area")),
			comment, disabled,
		},
		columns: []string{"network", "area"},
	}
	ospfInterfaceV6Menu = &menu{
		path: "routing ospf interface", before7: 1,
		props: []*prop{
			// "all" unless named: RouterOS writes a property at its
			// default by leaving it out, and 6.48 exports write "add
			// authentication=md5 network-type=broadcast" (refused
			// before as "interface not specified"; an interface since
			// removed is written as *N, not left out).
			withParse("interface", "all", pIfOrAll),
			iProp("cost", "10", 1, 65535),
			iProp("priority", "1", 0, 255),
			bProp("passive", "no"),
			eProp("network-type", "default", "default", "broadcast", "nbma", "point-to-point", "ptmp"),
			eProp("authentication", "none", "none", "simple", "md5"),
			{name: "authentication-key", parse: pString, sensitive: true},
			iProp("authentication-key-id", "1", 0, 255),
			withParse("hello-interval", "10s", pTime),
			withParse("dead-interval", "40s", pTime),
			withParse("retransmit-interval", "5s", pTime),
			withParse("transmit-delay", "1s", pTime),
			bProp("use-bfd", "no"),
			// A 6.43 verbose export writes instance-id=0 (the OSPF page of
			// the v6 manual: the instance of an interface, 0 to 255).
			iProp("instance-id", "0", 0, 255),
			comment, disabled,
		},
		columns: []string{"interface", "cost", "network-type"},
	}
	// bgpNetworkV6Menu is RouterOS 6's list of prefixes BGP originates.
	bgpNetworkV6Menu = &menu{
		path: "routing bgp network", before7: 1,
		props: []*prop{
			{name: "network", parse: pPrefix, required: true},
			bProp("synchronize", "yes"),
			comment, disabled,
		},
		columns: []string{"network", "synchronize"},
	}
	bgpPeerV6Menu = &menu{
		path: "routing bgp peer", nameProp: "name", before7: 1,
		props: []*prop{
			{name: "name", parse: pChain, required: true},
			sProp("instance", "default"),
			{name: "remote-address", parse: pAnyIP, required: true},
			// Not required: a 6.48.4 export writes "add name=CERES
			// remote-address=10.12.12.9 ttl=default", a peer without one
			// (which opens no session: bgpStored).
			{name: "remote-as", parse: pInt(0, 1<<32-1)},
			sProp("remote-port", ""),
			sProp("ttl", "default"),
			bProp("multihop", "no"),
			bProp("route-reflect", "no"),
			sProp("hold-time", "3m"),
			sProp("keepalive-time", ""),
			// The value sets of the v6 manual (Manual:Routing/BGP,
			// https://wiki.mikrotik.com/index.php?title=Manual:Routing/BGP&oldid=14309).
			eProp("nexthop-choice", "default", "default", "force-self", "propagate"),
			sProp("in-filter", ""),
			sProp("out-filter", ""),
			sProp("address-families", "ip"),
			eProp("default-originate", "never", "always", "if-installed", "never"),
			sProp("update-source", ""),
			bProp("remove-private-as", "no"),
			bProp("as-override", "no"),
			bProp("passive", "no"),
			bProp("use-bfd", "no"),
			{name: "tcp-md5-key", parse: pString, sensitive: true},
			comment, disabled,
		},
		columns: []string{"name", "instance", "remote-address", "remote-as"},
	}
	routingFilterV6Menu = &menu{
		// Applied when a run peer's or OSPF instance's chain uses it
		// (routing_v6filter.go).
		path: "routing filter", before7: 1,
		addOnly: []string{"place-before"},
		props: []*prop{
			{name: "chain", parse: pChain, required: true},
			eProp("action", "passthrough", "accept", "discard", "jump", "log", "passthrough", "reject", "return"),
			sProp("jump-target", ""),
			sProp("prefix", ""),
			sProp("prefix-length", ""),
			sProp("match-chain", ""),
			sProp("protocol", ""),
			sProp("distance", ""),
			sProp("bgp-as-path", ""),
			sProp("bgp-communities", ""),
			sProp("set-distance", ""),
			sProp("set-bgp-local-pref", ""),
			sProp("set-bgp-prepend", ""),
			sProp("set-bgp-communities", ""),
			sProp("set-pref-src", ""),
			sProp("set-route-comment", ""),
			sProp("set-routing-mark", ""),
			sProp("set-check-gateway", ""),
			sProp("set-type", ""),
			sProp("invert-match", "no"),
			// The rest of the matchers and setters the v6 manual lists
			// (Manual:Routing/Routing filters). A 6.49 CHR export writes
			// "add action=discard chain=ospf-in ospf-type=intra-area"; the
			// rule is stored like every other, no filter runs.
			eProp("ospf-type", "", "external-type-1", "external-type-2", "inter-area", "intra-area", "nssa-external-type-1", "nssa-external-type-2"),
			sProp("address-family", ""),
			sProp("scope", ""),
			sProp("target-scope", ""),
			sProp("pref-src", ""),
			sProp("routing-mark", ""),
			sProp("route-comment", ""),
			sProp("route-tag", ""),
			sProp("route-targets", ""),
			sProp("site-of-origin", ""),
			sProp("bgp-as-path-length", ""),
			sProp("bgp-weight", ""),
			sProp("bgp-local-pref", ""),
			sProp("bgp-med", ""),
			eProp("bgp-atomic-aggregate", "", "absent", "present"),
			sProp("bgp-origin", ""),
			sProp("locally-originated-bgp", ""),
			sProp("append-bgp-communities", ""),
			sProp("append-route-targets", ""),
			sProp("set-scope", ""),
			sProp("set-target-scope", ""),
			sProp("set-in-nexthop", ""),
			sProp("set-in-nexthop-direct", ""),
			sProp("set-in-nexthop-ipv6", ""),
			sProp("set-in-nexthop-linklocal", ""),
			sProp("set-out-nexthop", ""),
			sProp("set-out-nexthop-ipv6", ""),
			sProp("set-disabled", ""),
			sProp("set-route-tag", ""),
			sProp("set-use-te-nexthop", ""),
			sProp("set-route-targets", ""),
			sProp("set-site-of-origin", ""),
			sProp("set-bgp-weight", ""),
			sProp("set-bgp-prepend-path", ""),
			sProp("set-bgp-med", ""),
			comment, disabled,
		},
		columns: []string{"chain", "action", "prefix"},
	}
)

func init() {
	// The v6 shapes of the instance, area and BGP instance menus: the
	// built-in items RouterOS 6 has and their properties.
	// The value sets of the v6 manual (Manual:Routing/OSPF,
	// https://wiki.mikrotik.com/index.php?oldid=9477&title=Manual%3ARouting%2FOSPF):
	// as free text "redistribute-connected=yes" was taken and acted on
	// (forum39 D1), where RouterOS 6 refuses it.
	for _, n := range []string{"redistribute-connected", "redistribute-static", "redistribute-ospf", "redistribute-bgp", "redistribute-rip", "redistribute-other-ospf"} {
		ospfInstanceMenu.props = append(ospfInstanceMenu.props, onlyV6(eProp(n, "no", "as-type-1", "as-type-2", "no")))
	}
	ospfInstanceMenu.props = append(ospfInstanceMenu.props, onlyV6(eProp("distribute-default", "never", "never", "if-installed-as-type-1", "if-installed-as-type-2", "always-as-type-1", "always-as-type-2")))
	ospfInstanceMenu.props = append(ospfInstanceMenu.props, onlyV6(sProp("metric-default", "1")), onlyV6(sProp("metric-connected", "20")),
		onlyV6(sProp("metric-static", "20")), onlyV6(sProp("metric-bgp", "auto")), onlyV6(sProp("in-filter", "ospf-in")), onlyV6(sProp("out-filter", "ospf-out")))
	ospfInstanceMenu.defaults, ospfInstanceMenu.defaultsV6Only, ospfInstanceMenu.readonly = []map[string]string{{"name": "default"}}, true, v6DefaultFlag
	ospfAreaMenu.defaults, ospfAreaMenu.defaultsV6Only, ospfAreaMenu.readonly = []map[string]string{{"name": "backbone"}}, true, v6DefaultFlag
	ospfAreaMenu.props = append(ospfAreaMenu.props, onlyV6(bProp("inject-summary-lsas", "yes")), onlyV6(sProp("translator-role", "translate-candidate")))
	bgpInstanceMenu.props = append(bgpInstanceMenu.props, onlyV6(bProp("redistribute-connected", "no")), onlyV6(bProp("redistribute-static", "no")),
		onlyV6(bProp("redistribute-ospf", "no")), onlyV6(bProp("client-to-client-reflection", "yes")), onlyV6(sProp("out-filter", "")))
	// The rest of RouterOS 6's BGP instance and OSPF instance, as 6.43
	// verbose exports write them.
	bgpInstanceMenu.props = append(bgpInstanceMenu.props, onlyV6(bProp("redistribute-rip", "no")), onlyV6(bProp("redistribute-other-bgp", "no")),
		onlyV6(bProp("ignore-as-path-len", "no")), onlyV6(sProp("confederation", "")), onlyV6(sProp("confederation-peers", "")))
	ospfInstanceMenu.props = append(ospfInstanceMenu.props, onlyV6(sProp("metric-other-ospf", "auto")), onlyV6(sProp("metric-rip", "20")),
		onlyV6(sProp("routing-table", "")), onlyV6(sProp("use-dn", "")), onlyV6(sProp("mpls-te-router-id", "")))
	bgpInstanceMenu.defaults, bgpInstanceMenu.defaultsV6Only, bgpInstanceMenu.readonly = []map[string]string{{"name": "default", "as": "65530"}}, true, v6DefaultFlag
	insertMenus("ip route", ospfNetworkV6Menu, ospfInterfaceV6Menu, bgpNetworkV6Menu, bgpPeerV6Menu, routingFilterV6Menu)
	flagProps(ospfTemplateMenu, "passive", "use-bfd")
	bareFlags(ospfTemplateMenu, "passive")
	flagProps(ospfAreaMenu, "no-summaries")
	insertMenus("interface list member", containerMountsMenu, containerEnvsMenu, diskMenu)
	// After /routing table: an OSPF instance may name a table.
	insertMenus("routing table", bgpInstanceMenu, bgpTemplateMenu, routingIDMenu, ospfInstanceMenu, ospfAreaMenu)
	insertMenus("ip firewall address-list", layer7Menu)
	insertMenus("ip route", accountingMenu, accountingWebMenu, tftpMenu, tftpSettingsMenu, radiusMenu, radiusIncomingMenu,
		bfdConfigMenu, bgpConnectionMenu, routingFilterRuleMenu, ospfTemplateMenu, ospfStaticNeighborMenu, containerMenu, containerConfigMenu, diskSettingsMenu)
	insertMenus("system script", snifferMenu)
}

// pAddrOrAddrPort is an address, or an address and port as RouterOS 7
// writes the sniffer's streaming server ("0.0.0.0:37008").
func pAddrOrAddrPort(t *tx, name, v string) (string, error) {
	if ap, err := netip.ParseAddrPort(v); err == nil {
		return ap.String(), nil
	}
	return pAnyIP(t, name, v)
}

// bgpRoles are the values of local.role on the BGP page of the manual
// (https://help.mikrotik.com/docs/display/ROS/BGP).
var bgpRoles = []string{"ebgp", "ebgp-customer", "ebgp-peer", "ebgp-provider", "ebgp-rs", "ebgp-rs-client", "ibgp", "ibgp-rr", "ibgp-rr-client"}

// pBGPRole is one of bgpRoles, or empty (unset).
func pBGPRole(t *tx, name, v string) (string, error) {
	if v == "" {
		return v, nil
	}
	return pEnum(bgpRoles...)(t, name, v)
}

// pAS is a BGP AS number as the BGP page of the manual describes "as":
// "integer [0..4294967295] ... entered in AS-Plain and AS-Dot formats",
// or confederation_as/as ("as=43/34"). Empty is unset. Whether RouterOS
// refuses 0 is [verify]: the manual's range includes it.
func pAS(_ *tx, name, v string) (string, error) {
	if v == "" {
		return v, nil
	}
	conf, as, confed := strings.Cut(v, "/")
	if !confed {
		as = conf
	}
	if _, ok := asNumber(as); !ok {
		return "", errInvalid(name)
	}
	if _, ok := asNumber(conf); confed && !ok {
		return "", errInvalid(name)
	}
	return v, nil
}

// pRouterIDv6 is RouterOS 6's router id: an IPv4 address (the OSPF and
// BGP instance pages of the v6 manual; "router-id=0.0.0.0", the default,
// in a 6.43 verbose export). RouterOS 7 also takes the name of a
// /routing id entry ("main"), so its router-id stays free text.
func pRouterIDv6(_ *tx, name, v string) (string, error) {
	if a, err := netip.ParseAddr(v); err != nil || !a.Is4() {
		return "", errInvalid(name)
	}
	return v, nil
}

// pAddPathAFI is an ADD-PATH list of address families: ip, ipv6 or both,
// or empty for none.
func pAddPathAFI(_ *tx, name, v string) (string, error) {
	if v == "" {
		return v, nil
	}
	for _, f := range strings.Split(v, ",") {
		if f != "ip" && f != "ipv6" {
			return "", errInvalid(name)
		}
	}
	return v, nil
}

// checkDisk names a partition that came without a slot after its parent
// and number (pcie1-part1 [verify] RouterOS's own naming), refuses any
// other entry without one in RouterOS's words, and keeps slots unique.
func checkDisk(t *tx, it *item) error {
	if it.props["slot"] == "" && it.props["type"] == "sshfs" && it.props["sshfs-address"] != "" {
		// RouterOS names an sshfs disk after its address and path: the
		// manual's SSHFS page gives sshfs-192-168-88-1--srv-files for
		// 192.168.88.1 and /srv/files.
		it.props["slot"] = "sshfs-" + strings.ReplaceAll(it.props["sshfs-address"], ".", "-") + "-" + strings.ReplaceAll(it.props["sshfs-path"], "/", "-")
	}
	if it.props["slot"] == "" {
		if it.props["type"] != "partition" || it.props["parent"] == "" {
			return errFailure("slot", "slot not specified")
		}
		it.props["slot"] = it.props["parent"] + "-part" + vOr(it.props["partition-number"], "1")
	}
	return checkUniqueProp("disk", "slot", "slot with such name already exists")(t, it)
}
