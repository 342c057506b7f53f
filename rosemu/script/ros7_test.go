package script

import (
	"strings"
	"testing"
)

// TestRouterOS7Globals runs the RouterOS 7 global commands of the
// Scripting manual's global commands table (the manual's own examples
// where it gives them) and the shapes public scripts use them in.
func TestRouterOS7Globals(t *testing.T) {
	tests := []struct {
		name, src, want, wantErr string
	}{
		// :retry
		{name: "retry until it succeeds", src: ":local n 0\n:retry command={ :set n ($n + 1); :if ($n < 3) do={ :error \"link not up\" } } delay=1ms max=5\n:put $n", want: "3\n"},
		{name: "retry gives up into onerror", src: ":local n 0\n:onerror e {:retry command={ :set n ($n + 1); :error \"peer down\" } delay=1ms max=3} do={ :put \"gave up after $n: $e\" }", want: "gave up after 3: peer down\n"},
		{name: "retry unnamed block, time delay", src: ":local n 0\n:retry { :set n ($n + 1); :if ($n < 2) do={ :error \"not ready\" } } delay=5ms max=50\n:put \"ready after $n\"", want: "ready after 2\n"},
		{name: "retry on-error", src: ":retry command={ :error \"no route\" } delay=1ms max=2 on-error={ :put \"fallback\" }", want: "fallback\n"},
		{name: "retry return goes through", src: ":local wait do={ :retry { :return \"found\" } delay=1ms max=3; :return \"never\" }\n:put [$wait]", want: "found\n"},
		{name: "retry failure uncaught", src: ":retry command={ :error \"still down\" } delay=1ms max=2", wantErr: "still down (line 1 column 18)"},
		{name: "retry without command", src: ":retry delay=1 max=2", wantErr: "missing value for argument command (line 1 column 1)"},
		// :rndstr (lengths and the alphabet; see TestRndstrAlphabet)
		{name: "rndstr length", src: ":put [:len [:rndstr length=12 from=\"0123456789abcdef\"]]; :put [:len [:rndstr]]", want: "12\n16\n"},
		// :range
		{name: "range manual example", src: ":put [:range 2 8]", want: "2;3;4;5;6;7;8\n"},
		{name: "range from to", src: ":foreach i in=[:range from=1 to=3] do={ :put \"block $i\" }", want: "block 1\nblock 2\nblock 3\n"},
		// :tonsec, :tolf, :tocrlf
		{name: "tonsec manual example", src: ":put [:tonsec value=10:00]", want: "36000000000000\n"},
		{name: "tonsec of a time", src: ":put ([:tonsec 1500ms] / 1000000)", want: "1500\n"},
		{name: "tocrlf", src: ":local s [:tocrlf \"a\\nb\\r\\nc\"]; :put [:len $s]; :put [:find $s \"\\r\"]", want: "7\n1\n"},
		{name: "tolf", src: ":put [:len [:tolf \"a\\r\\nb\\r\\n\"]]", want: "4\n"},
		// :convert
		{name: "convert manual example", src: ":put [:convert 001 to=hex]", want: "31\n"},
		{name: "convert from hex", src: ":put [:convert \"4d696b726f54696b\" from=hex to=raw]", want: "MikroTik\n"},
		{name: "convert transform", src: ":put [:convert transform=lc \"AAA\"]; :put [convert transform=ucfirst \"router\"]", want: "aaa\nRouter\n"},
		{name: "convert basic auth", src: ":put (\"Authorization: Basic \" . [:convert to=base64 (\"ntfy\" . \":\" . \"s3cret\")])", want: "Authorization: Basic bnRmeTpzM2NyZXQ=\n"},
		{name: "convert base64 back", src: ":put [:convert from=base64 \"bnRmeTpzM2NyZXQ=\"]", want: "ntfy:s3cret\n"},
		{name: "convert md5 hex", src: ":put [:convert transform=md5 to=hex \"\"]", want: "d41d8cd98f00b204e9800998ecf8427e\n"},
		{name: "convert url", src: ":put [:convert to=url \"Office WiFi&x=1\"]", want: "Office%20WiFi%26x%3D1\n"},
		{name: "convert num to hex", src: ":put [:convert from=num to=hex (0xffff - (0xffff >> 8))]", want: "ff00\n"},
		{name: "convert byte-array", src: ":put [:convert to=byte-array \"AB\"]; :put [:convert from=byte-array to=raw {72;105}]", want: "65;66\nHi\n"},
		{name: "convert bad hex", src: ":put [:convert \"zz\" from=hex]", wantErr: "invalid value for argument from (line 1 column 7)"},
		// :serialize (the manual's examples)
		{name: "serialize list", src: ":put [:serialize value=a,b,c to=json]", want: "[\"a\",\"b\",\"c\"]\n"},
		{name: "serialize string conversion", src: ":global var ({ \"string\"=\"1234\"; \"number\"=1234 });:put [ :serialize to=json value=$var ]", want: "{\"number\":1234,\"string\":1234.000000}\n"},
		{name: "serialize no-string-conversion", src: ":global var ({ \"string\"=\"1234\"; \"number\"=1234 });:put [ :serialize to=json value=$var options=json.no-string-conversion ]", want: "{\"number\":1234,\"string\":\"1234\"}\n"},
		{name: "serialize dsv order", src: ":local test {a=(1,2,3);b=(4,5,6);c=(7,\"text\",9)}; :put [ :serialize to=dsv delimiter=\";\" value=$test order=(\"c\",\"a\",\"b\") ]", want: "c;a;b\n7;1;4\ntext;2;5\n9;3;6\n"},
		{name: "serialize dsv remap", src: ":local rows ({{\".id\"=*1;address=\"192.168.88.1/24\";interface=\"bridge\"};{\".id\"=*2;address=\"10.0.0.2/24\";comment=\"wan\";interface=\"ether1\"}})\n:put [:serialize to=dsv options=dsv.remap delimiter=\"#\" $rows]", want: ".id#address#comment#interface\n*1#192.168.88.1/24##bridge\n*2#10.0.0.2/24#wan#ether1\n"},
		{name: "serialize dsv mismatch", src: ":put [:serialize to=dsv value={a=(1,2);b=(3,4,5)}]", wantErr: "array size mismatch (line 1 column 7)"},
		{name: "serialize message payload", src: ":local msg {\"chat_id\"=\"-100200\";\"text\"=\"WAN \\\"down\\\"\";\"silent\"=true}\n:put [:serialize to=json value=$msg options=json.no-string-conversion]", want: "{\"chat_id\":\"-100200\",\"silent\":true,\"text\":\"WAN \\\"down\\\"\"}\n"},
		// :deserialize (the manual's examples, then a bot API reply)
		{name: "deserialize list", src: ":put [:deserialize from=json value=\"[\\\"a\\\",\\\"b\\\",\\\"c\\\"]\"]", want: "a;b;c\n"},
		{name: "deserialize dsv plain", src: ":put ([ :deserialize from=dsv delimiter=\";\" value=\"a;b;c\\n1;findme;3\" options=dsv.plain ]->1->1)\n:put ([ :deserialize from=dsv delimiter=\";\" value=\"a;b;c\\n1;findme;3\" options=dsv.plain ]->0->1)", want: "findme\nb\n"},
		{name: "deserialize dsv array", src: ":put ([:deserialize from=dsv \"a;b;c\\n1;2;3\\n4;5;6\" delimiter=\";\" options=dsv.array]->1->\"b\")\n:put ([:deserialize from=dsv \"a;b;c\\n1;2;3\\n4;5;6\" delimiter=\";\" options=dsv.array]->0->\"c\")", want: "5\n3\n"},
		{name: "deserialize string types", src: ":put [:typeof ([:deserialize \"{ \\\"str\\\": \\\"123\\\" }\" from=json options=json.no-string-conversion]->\"str\")]\n:put [:typeof ([:deserialize \"{ \\\"str\\\": \\\"123\\\" }\" from=json]->\"str\")]", want: "str\nnum\n"},
		{name: "deserialize nested reply", src: ":local data \"{\\\"ok\\\":true,\\\"result\\\":{\\\"message_id\\\":4711,\\\"chat\\\":{\\\"title\\\":\\\"noc\\\"}}}\"\n:local json [:deserialize from=json value=$data]\n:put ($json->\"result\"->\"message_id\"); :put [:typeof ($json->\"ok\")]; :put ($json->\"result\"->\"chat\"->\"title\")", want: "4711\nbool\nnoc\n"},
		{name: "deserialize bad json", src: ":local j [:deserialize from=json value=\"{\\\"a\\\":\"]", wantErr: "invalid json (line 1 column 11)"},
		{name: "serialize round trip", src: ":local c ({count=1}); :set c [:deserialize from=json [:serialize to=json $c]]; :put (($c->\"count\") + 1)", want: "2\n"},
		// ~ as bit inversion (the manual's bitwise operators; an ipcalc
		// script's broadcast ($Address | ~$Mask)).
		{name: "bit inversion", src: ":put (~0.0.0.0); :put (~::ffff); :local m 255.255.255.0; :put (192.168.88.77 | ~$m)", want: "255.255.255.255\nffff:ffff:ffff:ffff:ffff:ffff:ffff:0\n192.168.88.255\n"},
		// A function held in an array, called with arguments.
		{name: "call of an array element", src: ":local fns [:toarray \"\"]\n:set ($fns->\"send\") do={ :return (\"sent \" . $1 . \" \" . $2) }\n($fns->\"send\") \"telegram\" \"hello\"\n:put [($fns->\"send\") a b]", want: "sent a b\n"},
		{name: "parenthesized value stays a value", src: ":local a 1\n($a + 1)\n:put ($a)", want: "1\n"},
		// Comment lines inside an array written over several lines (a
		// global configuration's commented-out entries).
		{name: "comments in an array", src: ":global Lists {\n#  \"allow\"={ \"https://lists.example/allow\" };\n  \"block\"={\n#    { url=\"https://lists.example/old\" };\n    { url=\"https://lists.example/block\";\n#     # a note\n      timeout=1d };\n  };\n};\n:put [:len $Lists]; :put ($Lists->\"block\"->0->\"timeout\")", want: "1\n1d00:00:00\n"},
		// :grep
		{name: "grep", src: ":grep script=\":put ether1; :put wlan1; :put ether2; :put bridge\" pattern=\"^ether\"", want: "ether1\nether2\n"},
		{name: "grep context", src: ":grep script={ :put a; :put hit; :put b; :put c } pattern=hit before=1 after=1", want: "a\nhit\nb\n"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := runStrict(tt.src, nil, &resolverHost{}, nil)
			if tt.wantErr != "" {
				if err == nil || err.Error() != tt.wantErr {
					t.Fatalf("error = %v, want %q (output %q)", err, tt.wantErr, got)
				}
				return
			}
			if err != nil {
				t.Fatalf("unexpected error: %v", err)
			}
			if got != tt.want {
				t.Errorf("got %q want %q", got, tt.want)
			}
		})
	}
}

func TestRndstrAlphabet(t *testing.T) {
	got, err := runStrict(":put [:rndstr length=200 from=\"ab\"]\n:put [:rndstr length=500]", nil, &resolverHost{}, nil)
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSuffix(got, "\n"), "\n")
	if len(lines) != 2 || len(lines[0]) != 200 || strings.Trim(lines[0], "ab") != "" {
		t.Fatalf("from=ab gave %q", lines[0])
	}
	const alnum = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"
	if len(lines[1]) != 500 || strings.Trim(lines[1], alnum) != "" {
		t.Fatalf("default alphabet gave %q", lines[1])
	}
}

// TestSyntaxLeftovers checks the argument names public scripts write
// without "=": ":foreach i in [...]" and ":do {...} on-error {...}".
func TestSyntaxLeftovers(t *testing.T) {
	tests := []struct {
		name, src, want string
	}{
		{name: "foreach in without =", src: ":local hosts {\"cam1\";\"cam2\"}\n:foreach h in $hosts do={ :put \"host $h\" }", want: "host cam1\nhost cam2\n"},
		{name: "foreach k,v in without =", src: ":local cfg {wan=\"ether1\";lan=\"bridge\"}\n:foreach name,port in $cfg do={ :put \"$name=$port\" }", want: "lan=bridge\nwan=ether1\n"},
		{name: "foreach in command", src: ":foreach i in [:toarray \"x,y\"] do={ :put $i }", want: "x\ny\n"},
		{name: "on-error without =", src: ":do { :error \"exists\" } on-error { :put \"skipped\" }\n:do { :put \"added\" } on-error {}", want: "skipped\nadded\n"},
		{name: "in as an operator still", src: ":put (10.0.0.1 in 10.0.0.0/8)", want: "true\n"},
		{name: "if do else without =", src: ":local up false\n:if ($up) do { :put \"up\" } else { :put \"down\" }", want: "down\n"},
		{name: "for from to without =", src: ":for i from 1 to 3 do { :put \"try $i\" }", want: "try 1\ntry 2\ntry 3\n"},
		{name: "do while without =", src: ":local n 0\n:do { :set n ($n + 1) } while ($n < 3)\n:put $n", want: "3\n"},
		{name: "onerror in without =", src: ":onerror e in { :error \"x\" } do { :put \"caught $e\" }", want: "caught x\n"},
		{name: "retry command without =", src: ":retry command { :put \"once\" } delay 1 max 2", want: "once\n"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := runStrict(tt.src, nil, &resolverHost{}, nil)
			if err != nil {
				t.Fatalf("unexpected error: %v", err)
			}
			if got != tt.want {
				t.Errorf("got %q want %q", got, tt.want)
			}
		})
	}
}
