package script

import (
	"testing"
	"time"
)

// A time of whole weeks and no days prints without "0d", and a fraction
// finer than a millisecond keeps nine digits: the Scripting manual shows
// ":put [:timestamp]" as 2735w21:41:43.481891543. rosemu printed
// 1w0d00:00:00 and cut the timestamp to milliseconds (forum60 D3). The
// printed forms read back as the same time.
func TestTimeWeeksNoDays(t *testing.T) {
	for _, c := range []struct {
		d    time.Duration
		want string
	}{
		{7 * 24 * time.Hour, "1w00:00:00"},
		{7*24*time.Hour + 3*time.Hour, "1w03:00:00"},
		{2735*7*24*time.Hour + 21*time.Hour + 41*time.Minute + 43*time.Second + 481891543, "2735w21:41:43.481891543"},
		{8 * 24 * time.Hour, "1w1d00:00:00"},
		{24 * time.Hour, "1d00:00:00"},
		{1500 * time.Millisecond, "00:00:01.500"},
		{-7 * 24 * time.Hour, "-1w00:00:00"},
	} {
		got := FormatTime(c.d)
		if got != c.want {
			t.Errorf("FormatTime(%v) = %q, want %q", c.d, got, c.want)
		}
		if back, ok := ParseTime(c.want); c.d >= 0 && (!ok || back != c.d) {
			t.Errorf("ParseTime(%q) = %v, %v; want %v", c.want, back, ok, c.d)
		}
	}
	got, err := runStrict(":put 1w\n:put (1w + 3h)\n:put [:totime \"2w\"]", nil, &recorder{}, nil)
	if err != nil {
		t.Fatal(err)
	}
	if got != "1w00:00:00\n1w03:00:00\n2w00:00:00\n" {
		t.Errorf("got %q", got)
	}
}

// One IPv4 address less another is the count between them, as public
// DHCP pool monitors size a pool: "[:toip $end] - [:toip $start] + 1".
// Was "cannot apply - to ip and ip" (forum60 D2). An address and a
// number still give an address; + of two addresses stays refused.
func TestIPMinusIP(t *testing.T) {
	got, err := runStrict(`:local rg "192.168.88.10-192.168.88.254"
:local d [:find $rg "-"]
:local size ([:toip [:pick $rg ($d + 1) [:len $rg]]] - [:toip [:pick $rg 0 $d]] + 1)
:put ($size . " " . [:typeof $size])
:put (10.0.0.3 - 10.0.0.15)
:put (10.0.1.0 - 1)
:put [:typeof (192.168.88.20 - 192.168.88.0)]`, nil, &recorder{}, nil)
	if err != nil {
		t.Fatal(err)
	}
	if got != "245 num\n-12\n10.0.0.255\nnum\n" {
		t.Errorf("got %q", got)
	}
	if _, err := runStrict(":put (10.0.0.1 + 10.0.0.2)", nil, &recorder{}, nil); err == nil {
		t.Error("ip + ip: no error")
	}
}

// A :for or :foreach variable is the loop's own: an inner loop of the same
// name leaves the outer loop's value alone, and a local of that name
// declared before the loop keeps its value after it. The loop wrote its
// variable into the enclosing scope (forum60 D6), so "outer" printed the
// inner loop's 9 twice and "after" printed 2, while the parser already
// took the name as the loop's alone.
func TestLoopVariableScope(t *testing.T) {
	got, err := runStrict(`:local list {1;2}
:foreach i in=$list do={ :foreach i in={9} do={ :local x $i }; :put ("outer " . $i) }
:local i 5
:for i from=1 to=2 do={ :for i from=7 to=7 do={}; :put ("for " . $i) }
:put ("after " . $i)
:local k "kept"; :local v "kept"
:foreach k,v in={"a"=1} do={ :put ($k . "=" . $v) }
:put ($k . " " . $v)
:local n 0
:foreach x in={1;2;3} do={ :set n ($n + $x) }
:put $n`, nil, &recorder{}, nil)
	if err != nil {
		t.Fatal(err)
	}
	if want := "outer 1\nouter 2\nfor 1\nfor 2\nafter 5\na=1\nkept kept\n6\n"; got != want {
		t.Errorf("got %q, want %q", got, want)
	}
}
