// Package scenario loads scenarios (scenarios/<name>/scenario.yaml with
// its router.rsc) and runs their steps against a running lab. A scenario is
// data a user writes without Go; this package knows nothing of particular
// hairpin methods.
package scenario

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"time"

	"net/netip"

	"gopkg.in/yaml.v3"
)

// Scenario is one loaded scenario.
type Scenario struct {
	Name     string `yaml:"name"`
	Title    string `yaml:"title"`
	Lab      string `yaml:"lab"`      // a file in labs/, without .yaml
	Router   string `yaml:"router"`   // the .rsc applied after the lab's base
	RouterOS string `yaml:"routeros"` // version range, e.g. ">=6.49"
	Steps    []Step `yaml:"steps"`

	// File is the scenario.yaml this was read from; Dir its folder.
	File string `yaml:"-"`
	Dir  string `yaml:"-"`
	// RSC is the text of Router, read at load time so that a run never
	// applies a file that changed under it.
	RSC []byte `yaml:"-"`
}

// Kind says what a step does.
type Kind string

// The probe kinds a step can run.
const (
	TCP   Kind = "tcp"
	UDP   Kind = "udp"
	Iperf Kind = "iperf"
	DNS   Kind = "dns"
	// CPS opens as many connections as it can for a while and reports the
	// rate and the latency percentiles.
	CPS Kind = "cps"
	// Conntrack reads the router's connection table (over its API) for
	// entries towards the step's target and their NAT flags.
	Conntrack Kind = "conntrack"
)

var knownKinds = []Kind{TCP, UDP, Iperf, DNS, CPS, Conntrack}

// Action is a step that changes the lab instead of probing it.
type Action string

// The actions a step can take.
const (
	// RenumberWAN makes the ISP hand the router a different WAN address,
	// as a real ISP does at lease renewal, and waits until the router has
	// it.
	RenumberWAN Action = "renumber-wan"
	// Configure applies more .rsc text to the router (the step's rsc).
	Configure Action = "configure"
)

var knownActions = []Action{RenumberWAN, Configure}

// Step is one probe or action of a scenario.
type Step struct {
	Probe  Kind   `yaml:"probe"`
	Action Action `yaml:"action"`
	ID     string `yaml:"id"` // names the step in the report: "direct", "hairpin"
	From   string `yaml:"from"`
	// To is host:port, where host is a node name, a symbolic router
	// address (router.wan, router.lan, router.ether2) or a literal address
	// inside the lab. For renumber-wan it is the new WAN address (optional).
	To      string        `yaml:"to"`
	Timeout time.Duration `yaml:"timeout"`
	Seconds int           `yaml:"seconds"` // iperf duration
	// Name is the name a dns probe asks for; Transport is udp (default)
	// or tcp.
	Name      string `yaml:"name"`
	Transport string `yaml:"transport"`
	// RSC is the configuration a configure step applies.
	RSC    string `yaml:"rsc"`
	Expect Expect `yaml:"expect"`

	// Line is where the step starts in File, for error messages.
	Line int `yaml:"-"`
	// RSCLine and RSCCol are where the text of RSC starts in File, so
	// that an error in it is reported at its line in the YAML.
	RSCLine, RSCCol int `yaml:"-"`
}

// Expect is what a step must observe. Empty fields are not checked.
type Expect struct {
	Result    string `yaml:"result"`     // ok, timeout, refused, unreachable, wrong-answer, nxdomain
	Server    string `yaml:"server"`     // the node that must answer
	ServerSaw string `yaml:"server_saw"` // the source the server saw: a node or router.<port>
	// Answer is the address a dns probe must get: a node, router.<port>
	// or a literal.
	Answer string `yaml:"answer"`
	// NAT is what the router's connection table must show for a conntrack
	// step: an entry towards the target that was "srcnat", "dstnat",
	// "both" or "none" translated.
	NAT string `yaml:"nat"`
	// Within retries the probe until the expectation holds or this much
	// time has passed since the step started; the time it took is the
	// outage the report shows.
	Within time.Duration `yaml:"within"`
}

// Topology is what loading needs to know of the lab to check names.
type Topology interface {
	// Node reports whether a host node of that name exists.
	HasNode(name string) bool
	// HasRouterPort reports whether router.<port> names something:
	// "wan", "lan" or an ethernet port name.
	HasRouterPort(port string) bool
}

// Dir returns the scenarios folder of the repository, found from the
// working directory upwards so that tests in subfolders find it too.
func Root() (string, error) {
	wd, err := os.Getwd()
	if err != nil {
		return "", fmt.Errorf("find working directory: %w", err)
	}
	for d := wd; ; d = filepath.Dir(d) {
		if st, err := os.Stat(filepath.Join(d, "scenarios")); err == nil && st.IsDir() {
			if _, err := os.Stat(filepath.Join(d, "go.mod")); err == nil {
				return d, nil
			}
		}
		if filepath.Dir(d) == d {
			return "", fmt.Errorf("find the chrlab repository (a folder with scenarios/ and go.mod) above %s", wd)
		}
	}
}

// Names lists the scenarios under root/scenarios.
func Names(root string) ([]string, error) {
	ents, err := os.ReadDir(filepath.Join(root, "scenarios"))
	if err != nil {
		return nil, fmt.Errorf("list scenarios: %w", err)
	}
	var names []string
	for _, e := range ents {
		if _, err := os.Stat(filepath.Join(root, "scenarios", e.Name(), "scenario.yaml")); err == nil {
			names = append(names, e.Name())
		}
	}
	sort.Strings(names)
	return names, nil
}

// ErrUnknown is returned by Load for a name that is not a scenario.
var ErrUnknown = errors.New("unknown scenario")

// Load reads scenarios/<name>/scenario.yaml under root and its .rsc.
func Load(root, name string) (*Scenario, error) {
	names, err := Names(root)
	if err != nil {
		return nil, err
	}
	found := false
	for _, n := range names {
		found = found || n == name
	}
	if !found {
		return nil, fmt.Errorf("%w %q; known scenarios: %s", ErrUnknown, name, strings.Join(names, ", "))
	}
	return LoadFile(filepath.Join(root, "scenarios", name, "scenario.yaml"))
}

// LoadFile reads one scenario.yaml and checks its configuration offline
// (CheckConfig): a scenario the router would refuse fails here, before any
// container starts. Errors name the file and line.
func LoadFile(file string) (*Scenario, error) {
	s, err := Read(file)
	if err != nil {
		return nil, err
	}
	if err := s.checkConfig(); err != nil {
		return nil, err
	}
	return s, nil
}

// Read reads one scenario.yaml and the router configuration it names,
// without the offline check of LoadFile.
func Read(file string) (*Scenario, error) {
	data, err := os.ReadFile(file)
	if err != nil {
		return nil, fmt.Errorf("read scenario: %w", err)
	}
	s, err := Parse(file, data)
	if err != nil {
		return nil, err
	}
	rsc := filepath.Join(s.Dir, s.Router)
	if s.RSC, err = os.ReadFile(rsc); err != nil {
		return nil, fmt.Errorf("%s: read router configuration: %w", file, err)
	}
	return s, nil
}

// Parse decodes scenario YAML; file names the source in errors.
func Parse(file string, data []byte) (*Scenario, error) {
	// The decoder says only "EOF" of an empty document.
	if len(bytes.TrimSpace(bytes.TrimPrefix(data, []byte("\xef\xbb\xbf")))) == 0 {
		return nil, fmt.Errorf("%s: the scenario file is empty", file)
	}
	var doc yaml.Node
	dec := yaml.NewDecoder(bytes.NewReader(data))
	if err := dec.Decode(&doc); err != nil {
		return nil, fmt.Errorf("%s: %w", file, err)
	}
	s := &Scenario{File: file, Dir: filepath.Dir(file)}
	strict := yaml.NewDecoder(bytes.NewReader(data))
	strict.KnownFields(true)
	if err := strict.Decode(s); err != nil {
		return nil, fmt.Errorf("%s: %w", file, err)
	}
	// Step lines come from the node tree: the struct decoder drops them.
	if len(doc.Content) == 1 {
		root := doc.Content[0]
		for i := 0; i+1 < len(root.Content); i += 2 {
			if root.Content[i].Value == "steps" {
				for j, n := range root.Content[i+1].Content {
					if j < len(s.Steps) {
						s.Steps[j].Line = n.Line
						for k := 0; k+1 < len(n.Content); k += 2 {
							if key, val := n.Content[k], n.Content[k+1]; key.Value == "rsc" {
								block := val.Style&(yaml.LiteralStyle|yaml.FoldedStyle) != 0
								quoted := val.Style&(yaml.DoubleQuotedStyle|yaml.SingleQuotedStyle) != 0
								s.Steps[j].RSCLine, s.Steps[j].RSCCol = rscPosition(data, key.Line, val.Line, val.Column, block, quoted)
							}
						}
					}
				}
			}
		}
	}
	at := func(line int) string { return fmt.Sprintf("%s:%d", file, line) }
	if s.Name == "" {
		return nil, fmt.Errorf("%s: scenario has no name", at(1))
	}
	if s.Lab == "" {
		return nil, fmt.Errorf("%s: scenario %s names no lab", at(1), s.Name)
	}
	if s.Router == "" {
		return nil, fmt.Errorf("%s: scenario %s names no router configuration", at(1), s.Name)
	}
	if len(s.Steps) == 0 {
		return nil, fmt.Errorf("%s: scenario %s has no steps", at(1), s.Name)
	}
	for _, st := range s.Steps {
		if err := st.check(); err != nil {
			return nil, fmt.Errorf("%s: %w", at(st.Line), err)
		}
	}
	return s, nil
}

// Check verifies that every node and router port the scenario names exists
// in the lab, so a typo fails at load and not halfway through a run.
func (s *Scenario) Check(t Topology) error {
	for _, st := range s.Steps {
		at := fmt.Sprintf("%s:%d", s.File, st.Line)
		if st.Action != "" {
			continue
		}
		if st.Probe != Conntrack && !t.HasNode(st.From) {
			return fmt.Errorf("%s: unknown node %q in from", at, st.From)
		}
		host, _, _ := SplitTarget(st.To)
		for _, name := range []string{host, st.Expect.Server, st.Expect.ServerSaw, st.Expect.Answer} {
			if name == "" || isLiteral(name) {
				continue
			}
			if port, ok := strings.CutPrefix(name, "router."); ok {
				if !t.HasRouterPort(port) {
					return fmt.Errorf("%s: unknown router address %q (use router.wan, router.lan or router.<port>)", at, name)
				}
				continue
			}
			if !t.HasNode(name) {
				return fmt.Errorf("%s: unknown node %q", at, name)
			}
		}
	}
	return nil
}

// SplitTarget splits "host:port".
func SplitTarget(to string) (host, port string, err error) {
	i := strings.LastIndexByte(to, ':')
	if i <= 0 || i == len(to)-1 {
		return "", "", fmt.Errorf("target %q is not host:port", to)
	}
	return to[:i], to[i+1:], nil
}

// check validates one step on its own.
func (st Step) check() error {
	switch {
	case st.Probe != "" && st.Action != "":
		return fmt.Errorf("a step is either a probe or an action, not both (probe %s, action %s)", st.Probe, st.Action)
	case st.Action != "":
		if !slices.Contains(knownActions, st.Action) {
			return fmt.Errorf("unknown action %q; known actions: %s", st.Action, list(knownActions))
		}
		if st.Action == Configure && strings.TrimSpace(st.RSC) == "" {
			return fmt.Errorf("configure step has no rsc")
		}
		if st.Action == RenumberWAN && st.To != "" && !isLiteral(st.To) {
			return fmt.Errorf("renumber-wan: to %q is not an address", st.To)
		}
		return nil
	case !slices.Contains(knownKinds, st.Probe):
		return fmt.Errorf("unknown probe %q; known probes: %s", st.Probe, list(knownKinds))
	}
	// A conntrack step reads the router itself: it needs no from.
	if (st.From == "" && st.Probe != Conntrack) || st.To == "" {
		return fmt.Errorf("%s probe needs both from and to", st.Probe)
	}
	switch st.Expect.NAT {
	case "", "srcnat", "dstnat", "both", "none":
	default:
		return fmt.Errorf("expected nat %q: want srcnat, dstnat, both or none", st.Expect.NAT)
	}
	if _, _, err := SplitTarget(st.To); err != nil {
		return err
	}
	if st.Probe == DNS && st.Name == "" {
		return fmt.Errorf("dns probe needs the name to ask for")
	}
	if st.Transport != "" && st.Transport != "udp" && st.Transport != "tcp" {
		return fmt.Errorf("transport %q: want udp or tcp", st.Transport)
	}
	switch st.Expect.Result {
	case "", "ok", "timeout", "refused", "unreachable", "wrong-answer", "nxdomain", "servfail":
	default:
		return fmt.Errorf("unknown expected result %q; known: ok, timeout, refused, unreachable, wrong-answer, nxdomain, servfail", st.Expect.Result)
	}
	return nil
}

func list[T ~string](xs []T) string {
	var s []string
	for _, x := range xs {
		s = append(s, string(x))
	}
	return strings.Join(s, ", ")
}

// isLiteral reports whether name is an IP address rather than a name.
func isLiteral(name string) bool {
	_, err := netip.ParseAddr(name)
	return err == nil
}
