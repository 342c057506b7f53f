package script

import (
	"context"
	"errors"
	"testing"
)

func errorsAs(err error, target any) bool { return errors.As(err, target) }

func TestInterp(t *testing.T) {
	tests := []struct {
		src, want, wantErr string
	}{
		{src: `:put "hello"`, want: "hello\n"},
		{src: `:put (1 + 2 * 3)`, want: "7\n"},
		{src: `:put ((1 + 2) * 3)`, want: "9\n"},
		{src: `:put (10 / 3 . "x")`, want: "3x\n"},
		{src: `:put [:typeof 10.0.0.1]`, want: "ip\n"},
		{src: `:put [:typeof 10.0.0.0/8]`, want: "ip-prefix\n"},
		{src: `:put [:typeof 1d2h]`, want: "time\n"},
		{src: `:put [:typeof "a"]`, want: "str\n"},
		{src: `:put [:typeof true]`, want: "bool\n"},
		{src: `:put [:typeof *1A]`, want: "id\n"},
		{src: `:put [:typeof {1;2}]`, want: "array\n"},
		{src: `:local x; :put [:typeof $x]`, want: "nil\n"},
		{src: `:put [:typeof $undefined]`, want: "nothing\n"},
		{src: `:put 1d2h3m`, want: "1d02:03:00\n"},
		{src: `:put [:len "abcd"]`, want: "4\n"},
		{src: `:put [:len {1;2;3}]`, want: "3\n"},
		{src: `:put ([:tonum "42"] + 1)`, want: "43\n"},
		{src: `:put [:tostr 5]`, want: "5\n"},
		{src: `:local a 5; :if ($a > 3) do={ :put big } else={ :put small }`, want: "big\n"},
		{src: `:local a 1; :if ($a > 3) do={ :put big } else={ :put small }`, want: "small\n"},
		{src: `:foreach k,v in={b=2;a=1} do={ :put ($k . "=" . $v) }`, want: "a=1\nb=2\n"},
		{src: `:foreach v in={3;4} do={ :put $v }`, want: "3\n4\n"},
		{src: `:global g 1; :set g ($g + 1); :put $g`, want: "2\n"},
		{src: `:local s "x"; :put "v=$s."`, want: "v=x.\n"},
		{src: `:put (192.168.88.77 & 255.255.255.0)`, want: "192.168.88.0\n"},
		{src: `:put (10.0.0.1 in 10.0.0.0/8)`, want: "true\n"},
		{src: `:put ("ab" = "ab" and 1 < 2)`, want: "true\n"},
		{src: `:put [:pick "abcdef" 1 3]`, want: "bc\n"},
		{src: `:put [:find "abcdef" "cd"]`, want: "2\n"},
		{src: `:for i from=1 to=3 do={ :put $i }`, want: "1\n2\n3\n"},
		{src: `:local a {x=1}; :put ($a->"x")`, want: "1\n"},
		{src: `:do { :error "boom" } on-error={ :put caught }`, want: "caught\n"},
		{src: `:error "boom"`, wantErr: "boom (line 1 column 1)"},
		{src: `:put (1 / 0)`, wantErr: "division by zero (line 1 column 9)"},
		{src: `:set nope 1`, wantErr: "no such variable nope (line 1 column 1)"},
		{src: `:delay 1ms; :put done`, want: "done\n"},
	}
	for _, tt := range tests {
		b, err := Parse(tt.src, testTree(), nil)
		if err != nil {
			t.Fatalf("%s: parse: %v", tt.src, err)
		}
		in := NewInterp(&recorder{})
		err = in.Run(context.Background(), b)
		if tt.wantErr != "" {
			if err == nil || err.Error() != tt.wantErr {
				t.Errorf("%s: error %v, want %q", tt.src, err, tt.wantErr)
			}
			continue
		}
		if err != nil {
			t.Errorf("%s: %v", tt.src, err)
			continue
		}
		if got := in.Out.String(); got != tt.want {
			t.Errorf("%s: got %q want %q", tt.src, got, tt.want)
		}
	}
}

func TestLog(t *testing.T) {
	b, err := Parse(`:log warning "disk $x"`, testTree(), nil)
	if err != nil {
		t.Fatal(err)
	}
	in := NewInterp(&recorder{})
	in.Globals["x"] = Str("full")
	if err := in.Run(context.Background(), b); err != nil {
		t.Fatal(err)
	}
	if len(in.Log) != 1 || in.Log[0].Msg != "disk full" || in.Log[0].Topics != "script,warning" {
		t.Fatalf("log = %+v", in.Log)
	}
}

func TestTimes(t *testing.T) {
	for in, want := range map[string]string{"30": "00:00:30", "1w2d": "1w2d00:00:00", "00:15:00": "00:15:00", "1d02:03:04": "1d02:03:04", "500ms": "00:00:00.500"} {
		d, ok := ParseTime(in)
		if !ok || FormatTime(d) != want {
			t.Errorf("ParseTime(%q) = %v %v, formatted %q want %q", in, d, ok, FormatTime(d), want)
		}
	}
	if _, ok := ParseTime("1x"); ok {
		t.Error("ParseTime accepted 1x")
	}
}
