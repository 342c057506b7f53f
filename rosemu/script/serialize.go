package script

import (
	"bytes"
	"encoding/json"
	"errors"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"unicode/utf8"
)

// serialize implements :serialize [value] to=json|dsv [delimiter=]
// [order=] [options=] (the Scripting manual's global commands; its
// examples are the tests): to=json writes arrays without keys as JSON
// arrays and keyed ones as objects in RouterOS's key order, numbers as
// numbers, and a string that reads as a number as a JSON number printed
// with six decimals unless options has json.no-string-conversion; to=dsv
// writes a keyed array of columns (or, with dsv.remap, a list of
// dictionaries such as print as-value returns) as delimited lines under a
// header.
func serialize(v Value, opt map[string]Value) (Value, error) {
	opts := optionSet(opt["options"])
	to := ""
	if x, ok := opt["to"]; ok {
		to = x.String()
	}
	// value=a,b,c is the list a, b, c (the manual's example prints
	// ["a","b","c"]): a string given as the value is read as :toarray
	// reads it. [verify] a string without a comma.
	if v.kind() == KindStr && strings.Contains(v.Str, ",") {
		var vs []Value
		for _, p := range strings.Split(v.Str, ",") {
			vs = append(vs, ParseLiteral(p))
		}
		v = ArrayOf(vs...)
	}
	switch to {
	case "json":
		var b strings.Builder
		writeJSON(&b, v, !opts["json.no-string-conversion"])
		out := b.String()
		if opts["json.pretty"] {
			var pb bytes.Buffer
			if json.Indent(&pb, []byte(out), "", "    ") == nil {
				out = pb.String()
			}
		}
		if len(out) > MaxString {
			return Value{}, errors.New("string too long")
		}
		return Str(out), nil
	case "dsv":
		return serializeDSV(v, opt, opts)
	case "":
		return Value{}, errors.New("missing value for argument to")
	}
	return Value{}, errors.New("invalid value for argument to")
}

// optionSet reads options=a,b (a word, a string or an array).
func optionSet(v Value) map[string]bool {
	out := map[string]bool{}
	for _, el := range elems(v) {
		for _, o := range strings.Split(el.String(), ",") {
			if o = strings.TrimSpace(o); o != "" {
				out[o] = true
			}
		}
	}
	return out
}

var jsonNumber = regexp.MustCompile(`^-?[0-9]+(\.[0-9]+)?$`)

func writeJSON(b *strings.Builder, v Value, conv bool) {
	switch v.kind() {
	case KindArray:
		if len(v.Arr.Keys) == 0 {
			b.WriteByte('[')
			for i, el := range v.Arr.List {
				if i > 0 {
					b.WriteByte(',')
				}
				writeJSON(b, el, conv)
				if b.Len() > MaxString {
					return
				}
			}
			b.WriteByte(']')
			return
		}
		b.WriteByte('{')
		n := 0
		member := func(k string, el Value) {
			if n > 0 {
				b.WriteByte(',')
			}
			n++
			writeJSONString(b, k)
			b.WriteByte(':')
			writeJSON(b, el, conv)
		}
		for i, el := range v.Arr.List {
			member(strconv.Itoa(i), el)
		}
		for _, k := range v.Arr.sortedKeys() {
			member(k, v.Arr.Keys[k])
			if b.Len() > MaxString {
				return
			}
		}
		b.WriteByte('}')
	case KindNum:
		b.WriteString(strconv.FormatInt(v.Num, 10))
	case KindBool:
		b.WriteString(v.String())
	case KindNil, KindNothing:
		b.WriteString("null")
	case KindStr:
		if conv && jsonNumber.MatchString(v.Str) {
			if f, err := strconv.ParseFloat(v.Str, 64); err == nil {
				b.WriteString(strconv.FormatFloat(f, 'f', 6, 64))
				return
			}
		}
		writeJSONString(b, v.Str)
	default:
		writeJSONString(b, v.String())
	}
}

// writeJSONString quotes s; bytes from 0x80 up pass as they are.
func writeJSONString(b *strings.Builder, s string) {
	const hexd = "0123456789abcdef"
	b.WriteByte('"')
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch c {
		case '"', '\\':
			b.WriteByte('\\')
			b.WriteByte(c)
		case '\n':
			b.WriteString(`\n`)
		case '\r':
			b.WriteString(`\r`)
		case '\t':
			b.WriteString(`\t`)
		default:
			if c < 0x20 {
				b.WriteString(`\u00`)
				b.WriteByte(hexd[c>>4])
				b.WriteByte(hexd[c&15])
			} else {
				b.WriteByte(c)
			}
		}
	}
	b.WriteByte('"')
}

func serializeDSV(v Value, opt map[string]Value, opts map[string]bool) (Value, error) {
	delim := ","
	if d, ok := opt["delimiter"]; ok {
		delim = d.String()
	}
	if v.kind() != KindArray {
		return Value{}, errors.New("invalid value for argument value")
	}
	cols := map[string][]Value{}
	var names []string
	if opts["dsv.remap"] {
		// A list of dictionaries: each one is a row.
		rows := elems(v)
		seen := map[string]bool{}
		for _, r := range rows {
			if r.kind() != KindArray {
				continue
			}
			for k := range r.Arr.Keys {
				if !seen[k] {
					seen[k] = true
					names = append(names, k)
				}
			}
		}
		sort.Strings(names)
		for _, r := range rows {
			for _, k := range names {
				el, ok := Value{}, false
				if r.kind() == KindArray {
					el, ok = r.Arr.Keys[k]
				}
				if !ok {
					el = Str("")
				}
				cols[k] = append(cols[k], el)
			}
		}
	} else {
		names = v.Arr.sortedKeys()
		for _, k := range names {
			cols[k] = elems(v.Arr.Keys[k])
		}
	}
	if o, ok := opt["order"]; ok {
		var ordered []string
		for _, el := range elems(o) {
			if _, ok := cols[el.String()]; ok {
				ordered = append(ordered, el.String())
			}
		}
		names = ordered
	}
	rows := 0
	for i, k := range names {
		n := len(cols[k])
		if i > 0 && n != rows && !opts["dsv.ignore-size"] {
			return Value{}, errors.New("array size mismatch")
		}
		if n > rows {
			rows = n
		}
	}
	field := func(el Value) string {
		if opts["dsv.wrap-strings"] && el.kind() == KindStr {
			return `"` + el.Str + `"`
		}
		return el.String()
	}
	lines := []string{strings.Join(names, delim)}
	for r := 0; r < rows; r++ {
		parts := make([]string, len(names))
		for i, k := range names {
			if r < len(cols[k]) {
				parts[i] = field(cols[k][r])
			}
		}
		lines = append(lines, strings.Join(parts, delim))
	}
	out := strings.Join(lines, "\n")
	if len(out) > MaxString {
		return Value{}, errors.New("string too long")
	}
	return Str(out), nil
}

// deserialize implements :deserialize [value] from=json|dsv [delimiter=]
// [options=]: from=json reads objects as keyed arrays, arrays as arrays,
// numbers as numbers and strings as the console types them (number, ip,
// time...) unless options has json.no-string-conversion; from=dsv splits
// the lines at the delimiter, each line an array (dsv.plain) or, under a
// header line, a dictionary of its columns (dsv.array).
func deserialize(v Value, opt map[string]Value) (Value, error) {
	opts := optionSet(opt["options"])
	from := ""
	if x, ok := opt["from"]; ok {
		from = x.String()
	}
	switch from {
	case "json":
		p := &jsonReader{s: v.String(), conv: !opts["json.no-string-conversion"]}
		p.blanks()
		out, err := p.value(0)
		if err != nil {
			return Value{}, err
		}
		p.blanks()
		if p.i != len(p.s) {
			return Value{}, errJSON
		}
		return out, nil
	case "dsv":
		delim := ","
		if d, ok := opt["delimiter"]; ok {
			delim = d.String()
		}
		return deserializeDSV(v.String(), delim, opts["dsv.array"])
	case "":
		return Value{}, errors.New("missing value for argument from")
	}
	return Value{}, errors.New("invalid value for argument from")
}

var errJSON = errors.New("invalid json")

type jsonReader struct {
	s    string
	i    int
	conv bool
}

func (p *jsonReader) blanks() {
	for p.i < len(p.s) && strings.IndexByte(" \t\r\n", p.s[p.i]) >= 0 {
		p.i++
	}
}

func (p *jsonReader) value(depth int) (Value, error) {
	if depth > maxDepth || p.i >= len(p.s) {
		return Value{}, errJSON
	}
	switch c := p.s[p.i]; {
	case c == '{':
		p.i++
		arr := &Array{Keys: map[string]Value{}}
		p.blanks()
		if p.i < len(p.s) && p.s[p.i] == '}' {
			p.i++
			return Value{Kind: KindArray, Arr: arr}, nil
		}
		for {
			p.blanks()
			k, err := p.str()
			if err != nil {
				return Value{}, err
			}
			p.blanks()
			if p.i >= len(p.s) || p.s[p.i] != ':' {
				return Value{}, errJSON
			}
			p.i++
			p.blanks()
			el, err := p.value(depth + 1)
			if err != nil {
				return Value{}, err
			}
			arr.Keys[k] = el
			p.blanks()
			if p.i < len(p.s) && p.s[p.i] == ',' {
				p.i++
				continue
			}
			if p.i < len(p.s) && p.s[p.i] == '}' {
				p.i++
				return Value{Kind: KindArray, Arr: arr}, nil
			}
			return Value{}, errJSON
		}
	case c == '[':
		p.i++
		arr := &Array{}
		p.blanks()
		if p.i < len(p.s) && p.s[p.i] == ']' {
			p.i++
			return Value{Kind: KindArray, Arr: arr}, nil
		}
		for {
			p.blanks()
			el, err := p.value(depth + 1)
			if err != nil {
				return Value{}, err
			}
			if len(arr.List) >= MaxArray {
				return Value{}, errJSON
			}
			arr.List = append(arr.List, el)
			p.blanks()
			if p.i < len(p.s) && p.s[p.i] == ',' {
				p.i++
				continue
			}
			if p.i < len(p.s) && p.s[p.i] == ']' {
				p.i++
				return Value{Kind: KindArray, Arr: arr}, nil
			}
			return Value{}, errJSON
		}
	case c == '"':
		s, err := p.str()
		if err != nil {
			return Value{}, err
		}
		if p.conv {
			return ParseLiteral(s), nil
		}
		return Str(s), nil
	case c == '-' || c >= '0' && c <= '9':
		start := p.i
		p.i++
		for p.i < len(p.s) && strings.IndexByte("0123456789.eE+-", p.s[p.i]) >= 0 {
			p.i++
		}
		text := p.s[start:p.i]
		if n, err := strconv.ParseInt(text, 10, 64); err == nil {
			return Num(n), nil
		}
		if _, err := strconv.ParseFloat(text, 64); err != nil {
			return Value{}, errJSON
		}
		return Str(text), nil
	}
	for _, w := range []struct {
		text string
		v    Value
	}{{"true", Bool(true)}, {"false", Bool(false)}, {"null", Nil()}} {
		if strings.HasPrefix(p.s[p.i:], w.text) {
			p.i += len(w.text)
			return w.v, nil
		}
	}
	return Value{}, errJSON
}

func (p *jsonReader) str() (string, error) {
	if p.i >= len(p.s) || p.s[p.i] != '"' {
		return "", errJSON
	}
	p.i++
	var b strings.Builder
	for p.i < len(p.s) {
		c := p.s[p.i]
		p.i++
		switch c {
		case '"':
			return b.String(), nil
		case '\\':
			if p.i >= len(p.s) {
				return "", errJSON
			}
			e := p.s[p.i]
			p.i++
			switch e {
			case '"', '\\', '/':
				b.WriteByte(e)
			case 'n':
				b.WriteByte('\n')
			case 'r':
				b.WriteByte('\r')
			case 't':
				b.WriteByte('\t')
			case 'b':
				b.WriteByte('\b')
			case 'f':
				b.WriteByte('\f')
			case 'u':
				if p.i+4 > len(p.s) {
					return "", errJSON
				}
				n, err := strconv.ParseUint(p.s[p.i:p.i+4], 16, 32)
				if err != nil {
					return "", errJSON
				}
				p.i += 4
				r := rune(n)
				// A surrogate pair.
				if r >= 0xd800 && r < 0xdc00 && strings.HasPrefix(p.s[p.i:], `\u`) && p.i+6 <= len(p.s) {
					if lo, err := strconv.ParseUint(p.s[p.i+2:p.i+6], 16, 32); err == nil && lo >= 0xdc00 && lo < 0xe000 {
						r = (r-0xd800)<<10 + (rune(lo) - 0xdc00) + 0x10000
						p.i += 6
					}
				}
				if r < 0x80 {
					b.WriteByte(byte(r))
				} else {
					b.WriteString(string(utf8.AppendRune(nil, r)))
				}
			default:
				return "", errJSON
			}
		default:
			b.WriteByte(c)
		}
	}
	return "", errJSON
}

func deserializeDSV(s, delim string, header bool) (Value, error) {
	if delim == "" {
		return Value{}, errors.New("invalid value for argument delimiter")
	}
	var records [][]string
	var rec []string
	var field strings.Builder
	i := 0
	for i <= len(s) {
		if i == len(s) || s[i] == '\n' {
			rec = append(rec, strings.TrimSuffix(field.String(), "\r"))
			field.Reset()
			if !(i == len(s) && len(rec) == 1 && rec[0] == "") {
				records = append(records, rec)
			}
			rec = nil
			i++
			continue
		}
		if strings.HasPrefix(s[i:], delim) {
			rec = append(rec, field.String())
			field.Reset()
			i += len(delim)
			continue
		}
		if s[i] == '"' && field.Len() == 0 {
			// A quoted field: "" is a quote inside it.
			j := i + 1
			for j < len(s) {
				if s[j] == '"' {
					if j+1 < len(s) && s[j+1] == '"' {
						field.WriteByte('"')
						j += 2
						continue
					}
					break
				}
				field.WriteByte(s[j])
				j++
			}
			i = j + 1
			continue
		}
		field.WriteByte(s[i])
		i++
	}
	if len(records) > MaxArray {
		return Value{}, errors.New("string too long")
	}
	toArr := func(fs []string) Value {
		out := make([]Value, len(fs))
		for i, f := range fs {
			out[i] = Str(f)
		}
		return ArrayOf(out...)
	}
	if !header {
		out := make([]Value, len(records))
		for i, r := range records {
			out[i] = toArr(r)
		}
		return ArrayOf(out...), nil
	}
	if len(records) == 0 {
		return ArrayOf(), nil
	}
	names := records[0]
	out := make([]Value, 0, len(records)-1)
	for _, r := range records[1:] {
		m := map[string]Value{}
		for i, k := range names {
			f := ""
			if i < len(r) {
				f = r[i]
			}
			m[k] = Str(f)
		}
		out = append(out, Value{Kind: KindArray, Arr: &Array{Keys: m}})
	}
	return ArrayOf(out...), nil
}
