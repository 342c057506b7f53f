package check

import (
	"context"
	"fmt"
	"io"
	"net/netip"
	"slices"
	"strconv"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/chrlab/chrlab/harness/export"
	"github.com/chrlab/chrlab/harness/scenario"
	"github.com/chrlab/chrlab/rosemu/config"
)

// Refusals runs the lab-ready configuration through rosemu's model
// offline and sets aside every command the lab router would refuse, with
// RouterOS's message, so that the lab runs what it can and says what it
// left out. It repeats until nothing is refused (a command set aside can
// leave another without the list it names).
func (p *Plan) Refusals(ctx context.Context) {
	defer p.noteCutOff()
	// The diagnosis stays the export's: a line the lab router refuses
	// may be one RouterOS takes (the emulator lacks a parameter), so the
	// WANs it made are kept, and what the lab cannot build on it is said
	// where it is left out (labFix, the probes). A LAN segment from a
	// refused address line is not (dropRefusedSegments), nor a fix of a
	// refused line (noFixOnRefused): realcheck20 D11.
	for round := 0; round < 4; round++ {
		r := p.labRouter()
		v := r.Validate(ctx, p.RSC, 2*time.Second)
		dropped := 0
		for _, f := range v.Findings {
			if f.Verdict != config.Refused {
				continue
			}
			line := p.ExportLine(f.Line)
			if line == 0 {
				continue
			}
			if p.cutMembers(ctx, r, line, f.Msg) {
				dropped++
				continue
			}
			p.Aside = append(p.Aside, Aside{Line: line, Menu: menuOfLine(p, line), Reason: refusedPrefix + f.Msg + p.listNameHint(line, f.Msg) + p.tableHint(line, f.Msg) + p.menuLineHint(line, f.Msg)})
			dropped++
		}
		if dropped == 0 {
			break
		}
		p.render(p.export, p.keeper(p.export))
	}
	p.dropRefusedForwards()
	p.dropRefusedSegments()
	p.noFixOnRefused()
	p.placeholderNote()
}

// cutMembers keeps a bridge VLAN line that r refused for a member of its
// tagged= or untagged= it has no interface of, without those members: a
// port whose own line the lab refused (its rename), a bond or tunnel the
// lab does not build. Refused whole, the VLAN lost every member in the
// lab, the bridge too, and nothing of it was routed; the members named
// are set aside as a parameter is (Aside.Param), so the diagnosis keeps
// the line as the export has it. r has run the configuration, so its
// interfaces are the lab router's. It reports whether it cut anything.
func (p *Plan) cutMembers(ctx context.Context, r *config.Router, line int, msg string) bool {
	name, ok := strings.CutPrefix(msg, "input does not match any value of ")
	if !ok {
		return false
	}
	name, _, _ = strings.Cut(name, " ")
	if name != "tagged" && name != "untagged" {
		return false
	}
	var c *export.Command
	for _, x := range p.export.Commands {
		if x.Line == line && x.MenuPath() == "interface bridge vlan" {
			c = x
		}
	}
	if c == nil {
		return false
	}
	rows, _, err := r.Command(ctx, "/interface/print", nil)
	if err != nil {
		return false
	}
	have := map[string]bool{}
	for _, row := range rows {
		if n, ok := row.Get("name"); ok {
			have[n] = true
		}
	}
	cut := false
	for _, arg := range []string{"tagged", "untagged"} {
		var gone []string
		for _, n := range strings.Split(c.Value(arg), ",") {
			if n != "" && !have[n] && !slices.Contains(p.memberCuts[c][arg], n) {
				gone = append(gone, n)
			}
		}
		if len(gone) == 0 {
			continue
		}
		if p.memberCuts == nil {
			p.memberCuts = map[*export.Command]map[string][]string{}
		}
		if p.memberCuts[c] == nil {
			p.memberCuts[c] = map[string][]string{}
		}
		p.memberCuts[c][arg] = append(p.memberCuts[c][arg], gone...)
		p.Aside = append(p.Aside, Aside{Line: line, Menu: c.MenuPath(), Param: arg + "=" + strings.Join(gone, ","),
			Reason: fmt.Sprintf("%s cut from %s=: the lab router has no such interface (its own line was set aside or refused); the rest of the line is kept", strings.Join(gone, ", "), arg)})
		cut = true
	}
	return cut
}

// labRouter is the lab router's configuration model, offline: the ports
// the lab gives it and the DHCP client a fresh CHR starts with.
func (p *Plan) labRouter() *config.Router {
	ports := make([]string, p.PortCount())
	for i := range ports {
		ports[i] = "ether" + strconv.Itoa(i+1)
	}
	return config.New(config.Options{Ports: ports, DefaultDHCPClient: true, Version: p.LabVersion()})
}

// labFix returns the lines of the fix the lab router takes after the
// lab-ready configuration, and notes the others: a fix line that names
// what the lab set aside (a hairpin rule's out-interface=bridge when the
// bridge's line was refused) would stop the case from loading at all.
func (p *Plan) labFix(fx Fix) (lines []string, untried []int) {
	if len(fx.Lines) == 0 {
		return nil, nil
	}
	// The lab router takes an LTE APN profile's fix on the stand-in's
	// DHCP client (standinwan.go): it has no /interface lte.
	fx.Lines = slices.Clone(fx.Lines)
	for i, l := range fx.Lines {
		fx.Lines[i] = p.labClientLine(l)
	}
	rsc := strings.TrimRight(p.RSC, "\n")
	base := strings.Count(rsc, "\n") + 1
	v := p.labRouter().Validate(context.Background(), rsc+"\n"+strings.Join(fx.Lines, "\n")+"\n", 2*time.Second)
	// Each fix line's first line in what was validated (a line may hold
	// a block over several).
	first := make([]int, len(fx.Lines))
	n := base + 1
	for i, l := range fx.Lines {
		first[i] = n
		n += strings.Count(l, "\n") + 1
	}
	refused := map[int]string{}
	for _, f := range v.Findings {
		if f.Verdict != config.Refused || f.Line <= base {
			continue
		}
		i, _ := slices.BinarySearch(first, f.Line+1)
		if _, seen := refused[i-1]; !seen {
			refused[i-1] = f.Msg
		}
	}
	for i, l := range fx.Lines {
		if msg, ok := refused[i]; ok {
			why := ""
			if name := p.namesAside(l); name != "" {
				why = fmt.Sprintf(", as it names %s, which the lab set aside", name)
			}
			p.Notes = append(p.Notes, fmt.Sprintf("the lab leaves out the fix's line %q: the lab router refuses it (%s)%s; the lab does not try it, and the paths it answers stay as they are in the lab", l, msg, why))
			untried = append(untried, i)
			continue
		}
		lines = append(lines, l)
	}
	return lines, untried
}

// namesAside returns the name of a line the lab set aside (an interface,
// a list) that fix line l names, "" when it names none: only then is that
// why the lab router refuses the line.
func (p *Plan) namesAside(l string) string {
	for _, a := range p.Aside {
		c := p.commandAt(a.Line)
		if c == nil {
			continue
		}
		name := c.Value("name")
		if name == "" {
			continue
		}
		for _, q := range []string{"=" + name, "=" + export.Quote(name), "," + name} {
			if i := strings.Index(l, q); i >= 0 {
				if rest := l[i+len(q):]; rest == "" || strings.ContainsAny(rest[:1], " ,]") {
					return name
				}
			}
		}
	}
	return ""
}

// dropRefusedForwards leaves out the forwards whose line the lab router
// refused: the lab does not have them, so neither a probe nor a fix may
// stand on them (a hairpin rule copied from a refused dst-port is refused
// in its turn, and the user's case would not load).
func (p *Plan) dropRefusedForwards() {
	keep := p.keeper(p.export)
	p.Forwards = slices.DeleteFunc(p.Forwards, func(fw Forward) bool {
		if fw.cmd == nil || keep(fw.cmd) {
			return false
		}
		// Said where the user looks for the forward: the emulator may
		// lack what RouterOS takes, and the forward must not vanish.
		p.Notes = append(p.Notes, fmt.Sprintf("the port forward on line %d is not diagnosed or probed: the lab router refuses its line (see what was set aside); RouterOS refuses it on import as well unless the emulator lacks what the line uses: %s", fw.Line, ruleQuote(fw.cmd.Raw)))
		return true
	})
}

// refusedLines maps each line the lab router refused whole to
// RouterOS's words for it.
func (p *Plan) refusedLines() map[int]string {
	out := map[int]string{}
	for _, a := range p.Aside {
		if r, ok := strings.CutPrefix(a.Reason, refusedPrefix); ok && a.Param == "" {
			out[a.Line] = r
		}
	}
	return out
}

// dropRefusedSegments takes out the LAN segments whose address line the
// lab router refused: the router holds no such address (RouterOS refuses
// an address on an interface it has not, as the lab router does), so
// there is no LAN to list or probe, and the note that it "has no port a
// lab host can reach it on" blamed the wiring for it (realcheck20 D11: a
// CHR export whose ether1 was renamed ether3, then an address on ether1).
// The note says the refusal instead.
func (p *Plan) dropRefusedSegments() {
	refused := p.refusedLines()
	if len(refused) == 0 {
		return
	}
	p.Segments = slices.DeleteFunc(p.Segments, func(s Segment) bool {
		why, ok := refused[s.line]
		if s.line == 0 || !ok {
			return false
		}
		// Only an address on an interface the export has nowhere:
		// RouterOS refuses that line as surely as the lab router does.
		// One refused because its interface's own line was (a bridge
		// line with a parameter the emulator lacks) stays the export's
		// segment, for the diagnosis (labFix says what the lab leaves
		// out).
		iface := p.addressIface(s.line)
		if iface == "" || p.hasInterface(iface) {
			return false
		}
		about := fmt.Sprintf("LAN segment %s (%s) ", s.Interface, s.Prefix)
		p.Notes = slices.DeleteFunc(p.Notes, func(n string) bool { return strings.HasPrefix(n, about) })
		p.Notes = append(p.Notes, fmt.Sprintf("line %d's address %s makes no LAN segment: the lab router refuses the line (%s), and so does RouterOS, as the export has no interface %s; it is not probed", s.line, s.Prefix, why, iface))
		return true
	})
}

// addressIface is the interface= of the /ip address line at line.
func (p *Plan) addressIface(line int) string {
	for _, c := range p.export.Commands {
		if c.Line == line && c.MenuPath() == "ip address" {
			return c.Value("interface")
		}
	}
	return ""
}

// hasInterface reports whether the export has an interface of that name:
// a port (by its name), or one a line of an /interface menu adds or
// renames to it, set aside or refused or not.
func (p *Plan) hasInterface(name string) bool {
	for _, pt := range p.Ports {
		if pt.Name == name {
			return true
		}
	}
	for _, c := range p.export.Commands {
		if strings.HasPrefix(c.MenuPath(), "interface") && c.Value("name") == name {
			return true
		}
	}
	return false
}

// noFixOnRefused takes the fix out of a note about a line the lab router
// refused: the router does not hold the line, so a "set [ find where
// ... ]" of it finds nothing (realcheck20 D11: a dst-nat on a renamed
// port's old name). The note keeps what it says of the line and names
// the refusal.
func (p *Plan) noFixOnRefused() {
	refused := p.refusedLines()
	for i, n := range p.Notes {
		var line int
		if _, err := fmt.Sscanf(n, "line %d ", &line); err != nil {
			continue
		}
		why, ok := refused[line]
		if !ok {
			continue
		}
		k := strings.Index(n, ": /")
		if k < 0 {
			continue
		}
		p.Notes[i] = n[:k] + fmt.Sprintf("; no fix is given: the lab router refuses line %d (%s), and RouterOS refuses it on import as well unless the emulator lacks what the line uses, so the router holds no such rule to set", line, why)
	}
}

// noteCutOff says when the export looks cut off: a command continued
// with a backslash on its last line, or a file that ends without a line
// end in a command that was set aside (refused or unreadable: a dst-nat
// cut before its to-addresses). Such an export reads as "no problem
// found" for a forward it lost; the user should export again.
func (p *Plan) noteCutOff() {
	if p.export == nil {
		return
	}
	note := ""
	if l := p.export.CutOff; l > 0 {
		note = fmt.Sprintf("the export ends in the middle of the command at line %d (continued with \\ and nothing after it): it looks cut off; export again and copy the whole output", l)
	} else if l := p.export.Unended; l > 0 {
		for _, a := range p.Aside {
			if a.Line == l || a.Line < l && p.endLine(a.Line) >= l {
				note = fmt.Sprintf("the export ends without a line end, inside the command at line %d, which was set aside: it may be cut off; export again and copy the whole output", a.Line)
				break
			}
		}
	}
	if note != "" && !contains(p.Notes, note) {
		p.Notes = append(p.Notes, note)
	}
}

// endLine is the last physical line of the command on line.
func (p *Plan) endLine(line int) int {
	for _, c := range p.export.Commands {
		if c.Line == line {
			return c.EndLine
		}
	}
	return line
}

func menuOfLine(p *Plan, line int) string {
	for _, c := range p.export.Commands {
		if c.Line == line {
			return c.MenuPath()
		}
	}
	return ""
}

// Outcome is what one probe saw, read for the check's table.
type Outcome struct {
	Probe  Probe
	Result string // ok, timeout, refused, ...
	Saw    string // the source the server saw, or who answered
	By     string // the node that answered
	// Hidden marks a path from the internet that connected but whose
	// server saw another source than the peer: a source NAT (a
	// masquerade with no out-interface, say) hid the internet client.
	Hidden bool `json:",omitempty"`
	// Taken is, for a forward's path another forward's rule took, the
	// line of that rule, and Line the forward's own (takenBy): the
	// verdict says which took which, earlier or later in the chain.
	Taken int `json:",omitempty"`
	Line  int `json:",omitempty"`
	// NoLease marks a probe from a host that leases its address by DHCP
	// and found no route at all ("network is unreachable"): the host held
	// no lease when it ran (the run waits for one first and says when it
	// never came), so the path was not tried (rc34 C1).
	NoLease bool `json:",omitempty"`
}

// MarkHidden sets Hidden on every path from the internet that connected
// while the server saw another address than the peer's.
func MarkHidden(outs []Outcome, peer netip.Addr) {
	for i, o := range outs {
		if o.Probe.Forward < 0 || o.Probe.Path != "internet" || o.Result != "ok" || o.Probe.From != "peer" {
			continue
		}
		if a, err := netip.ParseAddr(o.Saw); err == nil && a != peer {
			outs[i].Hidden = true
		}
	}
}

// hidden returns the paths of phase that connected with the internet
// client hidden from the server.
func hidden(outs []Outcome, phase string) []Outcome {
	var out []Outcome
	for _, o := range outs {
		if o.Probe.Phase == phase && o.Hidden {
			out = append(out, o)
		}
	}
	return out
}

// RouterPage is the result of a forward's HTTP path that the router's own
// web page answered in the server's place.
const RouterPage = "router's page"

// Outcomes pairs the run's step results with the case's probes.
func (c *Case) Outcomes(steps []scenario.StepResult) []Outcome {
	var out []Outcome
	for i, st := range steps {
		if i >= len(c.Steps) || c.Steps[i] < 0 {
			continue
		}
		o := Outcome{Probe: c.Probes[c.Steps[i]], Result: st.Seen.Result, Saw: st.Seen.ServerSaw, By: st.Seen.ServerName}
		o.NoLease = c.leases[o.Probe.From] && o.Result == "unreachable" && strings.Contains(st.Seen.Detail, "network is unreachable")
		if o.Probe.Forward >= 0 && o.Probe.Kind == "http" && o.Result == "ok" && o.By == "router" {
			o.Result = RouterPage // the router's own page, not the forward's server
		} else if o.Probe.Forward >= 0 && o.Result == "ok" && o.By != "" && o.By != "router" && !c.isServer(o.By) {
			// Another lab node answered in the server's place: an ISP's
			// router in front (double NAT) answers its own public address
			// when it forwards nothing, and the forward never saw the
			// connection.
			o.Result = "answered by " + o.By + ", not the forward's server"
		} else if o.Probe.Forward >= 0 && o.Result == "ok" && c.isServer(o.By) && !c.ownServer(o.Probe.Forward, o.By) {
			// Another forward's server answered: an earlier dst-nat of
			// the same port took the connection, and this forward's
			// rule never saw it (realcheck19 D1: two dst-nats of
			// tcp/8080, the second read "✓ server saw the peer").
			var why string
			why, o.Taken = c.takenBy(o.By, o.Probe.Forward)
			o.Result, o.Line = "answered by "+o.By+why, c.own[o.Probe.Forward].line
		}
		out = append(out, o)
	}
	return c.whoTookServices(out)
}

// whoTookServices folds the whoami exchange beside a wanted service's
// port probe into it: a forward's server that answered took the port
// ("taken by server1"), whatever the handshake said ("open"). The
// exchange itself is no row of its own.
func (c *Case) whoTookServices(outs []Outcome) []Outcome {
	var out []Outcome
	for _, o := range outs {
		if o.Probe.Forward >= 0 || o.Probe.Kind != "tcp" || !o.Probe.Wanted || !strings.HasPrefix(o.Probe.Path, "service:") || !strings.HasSuffix(o.Probe.Path, "@wan") {
			out = append(out, o)
			continue
		}
		if o.Result != "ok" || !c.isServer(o.By) {
			continue
		}
		for i := range out {
			if p := out[i].Probe; p.Kind == "port" && p.Path == o.Probe.Path && p.Phase == o.Probe.Phase {
				out[i].Result, out[i].By = "taken by "+o.By, o.By
			}
		}
	}
	return out
}

// ownServer reports whether node stands for forward fw's own server. A
// case without the record (one made by hand in a test) takes any server.
func (c *Case) ownServer(fw int, node string) bool {
	o, ok := c.own[fw]
	if !ok {
		return c.own == nil
	}
	return slices.Contains(o.nodes, node)
}

// takenBy names the forward whose rule took forward fw's probe that
// node answered: ", forward 3's server: line 151 took the connection".
// The rule is the first in chain order (NAT rules are taken in order and
// the first that matches decides, help.mikrotik.com/docs/spaces/ROS/pages/3211299/NAT)
// among the forwards to node whose protocol and dst-port match the probe:
// several forwards share one server, and the one of the lowest line may
// forward another port (realcheck20 D3: a 25565 connection read "line 148
// took the connection", line 148 being tcp/443 to the same server). When
// no forward to node matches the probe, no line is named (", forward N's
// server, whose rule is for another port").
func (c *Case) takenBy(node string, fw int) (string, int) {
	me := c.own[fw]
	proto, port := me.proto, me.port
	best, line, any := -1, 0, -1
	for i, o := range c.own {
		if !slices.Contains(o.nodes, node) {
			continue
		}
		if any < 0 || o.line < c.own[any].line || o.line == c.own[any].line && i < any {
			any = i
		}
		if o.proto != "" && proto != "" && o.proto != proto || port != 0 && o.ports != "" && !inPorts(o.ports, port) {
			continue // its rule matches other connections than the probe's
		}
		if best < 0 || o.line < line || o.line == line && i < best {
			best, line = i, o.line
		}
	}
	if best < 0 && any >= 0 {
		return fmt.Sprintf(", forward %d's server, whose rule is for other connections than this one", any+1), 0
	}
	if best < 0 {
		return ", not this forward's server", 0
	}
	return fmt.Sprintf(", forward %d's server: line %d%s", best+1, line, tookConnection), line
}

// tookConnection ends the result of a forward's path that another
// forward's rule took (takenBy).
const tookConnection = " took the connection"

// taking is a forward whose paths another forward's rule took: its line
// and the line of the rule that took them (0 when the result names none).
type taking struct {
	forward, line, by int
}

// shadowed returns the forwards (numbered from 1) whose paths in outs
// another forward's rule took, with the rule's line, in forward order.
func shadowed(outs []Outcome) []taking {
	var out []taking
	for _, o := range outs {
		if o.Probe.Forward < 0 || !strings.HasSuffix(o.Result, tookConnection) || slices.ContainsFunc(out, func(t taking) bool { return t.forward == o.Probe.Forward+1 }) {
			continue
		}
		out = append(out, taking{forward: o.Probe.Forward + 1, line: o.Line, by: o.Taken})
	}
	slices.SortFunc(out, func(a, b taking) int { return a.forward - b.forward })
	return out
}

// isServer reports whether node is one of the lab's forward servers.
func (c *Case) isServer(node string) bool {
	for _, s := range c.Servers {
		if s == node {
			return true
		}
	}
	return false
}

// Table prints, per forward and path, what each phase saw: the before and
// after table of the check.
func (p *Plan) Table(w io.Writer, c *Case, outs []Outcome, peer netip.Addr) {
	phases := []string{"before"}
	for _, o := range outs {
		if o.Probe.Phase == "renumbered" && !contains(phases, "renumbered") {
			phases = append(phases, "renumbered")
		}
	}
	for _, o := range outs {
		if o.Probe.Phase == "fixed" && !contains(phases, "fixed") {
			phases = append(phases, "fixed")
		}
	}
	type key struct {
		fw         int
		path, from string
		to         string
	}
	var order []key
	cells := map[key]map[string]string{}
	for _, o := range outs {
		k := key{o.Probe.Forward, o.Probe.Path, o.Probe.From, o.Probe.target()}
		if cells[k] == nil {
			cells[k] = map[string]string{}
			order = append(order, k)
		}
		cells[k][o.Probe.Phase] = p.describe(c, o)
	}
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	head := []string{"FORWARD", "PATH", "FROM → TO"}
	for _, ph := range phases {
		h := heading(ph)
		if ph == "fixed" && c != nil && len(c.FixUntried) > 0 {
			h = partFixHead
		}
		if ph == "fixed" && c != nil && c.HairpinOnly {
			h = hairpinOnlyHead
		}
		head = append(head, strings.ToUpper(h))
	}
	fmt.Fprintln(tw, strings.Join(head, "\t")+"\t")
	for _, k := range order {
		what := "router"
		if k.fw >= 0 {
			fw := p.Forwards[k.fw]
			what = fmt.Sprintf("%d %s/%d→%s:%d", k.fw+1, fw.Protocol, fw.DstPort, fw.ToAddr, fw.ToPort)
		}
		row := []string{what, k.path, k.from + " → " + k.to}
		for _, ph := range phases {
			v := cells[k][ph]
			if v == "" {
				v = "-"
			}
			row = append(row, v)
		}
		fmt.Fprintln(tw, strings.Join(row, "\t")+"\t")
	}
	tw.Flush()
}

// target is where a probe goes as the table shows it: a by-name probe's
// name and port, and the resolver it asks.
func (pr Probe) target() string {
	if pr.Name != "" && pr.Kind != "dns" {
		over := ""
		if pr.Connect == "udp" {
			over = "/udp"
		}
		return fmt.Sprintf("%s:%d%s (resolved by %s)", pr.Name, pr.Port, over, strings.TrimSuffix(pr.To, ":53"))
	}
	return pr.To
}

// describe says in a few words what a probe saw: whether it worked and
// who the server saw, or, for the router's services, who answered.
func (p *Plan) describe(c *Case, o Outcome) string {
	s := p.describeSeen(c, o)
	// A client whose own gateway is a LAN address on a bridge port has
	// no router to ask: said where its probe failed, before the fix.
	if o.Result != "ok" && o.Probe.Phase != "fixed" {
		if why := p.invalidGateway(c, o.Probe.From); why != "" {
			s += " (" + why + ")"
		}
	}
	return s
}

func (p *Plan) describeSeen(c *Case, o Outcome) string {
	if o.Probe.Forward < 0 && strings.HasPrefix(o.Probe.Path, failbackPrefix) {
		switch {
		case o.Result != "ok":
			return "✗ " + o.Result
		case o.By != "peer":
			return "✗ " + o.By + " answered in its place"
		case o.Saw == o.Probe.Want:
			return "✓ back on the main line (the internet saw " + o.Saw + ")"
		default:
			return "✗ still seen as " + o.Saw + ", not " + o.Probe.Want
		}
	}
	if o.Probe.Forward < 0 && (strings.HasPrefix(o.Probe.Path, lanInternetPrefix) || strings.HasPrefix(o.Probe.Path, lanReachPrefix) || strings.HasPrefix(o.Probe.Path, failoverPrefix) || strings.HasPrefix(o.Probe.Path, silentPrefix)) {
		switch {
		case o.Result != "ok":
			return "✗ " + o.Result
		case o.By == "peer":
			return "✓ the internet's host answered (it saw " + o.Saw + ")"
		default:
			return "✗ " + o.By + " answered in its place"
		}
	}
	if o.Probe.Forward < 0 {
		switch o.Probe.Kind {
		case "http":
			if o.Result == "ok" && o.By != "" && o.By != "router" {
				return "HIJACKED: " + o.By + " answered"
			}
			if o.Result == "ok" {
				return "router's page"
			}
			return o.Result
		case "tcp":
			if o.Probe.Want != "" && o.Result == "ok" {
				if o.Saw == o.Probe.Want {
					return "✓ the internet saw " + o.Saw
				}
				return "✗ the internet saw " + o.Saw + ", not " + o.Probe.Want
			}
			return o.Result
		case "dns":
			if strings.HasPrefix(o.Probe.Path, lanResolvePrefix) {
				if resolved(o) {
					return "✓ resolved through the router (" + o.Result + ")"
				}
				return "✗ " + o.Result
			}
			if strings.HasPrefix(o.Probe.Path, lanDNSPrefix) {
				if dnsAnswered(o) {
					return "✓ answered (" + o.Result + ")"
				}
				return "✗ " + o.Result
			}
			if dnsAnswered(o) {
				return "answered (" + o.Result + "): open resolver"
			}
			return o.Result
		default:
			return o.Result
		}
	}
	if o.Result != "ok" {
		if o.Probe.NoPublic {
			return "✗ " + o.Result + " (no public address: nothing from the internet gets in)"
		}
		return "✗ " + o.Result
	}
	saw := o.Saw
	if a, err := netip.ParseAddr(saw); err == nil {
		switch {
		case a == p.PeerAddr():
			saw = "the peer"
		case p.isWANAddr(c, a):
			// A hairpin by src-nat to-addresses=<WAN address>: the server
			// sees the router's WAN address, not the client's, which a
			// reader wants in the server's logs (forum38 D6). After a
			// renumbering the router no longer holds it, conntrack still
			// translates the connection to it.
			if o.Probe.Phase == "renumbered" && !p.isRouterAddr(a) {
				saw = "the router's former WAN address (" + saw + ")"
			} else {
				saw = "the router's WAN address (" + saw + ")"
			}
		case p.isRouterAddr(a):
			saw = "the router (" + saw + ")"
		case p.clientOwn(c, o.Probe.From, a):
			saw = "the client (" + saw + ")"
		}
	}
	if o.Hidden {
		return "✗ server saw " + saw + ", not the internet client"
	}
	return "✓ server saw " + saw
}

// isWANAddr reports whether a is an address of the router on a WAN: the
// export's static one or the one the lab gave it (a DHCP WAN's lease).
func (p *Plan) isWANAddr(c *Case, a netip.Addr) bool {
	for _, w := range p.WANs {
		if w.Address.IsValid() && w.Address.Addr() == a {
			return true
		}
	}
	return c != nil && c.routerWAN[a]
}

// clientOwn reports whether a can be the address of the lab client from:
// an address, not the router's, of a LAN segment that client stands on.
// Any other address the server saw is someone's translation, and is not
// labelled the client's.
func (p *Plan) clientOwn(c *Case, from string, a netip.Addr) bool {
	if c == nil || !strings.HasPrefix(from, "client") {
		return false
	}
	for si, client := range c.segClient {
		if client == from && si < len(p.Segments) && p.Segments[si].Prefix.Contains(a) {
			return true
		}
	}
	for iface, client := range c.Clients {
		if s := p.segmentByInterface(iface); client == from && s != nil && s.Prefix.Contains(a) {
			return true
		}
	}
	return false
}

func (p *Plan) isRouterAddr(a netip.Addr) bool {
	for _, s := range p.Segments {
		if s.Prefix.Addr() == a {
			return true
		}
	}
	for _, w := range p.WANs {
		if w.Address.IsValid() && w.Address.Addr() == a {
			return true
		}
	}
	return false
}

func contains(l []string, s string) bool {
	for _, x := range l {
		if x == s {
			return true
		}
	}
	return false
}

// Broken lists the forwards and paths that failed in a phase.
func Broken(outs []Outcome, phase string) []Outcome {
	var out []Outcome
	for _, o := range outs {
		if o.Probe.Phase == phase && o.Probe.Forward >= 0 && o.Result != "ok" && !o.Probe.ByDesign && !o.Probe.Gap {
			out = append(out, o)
		}
	}
	return out
}

// hijacked reports whether, in phase, a forward answered a LAN client's
// request for the router's own web page.
func hijacked(outs []Outcome, phase string) bool {
	if wrongSource(outs, phase) || lanInternetTaken(outs, phase) || lanDNSUnanswered(outs, phase) {
		return true
	}
	for _, o := range outs {
		if o.Probe.Phase == phase && o.Probe.Wanted && o.Result != "open" {
			return true // a forward took a service the input chain opens
		}
		if o.Probe.Phase == phase && o.Probe.Forward < 0 && o.Probe.Kind == "http" && o.Result == "ok" && o.By != "" && o.By != "router" &&
			!strings.HasPrefix(o.Probe.Path, lanInternetPrefix) {
			return true
		}
	}
	return false
}

// ServiceWarnings says which of the router's own services the lab found
// open to the internet, and where a forward answered in place of the
// router's own web page.
func ServiceWarnings(outs []Outcome, phase string) []string {
	var out []string
	names := map[string]string{"winbox": "WinBox (8291)", "ssh": "SSH (22)", "www": "WebFig (80)", "dns": "DNS (53)"}
	for _, o := range outs {
		if o.Probe.Phase != phase || o.Probe.Forward >= 0 {
			continue
		}
		svc, where, _ := strings.Cut(strings.TrimPrefix(o.Probe.Path, "service:"), "@")
		if _, port, ok := strings.Cut(o.Probe.To, ":"); ok && !strings.Contains(svc, "-by-") {
			// The service's own port, as the export sets it (www on 8080).
			if n := names[svc]; n != "" {
				names[svc] = n[:strings.Index(n, " (")] + " (" + port + ")"
			}
		}
		switch {
		case lanInternetWrong(o):
			out = append(out, fmt.Sprintf("a LAN client's connection to %s on the internet was not answered by it (%s, answered by %s): the LAN's own way out is broken (the diagnosis says why)", o.Probe.To, o.Result, orNobody(o.By)))
		case strings.HasPrefix(o.Probe.Path, lanInternetPrefix):
		case failoverWrong(o):
			out = append(out, failoverWarning(o))
		case strings.HasPrefix(o.Probe.Path, failoverPrefix):
		case silentWrong(o) || failbackWrong(o):
			out = append(out, silentWarning(o))
		case strings.HasPrefix(o.Probe.Path, silentPrefix), strings.HasPrefix(o.Probe.Path, failbackPrefix):
		case strings.HasPrefix(o.Probe.Path, lanDNSPrefix) && !dnsAnswered(o):
			out = append(out, fmt.Sprintf("a LAN client's DNS query to %s got no answer (%s): the LAN does not resolve names (the diagnosis says why)", o.Probe.To, o.Result))
		case strings.HasPrefix(o.Probe.Path, lanDNSPrefix):
		case strings.HasPrefix(o.Probe.Path, "srcnat:") && o.Probe.Want != "" && (o.Result != "ok" || o.Saw != o.Probe.Want):
			out = append(out, fmt.Sprintf("%s reaches the internet as %s, not as %s, its own src-nat's address: %s (the diagnosis says why)", strings.TrimPrefix(o.Probe.Path, "srcnat:"), orResult(o), o.Probe.Want, srcnatWhy(o)))
		case where == "wan" && o.Probe.Wanted && o.Result != "open" && strings.Contains(svc, "-by-"):
			out = append(out, fmt.Sprintf("the router's %s, forwarded to it from the internet (%s), does not answer: %s", names[strings.Split(svc, "-by-")[0]], o.Probe.To, o.Result))
		case where == "wan" && o.Probe.Wanted && strings.Contains(svc, "-by-"):
			// Meant, and it answers: open to the internet all the same,
			// as the service on its own port would be warned of.
			out = append(out, fmt.Sprintf("the router's %s is open to the internet through the forward to it (%s answered from the peer)", names[strings.Split(svc, "-by-")[0]], o.Probe.To))
		case where == "wan" && o.Probe.Wanted && o.Result != "open":
			out = append(out, fmt.Sprintf("the router's %s is accepted from the internet by the input chain, but a forward takes the port first (%s: %s)", names[svc], o.Probe.To, o.Result))
		case where == "wan" && o.Probe.Wanted:
		case where == "wan" && o.Probe.Kind == "dns" && dnsAnswered(o):
			out = append(out, fmt.Sprintf("the router's %s answers queries from the internet (%s answered the peer with %s): an open resolver, usable for DNS amplification; drop udp and tcp 53 on input from the WAN", names[svc], o.Probe.To, o.Result))
		case where == "wan" && o.Result == "open":
			out = append(out, fmt.Sprintf("the router's %s is open to the internet (%s answered from the peer)", names[svc], o.Probe.To))
		case where != "wan" && o.Probe.Kind == "http" && o.Result == "ok" && o.By != "" && o.By != "router":
			out = append(out, fmt.Sprintf("WebFig on %s is hijacked: %s answered the LAN's request for the router's own page", o.Probe.To, o.By))
		}
	}
	return out
}

// dnsAnswered reports whether a DNS probe got any answer at all: an
// address, "no such name" or a server failure all come from a resolver
// that took the query.
func dnsAnswered(o Outcome) bool {
	switch o.Result {
	case "ok", "nodata", "nxdomain", "servfail", "wrong-answer":
		return true
	}
	return false
}

// srcnatWhy says what a wrong outcome of a host's way out means: another
// address is a rule that never takes its connections; nothing at all is a
// way out that is lost (an address the router does not hold).
func srcnatWhy(o Outcome) string {
	if o.Result == "ok" {
		return "the rule never takes its connections"
	}
	return "its connections do not get through"
}

// orResult is what the internet saw of a probe: the source address, or
// the failure.
func orResult(o Outcome) string {
	if o.Result == "ok" {
		return o.Saw
	}
	return "nothing (" + o.Result + ")"
}

// refusedPrefix starts the reason of a line Refusals set aside.
const refusedPrefix = "the lab router refuses it: "

// unreadablePrefix starts the reason of a line the reader could not read
// (Import): RouterOS refuses it as validate does, so it is listed among
// the refused lines, not the hardware's.
const unreadablePrefix = routerOSRefuses + "the line cannot be read: "

// routerOSRefuses starts the reason of a line RouterOS itself refuses,
// found by the reading (an unreadable line, an add in a settings menu):
// listed among the refused lines.
const routerOSRefuses = "refused, as RouterOS refuses it: "

// WANRefused says, when the lab router refuses the line that makes a WAN
// (its PPPoE or DHCP client, its address), which line and why: RouterOS
// refuses it on import as well, so the router has no such WAN, and a lab
// built on it fails "router has no address on ...". "" when none is.
func (p *Plan) WANRefused() string {
	why, _ := p.refusedWANs()
	return why
}

// DropRefusedWANs leaves out of the plan the WANs whose line the router
// refuses, when another WAN remains: the lab wired and probed a line the
// router did not have (an office's backup PPPoE client refused for a
// redacted user=), its probes ended in "no probe: router has no address",
// and the verdict said nothing of them. It returns what it said.
func (p *Plan) DropRefusedWANs() string {
	why, gone := p.refusedWANs()
	if why == "" || len(gone) >= len(p.WANs) {
		return why
	}
	kept := p.WANs[:0]
	for i, w := range p.WANs {
		if !slices.Contains(gone, i) {
			kept = append(kept, w)
		}
	}
	p.WANs = kept
	note := why + "; it is left out of the lab, and its paths are not probed"
	if !slices.Contains(p.Notes, note) {
		p.Notes = append(p.Notes, note)
	}
	return why
}

// refusedWANs is WANRefused's text and the indexes of the WANs it names.
func (p *Plan) refusedWANs() (string, []int) {
	if p.export == nil {
		return "", nil
	}
	refused := map[int]string{}
	for _, a := range p.Aside {
		if r, ok := strings.CutPrefix(a.Reason, refusedPrefix); ok && a.Param == "" {
			refused[a.Line] = r
		}
	}
	var out []string
	var gone []int
	for wi, w := range p.WANs {
		for _, c := range p.export.Commands {
			if c.Verb != "add" {
				continue
			}
			what := ""
			switch {
			case w.Kind == "pppoe" && c.MenuPath() == "interface pppoe-client" && c.Value("name") == w.Interface:
				what = "PPPoE client"
			case w.Kind == "dhcp" && c.MenuPath() == "ip dhcp-client" && c.Value("interface") == w.Interface:
				what = "DHCP client"
			case w.Kind == "static" && c.MenuPath() == "ip address" && c.Value("interface") == w.Interface:
				what = "address"
			default:
				continue
			}
			if msg, ok := refused[c.Line]; ok {
				s := fmt.Sprintf("the WAN %s's %s at line %d is refused (%s), as RouterOS refuses it on import: the router has no such WAN", w.Interface, what, c.Line, msg)
				if strings.Contains(msg, "value of interface") {
					s += "; an interface a line names must be made on an earlier line (an export writes /interface vlan before the PPPoE client on it)"
				}
				out = append(out, s)
				if !slices.Contains(gone, wi) {
					gone = append(gone, wi)
				}
			}
		}
	}
	return strings.Join(out, "; "), gone
}
