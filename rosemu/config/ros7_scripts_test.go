package config

import (
	"context"
	"strings"
	"testing"
)

// A DDNS updater in the shape of public RouterOS 7 ones: the credentials
// go out as a basic-auth header (:convert to=base64), the update as a JSON
// body (:serialize), and the request is tried three times (:retry inside
// :onerror) before the failure is logged. rosemu's /tool fetch reaches no
// server, so every try fails and the handler runs; the script goes on
// after it. Each of :convert, :serialize and :retry was "bad command
// name" before, which refused the whole script.
func TestRealScriptDDNSRetry(t *testing.T) {
	r := New(Options{Ports: ports})
	run(t, r, "/ip address add address=198.51.100.23/24 interface=ether1")
	src := `:local ddnsUser "office-gw"
:local ddnsPass "n0t-a-secret"
:local ddnsHost "office.dyn.example"
:local wanIP [/ip address get [find interface=ether1] address]
:set wanIP [:pick $wanIP 0 [:find $wanIP "/"]]
:local auth ("Authorization: Basic " . [:convert to=base64 ($ddnsUser . ":" . $ddnsPass)])
:local body [:serialize to=json value={"hostname"=$ddnsHost;"myip"=$wanIP} options=json.no-string-conversion]
:local tries 0
:onerror err {
  :retry command={
    :set tries ($tries + 1)
    /tool fetch url="https://dyn.example/nic/update" http-method=post http-header-field=$auth http-data=$body output=none
  } delay=1ms max=3
} do={
  :log warning ("ddns: " . $ddnsHost . " not updated after " . $tries . " tries")
}
:log info ("ddns: " . $auth . " " . $body)
`
	if err := r.RunScript(context.Background(), "ddns", src, nil); err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, e := range r.Log() {
		got = append(got, e.Topics+" "+e.Msg)
	}
	want := []string{
		"script,warning ddns: office.dyn.example not updated after 3 tries",
		`script,info ddns: Authorization: Basic b2ZmaWNlLWd3Om4wdC1hLXNlY3JldA== {"hostname":"office.dyn.example","myip":"198.51.100.23"}`,
	}
	if len(got) < 2 || strings.Join(got[len(got)-2:], "\n") != strings.Join(want, "\n") {
		t.Errorf("log:\n%s\nwant the last two:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}

// A hotspot housekeeping script in Mikhmon's shape: ":foreach i in [...]"
// with "in" written without "=" walks the users, and a generated import
// line ":do { add ... } on-error {}" skips an address that is already
// listed. Both were refused before ("missing value for argument in", and
// the on-error block read as a value).
func TestRealScriptInAndOnErrorWithoutEquals(t *testing.T) {
	r := New(Options{Ports: ports})
	src := `/ip firewall address-list
:do {add list=blocked comment=AS64500 address=203.0.113.0/24} on-error {}
:do {add list=blocked comment=AS64500 address=203.0.113.0/24} on-error {}
:do {add list=blocked comment=AS64500 address=192.0.2.0/24} on-error {}
:local n 0
:foreach i in [/ip firewall address-list find list=blocked] do={ :set n ($n + 1) }
:log info ("blocked entries: " . $n)
`
	if err := r.RunScript(context.Background(), "asn-import", src, nil); err != nil {
		t.Fatal(err)
	}
	logs := r.Log()
	if len(logs) == 0 || logs[len(logs)-1].Msg != "blocked entries: 2" {
		t.Errorf("log %+v, want the last entry \"blocked entries: 2\"", logs)
	}
}

// /tool fetch takes its url as the unnamed value too, as eworm's
// notification modules write it ("/tool/fetch ... (\"https://...\" .
// $Token . \"/sendMessage\") http-data=... as-value"); it was "expected
// end of command", which refused the whole module.
func TestFetchUnnamedURL(t *testing.T) {
	r := New(Options{Ports: ports})
	src := `:local token "123:abc"
:onerror err {
  :local data ([/tool/fetch check-certificate=yes-without-crl output=user http-method=post \
    ("https://api.telegram.example/bot" . $token . "/sendMessage") http-data="chat_id=1&text=x" as-value]->"data")
} do={ :log warning ("send failed: " . $err) }
`
	if err := r.RunScript(context.Background(), "notify", src, nil); err != nil {
		t.Fatal(err)
	}
	logs := r.Log()
	if len(logs) == 0 || !strings.Contains(logs[len(logs)-1].Msg, "rosemu does not fetch https://api.telegram.example/bot123:abc/sendMessage") {
		t.Errorf("log %+v", logs)
	}
}

// A where clause compares with a lone "-" (eworm's dhcp-to-dns looks for
// its NXDOMAIN placeholder "name=-"); it was a syntax error at the "-".
func TestWhereLoneDash(t *testing.T) {
	r := New(Options{Ports: ports})
	run(t, r, "/ip dns static add name=printer.lan address=192.168.88.5 comment=dhcp-to-dns")
	got := run(t, r, `:local c "dhcp-to-dns"; :put [:len [/ip dns static find where (name=$c or (comment=$c and name=-))]]; :put [:len [/ip dns static find where (comment=$c and name!=-)]]`)
	if got != "0\n1\n" {
		t.Errorf("got %q, want 0 and 1", got)
	}
}

// :onerror gives its variable a menu command's failure as RouterOS prints
// a run time failure, without a position (forum50 D4): it held "failure:
// already have such entry (line 2 column 70)", so a script comparing the
// text never matched, while ":error" text came without one. A second,
// new entry still runs the do={} not at all.
func TestOnErrorMenuFailureText(t *testing.T) {
	r := New(Options{Ports: ports})
	src := `/ip firewall address-list add list=x address=10.1.1.1
:onerror e in={ /ip firewall address-list add list=x address=10.1.1.1 } do={ :log info "dup: $e" }
:onerror e in={ :error "own text" } do={ :log info "own: $e" }
:onerror e in={ /ip firewall address-list add list=x address=10.1.1.2 } do={ :log info "new: $e" }
`
	if err := r.RunScript(context.Background(), "dup", src, nil); err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, l := range r.Log() {
		got = append(got, l.Msg)
	}
	if len(got) != 2 || got[0] != "dup: failure: already have such entry" || got[1] != "own: own text" {
		t.Errorf("log %q", got)
	}
}
