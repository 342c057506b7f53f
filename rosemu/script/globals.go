package script

import (
	"context"
	"errors"
	"math/rand/v2"
	"net/netip"
	"strconv"
	"strings"
	"sync/atomic"
	"time"
)

// MaxDelay caps :delay and :retry's delay: a lab run is bounded, and
// RouterOS scripts in labs use short delays. Where the router lets go of
// its lock while a script sleeps (config's tx.Sleep) nobody waits on it;
// elsewhere the cap bounds how long the lock is held.
var MaxDelay = 10 * time.Second

type gargs struct {
	named   map[string]Expr
	unnamed []Expr
}

func splitArgs(s *GlobalStmt) gargs {
	g := gargs{named: map[string]Expr{}}
	for _, a := range s.Args {
		if a.Name != "" {
			g.named[a.Name] = a.Value
		} else {
			g.unnamed = append(g.unnamed, a.Value)
		}
	}
	return g
}

func (in *Interp) global(ctx context.Context, s *GlobalStmt, e *env) (Value, error) {
	g := splitArgs(s)
	fail := func(msg string) (Value, error) {
		return Value{}, &Error{Msg: msg, Category: 3, Pos: s.P}
	}
	arg := func(i int) (Value, error) {
		if i >= len(g.unnamed) {
			return Nothing(), nil
		}
		return in.eval(ctx, g.unnamed[i], e)
	}
	named := func(k string) (Value, bool, error) {
		x, ok := g.named[k]
		if !ok {
			return Value{}, false, nil
		}
		v, err := in.eval(ctx, x, e)
		return v, true, err
	}
	runCode := func(v Value) (Value, error) {
		if v.kind() != KindCode {
			return Value{}, nil
		}
		return in.block(ctx, v.Code, e)
	}
	switch s.Name {
	case "put":
		v, err := arg(0)
		if err != nil {
			return Value{}, err
		}
		if m, ok, err := named("message"); err != nil {
			return Value{}, err
		} else if ok && len(g.unnamed) == 0 {
			// ":put message=..." prints the message (it printed an empty
			// line before).
			v = m
		}
		if in.Out.Len() > MaxOutput {
			return Value{}, &Error{Msg: "interrupted: more than 16 MiB of console output", Category: 2, Pos: s.P}
		}
		in.Out.WriteString(v.String() + "\n")
		return Value{}, nil
	case "local", "global", "set":
		if len(g.unnamed) == 0 {
			return fail("missing value for argument name")
		}
		// :set ($a->"k") v assigns an element of an array.
		if b, ok := g.unnamed[0].(*Binary); ok && b.Op == "->" && s.Name == "set" {
			return Value{}, in.setElem(ctx, s, b, g, e)
		}
		name, ok := nameOf(g.unnamedAt(0))
		if x, isVar := g.unnamedAt(0).(*Var); isVar && s.Name == "set" {
			// ":set $name v" assigns name as ":set name v" does: RouterOS
			// runs it (forum thread "Neither local nor global variable",
			// 6.25 and 7.7) and public scripts write it (":set $DNSAtual
			// [/ip dns get servers]"). The parser has checked the name is
			// declared.
			name, ok = x.Name, true
		}
		if !ok {
			return fail("syntax error")
		}
		v := Nil()
		hasValue := len(g.unnamed) > 1
		if hasValue {
			var err error
			if v, err = arg(1); err != nil {
				return Value{}, err
			}
		}
		// :global f do={...} defines a function.
		if code, ok, err := named("do"); err != nil {
			return Value{}, err
		} else if ok {
			v, hasValue = code, true
		}
		switch s.Name {
		case "local":
			e.sc.vars[name] = v
		case "global":
			// A global declared without a value that nobody set is
			// "nothing" to :typeof: public scripts find their unset
			// settings so (":global SendEMail2; :if ([ :typeof
			// $SendEMail2 ] = "nothing")" in eworm's backup-email, the
			// same in cheretbe's failover and Cloudflare scripts)
			// [verify] against RouterOS; a :local stays nil.
			if !hasValue {
				v = Nothing()
			}
			if _, ok := in.Globals[name]; !ok || hasValue {
				in.Globals[name] = v
			}
		case "set":
			// ":set name" with no value empties the variable; it stays
			// declared, as declarations are the compiler's: public scripts
			// clear loop state so (":set IPv4;" then "[:len $IPv4]" in a
			// PPP on-up address-list script). [verify] RouterOS's :typeof
			// of it afterwards; :unset is what removes a variable.
			if !hasValue {
				v = Nothing()
			}
			if sc, ok := e.sc.lookup(name); ok {
				sc.vars[name] = v
			} else if _, ok := in.Globals[name]; ok {
				in.Globals[name] = v
			} else {
				return fail("no such variable " + name)
			}
		}
		return Value{}, nil
	case "if":
		c, err := arg(0)
		if err != nil {
			return Value{}, err
		}
		key := "do"
		if !c.Truth() {
			key = "else"
		}
		v, ok, err := named(key)
		if err != nil || !ok {
			return Value{}, err
		}
		return runCode(v)
	case "foreach":
		vars, _ := nameOf(g.unnamedAt(0))
		list, _, err := named("in")
		if err != nil {
			return Value{}, err
		}
		body, _, err := named("do")
		if err != nil {
			return Value{}, err
		}
		k, val, _ := strings.Cut(vars, ",")
		if val == "" {
			k, val = "", k
		}
		le := loopEnv(e)
		each := func(key, v Value) error {
			if err := in.step(ctx, s.P); err != nil {
				return err
			}
			if k != "" {
				le.sc.vars[k] = key
			}
			le.sc.vars[val] = v
			if body.kind() != KindCode {
				return nil
			}
			_, err := in.block(ctx, body.Code, le)
			return err
		}
		if list.kind() != KindArray {
			if list.kind() == KindNothing {
				return Value{}, nil
			}
			return Value{}, each(Num(0), list)
		}
		for i, v := range list.Arr.List {
			if err := each(Num(int64(i)), v); err != nil {
				return Value{}, err
			}
		}
		for _, key := range list.Arr.sortedKeys() {
			if err := each(Str(key), list.Arr.Keys[key]); err != nil {
				return Value{}, err
			}
		}
		return Value{}, nil
	case "for":
		name, _ := nameOf(g.unnamedAt(0))
		from, _, err := named("from")
		if err != nil {
			return Value{}, err
		}
		to, _, err := named("to")
		if err != nil {
			return Value{}, err
		}
		step := Num(1)
		if st, ok, err := named("step"); err != nil {
			return Value{}, err
		} else if ok {
			step = st
		}
		body, _, err := named("do")
		if err != nil {
			return Value{}, err
		}
		f, _ := asNum(from)
		t, _ := asNum(to)
		d, _ := asNum(step)
		if d == 0 {
			return fail("invalid value for argument step")
		}
		if f > t && d > 0 {
			d = -d
		}
		le := loopEnv(e)
		for i := f; (d > 0 && i <= t) || (d < 0 && i >= t); i += d {
			if err := in.step(ctx, s.P); err != nil {
				return Value{}, err
			}
			le.sc.vars[name] = Num(i)
			if body.kind() != KindCode {
				continue
			}
			if _, err := in.block(ctx, body.Code, le); err != nil {
				return Value{}, err
			}
		}
		return Value{}, nil
	case "while":
		body, _, err := named("do")
		if err != nil {
			return Value{}, err
		}
		for {
			if err := in.step(ctx, s.P); err != nil {
				return Value{}, err
			}
			c, err := arg(0)
			if err != nil || !c.Truth() {
				return Value{}, err
			}
			if _, err := runCode(body); err != nil {
				return Value{}, err
			}
			if err := ctx.Err(); err != nil {
				return Value{}, &Error{Msg: "interrupted", Category: 2, Pos: s.P}
			}
		}
	case "do":
		body, err := arg(0)
		if err != nil {
			return Value{}, err
		}
		if onErr, ok, err := named("on-error"); err != nil {
			return Value{}, err
		} else if ok {
			if _, err := runCode(body); err != nil {
				if _, isRet := err.(returnSignal); isRet {
					return Value{}, err
				}
				// An interrupted command (the run's bound, a reboot)
				// is not the script's error: on-error does not take it,
				// as :onerror and :retry do not.
				if se := (*Error)(nil); errors.As(err, &se) && se.Category == 2 {
					return Value{}, err
				}
				return runCode(onErr)
			}
			return Value{}, nil
		}
		for {
			if err := in.step(ctx, s.P); err != nil {
				return Value{}, err
			}
			if _, err := runCode(body); err != nil {
				return Value{}, err
			}
			wx, ok := g.named["while"]
			if !ok {
				return Value{}, nil
			}
			c, err := in.eval(ctx, wx, e)
			if err != nil || !c.Truth() {
				return Value{}, err
			}
		}
	case "log":
		word, _ := nameOf(g.unnamedAt(0))
		lvl := logLevel(word)
		if lvl == "" {
			return fail("bad command name " + word)
		}
		v, err := arg(1)
		if err != nil {
			return Value{}, err
		}
		if len(g.unnamed) < 2 {
			if m, ok, err := named("message"); err != nil {
				return Value{}, err
			} else if ok {
				v = m
			}
		}
		in.Log = append(in.Log, LogEntry{Time: in.now(), Topics: "script," + lvl, Msg: v.String()})
		if len(in.Log) > 2*MaxLog {
			in.Log = append([]LogEntry(nil), in.Log[len(in.Log)-MaxLog:]...)
		}
		return Value{}, nil
	case "delay":
		v, err := arg(0)
		if x, ok := g.named["delay-time"]; ok && len(g.unnamed) == 0 {
			v, err = in.eval(ctx, x, e)
		}
		if err != nil {
			return Value{}, err
		}
		d, ok := toTime(v)
		if !ok {
			return fail("invalid value for argument delay-time")
		}
		d = in.capDelay(ctx, d)
		if in.NoDelay {
			return Value{}, nil
		}
		return Value{}, in.sleep(ctx, d, s.P)
	case "error":
		v, err := arg(0)
		if err != nil {
			return Value{}, err
		}
		return fail(v.String())
	case "return":
		v, err := arg(0)
		if err != nil {
			return Value{}, err
		}
		return Value{}, returnSignal{v}
	case "nothing":
		return Nothing(), nil
	case "time":
		return fail("bad command name time")
	case "timestamp":
		// v7 prints the time since the Unix epoch as a time value.
		return TimeVal(in.now().Sub(time.Unix(0, 0))), nil
	case "jobname":
		return Str(in.JobName), nil
	case "onerror":
		return in.onError(ctx, s, g, e, runCode)
	case "execute":
		return in.execute(ctx, s, g, e)
	case "environment":
		// :environment print: "print initialized variable information"
		// (Scripting page, global commands, whose example is ":global
		// myVar true; :environment print;"). rosemu prints the rows of
		// /system script environment print, the run's globals; RouterOS's
		// layout, and whether it lists the locals too, are [verify].
		verb := ""
		if len(g.unnamed) > 0 {
			if w, ok := g.unnamed[0].(*Word); ok {
				verb = w.Text
			}
		}
		if verb != "print" {
			return fail("bad command name " + verb)
		}
		if in.Host == nil {
			return Value{}, nil
		}
		return in.Host.Call(ctx, &Call{Path: []string{"system", "script", "environment"}, Verb: "print", Pos: s.P, Out: &in.Out, Sub: e.sub, In: in})
	case "beep":
		// :beep frequency= length= sounds the board's speaker (Scripting
		// page, global commands); a CHR and rosemu have none, so it does
		// nothing but check its values: melody scripts and scripts that
		// beep before a reboot go on. A length is a time [verify] the
		// range RouterOS takes.
		for _, k := range []string{"frequency", "length"} {
			v, ok, err := named(k)
			if err != nil {
				return Value{}, err
			}
			if !ok {
				continue
			}
			if _, isNum := asNum(v); k == "frequency" && !isNum {
				return fail("invalid value for argument frequency")
			}
			if _, isTime := toTime(v); k == "length" && !isTime {
				return fail("invalid value for argument length")
			}
		}
		return Value{}, nil
	case "rndnum":
		from, _, err := named("from")
		if err != nil {
			return Value{}, err
		}
		to, _, err := named("to")
		if err != nil {
			return Value{}, err
		}
		f, ok1 := asNum(from)
		t, ok2 := asNum(to)
		if !ok1 || !ok2 || t < f {
			return fail("invalid value for argument to")
		}
		return Num(f + rand.Int64N(t-f+1)), nil
	}
	if v, ok, err := in.global7(ctx, s, g, e); ok {
		return v, err
	}
	// The value commands take their value unnamed or as value=.
	var v Value
	var err error
	if len(g.unnamed) == 0 {
		if x, ok := g.named["value"]; ok {
			v, err = in.eval(ctx, x, e)
		} else if x, ok := g.named["domain-name"]; ok && s.Name == "resolve" {
			v, err = in.eval(ctx, x, e)
		}
	} else {
		v, err = arg(0)
	}
	if err != nil {
		return Value{}, err
	}
	switch s.Name {
	case "resolve":
		return in.resolve(ctx, s, v, g, e)
	case "parse":
		return in.parse(s, v)
	}
	return convert(s, v, in, ctx, e, g)
}

// loopEnv is the scope of a :for or :foreach loop's variables: the loop's
// own, between the statement's scope and its body's, so that the variable
// is gone after the loop and an outer variable of the same name is left
// as it was (the parser already compiles the name as the loop's alone:
// "$i" after ":for i ..." is a syntax error). The variables were set in
// the statement's scope, so an inner ":foreach i" changed the outer
// loop's "$i" for the rest of its round and a ":local i 5" before a
// ":for i" loop held the loop's last value after it (forum60 D6).
func loopEnv(e *env) *env {
	return &env{sc: &scope{vars: map[string]Value{}, parent: e.sc}, props: e.props, item: e.item, sub: e.sub, depth: e.depth}
}

func toTime(v Value) (time.Duration, bool) {
	switch v.kind() {
	case KindTime:
		return v.Time, true
	case KindNum:
		return time.Duration(v.Num) * time.Second, true
	case KindStr:
		return ParseTime(v.Str)
	}
	return 0, false
}

// convert implements the type commands: :typeof :len :tostr and friends.
func convert(s *GlobalStmt, v Value, in *Interp, ctx context.Context, e *env, g gargs) (Value, error) {
	switch s.Name {
	case "typeof":
		return Str(string(v.kind())), nil
	case "len":
		if v.kind() == KindArray {
			return Num(int64(v.Arr.Len())), nil
		}
		return Num(int64(len(v.String()))), nil
	case "tostr":
		return Str(v.String()), nil
	case "tonum":
		if n, ok := asNum(v); ok {
			return Num(n), nil
		}
		// A hexadecimal string, as a number literal may be written:
		// [:tonum "0xFF85"] is 65413 (a forum thread compares it with
		// :put 0xFF85 and a hex-to-number function of eworm's).
		if v.kind() == KindStr && len(v.Str) > 2 && (v.Str[:2] == "0x" || v.Str[:2] == "0X") {
			if n, err := strconv.ParseInt(v.Str[2:], 16, 64); err == nil {
				return Num(n), nil
			}
		}
		if v.kind() == KindTime {
			return Num(int64(v.Time / time.Second)), nil
		}
		if v.kind() == KindBool {
			if v.Bool {
				return Num(1), nil
			}
			return Num(0), nil
		}
		return Nil(), nil
	case "tobool":
		if b, ok := boolOf(v); ok {
			return Bool(b), nil
		}
		if n, ok := asNum(v); ok {
			return Bool(n != 0), nil
		}
		return Nil(), nil
	case "toip", "toip6":
		if a, ok := asIP(v); ok && a.Is4() == (s.Name == "toip") {
			return IPValue(a), nil
		}
		return Nil(), nil
	case "totime":
		if d, ok := toTime(v); ok {
			return TimeVal(d), nil
		}
		return Nil(), nil
	case "toid":
		l := ParseLiteral(v.String())
		if l.kind() == KindID {
			return l, nil
		}
		return Nil(), nil
	case "toarray":
		if v.kind() == KindArray {
			return v, nil
		}
		// delimiter= (7.21, the parser refuses it before) splits at
		// another string than the comma: eworm's scripts replaced
		// ":toarray [$CharacterReplace $s \":\" \",\"]" with
		// ":toarray delimiter=\":\" $s" for 7.21.
		sep := ","
		if x, ok := g.named["delimiter"]; ok {
			d, err := in.eval(ctx, x, e)
			if err != nil {
				return Value{}, err
			}
			if d.String() != "" {
				sep = d.String()
			}
		}
		var vs []Value
		if str := v.String(); str != "" {
			for _, p := range strings.Split(str, sep) {
				vs = append(vs, ParseLiteral(p))
			}
		}
		return ArrayOf(vs...), nil
	case "pick", "find":
		var rest []Value
		for i := 1; i < len(g.unnamed); i++ {
			r, err := in.eval(ctx, g.unnamed[i], e)
			if err != nil {
				return Value{}, err
			}
			rest = append(rest, r)
		}
		if s.Name == "find" {
			return find(v, rest), nil
		}
		return pick(v, rest), nil
	}
	return Value{}, &Error{Msg: "bad command name " + s.Name, Category: 3, Pos: s.P}
}

func pick(v Value, rest []Value) Value {
	start, end := int64(0), int64(-1)
	if len(rest) > 0 {
		start, _ = asNum(rest[0])
	}
	if len(rest) > 1 {
		end, _ = asNum(rest[1])
	} else {
		end = start + 1
	}
	if v.kind() == KindArray {
		n := int64(len(v.Arr.List))
		start, end = clamp(start, n), clamp(end, n)
		if start >= end {
			return Nothing()
		}
		if len(rest) < 2 {
			return v.Arr.List[start]
		}
		return ArrayOf(v.Arr.List[start:end]...)
	}
	str := v.String()
	n := int64(len(str))
	start, end = clamp(start, n), clamp(end, n)
	if start >= end {
		return Str("")
	}
	return Str(str[start:end])
}

func clamp(i, n int64) int64 {
	if i < 0 {
		return 0
	}
	if i > n {
		return n
	}
	return i
}

func find(v Value, rest []Value) Value {
	if len(rest) == 0 {
		return Nil()
	}
	if v.kind() == KindArray {
		for i, el := range v.Arr.List {
			if equal(el, rest[0]) {
				return Num(int64(i))
			}
		}
		return Nil()
	}
	from := int64(0)
	if len(rest) > 1 {
		from, _ = asNum(rest[1])
		from++
	}
	str := v.String()
	if from < 0 || from > int64(len(str)) {
		return Nil()
	}
	i := strings.Index(str[from:], rest[0].String())
	if i < 0 {
		return Nil()
	}
	return Num(int64(i) + from)
}

// resolve implements :resolve through the host's Resolver (docs/routeros.md).
// [verify] the wording of failures other than a missing name.
func (in *Interp) resolve(ctx context.Context, s *GlobalStmt, v Value, g gargs, e *env) (Value, error) {
	r, ok := in.Host.(Resolver)
	name := v.String()
	if !ok || name == "" {
		return Value{}, &Error{Msg: "failure: dns server failure", Category: 4, Pos: s.P}
	}
	if a, err := netip.ParseAddr(name); err == nil {
		return IPValue(a), nil
	}
	// type= (the Scripting page: any, ipv4 or ipv6): any and ipv4 ask for
	// an IPv4 address as :resolve always did here; ipv6 asks the router's
	// resolver for AAAA ([verify] whether any falls back to IPv6).
	kind := "any"
	if x, ok := g.named["type"]; ok {
		tv, eerr := in.eval(ctx, x, e)
		if eerr != nil {
			return Value{}, eerr
		}
		switch kind = tv.String(); kind {
		case "any", "ipv4", "ipv6":
		default:
			return Value{}, &Error{Msg: "invalid value for argument type", Category: 1, Pos: s.P}
		}
	}
	portArg, hasPort := g.named["port"]
	if x, ok := g.named["server-port"]; ok {
		portArg, hasPort = x, true
	}
	var a netip.Addr
	var err error
	if x, ok := g.named["server"]; ok {
		// server= asks that server and no other: health checks of a
		// DNS server (":resolve google.com server=$DNSLocal" in a DNS
		// failover scheduler) must fail when it does not answer, even
		// though the router's own servers would. [verify] whether
		// RouterOS takes a name as server=; rosemu wants an address.
		sv, eerr := in.eval(ctx, x, e)
		if eerr != nil {
			return Value{}, eerr
		}
		srv, perr := netip.ParseAddr(sv.String())
		if perr != nil {
			return Value{}, &Error{Msg: "invalid value for argument server", Category: 1, Pos: s.P}
		}
		port := 0
		if hasPort {
			pv, eerr := in.eval(ctx, portArg, e)
			if eerr != nil {
				return Value{}, eerr
			}
			n, ok := asNum(pv)
			if !ok || n < 1 || n > 65535 {
				return Value{}, &Error{Msg: "invalid value for argument port", Category: 1, Pos: s.P}
			}
			port = int(n)
		}
		if kind == "ipv6" {
			// type=ipv6 asks that server for AAAA (before, it failed as a
			// server that does not answer).
			sr6, ok := in.Host.(ServerResolver6)
			if !ok {
				return Value{}, &Error{Msg: "failure: dns server failure", Category: 4, Pos: s.P}
			}
			a, err = sr6.ResolveAt6(ctx, name, srv.Unmap(), port)
		} else {
			sr, ok := in.Host.(ServerResolver)
			if !ok {
				return Value{}, &Error{Msg: "failure: dns server failure", Category: 4, Pos: s.P}
			}
			a, err = sr.ResolveAt(ctx, name, srv.Unmap(), port)
		}
	} else if kind == "ipv6" {
		r6, ok := in.Host.(Resolver6)
		if !ok {
			return Value{}, &Error{Msg: "failure: dns server failure", Category: 4, Pos: s.P}
		}
		a, err = r6.Resolve6(ctx, name)
	} else {
		a, err = r.Resolve(ctx, name)
	}
	if errors.Is(err, ErrNoSuchName) {
		return Value{}, &Error{Msg: "failure: dns name does not exist", Category: 4, Pos: s.P}
	}
	if err != nil {
		return Value{}, &Error{Msg: "failure: dns server failure", Category: 4, Pos: s.P}
	}
	return IPValue(a), nil
}

// onError implements :onerror e in={...} do={...} (RouterOS 7.13 and
// later): it runs in=, and when that fails sets the local e to the
// error's message and runs do=. Its value is true when in= failed and
// false when not; :return and an interruption go through. in= may be the
// second unnamed value (":onerror e {...} do={...}"). Source: Scripting
// page of the manual, https://help.mikrotik.com/docs/display/ROS/Scripting
// [verify] the message's exact words (rosemu's carries no position).
func (in *Interp) onError(ctx context.Context, s *GlobalStmt, g gargs, e *env, runCode func(Value) (Value, error)) (Value, error) {
	name, _ := nameOf(g.unnamedAt(0))
	x, ok := g.named["in"]
	if !ok && len(g.unnamed) > 1 {
		x, ok = g.unnamed[1], true
	}
	if v, named := g.named["error"]; named {
		name, _ = nameOf(v)
		if !ok && len(g.unnamed) > 0 {
			x, ok = g.unnamed[0], true
		}
	}
	if !ok {
		return Value{}, &Error{Msg: "missing value for argument in", Category: 3, Pos: s.P}
	}
	body, err := in.eval(ctx, x, e)
	if err != nil {
		return Value{}, err
	}
	_, err = runCode(body)
	if err == nil {
		return Bool(false), nil
	}
	var rs returnSignal
	if errors.As(err, &rs) {
		return Value{}, err
	}
	var se *Error
	var me Messager
	msg := err.Error()
	if errors.As(err, &se) {
		if se.Category == 2 {
			return Value{}, err
		}
		msg = se.Msg
	} else if errors.As(err, &me) {
		// A menu command's failure ("failure: already have such entry",
		// a fetch's "failure: closing connection") without the " (line 2
		// column 70)" its Error adds (forum50 D4): RouterOS prints a run
		// time failure with no position.
		msg = me.Message()
	}
	e.sc.vars[name] = Str(msg)
	if h, ok := g.named["do"]; ok {
		hv, err := in.eval(ctx, h, e)
		if err != nil {
			return Value{}, err
		}
		if _, err := runCode(hv); err != nil {
			return Value{}, err
		}
	}
	return Bool(true), nil
}

// jobIDs numbers the jobs :execute starts.
var jobIDs atomic.Uint64

// execute implements :execute script=<code or source> [as-string]
// [file=]: RouterOS starts the script as a background job with its own
// variables (the globals shared) and returns the job's id, or with
// as-string waits for it and returns what it printed. rosemu runs the job
// to its end before the caller goes on [verify] (RouterOS runs it beside
// the caller); the job's failure is logged, not the caller's. file= is
// taken and no file is written. (Scripting page of the manual, global
// commands: https://help.mikrotik.com/docs/display/ROS/Scripting)
func (in *Interp) execute(ctx context.Context, s *GlobalStmt, g gargs, e *env) (Value, error) {
	x, ok := g.named["script"]
	asString := false
	for i, u := range g.unnamed {
		if w, isWord := u.(*Word); isWord && w.Text == "as-string" {
			asString = true
		} else if !ok && i == 0 {
			x, ok = u, true
		}
	}
	if !ok {
		return Value{}, &Error{Msg: "missing value for argument script", Category: 3, Pos: s.P}
	}
	v, err := in.eval(ctx, x, e)
	if err != nil {
		return Value{}, err
	}
	code := v
	if v.kind() != KindCode {
		if code, err = in.parse(s, v); err != nil {
			return Value{}, err
		}
	}
	// file=name: what the job prints goes to the router's file name.txt
	// instead of the console (public DDNS updaters keep the last address
	// so: `:execute script=":put $ip" file="ddns.tmp"`, then read
	// "ddns.tmp.txt" with /file get ... contents).
	file := ""
	if fx, ok := g.named["file"]; ok {
		fv, err := in.eval(ctx, fx, e)
		if err != nil {
			return Value{}, err
		}
		file = fv.String()
	}
	id := Value{Kind: KindID, Str: "*" + strconv.FormatUint(jobIDs.Add(1)+0x100, 16)}
	start := in.Out.Len()
	_, err = in.block(ctx, code.Code, &env{sc: &scope{vars: map[string]Value{}}})
	out := in.Out.String()[start:]
	if file != "" && !asString {
		prev := in.Out.String()[:start]
		in.Out.Reset()
		in.Out.WriteString(prev)
		if werr := in.writeOutputFile(file, out); werr != nil && err == nil {
			err = werr
		}
	}
	if asString {
		prev := in.Out.String()[:start]
		in.Out.Reset()
		in.Out.WriteString(prev)
		if err != nil {
			return Value{}, err
		}
		return Str(out), nil
	}
	var rs returnSignal
	if err != nil && !errors.As(err, &rs) {
		if se := (*Error)(nil); errors.As(err, &se) && se.Category == 2 {
			return Value{}, err // interrupted: the router's bound, not the job's failure
		}
		in.Log = append(in.Log, LogEntry{Time: in.now(), Topics: "script,error", Msg: "executing script from " + in.JobName + " failed: " + err.Error()})
	}
	return id, nil
}

// writeOutputFile writes a job's output for :execute file=: ".txt" is
// added unless the name ends with it [verify] whether RouterOS adds it to
// a name that has it. Without a host that keeps files it fails (as a job
// failure: logged, not the caller's error).
func (in *Interp) writeOutputFile(name, text string) error {
	fh, ok := in.Host.(OutputFileHost)
	if !ok {
		return errors.New("file " + name + " not written: no file store here")
	}
	if !strings.HasSuffix(name, ".txt") {
		name += ".txt"
	}
	return fh.WriteOutputFile(name, text)
}

// parse implements :parse: the source becomes code that $f or [$f] runs.
// It is compiled like a function body, whose variables are known only
// when it runs.
func (in *Interp) parse(s *GlobalStmt, v Value) (Value, error) {
	b, err := ParseWith(v.String(), ParseOptions{Schema: in.Schema})
	if err != nil {
		var se *Error
		if errors.As(err, &se) {
			return Value{}, &Error{Msg: se.Error(), Category: 3, Pos: s.P}
		}
		return Value{}, &Error{Msg: err.Error(), Category: 3, Pos: s.P}
	}
	return Value{Kind: KindCode, Code: b}, nil
}

// setElem assigns (or with no value removes) an element of an array held
// in a variable: :set ($a->"k"->0) v. Arrays are values: the variable gets
// a changed copy, other variables holding the array keep theirs.
func (in *Interp) setElem(ctx context.Context, s *GlobalStmt, b *Binary, g gargs, e *env) error {
	var keys []Value
	var x Expr = b
	for {
		bx, ok := x.(*Binary)
		if !ok || bx.Op != "->" {
			break
		}
		k, err := in.eval(ctx, bx.Y, e)
		if err != nil {
			return err
		}
		keys = append([]Value{k}, keys...)
		x = bx.X
	}
	root, ok := x.(*Var)
	if !ok {
		return &Error{Msg: "syntax error", Category: 3, Pos: s.P}
	}
	var val *Value
	if len(g.unnamed) > 1 {
		v, err := in.eval(ctx, g.unnamed[1], e)
		if err != nil {
			return err
		}
		val = &v
	}
	// :set ($fns->"send") do={...} stores a function in the array.
	if x, ok := g.named["do"]; ok {
		v, err := in.eval(ctx, x, e)
		if err != nil {
			return err
		}
		val = &v
	}
	if sc, ok := e.sc.lookup(root.Name); ok {
		sc.vars[root.Name] = setPath(sc.vars[root.Name], keys, val)
		return nil
	}
	if cur, ok := in.Globals[root.Name]; ok {
		in.Globals[root.Name] = setPath(cur, keys, val)
		return nil
	}
	return &Error{Msg: "no such variable " + root.Name, Category: 3, Pos: s.P}
}

// setPath returns a copy of base with the element at keys set to v (or
// removed when v is nil); missing arrays on the way are created.
func setPath(base Value, keys []Value, v *Value) Value {
	arr := &Array{}
	if base.kind() == KindArray {
		arr.List = append([]Value(nil), base.Arr.List...)
		if base.Arr.Keys != nil {
			arr.Keys = make(map[string]Value, len(base.Arr.Keys))
			for k, x := range base.Arr.Keys {
				arr.Keys[k] = x
			}
		}
	}
	k := keys[0]
	if len(keys) > 1 {
		child := index(Value{Kind: KindArray, Arr: arr}, k)
		nv := setPath(child, keys[1:], v)
		v = &nv
	}
	if n, ok := asNum(k); ok && k.kind() == KindNum {
		switch {
		case n >= 0 && n < int64(len(arr.List)):
			if v == nil {
				arr.List = append(arr.List[:n], arr.List[n+1:]...)
			} else {
				arr.List[n] = *v
			}
			return Value{Kind: KindArray, Arr: arr}
		case n == int64(len(arr.List)) && v != nil:
			arr.List = append(arr.List, *v)
			return Value{Kind: KindArray, Arr: arr}
		}
	}
	if v == nil {
		delete(arr.Keys, k.String())
	} else {
		if arr.Keys == nil {
			arr.Keys = map[string]Value{}
		}
		arr.Keys[k.String()] = *v
	}
	return Value{Kind: KindArray, Arr: arr}
}

// logLevel is the :log level a word names. The level is a command of :log,
// so an unambiguous beginning names it as any command's does: public
// scripts write ":log warn" (Scripting manual, abbreviations of command
// names). Every level starts with its own letter, so one letter is enough.
func logLevel(word string) string {
	if word == "" {
		return ""
	}
	for _, l := range []string{"info", "warning", "error", "debug"} {
		if strings.HasPrefix(l, word) {
			return l
		}
	}
	return ""
}
