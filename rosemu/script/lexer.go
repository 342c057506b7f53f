package script

import (
	"fmt"
	"sort"
	"strings"
)

// scanner reads RouterOS source character by character. RouterOS's grammar
// is context dependent (a word is a path, a command, a parameter name or a
// value depending on where it stands), so the parser drives the scanner
// instead of consuming a token stream.
type scanner struct {
	src        []rune
	pos        int
	lineStarts []int
	// embed parses the command ("$[...]") or expression ("$(...)") a
	// quoted string embeds, from its opening bracket; the parser sets it.
	// Without it such a string is a syntax error.
	embed func() (Expr, error)
}

func newScanner(src string) *scanner {
	// A UTF-8 byte order mark (files saved by Windows editors) is not part
	// of the source; columns count from the character after it, as an
	// editor shows them.
	src = strings.TrimPrefix(src, "\uFEFF")
	s := &scanner{src: []rune(src), lineStarts: []int{0}}
	for i, r := range s.src {
		if r == '\n' {
			s.lineStarts = append(s.lineStarts, i+1)
		}
	}
	return s
}

// posOf converts a rune index into a 1-based line and column.
func (s *scanner) posOf(i int) Pos {
	line := sort.Search(len(s.lineStarts), func(k int) bool { return s.lineStarts[k] > i }) - 1
	return Pos{Line: line + 1, Col: i - s.lineStarts[line] + 1}
}

func (s *scanner) here() Pos { s.skipCont(); return s.posOf(s.pos) }

// contLen returns the length of a line continuation at i: a backslash,
// optional blanks, a newline and the next line's indentation. Exports
// break long lines this way, even right after "name=", so the indentation
// must vanish with the break.
func (s *scanner) contLen(i int) int {
	if i >= len(s.src) || s.src[i] != '\\' {
		return 0
	}
	j := i + 1
	for j < len(s.src) && (s.src[j] == ' ' || s.src[j] == '\t' || s.src[j] == '\r') {
		j++
	}
	if j >= len(s.src) || s.src[j] != '\n' {
		return 0
	}
	j++
	for j < len(s.src) && (s.src[j] == ' ' || s.src[j] == '\t') {
		j++
	}
	return j - i
}

func (s *scanner) skipCont() {
	for {
		n := s.contLen(s.pos)
		if n == 0 || s.contBlank(s.pos, n) {
			return
		}
		s.pos += n
	}
}

// contBlank reports whether the continuation of length n at i separates
// the words on either side, as a blank does: outside a string, after a
// word and before an indented next line. Scripts written by hand break a
// command so ("/ip/dhcp-server/network/print\" then "    as-value\" then
// "    where", 119 times in a public homenet-dns module for 7.x), where
// gluing the words gave "bad command name printas-value...". An export
// breaks outside a string only after a blank or right after "name=",
// and there the indentation still vanishes ("policy=\" then
// "    read,write"); inside a string it always does (str).
func (s *scanner) contBlank(i, n int) bool {
	if i == 0 || s.src[i+n-1] != ' ' && s.src[i+n-1] != '\t' {
		return false
	}
	switch s.src[i-1] {
	case '=', ' ', '\t', '\n', '\\':
		return false
	}
	return true
}

// peek returns the next character outside strings, 0 at the end; a
// continuation that separates words reads as a blank.
func (s *scanner) peek() rune {
	s.skipCont()
	if s.pos >= len(s.src) {
		return 0
	}
	if n := s.contLen(s.pos); n > 0 {
		return ' '
	}
	return s.src[s.pos]
}

// peekN returns the character n places after the next one, without
// looking through continuations (operators are never split by them).
func (s *scanner) peekN(n int) rune {
	s.skipCont()
	if s.pos+n >= len(s.src) {
		return 0
	}
	return s.src[s.pos+n]
}

func (s *scanner) next() rune {
	c := s.peek()
	if n := s.contLen(s.pos); n > 0 {
		s.pos += n
	} else if c != 0 {
		s.pos++
	}
	return c
}

// skipBlanks skips spaces and tabs (and newlines when nl is set).
func (s *scanner) skipBlanks(nl bool) {
	for {
		c := s.peek()
		if c == ' ' || c == '\t' || c == '\r' || (nl && c == '\n') {
			s.next()
			continue
		}
		return
	}
}

// skipComment skips a # comment up to (not including) the newline. A
// continuation does not extend a comment.
func (s *scanner) skipComment() {
	for s.pos < len(s.src) && s.src[s.pos] != '\n' {
		s.pos++
	}
}

func isIdentStart(c rune) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c == '_'
}

func isIdentChar(c rune) bool {
	return isIdentStart(c) || c >= '0' && c <= '9' || c == '-'
}

func isAlnum(c rune) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9'
}

// ident scans a menu, command, parameter or property name.
func (s *scanner) ident() string {
	var b strings.Builder
	for {
		c := s.peek()
		if !isIdentChar(c) {
			break
		}
		b.WriteRune(c)
		s.pos++
	}
	return b.String()
}

// endOfValue reports whether c ends a value or a bare word.
func endOfValue(c rune) bool {
	switch c {
	case 0, ' ', '\t', '\r', '\n', ';', ']', ')', '}':
		return true
	}
	return false
}

// bareWord scans an unquoted value: everything up to whitespace, a
// terminator or the start of another value piece.
func (s *scanner) bareWord() string {
	var b strings.Builder
	for {
		c := s.peek()
		if endOfValue(c) || c == '"' || c == '$' || c == '[' || c == '(' || c == '{' {
			break
		}
		b.WriteRune(c)
		s.pos++
	}
	return b.String()
}

func hexVal(c rune) int {
	switch {
	case c >= '0' && c <= '9':
		return int(c - '0')
	case c >= 'A' && c <= 'F':
		return int(c-'A') + 10
	}
	return -1
}

// str scans a quoted string from its opening quote, resolving the escapes
// of RouterOS (docs/routeros.md) and splitting out $variables.
func (s *scanner) str() (*StrLit, error) {
	start := s.here()
	s.pos++ // the opening quote
	lit := &StrLit{P: start}
	var b strings.Builder
	litPos := s.posOf(s.pos)
	flush := func() {
		if b.Len() > 0 || len(lit.Parts) == 0 {
			lit.Parts = append(lit.Parts, &Lit{P: litPos, Val: Str(b.String())})
		}
		b.Reset()
	}
	for {
		if s.pos >= len(s.src) {
			// An unterminated string is reported where it opens: the end
			// of the file says nothing about which quote is missing.
			return nil, &Error{Msg: "syntax error", Category: 3, Pos: start}
		}
		c := s.src[s.pos]
		switch c {
		case '"':
			s.pos++
			if b.Len() > 0 || len(lit.Parts) == 0 {
				flush()
			}
			return lit, nil
		case '$':
			vp := s.posOf(s.pos)
			s.pos++
			// "$[:len $a]" and "$($a->1)": a command's or an expression's
			// value inside the string.
			if s.embed != nil && s.pos < len(s.src) && (s.src[s.pos] == '[' || s.src[s.pos] == '(') {
				x, err := s.embed()
				if err != nil {
					return nil, err
				}
				if b.Len() > 0 {
					flush()
				}
				lit.Parts = append(lit.Parts, x)
				litPos = s.posOf(s.pos)
				continue
			}
			name, err := s.varName()
			if err != nil {
				return nil, err
			}
			if b.Len() > 0 {
				flush()
			}
			lit.Parts = append(lit.Parts, &Var{P: vp, Name: name})
			litPos = s.posOf(s.pos)
		case '\\':
			if n := s.contLen(s.pos); n > 0 {
				s.pos += n
				continue
			}
			ep := s.posOf(s.pos)
			if s.pos+1 >= len(s.src) {
				return nil, &Error{Msg: "syntax error", Category: 3, Pos: ep}
			}
			e := s.src[s.pos+1]
			s.pos += 2
			if c, ok := Escape(e); ok {
				b.WriteRune(c)
			} else {
				if s.pos < len(s.src) {
					hi, lo := hexVal(e), hexVal(s.src[s.pos])
					if hi >= 0 && lo >= 0 {
						s.pos++
						b.WriteByte(byte(hi<<4 | lo))
						continue
					}
				}
				return nil, &Error{Msg: "syntax error", Category: 3, Pos: ep}
			}
		default:
			b.WriteRune(c)
			s.pos++
		}
	}
}

// varName scans the name after '$': letters and digits, or a quoted name.
func (s *scanner) varName() (string, error) {
	if s.pos < len(s.src) && s.src[s.pos] == '"' {
		lit, err := s.str()
		if err != nil {
			return "", err
		}
		var b strings.Builder
		for _, p := range lit.Parts {
			l, ok := p.(*Lit)
			if !ok {
				return "", &Error{Msg: "syntax error", Category: 3, Pos: p.Position()}
			}
			b.WriteString(l.Val.Str)
		}
		return b.String(), nil
	}
	start := s.pos
	for s.pos < len(s.src) && isAlnum(s.src[s.pos]) {
		s.pos++
	}
	if s.pos == start {
		return "", &Error{Msg: "syntax error", Category: 3, Pos: s.posOf(s.pos)}
	}
	return string(s.src[start:s.pos]), nil
}

// Escape returns the character a one-character backslash escape of a
// RouterOS string stands for (\n, \_ for a space, \" ...); ok is false for
// anything else, such as the first digit of a \XX hex pair.
func Escape(e rune) (rune, bool) {
	switch e {
	case '"', '\\', '$', '?':
		return e, true
	case 'n':
		return '\n', true
	case 'r':
		return '\r', true
	case 't':
		return '\t', true
	case '_':
		return ' ', true
	case 'a':
		return '\a', true
	case 'b':
		return '\b', true
	case 'f':
		return '\f', true
	case 'v':
		return '\v', true
	}
	return 0, false
}

// Unquote decodes one RouterOS quoted string ("scan\$", "a\_b", "\C3\A9")
// with the console's escapes, as the parser reads it. A string that names
// a variable or embeds a command ("$x", "$[...]") has no value outside a
// script and is refused, as is anything after the closing quote.
func Unquote(q string) (string, error) {
	s := newScanner(q)
	if len(s.src) == 0 || s.src[0] != '"' {
		return "", fmt.Errorf("want a quoted string")
	}
	lit, err := s.str()
	if err != nil {
		return "", fmt.Errorf("not a RouterOS string: a backslash that starts no escape, a $ that names no variable (write \\$ for a dollar sign), or no closing quote")
	}
	if s.pos != len(s.src) {
		return "", fmt.Errorf("text after the closing quote")
	}
	var b strings.Builder
	for _, p := range lit.Parts {
		l, ok := p.(*Lit)
		if !ok {
			return "", fmt.Errorf("an unescaped $ starts a variable, which a quoted string here cannot use; write \\$ for a dollar sign")
		}
		b.WriteString(l.Val.Str)
	}
	return b.String(), nil
}
