package script

import (
	"context"
	"errors"
	"math/rand/v2"
	"strings"
	"time"
)

// The RouterOS 7 global commands of the manual's Scripting page
// (https://help.mikrotik.com/docs/display/ROS/Scripting, global commands
// table): :retry, :rndstr, :range, :convert, :serialize, :deserialize,
// :tonsec, :tolf, :tocrlf and :grep. docs/rosemu-menus.md lists what each
// models and what is a guess ([verify]).

// global7 runs one of these commands; ok is false for any other name.
func (in *Interp) global7(ctx context.Context, s *GlobalStmt, g gargs, e *env) (v Value, ok bool, err error) {
	fail := func(msg string) (Value, bool, error) {
		return Value{}, true, &Error{Msg: msg, Category: 3, Pos: s.P}
	}
	named := func(k string) (Value, bool, error) {
		x, ok := g.named[k]
		if !ok {
			return Value{}, false, nil
		}
		v, err := in.eval(ctx, x, e)
		return v, true, err
	}
	// value is the command's value: unnamed, or value=.
	value := func() (Value, error) {
		if len(g.unnamed) > 0 {
			return in.eval(ctx, g.unnamed[0], e)
		}
		if x, ok := g.named["value"]; ok {
			return in.eval(ctx, x, e)
		}
		return Nothing(), nil
	}
	switch s.Name {
	case "retry":
		v, err := in.retry(ctx, s, g, e)
		return v, true, err
	case "rndstr":
		from := "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"
		n := int64(16)
		if f, ok, err := named("from"); err != nil {
			return Value{}, true, err
		} else if ok {
			from = f.String()
		}
		if l, ok, err := named("length"); err != nil {
			return Value{}, true, err
		} else if ok {
			var good bool
			if n, good = asNum(l); !good || n < 0 || n > MaxString {
				return fail("invalid value for argument length")
			}
		}
		chars := []rune(from)
		if len(chars) == 0 {
			return fail("invalid value for argument from")
		}
		var b strings.Builder
		for i := int64(0); i < n; i++ {
			b.WriteRune(chars[rand.IntN(len(chars))])
		}
		return Str(b.String()), true, nil
	case "range":
		var from, to Value
		if len(g.unnamed) > 0 {
			if from, err = in.eval(ctx, g.unnamed[0], e); err != nil {
				return Value{}, true, err
			}
		} else if from, _, err = named("from"); err != nil {
			return Value{}, true, err
		}
		if len(g.unnamed) > 1 {
			if to, err = in.eval(ctx, g.unnamed[1], e); err != nil {
				return Value{}, true, err
			}
		} else if to, _, err = named("to"); err != nil {
			return Value{}, true, err
		}
		f, ok1 := asNum(from)
		t, ok2 := asNum(to)
		if !ok1 {
			return fail("invalid value for argument from")
		}
		if !ok2 {
			return fail("invalid value for argument to")
		}
		d := int64(1)
		if f > t {
			d = -1
		}
		if (t-f)*d >= MaxArray {
			return fail("invalid value for argument to")
		}
		var out []Value
		for i := f; ; i += d {
			out = append(out, Num(i))
			if i == t {
				break
			}
		}
		return ArrayOf(out...), true, nil
	case "tonsec":
		v, err := value()
		if err != nil {
			return Value{}, true, err
		}
		if d, ok := toTime(v); ok {
			return Num(int64(d)), true, nil
		}
		// hh:mm, as the manual's ":tonsec value=10:00" (ten hours).
		if h, m, ok := strings.Cut(v.String(), ":"); ok && isDigits(h) && isDigits(m) && len(m) == 2 {
			if d, ok := ParseTime(h + ":" + m + ":00"); ok {
				return Num(int64(d)), true, nil
			}
		}
		return Nil(), true, nil
	case "tolf", "tocrlf":
		v, err := value()
		if err != nil {
			return Value{}, true, err
		}
		str := strings.ReplaceAll(v.String(), "\r\n", "\n")
		if s.Name == "tocrlf" {
			str = strings.ReplaceAll(str, "\n", "\r\n")
		}
		return Str(str), true, nil
	case "convert":
		v, err := value()
		if err != nil {
			return Value{}, true, err
		}
		opt := map[string]string{}
		for _, k := range []string{"from", "to", "transform"} {
			if x, ok, err := named(k); err != nil {
				return Value{}, true, err
			} else if ok {
				opt[k] = x.String()
			}
		}
		out, arg, cerr := convertValue(v, opt["from"], opt["transform"], opt["to"])
		if cerr != nil {
			return fail(cerr.Error() + arg)
		}
		return out, true, nil
	case "serialize", "deserialize":
		v, err := value()
		if err != nil {
			return Value{}, true, err
		}
		opt := map[string]Value{}
		for _, k := range []string{"to", "from", "delimiter", "options", "order"} {
			if x, ok, err := named(k); err != nil {
				return Value{}, true, err
			} else if ok {
				opt[k] = x
			}
		}
		var out Value
		var serr error
		if s.Name == "serialize" {
			out, serr = serialize(v, opt)
		} else {
			out, serr = deserialize(v, opt)
		}
		if serr != nil {
			return fail(serr.Error())
		}
		return out, true, nil
	case "grep":
		return in.grep(ctx, s, g, e)
	}
	return Value{}, false, nil
}

// retry implements :retry command=<code> delay=<time> max=<num>
// [on-error=<code>]: it runs command until it succeeds, at most max
// times, waiting delay (seconds, or a time) between tries, and returns
// the command's value. When every try failed it runs on-error when
// given, else fails with the last try's error. A :return in command
// returns from the enclosing function at once, and an interruption goes
// through. The command may be the unnamed block (":retry { ... }
// delay=500ms max=50", as eworm-de/routeros-scripts writes it).
func (in *Interp) retry(ctx context.Context, s *GlobalStmt, g gargs, e *env) (Value, error) {
	x, ok := g.named["command"]
	if !ok && len(g.unnamed) > 0 {
		x, ok = g.unnamed[0], true
	}
	if !ok {
		return Value{}, &Error{Msg: "missing value for argument command", Category: 3, Pos: s.P}
	}
	body, err := in.eval(ctx, x, e)
	if err != nil {
		return Value{}, err
	}
	var delay time.Duration
	if dx, ok := g.named["delay"]; ok {
		dv, err := in.eval(ctx, dx, e)
		if err != nil {
			return Value{}, err
		}
		if delay, ok = toTime(dv); !ok || delay < 0 {
			return Value{}, &Error{Msg: "invalid value for argument delay", Category: 3, Pos: s.P}
		}
	}
	max := int64(1)
	if mx, ok := g.named["max"]; ok {
		mv, err := in.eval(ctx, mx, e)
		if err != nil {
			return Value{}, err
		}
		if max, ok = asNum(mv); !ok {
			return Value{}, &Error{Msg: "invalid value for argument max", Category: 3, Pos: s.P}
		}
	}
	var last error
	for try := int64(1); ; try++ {
		if err := in.step(ctx, s.P); err != nil {
			return Value{}, err
		}
		var v Value
		if body.kind() == KindCode {
			v, last = in.block(ctx, body.Code, e)
		}
		if last == nil {
			return v, nil
		}
		var rs returnSignal
		var se *Error
		if errors.As(last, &rs) || errors.As(last, &se) && se.Category == 2 {
			return Value{}, last
		}
		if try >= max {
			break
		}
		// Each wait is capped on its own: the tries' waits add up against
		// the run's deadline (capDelay).
		if wait := in.capDelay(ctx, delay); wait > 0 && !in.NoDelay {
			if err := in.sleep(ctx, wait, s.P); err != nil {
				return Value{}, err
			}
		}
	}
	if hx, ok := g.named["on-error"]; ok {
		h, err := in.eval(ctx, hx, e)
		if err != nil {
			return Value{}, err
		}
		if h.kind() == KindCode {
			return in.block(ctx, h.Code, e)
		}
		return Value{}, nil
	}
	return Value{}, last
}

// grep implements :grep script=<source> pattern=<regexp> [after=<num>]
// [before=<num>]: it runs script as :execute as-string does and prints the
// lines of its output that match pattern (a POSIX extended regular
// expression), with before lines ahead of each match and after lines
// following it. filename= is taken and no file is written.
func (in *Interp) grep(ctx context.Context, s *GlobalStmt, g gargs, e *env) (Value, bool, error) {
	fail := func(msg string) (Value, bool, error) {
		return Value{}, true, &Error{Msg: msg, Category: 3, Pos: s.P}
	}
	x, ok := g.named["script"]
	if !ok && len(g.unnamed) > 0 {
		x, ok = g.unnamed[0], true
	}
	if !ok {
		return fail("missing value for argument script")
	}
	num := func(k string) (int64, error) {
		nx, ok := g.named[k]
		if !ok {
			return 0, nil
		}
		v, err := in.eval(ctx, nx, e)
		if err != nil {
			return 0, err
		}
		n, ok := asNum(v)
		if !ok || n < 0 {
			return 0, &Error{Msg: "invalid value for argument " + k, Category: 3, Pos: s.P}
		}
		return n, nil
	}
	after, err := num("after")
	if err != nil {
		return Value{}, true, err
	}
	before, err := num("before")
	if err != nil {
		return Value{}, true, err
	}
	var re *ByteRegexp
	if px, ok := g.named["pattern"]; ok {
		pv, err := in.eval(ctx, px, e)
		if err != nil {
			return Value{}, true, err
		}
		if re, err = in.regexp(pv.String()); err != nil {
			return fail("invalid value for argument pattern")
		}
	}
	v, err := in.eval(ctx, x, e)
	if err != nil {
		return Value{}, true, err
	}
	code := v
	if v.kind() != KindCode {
		if code, err = in.parse(s, v); err != nil {
			return Value{}, true, err
		}
	}
	start := in.Out.Len()
	_, err = in.block(ctx, code.Code, &env{sc: &scope{vars: map[string]Value{}}})
	out := in.Out.String()[start:]
	prev := in.Out.String()[:start]
	in.Out.Reset()
	in.Out.WriteString(prev)
	var rs returnSignal
	if err != nil && !errors.As(err, &rs) {
		return Value{}, true, err
	}
	lines := strings.Split(strings.TrimSuffix(out, "\n"), "\n")
	if out == "" {
		lines = nil
	}
	keep := make([]bool, len(lines))
	for i, l := range lines {
		if re == nil || re.MatchString(l) {
			for j := int64(i) - before; j <= int64(i)+after; j++ {
				if j >= 0 && j < int64(len(lines)) {
					keep[j] = true
				}
			}
		}
	}
	for i, l := range lines {
		if keep[i] {
			in.Out.WriteString(l + "\n")
		}
	}
	return Value{}, true, nil
}
