package script

import (
	"context"
	"errors"
	"strings"
	"time"
)

// Statements parses a source one top-level statement at a time, for the
// offline check of a configuration: unlike Parse, which refuses the whole
// source at its first error, it reports the error of one statement and
// goes on with the next, so that a user sees every problem of a file in
// one run. Declarations and the current menu carry over from statement to
// statement as they do within one source.
type Statements struct {
	p *parser
	// badMenu is the error of the last menu line that failed ("/interface
	// bridge" where bridge is unknown): the relative commands after it are
	// refused with it instead of being run in the menu before it.
	badMenu *Error
}

// NewStatements returns a Statements over src compiled with o.
func NewStatements(src string, o ParseOptions) *Statements {
	p := &parser{s: newScanner(src), schema: o.Schema, menu: o.Menu, strict: o.Strict, version: o.Version}
	p.s.embed = p.embedded
	base := map[string]bool{}
	for _, n := range o.Declared {
		base[n] = true
	}
	p.scopes = []map[string]bool{base, {}}
	return &Statements{p: p}
}

// Next returns the next statement and the position where it starts, or
// the error that refuses it; more is false at the end of the source. A
// statement that fails to parse is skipped up to the next line that starts
// a command at its first column (continuation lines are indented), where
// parsing resumes.
func (ss *Statements) Next() (st Stmt, at Pos, err error, more bool) {
	p := ss.p
	for {
		p.s.skipBlanks(false)
		switch c := p.s.peek(); c {
		case 0:
			return nil, Pos{}, nil, false
		case '\n', ';':
			p.s.next()
			continue
		case '#':
			p.s.skipComment()
			continue
		}
		break
	}
	at = p.s.here()
	start := p.s.pos
	first := p.s.peek()
	if ss.badMenu != nil && isIdentStart(first) {
		// A command of a menu that does not exist.
		e := &Error{Msg: ss.badMenu.Msg, Category: ss.badMenu.Category, Pos: at}
		ss.resync(start)
		return nil, at, e, true
	}
	st, err = p.statement()
	if err == nil {
		p.s.skipBlanks(false)
		c := p.s.peek()
		if c == '#' {
			p.s.skipComment()
			c = p.s.peek()
		}
		if c != ';' && c != '\n' && c != 0 {
			if c == '}' || c == ']' || c == ')' {
				err = p.syntaxErr(p.s.here())
			} else {
				err = &Error{Msg: "expected end of command", Category: 3, Pos: p.s.here()}
			}
		}
	}
	if err != nil {
		var se *Error
		if !errors.As(err, &se) {
			se = &Error{Msg: err.Error(), Category: 3, Pos: at}
		}
		if first == '/' {
			if ss.menuLine(start) {
				ss.badMenu = se
			}
		}
		ss.resync(start)
		return nil, at, se, true
	}
	if _, ok := st.(*MenuStmt); ok || first == '/' {
		ss.badMenu = nil
	}
	return st, at, nil, true
}

// menuLine reports whether the logical line at i is only a menu path: no
// '=', no brackets, quotes or blocks.
func (ss *Statements) menuLine(i int) bool {
	src := ss.p.s.src
	for ; i < len(src) && src[i] != '\n'; i++ {
		if strings.ContainsRune("=[]{}()\"$:;", src[i]) {
			return false
		}
	}
	return true
}

// resync moves past the failed statement that started at rune index from:
// to the next line that begins at the failed statement's own column or
// left of it (its first column in an export) with something other than a
// closing bracket, and that does not continue a line ending in '\'. A line
// of blanks only ends the skip as an empty line does. An export pasted
// with every line indented (a forum post's, a README's) resumes at its
// next command: from the column of the one that failed.
func (ss *Statements) resync(from int) {
	// The menu and the declarations stay as they were; what the failed
	// statement had open is closed.
	ss.p.depth, ss.p.free, ss.p.where = 0, 0, false
	if len(ss.p.scopes) > 2 {
		ss.p.scopes = ss.p.scopes[:2]
	}
	s := ss.p.s
	src := s.src
	if end, ok := balancedEnd(src, from); ok {
		// The failed statement's brackets close: RouterOS read all of it
		// as one command (a script's block with blank lines in it, whose
		// lines are not commands of their own), so it is skipped whole.
		s.pos = end
		return
	}
	indent := 0
	for j := from - 1; j >= 0 && (src[j] == ' ' || src[j] == '\t'); j-- {
		indent++
	}
	if from-indent > 0 && src[from-indent-1] != '\n' {
		indent = 0 // the statement did not start its line (after a ';')
	}
	i := from
	for {
		for i < len(src) && src[i] != '\n' {
			i++
		}
		if i >= len(src) {
			s.pos = len(src)
			return
		}
		cont := lineContinues(src, i)
		i++
		if i >= len(src) {
			s.pos = len(src)
			return
		}
		if cont {
			continue
		}
		j := i
		for j < len(src) && (src[j] == ' ' || src[j] == '\t') {
			j++
		}
		if j >= len(src) {
			s.pos = len(src)
			return
		}
		switch c := src[j]; c {
		case '\r', '\n':
			s.pos = i
			return
		case '}', ']', ')':
			continue
		}
		if j-i <= indent {
			s.pos = i
			return
		}
	}
}

// balancedEnd scans the statement that starts at from as RouterOS's
// reader does, by its quotes, brackets and continuation lines, and returns
// where the next statement starts: after the first newline or ';' outside
// any bracket. ok is false when the statement does not close (a bracket
// left open at the end of the source or a closer with no opener) or a
// string runs over a line end: then where it ends is a guess, and resync
// uses the lines' indentation instead.
func balancedEnd(src []rune, from int) (end int, ok bool) {
	depth := 0
	lineStart := false // only blanks since a newline, ';' or '{'
	for i := from; i < len(src); i++ {
		c := src[i]
		switch {
		case c == '\\':
			// A continuation (blanks may follow the backslash before the
			// line's end) joins the next line; otherwise it escapes the
			// next character.
			j := i + 1
			for j < len(src) && (src[j] == ' ' || src[j] == '\t' || src[j] == '\r') {
				j++
			}
			if j < len(src) && src[j] == '\n' {
				i = j
			} else {
				i++
				lineStart = false
			}
		case c == '"':
			for i++; i < len(src) && src[i] != '"'; i++ {
				if src[i] == '\\' {
					i++
				} else if src[i] == '\n' {
					return 0, false
				}
			}
			if i >= len(src) {
				return 0, false
			}
			lineStart = false
		case c == '#' && lineStart:
			for i < len(src) && src[i] != '\n' {
				i++
			}
			i-- // the newline is read by the loop
		case c == '{' || c == '[' || c == '(':
			depth++
			lineStart = c == '{'
		case c == '}' || c == ']' || c == ')':
			if depth == 0 {
				return 0, false
			}
			depth--
			lineStart = false
		case c == '\n' || c == ';':
			if depth == 0 {
				return i + 1, true
			}
			lineStart = true
		case c == ' ' || c == '\t' || c == '\r':
		default:
			lineStart = false
		}
	}
	if depth != 0 {
		return 0, false
	}
	return len(src), true
}

// lineContinues reports whether the line ending at the newline nl ends in
// a continuation backslash (blanks and a CR may follow it).
func lineContinues(src []rune, nl int) bool {
	j := nl - 1
	for j >= 0 && (src[j] == ' ' || src[j] == '\t' || src[j] == '\r') {
		j--
	}
	return j >= 0 && src[j] == '\\'
}

// Session runs the top-level statements of one source one at a time in
// one scope: a local declared by one statement is seen by the next, as
// within one source.
type Session struct {
	in *Interp
	e  *env
}

// NewSession returns a session of in with an empty local scope.
func (in *Interp) NewSession() *Session {
	return &Session{in: in, e: &env{sc: &scope{vars: map[string]Value{}}}}
}

// Run executes one statement; every statement has its own step bound.
func (s *Session) Run(ctx context.Context, st Stmt) error {
	in := s.in
	in.steps = 0
	in.nest++
	defer func() { in.nest-- }()
	if err := in.step(ctx, st.Position()); err != nil {
		return err
	}
	_, err := in.stmt(ctx, st, s.e)
	var rs returnSignal
	if errors.As(err, &rs) {
		return nil
	}
	return err
}

// SessionState is a saved point of a session: its globals, its locals and
// how much it had logged.
type SessionState struct {
	globals, locals map[string]Value
	log             int
	delayed         time.Duration // Interp.delayed: a replay counts its waits again
}

// Save returns the session's state, for Restore after a statement whose
// effects must be undone.
func (s *Session) Save() SessionState {
	return SessionState{globals: copyVars(s.in.Globals), locals: copyVars(s.e.sc.vars), log: len(s.in.Log), delayed: s.in.delayed}
}

// Restore brings the session back to a saved state.
func (s *Session) Restore(st SessionState) {
	s.in.Globals = copyVars(st.globals)
	s.e.sc.vars = copyVars(st.locals)
	s.in.delayed = st.delayed
	if st.log <= len(s.in.Log) {
		s.in.Log = s.in.Log[:st.log]
	}
}

func copyVars(m map[string]Value) map[string]Value {
	c := make(map[string]Value, len(m))
	for k, v := range m {
		c[k] = v
	}
	return c
}
