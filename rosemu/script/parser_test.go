package script

import (
	"context"
	"strings"
	"testing"
)

// testTree is a small menu tree for parser tests.
func testTree() *Tree {
	t := NewTree()
	params := map[string]bool{"chain": true, "action": true, "comment": true, "to-addresses": true, "numbers": true, "name": true, "address": true}
	for _, p := range []string{"ip firewall nat", "ip firewall filter", "ip address", "system identity"} {
		t.Add(p, map[string]*Syntax{
			"add":    {Params: params},
			"set":    {Params: params, Unnamed: 1},
			"remove": {Unnamed: 1},
			"print":  {Flags: map[string]bool{"detail": true, "count-only": true}, Where: true},
			"find":   {Expr: true},
			"get":    {Unnamed: 2},
		})
	}
	return t
}

// recorder is a Host that records the commands it receives.
type recorder struct{ calls []*Call }

func (r *recorder) Call(_ context.Context, c *Call) (Value, error) {
	r.calls = append(r.calls, c)
	if c.Verb == "find" {
		return ArrayOf(ID("*1"), ID("*2")), nil
	}
	return Value{}, nil
}

func describe(c *Call) string {
	var b strings.Builder
	b.WriteString("/" + strings.Join(c.Path, " ") + " " + c.Verb)
	for _, a := range c.Named {
		b.WriteString(" " + a.Name + "=" + a.Value)
	}
	for _, f := range c.Flags {
		b.WriteString(" " + f)
	}
	for _, u := range c.Unnamed {
		b.WriteString(" <" + u.ArgString() + ">")
	}
	return b.String()
}

func TestParse(t *testing.T) {
	tests := []struct {
		name, src string
		want      []string // the calls, as describe prints them
		wantErr   string
	}{
		{name: "absolute path with command", src: "/ip firewall nat add chain=srcnat action=masquerade",
			want: []string{"/ip firewall nat add chain=srcnat action=masquerade"}},
		{name: "slash path", src: "/ip/firewall/nat/add chain=dstnat",
			want: []string{"/ip firewall nat add chain=dstnat"}},
		{name: "menu line then commands", src: "/ip firewall nat\nadd chain=a\nadd chain=b;add chain=c\n",
			want: []string{"/ip firewall nat add chain=a", "/ip firewall nat add chain=b", "/ip firewall nat add chain=c"}},
		{name: "relative submenu", src: "/ip\nfirewall filter add chain=input\naddress add address=1.2.3.4/24",
			want: []string{"/ip firewall filter add chain=input", "/ip address add address=1.2.3.4/24"}},
		{name: "comments and blank lines", src: "# head\n\n/ip address # menu\n  # indented\nadd comment=\"# not a comment\"\n",
			want: []string{"/ip address add comment=# not a comment"}},
		{name: "continuation outside string", src: "/ip firewall nat add chain=srcnat \\\n    action=masquerade comment=\\\n    \"x y\"",
			want: []string{"/ip firewall nat add chain=srcnat action=masquerade comment=x y"}},
		{name: "continuation inside string", src: "/ip address add comment=\"ab\\\n    cd\\_\\\n    e\"",
			want: []string{"/ip address add comment=abcd e"}},
		{name: "escapes", src: `/ip address add comment="q\"b\\d\$t\tn\nh\41\_?\?"`,
			want: []string{"/ip address add comment=q\"b\\d$t\tn\nhA ??"}},
		{name: "bad escape", src: `/ip address add comment="a\q"`, wantErr: "syntax error (line 1 column 27)"},
		{name: "lowercase hex escape is an error", src: `/ip address add comment="\4a"`, wantErr: "syntax error (line 1 column 26)"},
		// Reported where the string opens (issue 13), not at the end.
		{name: "unterminated string", src: "/ip address add comment=\"abc\n", wantErr: "syntax error (line 1 column 25)"},
		{name: "byte order mark skipped", src: "\uFEFF/ip address add comment=x", want: []string{"/ip address add comment=x"}},
		{name: "byte order mark then error", src: "\uFEFF/ip adress add", wantErr: "bad command name adress (line 1 column 5)"},
		{name: "bad command name", src: "/ip address\nfrob 1", wantErr: "bad command name frob (line 2 column 1)"},
		{name: "bad menu", src: "/ip adress add", wantErr: "bad command name adress (line 1 column 5)"},
		{name: "expected end of command", src: "/ip address add foo=1", wantErr: "expected end of command (line 1 column 17)"},
		{name: "too many unnamed", src: "/ip address set 0 1 comment=x", wantErr: "expected end of command (line 1 column 19)"},
		{name: "unbalanced brace", src: "{ :put 1", wantErr: "syntax error (line 1 column 9)"},
		{name: "stray bracket", src: ":put 1 ]", wantErr: "syntax error (line 1 column 8)"},
		{name: "unknown global", src: ":frobnicate 1", wantErr: "bad command name frobnicate (line 1 column 2)"},
		{name: "error on later line stops everything", src: "/ip address add address=1.1.1.1/24\n/ip address add address=\"x", wantErr: "syntax error (line 2 column 25)"},
		{name: "set with find where", src: "/ip firewall nat set [find where comment=\"x\" and chain=srcnat] action=accept",
			want: []string{"/ip firewall nat find", "/ip firewall nat set action=accept <*1,*2>"}},
		{name: "find without where", src: "/ip firewall filter remove [find comment~\"defconf\"]",
			want: []string{"/ip firewall filter find", "/ip firewall filter remove <*1,*2>"}},
		{name: "print flags and where", src: "/ip address print detail where address=1.2.3.4",
			want: []string{"/ip address print detail"}},
		{name: "numbers", src: "/ip address set 0 comment=x\n/ip address remove *A",
			want: []string{"/ip address set comment=x <0>", "/ip address remove <*A>"}},
		{name: "variables and substitution", src: ":local n \"v-1\"; /ip address add comment=$n address=(\"1.1.1.\" . 2)",
			want: []string{"/ip address add comment=v-1 address=1.1.1.2"}},
		{name: "quoted variable name", src: ":global \"lease-address\" 10.0.0.1; /ip address add comment=$\"lease-address\"",
			want: []string{"/ip address add comment=10.0.0.1"}},
		{name: "block", src: "{\n/ip address add comment=a\n}\n", want: []string{"/ip address add comment=a"}},
		{name: "empty value", src: "/ip address add comment=", want: []string{"/ip address add comment="}},
		{name: "crlf line ends", src: "/ip address\r\nadd comment=a\r\n", want: []string{"/ip address add comment=a"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b, err := Parse(tt.src, testTree(), nil)
			if err == nil {
				rec := &recorder{}
				in := NewInterp(rec)
				err = in.Run(context.Background(), b)
				var got []string
				for _, c := range rec.calls {
					got = append(got, describe(c))
				}
				if err == nil && strings.Join(got, "\n") != strings.Join(tt.want, "\n") {
					t.Errorf("calls:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(tt.want, "\n"))
				}
			}
			if tt.wantErr == "" && err != nil {
				t.Fatalf("unexpected error: %v", err)
			}
			if tt.wantErr != "" && (err == nil || err.Error() != tt.wantErr) {
				t.Fatalf("error = %v, want %q", err, tt.wantErr)
			}
		})
	}
}

// TestWhere checks where expressions against item properties.
func TestWhere(t *testing.T) {
	props := map[string]Value{
		"comment": Str("defconf: drop"), "chain": Str("input"), "disabled": Bool(false),
		"dynamic": Bool(true), "distance": Str("5"), "address": Str("192.168.88.1/24"),
	}
	lookup := func(n string) (Value, bool) { v, ok := props[n]; return v, ok }
	tests := []struct {
		expr string
		want bool
	}{
		{`comment="defconf: drop"`, true},
		{`comment~"^defconf"`, true},
		{`comment~"^drop"`, false},
		{`chain=input and !disabled`, true},
		{`chain=forward or dynamic`, true},
		{`chain=forward || disabled`, false},
		{`disabled=no`, true},
		{`disabled=yes`, false},
		{`distance>1 && distance<=5`, true},
		{`distance!=5`, false},
		{`address=192.168.88.1/24`, true},
		{`(chain=input or chain=forward) and dynamic`, true},
		{`chain=forward or chain=input and disabled`, false},
		{`!(chain=input)`, false},
	}
	tree := testTree()
	for _, tt := range tests {
		b, err := Parse("/ip address print where "+tt.expr, tree, nil)
		if err != nil {
			t.Fatalf("%s: %v", tt.expr, err)
		}
		rec := &recorder{}
		if err := NewInterp(rec).Run(context.Background(), b); err != nil {
			t.Fatalf("%s: %v", tt.expr, err)
		}
		got, err := rec.calls[0].Where(lookup)
		if err != nil || got != tt.want {
			t.Errorf("%s = %v, %v; want %v", tt.expr, got, err, tt.want)
		}
	}
}

func FuzzParse(f *testing.F) {
	for _, s := range []string{
		"/ip firewall nat add chain=srcnat action=masquerade comment=\"a\\\"b\"",
		"/ip address\nadd address=1.1.1.1/24 \\\n    comment=x",
		":if ($a = 1) do={ :put \"x$a\" } else={ :put [:len {1;2}] }",
		"/ip firewall filter remove [find where comment~\"def\" and !disabled]",
		":foreach k,v in={a=1;b=2} do={ :put ($k . $v) }",
		"{ :local x (1 + 2 * 3); :put ($x << 2) }",
	} {
		f.Add(s)
	}
	tree := testTree()
	f.Fuzz(func(t *testing.T, src string) {
		b, err := Parse(src, tree, nil)
		if err != nil {
			var se *Error
			if !errorsAs(err, &se) || se.Pos.Line < 1 || se.Pos.Col < 1 {
				t.Fatalf("error without position: %v", err)
			}
			return
		}
		if b == nil {
			t.Fatal("nil block without error")
		}
		// The strict compile of scripts must fail the same way or pass.
		if _, err := ParseWith(src, ParseOptions{Schema: tree, Strict: true}); err != nil {
			var se *Error
			if !errorsAs(err, &se) || se.Pos.Line < 1 || se.Pos.Col < 1 {
				t.Fatalf("strict error without position: %v", err)
			}
		}
	})
}
