// Package scenario loads scenarios (scenarios/<name>/scenario.yaml with
// its router.rsc) and runs their steps against a running lab. A scenario is
// data a user writes without Go; this package knows nothing of particular
// hairpin methods.
package scenario

import (
	"bytes"
	"errors"
	"fmt"
	"maps"
	"net"
	"os"
	"path/filepath"
	"reflect"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"

	"net/netip"

	"go.yaml.in/yaml/v3"

	"github.com/chrlab/chrlab/rosemu/config"

	"github.com/chrlab/chrlab/harness/export"
)

// MaxConntrackLimit is the largest conntrack_limit, the bound rosemu puts
// on its --conntrack-max (kernel.MaxConntrackCapacity).
const MaxConntrackLimit = 1_000_000

// Scenario is one loaded scenario.
type Scenario struct {
	Name  string `yaml:"name"`
	Title string `yaml:"title"`
	// Lab is a lab of the repository's labs/ (its name, without .yaml), a
	// .yaml file beside the scenario, or "inline" when LabYAML holds it.
	Lab string `yaml:"-"`
	// Router is the .rsc file applied after the lab's base, beside the
	// scenario; empty when the configuration is inline (RouterInline).
	Router   string `yaml:"-"`
	RouterOS string `yaml:"routeros"` // version range, e.g. ">=6.49"
	// ConntrackLimit is the capacity of the router's connection table the
	// run emulates (rosemu's --conntrack-max); 0 leaves the router's own.
	// It is a lab setting, not RouterOS configuration: RouterOS derives
	// max-entries from RAM, so a CHR run of such a case is skipped.
	ConntrackLimit int    `yaml:"conntrack_limit"`
	Steps          []Step `yaml:"steps"`
	// RouterConntrackLimits is conntrack_limit for the lab's more
	// routers, by name (its list form's entries with router:), and
	// conntrackLimitLines the line of each entry.
	RouterConntrackLimits map[string]int `yaml:"-"`
	conntrackLimitLines   map[string]int

	// File is the scenario.yaml this was read from; Dir its folder.
	File string `yaml:"-"`
	Dir  string `yaml:"-"`
	// RSC is the text of Router, read at load time so that a run never
	// applies a file that changed under it.
	RSC []byte `yaml:"-"`
	// inferred caches the version config.InferVersion found for an RSC
	// whose header names none (configVersion).
	inferred *config.Inferred
	// checked keeps CheckConfigAs's results by the version checked as,
	// for the run to read (CheckedAs) rather than check again.
	checked map[string][]CheckedSource
	// SetAside lists the lines of RSC that were set aside as hardware a
	// lab router does not have ("case.yaml:14 /interface wireless: ...").
	SetAside []string `yaml:"-"`
	// RouterInline is true when RSC came from the scenario file itself
	// (router: |), starting at RSCLine.
	RouterInline bool `yaml:"-"`
	RSCLine      int  `yaml:"-"`
	RSCCol       int  `yaml:"-"` // the column the inline text starts at
	// LabYAML is an inline lab, padded with blank lines so that its line
	// numbers are the scenario file's.
	LabYAML []byte `yaml:"-"`
	// Routers are the configurations of the lab's more routers (the lab's
	// routers:), each read as Router is: a .rsc beside the case or the
	// text itself.
	Routers []RouterConfig `yaml:"-"`
}

// RouterConfig is the configuration a case gives one of the lab's more
// routers, applied after that router's base as the case's router: is
// after the lab router's.
type RouterConfig struct {
	Name string
	// File is the .rsc beside the case; empty when Inline.
	File   string
	Inline bool
	RSC    []byte
	// Line and Col are where the text starts in the case file (inline),
	// NameLine where its name is, for errors about the router itself.
	Line, Col, NameLine int
}

// Source names the configuration in messages: its file, or the case
// file and line of the inline text.
func (c RouterConfig) Source(s *Scenario) string {
	if c.Inline {
		return fmt.Sprintf("%s:%d (router %s)", s.File, c.Line, c.Name)
	}
	return filepath.Join(s.Dir, c.File)
}

// RouterConfigOf returns the case's configuration of router name.
func (s *Scenario) RouterConfigOf(name string) (RouterConfig, bool) {
	for _, c := range s.Routers {
		if c.Name == name {
			return c, true
		}
	}
	return RouterConfig{}, false
}

// scenarioDoc is the file's shape: lab and router may each be a name or
// the thing itself.
type scenarioDoc struct {
	Name     string    `yaml:"name"`
	Title    string    `yaml:"title"`
	Lab      yaml.Node `yaml:"lab"`
	Router   yaml.Node `yaml:"router"`
	Routers  yaml.Node `yaml:"routers"`
	RouterOS string    `yaml:"routeros"`
	// ConntrackLimit: see Scenario.ConntrackLimit; a number, or a list
	// of {limit, router} (parseConntrackLimit).
	ConntrackLimit yaml.Node `yaml:"conntrack_limit"`
	Steps          []Step    `yaml:"steps"`
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
	// ConntrackRate sends count new UDP flows (each from its own source
	// port) at rate per second and samples the router's connection table
	// meanwhile: entries created per flow, the insert rate, the table over
	// time.
	ConntrackRate Kind = "conntrack-rate"
	// ConntrackFill keeps established flows going, fills the router's
	// table with count new assured flows, then tries new_flows more: the
	// table at its fullest, the share of new flows that worked and the
	// share of the established flows' datagrams answered meanwhile.
	ConntrackFill Kind = "conntrack-fill"
	// HTTP gets a page and says who answered: a lab node or the router.
	HTTP Kind = "http"
	// Ping sends ICMP echo requests: loss and round trips.
	Ping Kind = "ping"
	// Port tells open, closed and filtered apart by the TCP handshake.
	Port Kind = "port"
	// Flow keeps one UDP flow going and reports when replies stopped and
	// resumed; actions in its during list run while it goes.
	Flow Kind = "flow"
	// Connections opens count new connections: the share that worked and
	// who answered each.
	Connections Kind = "connections"
	// ResolveConnect resolves name through the resolver at to, then
	// connects to the answer's port.
	ResolveConnect Kind = "resolve-then-connect"
	// FTP logs in to a passive-mode FTP server and fetches a listing over
	// the data connection its PASV answer names: what a router's FTP
	// helper has to rewrite and let through.
	FTP Kind = "ftp"
	// UPnP is a LAN host's UPnP client: it discovers the router's
	// gateway by SSDP, reads its external address and asks it to map
	// to's port to a port of the host (or of client), then deletes the
	// mapping with delete: what the gateway answered.
	UPnP Kind = "upnp"
	// L2TP dials the router from a host as an L2TP road warrior (user,
	// password) and leaves the host routed through the session, so the
	// probes after it go through the tunnel; the next l2tp step of the
	// host hangs the session up first.
	L2TP Kind = "l2tp"
	// SSTP is the same with SSTP (TCP 443, TLS): the next l2tp or sstp
	// step of the host hangs up its earlier session of either.
	SSTP Kind = "sstp"
	// OVPN dials the router as an OpenVPN road warrior (Debian's
	// openvpn, user and password, protocol tcp or udp) and leaves the
	// host routed through the tunnel as l2tp does; the next l2tp, sstp or
	// ovpn step of the host hangs up its earlier session.
	OVPN Kind = "ovpn"
)

var knownKinds = []Kind{TCP, UDP, Iperf, DNS, CPS, Conntrack, ConntrackRate, ConntrackFill, HTTP, Ping, Port, Flow, Connections, ResolveConnect, FTP, UPnP, L2TP, SSTP, OVPN}

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
	// Netem sets delay, loss or a rate limit on the egress of a host
	// node's lab interface (as containerlab tools netem does).
	Netem Action = "netem"
	// LinkDown pulls the cable of a router port (interface): the port
	// loses carrier, as when the cable to its modem or switch is
	// unplugged; LinkUp plugs it back.
	LinkDown Action = "link-down"
	LinkUp   Action = "link-up"
)

var knownActions = []Action{RenumberWAN, Configure, Netem, LinkDown, LinkUp}

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
	// Duration is a cps step's length where a whole second is more than
	// it needs (500ms); seconds serves too.
	Duration time.Duration `yaml:"duration"`
	// Name is the name a dns probe asks for; Transport is udp (default)
	// or tcp.
	Name      string `yaml:"name"`
	Transport string `yaml:"transport"`
	// RSC is the configuration a configure step applies; Router names the
	// lab router it goes to, empty for the router under test (one of the
	// lab's more routers: routers:).
	RSC    string `yaml:"rsc"`
	Router string `yaml:"router"`
	Expect Expect `yaml:"expect"`

	// SrcPort sends tcp, udp, port and flow probes from a fixed port.
	SrcPort int `yaml:"src_port"`
	// Count is how many echoes a ping sends or connections a connections
	// probe opens.
	Count int `yaml:"count"`
	// Interval is the time between a ping's echoes or a flow's datagrams.
	Interval time.Duration `yaml:"interval"`
	// Rate is the open-loop rate of a cps probe (connections per second;
	// empty: closed loop, as fast as it goes), or a netem action's rate
	// limit in tc's words (10mbit).
	Rate string `yaml:"rate"`
	// Path is what an http probe asks for (default /).
	Path string `yaml:"path"`
	// Port is where resolve-then-connect connects at the answer; Connect
	// says how: tcp (default) or udp, a datagram exchange with the
	// answer's whoami for services that have no TCP port.
	Port    int    `yaml:"port"`
	Connect string `yaml:"connect"`
	// Protocol, Lease, Client and Delete belong to upnp: the mapping's
	// protocol (tcp, the default, or udp), the lease asked for (0: until
	// deleted), the node or address asked for as the internal client
	// (default the probing host itself; another host's address is what
	// a gateway's secure mode refuses), and whether the mapping is
	// deleted again once made. Port is the internal port (default to's).
	Protocol string        `yaml:"protocol"`
	Lease    time.Duration `yaml:"lease"`
	Client   string        `yaml:"client"`
	Delete   bool          `yaml:"delete"`
	// ClientAddr is Client resolved when the step runs.
	ClientAddr netip.Addr `yaml:"-"`
	// Established and NewFlows belong to conntrack-fill: the flows opened
	// before the fill and kept going (4), and the new flows tried after
	// it (50).
	Established int `yaml:"established"`
	NewFlows    int `yaml:"new_flows"`
	// During lists actions a flow step takes while it runs, each at its
	// offset from the flow's start.
	During []Step        `yaml:"during"`
	At     time.Duration `yaml:"at"`
	// Node, Network, Delay, Loss and Clear belong to netem: the host node
	// and its lab network whose interface gets the setting (default its
	// first), added delay, loss in percent, and clear to remove them.
	Node    string        `yaml:"node"`
	Network string        `yaml:"network"`
	Delay   time.Duration `yaml:"delay"`
	Loss    float64       `yaml:"loss"`
	Clear   bool          `yaml:"clear"`
	// Affinity pins an iperf probe's client to a CPU, and its server to
	// another after a comma ("0,1"): iperf3 -A.
	Affinity string `yaml:"affinity"`
	// Interface is the router port whose cable link-down pulls and
	// link-up plugs back: ether2, or wan, wan2, lan.
	Interface string `yaml:"interface"`
	// User and Password are an l2tp, sstp or ovpn step's login.
	User     string `yaml:"user"`
	Password string `yaml:"password"`

	// StartAt is when a flow with during actions sends its first datagram,
	// set by the run so the flow and its actions share one clock.
	StartAt time.Time `yaml:"-"`

	// Line is where the step starts in File, for error messages; RSCLine
	// where its rsc text starts.
	Line    int `yaml:"-"`
	RSCLine int `yaml:"-"`
	// RSCCol is the column of the rsc text's first character, so that an
	// offline check reports the column in the YAML too.
	RSCCol int `yaml:"-"`
	// decidedWhenRun is a configure step whose text the offline check
	// could not decide (CheckConfig sets it): it reads what the router
	// makes while it runs, or fetches, pings or resolves.
	decidedWhenRun bool
	// expectSet names the expectations the step wrote, each with the line
	// of its key (counter's own keys as counter.rule, counter.packets, ...),
	// so that a bad expectation is placed at its own line.
	expectSet map[string]int
	// expectLine and expectCol are where the step's expect key is, so
	// that an expect on an action is refused at its place.
	expectLine, expectCol int
	// valueAt is where each of the step's values starts, by key ("node",
	// "to", and the expectations' as "expect.server"), so that a value
	// the lab has no place for is named at its own line and column.
	valueAt map[string][2]int
}

// place is "file:line:column" of the step's value under key, or
// "file:line" of the step when the value's position is not known (a step
// made in code, a flow mapping re-encoded).
func (st *Step) place(file, key string) string {
	if p, ok := st.valueAt[key]; ok {
		return fmt.Sprintf("%s:%d:%d", file, p[0], p[1])
	}
	return fmt.Sprintf("%s:%d", file, st.Line)
}

// Expect is what a step must observe. Empty fields are not checked.
type Expect struct {
	Result    string `yaml:"result"`     // ok, timeout, ...; "!ok" for any other
	Server    string `yaml:"server"`     // the node that must answer
	ServerSaw string `yaml:"server_saw"` // the source the server saw: a node or router.<port>
	// ServerSawPort is the source port the server must have seen: a port
	// or a range A-B, as a src-nat rule's to-ports writes it (a CGNAT's
	// port block per customer).
	ServerSawPort string `yaml:"server_saw_port"`
	// Answer is the address a dns probe must get: a node, router.<port>
	// or a literal.
	Answer string `yaml:"answer"`
	// UPnPError is the UPnP error code an upnp step's gateway must refuse
	// the mapping with (606: another host's address).
	UPnPError int `yaml:"upnp_error"`
	// NAT is what the router's connection table must show for a conntrack
	// step: an entry towards the target that was "srcnat", "dstnat",
	// "both" or "none" translated.
	NAT string `yaml:"nat"`
	// Within retries the probe until the expectation holds or this much
	// time has passed since the step started; the time it took is the
	// outage the report shows.
	Within time.Duration `yaml:"within"`

	// Status is the HTTP status an http probe must get.
	Status int `yaml:"status"`
	// MinGbps and MaxGbps bound an iperf step's throughput.
	MinGbps float64 `yaml:"min_gbps"`
	MaxGbps float64 `yaml:"max_gbps"`
	// RatioTo names an earlier step (by id) whose throughput (iperf) or
	// rate (cps) this step's must reach at least Min times.
	RatioTo string  `yaml:"ratio_to"`
	Min     float64 `yaml:"min"`
	// MinCPS, MaxP99 and MaxFailures bound a cps step.
	MinCPS      float64       `yaml:"min_cps"`
	MaxP99      time.Duration `yaml:"max_p99"`
	MaxFailures *int          `yaml:"max_failures"`
	// EntriesPerFlow, MinInsertsPerS and MaxEntries bound a conntrack-rate
	// step: the router's new entries towards the target per flow sent
	// ("== 1": one each), the rate they were inserted at, and the most
	// entries the whole table held while it ran.
	EntriesPerFlow Compare `yaml:"entries_per_flow"`
	MinInsertsPerS float64 `yaml:"min_inserts_per_s"`
	MaxEntries     *int    `yaml:"max_entries"`
	// Entries bounds how many of the router's entries a conntrack step
	// matched: "== 0" for an entry that timed out or was removed, which
	// nat cannot say (it judges the entries there are).
	Entries Compare `yaml:"entries"`
	// PeakEntries, Full, NewShare and EstablishedShare judge a
	// conntrack-fill step: the most entries the table held, whether it
	// reached its max-entries, the share of the new flows tried after the
	// fill that were answered, and the share of the established flows'
	// datagrams answered meanwhile.
	PeakEntries      Compare `yaml:"peak_entries"`
	Full             *bool   `yaml:"full"`
	NewShare         Compare `yaml:"new_share"`
	EstablishedShare Compare `yaml:"established_share"`
	// Share bounds the share of a connections step that worked.
	Share Compare `yaml:"share"`
	// Loss and RTTms bound a ping's or a flow's loss share and mean round
	// trip in milliseconds.
	Loss  Compare `yaml:"loss"`
	RTTms Compare `yaml:"rtt_ms"`
	// FirstReply, Stopped and Resumed bound a flow's timeline, in seconds
	// from its first datagram (-1: never).
	FirstReply Compare `yaml:"first_reply_s"`
	Stopped    Compare `yaml:"stopped_s"`
	Resumed    Compare `yaml:"resumed_s"`
	// Counter reads a router rule's counters after the step.
	Counter CounterExpect `yaml:"counter"`
	// Log is a regular expression that an entry of the router's /log
	// ("<topics> <message>") must match after the step; "!re": none may.
	Log string `yaml:"log"`
}

// Topology is what loading needs to know of the lab to check names.
type Topology interface {
	// Node reports whether a host node of that name exists.
	HasNode(name string) bool
	// HasRouterPort reports whether router.<port> names something:
	// "wan", "wan2", "lan", a port of the lab or any RouterOS interface
	// name (checked on the live router when the step runs).
	HasRouterPort(port string) bool
}

// Dir returns the scenarios folder of the repository, found from the
// working directory upwards so that tests in subfolders find it too.
func Root() (string, error) {
	wd, err := os.Getwd()
	if err != nil {
		return "", fmt.Errorf("find working directory: %w", err)
	}
	root, err := RootFrom(wd)
	if err == nil {
		return root, nil
	}
	// A chrlab built in a checkout (bin/chrlab) and run from elsewhere, as
	// "chrlab lab --file ~/case.yaml" is, uses the checkout it lives in.
	if exe, xerr := os.Executable(); xerr == nil {
		if r, rerr := RootFrom(filepath.Dir(exe)); rerr == nil {
			return r, nil
		}
	}
	if Fallback != "" {
		return Fallback, nil
	}
	return "", err
}

// Fallback is the root Root returns when no repository is above the
// working directory: an installed chrlab sets it to the folder of its
// embedded labs, scenarios and image sources (internal/embedded).
var Fallback string

// Results returns the folder that receives results/<run>/ for a run with
// this root: root/results in a checkout, and ./results of the working
// directory when root is the embedded tree, which lives in a cache.
func Results(root string) string {
	if Fallback != "" && root == Fallback {
		if wd, err := os.Getwd(); err == nil {
			return filepath.Join(wd, "results")
		}
	}
	return filepath.Join(root, "results")
}

// RootFrom finds the repository from dir upwards.
func RootFrom(wd string) (string, error) {
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
	return LoadAs(root, name, nil)
}

// LoadAs is Load with the offline check run as each of the RouterOS
// versions a run is asked for (--routeros); none: as Load checks.
func LoadAs(root, name string, versions []string) (*Scenario, error) {
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
	return LoadFileAs(filepath.Join(root, "scenarios", name, "scenario.yaml"), versions)
}

// LoadFile reads one scenario file and the router configuration it names,
// and checks the configuration offline (CheckConfig): a scenario the
// router would refuse fails here, before any container starts. Errors name
// the file and line.
func LoadFile(file string) (*Scenario, error) {
	return LoadFileAs(file, nil)
}

// LoadFileAs is LoadFile with the offline check run as each of the
// RouterOS versions a run is asked for (--routeros): a RouterOS 6 snippet
// without an export header, run with --routeros 6.49.18, is checked as 6.49
// and not refused for v6 spellings that 7 renamed.
func LoadFileAs(file string, versions []string) (*Scenario, error) {
	s, err := Read(file)
	if err != nil {
		return nil, err
	}
	// The offline check: a scenario the router would refuse fails here,
	// before any container starts.
	if err := s.checkConfigAs(versions); err != nil {
		return nil, err
	}
	return s, nil
}

// parseConntrackLimit reads conntrack_limit: a number, the lab's router's
// table capacity, or a list of {limit: N, router: NAME}, each for the
// router it names (the lab's router without router:), as a configure step
// names one of the lab's more routers. Whether NAME is one is checked with
// the lab (CheckConfig).
func (s *Scenario) parseConntrackLimit(n *yaml.Node, at func(int) string) error {
	check := func(line, limit int) error {
		if limit < 1 || limit > MaxConntrackLimit {
			return fmt.Errorf("%s: conntrack_limit %d is not within 1..%d", at(line), limit, MaxConntrackLimit)
		}
		return nil
	}
	if n.Kind == yaml.ScalarNode {
		if err := n.Decode(&s.ConntrackLimit); err != nil {
			return fmt.Errorf("%s: conntrack_limit %q is not a number, nor a list of {limit, router}", at(n.Line), n.Value)
		}
		return check(n.Line, s.ConntrackLimit)
	}
	if n.Kind != yaml.SequenceNode {
		return fmt.Errorf("%s: conntrack_limit is a number, or a list of {limit: N, router: NAME}", at(n.Line))
	}
	for _, e := range n.Content {
		var v struct {
			Limit  int    `yaml:"limit"`
			Router string `yaml:"router"`
		}
		if err := checkKeys(e, "conntrack_limit", []string{"limit", "router"}, at); err != nil {
			return err
		}
		if err := e.Decode(&v); err != nil || mapValue(e, "limit") == nil {
			return fmt.Errorf("%s: conntrack_limit: each entry is {limit: N, router: NAME} with a number N", at(e.Line))
		}
		if err := check(e.Line, v.Limit); err != nil {
			return err
		}
		if v.Router == "" {
			if s.ConntrackLimit != 0 {
				return fmt.Errorf("%s: conntrack_limit: the lab's router has a limit already", at(e.Line))
			}
			s.ConntrackLimit = v.Limit
			continue
		}
		if _, ok := s.RouterConntrackLimits[v.Router]; ok {
			return fmt.Errorf("%s: conntrack_limit: router %s has a limit already", at(e.Line), v.Router)
		}
		if s.RouterConntrackLimits == nil {
			s.RouterConntrackLimits, s.conntrackLimitLines = map[string]int{}, map[string]int{}
		}
		s.RouterConntrackLimits[v.Router], s.conntrackLimitLines[v.Router] = v.Limit, e.Line
	}
	return nil
}

// Read reads one scenario file and the router configuration it names,
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
	if !s.RouterInline {
		rsc := filepath.Join(s.Dir, s.Router)
		if s.RSC, err = os.ReadFile(rsc); err != nil {
			return nil, fmt.Errorf("%s: read router configuration: %w", file, err)
		}
	}
	for i := range s.Routers {
		c := &s.Routers[i]
		if !c.Inline {
			if c.RSC, err = os.ReadFile(filepath.Join(s.Dir, c.File)); err != nil {
				return nil, fmt.Errorf("%s:%d: read the configuration of router %s: %w", file, c.NameLine, c.Name, err)
			}
		}
		// The same setting aside as the router's: an export of the far
		// site's RouterBOARD runs as it is.
		var aside []export.Aside
		c.RSC, aside = export.LabReady(c.Source(s), c.RSC)
		for _, a := range aside {
			where, line := filepath.Join(s.Dir, c.File), a.Line
			if c.Inline {
				where, line = s.File, c.Line+a.Line-1
			}
			s.SetAside = append(s.SetAside, fmt.Sprintf("%s:%d /%s: %s", where, line, a.Menu, a.Reason))
		}
	}
	// A RouterBOARD's export pasted as the router's configuration carries
	// radios, LEDs and PoE settings a lab router (a CHR) refuses; they are
	// set aside line for line, and the run's report lists them.
	var aside []export.Aside
	s.RSC, aside = export.LabReady(s.RouterSource(), s.RSC)
	for _, a := range aside {
		where := filepath.Join(s.Dir, s.Router)
		line := a.Line
		if s.RouterInline {
			where, line = s.File, s.RSCLine+a.Line-1
		}
		s.SetAside = append(s.SetAside, fmt.Sprintf("%s:%d /%s: %s", where, line, a.Menu, a.Reason))
	}
	return s, nil
}

// Parse decodes scenario YAML; file names the source in errors. A router
// configuration in a file is not read here (LoadFile reads it).
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
	at := func(line int) string { return fmt.Sprintf("%s:%d", file, line) }
	if len(doc.Content) != 1 || doc.Content[0].Kind != yaml.MappingNode {
		return nil, fmt.Errorf("%s: a scenario is a mapping with name, lab, router and steps", at(1))
	}
	root := doc.Content[0]
	// Unknown keys are named with the valid ones before the strict decode,
	// whose message lists none.
	if err := checkKeys(root, "scenario", []string{"name", "title", "lab", "router", "routers", "routeros", "conntrack_limit", "steps"}, at); err != nil {
		return nil, err
	}
	if err := checkStepKeys(mapValue(root, "steps"), at); err != nil {
		return nil, err
	}
	var d scenarioDoc
	strict := yaml.NewDecoder(bytes.NewReader(data))
	strict.KnownFields(true)
	if err := strict.Decode(&d); err != nil {
		return nil, typeErrors(err, root, at, file)
	}
	s := &Scenario{Name: d.Name, Title: d.Title, RouterOS: d.RouterOS, Steps: d.Steps, File: file, Dir: filepath.Dir(file)}
	if s.Name == "" {
		return nil, fmt.Errorf("%s: scenario has no name", at(1))
	}
	if err := checkName(s.Name, at(mapValue(root, "name").Line)); err != nil {
		return nil, err
	}
	if n := mapValue(root, "routeros"); n != nil {
		if _, err := ParseRange(s.RouterOS); err != nil {
			return nil, fmt.Errorf("%s: routeros: %w", at(n.Line), err)
		}
	}
	if n := mapValue(root, "conntrack_limit"); n != nil {
		if err := s.parseConntrackLimit(n, at); err != nil {
			return nil, err
		}
	}
	steps := mapValue(root, "steps")
	if steps != nil {
		if err := annotateSteps(steps, s.Steps, at, data); err != nil {
			return nil, err
		}
	}
	if err := s.parseLab(root, data, at); err != nil {
		return nil, err
	}
	if err := s.parseRouter(mapValue(root, "router"), at, data); err != nil {
		return nil, err
	}
	if err := s.parseRouters(mapValue(root, "routers"), at, data); err != nil {
		return nil, err
	}
	if len(s.Steps) == 0 {
		return nil, fmt.Errorf("%s: scenario %s has no steps", at(1), s.Name)
	}
	ids := map[string]bool{}
	for _, st := range s.Steps {
		if err := st.check(); err != nil {
			line := st.Line
			var le lineError
			if errors.As(err, &le) {
				line, err = le.line, le.err
				if le.col > 0 {
					return nil, fmt.Errorf("%s:%d: %w", at(line), le.col, err)
				}
			}
			return nil, fmt.Errorf("%s: %w", at(line), err)
		}
		if r := st.Expect.RatioTo; r != "" && !ids[r] {
			line := st.Line
			if l := st.expectSet["ratio_to"]; l > 0 {
				line = l
			}
			return nil, fmt.Errorf("%s: ratio_to %q names no earlier step; earlier ids: %s", at(line), r, strings.Join(slices.Sorted(maps.Keys(ids)), ", "))
		}
		if st.ID != "" {
			ids[st.ID] = true
		}
	}
	return s, nil
}

// parseLab reads lab: a name, a .yaml file beside the scenario, or the lab
// itself as a mapping.
func (s *Scenario) parseLab(root *yaml.Node, data []byte, at func(int) string) error {
	n := mapValue(root, "lab")
	switch {
	case n == nil || (n.Kind == yaml.ScalarNode && n.Value == ""):
		return fmt.Errorf("%s: scenario %s names no lab", at(1), s.Name)
	case n.Kind == yaml.ScalarNode:
		if !filepath.IsLocal(n.Value) {
			return fmt.Errorf("%s: lab %q leaves the scenario's folder; name a lab of labs/ or a file beside the scenario", at(n.Line), n.Value)
		}
		s.Lab = n.Value
		return nil
	case n.Kind == yaml.MappingNode:
		s.Lab = "inline"
		s.LabYAML = blockText(root, "lab", n, data)
		return nil
	default:
		return fmt.Errorf("%s: lab is neither a name nor a lab mapping", at(n.Line))
	}
}

// parseRouter reads router: a .rsc file beside the scenario, or the
// configuration itself (router: |).
func (s *Scenario) parseRouter(n *yaml.Node, at func(int) string, data []byte) error {
	if n == nil || n.Kind != yaml.ScalarNode || strings.TrimSpace(n.Value) == "" {
		return fmt.Errorf("%s: scenario %s names no router configuration (a .rsc file, or the text after router: |)", at(1), s.Name)
	}
	v := n.Value
	if !strings.Contains(v, "\n") && strings.HasSuffix(strings.TrimSpace(v), ".rsc") {
		if !filepath.IsLocal(v) {
			return fmt.Errorf("%s: router %q leaves the scenario's folder; keep the .rsc beside the scenario", at(n.Line), v)
		}
		s.Router = v
		return nil
	}
	s.RouterInline, s.RSC = true, []byte(v)
	s.RSCLine, s.RSCCol = textStart(data, n)
	return nil
}

// parseRouters reads routers: a mapping from a lab router's name to its
// configuration, each a .rsc file beside the case or the text itself, as
// router: is read. Whether the lab has such a router is checked with the
// lab (CheckConfigAs).
func (s *Scenario) parseRouters(n *yaml.Node, at func(int) string, data []byte) error {
	if n == nil {
		return nil
	}
	if n.Kind != yaml.MappingNode {
		return fmt.Errorf("%s: routers: want a mapping of a lab router's name to its configuration (site-b: site-b.rsc)", at(n.Line))
	}
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, v := n.Content[i], n.Content[i+1]
		c := RouterConfig{Name: k.Value, NameLine: k.Line}
		if _, dup := s.RouterConfigOf(c.Name); dup {
			return fmt.Errorf("%s: routers: router %s given twice", at(k.Line), c.Name)
		}
		if v.Kind != yaml.ScalarNode || strings.TrimSpace(v.Value) == "" {
			return fmt.Errorf("%s: routers: %s: want a .rsc file beside the case, or the configuration after %s: |", at(v.Line), c.Name, c.Name)
		}
		if t := v.Value; !strings.Contains(t, "\n") && strings.HasSuffix(strings.TrimSpace(t), ".rsc") {
			if !filepath.IsLocal(t) {
				return fmt.Errorf("%s: routers: %s: %q leaves the scenario's folder; keep the .rsc beside the scenario", at(v.Line), c.Name, t)
			}
			c.File = t
		} else {
			c.Inline, c.RSC = true, []byte(t)
			c.Line, c.Col = textStart(data, v)
		}
		s.Routers = append(s.Routers, c)
	}
	return nil
}

// RouterSource names the router configuration in messages: its file, or
// the scenario file and line of the inline text.
func (s *Scenario) RouterSource() string {
	if s.RouterInline {
		return fmt.Sprintf("%s:%d (router)", s.File, s.RSCLine)
	}
	return filepath.Join(s.Dir, s.Router)
}

// RSCText is one piece of RouterOS configuration a scenario applies, with
// where it starts, so an offline check can report file:line of a mistake.
type RSCText struct {
	What string // "router", or "step 3 (configure)"
	File string
	Line int // line of the text's first line in File
	Text []byte
}

// RSCTexts lists the configuration the scenario applies, in order: the
// router's, then every configure step's (those inside a flow's during too).
func (s *Scenario) RSCTexts() []RSCText {
	var out []RSCText
	if s.RouterInline {
		out = append(out, RSCText{What: "router", File: s.File, Line: s.RSCLine, Text: s.RSC})
	} else if s.Router != "" {
		out = append(out, RSCText{What: "router", File: filepath.Join(s.Dir, s.Router), Line: 1, Text: s.RSC})
	}
	for _, c := range s.Routers {
		if c.Inline {
			out = append(out, RSCText{What: "router " + c.Name, File: s.File, Line: c.Line, Text: c.RSC})
		} else {
			out = append(out, RSCText{What: "router " + c.Name, File: filepath.Join(s.Dir, c.File), Line: 1, Text: c.RSC})
		}
	}
	var walk func(prefix string, steps []Step)
	walk = func(prefix string, steps []Step) {
		for i, st := range steps {
			what := fmt.Sprintf("%sstep %d", prefix, i+1)
			if st.Action == Configure {
				w := what + " (configure)"
				if st.Router != "" {
					w = what + " (configure " + st.Router + ")"
				}
				out = append(out, RSCText{What: w, File: s.File, Line: st.RSCLine, Text: []byte(st.RSC)})
			}
			walk(what+" during ", st.During)
		}
	}
	walk("", s.Steps)
	return out
}

// blockText returns the source lines of the mapping under key, preceded by
// blank lines so that a parser of the text reports the file's own line
// numbers. A flow mapping on one line is re-encoded instead.
func blockText(root *yaml.Node, key string, n *yaml.Node, data []byte) []byte {
	if n.Style&yaml.FlowStyle != 0 {
		b, _ := yaml.Marshal(n)
		return b
	}
	lines := strings.SplitAfter(string(data), "\n")
	end := len(lines)
	for i := 0; i+2 < len(root.Content); i += 2 {
		if root.Content[i].Value == key {
			end = root.Content[i+2].Line - 1 // the next key's line
		}
	}
	var b strings.Builder
	for i := range lines[:end] {
		if i+1 < n.Line {
			b.WriteString("\n")
			continue
		}
		b.WriteString(lines[i])
	}
	return []byte(b.String())
}

// mapKey returns the key node of key in a mapping node.
func mapKey(m *yaml.Node, key string) *yaml.Node {
	for i := 0; i+1 < len(m.Content); i += 2 {
		if m.Content[i].Value == key {
			return m.Content[i]
		}
	}
	return nil
}

// mapValue returns the value of key in a mapping node.
func mapValue(m *yaml.Node, key string) *yaml.Node {
	for i := 0; i+1 < len(m.Content); i += 2 {
		if m.Content[i].Value == key {
			return m.Content[i+1]
		}
	}
	return nil
}

// checkKeys refuses a key of mapping m that is not in known, naming the
// known ones.
func checkKeys(m *yaml.Node, what string, known []string, at func(int) string) error {
	if m.Kind != yaml.MappingNode {
		return nil
	}
	for i := 0; i+1 < len(m.Content); i += 2 {
		if k := m.Content[i]; !slices.Contains(known, k.Value) {
			return fmt.Errorf("%s: unknown %s field %q; known fields: %s", at(k.Line), what, k.Value, strings.Join(known, ", "))
		}
	}
	return nil
}

// stepKeys are the fields a step may have, from Step's yaml tags.
func stepKeys() []string {
	var keys []string
	t := reflect.TypeOf(Step{})
	for i := range t.NumField() {
		if tag, _, _ := strings.Cut(t.Field(i).Tag.Get("yaml"), ","); tag != "" && tag != "-" {
			keys = append(keys, tag)
		}
	}
	return keys
}

// checkStepKeys checks the keys of every step and its expect, recursively.
func checkStepKeys(seq *yaml.Node, at func(int) string) error {
	if seq == nil || seq.Kind != yaml.SequenceNode {
		return nil
	}
	for _, n := range seq.Content {
		if err := checkKeys(n, "step", stepKeys(), at); err != nil {
			return err
		}
		if e := mapValue(n, "expect"); e != nil {
			var names []string
			for _, f := range expectFields {
				names = append(names, f.name)
			}
			if err := checkKeys(e, "expectation", names, at); err != nil {
				return err
			}
			if c := mapValue(e, "counter"); c != nil {
				if err := checkKeys(c, "counter", []string{"rule", "packets", "bytes"}, at); err != nil {
					return err
				}
			}
		}
		if err := checkStepKeys(mapValue(n, "during"), at); err != nil {
			return err
		}
	}
	return nil
}

// annotateSteps records what the struct decoder drops: each step's line,
// the line its rsc starts on, the expectations it wrote; and checks its
// keys, so a typo is named with the valid choices.
func annotateSteps(seq *yaml.Node, steps []Step, at func(int) string, data []byte) error {
	for j, n := range seq.Content {
		if j >= len(steps) {
			break
		}
		st := &steps[j]
		st.Line = n.Line
		if n.Kind == yaml.MappingNode {
			st.valueAt = map[string][2]int{}
			for i := 0; i+1 < len(n.Content); i += 2 {
				k, v := n.Content[i], n.Content[i+1]
				st.valueAt[k.Value] = [2]int{v.Line, v.Column}
				if k.Value == "expect" && v.Kind == yaml.MappingNode {
					for e := 0; e+1 < len(v.Content); e += 2 {
						st.valueAt["expect."+v.Content[e].Value] = [2]int{v.Content[e+1].Line, v.Content[e+1].Column}
					}
				}
			}
		}
		if r := mapValue(n, "rsc"); r != nil {
			st.RSCLine, st.RSCCol = textStart(data, r)
		}
		if k := mapKey(n, "expect"); k != nil {
			st.expectLine, st.expectCol = k.Line, k.Column
		}
		if e := mapValue(n, "expect"); e != nil && e.Kind == yaml.MappingNode {
			st.expectSet = map[string]int{}
			for i := 0; i+1 < len(e.Content); i += 2 {
				k, v := e.Content[i], e.Content[i+1]
				st.expectSet[k.Value] = k.Line
				if k.Value == "counter" && v.Kind == yaml.MappingNode {
					for c := 0; c+1 < len(v.Content); c += 2 {
						st.expectSet["counter."+v.Content[c].Value] = v.Content[c].Line
					}
				}
			}
		}
		if d := mapValue(n, "during"); d != nil && d.Kind == yaml.SequenceNode {
			if err := annotateSteps(d, st.During, at, data); err != nil {
				return err
			}
		}
	}
	return nil
}

// Check verifies that every node and router port the scenario names exists
// in the lab, so a typo fails at load and not halfway through a run.
func (s *Scenario) Check(t Topology) error {
	return checkSteps(s.File, s.Steps, t)
}

// hasLabPort reports whether port is a port of the lab's router, or of
// its more router named router, whose cable a link action can pull: a
// topology that tells its lab ports from other RouterOS interfaces says
// so, any other answers as for router.<port>.
func hasLabPort(t Topology, router, port string) bool {
	if router != "" {
		p, ok := t.(interface {
			HasRouterLabPort(router, port string) bool
		})
		return ok && p.HasRouterLabPort(router, port)
	}
	if p, ok := t.(interface{ HasLabPort(string) bool }); ok {
		return p.HasLabPort(port)
	}
	return t.HasRouterPort(port)
}

func checkSteps(file string, steps []Step, t Topology) error {
	for _, st := range steps {
		at := fmt.Sprintf("%s:%d", file, st.Line)
		if st.Action == Netem && !t.HasNode(st.Node) {
			return fmt.Errorf("%s: unknown node %q in netem%s", st.place(file, "node"), st.Node, knownNodes(t))
		}
		// A network the node is not on would be found only when the step
		// runs, with the lab up: a topology that knows the node's
		// networks says so at load.
		if n, ok := t.(interface{ NodeNetworks(string) []string }); ok && st.Action == Netem && st.Network != "" {
			if nets := n.NodeNetworks(st.Node); len(nets) > 0 && !slices.Contains(nets, st.Network) {
				return fmt.Errorf("%s: netem: node %s has no interface on network %q (it is on %s)", st.place(file, "network"), st.Node, st.Network, strings.Join(nets, ", "))
			}
		}
		if c, ok := t.(interface{ CanPullCables() error }); ok && (st.Action == LinkDown || st.Action == LinkUp) {
			if err := c.CanPullCables(); err != nil {
				return fmt.Errorf("%s: %s: %w", at, st.Action, err)
			}
		}
		if (st.Action == LinkDown || st.Action == LinkUp) && !hasLabPort(t, st.Router, st.Interface) {
			whose := "the lab's router"
			if st.Router != "" {
				whose = "router " + st.Router
			}
			return fmt.Errorf("%s: %s: interface %q is not a port of %s (etherN of its ports, wan, wan2, lan)", st.place(file, "interface"), st.Action, st.Interface, whose)
		}
		if r, ok := t.(interface{ CanRenumberWAN() error }); ok && st.Action == RenumberWAN {
			if err := r.CanRenumberWAN(); err != nil {
				return fmt.Errorf("%s: renumber-wan: %w", at, err)
			}
		}
		if r, ok := t.(interface{ CanRenumberWANTo(netip.Addr) error }); ok && st.Action == RenumberWAN && st.To != "" {
			if to, err := netip.ParseAddr(st.To); err == nil {
				if err := r.CanRenumberWANTo(to); err != nil {
					return fmt.Errorf("%s: renumber-wan: %w", st.place(file, "to"), err)
				}
			}
		}
		if st.Action != "" {
			continue
		}
		if err := checkSteps(file, st.During, t); err != nil {
			return err
		}
		// A conntrack step's from is optional: the node whose entries it counts.
		if (st.Probe != Conntrack || st.From != "") && !t.HasNode(st.From) {
			return fmt.Errorf("%s: unknown node %q in from%s", st.place(file, "from"), st.From, knownNodes(t))
		}
		// A ping's target has no port: an IPv6 literal is taken whole.
		host := st.To
		if st.Probe != Ping {
			host, _, _ = SplitTarget(st.To)
		}
		for i, name := range []string{host, st.Expect.Server, st.Expect.ServerSaw, st.Expect.Answer, st.Client} {
			if name == "" || isLiteral(name) {
				continue
			}
			at := st.place(file, []string{"to", "expect.server", "expect.server_saw", "expect.answer", "client"}[i])
			// An http probe may expect the router's own page.
			if i == 1 && name == "router" && st.Probe == HTTP {
				continue
			}
			if port, ok := strings.CutPrefix(name, "router."); ok {
				if !t.HasRouterPort(port) {
					return fmt.Errorf("%s: unknown router address %q (use router.wan, router.wan2, router.lan or router.<interface>, such as router.ether2 or router.vlan20)", at, name)
				}
				continue
			}
			if !t.HasNode(name) {
				if r, _, ok := strings.Cut(name, "."); ok && isMoreRouter(t, r) {
					// A more router's port it lacks: say so, as for
					// router.dmz, not "unknown node" (forum f68 N1).
					return fmt.Errorf("%s: unknown router address %q (use %s.wan, %s.lan or %s.<interface>, such as %s.ether2)", at, name, r, r, r, r)
				}
				return fmt.Errorf("%s: unknown node %q%s", at, name, knownNodes(t))
			}
		}
	}
	return nil
}

// isMoreRouter reports whether name is one of the lab's more routers,
// when the topology can say.
func isMoreRouter(t Topology, name string) bool {
	m, ok := t.(interface{ MoreRouters() []string })
	return ok && slices.Contains(m.MoreRouters(), name)
}

// knownNodes lists the lab's nodes for an error message, when the topology
// can say.
func knownNodes(t Topology) string {
	if n, ok := t.(interface{ NodeNames() []string }); ok {
		return "; the lab's nodes: " + strings.Join(n.NodeNames(), ", ")
	}
	return ""
}

// isAddr says whether s is an address literal (an IPv6 one has colons).
func isAddr(s string) bool {
	_, err := netip.ParseAddr(s)
	return err == nil
}

// SplitTarget splits "host:port"; an IPv6 address is written in brackets,
// "[3fff:88::10]:12566", and comes back without them.
func SplitTarget(to string) (host, port string, err error) {
	if strings.HasPrefix(to, "[") {
		h, p, err := net.SplitHostPort(to)
		if err != nil || p == "" {
			return "", "", fmt.Errorf("target %q is not [address]:port", to)
		}
		return h, p, nil
	}
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
		return st.checkAction()
	case st.Probe == "":
		return fmt.Errorf("a step needs probe (%s) or action (%s)", list(knownKinds), list(knownActions))
	case !slices.Contains(knownKinds, st.Probe):
		return fmt.Errorf("unknown probe %q; known probes: %s", st.Probe, list(knownKinds))
	}
	// A conntrack step reads the router itself: it needs no from (with one,
	// it counts only the entries from that node).
	if (st.From == "" && st.Probe != Conntrack) || st.To == "" {
		return fmt.Errorf("%s probe needs both from and to", st.Probe)
	}
	switch st.Expect.NAT {
	case "", "srcnat", "dstnat", "both", "none":
	default:
		return fmt.Errorf("expected nat %q: want srcnat, dstnat, both or none", st.Expect.NAT)
	}
	if st.Probe == Ping {
		if host, _, err := SplitTarget(st.To); err == nil && !isAddr(st.To) {
			return fmt.Errorf("ping to %q: a ping goes to an address, not host:port (to: %s)", st.To, host)
		}
	} else if _, _, err := SplitTarget(st.To); err != nil {
		return err
	}
	if (st.Probe == L2TP || st.Probe == SSTP || st.Probe == OVPN) && st.User == "" {
		return fmt.Errorf("%s probe needs user (and password): the PPP login it dials with", st.Probe)
	}
	if (st.Probe == DNS || st.Probe == ResolveConnect) && st.Name == "" {
		return fmt.Errorf("%s probe needs the name to ask for", st.Probe)
	}
	if st.Transport != "" && st.Transport != "udp" && st.Transport != "tcp" {
		return fmt.Errorf("transport %q: want udp or tcp", st.Transport)
	}
	if st.Connect != "" && st.Connect != "udp" && st.Connect != "tcp" {
		return fmt.Errorf("connect %q: want tcp or udp", st.Connect)
	}
	if err := st.checkOptions(); err != nil {
		return err
	}
	if len(st.During) > 0 && st.Probe != Flow {
		return fmt.Errorf("during belongs to a flow probe, which keeps running while its actions run")
	}
	for _, d := range st.During {
		if d.Action == "" {
			return fmt.Errorf("during, line %d: only actions run during a flow (%s)", d.Line, list(knownActions))
		}
		if d.At < 0 || d.At >= st.FlowDuration() {
			return fmt.Errorf("during, line %d: at %s is not within the flow's %s", d.Line, d.At, st.FlowDuration())
		}
		if err := d.checkAction(); err != nil {
			return fmt.Errorf("during, line %d: %w", d.Line, err)
		}
	}
	return checkExpect(st.Probe, st.Expect, st.expectSet)
}

// checkOptions refuses options that do not belong to the probe or are out
// of range.
func (st Step) checkOptions() error {
	type opt struct {
		name  string
		set   bool
		kinds []Kind
	}
	for _, o := range []opt{
		{"src_port", st.SrcPort != 0, []Kind{TCP, UDP, Port, Flow}},
		{"count", st.Count != 0, []Kind{Ping, Connections, ConntrackRate, ConntrackFill}},
		{"established", st.Established != 0, []Kind{ConntrackFill}},
		{"new_flows", st.NewFlows != 0, []Kind{ConntrackFill}},
		{"interval", st.Interval != 0, []Kind{Ping, Flow}},
		{"rate", st.Rate != "", []Kind{CPS, ConntrackRate, ConntrackFill}},
		{"path", st.Path != "", []Kind{HTTP}},
		{"port", st.Port != 0, []Kind{ResolveConnect, UPnP}},
		{"protocol", st.Protocol != "", []Kind{UPnP, OVPN}},
		{"lease", st.Lease != 0, []Kind{UPnP}},
		{"client", st.Client != "", []Kind{UPnP}},
		{"delete", st.Delete, []Kind{UPnP}},
		{"connect", st.Connect != "", []Kind{ResolveConnect}},
		{"seconds", st.Seconds != 0, []Kind{Iperf, CPS, Flow}},
		{"duration", st.Duration != 0, []Kind{CPS}},
		{"name", st.Name != "", []Kind{DNS, ResolveConnect}},
		{"affinity", st.Affinity != "", []Kind{Iperf}},
		{"user", st.User != "", []Kind{L2TP, SSTP, OVPN}},
		{"password", st.Password != "", []Kind{L2TP, SSTP, OVPN}},
	} {
		if o.set && !slices.Contains(o.kinds, st.Probe) {
			return fmt.Errorf("%s does not apply to a %s probe (it applies to %s)", o.name, st.Probe, list(o.kinds))
		}
	}
	// An action's fields on a probe would be ignored: refuse them.
	for _, o := range []struct {
		name    string
		set     bool
		actions string
	}{
		{"node", st.Node != "", "netem action"},
		{"network", st.Network != "", "netem action"},
		{"delay", st.Delay != 0, "netem action"},
		{"loss", st.Loss != 0, "netem action"},
		{"clear", st.Clear, "netem action"},
		{"interface", st.Interface != "", "link-down and link-up actions"},
		{"rsc", st.RSC != "", "configure action"},
	} {
		if o.set {
			return fmt.Errorf("%s does not apply to a %s probe (it belongs to the %s)", o.name, st.Probe, o.actions)
		}
	}
	if st.Router != "" && st.Probe != Conntrack && st.Expect.Counter.Rule == "" && st.Expect.Log == "" {
		// The probe's packets go where they go whatever router: says; it
		// names the router a step reads, and this step reads none.
		return fmt.Errorf("router does not apply to a %s probe that reads no router (it names the router a conntrack probe, a counter or a log expectation reads, or a configure action configures)", st.Probe)
	}
	if st.Affinity != "" && !affinityRE.MatchString(st.Affinity) {
		return fmt.Errorf("affinity %q: want the client's CPU number, and the server's after a comma (0,1)", st.Affinity)
	}
	if st.SrcPort < 0 || st.SrcPort > 65535 || st.Port < 0 || st.Port > 65535 {
		return fmt.Errorf("a port must be within 1..65535")
	}
	if st.Count < 0 || st.Count > 10000 {
		return fmt.Errorf("count %d is not within 1..10000", st.Count)
	}
	if st.Established < 0 || st.Established > 64 {
		return fmt.Errorf("established %d is not within 1..64", st.Established)
	}
	if st.NewFlows < 0 || st.NewFlows > 1000 {
		return fmt.Errorf("new_flows %d is not within 1..1000", st.NewFlows)
	}
	if st.Seconds < 0 || st.Seconds > 60 {
		return fmt.Errorf("seconds %d is not within 1..60", st.Seconds)
	}
	if st.Duration != 0 && (st.Duration < 100*time.Millisecond || st.Duration > time.Minute) {
		return fmt.Errorf("duration %s is not within 100ms..60s", st.Duration)
	}
	if st.Duration != 0 && st.Seconds != 0 {
		return fmt.Errorf("give seconds or duration, not both")
	}
	if st.Interval < 0 || (st.Interval > 0 && st.Interval < 10*time.Millisecond) {
		return fmt.Errorf("interval %s is below 10ms", st.Interval)
	}
	if st.Rate != "" {
		if r, err := st.CPSRate(); err != nil || r <= 0 || r > 100000 {
			return fmt.Errorf("rate %q: want connections per second within 1..100000 (empty for the closed loop)", st.Rate)
		}
	}
	if st.Protocol != "" && st.Protocol != "tcp" && st.Protocol != "udp" {
		return fmt.Errorf("protocol %q: want tcp or udp", st.Protocol)
	}
	// WANIPConnection:1's PortMappingLeaseDuration is a ui4 of seconds.
	if st.Lease < 0 || st.Lease%time.Second != 0 || st.Lease > time.Duration(1<<32-1)*time.Second {
		return fmt.Errorf("lease %s: want whole seconds within 0..%ds (0: until deleted)", st.Lease, uint32(1<<32-1))
	}
	if st.Path != "" && !strings.HasPrefix(st.Path, "/") {
		return fmt.Errorf("path %q does not start with /", st.Path)
	}
	return nil
}

// CPSDuration is how long a cps step opens connections: duration, or
// seconds, 1 s by default.
func (st Step) CPSDuration() time.Duration {
	switch {
	case st.Duration > 0:
		return st.Duration
	case st.Seconds > 0:
		return time.Duration(st.Seconds) * time.Second
	}
	return time.Second
}

// FlowDuration is how long a flow step sends: seconds, 3 by default.
func (st Step) FlowDuration() time.Duration {
	if st.Seconds > 0 {
		return time.Duration(st.Seconds) * time.Second
	}
	return 3 * time.Second
}

// CPSRate is a cps step's open-loop rate; 0 for the closed loop.
func (st Step) CPSRate() (float64, error) {
	if st.Rate == "" {
		return 0, nil
	}
	return strconv.ParseFloat(st.Rate, 64)
}

// checkAction validates an action step.
func (st Step) checkAction() error {
	if !slices.Contains(knownActions, st.Action) {
		return fmt.Errorf("unknown action %q; known actions: %s", st.Action, list(knownActions))
	}
	if st.expectLine > 0 {
		// No action observes anything: the runner judges a probe's
		// expectations only, so an expect here would count as held
		// without being checked (forum44 D6). A log line a configure
		// step should write is checked by a probe step after it.
		return lineError{st.expectLine, st.expectCol, fmt.Errorf("expect does not apply to an action (%s): an action observes nothing; put the expectation on a probe step after it (a log expectation applies to any probe)", st.Action)}
	}
	if st.Action == Configure && strings.TrimSpace(st.RSC) == "" {
		return fmt.Errorf("configure step has no rsc")
	}
	if st.Router != "" && st.Action != Configure && st.Action != LinkDown && st.Action != LinkUp {
		return fmt.Errorf("router does not apply to a %s action (it names the router a configure step configures, or whose cable a link-down or link-up step pulls or plugs back)", st.Action)
	}
	if st.Action == RenumberWAN && st.To != "" && !isLiteral(st.To) {
		return fmt.Errorf("renumber-wan: to %q is not an address", st.To)
	}
	if (st.Action == LinkDown || st.Action == LinkUp) && st.Interface == "" {
		return fmt.Errorf("%s needs interface: the router port whose cable it %s (ether1, wan, lan)", st.Action, map[Action]string{LinkDown: "pulls", LinkUp: "plugs back"}[st.Action])
	}
	if st.Action == Netem {
		if st.Node == "" {
			return fmt.Errorf("netem needs node: the host whose lab interface gets the setting")
		}
		if !st.Clear && st.Delay == 0 && st.Loss == 0 && st.Rate == "" {
			return fmt.Errorf("netem needs delay, loss, rate or clear")
		}
		if st.Delay < 0 || st.Loss < 0 || st.Loss > 100 {
			return fmt.Errorf("netem: delay must not be negative and loss (percent) within 0..100")
		}
		if st.Rate != "" && !rateRE.MatchString(st.Rate) {
			return fmt.Errorf("netem rate %q: want a number and kbit, mbit or gbit (10mbit)", st.Rate)
		}
	}
	return nil
}

var affinityRE = regexp.MustCompile(`^[0-9]{1,4}(,[0-9]{1,4})?$`)

var rateRE = regexp.MustCompile(`^[0-9]+(\.[0-9]+)?(kbit|mbit|gbit)$`)

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

// textStart is where a scalar's text starts in the file: the first line
// and column of its first character. A block scalar (rsc: |) starts on
// the line after its indicator, blank or not: the value keeps the blank
// lines it opens with, so its line l is the file's line indicator+l.
// Its column is its indentation, read where the first line with text
// is: the file's line less the value's (an indentation indicator, |2,
// may leave spaces or a tab in the value); a quoted one starts one
// column after its quote.
func textStart(data []byte, n *yaml.Node) (line, col int) {
	if n.Style&(yaml.LiteralStyle|yaml.FoldedStyle) == 0 {
		if n.Style&(yaml.DoubleQuotedStyle|yaml.SingleQuotedStyle) != 0 {
			return n.Line, n.Column + 1
		}
		return n.Line, n.Column
	}
	lines := strings.Split(string(data), "\n") // lines[n.Line] is the line after the indicator
	for i, t := range strings.Split(n.Value, "\n") {
		l := n.Line + i
		if strings.TrimSpace(t) == "" || l >= len(lines) {
			continue
		}
		f := strings.TrimRight(lines[l], "\r")
		if n.Style&yaml.LiteralStyle != 0 && strings.HasSuffix(f, t) {
			return n.Line + 1, len(f) - len(t) + 1
		}
		// A folded text joins its lines: only the file's line has
		// the indentation.
		return n.Line + 1, len(f) - len(strings.TrimLeft(f, " ")) + 1
	}
	return n.Line + 1, 1
}

// typeLine reads yaml.v3's "line 27: cannot unmarshal !!str `ether1` into
// int".
var typeLine = regexp.MustCompile("^line (\\d+): cannot unmarshal !!(\\w+) `(.*)` into (\\S+)$")

// typeErrors names the file, line and field of a value of the wrong type
// ("port: ether1" under a link-down step): yaml.v3 says only "yaml:
// unmarshal errors: line 27: cannot unmarshal !!str `ether1` into int".
// Other errors keep their words, after the file's name.
func typeErrors(err error, root *yaml.Node, at func(int) string, file string) error {
	var te *yaml.TypeError
	if !errors.As(err, &te) || len(te.Errors) == 0 {
		return fmt.Errorf("%s: %w", file, err)
	}
	var out []string
	for _, e := range te.Errors {
		m := typeLine.FindStringSubmatch(e)
		if m == nil {
			out = append(out, file+": "+e)
			continue
		}
		line, _ := strconv.Atoi(m[1])
		want := map[string]string{"int": "a number", "bool": "true or false", "float64": "a number"}[m[4]]
		if want == "" {
			want = "a " + strings.TrimPrefix(m[4], "[]") + " value"
		}
		out = append(out, fmt.Sprintf("%s: %s: want %s, got %q", at(line), keyAt(root, line), want, m[3]))
	}
	return errors.New(strings.Join(out, "; "))
}

// keyAt is the mapping key whose value is on line (the field a wrong value
// belongs to), "value" when none is found.
func keyAt(n *yaml.Node, line int) string {
	if n == nil {
		return "value"
	}
	if n.Kind == yaml.MappingNode {
		for i := 0; i+1 < len(n.Content); i += 2 {
			if v := n.Content[i+1]; v.Line == line && v.Kind == yaml.ScalarNode {
				return n.Content[i].Value
			}
		}
	}
	for _, c := range n.Content {
		if k := keyAt(c, line); k != "value" {
			return k
		}
	}
	return "value"
}
