package script

import (
	"context"
	"errors"
	"fmt"
	"net/netip"
	"strings"
	"testing"
)

// ":set $name value" assigns the declared variable as ":set name value"
// does (public DNS failover and DDNS scripts: ":set $DNSAtual [/ip dns get
// servers]", ":set $dns1 [:resolve ...]"). Was a run-time "syntax error"
// at the :set. An undeclared $name is still refused where it is written.
func TestSetDollarName(t *testing.T) {
	got, err := runStrict(`:local a 1
:global g
:set $a 5
:set $g "x"
:put $a
:put $g`, nil, &resolverHost{}, nil)
	if err != nil {
		t.Fatal(err)
	}
	if got != "5\nx\n" {
		t.Errorf("got %q", got)
	}
	if _, err := runStrict(`:set $nope 1`, nil, &resolverHost{}, nil); err == nil || err.Error() != "syntax error (line 1 column 7)" {
		t.Errorf("undeclared: err = %v", err)
	}
}

// ":set name" with no value empties the variable and leaves it declared,
// so a loop that clears its state each pass runs every pass (a PPP on-up
// address-list script: ":set IPv4;" at the top of its :foreach body). Was
// "no such variable IPv4" on the second pass: the :set removed it.
func TestSetWithoutValueKeepsVariable(t *testing.T) {
	got, err := runStrict(`:local v "a"
:global g 3
:foreach r in={1;2} do={
  :set v
  :set g
  :put ([:len $v] . [:typeof $v] . [:typeof $g])
  :set v "b"
}`, nil, &resolverHost{}, nil)
	if err != nil {
		t.Fatal(err)
	}
	if got != "0nothingnothing\n0nothingnothing\n" {
		t.Errorf("got %q", got)
	}
}

// A body may stand apart from its "=": ":if (...) do= {" and "} else=
// {" (a public scripting library, a DHCP-client address watcher, a USB
// power-reset one-liner). Was a syntax error: do= took an empty value and
// the { } was left over. Any other value after "name= " is not taken.
func TestBodyApartFromEquals(t *testing.T) {
	got, err := runStrict(`:local a 1
:if ($a = 1) do= { :put "one" } else= { :put "other" }
:if ($a = 2) do=  {
  :put "two"
} else=	{ :put "not two" }
:do { :error "x" } on-error= { :put "caught" }
:foreach i in={1} do= { :put $i }`, nil, &resolverHost{}, nil)
	if err != nil {
		t.Fatal(err)
	}
	if got != "one\nnot two\ncaught\n1\n" {
		t.Errorf("got %q", got)
	}
}

// serverHost resolves router.lan through the router's resolver and asks
// 192.0.2.53 alone for server=: that server knows only lab.example.
type serverHost struct {
	resolverHost
	asked []string
}

func (h *serverHost) ResolveAt(_ context.Context, name string, server netip.Addr, port int) (netip.Addr, error) {
	h.asked = append(h.asked, fmt.Sprintf("%s@%s:%d", name, server, port))
	if server != netip.MustParseAddr("192.0.2.53") {
		return netip.Addr{}, errors.New("no answer")
	}
	if name == "lab.example" {
		return netip.MustParseAddr("192.0.2.80"), nil
	}
	return netip.Addr{}, ErrNoSuchName
}

// ":resolve name server=address" asks that server, not the router's
// resolver, so a DNS health check fails when the server it checks does not
// answer (a DNS failover scheduler: ":put [resolve google.com
// server=$DNSLocal]" in :do on-error). Was: server= was ignored and the
// router's own resolver answered.
func TestResolveServerAsksThatServer(t *testing.T) {
	h := &serverHost{}
	got, err := runStrict(`:put [:resolve lab.example server=192.0.2.53]
:put [:resolve domain-name=lab.example server=192.0.2.53 port=5353]
:do { :put [:resolve router.lan server=198.51.100.53] } on-error={ :put "down" }
:do { :put [:resolve router.lan server=192.0.2.53] } on-error={ :put "no name" }`, nil, h, nil)
	if err != nil {
		t.Fatal(err)
	}
	if got != "192.0.2.80\n192.0.2.80\ndown\nno name\n" {
		t.Errorf("got %q", got)
	}
	want := "lab.example@192.0.2.53:0 lab.example@192.0.2.53:5353 router.lan@198.51.100.53:0 router.lan@192.0.2.53:0"
	if s := strings.Join(h.asked, " "); s != want {
		t.Errorf("asked %s", s)
	}
	_, err = runStrict(`:put [:resolve router.lan server=198.51.100.53]`, nil, h, nil)
	if err == nil || err.Error() != "failure: dns server failure (line 1 column 7)" {
		t.Errorf("unanswered server: err = %v", err)
	}
	_, err = runStrict(`:put [:resolve router.lan server=router.lan]`, nil, h, nil)
	if err == nil || err.Error() != "invalid value for argument server (line 1 column 7)" {
		t.Errorf("server name: err = %v", err)
	}
}

// v6Host answers AAAA for router.lan beside serverHost's IPv4 answers.
type v6Host struct{ serverHost }

func (h *v6Host) Resolve6(_ context.Context, name string) (netip.Addr, error) {
	if name == "router.lan" {
		return netip.MustParseAddr("3fff:88::1"), nil
	}
	return netip.Addr{}, ErrNoSuchName
}

// DDNS scripts for IPv6 write ":resolve domain-name=$name type=ipv6" and
// the current manual names the port server-port= (the older port= stays):
// both are taken, type=ipv6 asks for an IPv6 address, any and ipv4 for an
// IPv4 one. When the unknown named parameters of the global commands
// became refused, type= and server-port= were missing from :resolve's,
// which refused such scripts at compile time.
func TestResolveTypeAndServerPort(t *testing.T) {
	h := &v6Host{}
	got, err := runStrict(`:put [:resolve domain-name=router.lan type=ipv6]
:put [:resolve router.lan type=ipv4]
:put [:resolve router.lan type=any]
:put [:resolve domain-name=lab.example server=192.0.2.53 server-port=53]
:do { :put [:resolve nope.lan type=ipv6] } on-error={ :put "no v6 name" }
:do { :put [:resolve lab.example server=192.0.2.53 type=ipv6] } on-error={ :put "no v6 from server" }`, nil, h, nil)
	if err != nil {
		t.Fatal(err)
	}
	if got != "3fff:88::1\n"+"192.168.88.1\n"+"192.168.88.1\n"+"192.0.2.80\nno v6 name\nno v6 from server\n" {
		t.Errorf("got %q", got)
	}
	if !strings.Contains(strings.Join(h.asked, " "), "lab.example@192.0.2.53:53") {
		t.Errorf("server-port not used: asked %v", h.asked)
	}
	if _, err := runStrict(`:put [:resolve router.lan type=ipv5]`, nil, h, nil); err == nil || !strings.Contains(err.Error(), "invalid value for argument type") {
		t.Errorf("type=ipv5: err = %v", err)
	}
}
