package script

import (
	"context"
	"errors"
	"net/netip"
	"strconv"
	"strings"
	"time"
)

// Host executes menu commands for the interpreter; package config
// implements it over the configuration model.
type Host interface {
	Call(ctx context.Context, c *Call) (Value, error)
}

// Sleeper is a Host that waits for :delay and :retry itself: the router
// commits what the run changed so far and lets go of its lock while the
// script sleeps, as RouterOS applies each command when it runs. A Host
// without it is waited for in place.
type Sleeper interface {
	Sleep(ctx context.Context, d time.Duration) error
}

// sleep waits d for a :delay or a :retry at pos: through the Host when it
// is a Sleeper; an interrupted wait is RouterOS's "interrupted".
func (in *Interp) sleep(ctx context.Context, d time.Duration, pos Pos) error {
	var err error
	if s, ok := in.Host.(Sleeper); ok {
		err = s.Sleep(ctx, d)
	} else {
		err = SleepContext(ctx, d)
	}
	if err == nil {
		return nil
	}
	if ctx.Err() != nil {
		return &Error{Msg: "interrupted", Category: 2, Pos: pos}
	}
	var se *Error
	if errors.As(err, &se) && se.Pos == (Pos{}) {
		se.Pos = pos
	}
	return err
}

// SleepContext waits d, or until ctx ends (its error).
func SleepContext(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}

// Call is one menu command with its arguments evaluated.
type Call struct {
	Path []string
	Verb string
	Pos  Pos
	// Named are name=value arguments in source order.
	Named []NamedArg
	// Flags are bare option words such as detail or count-only.
	Flags []string
	// Unnamed are the unnamed values (item references, get's property).
	Unnamed    []Value
	UnnamedPos []Pos
	// Where filters items; nil when the command has no where clause. props
	// looks up a property of the item under test.
	Where func(props func(name string) (Value, bool)) (bool, error)
	// WhereNames are the words of the where clause that name properties
	// (WhereNames), for the host to check against its menu before any
	// item is tested.
	WhereNames []*Word
	// Out receives what the command prints on the console.
	Out *strings.Builder
	// Sub is set when the command runs inside [ ] for its value.
	Sub bool
	// In is the interpreter running the command; a command that runs
	// other scripts (/system script run) runs them with its globals,
	// output and log.
	In *Interp
}

// NamedArg is one name=value argument.
type NamedArg struct {
	Name, Value string
	Pos         Pos
}

// LogEntry is one line of the in-memory log written by :log.
type LogEntry struct {
	Time   time.Time
	Topics string // info, warning, error, debug
	Msg    string
}

// Interp runs parsed sources. It is not safe for concurrent use; the
// caller serialises runs.
type Interp struct {
	Host    Host
	Out     strings.Builder
	Globals map[string]Value
	Log     []LogEntry
	// Schema is the menu tree :parse compiles against; NewInterp takes it
	// from a Host that implements SchemaHost.
	Schema Schema
	// Now is the clock of :log and :timestamp (time.Now when nil).
	Now func() time.Time

	// MaxSteps bounds the statements and loop rounds one Run may execute
	// (DefaultMaxSteps when 0, none when negative), so that a source that
	// loops forever fails with an error instead of holding the router.
	MaxSteps int64
	// JobName is what :jobname returns: the name of the /system script
	// being run ("" at the console and for inline event scripts).
	JobName string
	// NoDelay makes :delay and :retry's delay= return at once: an
	// offline check (chrlab validate) runs each command of a file within
	// a short bound, where RouterOS would wait and go on (a 7.16.2 wAP's
	// export starts with ":delay 25s"). The time is not waited, and
	// nothing else changes.
	NoDelay bool
	// DelayCap, when set, replaces MaxDelay as the longest :delay or
	// :retry delay= this run waits: console text (a configure step, a
	// .rsc's top-level line) runs under its transaction's own time bound
	// (config.MaxRunTime), so it may wait longer than a stored script,
	// which the cap keeps short (forum43 D11).
	DelayCap time.Duration
	// OnDelayCut is told of each wait cut to the cap, so that the run can
	// report it as not enforced instead of waiting less without a word.
	// When it is set, a wait is also cut so that DelayReserve is left
	// before the run's deadline (ctx's, or DelayBudget with NoDelay):
	// several waits each within the cap can otherwise add up past the
	// run's bound, and the run would end interrupted with the text before
	// the last wait committed (a wait yields the router). A cut is made
	// only where it is reported.
	OnDelayCut func(asked, waited time.Duration)
	// DelayBudget is, with NoDelay, the run's time bound the waits are
	// counted against as if waited (chrlab validate checks a text as its
	// run would cut it); 0: none.
	DelayBudget time.Duration
	// Vars are variables the outermost run sees as its own locals: an
	// event's (a netwatch probe's $"sent-count"), which its source is
	// compiled with as declared names and which are gone when it ends.
	Vars map[string]Value

	steps   int64
	delayed time.Duration // with NoDelay: the waits not waited, for DelayBudget
	nest    int           // nested Run calls (scripts running scripts)
	regexps map[string]*ByteRegexp
}

// DefaultMaxSteps is the step bound of a run: far above what any real
// configuration or script needs (a 50,000-entry :for loop takes a few
// hundred thousand), and reached in seconds by one that never ends.
const DefaultMaxSteps = 20_000_000

// step counts one statement or loop round at pos and fails once the run
// has used up its bound or its context.
func (in *Interp) step(ctx context.Context, pos Pos) error {
	in.steps++
	max := in.MaxSteps
	if max == 0 {
		max = DefaultMaxSteps
	}
	if max > 0 && in.steps > max {
		return &Error{Msg: "interrupted: more than " + strconv.FormatInt(max, 10) + " steps, the script does not end", Category: 2, Pos: pos}
	}
	if in.steps%1024 == 0 || in.steps == 1 {
		if err := ctx.Err(); err != nil {
			return &Error{Msg: "interrupted", Category: 2, Pos: pos}
		}
	}
	return nil
}

// SchemaHost is implemented by hosts that know their menu tree.
type SchemaHost interface{ ScriptSchema() Schema }

// OutputFileHost is implemented by hosts that keep the router's files:
// `:execute ... file=name` writes what the job printed to one of them.
type OutputFileHost interface {
	WriteOutputFile(name, text string) error
}

// Resolver is implemented by hosts that can resolve DNS names for
// :resolve. Resolve returns ErrNoSuchName when the name does not exist.
type Resolver interface {
	Resolve(ctx context.Context, name string) (netip.Addr, error)
}

// ServerResolver is implemented by hosts that can ask one DNS server
// directly, for ":resolve name server=address [port=n]": RouterOS asks
// that server, not its own resolver (Scripting page of the manual). port
// 0 is the default. It returns ErrNoSuchName when the server says the
// name does not exist.
type ServerResolver interface {
	ResolveAt(ctx context.Context, name string, server netip.Addr, port int) (netip.Addr, error)
}

// ServerResolver6 is implemented by hosts that can ask one DNS server for
// an IPv6 address (AAAA), for ":resolve name type=ipv6 server=address".
type ServerResolver6 interface {
	ResolveAt6(ctx context.Context, name string, server netip.Addr, port int) (netip.Addr, error)
}

// Resolver6 is implemented by hosts whose resolver can look up IPv6
// addresses, for ":resolve name type=ipv6".
type Resolver6 interface {
	Resolve6(ctx context.Context, name string) (netip.Addr, error)
}

// ErrNoSuchName is what a Resolver returns for a name that does not exist
// (NXDOMAIN or no address).
var ErrNoSuchName = errors.New("dns name does not exist")

// NewInterp returns an interpreter over host with an empty global scope.
func NewInterp(host Host) *Interp {
	in := &Interp{Host: host, Globals: map[string]Value{}}
	if sh, ok := host.(SchemaHost); ok {
		in.Schema = sh.ScriptSchema()
	}
	return in
}

// DelayReserve is what a wait cut at the run's deadline leaves to the
// text's other commands (see OnDelayCut).
var DelayReserve = 5 * time.Second

// capDelay returns the wait of a :delay or :retry that asked for d: d, or
// the cap when d is longer, or (reported runs) the time left before the
// run's deadline less DelayReserve when that is shorter; a cut is told to
// OnDelayCut. When not even DelayReserve is left, the wait is not cut: the
// run ends interrupted at its deadline as before, instead of a loop of
// waits turning into a busy loop.
func (in *Interp) capDelay(ctx context.Context, d time.Duration) time.Duration {
	limit := MaxDelay
	if in.DelayCap > 0 {
		limit = in.DelayCap
	}
	if in.OnDelayCut != nil {
		left, ok := time.Duration(0), false
		if in.NoDelay && in.DelayBudget > 0 {
			left, ok = in.DelayBudget-in.delayed-DelayReserve, true
		} else if dl, has := ctx.Deadline(); has && !in.NoDelay {
			left, ok = time.Until(dl)-DelayReserve, true
		}
		if ok && left > 0 && left < limit {
			limit = left.Truncate(time.Millisecond)
		}
	}
	if d > limit {
		if in.OnDelayCut != nil {
			in.OnDelayCut(d, limit)
		}
		d = limit
	}
	if in.NoDelay {
		in.delayed += d
	}
	return d
}

func (in *Interp) now() time.Time {
	if in.Now != nil {
		return in.Now()
	}
	return time.Now()
}

type scope struct {
	vars   map[string]Value
	parent *scope
}

func (s *scope) lookup(name string) (*scope, bool) {
	for c := s; c != nil; c = c.parent {
		if _, ok := c.vars[name]; ok {
			return c, true
		}
	}
	return nil, false
}

// env is the evaluation context of one expression.
type env struct {
	sc    *scope
	props func(string) (Value, bool) // set inside where clauses
	// item reads the tested item's properties for the variables a where
	// clause uses undeclared (Var.Item), also inside its substitutions.
	item  func(string) (Value, bool)
	sub   bool
	depth int
}

// returnSignal carries :return up to the enclosing function or source.
type returnSignal struct{ v Value }

func (returnSignal) Error() string { return "return outside of function" }

// Quit is what a host returns for /quit: the console session ends, and
// with it the script or import that ran the command, without an error
// (RouterOS's default-configuration script quits so when the board has no
// ports to configure). rosemu ends the running script as :return does.
func Quit() error { return returnSignal{} }

// Run executes a parsed source in a fresh local scope. A script that a
// running script starts (/system script run) runs through Run of the same
// interpreter and shares its globals, output and log.
func (in *Interp) Run(ctx context.Context, b *Block) error {
	if in.nest >= maxNest {
		return &Error{Msg: "stack overflow", Category: 3, Pos: b.P}
	}
	if in.nest == 0 {
		in.steps = 0
	}
	vars := map[string]Value{}
	if in.nest == 0 {
		for k, v := range in.Vars {
			vars[k] = v
		}
	}
	in.nest++
	defer func() { in.nest-- }()
	_, err := in.block(ctx, b, &env{sc: &scope{vars: vars}})
	var rs returnSignal
	if errors.As(err, &rs) {
		return nil
	}
	return err
}

// maxNest bounds scripts that run scripts.
const maxNest = 20

const maxRunDepth = 100

func (in *Interp) block(ctx context.Context, b *Block, e *env) (Value, error) {
	if e.depth > maxRunDepth {
		return Value{}, &Error{Msg: "stack overflow", Category: 3, Pos: b.P}
	}
	// Entering a block is a step too: an empty loop body still counts.
	if err := in.step(ctx, b.P); err != nil {
		return Value{}, err
	}
	child := &env{sc: &scope{vars: map[string]Value{}, parent: e.sc}, props: e.props, item: e.item, sub: e.sub, depth: e.depth + 1}
	var last Value
	for _, st := range b.Stmts {
		if err := in.step(ctx, st.Position()); err != nil {
			return Value{}, err
		}
		v, err := in.stmt(ctx, st, child)
		if err != nil {
			return Value{}, err
		}
		last = v
	}
	return last, nil
}

func (in *Interp) stmt(ctx context.Context, st Stmt, e *env) (Value, error) {
	switch s := st.(type) {
	case *MenuStmt:
		return Value{}, nil
	case *BlockStmt:
		return in.block(ctx, s.Block, e)
	case *ExprStmt:
		return in.eval(ctx, s.X, e)
	case *CallStmt:
		return in.call(ctx, s, e)
	case *GlobalStmt:
		return in.global(ctx, s, e)
	case *CmdStmt:
		return in.command(ctx, s, e)
	}
	return Value{}, &Error{Msg: "syntax error", Category: 3, Pos: st.Position()}
}

func (in *Interp) command(ctx context.Context, s *CmdStmt, e *env) (Value, error) {
	c := &Call{Path: s.Path, Verb: s.Verb, Pos: s.P, Out: &in.Out, Sub: e.sub, In: in}
	for _, a := range s.Args {
		switch {
		case a.Value == nil:
			c.Flags = append(c.Flags, a.Name)
		case a.Name != "":
			v, err := in.argEval(ctx, a.Value, e)
			if err != nil {
				return Value{}, err
			}
			c.Named = append(c.Named, NamedArg{Name: a.Name, Value: v.ArgString(), Pos: a.P})
		default:
			v, err := in.argEval(ctx, a.Value, e)
			if err != nil {
				return Value{}, err
			}
			c.Unnamed = append(c.Unnamed, v)
			c.UnnamedPos = append(c.UnnamedPos, a.P)
		}
	}
	if s.Where != nil {
		c.WhereNames = WhereNames(s.Where)
		c.Where = func(props func(string) (Value, bool)) (bool, error) {
			v, err := in.eval(ctx, s.Where, &env{sc: e.sc, props: props, item: props, depth: e.depth + 1})
			if err != nil {
				return false, err
			}
			return v.Truth(), nil
		}
	}
	if s.Do != nil {
		c.Flags = append(c.Flags, "as-value")
	}
	v, err := in.Host.Call(ctx, c)
	if err != nil {
		return Value{}, placeErr(err, s)
	}
	if s.Do != nil {
		return in.monitorDo(ctx, s, v, e)
	}
	return v, nil
}

// monitorDo runs a monitor's do={ } block once with the values of the
// reading v as its variables; a value the reading lacks is nothing.
func (in *Interp) monitorDo(ctx context.Context, s *CmdStmt, v Value, e *env) (Value, error) {
	vars := map[string]Value{}
	for _, n := range s.DoVars {
		vars[n] = Nothing()
		if v.Kind == KindArray && v.Arr != nil {
			if x, ok := v.Arr.Keys[n]; ok {
				vars[n] = x
			}
		}
	}
	_, err := in.block(ctx, s.Do, &env{sc: &scope{vars: vars, parent: e.sc}, props: e.props, sub: e.sub, depth: e.depth + 1})
	return Value{}, err
}

// argEval evaluates a command argument. A bare word stays the text the
// user wrote: the menu types it by parameter, so 192.168.88.1/24 keeps its
// host bits for /ip address.
func (in *Interp) argEval(ctx context.Context, x Expr, e *env) (Value, error) {
	if w, ok := x.(*Word); ok {
		return Str(w.Text), nil
	}
	return in.eval(ctx, x, e)
}

// placeErr gives a host error the position of the argument it names, or of
// the command.
func placeErr(err error, s *CmdStmt) error {
	if _, quit := err.(returnSignal); quit {
		return err // /quit (Quit) ends the script; it is no error
	}
	var se *Error
	if errors.As(err, &se) {
		if se.Pos.Line == 0 {
			se.Pos = s.P
		}
		return se
	}
	var pl Placeable
	if errors.As(err, &pl) {
		at := s.P
		if n := pl.ArgName(); n != "" {
			for _, a := range s.Args {
				if a.Name == n {
					at = a.P
				}
			}
		}
		pl.Place(at.Line, at.Col)
		return err
	}
	return &Error{Msg: err.Error(), Category: 4, Pos: s.P}
}

func (in *Interp) eval(ctx context.Context, x Expr, e *env) (Value, error) {
	switch n := x.(type) {
	case *Lit:
		return n.Val, nil
	case *Word:
		if e.props != nil {
			if v, ok := e.props(n.Text); ok {
				return v, nil
			}
		}
		return ParseLiteral(n.Text), nil
	case *StrLit:
		var b strings.Builder
		for _, p := range n.Parts {
			v, err := in.eval(ctx, p, e)
			if err != nil {
				return Value{}, err
			}
			b.WriteString(v.String())
			if b.Len() > MaxString {
				return Value{}, tooLarge(n.P)
			}
		}
		return Str(b.String()), nil
	case *Var:
		if n.Item && e.item != nil {
			if v, ok := e.item(n.Name); ok {
				return v, nil
			}
		}
		if sc, ok := e.sc.lookup(n.Name); ok {
			return sc.vars[n.Name], nil
		}
		if v, ok := in.Globals[n.Name]; ok {
			return v, nil
		}
		return Nothing(), nil
	case *Sub:
		return in.block(ctx, n.Body, &env{sc: e.sc, item: e.item, sub: true, depth: e.depth + 1})
	case *Concat:
		var b strings.Builder
		for _, p := range n.Parts {
			v, err := in.eval(ctx, p, e)
			if err != nil {
				return Value{}, err
			}
			b.WriteString(v.String())
			if b.Len() > MaxString {
				return Value{}, tooLarge(n.P)
			}
		}
		return Str(b.String()), nil
	case *ArrayLit:
		// {1,2,3}: a single element made by the ',' operator is the
		// array itself. [verify] on CHR.
		if len(n.Elems) == 1 && n.Keys[0] == "" {
			if b, ok := n.Elems[0].(*Binary); ok && b.Op == "," {
				return in.eval(ctx, b, e)
			}
		}
		arr := &Array{}
		for i, el := range n.Elems {
			v, err := in.eval(ctx, el, e)
			if err != nil {
				return Value{}, err
			}
			if k := n.Keys[i]; k != "" {
				if arr.Keys == nil {
					arr.Keys = map[string]Value{}
				}
				arr.Keys[k] = v
			} else {
				arr.List = append(arr.List, v)
			}
		}
		return Value{Kind: KindArray, Arr: arr}, nil
	case *CodeLit:
		return Value{Kind: KindCode, Code: n.Body}, nil
	case *Unary:
		v, err := in.eval(ctx, n.X, e)
		if err != nil {
			return Value{}, err
		}
		return unary(n, v)
	case *Binary:
		return in.binary(ctx, n, e)
	}
	return Value{}, &Error{Msg: "syntax error", Category: 3, Pos: x.Position()}
}

// operand evaluates one side of a comparison in a where clause: a bare
// word on the left names a property, on the right it is a literal, and
// literals compare by their source text as RouterOS prints values.
func (in *Interp) operand(ctx context.Context, x Expr, e *env, left bool) (Value, error) {
	if e.props != nil {
		switch n := x.(type) {
		case *Word:
			if left {
				if v, ok := e.props(n.Text); ok {
					return v, nil
				}
				return Nothing(), nil
			}
			return ParseLiteral(n.Text), nil
		case *Lit:
			if n.Raw != "" {
				return Str(n.Raw), nil
			}
		}
	}
	return in.eval(ctx, x, e)
}

// call runs a function: a fresh scope holds the named arguments as
// variables, the positional ones as $1, $2, ... and the function's
// variable as written, "$name", as $0. Functions do not see the caller's locals.
func (in *Interp) call(ctx context.Context, s *CallStmt, e *env) (Value, error) {
	fv, err := in.eval(ctx, s.Fn, e)
	if err != nil {
		return Value{}, err
	}
	if fv.kind() != KindCode {
		return fv, nil
	}
	if e.depth > maxRunDepth {
		return Value{}, &Error{Msg: "stack overflow", Category: 3, Pos: s.P}
	}
	sc := &scope{vars: map[string]Value{}}
	// $0 is the name as the call wrote it, with its '$': ":put [$Fun1 1
	// var2=22 \"3\" var1=\"4\"]" on a function returning "result $0 $1
	// $var1 $2 $var2" prints "result $Fun1 1 4 3 22" (a study of RouterOS
	// functions, https://habr.com/en/articles/650795), and a Telegram bot
	// library cuts the '$' off with "[:pick $0 1 [:len $0]]".
	pos := 1
	if v, ok := s.Fn.(*Var); ok {
		sc.vars["0"] = Str("$" + v.Name)
	} else if _, ok := s.Fn.(*Sub); ok {
		// Code a command substitution gives has no name: its first
		// unnamed argument is $0. Public Telegram bot command scripts
		// (an Antizapret switcher, a firewall and a password command)
		// begin ":local action $0; :local address $1" and are called
		// "[:parse [/system script get $cmd source]] add 192.168.88.5";
		// with the words from $1, every command was "help". [verify]
		pos = 0
	}
	for _, a := range s.Args {
		v, err := in.eval(ctx, a.Value, e)
		if err != nil {
			return Value{}, err
		}
		if a.Name != "" {
			sc.vars[a.Name] = v
			continue
		}
		sc.vars[strconv.Itoa(pos)] = v
		pos++
	}
	v, err := in.block(ctx, fv.Code, &env{sc: sc, sub: e.sub, depth: e.depth + 1})
	var rs returnSignal
	if errors.As(err, &rs) {
		return rs.v, nil
	}
	return v, err
}

// regexp compiles a where-clause or ~ pattern as POSIX extended regular
// expression over bytes (docs/routeros.md), caching it for the items of
// one command.
func (in *Interp) regexp(pat string) (*ByteRegexp, error) {
	if re, ok := in.regexps[pat]; ok {
		return re, nil
	}
	re, err := CompileByteRegexp(pat, true)
	if err != nil {
		return nil, err
	}
	if in.regexps == nil {
		in.regexps = map[string]*ByteRegexp{}
	}
	in.regexps[pat] = re
	return re, nil
}
