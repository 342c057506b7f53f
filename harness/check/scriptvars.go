package check

import (
	"fmt"
	"regexp"
	"strings"

	"github.com/chrlab/chrlab/harness/export"
	"github.com/chrlab/chrlab/rosemu/config"
)

// globalSet is a script variable given a literal value at the top level:
// ":global lanBridge \"bridge-lan\"", ":local dns1 8.8.8.8".
var globalSet = regexp.MustCompile(`^:(global|local)\s+([A-Za-z0-9_]+)\s+("([^"\\$]*)"|([A-Za-z0-9./:_,-]+))\s*;?\s*$`)

// setBy is a :set of a variable, which makes its value depend on when a
// command reads it.
var setBy = regexp.MustCompile(`:set\s+([A-Za-z0-9_]+)`)

// scriptGlobals returns the variables a setup script sets once to a
// literal at its top level and never sets again: their value is what the
// router's commands that use them ("interface=$wanIf") read. A variable
// set twice, or by :set, or to an expression, is left out: its value
// depends on when the command runs.
func scriptGlobals(f *export.File) map[string]string {
	vals := map[string]string{}
	count := map[string]int{}
	for _, c := range f.Commands {
		if c.Menu != nil {
			continue
		}
		for _, m := range setBy.FindAllStringSubmatch(c.Raw, -1) {
			count[m[1]] += 2
		}
		m := globalSet.FindStringSubmatch(strings.TrimSpace(c.Raw))
		if m == nil {
			continue
		}
		count[m[2]]++
		vals[m[2]] = m[4] + m[5]
	}
	for n := range vals {
		if count[n] != 1 {
			delete(vals, n)
		}
	}
	return vals
}

// varToken is a variable a value uses: $name.
var varToken = regexp.MustCompile(`\$([A-Za-z0-9_]+)`)

// expandGlobals replaces in the export's arguments the variables a
// setup script sets literally (scriptGlobals) by their values: the check
// reads "/interface bridge add name=$lanBridge" and "interface=$wanIf"
// as the names RouterOS gives them when the script runs, and its notes
// say "8.8.8.8,1.1.1.1", not "$dns1,$dns2" (realcheck19 D6, D10). A value
// with a variable the script does not set literally is left as it is.
// The lab router is given the expanded line, which RouterOS reads the
// same.
func expandGlobals(f *export.File) {
	vals := scriptGlobals(f)
	if len(vals) == 0 {
		return
	}
	for _, c := range f.Commands {
		if c.Menu == nil {
			continue
		}
		for _, a := range c.Args {
			if !strings.Contains(a.Value, "$") {
				continue
			}
			ok := true
			v := varToken.ReplaceAllStringFunc(a.Value, func(t string) string {
				x, set := vals[t[1:]]
				ok = ok && set
				return x
			})
			// A quoted value's "$(...)" or "$[...]" is an expression.
			if ok && !strings.ContainsAny(v, "$[(") {
				c.Set(a.Name, v)
			}
		}
	}
}

// loopBridgePort is a bridge port a loop's body adds.
var loopBridgePort = regexp.MustCompile(`/interface bridge port add\s+([^\n}]*)`)

// loopBridge is the bridge= of the bridge port a script's loop adds, a
// variable the script sets literally replaced by its value (a variable
// it does not set stays "$name"); false when the script adds no bridge
// port.
func loopBridge(raw string, vals map[string]string) (string, bool) {
	m := loopBridgePort.FindStringSubmatch(raw)
	if m == nil {
		return "", false
	}
	bridge := ""
	for _, w := range strings.Fields(m[1]) {
		if v, ok := strings.CutPrefix(w, "bridge="); ok {
			bridge = v
		}
	}
	if n, ok := strings.CutPrefix(bridge, "$"); ok && vals[n] != "" {
		bridge = vals[n]
	}
	return bridge, true
}

// loopPorts returns the bridge ports a setup script's loop over a literal
// list adds (":foreach i in={2;3} do={ /interface bridge port add
// bridge=bridge-lan interface=(\"ether\" . $i) }"), one per port the loop
// names (config.ScriptPorts), as the lines an export would have written:
// the LAN's lab host goes on the first (realcheck19 D6: the bridge had no
// port and the LAN was silently not probed).
func loopPorts(c *export.Command, vals map[string]string) []*export.Command {
	if c.Menu != nil || c.Verb != ":foreach" {
		return nil
	}
	bridge, ok := loopBridge(c.Raw, vals)
	if !ok {
		return nil
	}
	if strings.HasPrefix(bridge, "$") {
		bridge = ""
	}
	if bridge == "" || strings.ContainsAny(bridge, "$(") {
		return nil
	}
	var out []*export.Command
	for _, port := range config.ScriptPorts(c.Raw) {
		out = append(out, &export.Command{Line: c.Line, Col: c.Col, EndLine: c.EndLine, Menu: []string{"interface", "bridge", "port"}, Verb: "add",
			Args: []export.Arg{{Name: "bridge", Value: bridge, Line: c.Line}, {Name: "interface", Value: port, Line: c.Line}},
			Raw:  "/interface bridge port add bridge=" + bridge + " interface=" + port})
	}
	return out
}

// scriptLANNotes notes the LAN segments whose bridge has no port a lab
// host can reach because a script the check cannot read adds its ports
// (a loop over "[/interface find ...]", a name built from a variable it
// does not know): the segment is not probed, and the verdict says so
// rather than "no problem found" (realcheck19 D6: such a LAN was silently
// dropped).
func (p *Plan) scriptLANNotes(f *export.File, keep func(*export.Command) bool) {
	vals := scriptGlobals(f)
	for _, s := range p.Segments {
		if s.Port != "" {
			continue
		}
		for _, c := range f.Commands {
			if c.Menu != nil || !keep(c) {
				continue
			}
			bridge, ok := loopBridge(c.Raw, vals)
			if !ok {
				continue
			}
			if bridge != s.Interface && !strings.HasPrefix(bridge, "$") {
				continue
			}
			p.scriptLANs = append(p.scriptLANs, s.Interface)
			p.Notes = append(p.Notes, fmt.Sprintf("line %d: a script adds the ports of %s (%s), which the check cannot read: the LAN segment %s has no lab host and is not probed; write its ports out (/interface bridge port add bridge=%s interface=<port>) to have it probed", c.Line, s.Interface, s.Prefix, s.Interface, s.Interface))
			break
		}
	}
}

// unprobedLANs qualifies a verdict that found no problem: the LAN
// segments a script makes the ports of were not probed, so "no problem
// found" holds for the rest only.
func (p *Plan) unprobedLANs(text string) string {
	if len(p.scriptLANs) > 0 {
		text = fmt.Sprintf("LAN segment(s) %s not probed (a script the check cannot read makes their ports; see the notes); on the rest: %s", strings.Join(p.scriptLANs, ", "), text)
	}
	if len(p.placeholders) > 0 {
		// A placeholder export is not judged where it matters most:
		// "no problem found" alone read as a verdict on it (realcheck33
		// C6).
		text = fmt.Sprintf("the export cannot be judged where it has placeholders instead of values (%d line(s), see the notes); on the rest: %s", len(p.placeholders), text)
	}
	return text
}
