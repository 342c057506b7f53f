package ros_test

import (
	"context"
	"errors"
	"net"
	"os"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chrlab/chrlab/harness/ros"
	"github.com/chrlab/chrlab/rosemu/api"
	"github.com/chrlab/chrlab/rosemu/config"
	"github.com/chrlab/chrlab/rosemu/sshd"
)

// serve starts rosemu's API and SSH servers for one engine on loopback and
// returns an endpoint for them.
func serve(t *testing.T, r *config.Router) ros.Endpoint {
	t.Helper()
	al, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	sl, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	go (&api.Server{Device: r}).Serve(t.Context(), al)
	go (&sshd.Server{Console: r, Files: routerFiles[r]}).Serve(t.Context(), sl)
	port := func(l net.Listener) int {
		_, p, _ := net.SplitHostPort(l.Addr().String())
		n, _ := strconv.Atoi(p)
		return n
	}
	return ros.Endpoint{Host: "127.0.0.1", APIPort: port(al), SSHPort: port(sl)}
}

// TestApply applies the lab's base configuration and then a broken one
// through the client, as the runner does, many times over one connection:
// every error must carry the router's message and the file's line and
// column. (Output was once lost now and then when stdout and stderr shared
// one buffer.)
func TestApply(t *testing.T) {
	r := config.New(config.Options{Ports: []string{"ether1", "ether2"}})
	c, err := ros.Dial(t.Context(), serve(t, r), 5*time.Second)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	base, err := os.ReadFile("../../labs/hairpin.rsc")
	if err != nil {
		t.Fatal(err)
	}
	if err := c.Apply(t.Context(), "labs/hairpin.rsc", base); err != nil {
		t.Fatal(err)
	}
	rows, err := c.Print(t.Context(), "/ip/address", "?interface=ether2")
	if err != nil || len(rows) != 1 || rows[0]["address"] != "192.168.88.1/24" {
		t.Fatalf("LAN address after apply = %v, %v", rows, err)
	}
	bad := []byte("/ip firewall nat\nadd chain=dstnat action=dst-nat to-addresses=192.168.88.10\nadd chain=srcnat action=masquerade out-interfaze=ether2\n")
	for i := 0; i < 100; i++ {
		err := c.Apply(t.Context(), "router.rsc", bad)
		var ae *ros.ApplyError
		if !errors.As(err, &ae) {
			t.Fatalf("try %d: err = %v, want an ApplyError", i, err)
		}
		if ae.Line != 3 || ae.Col != 36 || ae.Msg != "expected end of command" {
			t.Fatalf("try %d: %+v, want line 3 column 36 and the router's message", i, *ae)
		}
	}
	// A failure inside a script the text runs: RouterOS names the place
	// in the script, which is no place of the one-line text.
	run := []byte("/system script add name=cm source=\":local a 1\\r\\n:local b 2\\r\\n/ip firewall nat set *99 comment=x\"\n")
	if err := c.Apply(t.Context(), "script.rsc", run); err != nil {
		t.Fatal(err)
	}
	err = c.Apply(t.Context(), "step.rsc", []byte("/system script run cm"))
	var ae *ros.ApplyError
	if !errors.As(err, &ae) || ae.Line != 0 || !strings.Contains(ae.Msg, "(line 3 column 1 of a script or file it ran, not of this text)") {
		t.Errorf("a script's failure: %v, want no position in the text and the script's in the message", err)
	}
	// Nothing of the rejected file was applied: still only the defconf
	// masquerade.
	rows, err = c.Print(context.Background(), "/ip/firewall/nat")
	if err != nil || len(rows) != 1 {
		t.Fatalf("nat rules after the rejected file = %d, %v", len(rows), err)
	}
	exp, err := c.Export(t.Context())
	if err != nil || len(exp) < 100 {
		t.Fatalf("export = %q, %v", exp, err)
	}
}

// TestRunTimeFailure (forum46 N4): RouterOS's words for a fetch or a name
// lookup that got no answer are a run-time failure of the configuration;
// a refusal of the text (a missing value, a duplicate, a misspelt
// command), "failure:" or not, is not.
func TestRunTimeFailure(t *testing.T) {
	for msg, want := range map[string]bool{
		"failure: connection timeout (line 3 column 25 of a script or file it ran, not of this text)": true,
		"failure: connection refused":         true,
		"failure: closing connection":         true,
		"failure: could not resolve dns name": true,
		"failure: dns name does not exist":    true,
		"Fetch failed with status 404":        true,
		"failure: address not specified":      false,
		"failure: already have such entry":    false,
		"bad command name rum":                false,
		"failure: connection timeouts":        false,
	} {
		if _, got := (&ros.ApplyError{Msg: msg}).RunTimeFailure(); got != want {
			t.Errorf("%q: run-time failure %v, want %v", msg, got, want)
		}
	}
}

// TestApplyPrintedThenFailed (sm58): a text that prints lines (:put) and
// then fails is the router's error, and the printed lines are its output:
// the whole console text was taken as the error, so a report showed the
// printed lines as the router's words, and a fetch that timed out after a
// :put was not seen as the network's failure (its words no longer
// started the message). Control: a failure with nothing printed before
// it has no output.
func TestApplyPrintedThenFailed(t *testing.T) {
	r := config.New(config.Options{Ports: []string{"ether1", "ether2"}})
	c, err := ros.Dial(t.Context(), serve(t, r), 5*time.Second)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	err = c.Apply(t.Context(), "step.rsc", []byte(`{:put "first printed line"; :put "second printed line"; :error "failure: connection timeout"}`))
	var ae *ros.ApplyError
	if !errors.As(err, &ae) {
		t.Fatalf("err = %v, want an ApplyError", err)
	}
	if ae.Msg != "failure: connection timeout" || ae.Output != "first printed line\nsecond printed line" || ae.Line != 1 {
		t.Errorf("got %+v, want the error alone as the message and the printed lines as output", *ae)
	}
	if _, ok := ae.RunTimeFailure(); !ok {
		t.Errorf("%q is not taken as a fetch that timed out", ae.Msg)
	}
	if want := `step.rsc:1:57: router rejected the configuration: failure: connection timeout (it printed before: "first printed line", "second printed line")`; ae.Error() != want {
		t.Errorf("error\n%s\nwant\n%s", ae.Error(), want)
	}
	err = c.Apply(t.Context(), "step.rsc", []byte(`:error "stopped"`))
	if !errors.As(err, &ae) || ae.Msg != "stopped" || ae.Output != "" {
		t.Errorf("nothing printed: %v, want the error alone and no output", err)
	}
}
