package script

import "strings"

// Parse checks and parses a whole source against the menu tree, so that a
// syntax error anywhere stops the source before any of it runs. menu is
// the current menu the source starts in (nil for the root).
func Parse(src string, schema Schema, menu []string) (*Block, error) {
	p := &parser{s: newScanner(src), schema: schema, menu: menu}
	b, err := p.block(0)
	if err != nil {
		return nil, err
	}
	return b, nil
}

type parser struct {
	s      *scanner
	schema Schema
	menu   []string
	depth  int
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
			return nil, &Error{Msg: "expected end of command", Category: 3, Pos: p.s.here()}
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
		return p.commandLine(at, nil)
	case c == '(' || c == '$' || c == '[':
		x, err := p.value(false)
		if err != nil {
			return nil, err
		}
		return &ExprStmt{X: x}, nil
	case isIdentStart(c) || c == '.':
		return p.commandLine(at, p.menu)
	}
	return nil, p.syntaxErr(at)
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
		if p.schema != nil && p.schema.Submenu(path, w) {
			path = append(path, w)
			continue
		}
		if p.schema != nil {
			if syn, ok := p.schema.Command(path, w); ok {
				return p.command(at, path, w, wp, syn)
			}
		}
		return nil, &Error{Msg: "bad command name " + w, Category: 3, Pos: wp}
	}
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
			x, err := p.expr(false)
			if err != nil {
				return nil, err
			}
			st.Where = x
		}
		return st, nil
	}
	unnamed := 0
	for {
		p.s.skipBlanks(false)
		c := p.s.peek()
		if endOfCommand(c) {
			return st, nil
		}
		ap := p.s.here()
		if isIdentStart(c) {
			save := p.s.pos
			w := p.s.ident()
			if p.s.peek() == '=' {
				p.s.next()
				if !syn.Params[w] {
					return nil, &Error{Msg: BadParam(w), Category: 3, Pos: ap}
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
					x, err := p.expr(false)
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
			return nil, &Error{Msg: "expected end of command", Category: 3, Pos: ap}
		}
		unnamed++
		v, err := p.value(false)
		if err != nil {
			return nil, err
		}
		st.Args = append(st.Args, Arg{P: ap, Value: v})
	}
}

// BadParam is the console's wording for an unknown parameter name.
func BadParam(name string) string { return "bad parameter " + name }

// globals are the global commands the interpreter knows.
var globals = map[string]bool{
	"put": true, "local": true, "global": true, "set": true, "if": true, "foreach": true,
	"for": true, "while": true, "do": true, "log": true, "delay": true, "typeof": true,
	"len": true, "tostr": true, "tonum": true, "toip": true, "tobool": true, "totime": true,
	"toid": true, "toarray": true, "pick": true, "find": true, "error": true, "nothing": true,
	"return": true, "time": true, "toip6": true,
}

func (p *parser) global(at Pos) (Stmt, error) {
	np := p.s.here()
	name := p.s.ident()
	if name == "" {
		return nil, p.syntaxErr(np)
	}
	if !globals[name] {
		return nil, &Error{Msg: "bad command name " + name, Category: 3, Pos: np}
	}
	st := &GlobalStmt{P: at, Name: name}
	for {
		p.s.skipBlanks(false)
		c := p.s.peek()
		if endOfCommand(c) {
			return st, nil
		}
		ap := p.s.here()
		if c == '{' && name == "do" {
			v, err := p.argValue("do")
			if err != nil {
				return nil, err
			}
			st.Args = append(st.Args, Arg{P: ap, Value: v})
			continue
		}
		if isIdentStart(c) {
			save := p.s.pos
			w := p.s.ident()
			if p.s.peek() == '=' {
				p.s.next()
				v, err := p.argValue(w)
				if err != nil {
					return nil, err
				}
				st.Args = append(st.Args, Arg{P: ap, Name: w, Value: v})
				continue
			}
			p.s.pos = save
		}
		v, err := p.value(false)
		if err != nil {
			return nil, err
		}
		st.Args = append(st.Args, Arg{P: ap, Value: v})
	}
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
	return p.value(false)
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
			x, err = p.s.str()
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
	name, err := p.s.varName()
	if err != nil {
		return nil, err
	}
	return &Var{P: at, Name: name}, nil
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

func (p *parser) paren() (Expr, error) {
	p.s.next()
	p.s.skipBlanks(true)
	x, err := p.expr(true)
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
		x, err := p.expr(true)
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

// Binary operator precedence, loosest first (notes 8.4, measured on CHR).
var precedence = map[string]int{
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
// parentheses) or end it (a where clause ends with its command line).
func (p *parser) expr(nl bool) (Expr, error) {
	return p.binary(nl, 1)
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
		prec, ok := precedence[op]
		if !ok || prec < min {
			p.s.pos = save
			return x, nil
		}
		p.s.pos += len([]rune(op))
		p.s.skipBlanks(nl)
		y, err := p.binary(nl, prec+1)
		if err != nil {
			return nil, err
		}
		x = &Binary{P: at, Op: op, X: x, Y: y}
	}
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
	case '=', '<', '>', '~', '.', '|', '^', '&', '+', '-', '*', '/', '%':
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
	case c == '!' || c == '-':
		p.s.next()
		x, err := p.unary(nl)
		if err != nil {
			return nil, err
		}
		return &Unary{P: at, Op: string(c), X: x}, nil
	case c == '(':
		return p.paren()
	case c == '"':
		return p.s.str()
	case c == '$':
		return p.variable()
	case c == '[':
		return p.sub()
	case c == '{':
		return p.array()
	case c >= '0' && c <= '9' || c == '*' && hexVal(toUpper(p.s.peekN(1))) >= 0:
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
