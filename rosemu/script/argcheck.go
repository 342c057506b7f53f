package script

import "slices"

// globalArgs lists what each global command cannot run without: the
// unnamed arguments by the name RouterOS's console help gives them, then
// the named ones. The interpreter relies on these checks, so that a bare
// ":for" or ":log" is refused when it is compiled instead of failing (or
// crashing the router) when it runs.
var globalArgs = map[string]struct {
	unnamed []string
	named   []string
}{
	"local":   {unnamed: []string{"name"}},
	"global":  {unnamed: []string{"name"}},
	"set":     {unnamed: []string{"name"}},
	"if":      {unnamed: []string{"condition"}},
	"while":   {unnamed: []string{"condition"}},
	"for":     {unnamed: []string{"counter"}, named: []string{"from", "to", "do"}},
	"foreach": {unnamed: []string{"counter"}, named: []string{"in", "do"}},
	"log":     {unnamed: []string{"topic", "message"}},
	"do":      {unnamed: []string{"command"}},
	"pick":    {unnamed: []string{"var", "start"}},
	"find":    {unnamed: []string{"var", "arg"}},
	"delay":   {unnamed: []string{"delay-time"}},
	"rndnum":  {named: []string{"from", "to"}},
	"onerror": {unnamed: []string{"error"}},
}

// globalParams are the named parameters of the global commands whose
// parameter set is known (the Scripting manual's table of global
// commands, https://help.mikrotik.com/docs/display/ROS/Scripting, and
// the names rosemu's interpreter reads): any other name is refused as
// RouterOS's console refuses an unknown parameter of a menu command,
// "expected end of command" at the parameter (ExpectedEnd; [verify] the
// words for a global command on a CHR). Before (forum35 D4) such a name was ignored:
// ":resolve name=nas.lan" (domain-name= meant) failed at run time with
// "dns server failure", ":foreach ... else={}" silently never ran its
// else. Commands not listed here are not checked.
var globalParams = map[string][]string{
	"if":      {"do", "else"},
	"while":   {"do"},
	"for":     {"from", "to", "step", "do"},
	"foreach": {"in", "do"},
	"log":     {"message"},
	"delay":   {"delay-time"},
	"rndnum":  {"from", "to"},
	"onerror": {"in", "do", "error"},
	"retry":   {"command", "delay", "max", "on-error"},
	// server-port is the current manual's name, port the older one; type
	// (any, ipv4, ipv6) is what DDNS scripts for IPv6 write.
	"resolve": {"value", "domain-name", "server", "port", "server-port", "type"},
	"do":      {"on-error", "while"},
	// The value commands take their value unnamed or as value=.
	"typeof": {"value"}, "len": {"value"}, "tostr": {"value"}, "tonum": {"value"},
	"toip": {"value"}, "toip6": {"value"}, "tobool": {"value"}, "totime": {"value"},
	"toid": {"value"}, "toarray": {"value", "delimiter"},
	// :put takes its message unnamed or as message= (the console's help
	// names it so; public scripts write ":put message=\"...\"").
	"put": {"message"},
	// :pick and :find take their values by position only (Scripting page:
	// ":pick <var> <start>[<end>]", ":find <arg> <arg> <start>"); no public
	// script found names them.
	"pick": {}, "find": {},
	"beep":    {"frequency", "length"},
	"execute": {"script", "file"},
}

// globalMaxUnnamed is how many values a global command takes by
// position. RouterOS's console refuses a value past them with "expected
// end of command" at it, as it refuses one more value for a menu command
// ("/ip address set 0 1"). Before (forum50 D1) rosemu dropped it: the
// forum's common ':log info "WAN IP is " $ip' and ':log info "WAN IP is "
// . $ip' (the parentheses of a concatenation left out) logged "WAN IP
// is " and ran on, where the router refuses the script. Only commands
// whose positional values the Scripting page gives are listed
// (https://help.mikrotik.com/docs/display/ROS/Scripting: ":put <arg>",
// ":log <topic> <message>", ":local <name> <value>", ":pick <var>
// <start>[<end>]", ":find <arg> <arg> <start>", ...); a function called
// by its variable takes any number ($1, $2, ...).
var globalMaxUnnamed = map[string]int{
	"put": 1, "log": 2, "local": 2, "global": 2, "set": 2,
	"if": 1, "while": 1, "for": 1, "foreach": 1, "do": 1,
	"delay": 1, "error": 1, "return": 1, "resolve": 1, "parse": 1,
	"typeof": 1, "len": 1, "tostr": 1, "tonum": 1, "toip": 1, "toip6": 1,
	"tobool": 1, "totime": 1, "toid": 1, "toarray": 1,
	"pick": 3, "find": 3,
}

// checkGlobalArgs refuses a global command that lacks an argument it
// needs, in the console's words, at the command, and one given a named
// parameter it does not have, at that parameter.
func checkGlobalArgs(st *GlobalStmt) error {
	if known, ok := globalParams[st.Name]; ok {
		for _, a := range st.Args {
			if a.Name != "" && !slices.Contains(known, a.Name) {
				return &Error{Msg: ExpectedEnd, Category: 3, Pos: a.P}
			}
		}
	}
	if limit, ok := globalMaxUnnamed[st.Name]; ok {
		seen := 0
		for _, a := range st.Args {
			if a.Name == "" {
				if seen++; seen > limit {
					return &Error{Msg: ExpectedEnd, Category: 3, Pos: a.P}
				}
			}
		}
	}
	spec, ok := globalArgs[st.Name]
	if !ok {
		return nil
	}
	n := 0
	named := map[string]bool{}
	for _, a := range st.Args {
		if a.Name == "" {
			n++
		} else {
			named[a.Name] = true
		}
	}
	// :log's message may also be given by its name (":log warning
	// message=...", as old scripts and the v2.4 manual write it).
	for i := n; i < len(spec.unnamed); i++ {
		// So may :delay's time (":delay delay-time=1", the console help's
		// name for it).
		if !(spec.unnamed[i] == "message" && named["message"]) && !(spec.unnamed[i] == "delay-time" && named["delay-time"]) && !(spec.unnamed[i] == "error" && named["error"]) {
			return &Error{Msg: "missing value for argument " + spec.unnamed[i], Category: 3, Pos: st.P}
		}
	}
	for _, k := range spec.named {
		if !named[k] {
			return &Error{Msg: "missing value for argument " + k, Category: 3, Pos: st.P}
		}
	}
	return nil
}

// unnamedAt returns the i-th unnamed argument, or a nothing literal: the
// interpreter's second line of defence behind checkGlobalArgs.
func (g gargs) unnamedAt(i int) Expr {
	if i < len(g.unnamed) {
		return g.unnamed[i]
	}
	return &Lit{Val: Nothing()}
}
