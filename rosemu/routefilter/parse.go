package routefilter

import (
	"fmt"
	"strings"
)

// Stmt is a statement of a rule: an If or an Action.
type Stmt interface{ stmt() }

// If is "if (cond) { then } else { else }".
type If struct {
	Cond       Cond
	Then, Else []Stmt
}

// Action is accept, reject, return, "jump CHAIN" (Prop is the chain), or
// "set PROP VALUE" and "append PROP VALUE".
type Action struct {
	Verb, Prop, Value string
}

func (If) stmt()     {}
func (Action) stmt() {}

// Cond is a condition: Op "||", "&&" or "!" over Args, or a matcher: Attr,
// Op (in, ==, !=, <, >, <=, >=, includes, or "" for "protocol bgp") and
// Value.
type Cond struct {
	Op    string
	Args  []Cond
	Attr  string
	Value string
}

// Parse reads one rule's text.
func Parse(text string) ([]Stmt, error) {
	p := &parser{toks: tokens(text)}
	ss, err := p.stmts()
	if err != nil {
		return nil, err
	}
	if !p.done() {
		return nil, fmt.Errorf("unexpected %q", p.peek())
	}
	return ss, nil
}

// tokens splits a rule into words and the punctuation RouterOS's rule
// language uses; a word runs until a space or punctuation, so "dst-len>24"
// is three tokens and 10.0.0.0/8 one.
func tokens(s string) []string {
	var out []string
	for i := 0; i < len(s); {
		c := s[i]
		switch {
		case c == ' ' || c == '\t' || c == '\n' || c == '\r':
			i++
		case strings.HasPrefix(s[i:], "&&") || strings.HasPrefix(s[i:], "||") || strings.HasPrefix(s[i:], "==") ||
			strings.HasPrefix(s[i:], "!=") || strings.HasPrefix(s[i:], "<=") || strings.HasPrefix(s[i:], ">="):
			out = append(out, s[i:i+2])
			i += 2
		case strings.ContainsRune("(){};!<>", rune(c)):
			out = append(out, string(c))
			i++
		case c == '"':
			j := strings.IndexByte(s[i+1:], '"')
			if j < 0 {
				out = append(out, s[i+1:])
				return out
			}
			out = append(out, s[i+1:i+1+j])
			i += j + 2
		default:
			j := i
			for j < len(s) && !strings.ContainsRune(" \t\n\r(){};!<>=&|\"", rune(s[j])) {
				j++
			}
			if j == i {
				j++ // a lone '=', '&' or '|'
			}
			out = append(out, s[i:j])
			i = j
		}
	}
	return out
}

type parser struct {
	toks []string
	pos  int
}

func (p *parser) done() bool { return p.pos >= len(p.toks) }

func (p *parser) peek() string {
	if p.done() {
		return ""
	}
	return p.toks[p.pos]
}

func (p *parser) next() string {
	t := p.peek()
	p.pos++
	return t
}

func (p *parser) expect(t string) error {
	if got := p.next(); got != t {
		return fmt.Errorf("want %q, got %q", t, got)
	}
	return nil
}

// stmts reads statements up to a closing brace or the end.
func (p *parser) stmts() ([]Stmt, error) {
	var out []Stmt
	for !p.done() && p.peek() != "}" {
		if p.peek() == ";" {
			p.pos++
			continue
		}
		s, err := p.stmt()
		if err != nil {
			return nil, err
		}
		out = append(out, s)
	}
	return out, nil
}

func (p *parser) block() ([]Stmt, error) {
	if err := p.expect("{"); err != nil {
		return nil, err
	}
	ss, err := p.stmts()
	if err != nil {
		return nil, err
	}
	return ss, p.expect("}")
}

func (p *parser) stmt() (Stmt, error) {
	switch w := p.next(); w {
	case "if":
		if err := p.expect("("); err != nil {
			return nil, err
		}
		c, err := p.or()
		if err != nil {
			return nil, err
		}
		if err := p.expect(")"); err != nil {
			return nil, err
		}
		s := If{Cond: c}
		if s.Then, err = p.block(); err != nil {
			return nil, err
		}
		if p.peek() == "else" {
			p.pos++
			if p.peek() == "if" {
				inner, err := p.stmt()
				if err != nil {
					return nil, err
				}
				s.Else = []Stmt{inner}
			} else if s.Else, err = p.block(); err != nil {
				return nil, err
			}
		}
		return s, nil
	case "accept", "reject", "return":
		return Action{Verb: w}, nil
	case "jump":
		return Action{Verb: w, Prop: p.next()}, nil
	case "set", "append":
		a := Action{Verb: w, Prop: p.next()}
		if a.Prop == "" || p.peek() == ";" || p.peek() == "}" || p.done() {
			return nil, fmt.Errorf("%s %s: no value", w, a.Prop)
		}
		a.Value = p.next()
		return a, nil
	default:
		return nil, fmt.Errorf("unknown statement %q", w)
	}
}

func (p *parser) or() (Cond, error) {
	l, err := p.and()
	if err != nil {
		return Cond{}, err
	}
	for p.peek() == "||" || p.peek() == "or" {
		p.pos++
		r, err := p.and()
		if err != nil {
			return Cond{}, err
		}
		l = Cond{Op: "||", Args: []Cond{l, r}}
	}
	return l, nil
}

func (p *parser) and() (Cond, error) {
	l, err := p.not()
	if err != nil {
		return Cond{}, err
	}
	for p.peek() == "&&" || p.peek() == "and" {
		p.pos++
		r, err := p.not()
		if err != nil {
			return Cond{}, err
		}
		l = Cond{Op: "&&", Args: []Cond{l, r}}
	}
	return l, nil
}

func (p *parser) not() (Cond, error) {
	switch p.peek() {
	case "!", "not":
		p.pos++
		x, err := p.not()
		return Cond{Op: "!", Args: []Cond{x}}, err
	case "(":
		p.pos++
		c, err := p.or()
		if err != nil {
			return Cond{}, err
		}
		return c, p.expect(")")
	}
	attr := p.next()
	if attr == "" || strings.ContainsAny(attr, "(){};") {
		return Cond{}, fmt.Errorf("want a matcher, got %q", attr)
	}
	c := Cond{Attr: attr}
	switch op := p.peek(); op {
	case "in", "==", "!=", "<", ">", "<=", ">=", "includes":
		p.pos++
		c.Op = op
	case ")", "&&", "||", "and", "or":
		return c, nil // a matcher of its own ("bgp-network")
	}
	c.Value = p.next()
	if c.Value == "" || strings.ContainsAny(c.Value, "(){};") {
		return Cond{}, fmt.Errorf("%s: no value", attr)
	}
	return c, nil
}
