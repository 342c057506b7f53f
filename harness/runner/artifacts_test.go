package runner

import (
	"context"
	"net"
	"os"
	"path/filepath"
	"slices"
	"testing"
	"time"

	"github.com/chrlab/chrlab/harness/lab"
	"github.com/chrlab/chrlab/harness/report"
	"github.com/chrlab/chrlab/harness/ros"
	"github.com/chrlab/chrlab/rosemu/api"
	"github.com/chrlab/chrlab/rosemu/config"
	"github.com/chrlab/chrlab/rosemu/sshd"
)

// TestRouterArtifactNames: the lab's router keeps the files it kept
// before a lab could have more routers (no router-conntrack.txt: a cps
// run's table is megabytes read in the teardown's budget), and a more
// router gets its connection table beside its export, under its name.
func TestRouterArtifactNames(t *testing.T) {
	rc := serveRouter(t)
	l := &lab.Lab{Spec: &lab.Spec{Router: lab.Router{Name: "router"}, Routers: []lab.Router{{Name: "site-b"}}}}
	for _, tt := range []struct {
		name, prefix string
		want         []string
	}{
		{"router", "router", []string{"router-export.rsc"}},
		{"site-b", "site-b", []string{"site-b-conntrack.txt", "site-b-export.rsc"}},
	} {
		rep := &report.Report{Dir: t.TempDir()}
		saveRouterArtifacts(t.Context(), rep, l, rc, tt.name, tt.prefix)
		ents, err := os.ReadDir(rep.Dir)
		if err != nil {
			t.Fatal(err)
		}
		var got []string
		for _, e := range ents {
			got = append(got, e.Name())
		}
		if !slices.Equal(got, tt.want) {
			t.Errorf("%s: saved %v, want %v", tt.name, got, tt.want)
		}
	}
}

// serveRouter serves a rosemu model's API and SSH on loopback and returns
// the client a run would hold of it.
func serveRouter(t *testing.T) *ros.Client {
	t.Helper()
	r := config.New(config.Options{Ports: []string{"ether1", "ether2"}})
	// rosemu's API and SSH on loopback, the client the run would hold.
	var ports [2]int
	for i, serve := range []func(net.Listener){
		func(l net.Listener) { _ = (&api.Server{Device: r}).Serve(t.Context(), l) },
		func(l net.Listener) { _ = (&sshd.Server{Console: r}).Serve(t.Context(), l) },
	} {
		ln, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			t.Fatal(err)
		}
		ports[i] = ln.Addr().(*net.TCPAddr).Port
		go serve(ln)
	}
	rc, err := ros.Dial(t.Context(), ros.Endpoint{Host: "127.0.0.1", APIPort: ports[0], SSHPort: ports[1]}, 5*time.Second)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = rc.Close() })
	return rc
}

// TestMoreRoutersArtifactsInterrupted: a run ended by Ctrl-C (its context
// cancelled) still keeps its more routers' files, as saveArtifacts keeps
// the lab's router's.
func TestMoreRoutersArtifactsInterrupted(t *testing.T) {
	rc := serveRouter(t)
	l := &lab.Lab{Spec: &lab.Spec{Router: lab.Router{Name: "router"}, Routers: []lab.Router{{Name: "site-b"}}}}
	rep := &report.Report{Dir: t.TempDir()}
	ctx, cancel := context.WithCancel(t.Context())
	cancel()
	saveRoutersArtifacts(ctx, rep, l, moreRouters{"site-b": rc})
	if _, err := os.Stat(filepath.Join(rep.Dir, "site-b-export.rsc")); err != nil {
		t.Errorf("after an interrupt: %v", err)
	}
}
