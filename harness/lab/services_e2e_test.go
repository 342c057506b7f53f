package lab_test

import (
	"context"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chrlab/chrlab/harness/images"
	"github.com/chrlab/chrlab/harness/lab"
	"github.com/chrlab/chrlab/harness/probe"
	"github.com/chrlab/chrlab/harness/ros"
)

// webpage is what labagent webpage prints.
type webpage struct {
	Result string `json:"result"`
	Status int    `json:"status"`
	Title  string `json:"title"`
	Router bool   `json:"router"`
	Error  string `json:"error"`
}

// upNamedLab brings up labs/<name>.yaml with rosemu and applies its base
// .rsc; the lab goes down and the context ends when the test does. It
// skips under -short or without a Docker engine.
func upNamedLab(t *testing.T, name string) (context.Context, *lab.Lab, *ros.Client) {
	t.Helper()
	if testing.Short() {
		t.Skip("brings up a lab in Docker; skipped with -short")
	}
	if err := exec.Command("docker", "info").Run(); err != nil {
		t.Skipf("no Docker engine answers (%v)", err)
	}
	root, err := images.FindRoot()
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Minute)
	t.Cleanup(cancel)
	imgs, err := images.Ensure(ctx, images.Options{Root: root, Progress: tlog{t}})
	if err != nil {
		t.Fatal(err)
	}
	spec, err := lab.Load(filepath.Join(root, "labs", name+".yaml"))
	if err != nil {
		t.Fatal(err)
	}
	l, err := lab.Up(ctx, spec, lab.Options{HostImage: imgs.Host, RouterImage: imgs.Rosemu, Progress: tlog{t}, Budget: 2 * time.Minute})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { l.Down(context.Background()) })
	rc, err := ros.Dial(ctx, ros.Endpoint{Host: l.RouterMgmt().String()}, 30*time.Second)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { rc.Close() })
	base, err := os.ReadFile(filepath.Join(root, "labs", name+".rsc"))
	if err != nil {
		t.Fatal(err)
	}
	if err := rc.Apply(ctx, "labs/"+name+".rsc", base); err != nil {
		t.Fatal(err)
	}
	return ctx, l, rc
}

// TestRouterWebPage brings up the hairpin lab with rosemu and fetches the
// router's own web page (/ip service www) from a LAN client: it answers on
// the router's LAN address with RouterOS's title and is told apart from
// the lab server, which runs no web server. Controls: www disabled, the
// connection is refused; www restricted by address= to another network,
// it is reset; an input-chain drop from the LAN, it times out. The FTP
// banner is checked over the same path.
func TestRouterWebPage(t *testing.T) {
	t.Parallel() // beside the other lab tests: see TestMain
	ctx, l, rc := upNamedLab(t, "hairpin")
	configure := func(rsc string) {
		t.Helper()
		if err := rc.Apply(ctx, "test.rsc", []byte(rsc)); err != nil {
			t.Fatal(err)
		}
		time.Sleep(200 * time.Millisecond) // the listeners follow the change
	}
	fetch := func(from, url string) webpage {
		t.Helper()
		out, code, err := l.Exec(ctx, from, []string{probe.Agent, "webpage", "--url", url, "--timeout", "2s"})
		if err != nil || code != 0 {
			t.Fatalf("labagent webpage on %s: exit %d: %v: %s", from, code, err, out)
		}
		var w webpage
		if err := json.Unmarshal(out, &w); err != nil {
			t.Fatalf("parse %q: %v", out, err)
		}
		return w
	}

	w := fetch("client1", "http://192.168.88.1/")
	if w.Result != "ok" || w.Status != 200 || !w.Router || w.Title != "RouterOS router configuration page" {
		t.Errorf("router page from the LAN: %+v", w)
	}
	// The lab server answers HTTP with its whoami line: a page, but not
	// the router's.
	if w := fetch("client1", "http://192.168.88.10/"); w.Result != "ok" || w.Router {
		t.Errorf("server's port 80: %+v", w)
	}
	// The WAN side is dropped by the defconf input chain.
	if w := fetch("peer", "http://203.0.113.2/"); w.Result != "timeout" {
		t.Errorf("router page from the internet: %+v, want timeout (defconf drops input from WAN)", w)
	}
	r, err := probe.TCP(ctx, l, "client1", "192.168.88.1:21", probe.ConnectOptions{Timeout: 2 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	if r.Result != probe.WrongAnswer || !strings.Contains(r.Error, "FTP server (MikroTik") {
		t.Errorf("ftp banner: %s (%s)", r, r.Error)
	}

	configure("/ip service set www disabled=yes\n")
	if w := fetch("client1", "http://192.168.88.1/"); w.Result != "refused" {
		t.Errorf("disabled www: %+v, want refused", w)
	}
	configure("/ip service set www disabled=no address=10.0.0.0/8\n")
	if w := fetch("client1", "http://192.168.88.1/"); w.Result != "reset" {
		t.Errorf("www with address=10.0.0.0/8: %+v, want reset", w)
	}
	configure("/ip service set www address=192.168.88.0/24\n")
	if w := fetch("client1", "http://192.168.88.1/"); w.Result != "ok" || !w.Router {
		t.Errorf("www with address=192.168.88.0/24: %+v", w)
	}
	configure("/ip firewall filter add chain=input action=drop protocol=tcp dst-port=80 in-interface=ether2 place-before=0\n")
	if w := fetch("client1", "http://192.168.88.1/"); w.Result != "timeout" {
		t.Errorf("www behind an input drop: %+v, want timeout", w)
	}
}
