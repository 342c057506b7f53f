package script

import (
	"net/netip"
	"strings"
)

// Parse checks and parses a whole source against the menu tree, so that a
// syntax error anywhere stops the source before any of it runs. menu is
// the current menu the source starts in (nil for the root). Parse does not
// check variable declarations; ParseWith does when asked.
func Parse(src string, schema Schema, menu []string) (*Block, error) {
	return ParseWith(src, ParseOptions{Schema: schema, Menu: menu})
}

// ParseOptions configures ParseWith.
type ParseOptions struct {
	Schema Schema
	// Menu is the current menu the source starts in (nil for the root).
	Menu []string
	// Strict makes a reference to a variable that is not declared at that
	// point a syntax error at the variable's name, as RouterOS compiles
	// scripts (docs/routeros.md; the manual shows ":put $myVar" after a local of
	// an earlier console line failing with "syntax error (line 1 column
	// 7)"). Bodies of functions (do={} given to :local, :global or :set)
	// are exempt: their parameters are known only when they are called.
	Strict bool
	// Declared are names the source may use without declaring them: the
	// event variables the host injects for a run (bound, lease-address,
	// leaseBound, ...) and, for console input, the globals that exist.
	Declared []string
	// Version is the router's RouterOS version ("6.49.18", "7.10"): the
	// global commands a version lacks are refused as it refuses them
	// (versions.go). "" takes every command.
	Version string
}

// ParseWith parses src as Parse does, with the options.
func ParseWith(src string, o ParseOptions) (*Block, error) {
	p := &parser{s: newScanner(src), schema: o.Schema, menu: o.Menu, strict: o.Strict, version: o.Version}
	p.s.embed = p.embedded
	base := map[string]bool{}
	for _, n := range o.Declared {
		base[n] = true
	}
	p.scopes = []map[string]bool{base}
	return p.block(0)
}

type parser struct {
	s      *scanner
	schema Schema
	menu   []string
	depth  int

	strict  bool
	version string
	// scopes are the variables declared so far, innermost last.
	scopes []map[string]bool
	// free counts the function bodies being parsed: inside them any name
	// may be used.
	free int
	// where is set while parsing a where clause or find's arguments, where
	// bare words name properties and values.
	where bool
	// itemVars counts the where clauses being parsed, command
	// substitutions inside them included: there an undeclared variable
	// is the item's property of that name (itemVar).
	itemVars int
}

func (p *parser) declare(name string) { p.scopes[len(p.scopes)-1][name] = true }

func (p *parser) push() { p.scopes = append(p.scopes, map[string]bool{}) }

func (p *parser) pop() { p.scopes = p.scopes[:len(p.scopes)-1] }

// use checks a variable reference; at is the position of its name.
func (p *parser) use(name string, at Pos) error {
	if !p.strict || p.free > 0 {
		return nil
	}
	for _, sc := range p.scopes {
		if sc[name] {
			return nil
		}
	}
	return p.syntaxErr(at)
}

// str scans a quoted string and checks the variables it interpolates.
func (p *parser) str() (*StrLit, error) {
	lit, err := p.s.str()
	if err != nil {
		return nil, err
	}
	for _, part := range lit.Parts {
		if v, ok := part.(*Var); ok {
			if err := p.itemVar(v, Pos{Line: v.P.Line, Col: v.P.Col + 1}); err != nil {
				return nil, err
			}
		}
	}
	return lit, nil
}

// maxDepth bounds nesting so that hostile input cannot exhaust the stack.
const maxDepth = 200

func (p *parser) syntaxErr(at Pos) error {
	return &Error{Msg: "syntax error", Category: 3, Pos: at}
}

func (p *parser) enter() error {
	p.depth++
	if p.depth > maxDepth {
		return p.syntaxErr(p.s.here())
	}
	return nil
}

// block parses statements up to end (0 for the end of the source, '}' or
// ']'); the caller consumes the closing character.
func (p *parser) block(end rune) (*Block, error) {
	if err := p.enter(); err != nil {
		return nil, err
	}
	defer func() { p.depth-- }()
	saved := p.menu
	defer func() { p.menu = saved }()
	p.push()
	defer p.pop()
	// Commands and parentheses inside a block are not part of an
	// enclosing where clause.
	savedWhere := p.where
	p.where = false
	defer func() { p.where = savedWhere }()
	b := &Block{P: p.s.here()}
	for {
		p.s.skipBlanks(false)
		c := p.s.peek()
		switch {
		case c == end:
			return b, nil
		case c == 0:
			return nil, p.syntaxErr(p.s.here())
		case c == '\n' || c == ';':
			p.s.next()
			continue
		case c == '#':
			p.s.skipComment()
			continue
		case c == '}' || c == ']' || c == ')':
			return nil, p.syntaxErr(p.s.here())
		}
		st, err := p.statement()
		if err != nil {
			return nil, err
		}
		if st != nil {
			b.Stmts = append(b.Stmts, st)
		}
		p.s.skipBlanks(false)
		c = p.s.peek()
		if c == '#' {
			p.s.skipComment()
			c = p.s.peek()
		}
		if c == '}' || c == ']' || c == ')' {
			if c != end {
				return nil, p.syntaxErr(p.s.here())
			}
		} else if c != ';' && c != '\n' && c != 0 {
			return nil, &Error{Msg: ExpectedEnd, Category: 3, Pos: p.s.here()}
		}
	}
}

func (p *parser) statement() (Stmt, error) {
	at := p.s.here()
	switch c := p.s.peek(); {
	case c == '{':
		p.s.next()
		b, err := p.block('}')
		if err != nil {
			return nil, err
		}
		p.s.next()
		b.P = at
		return &BlockStmt{Block: b}, nil
	case c == ':':
		p.s.next()
		return p.global(at)
	case c == '/':
		if p.rootGlobal() {
			p.s.next()
			return p.global(at)
		}
		return p.commandLine(at, nil)
	case c == '$':
		return p.callStmt(at)
	case c == '(' || c == '[':
		x, err := p.value(false)
		if err != nil {
			return nil, err
		}
		// "($fns->\"send\") arg $msg" calls the code the expression
		// gives with the arguments that follow (eworm-de/routeros-scripts
		// calls its notification functions so), and so does "[:parse
		// $src] Text=$msg" (a stored script called as a function:
		// "[[:parse [/system script get TG source]] Text=$m]").
		save := p.s.pos
		p.s.skipBlanks(false)
		if p.s.pos > save && !endOfCommand(p.s.peek()) {
			st := &CallStmt{P: at, Fn: x}
			if err := p.args("", &st.Args); err != nil {
				return nil, err
			}
			return st, nil
		}
		p.s.pos = save
		if c == '[' {
			// "[[:parse $src]]": a line that is a command substitution
			// giving code runs that code, as "$f" does, and is worth
			// what it returns (":set r [[:parse \"/ping $a count=1
			// as-value\"]]", public function libraries). Any other value
			// is the line's value as before.
			return &CallStmt{P: at, Fn: x}, nil
		}
		return &ExprStmt{X: x}, nil
	case isIdentStart(c) || c == '.':
		if p.bareGlobal() {
			return p.global(at)
		}
		return p.commandLine(at, p.menu)
	}
	return nil, p.syntaxErr(at)
}

// bareGlobal reports whether the line starts with the name of a global
// command written without its ':' ("foreach k in=$list do={...}", "if
// (...) do={...}", "local x 1"), which RouterOS runs as the global
// command when the current menu has no submenu or command of that name:
// the Scripting manual's "[prefix] - ':' or '/' ... It may not be
// required". A menu's own command (set, find, print in /ip route) stays
// the menu's. The scanner does not move.
func (p *parser) bareGlobal() bool {
	save := p.s.pos
	defer func() { p.s.pos = save }()
	w := p.s.ident()
	if !globals[w] || !endOfValue(p.s.peek()) {
		return false
	}
	if p.schema == nil {
		return true
	}
	if p.schema.Submenu(p.menu, w) {
		return false
	}
	_, ok := p.schema.Command(p.menu, w)
	return !ok
}

// rootGlobal reports whether the line is a global command written with
// '/' ("/delay 1s", "/execute script=$src", "/put $x"): the global
// commands are the root menu's, so the '/' names them as ':' does, unless
// the root has a menu or command of that name (/log stays the menu). The
// scanner does not move.
func (p *parser) rootGlobal() bool {
	save := p.s.pos
	defer func() { p.s.pos = save }()
	p.s.next()
	w := p.s.ident()
	if !globals[w] || !endOfValue(p.s.peek()) {
		return false
	}
	if p.schema == nil {
		return false
	}
	if p.schema.Submenu(nil, w) {
		return false
	}
	_, ok := p.schema.Command(nil, w)
	return !ok
}

// commandLine parses "[path] [command args]" starting from the menu base
// (nil and a leading '/' for absolute paths).
func (p *parser) commandLine(at Pos, base []string) (Stmt, error) {
	path := append([]string(nil), base...)
	for {
		p.s.skipBlanks(false)
		c := p.s.peek()
		if c == '/' {
			p.s.next()
			continue
		}
		if c == '.' && p.s.peekN(1) == '.' {
			p.s.next()
			p.s.next()
			if len(path) > 0 {
				path = path[:len(path)-1]
			}
			continue
		}
		if c == '{' {
			// "/ip dhcp-server lease { :foreach i in=[find] do={ ... } }":
			// the block's commands are relative to the menu, as lease
			// scripts and the DHCP-to-DNS gists write them. The line
			// before keeps its menu afterwards. [verify] whether
			// RouterOS's current menu moves to the block's.
			bp := p.s.here()
			saved := p.menu
			p.menu = path
			p.s.next()
			b, err := p.block('}')
			p.menu = saved
			if err != nil {
				return nil, err
			}
			p.s.next()
			b.P = bp
			return &BlockStmt{Block: b}, nil
		}
		if endOfValue(c) || c == '#' {
			p.menu = path
			return &MenuStmt{P: at, Path: path}, nil
		}
		wp := p.s.here()
		w := p.s.ident()
		if w == "" {
			return nil, p.syntaxErr(wp)
		}
		if c := p.s.peek(); !endOfValue(c) && c != '/' && c != '#' {
			return nil, &Error{Msg: "bad command name " + w + p.s.bareWord(), Category: 3, Pos: wp}
		}
		if p.s.peek() == '/' && strings.HasPrefix(p.version, "6.") {
			// "/ip/firewall/filter/add": the slash-separated path came with
			// RouterOS 7 (forum35 D3); RouterOS 6 reads one word there
			// and refuses it as an unknown command [verify] its words.
			return nil, &Error{Msg: "bad command name " + w + p.s.bareWord(), Category: 3, Pos: wp}
		}
		if p.schema != nil && p.schema.Submenu(path, w) {
			path = append(path, w)
			continue
		}
		if p.schema != nil {
			if syn, ok := p.schema.Command(path, w); ok {
				return p.command(at, path, w, wp, syn)
			}
		}
		// An unambiguous beginning of a submenu's or command's name
		// stands for it ("/ip dhcp-cl", "/ip fi f pr"); an exact name
		// always wins, and an ambiguous or unknown one is refused as
		// before. [verify] RouterOS's words for an ambiguous one, and
		// that scripts and imports take abbreviations as its console
		// does.
		if c, ok := p.schema.(Completer); ok {
			if names := c.Complete(path, w); len(names) == 1 {
				full := names[0]
				if p.schema.Submenu(path, full) {
					path = append(path, full)
					continue
				}
				if syn, ok := p.schema.Command(path, full); ok {
					return p.command(at, path, full, wp, syn)
				}
			}
		}
		return nil, &Error{Msg: "bad command name " + w, Category: 3, Pos: wp}
	}
}

// dottedParam reads a dotted parameter name followed by "="
// ("output.network=", or ".role=" after a parameter of prefix local) and
// leaves the scanner at the "="; otherwise it moves nothing.
func (p *parser) dottedParam(prefix string) (string, bool) {
	save := p.s.pos
	w := ""
	switch c := p.s.peek(); {
	case c == '.' && prefix != "" && isIdentStart(p.s.peekN(1)):
		p.s.next()
		w = prefix + "." + p.s.ident()
	case isIdentStart(c):
		w = p.s.ident()
		if p.s.peek() != '.' {
			p.s.pos = save
			return "", false
		}
	default:
		return "", false
	}
	for p.s.peek() == '.' && isIdentStart(p.s.peekN(1)) {
		p.s.next()
		w += "." + p.s.ident()
	}
	if !strings.Contains(w, ".") || p.s.peek() != '=' {
		p.s.pos = save
		return "", false
	}
	return w, true
}

// endOfCommand reports whether c ends the arguments of a command.
func endOfCommand(c rune) bool {
	switch c {
	case 0, '\n', ';', ']', ')', '}', '#':
		return true
	}
	return false
}

func (p *parser) command(at Pos, path []string, verb string, vp Pos, syn *Syntax) (Stmt, error) {
	st := &CmdStmt{P: at, Path: path, Verb: verb, VerbPos: vp}
	// Commands inside [ ] in the arguments are relative to this menu:
	// /ip firewall nat set [find ...] finds NAT rules.
	saved := p.menu
	p.menu = path
	defer func() { p.menu = saved }()
	if syn.Expr {
		p.s.skipBlanks(false)
		save := p.s.pos
		if w := p.s.ident(); w != "where" {
			p.s.pos = save
		}
		p.s.skipBlanks(false)
		if !endOfCommand(p.s.peek()) {
			x, err := p.whereExpr()
			if err != nil {
				return nil, err
			}
			st.Where = x
		}
		return st, nil
	}
	unnamed := 0
	// prefix is the part before the first dot of the last dotted
	// parameter: RouterOS exports write "local.address=10.0.0.1 .role=ibgp"
	// for local.address and local.role.
	prefix := ""
	for {
		p.s.skipBlanks(false)
		c := p.s.peek()
		if endOfCommand(c) {
			return st, nil
		}
		ap := p.s.here()
		if w, ok := p.dottedParam(prefix); ok {
			if !syn.Params[w] {
				return nil, &Error{Msg: ExpectedEnd, Category: 3, Pos: ap}
			}
			prefix, _, _ = strings.Cut(w, ".")
			p.s.next()
			v, err := p.argValue(w)
			if err != nil {
				return nil, err
			}
			st.Args = append(st.Args, Arg{P: ap, Name: w, Value: v})
			continue
		}
		// set's "!name" returns a property to its default, like unset;
		// add's "!name" (in exports: "/interface gre add !keepalive ...")
		// creates the item with the property unset.
		if c == '!' && (verb == "set" || verb == "add") && isIdentStart(p.s.peekN(1)) {
			save := p.s.pos
			p.s.next()
			w := p.s.ident()
			// A dotted property (/routing bgp connection set p1
			// !input.filter; forum24 had "expected end of command").
			for p.s.peek() == '.' && isIdentStart(p.s.peekN(1)) {
				p.s.next()
				w += "." + p.s.ident()
			}
			if ((verb == "set" && syn.Params[w]) || syn.Unset[w]) && endOfValue(p.s.peek()) {
				st.Args = append(st.Args, Arg{P: ap, Name: "!" + w})
				continue
			}
			p.s.pos = save
		}
		if isIdentStart(c) {
			save := p.s.pos
			w := p.s.ident()
			if w == "do" && syn.DoVars != nil && p.s.peek() == '=' && p.s.peekN(1) == '{' {
				// A monitor's do={ } runs with the reading's values as
				// variables ($rate, $"rx-bits-per-second"), which its
				// body uses without declaring them.
				p.s.next()
				p.push()
				for _, n := range syn.DoVars {
					p.declare(n)
				}
				v, err := p.argValue("do")
				p.pop()
				if err != nil {
					return nil, err
				}
				st.Do, st.DoVars = v.(*CodeLit).Body, syn.DoVars
				continue
			}
			if p.s.peek() == '=' {
				p.s.next()
				if !syn.Params[w] {
					// An unambiguous beginning of a parameter's name
					// ("add-def=no") stands for it.
					full, ok := completeParam(syn, w)
					if !ok {
						return nil, &Error{Msg: ExpectedEnd, Category: 3, Pos: ap}
					}
					w = full
				}
				v, err := p.argValue(w)
				if err != nil {
					return nil, err
				}
				st.Args = append(st.Args, Arg{P: ap, Name: w, Value: v})
				continue
			}
			if endOfValue(p.s.peek()) {
				if w == "where" && syn.Where {
					p.s.skipBlanks(false)
					x, err := p.whereExpr()
					if err != nil {
						return nil, err
					}
					st.Where = x
					return st, nil
				}
				if syn.Flags[w] {
					st.Args = append(st.Args, Arg{P: ap, Name: w})
					continue
				}
			}
			p.s.pos = save
		}
		if unnamed >= syn.Unnamed {
			return nil, &Error{Msg: ExpectedEnd, Category: 3, Pos: ap}
		}
		unnamed++
		v, err := p.value(false)
		if err != nil {
			return nil, err
		}
		st.Args = append(st.Args, Arg{P: ap, Value: v})
	}
}

// ExpectedEnd is the console's words for a parameter name the command
// does not have, at the name: RouterOS takes the name for what follows the
// command's last argument (":parse \"/ip/address/print bogus=1\"" gives
// "expected end of command (line 1 column 19)" on 7.21.5 and 6.49.11, a
// public account of probes of real routers; ver46 N1). The name is not in
// the words; the position points at it. It was "bad parameter <name>",
// which RouterOS does not print.
const ExpectedEnd = "expected end of command"

// globals are the global commands the interpreter knows.
var globals = map[string]bool{
	"put": true, "local": true, "global": true, "set": true, "if": true, "foreach": true,
	"for": true, "while": true, "do": true, "log": true, "delay": true, "typeof": true,
	"len": true, "tostr": true, "tonum": true, "toip": true, "tobool": true, "totime": true,
	"toid": true, "toarray": true, "pick": true, "find": true, "error": true, "nothing": true,
	"return": true, "time": true, "toip6": true, "resolve": true, "parse": true,
	"timestamp": true, "rndnum": true, "jobname": true, "execute": true, "onerror": true,
	"beep": true, "environment": true,
	// RouterOS 7 (globals7.go).
	"retry": true, "rndstr": true, "range": true, "convert": true, "serialize": true,
	"deserialize": true, "tonsec": true, "tolf": true, "tocrlf": true, "grep": true,
}

// globalAbbrev is the global command an unambiguous beginning names, as
// for any command (Console page of the manual: "You can type only the
// beginning of the command name, and, if it is not ambiguous, the console
// will accept it as a full name"): hotspot voucher scripts write
// ":pic $comment 0 2" for :pick. An ambiguous beginning (":p": put, pick,
// parse) names none.
func globalAbbrev(prefix string) (string, bool) {
	found := ""
	for g := range globals {
		if strings.HasPrefix(g, prefix) {
			if found != "" {
				return "", false
			}
			found = g
		}
	}
	return found, found != ""
}

func (p *parser) global(at Pos) (Stmt, error) {
	// Blanks may stand between the ':' and the command's name, as between
	// '/' and a menu ("/ system identity get name"): a public backup
	// script names its file with "[: pick [/system clock get date] 4 6]"
	// and shows the name it got. [verify] against RouterOS.
	p.s.skipBlanks(false)
	np := p.s.here()
	start := p.s.pos
	name := p.s.ident()
	if name == "" {
		return nil, p.syntaxErr(np)
	}
	if !globals[name] && p.schema != nil && (p.schema.Submenu(nil, name) || p.rootCommand(name)) {
		// ':' before a menu or a root command reads as '/': public
		// scripts write "[:tool fetch url=... as-value output=user]",
		// ":ping 192.0.2.1 count=1" and ":system script run x" (the
		// Scripting page of the manual: the prefix of a command is ':'
		// or '/').
		p.s.pos = start
		return p.commandLine(at, nil)
	}
	if !globals[name] {
		full, ok := globalAbbrev(name)
		if !ok {
			return nil, &Error{Msg: "bad command name " + name, Category: 3, Pos: np}
		}
		name = full
	}
	if globalLacking(p.version, name) {
		return nil, &Error{Msg: "bad command name " + name, Category: 3, Pos: np}
	}
	st := &GlobalStmt{P: at, Name: name}
	// The loop variables of :for and :foreach are visible in the body,
	// as :onerror's error variable is in its do={}.
	if name == "for" || name == "foreach" || name == "onerror" {
		p.push()
		defer p.pop()
	}
	if err := p.args(name, &st.Args); err != nil {
		return nil, err
	}
	if name == "find" {
		findNamed(st)
	}
	if err := checkGlobalArgs(st); err != nil {
		return nil, err
	}
	for _, a := range st.Args {
		if a.Name != "" && globalParamLacking(p.version, name, a.Name) {
			return nil, &Error{Msg: ExpectedEnd, Category: 3, Pos: a.P}
		}
	}
	if len(st.Args) == 0 || st.Args[0].Name != "" {
		return st, nil
	}
	switch name {
	case "local", "global":
		if n, ok := nameOf(st.Args[0].Value); ok {
			p.declare(n)
		}
	case "set":
		if n, ok := nameOf(st.Args[0].Value); ok {
			if err := p.use(n, st.Args[0].P); err != nil {
				return nil, err
			}
		}
	}
	return st, nil
}

// args parses the arguments of a global command or a function call up to
// the end of the command.
func (p *parser) args(cmd string, out *[]Arg) error {
	for {
		p.s.skipBlanks(false)
		c := p.s.peek()
		if endOfCommand(c) {
			return nil
		}
		ap := p.s.here()
		// A { } given unnamed to :do, :execute or :onerror (after its
		// variable) is code, not an array.
		if c == '{' && (cmd == "do" || cmd == "execute" || cmd == "retry" || cmd == "grep" || (cmd == "onerror" && len(*out) > 0)) {
			v, err := p.argValue("do")
			if err != nil {
				return err
			}
			*out = append(*out, Arg{P: ap, Value: v})
			continue
		}
		if isIdentStart(c) {
			save := p.s.pos
			w := p.s.ident()
			if p.s.peek() == '=' {
				p.s.next()
				// A do={} given to :local, :global or :set is a function
				// body.
				fn := w == "do" && (cmd == "local" || cmd == "global" || cmd == "set")
				if fn {
					p.free++
				}
				// A body may stand apart from its "=": "do= {", "else=
				// {" (a scripting library, a DHCP-client IP watcher, a
				// USB power-reset one-liner run on routers). Only a { }
				// after a body's name: "a= b=c" keeps a empty.
				if k := codeArg(cmd, w); k == "do" || k == "else" || k == "on-error" {
					save := p.s.pos
					p.s.skipBlanks(false)
					if p.s.peek() != '{' {
						p.s.pos = save
					}
				}
				v, err := p.argValue(codeArg(cmd, w))
				if fn {
					p.free--
				}
				if err != nil {
					return err
				}
				// :onerror's variable given by name (":onerror
				// error=errorName in={...}", a public script framework)
				// is visible in its do={} as the unnamed one is.
				if cmd == "onerror" && w == "error" {
					if n, ok := nameOf(v); ok {
						p.declare(n)
					}
				}
				*out = append(*out, Arg{P: ap, Name: w, Value: v})
				continue
			}
			// An argument's name followed by its value without "=":
			// ":foreach i in [find] do={...}" (Mikhmon's hotspot
			// scripts, a 6.44 lease script), ":do {...} on-error {}"
			// (generated address-list imports), ":if (...) do {...}
			// else {...}"; the Console page's "pin 10.1 c 3 si 100"
			// equals "ping 10.0.0.1 count 3 size 100". Only the control
			// arguments of the global commands below, after their first
			// argument (the counter, condition or body; :retry has none).
			if spaced := p.s.peek() == ' ' || p.s.peek() == '\t'; spaced && (len(*out) >= 1 || cmd == "retry") && spacedArgs[cmd][w] {
				p.s.skipBlanks(false)
				if c := p.s.peek(); !endOfCommand(c) && c != '=' {
					v, err := p.argValue(codeArg(cmd, w))
					if err != nil {
						return err
					}
					*out = append(*out, Arg{P: ap, Name: w, Value: v})
					continue
				}
			}
			p.s.pos = save
		}
		v, err := p.value(false)
		if err != nil {
			return err
		}
		// The loop variables: "i" of :for, "k,v" or "v" of :foreach.
		if len(*out) == 0 && (cmd == "for" || cmd == "foreach" || cmd == "onerror") {
			if n, ok := nameOf(v); ok {
				for _, part := range strings.Split(n, ",") {
					p.declare(part)
				}
			}
		}
		*out = append(*out, Arg{P: ap, Value: v})
	}
}

// callStmt parses a line that starts with a variable: a function call
// with its arguments, or a value.
func (p *parser) callStmt(at Pos) (Stmt, error) {
	save := p.s.pos
	fn, err := p.variable()
	if err != nil {
		return nil, err
	}
	if c := p.s.peek(); !endOfCommand(c) && c != ' ' && c != '\t' && c != '\r' {
		// $a->"x" or $a."b": the line is an expression.
		p.s.pos = save
		x, err := p.value(false)
		if err != nil {
			return nil, err
		}
		return &ExprStmt{X: x}, nil
	}
	st := &CallStmt{P: at, Fn: fn}
	if err := p.args("", &st.Args); err != nil {
		return nil, err
	}
	return st, nil
}

// codeArg returns "do" for the named arguments whose { } is code beside
// do=, else= and on-error= (:onerror e in={...}, :execute script={...},
// :retry command={...}, :grep script={...}), else the name.
func codeArg(cmd, w string) string {
	if (cmd == "onerror" && w == "in") || (cmd == "execute" && w == "script") ||
		(cmd == "retry" && w == "command") || (cmd == "grep" && w == "script") {
		return "do"
	}
	return w
}

// spacedArgs are the named arguments each global command takes written
// as "name value" (without "=") after its first argument.
var spacedArgs = map[string]map[string]bool{
	"if":      {"do": true, "else": true},
	"while":   {"do": true},
	"for":     {"from": true, "to": true, "step": true, "do": true},
	"foreach": {"in": true, "do": true},
	"do":      {"on-error": true, "while": true},
	"onerror": {"in": true, "do": true},
	"retry":   {"command": true, "delay": true, "max": true, "on-error": true},
}

// nameOf returns the variable name written as a bare word or a plain
// string.
func nameOf(x Expr) (string, bool) {
	switch n := x.(type) {
	case *Word:
		return n.Text, true
	case *StrLit:
		if len(n.Parts) == 1 {
			if l, ok := n.Parts[0].(*Lit); ok {
				return l.Val.Str, true
			}
		}
	case *Lit:
		if n.Raw != "" {
			return n.Raw, true
		}
	}
	return "", false
}

// argValue parses the value of name=...: code for the body parameters,
// a value otherwise.
func (p *parser) argValue(name string) (Expr, error) {
	if p.s.peek() == '{' && (name == "do" || name == "else" || name == "on-error") {
		at := p.s.here()
		p.s.next()
		b, err := p.block('}')
		if err != nil {
			return nil, err
		}
		p.s.next()
		b.P = at
		return &CodeLit{Body: b}, nil
	}
	if p.s.peek() == '{' && scriptValued[name] {
		// source={ ... } and on-event={ ... }: RouterOS takes a code
		// block as a script property's value, its text between the
		// braces (scripts written by hand, "/system script add
		// name=backup source={ ... }" over several lines). The block is
		// parsed, so a syntax error in it is refused where it is.
		// The text runs on its own from the root menu, so it is parsed
		// there, not in the menu of the line that stores it ("set x 1"
		// in a source={} given under /system script is :set, not the
		// script menu's set).
		// Its variables are not checked here: the text is compiled
		// again when it runs, where the event's variables ($leaseBound,
		// $"lease-hostname" of a lease script) are declared. The manual:
		// "When a variable is undefined, the parser will try to look for
		// variables set, for example, by DHCP lease-script or Hotspot
		// on-login".
		at := p.s.here()
		p.s.next()
		start := p.s.pos
		saved := p.menu
		p.menu = nil
		p.free++
		_, err := p.block('}')
		p.free--
		p.menu = saved
		if err != nil {
			return nil, err
		}
		text := string(p.s.src[start:p.s.pos])
		p.s.next()
		return &Lit{P: at, Val: Str(text)}, nil
	}
	return p.value(false)
}

// scriptValued are the properties whose value is script source: a { }
// block given to them is its text.
var scriptValued = map[string]bool{
	"source": true, "on-event": true, "on-up": true, "on-down": true,
	"up-script": true, "down-script": true, "test-script": true,
	"lease-script": true, "on-login": true, "on-logout": true,
	// /ip dhcp-client script= (its $bound, $"lease-address",
	// $"gateway-address"): public Cloudflare DDNS and dual-WAN scripts
	// are given to the client as a { } block. :execute's and :grep's
	// script= are code (codeArg), never this.
	"script": true,
}

// value parses one argument value: pieces (bare words, strings, $vars,
// [commands], (expressions)) joined without whitespace.
func (p *parser) value(nl bool) (Expr, error) {
	if err := p.enter(); err != nil {
		return nil, err
	}
	defer func() { p.depth-- }()
	at := p.s.here()
	var parts []Expr
	for {
		c := p.s.peek()
		var x Expr
		var err error
		switch {
		case c == '"':
			x, err = p.str()
		case c == '$':
			x, err = p.variable()
		case c == '[':
			x, err = p.sub()
		case c == '(':
			x, err = p.paren()
		case c == '{' && len(parts) == 0:
			x, err = p.array()
		case c == '{':
			return nil, p.syntaxErr(p.s.here())
		case endOfValue(c):
			switch len(parts) {
			case 0:
				return &Lit{P: at, Val: Str("")}, nil
			case 1:
				return parts[0], nil
			}
			return &Concat{P: at, Parts: parts}, nil
		default:
			wp := p.s.here()
			x = &Word{P: wp, Text: p.s.bareWord()}
		}
		if err != nil {
			return nil, err
		}
		parts = append(parts, x)
	}
}

func (p *parser) variable() (Expr, error) {
	at := p.s.here()
	p.s.next()
	np := p.s.here()
	name, err := p.s.varName()
	if err != nil {
		return nil, err
	}
	v := &Var{P: at, Name: name}
	if err := p.itemVar(v, np); err != nil {
		return nil, err
	}
	return v, nil
}

func (p *parser) sub() (Expr, error) {
	at := p.s.here()
	p.s.next()
	b, err := p.block(']')
	if err != nil {
		return nil, err
	}
	p.s.next()
	b.P = at
	return &Sub{P: at, Body: b}, nil
}

// embedded parses what a quoted string embeds after '$': a command in
// [ ] or an expression in ( ), whose value the string holds where it
// stands ("Ok: $[:len $list] entries", "$($a->\"name\")"; public scripts,
// smirnovhub/my-mikrotik-scripts' encoders and MedvedevV-iltus's
// deploy script write them so).
func (p *parser) embedded() (Expr, error) {
	if p.s.peek() == '[' {
		return p.sub()
	}
	return p.paren()
}

func (p *parser) paren() (Expr, error) {
	at := p.s.here()
	p.s.next()
	p.s.skipBlanks(true)
	// A command inside ( ) is its value, as inside [ ]: the manual's
	// "Single command inside (), [] or {} does not require any end of
	// command character"; a public Cloudflare DNS updater writes
	// ":set interval (:totime "15m")". [verify] against RouterOS.
	if c := p.s.peek(); (c == ':' || c == '/') && isIdentStart(p.s.peekN(1)) {
		b, err := p.block(')')
		if err != nil {
			return nil, err
		}
		p.s.next()
		b.P = at
		return &Sub{P: at, Body: b}, nil
	}
	x, err := p.binary(true, 0)
	if err != nil {
		return nil, err
	}
	p.s.skipBlanks(true)
	if p.s.peek() != ')' {
		return nil, p.syntaxErr(p.s.here())
	}
	p.s.next()
	return x, nil
}

// array parses {a;b} or {k=v;...}.
func (p *parser) array() (Expr, error) {
	at := p.s.here()
	p.s.next()
	arr := &ArrayLit{P: at}
	for {
		p.s.skipBlanks(true)
		c := p.s.peek()
		if c == '}' {
			p.s.next()
			return arr, nil
		}
		if c == ';' {
			p.s.next()
			continue
		}
		// A comment line inside an array written over several lines
		// (eworm's global-config comments out list entries so).
		if c == '#' {
			p.s.skipComment()
			continue
		}
		key := ""
		if isIdentStart(c) || c == '"' {
			save := p.s.pos
			var k string
			if c == '"' {
				lit, err := p.s.str()
				if err == nil && len(lit.Parts) == 1 {
					if l, ok := lit.Parts[0].(*Lit); ok {
						k = l.Val.Str
					}
				}
			} else {
				k = p.s.ident()
			}
			if p.s.peek() == '=' {
				p.s.next()
				key = k
			} else {
				p.s.pos = save
			}
		}
		x, err := p.binary(true, 0)
		if err != nil {
			return nil, err
		}
		arr.Keys = append(arr.Keys, key)
		arr.Elems = append(arr.Elems, x)
		p.s.skipBlanks(true)
		if c := p.s.peek(); c != ';' && c != '}' {
			return nil, p.syntaxErr(p.s.here())
		}
	}
}

// Binary operator precedence, loosest first (docs/routeros.md, measured on CHR).
var precedence = map[string]int{
	",":  0,
	"or": 1, "||": 1,
	"and": 2, "&&": 2,
	"in": 3,
	"=":  4, "!=": 4, "<": 4, ">": 4, "<=": 4, ">=": 4, "~": 4,
	".":  5,
	"<<": 6, ">>": 6,
	"|": 7,
	"^": 8,
	"&": 9,
	"+": 10, "-": 10,
	"*": 11, "/": 11, "%": 11,
	"->": 12,
}

// expr parses an expression; nl says whether newlines are blanks (inside
// parentheses) or end it (a where clause ends with its command line). The
// array operator ',' needs parentheses: on a command line it separates
// list values.
func (p *parser) expr(nl bool) (Expr, error) {
	return p.binary(nl, 1)
}

// whereExpr parses a where clause or find's arguments.
func (p *parser) whereExpr() (Expr, error) {
	saved := p.where
	p.where = true
	p.itemVars++
	defer func() { p.where = saved; p.itemVars-- }()
	return p.expr(false)
}

// itemVar reports whether an undeclared variable compiles as the
// property of the item a where clause tests: a public 7.x module filters
// "/ipv6/address/print as-value proplist=from-pool where !disabled
// !invalid [:len $\"from-pool\"] interface~$re", which RouterOS compiles
// (the module loads on 7.21) and rosemu refused (f73 D3). eworm's notes
// on RouterOS's variables show the property taking even a declared
// local's place ("print where name=$name" filters nothing); rosemu keeps a
// declared variable's value there [verify] on a CHR.
func (p *parser) itemVar(v *Var, at Pos) error {
	err := p.use(v.Name, at)
	if err != nil && p.itemVars > 0 {
		v.Item = true
		return nil
	}
	return err
}

// startsOperand reports whether c can begin an operand: in a where clause
// conditions written one after another are joined by "and"
// (print where server="x" address="y").
func startsOperand(c rune) bool {
	return isIdentStart(c) || c == '!' || c == '(' || c == '$' || c == '"' || c == '.' || c == '['
}

func (p *parser) binary(nl bool, min int) (Expr, error) {
	if err := p.enter(); err != nil {
		return nil, err
	}
	defer func() { p.depth-- }()
	x, err := p.unary(nl)
	if err != nil {
		return nil, err
	}
	for {
		save := p.s.pos
		p.s.skipBlanks(nl)
		op, at := p.operator()
		implicit := false
		if op == "" && p.where && !nl && min <= precedence["and"] && p.s.pos > save && startsOperand(p.s.peek()) {
			op, implicit = "and", true
		}
		// "chain=input .id=$x": after a blank, ".id=" starts the next
		// condition, not a concatenation.
		if op == "." && p.where && !nl && p.s.pos > save && p.dotNameAhead() {
			if min > precedence["and"] {
				p.s.pos = save
				return x, nil
			}
			op, implicit = "and", true
		}
		prec, ok := precedence[op]
		if !ok || prec < min {
			p.s.pos = save
			return x, nil
		}
		if !implicit {
			p.s.pos += len([]rune(op))
		}
		p.s.skipBlanks(nl)
		var y Expr
		var err error
		if prec == precedence["="] && p.where {
			y, err = p.whereValue(nl, prec+1)
		} else {
			y, err = p.binary(nl, prec+1)
		}
		if err != nil {
			return nil, err
		}
		x = &Binary{P: at, Op: op, X: x, Y: y}
	}
}

// dotNameAhead reports whether ".name=" or ".name!=" comes next (a where
// clause's .id condition). The scanner does not move.
func (p *parser) dotNameAhead() bool {
	if p.s.peek() != '.' || !isIdentStart(p.s.peekN(1)) {
		return false
	}
	save := p.s.pos
	defer func() { p.s.pos = save }()
	p.s.next()
	p.s.ident()
	return p.s.peek() == '=' || p.s.peek() == '!' && p.s.peekN(1) == '='
}

// whereValue parses the right side of a comparison in a where clause. A
// bare value there is one word up to the next blank, as in a command's
// name=value argument: [find name=foo.bar] compares with "foo.bar" and
// address=192.168.88.1/24 with the address as written, where an
// expression would read foo.bar as the concatenation of foo and bar.
func (p *parser) whereValue(nl bool, min int) (Expr, error) {
	c := p.s.peek()
	// A lone "-" is the value "-" (name=- of a static DNS entry without
	// a name, as eworm's dhcp-to-dns writes it), not a negation.
	if n := p.s.peekN(1); c == '-' && (endOfValue(n) || n == '(' || n == 0) {
		at := p.s.here()
		p.s.next()
		return &Word{P: at, Text: "-"}, nil
	}
	if !(isIdentStart(c) || c >= '0' && c <= '9') {
		return p.binary(nl, min)
	}
	at := p.s.here()
	w := p.s.bareWord()
	if isIdentStart(c) {
		return &Word{P: at, Text: w}, nil
	}
	return &Lit{P: at, Val: ParseLiteral(w), Raw: w}, nil
}

// operator peeks at the binary operator at the current position.
func (p *parser) operator() (string, Pos) {
	at := p.s.here()
	c, d := p.s.peek(), p.s.peekN(1)
	two := string([]rune{c, d})
	switch two {
	case "||", "&&", "!=", "<=", ">=", "<<", ">>", "->":
		return two, at
	}
	switch c {
	case '=', '<', '>', '~', '.', '|', '^', '&', '+', '-', '*', '/', '%', ',':
		return string(c), at
	}
	if isIdentStart(c) {
		save := p.s.pos
		w := p.s.ident()
		p.s.pos = save
		if w == "and" || w == "or" || w == "in" {
			return w, at
		}
	}
	return "", at
}

func (p *parser) unary(nl bool) (Expr, error) {
	if err := p.enter(); err != nil {
		return nil, err
	}
	defer func() { p.depth-- }()
	at := p.s.here()
	c := p.s.peek()
	switch {
	case c == '!' || c == '-' || c == '~':
		p.s.next()
		if c == '!' {
			// "( ! $lteStatus )": a published LTE watchdog for 7.x
			// writes the negation apart from its operand.
			p.s.skipBlanks(nl)
		}
		x, err := p.unary(nl)
		if err != nil {
			return nil, err
		}
		return &Unary{P: at, Op: string(c), X: x}, nil
	case c == '(':
		return p.paren()
	case c == '"':
		return p.str()
	case c == '$':
		return p.variable()
	case c == '[':
		return p.sub()
	case c == '{':
		return p.array()
	case c == '.' && p.where && isIdentStart(p.s.peekN(1)):
		// A where clause names the item's id as .id ("find where
		// .id=$jobId", the Scripting page's "print where .id=*1" shape).
		p.s.next()
		return &Word{P: at, Text: "." + p.s.ident()}, nil
	case c >= '0' && c <= '9' || c == '*' && hexVal(toUpper(p.s.peekN(1))) >= 0 || c == ':' && p.s.peekN(1) == ':' || p.ip6Ahead():
		var b strings.Builder
		b.WriteRune(p.s.next())
		for {
			c := p.s.peek()
			if !(isAlnum(c) || c == '.' || c == ':' || c == '/') {
				break
			}
			// A '/' only belongs to a prefix length, never to a division.
			if c == '/' && !(p.s.peekN(1) >= '0' && p.s.peekN(1) <= '9') {
				break
			}
			b.WriteRune(c)
			p.s.pos++
		}
		return &Lit{P: at, Val: ParseLiteral(b.String()), Raw: b.String()}, nil
	case isIdentStart(c):
		w := p.s.ident()
		if w == "any" {
			p.s.skipBlanks(nl)
			x, err := p.unary(nl)
			if err != nil {
				return nil, err
			}
			return &Unary{P: at, Op: "any", X: x}, nil
		}
		return &Word{P: at, Text: w}, nil
	}
	return nil, p.syntaxErr(at)
}

func toUpper(c rune) rune {
	if c >= 'a' && c <= 'z' {
		return c - 'a' + 'A'
	}
	return c
}

// ip6Ahead reports whether an IPv6 address that starts with a letter
// comes next in an expression ("& ffff:ffff:ffff:ffff::", eworm's
// ipv6-update masks a prefix so): hex digits and at least two colons that
// make an address. A word (a command, a name) never reads as one.
func (p *parser) ip6Ahead() bool {
	if hexVal(toUpper(p.s.peek())) < 0 || !isIdentStart(p.s.peek()) {
		return false
	}
	var b strings.Builder
	colons := 0
	for k := 0; ; k++ {
		c := p.s.peekN(k)
		if c == ':' {
			colons++
		} else if hexVal(toUpper(c)) < 0 {
			break
		}
		b.WriteRune(c)
	}
	if colons < 2 {
		return false
	}
	a, err := netip.ParseAddr(b.String())
	return err == nil && a.Is6()
}

// rootCommand reports whether name is a command of the root menu (ping).
func (p *parser) rootCommand(name string) bool {
	_, ok := p.schema.Command(nil, name)
	return ok
}

// findNamed turns :find's named arguments into its positions: "[:find
// key=$x in=$list from=-1]" is ":find $list $x -1" (public scripts
// checked on 6.49 and 7.16 write both forms). Mixed with unnamed
// arguments they are left for the argument check to refuse.
func findNamed(st *GlobalStmt) {
	pos := map[string]int{"in": 0, "key": 1, "from": 2}
	var byPos [3]*Arg
	n := 0
	for i := range st.Args {
		a := &st.Args[i]
		k, ok := pos[a.Name]
		if !ok || byPos[k] != nil {
			return
		}
		byPos[k] = a
		n = max(n, k+1)
	}
	if n == 0 {
		return
	}
	var out []Arg
	for _, a := range byPos[:n] {
		if a == nil {
			return // a gap: "key=" without "in="
		}
		b := *a
		b.Name = ""
		out = append(out, b)
	}
	st.Args = out
}
