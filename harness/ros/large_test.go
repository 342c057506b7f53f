package ros_test

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"errors"

	"github.com/chrlab/chrlab/harness/ros"
	"github.com/chrlab/chrlab/rosemu/config"
	"github.com/chrlab/chrlab/rosemu/files"
)

// routerFiles gives serve the file store of a router made by newRouter.
var routerFiles = map[*config.Router]*files.Store{}

func newRouter() *config.Router {
	store := &files.Store{}
	r := config.New(config.Options{Ports: []string{"ether1", "ether2"}, Files: store})
	routerFiles[r] = store
	return r
}

func natRules(n int, bad int) []byte {
	var b strings.Builder
	b.WriteString("/ip firewall nat\n")
	for i := 0; i < n; i++ {
		opt := ""
		if i == bad {
			opt = " out-interfaze=ether2"
		}
		fmt.Fprintf(&b, "add action=dst-nat chain=dstnat comment=\"port forward number %d to the lab server\" dst-address=203.0.113.2 dst-port=%d protocol=tcp to-addresses=192.168.88.10 to-ports=%d%s\n", i, 10000+i, 20000+i, opt)
	}
	return []byte(b.String())
}

// TestApplyLarge: a valid configuration of 3,000 NAT rules (over 256 KiB)
// applies through SFTP and /import (issue 13: as one SSH command it was
// refused), a refused one names the line and column in the file and
// changes nothing, and the uploaded file is removed again.
func TestApplyLarge(t *testing.T) {
	r := newRouter()
	c, err := ros.Dial(t.Context(), serve(t, r), 5*time.Second)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	good := natRules(3000, -1)
	if len(good) <= 256<<10 {
		t.Fatalf("the file is %d bytes, want over 256 KiB", len(good))
	}
	start := time.Now()
	if err := c.Apply(t.Context(), "big.rsc", good); err != nil {
		t.Fatal(err)
	}
	t.Logf("applied %d bytes in %v", len(good), time.Since(start))
	rows, err := c.Print(t.Context(), "/ip/firewall/nat")
	if err != nil || len(rows) != 3000 {
		t.Fatalf("nat rules = %d, %v", len(rows), err)
	}
	if names := routerFiles[r].Names(); len(names) != 0 {
		t.Errorf("files left on the router: %v", names)
	}
	err = c.Apply(t.Context(), "bad.rsc", natRules(3000, 2500))
	var ae *ros.ApplyError
	if !errors.As(err, &ae) || ae.File != "bad.rsc" || ae.Line != 2502 || ae.Col != 180 || ae.Msg != "expected end of command" {
		t.Fatalf("err = %v", err)
	}
	if rows, err := c.Print(t.Context(), "/ip/firewall/nat"); err != nil || len(rows) != 3000 {
		t.Fatalf("nat rules after the refused file = %d, %v", len(rows), err)
	}
	// Negative control: the whole file as one SSH command fails (and
	// takes the SSH connection with it).
	if _, err := c.Console(t.Context(), string(good)); err == nil {
		t.Fatal("a 256 KiB command went through; the test no longer shows the limit")
	}
}
