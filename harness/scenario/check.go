package scenario

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/chrlab/chrlab/harness/lab"
	"github.com/chrlab/chrlab/rosemu/config"
	"github.com/chrlab/chrlab/rosemu/kernel"
)

// CheckedSource is one .rsc text of a scenario after the offline check:
// the lab's base, the router configuration, or a configure step's rsc.
type CheckedSource struct {
	// File names the text: the .rsc file, or the scenario.yaml holding it.
	File string
	// Line and Col map a position in the text to one in File: line l of
	// the text is line l+Line of File, and its columns are shifted by Col.
	Line, Col int
	Result    *config.Validation
	// Router names the lab's more router the text configures, "" for the
	// lab's router.
	Router string
	// NotEnforced is, for a more router's text, what the model of Router
	// stores without enforcing once this text and every one before it on
	// that router are applied.
	NotEnforced []config.NotEnforcedItem
	// Needs is, for a more router's text, what that model's interfaces
	// need of the kernel (a VLAN, a bridge) at the same point: a more
	// router is rosemu on the run's machine's kernel under every
	// backend, so the run reads it before any container starts.
	Needs []kernel.Feature
}

// Pos returns the position in File of a finding's line and column.
func (c CheckedSource) Pos(f config.Finding) string {
	return c.File + ":" + strconv.Itoa(f.Line+c.Line) + ":" + strconv.Itoa(f.Col+c.Col)
}

// commandTimeout bounds each command of the offline check.
const commandTimeout = 2 * time.Second

// CheckConfig runs the scenario's configuration through rosemu's parser
// and model offline (no kernel, no containers), in the order a run applies
// it: the lab's base .rsc, the router configuration, then every configure
// step's rsc, each on the model the ones before left. The router has the
// lab's ports. It fails only when the lab cannot be read; refusals are in
// the results.
func (s *Scenario) CheckConfig(ctx context.Context) ([]CheckedSource, error) {
	return s.CheckConfigAs(ctx, "")
}

// CheckConfigAs is CheckConfig as RouterOS version (the one a run is asked
// for, --routeros); "" checks as the run without --routeros runs it
// (RunVersion): the version the configuration's header names or its lines
// fit, else one of the case's range, else the emulator's default.
func (s *Scenario) CheckConfigAs(ctx context.Context, version string) ([]CheckedSource, error) {
	if version == "" {
		version, _ = s.RunVersion()
	}
	root, _ := Root()
	spec, err := s.LoadLab(root)
	if err != nil {
		return nil, fmt.Errorf("%s: check the configuration offline: %w", s.File, err)
	}
	// The lab's router starts as a fresh CHR does, with a DHCP client on
	// ether1 (rosemu --default-dhcp-client, a CHR's first boot): an export
	// that adds its own there is refused by the router, so it is here.
	// Every router of the lab has a model of its own, with its own ports.
	newModel := func(r lab.Router) *config.Router {
		return config.New(config.Options{Ports: r.PortNames(), Version: version, DefaultDHCPClient: true})
	}
	r := newModel(spec.Router)
	var out []CheckedSource
	models := map[string]*config.Router{spec.Router.Name: r}
	// add keeps a text's result, and for a more router's text what that
	// router's model stores without enforcing after it and what it needs
	// of the kernel (the run reads the lab's router's its own way,
	// readOffline).
	add := func(c CheckedSource) {
		if c.Router != "" {
			c.NotEnforced = models[c.Router].NotEnforced()
			c.Needs = models[c.Router].State().Needs()
		}
		out = append(out, c)
	}
	if pre := spec.PortPrelude(); pre != "" {
		// The lab's names of its ports, as the run applies them first.
		add(CheckedSource{File: spec.File, Result: r.Validate(ctx, pre, commandTimeout)})
	}
	if bp := spec.BasePath(); bp != "" {
		base, err := os.ReadFile(bp)
		if err != nil {
			return nil, fmt.Errorf("%s: read the lab's base configuration: %w", s.File, err)
		}
		add(CheckedSource{File: bp, Result: r.Validate(ctx, string(spec.PortDefaults(base)), commandTimeout)})
	}
	rsc := string(spec.PortDefaults(s.RSC))
	if s.RouterInline {
		add(CheckedSource{File: s.File, Line: s.RSCLine - 1, Col: s.RSCCol - 1, Result: r.Validate(ctx, rsc, commandTimeout)})
	} else {
		add(CheckedSource{File: filepath.Join(s.Dir, s.Router), Result: r.Validate(ctx, rsc, commandTimeout)})
	}
	// The lab's more routers, in the order a run configures them: each
	// its base, then the case's configuration of it.
	for _, c := range s.Routers {
		if _, ok := spec.RouterNamed(c.Name); !ok || c.Name == spec.Router.Name {
			return nil, fmt.Errorf("%s:%d: routers: %s is none of the more routers of lab %s (%s)", s.File, c.NameLine, c.Name, spec.Name, moreRouters(spec))
		}
	}
	for name, line := range s.conntrackLimitLines {
		if _, ok := spec.RouterNamed(name); !ok || name == spec.Router.Name {
			return nil, fmt.Errorf("%s:%d: conntrack_limit: router %s is none of the more routers of lab %s (%s; the lab's router's limit has no router:)", s.File, line, name, spec.Name, moreRouters(spec))
		}
	}
	for _, mr := range spec.Routers {
		m := newModel(mr)
		models[mr.Name] = m
		if bp := spec.RouterBasePath(mr); bp != "" {
			base, err := os.ReadFile(bp)
			if err != nil {
				return nil, fmt.Errorf("%s: read the base configuration of router %s: %w", s.File, mr.Name, err)
			}
			add(CheckedSource{File: bp, Result: m.Validate(ctx, string(base), commandTimeout), Router: mr.Name})
		}
		c, ok := s.RouterConfigOf(mr.Name)
		switch {
		case !ok:
		case c.Inline:
			add(CheckedSource{File: s.File, Line: c.Line - 1, Col: c.Col - 1, Result: m.Validate(ctx, string(c.RSC), commandTimeout), Router: mr.Name})
		default:
			add(CheckedSource{File: filepath.Join(s.Dir, c.File), Result: m.Validate(ctx, string(c.RSC), commandTimeout), Router: mr.Name})
		}
	}
	// Every step's router: names a router of the lab, those a flow runs
	// during it too.
	var named func([]Step) error
	named = func(steps []Step) error {
		for _, st := range steps {
			if st.Router != "" && models[st.Router] == nil {
				return fmt.Errorf("%s:%d: router %q is no router of lab %s (its routers: %s, %s)", s.File, st.Line, st.Router, spec.Name, spec.Router.Name, moreRouters(spec))
			}
			if err := named(st.During); err != nil {
				return err
			}
		}
		return nil
	}
	if err := named(s.Steps); err != nil {
		return nil, err
	}
	// The configure steps, in the order a run applies them: those a flow
	// runs during it come after the steps before the flow.
	var steps func([]Step)
	steps = func(list []Step) {
		for i := range list {
			st := &list[i]
			steps(st.During)
			if st.Action != Configure {
				continue
			}
			m, text := r, string(spec.PortDefaults([]byte(st.RSC)))
			if st.Router != "" {
				// Port names are the lab router's alone.
				m, text = models[st.Router], st.RSC
			}
			v := m.ValidateStep(ctx, text, commandTimeout)
			add(CheckedSource{File: s.File, Line: st.RSCLine - 1, Col: st.RSCCol - 1, Result: v, Router: st.Router})
			// Run reads it: such a step failing on the router is the
			// case's check failing, not refused input.
			st.decidedWhenRun = slices.ContainsFunc(v.Findings, config.Finding.DecidedWhenRun)
		}
	}
	steps(s.Steps)
	if s.checked == nil {
		s.checked = map[string][]CheckedSource{}
	}
	s.checked[r.Version()] = out
	return out, nil
}

// CheckedAs is CheckConfigAs's results as version (not ""): those the load
// made as that version, or a check made now. A run reads what its routers'
// texts store without enforcing here, rather than applying them to models
// of its own a second time.
func (s *Scenario) CheckedAs(ctx context.Context, version string) ([]CheckedSource, error) {
	if c, ok := s.checked[version]; ok {
		return c, nil
	}
	return s.CheckConfigAs(ctx, version)
}

// moreRouters lists the names of a lab's more routers for messages.
func moreRouters(spec *lab.Spec) string {
	if len(spec.Routers) == 0 {
		return "it has none; a lab lists them under routers:"
	}
	var names []string
	for _, r := range spec.Routers {
		names = append(names, r.Name)
	}
	return strings.Join(names, ", ")
}

// LoadLab loads the lab the scenario names: inline in the scenario file
// (errors then carry the scenario file's lines), a .yaml file beside the
// scenario, or a lab of labs/ by name: beside the scenarios folder the
// scenario is in, or in root.
func (s *Scenario) LoadLab(root string) (*lab.Spec, error) {
	switch {
	case len(s.LabYAML) > 0:
		return lab.Parse(s.File, s.LabYAML)
	case strings.HasSuffix(s.Lab, ".yaml"):
		return lab.Load(filepath.Join(s.Dir, s.Lab))
	}
	name := s.Lab + ".yaml"
	path := filepath.Join(s.Dir, "..", "..", "labs", name)
	if _, err := os.Stat(path); err != nil {
		if root == "" {
			// Not a relative path that names neither the case nor chrlab.
			return nil, fmt.Errorf("%s: lab %s: no labs/%s beside the case's folder and no chrlab repository to take it from (run chrlab from a checkout, or give the lab inline or as a .yaml file beside the case)", s.File, s.Lab, name)
		}
		path = filepath.Join(root, "labs", name)
	}
	spec, err := lab.Load(path)
	if err != nil {
		return nil, fmt.Errorf("%s: lab %s: %w", s.File, s.Lab, err)
	}
	return spec, nil
}

// maxRefusals is how many refused commands a load error lists.
const maxRefusals = 10

// refusals turns the refused commands of a check into one error, each
// with its file, line and column; nil when nothing is refused.
func refusals(checked []CheckedSource) error {
	var errs []error
	n := 0
	for _, c := range checked {
		for _, f := range c.Result.Findings {
			if f.Verdict != config.Refused {
				continue
			}
			n++
			if n <= maxRefusals {
				msg := f.Msg
				if strings.Contains(msg, "dhcp-client on that interface already exists") {
					msg += " (the lab's router starts as a fresh CHR does, with a DHCP client on ether1: `/ip dhcp-client remove [find]` above this line makes room)"
				}
				if f.Hint != "" {
					msg += " (" + f.Hint + ")"
				}
				errs = append(errs, fmt.Errorf("%s: the router would refuse the configuration: %s", c.Pos(f), msg))
			}
		}
	}
	if n > maxRefusals {
		errs = append(errs, fmt.Errorf("and %d more refused commands (chrlab validate lists them all)", n-maxRefusals))
	}
	return errors.Join(errs...)
}

// checkConfig is the loader's offline check: a scenario whose
// configuration the emulated router would refuse fails at load, before
// any container starts. A scenario for a RouterOS range that excludes the
// emulated version is left to the router it is for.
func (s *Scenario) checkConfig() error {
	if ok, _ := s.Applies(config.New(config.Options{}).Version()); !ok && s.ConfigVersion() == "" {
		// The check still marks the configure steps it leaves to the
		// router (decidedWhenRun), as the version the run takes: without
		// the marks a fetch's :error in a "routeros: 6.49.x" case ended
		// the run as refused input, exit 2.
		_, _ = s.CheckConfig(context.Background())
		return nil
	}
	checked, err := s.CheckConfig(context.Background())
	if err != nil {
		return err
	}
	return refusals(checked)
}

// checkConfigAs is checkConfig for the versions a run is asked for: each
// that the emulator runs (its nearest emulated one, as the run takes it)
// and the scenario applies to. A CHR channel name or a version outside
// the scenario's range is left to the run, which says why it does not run
// it.
func (s *Scenario) checkConfigAs(versions []string) error {
	if len(versions) == 0 {
		return s.checkConfig()
	}
	for _, asked := range versions {
		v, _ := NearestEmulated(asked)
		if v == "" {
			continue
		}
		if ok, _ := s.Applies(v); !ok {
			continue
		}
		checked, err := s.CheckConfigAs(context.Background(), v)
		if err != nil {
			return err
		}
		if err := refusals(checked); err != nil {
			if len(versions) > 1 {
				return fmt.Errorf("as RouterOS %s: %w", v, err)
			}
			return err
		}
	}
	return nil
}
