package runner

import (
	"context"
	"errors"
	"fmt"
	"net/netip"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/chrlab/chrlab/harness/lab"
	"github.com/chrlab/chrlab/harness/report"
	"github.com/chrlab/chrlab/harness/ros"
	"github.com/chrlab/chrlab/harness/scenario"
	"github.com/chrlab/chrlab/rosemu/config"
	"github.com/chrlab/chrlab/rosemu/kernel"
	rosversion "github.com/chrlab/chrlab/rosemu/version"
)

// configureRouter applies one router's configuration, the same way for
// the router under test and for every more router of the lab (routers:):
// the names the lab gives its ports, the lab's base, the case's text,
// then its start-time=startup scheduler entries once, as at boot. spec is
// the lab as that router sees it (Spec.ForRouter); basePath is empty for
// no base, source names the case's text in messages. A refused line
// stops it with the text's file, line and column; for text inline in the
// case, at says where it starts there, and the refused line is named in
// the case file, where the load check names it (the zero inlineAt for a
// file of its own).
func configureRouter(ctx context.Context, root string, spec *lab.Spec, rc *ros.Client, basePath string, base []byte, source string, rsc []byte, at inlineAt) error {
	if pre := spec.PortPrelude(); pre != "" {
		// The lab's names of its ports (sfp-sfpplus1) before any line
		// of the configuration names them.
		if err := rc.Apply(ctx, relPath(root, spec.File)+" (the names of its router ports)", []byte(pre)); err != nil {
			return err
		}
	}
	if len(base) > 0 {
		if err := rc.Apply(ctx, relPath(root, basePath), spec.PortDefaults(base)); err != nil {
			return err
		}
	}
	if len(rsc) > 0 {
		if err := rc.Apply(ctx, relPath(root, source), spec.PortDefaults(rsc)); err != nil {
			return at.place(root, err)
		}
	}
	// The configuration applied is the one the router boots with: its
	// startup scheduler entries run now, once (startup.go).
	return runStartup(ctx, rc, relPath(root, source), base, rsc)
}

// inlineAt is where a text inline in a case starts: the case file, and
// the line and column of the text's first character; Line 0 for a text
// of its own file.
type inlineAt struct {
	File      string
	Line, Col int
}

// place moves a refusal's position from the inline text to the case file
// (ros.ApplyError.Within); other errors, and any error of a text in a file
// of its own, are returned as they are. A refusal was named
// "case.yaml:6 (router):3:13", a line and column of the text after the
// line it starts on (f69).
func (at inlineAt) place(root string, err error) error {
	var ae *ros.ApplyError
	if at.Line == 0 || !errors.As(err, &ae) {
		return err
	}
	return ae.Within(relPath(root, at.File), at.Line, at.Col)
}

// routerAt is where the case's configuration of the lab's router starts
// in the case file (router: |); the zero inlineAt for a .rsc of its own.
func routerAt(s *scenario.Scenario) inlineAt {
	if !s.RouterInline {
		return inlineAt{}
	}
	return inlineAt{s.File, s.RSCLine, s.RSCCol}
}

// moreRouters holds the API clients of the lab's more routers, by name.
type moreRouters map[string]*ros.Client

func (m moreRouters) close() {
	for _, rc := range m {
		_ = rc.Close()
	}
}

// dialRouters dials the API of each of the lab's more routers on its
// management address; the clients it made are in the map also on error.
func dialRouters(ctx context.Context, l *lab.Lab) (moreRouters, error) {
	m := moreRouters{}
	for _, r := range l.Spec.Routers {
		mgmt, _ := l.RouterMgmtOf(r.Name)
		rc, err := ros.Dial(ctx, ros.Endpoint{Host: mgmt.String()}, 20*time.Second)
		if err != nil {
			return m, fmt.Errorf("router %s: %w", r.Name, err)
		}
		m[r.Name] = rc
	}
	return m, nil
}

// configureRouters configures each of the lab's more routers in the
// lab's order, with its base and the case's configuration of it, and
// says what each got, for the run's progress.
func configureRouters(ctx context.Context, root string, spec *lab.Spec, s *scenario.Scenario, rcs moreRouters) ([]string, error) {
	var done []string
	for _, r := range spec.Routers {
		var base []byte
		bp := spec.RouterBasePath(r)
		if bp != "" {
			var err error
			if base, err = os.ReadFile(bp); err != nil {
				return nil, fmt.Errorf("read the base configuration of router %s: %w", r.Name, err)
			}
		}
		c, _ := s.RouterConfigOf(r.Name)
		source := bp
		var at inlineAt
		if c.Name != "" {
			source = c.Source(s)
			if c.Inline {
				at = inlineAt{s.File, c.Line, c.Col}
			}
		}
		if err := configureRouter(ctx, root, spec.ForRouter(r), rcs[r.Name], bp, base, source, c.RSC, at); err != nil {
			return nil, err
		}
		what := filepath.Base(source)
		switch {
		case source == "":
			what = "nothing: the lab gives it no base and the case no configuration"
		case bp != "" && source != bp:
			what = filepath.Base(bp) + " and " + what
		}
		done = append(done, fmt.Sprintf("configured %s with %s", r.Name, what))
	}
	return done, nil
}

// ConfigureRouter applies a configure step's text to one of the lab's
// more routers (router: on the step), as Configure does to the router
// under test.
func (e *labEnv) ConfigureRouter(ctx context.Context, router, file string, line int, rsc string) error {
	rc, ok := e.routers[router]
	if !ok {
		return fmt.Errorf("%s:%d: configure: lab %s has no router %s", file, line, e.spec.Name, router)
	}
	if err := rc.Apply(ctx, fmt.Sprintf("%s (rsc of the step at line %d, router %s)", file, line, router), []byte(rsc)); err != nil {
		return err
	}
	if err := forgetNeighbours(ctx, e.ex, nodeNames(e.spec)); err != nil && e.progress != nil {
		fmt.Fprintf(e.progress, "configure: %v; the next probe may meet an entry left from before the step\n", err)
	}
	return nil
}

// OnRouter is the prober that reads the lab's more router name (a step's
// router:): its connection table, rule counters and log.
func (p prober) OnRouter(name string) (scenario.Prober, error) {
	rc, ok := p.routers[name]
	if !ok {
		return nil, fmt.Errorf("the lab has no router %s", name)
	}
	p.rc = rc
	return p, nil
}

// routersNotEnforced is what the configuration of each of the lab's more
// routers (its base, the case's text and the configure steps on it, those
// a flow runs during it too) rosemu stores without enforcing, each item
// named by its router: a report must not pass over a setting the far end
// only stored. It is the load check's reading of that router's model
// (scenario.CheckedAs, as version; "" is the emulator's default), after
// the last of its texts: the texts were applied a second time here, to
// models of the runner's own, and the steps during a flow were missed.
func routersNotEnforced(ctx context.Context, spec *lab.Spec, version string, s *scenario.Scenario) []string {
	if version == "" {
		version = rosversion.Default
	}
	checked, err := s.CheckedAs(ctx, version)
	if err != nil {
		return []string{"the lab's more routers: what their configurations store without enforcing could not be read: " + err.Error()}
	}
	last := map[string][]config.NotEnforcedItem{}
	for _, c := range checked {
		if c.Router != "" {
			last[c.Router] = c.NotEnforced
		}
	}
	var out []string
	for _, r := range spec.Routers {
		for _, n := range last[r.Name] {
			out = append(out, "router "+r.Name+": "+n.String())
		}
	}
	return out
}

// routersKernelLacks is why the run cannot go on when a more router's
// configuration needs a kernel feature this machine's kernel lacks (a
// VLAN interface, a bridge with vlan-filtering=yes), "" when none does.
// The lab's more routers run rosemu on this machine's kernel under every
// backend, so no other backend helps: the run is skipped before any
// container starts, with the router and what it needs. It ended as an
// ERROR after the lab came up, naming the kernel only (lab70 N1), and
// under --router vm after the lab's router had booted in QEMU. What each
// router needs is the load check's reading after its last text
// (scenario.CheckedAs, as version; "" is the emulator's default): the
// texts were applied a second time here, to models of the runner's own,
// and the configure steps during a flow were missed. A check that fails
// here says nothing, as a probe that cannot tell.
func routersKernelLacks(ctx context.Context, spec *lab.Spec, version string, s *scenario.Scenario, probe func(kernel.Feature) error) string {
	if version == "" {
		version = rosversion.Default
	}
	checked, err := s.CheckedAs(ctx, version)
	if err != nil {
		return ""
	}
	needs := map[string][]kernel.Feature{}
	for _, c := range checked {
		if c.Router != "" {
			needs[c.Router] = c.Needs
		}
	}
	for _, r := range spec.Routers {
		for _, f := range needs[r.Name] {
			if err := probe(f); errors.Is(err, kernel.ErrProbeUnsupported) {
				return fmt.Sprintf("router %s: its %s interfaces need %s, which this machine's kernel lacks; the lab's more routers run rosemu on this machine's kernel whatever the router backend (--router vm moves only the lab's router into a VM), so the case cannot run here", r.Name, f.Kind, f.Name)
			}
		}
	}
	return ""
}

// moreRouterPort splits the name of a more router's address, site-b.wan
// or outer.ether2, into the router and the port as router.<port> names
// one of the lab's router; ok is false for any other name.
func moreRouterPort(spec *lab.Spec, name string) (r lab.Router, port string, ok bool) {
	rname, port, ok := strings.Cut(name, ".")
	if !ok || port == "" {
		return lab.Router{}, "", false
	}
	for _, r := range spec.Routers {
		if r.Name == rname {
			return r, port, true
		}
	}
	return lab.Router{}, "", false
}

// MoreRouterAddr resolves a more router's address (site-b.wan) as
// RouterAddr resolves router.wan, asked of that router: the same code on
// the lab as that router sees it, with its API client. is says whether
// name is such an address at all.
func (e *labEnv) MoreRouterAddr(ctx context.Context, name, near string) (a netip.Addr, is bool, err error) {
	r, port, ok := moreRouterPort(e.spec, name)
	if !ok {
		return netip.Addr{}, false, nil
	}
	rc, ok := e.routers[r.Name]
	if !ok {
		return netip.Addr{}, true, fmt.Errorf("%s: router %s has no API client in this run", name, r.Name)
	}
	sub := &labEnv{spec: e.spec.ForRouter(r), rc: rc, ex: e.ex, progress: e.progress}
	a, err = sub.RouterAddr(ctx, port, near)
	return a, true, err
}

// saveRoutersArtifacts keeps what saveArtifacts keeps of the router for
// each of the lab's more routers, named by the router: after a Ctrl-C
// too, and within a budget of its own, as saveArtifacts does.
func saveRoutersArtifacts(ctx context.Context, rep *report.Report, l *lab.Lab, rcs moreRouters) {
	actx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 20*time.Second)
	defer cancel()
	for _, r := range l.Spec.Routers {
		if rc := rcs[r.Name]; rc != nil {
			saveRouterArtifacts(actx, rep, l, rc, r.Name, r.Name)
		}
	}
}
