package check

import (
	"fmt"
	"net/netip"
	"slices"
	"sort"
	"strings"

	"github.com/chrlab/chrlab/harness/export"
)

// Fix is the smallest change the diagnosis proposes, as .rsc lines a user
// can paste, with the forum method it follows.
type Fix struct {
	Method string   // "2: src-nat hairpin rule", ...
	Lines  []string // the .rsc to paste, in order
	Why    []string // which finding each part answers
	// For lists, per line, the forwards (indexes into Plan.Forwards) it
	// answers, so that a report can show each forward its own lines.
	For [][]int
	// None is set when the export's problem cannot be fixed on this router
	// (no public address): it says what can be done instead.
	None string
	// Untried are the lines (indexes into Lines) the lab left out of its
	// fix step, because the lab router refuses them: the lab did not try
	// them, and its phase "with the fix" ran without them (Run sets it).
	Untried []int
}

// foldUnsets moves a set line that only unsets a matcher (" !src-port")
// into another set line of the same rule: each line finds the rule by all
// its values, so after a separate "set ... !src-port" the other line's
// find, which still names src-port=, would match nothing (realcheck20 D3:
// the lab's fix kept src-port= on the forward).
func (fx *Fix) foldUnsets(unset string) {
	for i := 0; i < len(fx.Lines); i++ {
		sel, ok := strings.CutSuffix(fx.Lines[i], unset)
		if !ok || !strings.HasPrefix(sel, "/ip firewall nat set ") {
			continue
		}
		for j := range fx.Lines {
			if j == i || !strings.HasPrefix(fx.Lines[j], sel+" ") {
				continue
			}
			fx.Lines[j] = sel + unset + strings.TrimPrefix(fx.Lines[j], sel)
			fx.Why[j] += "; " + fx.Why[i]
			for _, fw := range fx.For[i] {
				fx.For[j] = addForward(fx.For[j], fw)
			}
			fx.Lines = slices.Delete(fx.Lines, i, i+1)
			fx.Why = slices.Delete(fx.Why, i, i+1)
			fx.For = slices.Delete(fx.For, i, i+1)
			i--
			break
		}
	}
}

// lanList is the address list the fixes fill with the router's LAN
// subnets, as method 4's "allsubnets" variant does.
const lanList = "hairpin-lan"

// Propose chooses, for the findings, the fix a forum regular would write:
// the src-nat hairpin rule (method 2) where a segment hairpins to itself,
// dst-address-type=local with the LAN subnets excluded (method 4) where a
// forward is bound to the WAN interface or names a dynamic WAN's address,
// a narrower masquerade where one hides internet clients, and an accept
// for DSTNATed connections before a forward rule that drops them.
func (p *Plan) Propose(found []Finding) Fix {
	var fx Fix
	methods := map[string]bool{}
	needList := false
	done := map[string]int{}
	cur := -1 // the forward of the finding being answered
	var listUsers []int
	p.fixAdds = nil
	defer func() { p.fixAdds = nil }()
	add := func(key, why, line string) {
		if at, ok := done[key]; ok {
			fx.For[at] = addForward(fx.For[at], cur)
			return
		}
		done[key] = len(fx.Lines)
		p.noteFixAdd(line)
		fx.Lines = append(fx.Lines, line)
		fx.Why = append(fx.Why, why)
		fx.For = append(fx.For, addForward(nil, cur))
	}
	dynamic := false
	for _, w := range p.WANs {
		dynamic = dynamic || w.Kind != "static"
	}
	// The paths each forward filter drop stops: a drop that stops only
	// hairpinned traffic gets an accept for the LAN segments it stops,
	// not one for every DSTNATed connection (that would also open a
	// forward the drop keeps from the internet: an accept of dstnat from
	// an office list above a drop of every other dstnat).
	dropsWAN := map[int]bool{}
	for _, f := range found {
		if (f.Cause == ForwardDrops || f.Cause == ForwardDropsWAN) && !strings.HasPrefix(f.Path, "hairpin:") {
			dropsWAN[f.Line] = true
		}
	}
	// A forward whose traffic an earlier dst-nat sends elsewhere (two
	// rules for one port, an old server's and a new one's) is a conflict
	// only the user can settle: fix lines for its other paths would
	// rewrite the rule that still loses, and could make both rules match
	// the LAN alike. It gets none, unless the earlier rule is a wider
	// range the forward's fewer ports can move above (earlierFix).
	shadowed := map[int]bool{}
	for _, f := range found {
		if f.Cause != EarlierRule {
			continue
		}
		if f.Forward >= 0 && f.Forward < len(p.Forwards) {
			if _, _, _, ok := p.earlierFix(&p.Forwards[f.Forward], f); ok {
				continue
			}
		}
		for _, c := range p.export.Commands {
			if c.Line == f.Line && c.MenuPath() == "ip firewall nat" {
				if a := c.Value("action"); a == "dst-nat" || a == "netmap" || a == "redirect" {
					shadowed[f.Forward] = true
				}
			}
		}
	}
	// A forward with no destination that takes both the LAN's traffic to
	// the internet and the router's own address gets method 4 in one line
	// (dst-address-type=local with the LAN guard), not two set lines on
	// the one rule.
	ownAndInternet := map[int]bool{}
	for _, f := range found {
		if f.Cause == TakesOwnAddress && slices.ContainsFunc(found, func(g Finding) bool { return g.Cause == TakesInternet && g.Forward == f.Forward }) {
			ownAndInternet[f.Forward] = true
		}
	}
	both := func(fw *Forward) (key, line string) {
		sel := p.selector(fw)
		return "dst-type " + sel, fmt.Sprintf("/ip firewall nat set %s dst-address-type=local dst-address-list=!%s", sel, lanList)
	}
	for _, f := range found {
		var fw *Forward
		if f.Forward >= 0 && f.Forward < len(p.Forwards) {
			fw = &p.Forwards[f.Forward]
		}
		if shadowed[f.Forward] {
			continue
		}
		cur = f.Forward
		if f.Enable != 0 {
			// A disabled rule the user wrote for this already does it.
			if c := p.commandAt(f.Enable); c != nil {
				methods["enable the disabled rule"] = true
				add("enable "+fmt.Sprint(f.Enable), string(f.Cause), fmt.Sprintf("/%s enable %s", c.MenuPath(), p.ruleSelector(f.Enable)))
				continue
			}
		}
		switch f.Cause {
		case NoPublicAddress:
			fx.None = p.remedyOutside()
		case NoHairpin, HairpinTCPOnly, HairpinPublicPort, HairpinPublicAddress, HairpinOutWAN, HairpinOutParent, HairpinOutPort:
			methods["2: src-nat hairpin rule"] = true
			key, line := hairpinFor(p.segmentOf(fw.ToAddr), fw)
			add(key, string(f.Cause), line)
		case RoutedServerHairpin:
			// The hairpin goes on the segment of the clients the second
			// router answers directly, towards the server behind it.
			for k := range p.Segments {
				if s := &p.Segments[k]; "hairpin:"+s.Interface == f.Path {
					methods["2: src-nat hairpin rule"] = true
					key, line := hairpinFor(s, fw)
					add(key, string(f.Cause), line)
				}
			}
		case LANAddrNotHeld:
			// The router takes the address, so it answers ARP for it
			// and the LAN's packets to it pass the dst-nat.
			if a, err := netip.ParseAddr(fw.cmd.Value("dst-address")); err == nil {
				if s := p.segmentOf(a); s != nil {
					methods["the address on the router"] = true
					add("addr "+a.String(), string(f.Cause), fmt.Sprintf("/ip address add address=%s/%d interface=%s comment=%s", a, s.Prefix.Bits(), export.Quote(s.Interface), export.Quote("taken over for "+fw.ToAddr.String())))
				}
			}
		case SrcNATAcceptFirst:
			// The hairpin rule goes above the accept that exempts the
			// connection; the accept stays for the traffic it was
			// written for.
			methods["2: src-nat hairpin rule"] = true
			key, line := hairpinFor(p.segmentOf(fw.ToAddr), fw)
			add(key, string(f.Cause), line+" place-before="+p.ruleSelector(f.Line))
		case BoundToWAN, LiteralWAN, EmptyList, LANDstAddress, SourceExcluded, DstAddressGone:
			if fw.cmd != nil && matchedPorts(fw.cmd) == "" && fw.cmd.Value("connection-mark") == "" &&
				(fw.cmd.Value("action") == "dst-nat" || fw.cmd.Value("action") == "netmap" && fw.cmd.Value("dst-address") == "" && fw.cmd.Value("dst-address-list") == "") {
				// A dst-nat of every port is never widened to the
				// router's addresses (unbound from its interface, or
				// given dst-address-type=local or the WAN address): it
				// would take every connection to the router's public
				// address, its own WinBox, SSH and VPN servers included,
				// since dstnat comes before the input chain (NAT,
				// https://help.mikrotik.com/docs/spaces/ROS/pages/3211299/NAT).
				// The finding stands without a fix (realcheck26 D2: the
				// fix turned an IPTV decoder into the router's DMZ host
				// and took its WinBox). A netmap of every port and every
				// address (a DMZ written as netmap) is the same (forum53
				// D5); one of named public addresses is only unbound below.
				continue
			}
			if f.Cause == LANDstAddress && fw.cmd != nil && matchedPorts(fw.cmd) == "" && fw.cmd.Value("action") == "dst-nat" {
				// A dst-nat of a LAN address with no port (an alias of
				// one LAN host for another) is no port forward: moved to
				// the router's addresses it would take every port of
				// them, the router's services and the forwards below it
				// (a 6.34 export's fix made two of them refused).
				continue
			}
			if j := fw.jump; f.Cause == BoundToWAN && j != nil && f.Line == j.Line {
				// The jump into the forwards' chain is bound to the WAN:
				// a second jump lets the LAN in through the public
				// address (method 4: the router's addresses, the LAN
				// subnets excluded).
				methods["4: dst-address-type=local, LAN subnets excluded"] = true
				needList = true
				listUsers = addForward(listUsers, cur)
				add("jump "+fmt.Sprint(j.Line), string(f.Cause), fmt.Sprintf("/ip firewall nat add chain=dstnat action=jump jump-target=%s dst-address-type=local dst-address-list=!%s comment=%s place-before=%s",
					export.Quote(j.Value("jump-target")), lanList, export.Quote("from the LAN: into "+j.Value("jump-target")), p.ruleSelector(j.Line)))
				continue
			}
			if w := p.wanMissingFrom(fw.cmd.Value("in-interface-list")); f.Cause == BoundToWAN && f.Path == "internet" && w != "" {
				// The WAN list holds the port under the PPPoE client, not
				// the client: the forward, defconf's masquerade and its
				// "drop all from WAN not DSTNATed" all miss the PPPoE
				// link. The client joins the list; the LAN's path, if
				// broken, gets its own line.
				if wi := p.wanOfInterface(w); p.listHoldsPortOf(fw.cmd.Value("in-interface-list"), w) != "" && (wi < 0 || p.WANs[wi].Kind == "pppoe") {
					methods["the PPPoE interface in the WAN list"] = true
				} else if p.listHoldsPortOf(fw.cmd.Value("in-interface-list"), w) != "" {
					// A bridge (or VLAN) over the listed port holds the WAN's address.
					methods["the WAN's interface (over the listed port) in the WAN list"] = true
				} else {
					methods["the WAN port in the WAN list"] = true
				}
				l := fw.cmd.Value("in-interface-list")
				add("member "+l+" "+w, string(f.Cause), fmt.Sprintf("/interface list member add interface=%s list=%s", export.Quote(w), export.Quote(l)))
				continue
			}
			if f.Cause == BoundToWAN && p.selective(*fw) {
				// One WAN's forward by design: keep it there, and give the
				// LAN a rule of its own.
				line, list := p.lanCopy(fw)
				methods["4: dst-nat from the LAN subnets to the WAN address"] = true
				needList = needList || list
				add("lan "+p.selector(fw), string(f.Cause), line)
				continue
			}
			if l := fw.cmd.Value("dst-address-list"); f.Cause == BoundToWAN && l != "" && !strings.HasPrefix(l, "!") && !listTrouble(found, f.Forward) &&
				fw.cmd.Value("dst-address") == "" {
				// The rule's own list holds the WAN's address (IP Cloud's
				// name, a lease script's entry): it already matches the
				// LAN's connections to the public address once the
				// interface binding goes. Replacing it with
				// dst-address-type=local would drop what the user keeps.
				var unset []string
				for _, k := range []string{"in-interface", "in-interface-list"} {
					if fw.cmd.Value(k) != "" {
						unset = append(unset, "!"+k)
					}
				}
				methods["the forward's own address list, unbound from the WAN"] = true
				add("list "+p.selector(fw), string(f.Cause), fmt.Sprintf("/ip firewall nat set %s %s", p.selector(fw), strings.Join(unset, " ")))
				continue
			}
			sel := p.selector(fw)
			unset := []string{}
			for _, k := range []string{"in-interface", "in-interface-list", "dst-address"} {
				if fw.cmd.Value(k) != "" {
					unset = append(unset, "!"+k)
				}
			}
			if f.Cause == SourceExcluded {
				// The negated source goes: the LAN's traffic to the
				// internet is kept off by the destination the fix
				// gives the rule instead.
				for _, k := range []string{"src-address", "src-address-list"} {
					if strings.HasPrefix(fw.cmd.Value(k), "!") {
						unset = append([]string{"!" + k}, unset...)
					}
				}
			}
			if lo, hi, ok := addrSpan(fw.cmd.Value("dst-address")); ok && f.Cause == BoundToWAN && p.publicSpan(lo, hi) && len(unset) > 1 {
				// The rule names a static public address already (or a
				// range or block of them, a netmap's): only the interface
				// binding goes. Widening it to
				// dst-address-type=local would hand a second address's
				// 1:1 netmap (no port) every address of the router.
				methods["3: dst-nat on the static WAN address"] = true
				add("static "+sel, string(f.Cause), fmt.Sprintf("/ip firewall nat set %s %s", sel, strings.Join(unset[:len(unset)-1], " ")))
				continue
			}
			// Method 3 names one address: a forward meant for several WANs
			// would be narrowed to the first one's and lost on the others.
			if dynamic || f.Cause == LiteralWAN || f.Cause == EmptyList || f.Cause == LANDstAddress && len(p.wansOf(*fw)) != 1 || len(p.Segments) > 1 || len(p.wansOf(*fw)) > 1 {
				if others := p.laterOwnAddrForwards(fw); len(others) > 0 {
					// A later forward of the same port on another of the
					// router's own addresses: widened to every local
					// address, this rule would take that one's traffic
					// (forum69 C1: the fix of a forward on the lease made
					// the forward on the second address lose it). One
					// such address is left out with dst-address=!; more
					// than one cannot be written on the rule: no fix.
					if len(others) > 1 || fw.cmd.Value("dst-address-list") != "" {
						continue
					}
					unset = slices.DeleteFunc(unset, func(u string) bool { return u == "!dst-address" })
					unset = append(unset, "dst-address=!"+others[0].String())
				}
				methods["4: dst-address-type=local, LAN subnets excluded"] = true
				needList = true
				listUsers = addForward(listUsers, cur)
				add("local "+sel, string(f.Cause), fmt.Sprintf("/ip firewall nat set %s %s", sel, strings.Join(append(unset, "dst-address-type=local", "dst-address-list=!"+lanList), " ")))
			} else {
				methods["3: dst-nat on the static WAN address"] = true
				// dst-address is set, not unset and set in one command.
				unset = slices.DeleteFunc(unset, func(u string) bool { return u == "!dst-address" })
				add("static "+sel, string(f.Cause), strings.Join(slices.DeleteFunc([]string{"/ip firewall nat set", sel, strings.Join(unset, " "), "dst-address=" + p.WANs[0].Address.Addr().String()}, func(s string) bool { return s == "" }), " "))
			}
		case SrcPortClient:
			methods["the dst-nat without src-port"] = true
			add("srcport "+p.selector(fw), string(f.Cause), fmt.Sprintf("/ip firewall nat set %s !src-port", p.selector(fw)))
		case SrcAddressLAN:
			methods["the dst-nat without src-address"] = true
			add("src "+p.selector(fw), string(f.Cause), fmt.Sprintf("/ip firewall nat set %s !src-address", p.selector(fw)))
		case EarlierRule:
			if key, line, method, ok := p.earlierFix(fw, f); ok {
				methods[method] = true
				add(key, string(f.Cause), line)
			}
		case FilterPortUnder:
			rule := p.commandAt(f.Line)
			if rule == nil {
				continue
			}
			wan := ""
			if wi := p.wanOfInterface(strings.TrimPrefix(strings.TrimPrefix(f.Path, "internet via "), "internet")); wi >= 0 {
				wan = p.WANs[wi].Interface
			} else if fw != nil {
				for _, wi := range p.wansOf(*fw) {
					if p.WANs[wi].Kind == "pppoe" {
						wan = p.WANs[wi].Interface
					}
				}
			}
			if wan == "" {
				continue
			}
			methods["the forward accept bound to the PPPoE interface"] = true
			if l := rule.Value("in-interface-list"); l != "" {
				add("member "+l+" "+wan, string(f.Cause), fmt.Sprintf("/interface list member add interface=%s list=%s", export.Quote(wan), export.Quote(l)))
				continue
			}
			add("accept on "+fmt.Sprint(f.Line), string(f.Cause), fmt.Sprintf("/ip firewall filter set %s in-interface=%s", p.ruleSelector(f.Line), export.Quote(wan)))
		case LANResolverDropped, RedirectInputDropped, LANQueriesDropped:
			// The segment's DNS alone is let in, not all the LAN list
			// allows (a guest VLAN kept off the LAN list on purpose
			// stays off WinBox and the rest).
			seg := strings.TrimPrefix(f.Path, lanDNSPrefix)
			if list, ok := p.defconfLANDrop(f.Line, seg); ok {
				methods["the segment's interface in the LAN list that defconf's input drop spares"] = true
				add("member "+list+" "+seg, string(f.Cause), fmt.Sprintf("/interface list member add interface=%s list=%s", export.Quote(seg), export.Quote(list)))
				continue
			}
			methods["the segment's DNS queries to the router accepted"] = true
			for _, proto := range []string{"udp", "tcp"} {
				add("dns in "+seg+" "+proto, string(f.Cause),
					fmt.Sprintf("/ip firewall filter add chain=input action=accept in-interface=%s protocol=%s dst-port=53 comment=%s place-before=%s",
						export.Quote(seg), proto, export.Quote("DNS from "+seg), p.ruleSelector(f.Line)))
			}
		case UpstreamAnswersDropped:
			methods["accept established connections above the input drop"] = true
			add("input answers "+fmt.Sprint(f.Line), string(f.Cause),
				fmt.Sprintf("/ip firewall filter add chain=input action=accept connection-state=established,related comment=%s place-before=%s",
					export.Quote("accept answers"), p.ruleSelector(f.Line)))
		case RedirectNoResolver, DHCPResolverOff:
			methods["the router answers the LAN's DNS"] = true
			add("dns remote", string(f.Cause), "/ip dns set allow-remote-requests=yes")
			// Turned on for the LAN, the resolver answers the internet too
			// where the input chain lets the WAN's queries in: the fix
			// made an open resolver of a router without a WAN drop
			// (forum51 D2). Drop them above whatever accepts them.
			if iface, before, ok := p.wanDNSGuard(); ok {
				for _, proto := range []string{"udp", "tcp"} {
					line := fmt.Sprintf("/ip firewall filter add chain=input action=drop in-interface=%s protocol=%s dst-port=53 comment=%s",
						export.Quote(iface), proto, export.Quote("no DNS from the WAN"))
					if before > 0 {
						line += " place-before=" + p.ruleSelector(before)
					}
					add("dns wan "+proto, string(f.Cause), line)
				}
			}
		case RecursiveScope:
			methods["scope=10 on the route to the recursive gateway, target-scope=11 on the recursive route"] = true
			for _, l := range p.recursiveScopeFix(f.Line) {
				add(l[0], string(f.Cause), l[1])
			}
		case NoDefaultRoute:
			if key, line, ok := p.noDefaultRouteFix(); ok {
				methods["a default route by the WAN's gateway"] = true
				add(key, string(f.Cause), line)
			}
		case NoMasquerade, LANSrcNATUnheld:
			// Each WAN the LAN leaves by: default routes of equal
			// distance take the LAN's connections out of each of theirs.
			wans := p.lanOutWANs()
			if f.Cause == LANSrcNATUnheld && len(wans) > 1 {
				wans = wans[:1]
			}
			for _, wi := range wans {
				key, line, ok := p.lanOutFix(f, wi)
				if !ok {
					continue
				}
				if strings.HasPrefix(key, "member ") {
					methods["the WAN port in the WAN list"] = true
				} else if strings.HasPrefix(key, "address ") {
					methods["the src-nat's address on the WAN"] = true
				} else {
					methods["masquerade for the LAN"] = true
				}
				add(key, string(f.Cause), line)
			}
		case TakesInternet:
			methods["4: dst-address-type=local, LAN subnets excluded"] = true
			key, line := p.takesInternetFix(fw)
			if ownAndInternet[f.Forward] && fw.cmd.Value("dst-address-list") == "" {
				needList = true
				listUsers = addForward(listUsers, cur)
				key, line = both(fw)
			}
			add(key, string(f.Cause), line)
		case TakesOwnAddress:
			if fw.cmd.Value("dst-address-list") != "" {
				// Its own list would be replaced: a list of the WAN's
				// name made a list of "everything but the LAN", which
				// sends every site on the internet to the server.
				continue
			}
			methods["4: dst-address-type=local, LAN subnets excluded"] = true
			needList = true
			listUsers = addForward(listUsers, cur)
			if ownAndInternet[f.Forward] {
				key, line := both(fw)
				add(key, string(f.Cause), line)
				continue
			}
			add("local "+p.selector(fw), string(f.Cause), fmt.Sprintf("/ip firewall nat set %s dst-address-list=!%s", p.selector(fw), lanList))
		case HidesClients:
			if r := p.commandAt(f.Line); r != nil && p.towardLAN(r) != "" {
				// Written for the LAN side (out-interface the server's
				// segment, dst-address the server): moved to a WAN it
				// never matches, since a connection to the server never
				// leaves by a WAN, and the set lines removed it without
				// saying so (realcheck33 C4). The finding's detail says
				// what the rule may be for; no fix line.
				continue
			}
			// The masquerade being narrowed may be the only thing that
			// made hairpins work (it also took LAN to LAN): every
			// forward gets its hairpin rule with it.
			for i := range p.Forwards {
				if seg := p.segmentOf(p.Forwards[i].ToAddr); seg != nil && seg.Port != "" {
					prev := cur
					cur = i
					methods["2: src-nat hairpin rule"] = true
					key, line := hairpinFor(seg, &p.Forwards[i])
					add(key, string(NoHairpin), line)
					cur = prev
				}
			}
			methods["narrow masquerade"] = true
			// Every WAN keeps its masquerade (narrowMasquerade). Its set
			// goes before the hairpin rules the fix adds (below), so its
			// selector need not tell them apart.
			adds := p.fixAdds
			p.fixAdds = nil
			lines := p.narrowMasquerade(f.Line)
			p.fixAdds = adds
			if len(lines) == 0 {
				continue
			}
			// Before every hairpin masquerade of the fix: the set's find
			// (action=masquerade and chain=srcnat, the rule as written)
			// matches them too, and bound them to the WAN, so that every
			// hairpin failed with the fix (a 6.34 export's 5 forwards).
			pos := slices.IndexFunc(fx.Lines, func(l string) bool {
				return strings.HasPrefix(l, "/ip firewall nat add chain=srcnat action=masquerade ")
			})
			for k, line := range lines {
				key := fmt.Sprintf("narrow %d %s", k, f.Rule)
				if _, ok := done[key]; ok || pos < 0 {
					add(key, string(f.Cause), line)
					continue
				}
				for k, v := range done {
					if v >= pos {
						done[k] = v + 1
					}
				}
				done[key] = pos
				p.noteFixAdd(line)
				fx.Lines = slices.Insert(fx.Lines, pos, line)
				fx.Why = slices.Insert(fx.Why, pos, string(f.Cause))
				fx.For = slices.Insert(fx.For, pos, addForward(nil, cur))
				pos++
			}
		case PCCAnswers:
			wi := p.wanOfInterface(strings.TrimPrefix(f.Path, "internet via "))
			if wi < 0 {
				continue
			}
			var rule *export.Command
			for _, c := range p.export.Commands {
				if c.Line == f.Line {
					rule = c
				}
			}
			if rule == nil {
				continue
			}
			if key, line, ok := p.pccFix(wi, rule); ok {
				methods["mark connections by the WAN they came in on, before PCC"] = true
				add(key, string(f.Cause), line)
				// Every classifier of the export that lacks it, not only
				// the one the answer met: the others take the rest.
				for _, c := range p.export.Commands {
					if c.MenuPath() == "ip firewall mangle" && c.Verb == "add" && c.Value("chain") == "prerouting" && c.Value("action") == "mark-connection" &&
						c.Value("per-connection-classifier") != "" && enabled(c) && p.keeper(p.export)(c) {
						if key, line, ok := p.pccNoMarkFix(c); ok {
							add(key, string(f.Cause), line)
						}
					}
				}
			}
		case RepliesOtherWAN, RepliesTunnel, RuleSendsAnswers:
			wi := p.wanOfInterface(strings.TrimPrefix(f.Path, "internet via "))
			seg := p.segmentOf(fw.ToAddr)
			if wi < 0 || seg == nil {
				continue
			}
			keys, lines, ok := p.replyRouteFix(wi, seg)
			if !ok {
				continue
			}
			if f.Cause == RuleSendsAnswers {
				key, line, ok := p.markRuleFix(wi)
				if !ok {
					continue
				}
				keys, lines = append(keys, key), append(lines, line)
			}
			methods["answers routed back through the WAN they came in on"] = true
			for k := range keys {
				add(keys[k], string(f.Cause), lines[k])
			}
			if sel, ok := p.fasttrackUnmarked(); ok {
				// Fasttracked packets skip mangle: a marked connection
				// must not be fasttracked, or its answers lose the mark.
				add("fasttrack no-mark", "fasttracked connections skip the routing marks", fmt.Sprintf("/ip firewall filter set %s connection-mark=no-mark", sel))
			}
		case FasttrackMarks:
			if sel, ok := p.fasttrackUnmarked(); ok {
				methods["marked connections left out of fasttrack"] = true
				add("fasttrack no-mark", string(f.Cause), fmt.Sprintf("/ip firewall filter set %s connection-mark=no-mark", sel))
			}
		case DHCPOffSubnet:
			if fl, ok := p.dhcpFixFor(f.Line); ok {
				methods["the DHCP server's pool and network on the interface's subnet"] = true
				add(fl.key, string(f.Cause), fl.line)
			}
		case DHCPNoNetwork:
			if fl, ok := p.dhcpFixFor(f.Line); ok {
				methods["a DHCP network for the server's pool"] = true
				add(fl.key, string(f.Cause), fl.line)
			}
		case DHCPOnWAN:
			if fl, ok := p.dhcpFixFor(f.Line); ok {
				methods["no DHCP server on the WAN"] = true
				add(fl.key, string(f.Cause), fl.line)
			}
		case DHCPOnBridgePort:
			if fl, ok := p.dhcpFixFor(f.Line); ok {
				methods["the DHCP server on the bridge"] = true
				add(fl.key, string(f.Cause), fl.line)
			}
		case GatewayOffLink:
			if ac := p.commandAt(f.Line); ac != nil {
				if pfx, err := addrPrefix(ac); err == nil {
					bits := 0
					fmt.Sscanf(f.Detail[strings.LastIndex(f.Detail, "; /")+3:], "%d", &bits)
					if bits > 0 {
						methods["the WAN address with its mask"] = true
						add("wan mask "+ac.Value("interface"), string(f.Cause), fmt.Sprintf("/ip address set [ find where address=\"%s\" interface=%s ] address=%s/%d", pfx, export.Quote(ac.Value("interface")), pfx.Addr(), bits))
					}
				}
			}
		case NoUpstreamDNS:
			if fx := p.upstreamFix(); fx != "" {
				methods["an upstream DNS server for the router"] = true
				add("dns upstream", string(f.Cause), fx)
			}
		case InputAcceptBelowDrop:
			if key, line := p.inputBelowFix(f.Line); line != "" {
				methods["the accept moved above the drop"] = true
				add(key, string(f.Cause), line)
			}
		case WANPortInBridge:
			if bp := p.bridgePortAt(f.Line); bp != nil {
				methods["the WAN port out of the LAN bridge"] = true
				add("wan bridge port "+bp.Value("interface"), string(f.Cause), wanBridgeFix(bp))
			}
		case AddressOnBridgePort:
			// The segment of the finding's address line: a router
			// finding has no forward, and two addresses on ports of one
			// bridge each move.
			seg := p.segmentOfAddrLine(f.Line)
			if seg == nil && fw != nil {
				seg = p.segmentOf(fw.ToAddr)
			}
			if seg == nil || seg.onPort == "" {
				continue
			}
			method, key, line := p.bridgePortAddrFix(seg)
			methods[method] = true
			add(key, string(f.Cause), line)
		case VLANNotOnBridge:
			// The server's VLAN for all paths, a client's for its
			// hairpin path.
			iface, ok := strings.CutPrefix(f.Path, "hairpin:")
			if own, router := strings.CutPrefix(f.Path, "router's address on "); router {
				// A finding on the router, with no forward (forum52 D3).
				iface = own
			} else if seg := p.segmentOf(fw.ToAddr); !ok && seg != nil {
				iface = seg.Interface
			}
			if key, line, ok := p.deafVLANFix(iface, p.keeper(p.export)); ok {
				methods["the bridge tagged in the LAN's VLAN"] = true
				add(key, string(f.Cause), line)
			}
		case VLANNoPort:
			iface := strings.TrimPrefix(f.Path, "router's address on ")
			if f.Forward >= 0 && fw != nil {
				if seg := p.segmentOf(fw.ToAddr); seg != nil {
					iface = seg.Interface
				}
			}
			if key, line := p.vlanNoPortFix(iface); line != "" {
				methods["the VLAN interface on the VLAN its ports carry"] = true
				add(key, string(f.Cause), line)
			}
		case CloudOff:
			methods["5: address list fed by IP Cloud"] = true
			add("cloud on", string(f.Cause), "/ip cloud set ddns-enabled=yes")
		case CloudOneWAN:
			if wi := p.wanOfInterface(strings.TrimPrefix(f.Path, "internet via ")); wi >= 0 {
				methods["the forward copied onto the other WAN"] = true
				add("cloud wan "+fmt.Sprint(f.Forward)+" "+p.WANs[wi].Interface, string(f.Cause), p.wanCopy(&p.Forwards[f.Forward], p.WANs[wi]))
			}
		case NameListNoDNS:
			if line := p.upstreamFix(); line != "" {
				methods["an upstream DNS server for the router"] = true
				add("upstream dns", string(f.Cause), line)
			}
		case PortGateway:
			wi := p.wanOfInterface(strings.TrimPrefix(f.Path, "internet via "))
			if wi < 0 {
				continue
			}
			route := p.markedRouteViaPort(wi)
			if route == nil {
				route = p.mainRouteViaPort(wi)
			}
			keys, lines, ok := p.portRouteFix(wi, route)
			if !ok {
				continue
			}
			methods["a next hop for the answers' route"] = true
			for k := range keys {
				add(keys[k], string(f.Cause), lines[k])
			}
		case TakesRouterService:
			if tp := fw.cmd.Value("to-ports"); matchedPorts(fw.cmd) == "" && fw.cmd.Value("connection-mark") == "" && tp != "" && !strings.ContainsAny(tp, ",-") {
				// to-ports with no dst-port takes every port: the forward
				// gets its one port, and the service its own back.
				methods["the forward's own port (dst-port)"] = true
				add("dst-port "+p.selector(fw), string(f.Cause), fmt.Sprintf("/ip firewall nat set %s dst-port=%s", p.selector(fw), tp))
				continue
			}
			methods["accept the router's own service in dstnat"] = true
			add("service "+f.Path, string(f.Cause), p.serviceAcceptFix(f))
		case MarkOnlyWAN:
			seg := p.segmentOf(fw.ToAddr)
			if seg == nil || len(p.WANs) == 0 {
				continue
			}
			wan := p.WANAddr(p.WANs[p.hairpinWAN(*fw)], *fw)
			dst := "dst-address-type=local"
			if p.WANs[p.hairpinWAN(*fw)].Kind == "static" && wan.IsValid() {
				dst = "dst-address=" + wan.String()
			}
			var mark *export.Command
			for _, c := range p.export.Commands {
				if c.Line == f.Line {
					mark = c
				}
			}
			if mark == nil {
				continue
			}
			methods["mark the LAN's connections to the public address too"] = true
			proto := ""
			if v := mark.Value("protocol"); v != "" {
				proto = " protocol=" + v
			}
			for _, s := range p.Segments {
				add("lan mark "+s.Interface+" "+fmt.Sprint(f.Line), string(f.Cause),
					fmt.Sprintf("/ip firewall mangle add chain=prerouting action=mark-connection connection-state=new in-interface=%s %s%s dst-port=%s new-connection-mark=%s passthrough=yes comment=%s",
						export.Quote(s.Interface), dst, proto, mark.Value("dst-port"), export.Quote(mark.Value("new-connection-mark")), export.Quote("from the LAN: "+mark.Value("new-connection-mark"))))
			}
			key, line := hairpinFor(seg, fw)
			methods["2: src-nat hairpin rule"] = true
			add(key, string(NoHairpin), line)
		case ShadowedSrcNAT, SrcNATOutLAN, SrcNATUnheld:
			if key, line := p.srcnatFix(f); line != "" {
				switch f.Cause {
				case SrcNATUnheld:
					methods["the src-nat's address on the WAN"] = true
				case SrcNATOutLAN:
					methods["the host's own src-nat on the WAN"] = true
				default:
					methods["the host's own src-nat above the rule that takes its traffic"] = true
				}
				add(key, string(f.Cause), line)
			}
		case ToRouterInputDrops:
			methods["accept DSTNATed connections to the router"] = true
			add("input "+fmt.Sprint(f.Line), string(f.Cause),
				fmt.Sprintf("/ip firewall filter add chain=input action=accept connection-nat-state=dstnat connection-state=new comment=%s place-before=%s",
					export.Quote("accept forwards to the router"), p.ruleSelector(p.inputEntry(f.Line))))
		case VPNInputDrops:
			if key, line := p.vpnInputFix(f); line != "" {
				methods["accept the VPN server's port on input"] = true
				add(key, string(f.Cause), line)
			}
		case NoVPNMasquerade:
			if key, line := p.vpnPoolFix(f); line != "" {
				methods["masquerade for the VPN clients"] = true
				add(key, string(f.Cause), line)
			}
		case RoadWarriorFasttrack:
			methods["IPsec's traffic accepted above the fasttrack"] = true
			for i, line := range p.rwFasttrackFix(f) {
				add(fmt.Sprintf("rw-fasttrack %d", i), string(f.Cause), line)
			}
		case VPNDNSDropped, VPNForwardDropped:
			if key, line := p.vpnListFix(f); line != "" {
				methods["the VPN sessions in the LAN's interface list"] = true
				add(key, string(f.Cause), line)
			}
		case VPNPoolInLAN:
			if key, line := p.vpnPoolFix(f); line != "" {
				methods["proxy-arp on the LAN for the VPN clients"] = true
				add(key, string(f.Cause), line)
			}
		case HairpinMarked:
			methods["the LAN's requests to the router's own addresses left out of mangle"] = true
			key, line := p.hairpinMarkFix(f)
			add(key, string(f.Cause), line)
		case MarkedAnswers:
			methods["leave the answers of port forwards unmarked"] = true
			add("unmark "+fmt.Sprint(f.Line), string(f.Cause),
				fmt.Sprintf("/ip firewall mangle set %s connection-nat-state=!dstnat", p.ruleSelector(f.Line)))
		case InboundMarked:
			// The mark goes on the answers, which come from the server's
			// segment, not on what comes in from the WAN.
			seg := p.segmentOf(fw.ToAddr)
			if seg == nil {
				continue
			}
			methods["the routing mark on the answers from the LAN"] = true
			rule := p.commandAt(f.Line)
			unset := "" // in-interface is set anew; a list binding goes
			if rule != nil && rule.Value("in-interface-list") != "" {
				unset = " !in-interface-list"
			}
			add("inbound "+fmt.Sprint(f.Line), string(f.Cause), fmt.Sprintf("/ip firewall mangle set %s%s in-interface=%s", p.ruleSelector(f.Line), unset, export.Quote(seg.Interface)))
		case NetmapNarrow:
			if _, want, ok := netmapNarrow(f.Forward, *fw); ok {
				methods["the netmap's blocks of one size"] = true
				add("netmap "+fmt.Sprint(f.Line), string(f.Cause), fmt.Sprintf("/ip firewall nat set %s to-addresses=%s", p.selector(fw), want))
			}
		case AddressNotHeld:
			for _, w := range p.WANs {
				as := p.unheldWANAddrs(w, *fw)
				for _, a := range as {
					methods["the forward's address on the router"] = true
					add("address "+a.String(), string(f.Cause), fmt.Sprintf("/ip address add address=%s/%d interface=%s", a, w.Address.Bits(), quoteIf(w.Interface)))
				}
				if len(as) > 0 {
					break
				}
			}
		case NotLocal:
			if key, line, ok := p.notLocalFix(fw); ok {
				methods["the forward's address on the router"] = true
				add(key, string(f.Cause), line)
			}
		case RawNotrack:
			// Narrowing it to other ports is not enough: it also takes
			// the answers to the LAN's own connections (they come in
			// addressed to the router), so it goes.
			methods["no notrack of traffic to the router's WAN address"] = true
			add("raw "+fmt.Sprint(f.Line), string(f.Cause), fmt.Sprintf("/ip firewall raw disable %s", p.ruleSelector(f.Line)))
		case RawDrops:
			if key, line, ok := p.rawAcceptFix(fw, f); ok {
				methods["a raw accept of the forward above the drop"] = true
				add(key, string(f.Cause), line)
			}
		case RawDropsAnswers:
			rule := p.commandAt(f.Line)
			if rule != nil && rule.Value("action") == "drop" && rule.Value("in-interface") == "" && rule.Value("in-interface-list") == "" && p.hasList("WAN") {
				// A drop was meant for what comes from the internet; a
				// notrack (of the server's own traffic, "speed up the
				// backups", or LAN to LAN) only the user can narrow, so
				// it goes.
				methods["the raw rule bound to the WAN"] = true
				add("raw "+fmt.Sprint(f.Line), string(f.Cause), fmt.Sprintf("/ip firewall raw set %s in-interface-list=WAN", p.ruleSelector(f.Line)))
				continue
			}
			methods["no raw rule on the server's answers"] = true
			add("raw "+fmt.Sprint(f.Line), string(f.Cause), fmt.Sprintf("/ip firewall raw disable %s", p.ruleSelector(f.Line)))
		case ForwardDropsLater, LANAnswersDropped:
			methods["accept established connections above the drop"] = true
			add("answers "+fmt.Sprint(f.Line), string(f.Cause),
				fmt.Sprintf("/ip firewall filter add chain=forward action=accept connection-state=established,related comment=%s place-before=%s",
					export.Quote("accept answers"), p.ruleSelector(f.Line)))
		case ForwardDropsAnswers:
			rule := p.commandAt(f.Line)
			methods["the drop limited to new connections"] = true
			if rule != nil && rule.Value("connection-state") == "" {
				add("answers "+fmt.Sprint(f.Line), string(f.Cause), fmt.Sprintf("/ip firewall filter set %s connection-state=new", p.ruleSelector(f.Line)))
				continue
			}
			add("answers "+fmt.Sprint(f.Line), string(f.Cause),
				fmt.Sprintf("/ip firewall filter add chain=forward action=accept connection-state=established,related comment=%s place-before=%s",
					export.Quote("accept answers"), p.ruleSelector(f.Line)))
		case TableNoFIB, TableNoFIBOut:
			if t, _ := p.noFIBTable(p.keeper(p.export)); t != nil {
				methods["the marked table in the FIB"] = true
				add("fib "+t.Value("name"), string(f.Cause), fmt.Sprintf("/routing table set [ find where name=%s ] fib", export.Quote(t.Value("name"))))
			}
		case ForwardDrops, ForwardDropsWAN:
			if slices.ContainsFunc(found, func(g Finding) bool { return g.Cause == FilterPortUnder && g.Forward == f.Forward && g.Path == f.Path }) {
				continue // the accept the user wrote is rebound instead
			}
			if f.Late != 0 {
				// The user's own accept, moved above the drop.
				methods["the late accept moved above the drop"] = true
				add("move "+fmt.Sprint(f.Late), string(f.Cause), fmt.Sprintf("/ip firewall filter move %s destination=%s", p.ruleSelector(f.Late), p.ruleSelector(f.Line)))
				continue
			}
			if f.Cause == ForwardDropsWAN && p.wanDropLacksDstnat(f.Line) {
				// defconf's own rule with its connection-nat-state left
				// out: putting it back is the fix the thread's reader
				// recognises, and it opens no more than defconf does.
				methods["defconf's connection-nat-state=!dstnat on the WAN drop"] = true
				add("nat-state "+fmt.Sprint(f.Line), string(f.Cause), fmt.Sprintf("/ip firewall filter set %s connection-nat-state=!dstnat", p.ruleSelector(f.Line)))
				continue
			}
			methods["accept DSTNATed connections"] = true
			// connection-state=new only where an accept of established
			// connections above the drop lets the client's later packets
			// through: a 6.47 CRS whose forward chain is a list of
			// drops between its LANs has none, and its hairpins still
			// timed out with the fix (the handshake passed, the drop took
			// the data that followed).
			state := " connection-state=new"
			if !p.establishedAcceptAbove(f.Line) {
				state = ""
			}
			if seg, ok := strings.CutPrefix(f.Path, "hairpin:"); ok && !dropsWAN[f.Line] {
				add("accept "+fmt.Sprint(f.Line)+" "+seg, string(f.Cause),
					fmt.Sprintf("/ip firewall filter add chain=forward action=accept connection-nat-state=dstnat%s in-interface=%s comment=%s place-before=%s",
						state, export.Quote(seg), export.Quote("accept port forwards from "+seg), p.ruleSelector(f.Line)))
				continue
			}
			add("accept "+fmt.Sprint(f.Line), string(f.Cause),
				fmt.Sprintf("/ip firewall filter add chain=forward action=accept connection-nat-state=dstnat%s comment=%s place-before=%s",
					state, export.Quote("accept port forwards"), p.ruleSelector(f.Line)))
		}
	}
	fx.foldUnsets(" !src-port")
	if needList {
		var pre []string
		for _, s := range p.Segments {
			// Two segments on one subnet (a /30 on two interfaces) give
			// it once: RouterOS refuses a second equal entry ("already
			// have such entry"), and the lab's fix step failed on it.
			l := fmt.Sprintf("/ip firewall address-list add list=%s address=%s", lanList, s.Prefix.Masked())
			if !slices.Contains(pre, l) {
				pre = append(pre, l)
			}
		}
		fx.Lines = append(pre, fx.Lines...)
		why := make([]string, len(pre))
		for i := range why {
			why[i] = "the LAN subnets, so that dst-address-type=local leaves only the WAN address"
		}
		fx.Why = append(why, fx.Why...)
		users := make([][]int, len(pre))
		for i := range users {
			users[i] = listUsers
		}
		fx.For = append(users, fx.For...)
	}
	var ms []string
	for m := range methods {
		ms = append(ms, m)
	}
	sort.Strings(ms)
	fx.Method = strings.Join(ms, " + ")
	return fx
}

// netmapServers is the to-addresses block of a netmap forward
// (to-addresses=192.168.60.88/30), when it is more than one address.
func netmapServers(fw *Forward) (netip.Prefix, bool) {
	if fw.cmd == nil || fw.cmd.Value("action") != "netmap" {
		return netip.Prefix{}, false
	}
	if _, want, ok := netmapNarrow(0, *fw); ok {
		// The fix widens to-addresses to this block: the hairpin rule
		// covers the servers it will reach.
		return want, true
	}
	pf, err := netip.ParsePrefix(fw.cmd.Value("to-addresses"))
	if err != nil || pf.Bits() >= 32 {
		return netip.Prefix{}, false
	}
	return pf.Masked(), true
}

// hairpinBlockRule is method 2's rule for the servers of a netmapped
// block on seg.
func hairpinBlockRule(seg *Segment, block netip.Prefix) (key, line string) {
	return "hairpin " + seg.Interface + " " + block.String(),
		fmt.Sprintf("/ip firewall nat add chain=srcnat action=masquerade src-address=%s dst-address=%s out-interface=%s comment=%s",
			seg.Prefix.Masked(), block, export.Quote(seg.Interface), export.Quote("hairpin to "+block.String()))
}

// hairpinFor is method 2's rule for the servers of forward fw on seg: a
// netmap's whole to-addresses block, a dst-nat's whole to-addresses range
// (to-addresses=192.168.88.31-192.168.88.32: RouterOS gives each
// connection one address of the range, NAT page of the manual,
// https://help.mikrotik.com/docs/spaces/ROS/pages/3211299/NAT), else its
// one server. A rule for the range's first address alone left the LAN's
// connections to the others unanswered.
func hairpinFor(seg *Segment, fw *Forward) (key, line string) {
	if block, ok := netmapServers(fw); ok {
		return hairpinBlockRule(seg, block)
	}
	if r, ok := serverRange(fw); ok {
		return "hairpin " + seg.Interface + " " + r,
			fmt.Sprintf("/ip firewall nat add chain=srcnat action=masquerade src-address=%s dst-address=%s out-interface=%s comment=%s",
				seg.Prefix.Masked(), r, export.Quote(seg.Interface), export.Quote("hairpin to "+r))
	}
	return hairpinRule(seg, fw.ToAddr)
}

// serverRange is the to-addresses range of a dst-nat or netmap forward
// ("192.168.88.31-192.168.88.32"), when it names more than one address.
func serverRange(fw *Forward) (string, bool) {
	if fw.cmd == nil || fw.cmd.Value("action") != "dst-nat" && fw.cmd.Value("action") != "netmap" {
		return "", false
	}
	lo, hi, ok := strings.Cut(fw.cmd.Value("to-addresses"), "-")
	if !ok {
		return "", false
	}
	a, err1 := netip.ParseAddr(lo)
	b, err2 := netip.ParseAddr(hi)
	if err1 != nil || err2 != nil || a.Compare(b) >= 0 {
		return "", false
	}
	return a.String() + "-" + b.String(), true
}

// hairpinRule is method 2's rule for a server on seg, and the key that
// keeps it once in a fix.
func hairpinRule(seg *Segment, server netip.Addr) (key, line string) {
	return "hairpin " + seg.Interface + " " + server.String(),
		fmt.Sprintf("/ip firewall nat add chain=srcnat action=masquerade src-address=%s dst-address=%s out-interface=%s comment=%s",
			seg.Prefix.Masked(), server, export.Quote(seg.Interface), export.Quote("hairpin to "+server.String()))
}

// remedyOutside says why no rule on the router lets the internet in when
// its WAN has no public address, and what can be done instead, outside
// the router.
func (p *Plan) remedyOutside() string {
	for _, w := range p.WANs {
		if _, lease := p.cgnatLease(w); w.Behind() == "cgnat" || lease {
			return "the WAN is behind the ISP's carrier-grade NAT (CGNAT): nothing from the internet can come in, and no rule on this router can change that. " +
				"The remedy is outside the router: ask the ISP for a public address (many give one on request or for a small fee), " +
				"or reach the server through a tunnel (WireGuard, for instance) to a host that has a public address and forwards the port"
		}
	}
	return "the WAN address is not public: an ISP router in front holds the public address, and no rule on this router lets the internet in. " +
		"Ask the ISP for a public address or a port forward (or bridge mode) on its router, or reach the server through a tunnel to a host that has one"
}

// addForward adds a forward's index to a set kept as a sorted list; the
// router's own findings (-1) belong to no forward.
func addForward(set []int, fw int) []int {
	if fw < 0 {
		return set
	}
	for _, x := range set {
		if x == fw {
			return set
		}
	}
	set = append(set, fw)
	sort.Ints(set)
	return set
}

func (p *Plan) hasList(name string) bool {
	for _, c := range p.export.Commands {
		if c.MenuPath() == "interface list" && c.Verb == "add" && c.Value("name") == name {
			return true
		}
	}
	return false
}

// selector is a [ find ... ] that names the forward's rule and no other.
func (p *Plan) selector(fw *Forward) string { return p.ruleSelector(fw.Line) }

// ruleSelector names the rule added on an export line by its comment when
// that is unique in its menu, by its matchers otherwise, with what sets it
// apart from the other rules of its menu (selector.go); by its position
// among the rules that look the same when nothing does.
func (p *Plan) ruleSelector(line int) string {
	where, pick := p.selectWhere(line)
	if pick >= 0 {
		return fmt.Sprintf("[ :pick [ find %s ] %d ]", where, pick)
	}
	return "[ find " + where + " ]"
}

// inputEntry returns the line of the input chain's rule through which the
// filter rule at line is reached: the rule itself when it is in input, or
// the first input rule that jumps (through other chains too) to its chain.
// An accept for chain input placed before a drop in a user chain lands
// after the jump to that chain, which input meets first: a 7.15 export's
// "chain-router-services-wan" drop stayed in the way of the fix.
func (p *Plan) inputEntry(line int) int {
	chainOf := map[int]string{}
	var rules []*export.Command
	for _, c := range routerOrder(p.export) {
		if c.MenuPath() == "ip firewall filter" && c.Verb == "add" && enabled(c) {
			chainOf[c.Line] = c.Value("chain")
			rules = append(rules, c)
		}
	}
	seen := map[string]bool{}
	for chain := chainOf[line]; chain != "" && chain != "input" && !seen[chain]; {
		seen[chain] = true
		next := 0
		for _, c := range rules {
			if c.Value("action") == "jump" && c.Value("jump-target") == chain {
				next = c.Line
				break
			}
		}
		if next == 0 {
			return line
		}
		line, chain = next, chainOf[next]
	}
	return line
}

// listTrouble reports whether a forward's address list has a finding of
// its own (empty, stale, a name that never resolves): then the list is no
// part of the fix.
func listTrouble(found []Finding, fw int) bool {
	for _, f := range found {
		if f.Forward == fw && (f.Cause == EmptyList || f.Cause == CloudOff || f.Cause == LiteralWAN || f.Cause == NameListNoDNS) {
			return true
		}
	}
	return false
}

// wanMissingFrom returns the WAN interface (a PPPoE client) that interface
// list list leaves out while holding the port under it; "" if none.
func (p *Plan) wanMissingFrom(list string) string {
	if list == "" || strings.HasPrefix(list, "!") {
		return ""
	}
	for _, w := range p.WANs {
		if p.listHoldsPortOf(list, w.Interface) != "" {
			return w.Interface
		}
	}
	// The list holds only ports that are no WAN (the old ISP's, left
	// idle when the ISP moved to another port): the one WAN joins it.
	inc, exc := listDefs(p.export, func(*export.Command) bool { return true })
	if len(p.WANs) != 1 || !roleList(inc, exc, list, "wan") {
		return ""
	}
	members := 0
	for _, c := range p.export.Commands {
		if c.MenuPath() != "interface list member" || c.Verb != "add" || c.Value("list") != list || !enabled(c) {
			continue
		}
		members++
		if c.Value("interface") == p.WANs[0].Interface || p.WANs[0].Port == c.Value("interface") {
			return ""
		}
	}
	if members > 0 {
		return p.WANs[0].Interface
	}
	return ""
}

// rawAcceptFix answers a raw prerouting drop that takes a forward's
// connection before connection tracking and NAT (a "normally closed"
// firewall written in raw): an accept of the forward's protocol and
// public port, from where the drop takes it, just above the drop. Raw
// sees the packet before dstnat, so the port is the public one. A forward
// of every port gets no line: an accept of all that comes in from the
// WAN would undo the drop.
func (p *Plan) rawAcceptFix(fw *Forward, f Finding) (key, line string, ok bool) {
	drop := p.commandAt(f.Line)
	if drop == nil || fw.cmd == nil {
		return "", "", false
	}
	port := fw.cmd.Value("dst-port")
	if port == "" || strings.HasPrefix(port, "!") {
		return "", "", false
	}
	from := ""
	switch {
	case drop.Value("in-interface-list") != "":
		from = "in-interface-list=" + export.Quote(drop.Value("in-interface-list"))
	case drop.Value("in-interface") != "":
		from = "in-interface=" + export.Quote(drop.Value("in-interface"))
	case strings.HasPrefix(f.Path, "hairpin:"):
		from = "in-interface=" + export.Quote(strings.TrimPrefix(f.Path, "hairpin:"))
	case strings.HasPrefix(f.Path, "internet via "):
		from = "in-interface=" + export.Quote(strings.TrimPrefix(f.Path, "internet via "))
	default:
		wans := p.wansOf(*fw)
		if len(wans) != 1 {
			return "", "", false
		}
		from = "in-interface=" + export.Quote(p.WANs[wans[0]].Interface)
	}
	proto := fw.Protocol
	switch proto {
	case "6":
		proto = "tcp"
	case "17":
		proto = "udp"
	}
	key = fmt.Sprintf("raw accept %d %s %s %s", f.Line, from, proto, port)
	line = fmt.Sprintf("/ip firewall raw add chain=prerouting action=accept %s protocol=%s dst-port=%s comment=%s place-before=%s",
		from, proto, port, export.Quote("accept port forward "+port), p.ruleSelector(f.Line))
	return key, line, true
}

// wanDropLacksDstnat reports whether the forward filter rule at line is
// defconf's "drop all from WAN not DSTNATed" without its
// connection-nat-state: a drop of new connections from the WAN (an
// interface or list) that matches nothing else.
func (p *Plan) wanDropLacksDstnat(line int) bool {
	for _, c := range p.export.Commands {
		if c.Line != line || c.MenuPath() != "ip firewall filter" {
			continue
		}
		if c.Value("connection-state") != "new" || c.Value("in-interface-list")+c.Value("in-interface") == "" || strings.HasPrefix(c.Value("in-interface-list")+c.Value("in-interface"), "!") {
			return false
		}
		for _, a := range c.Args {
			switch a.Name {
			case "action", "chain", "comment", "connection-state", "in-interface", "in-interface-list", "log", "log-prefix", "disabled":
			default:
				return false
			}
		}
		return true
	}
	return false
}

// deafVLANFix makes the bridge a tagged member of the LAN VLAN iface: on
// the table's line for the VLAN, the bridge moves from untagged (if it is
// there) to tagged; without one, a line of its own.
func (p *Plan) deafVLANFix(iface string, keep func(*export.Command) bool) (key, line string, ok bool) {
	br, vid, entry, deaf := p.deafVLAN(iface, keep)
	if !deaf {
		return "", "", false
	}
	key = fmt.Sprintf("bridge %s tagged in VLAN %d", br, vid)
	if entry == nil || entry.Value("vlan-ids") == "" {
		return key, fmt.Sprintf("/interface bridge vlan add bridge=%s tagged=%s vlan-ids=%d", export.Quote(br), export.Quote(br), vid), true
	}
	members := func(v string) []string {
		var out []string
		for _, m := range strings.Split(v, ",") {
			if m = strings.TrimSpace(m); m != "" && m != br && m != "none" {
				out = append(out, m)
			}
		}
		return out
	}
	tagged := append(members(entry.Value("tagged")), br)
	untagged := members(entry.Value("untagged"))
	set := fmt.Sprintf("tagged=%s", export.Quote(strings.Join(tagged, ",")))
	if strings.Contains(","+entry.Value("untagged")+",", ","+br+",") {
		// An empty list as both RouterOS 6 and 7 take it (7 also
		// writes none, which 6 refuses).
		u := `""`
		if len(untagged) > 0 {
			u = export.Quote(strings.Join(untagged, ","))
		}
		set += " untagged=" + u
	}
	return key, fmt.Sprintf("/interface bridge vlan set [ find where bridge=%s and vlan-ids=%s ] %s", export.Quote(br), export.Quote(entry.Value("vlan-ids")), set), true
}

// establishedAcceptAbove reports whether the forward chain accepts
// established connections, with no other matcher, above the rule at line:
// then an accept of a connection's first packet is enough there, as the
// rest are taken by that accept.
func (p *Plan) establishedAcceptAbove(line int) bool {
	keep := p.keeper(p.export)
	o := orderOf(p.export)
	return slices.ContainsFunc(o.cmds, func(c *export.Command) bool {
		if !o.beforeLine(c, line) || !keep(c) || !enabled(c) || c.MenuPath() != "ip firewall filter" || c.Verb != "add" ||
			c.Value("chain") != "forward" || c.Value("action") != "accept" {
			return false
		}
		states := strings.Split(c.Value("connection-state"), ",")
		return slices.Contains(states, "established") && len(withoutArgs(c, named("chain", "action", "connection-state", "comment", "disabled", "log", "log-prefix")).Args) == 0
	})
}

// laterOwnAddrForwards returns the addresses that enabled dst-nats after
// fw name for its protocol and port when each is one of the router's own
// addresses other than fw's (a second public address on the WAN): a fix
// widening fw to dst-address-type=local must leave them out.
func (p *Plan) laterOwnAddrForwards(fw *Forward) []netip.Addr {
	var out []netip.Addr
	own, _ := netip.ParseAddr(fw.cmd.Value("dst-address"))
	for _, o := range p.Forwards {
		if o.cmd == nil || o.Line <= fw.Line || o.Protocol != fw.Protocol || !enabled(o.cmd) {
			continue
		}
		if ports := fw.cmd.Value("dst-port"); ports != "" && !inPorts(ports, o.DstPort) {
			continue
		}
		a, err := netip.ParseAddr(o.cmd.Value("dst-address"))
		if err != nil || a == own || slices.Contains(out, a) || p.wanHolding(a) == "" && !p.routerHolds(a) {
			continue
		}
		out = append(out, a)
	}
	return out
}

// towardLAN says how a srcnat rule is written for the LAN side: its
// out-interface is a LAN segment's or its dst-address is a LAN host or
// subnet (a masquerade towards one server). "" when it is neither.
func (p *Plan) towardLAN(r *export.Command) string {
	if o := r.Value("out-interface"); o != "" && !strings.HasPrefix(o, "!") {
		for _, s := range p.Segments {
			if s.Interface == o {
				return "out-interface=" + o
			}
		}
	}
	if d := r.Value("dst-address"); d != "" && !strings.HasPrefix(d, "!") {
		if lo, hi, ok := addrSpan(d); ok && p.segmentOf(lo) != nil && p.segmentOf(lo) == p.segmentOf(hi) {
			return "dst-address=" + d
		}
	}
	return ""
}
