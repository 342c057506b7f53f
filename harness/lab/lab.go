package lab

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"net/netip"
	"runtime"
	"sort"
	"strings"
	"sync"
	"time"

	"golang.org/x/sync/errgroup"

	"github.com/chrlab/chrlab/harness/images"
	"github.com/chrlab/chrlab/internal/loadavg"
	"github.com/chrlab/chrlab/internal/syncio"
)

// Labels put on every container and network a lab creates. DownAll removes
// everything with LabelKey; Down removes one run's objects by LabelRun.
const (
	LabelKey  = "chrlab"
	LabelRun  = "chrlab.run"
	LabelNode = "chrlab.node"
	LabelLab  = "chrlab.lab"
)

// Readiness lines printed by the two programs a lab runs.
const (
	AgentReadyLine  = "labagent ready"
	RosemuReadyLine = "rosemu ready"
)

// RouterAPIPort is the RouterOS API port, checked on the management address
// before a rosemu router counts as ready.
const RouterAPIPort = 8728

// Options tunes Up. HostImage and RouterImage are required.
type Options struct {
	// Progress receives one line per step; nil discards them.
	Progress io.Writer
	// Keep, when set, receives every member's log (a QEMU router's log
	// carries its serial console) before a failed Up removes the lab, so
	// that the reason outlives the containers.
	Keep func(name string, data []byte)
	// HostImage runs every node (images.Images.Host); RouterImage runs the
	// router (images.Images.Rosemu, or the host image in tests that run
	// no rosemu).
	HostImage   string
	RouterImage string
	// RoutersImage runs the spec's more routers (Spec.Routers): rosemu's
	// image whatever runs the router; empty means RouterImage.
	RoutersImage string
	// Router changes how the router runs; the zero value runs rosemu.
	Router RouterRun
	// MgmtSubnet is the router's management network, reachable from this
	// machine; the zero value picks the first /24 counting down from
	// 172.31.255.0/24 that neither this machine nor Docker uses.
	MgmtSubnet netip.Prefix
	// RunID names this run in container, network and label names; empty
	// means a random one.
	RunID string
	// Budget bounds the whole of Up (networks, containers, readiness);
	// zero means DefaultBudget.
	Budget time.Duration
	// Kept says the lab is to outlive this process (KEEP=1): it carries
	// no owner labels, so a later run does not take it for a leftover.
	Kept bool
	// Labels are added to every container and network of the lab: what a
	// later process needs to find the lab again (chrlab ls, inspect).
	Labels map[string]string
	// Wiring says how the lab networks are wired (netns.go); empty means
	// the environment's CHRLAB_WIRING, else WiringNetns.
	Wiring Wiring
}

// DefaultBudget is the time Up allows by default. Starting a container takes
// well under a second here and labagent and rosemu print their ready lines
// within milliseconds of starting; 30 s leaves room for a loaded CI machine
// starting six containers at once, and no more, so that a broken image fails
// soon.
const DefaultBudget = 30 * time.Second

// MemberBudget is what Up adds to the default budget for each member
// beyond the six DefaultBudget allows for: Docker creates and starts
// containers one after another, so a lab of 191 servers (chrlab check of an
// export with as many forwards) cannot start in 30 s on a small machine.
const MemberBudget = time.Second

// upBudget is the budget Up allows by default for a lab of this many
// members (router and nodes) whose router needs at least router.
func upBudget(members int, router time.Duration) time.Duration {
	b := max(DefaultBudget, router)
	if members > 6 {
		b += time.Duration(members-6) * MemberBudget
	}
	return b
}

// loadScale stretches a default budget on a machine that has more work
// than CPUs: containers start and print their ready lines that much later
// (chrlab check labs on a 2-core machine at a load of 28, beside other
// labs, ran out of 33 s starting the ISP's wire and the ISP router), up to
// four times the budget, so that a broken image still fails soon.
func loadScale(b time.Duration, load float64, cpus int) time.Duration {
	return loadavg.Scale(b, load, cpus)
}

// machineLoad is the one-minute load average, 0 when it cannot be read.
func machineLoad() float64 { return loadavg.Load() }

// RouterRun says how the router container runs. The zero value is rosemu:
// the arguments built from the spec, ready when it prints RosemuReadyLine
// and accepts TCP on the API port.
type RouterRun struct {
	Entrypoint []string // nil: the image's
	Cmd        []string // nil: RosemuArgs
	ReadyLine  string   // empty: RosemuReadyLine
	// APIPort is the TCP port on the management address that must accept a
	// connection before the router counts as ready: 0 means RouterAPIPort,
	// negative means no check (for routers that serve no API).
	APIPort int
	// Args builds Cmd from the spec and the management subnet (known only
	// once Up has created the networks) when Cmd is nil; nil means
	// RosemuArgs.
	Args func(spec *Spec, mgmt netip.Prefix) []string
	// APIAnswer makes readiness wait for an API reply, not only an open TCP
	// port: QEMU's user-mode port forward accepts connections before the
	// guest listens.
	APIAnswer bool
	// Caps replaces the router's capabilities; nil means those rosemu needs.
	Caps []string
	// Devices are host device nodes mapped into the router container
	// (/dev/kvm, /dev/net/tun).
	Devices []string
	// Sysctls replace the router container's sysctls; nil means the
	// forwarding set rosemu needs.
	Sysctls map[string]string
	// Budget, when larger than Options.Budget's default, is the least
	// budget Up allows a lab with this router (a guest that boots slowly).
	Budget time.Duration
	// Console is the file inside the router container that receives the
	// serial console of a QEMU router; Lab.RouterConsole reads it, and a
	// failed Up hands it to Options.Keep as router-console.txt.
	Console string
	// Binds are host paths mounted into the router container
	// ("host:container[:ro]"): the disk image of a QEMU router.
	Binds []string
	// MemoryMiB is the router container's memory limit; 0 means
	// RouterMemoryMiB (rosemu's).
	MemoryMiB int
	// LinkCmd is the command, run in the router container, that sets the
	// link of port n (1 for ether1) up or down inside a QEMU guest
	// (SetRouterLink); nil for rosemu, which sees its port's carrier.
	LinkCmd func(n int, up bool) []string
}

// Lab is a running lab.
type Lab struct {
	Spec  *Spec
	RunID string

	docker   *dockerClient
	progress io.Writer
	mgmt     netip.Prefix
	// wire maps each lab network to the Docker subnet it is wired on
	// (see wire.go).
	wire map[string]netip.Prefix
	// owner labels every object with this process (owner.go); nil for a
	// kept lab.
	owner map[string]string
	// extra are Options.Labels.
	extra map[string]string
	locks subnetLocks
	// wiring is the run's wiring; box its wire container (netns wiring)
	// and entrypoints the entrypoint of each image, which waitWired wraps.
	wiring      Wiring
	box         *wireBox
	entrypoints map[string][]string
	veths       map[string][]veth // by node: its lab interfaces (netns wiring)
	stopWatch   context.CancelFunc
	mu          sync.Mutex
	nodes       map[string]*member // by node name, router included
	// linkCmd is RouterRun.LinkCmd.
	linkCmd func(n int, up bool) []string
}

// member is one running container.
type member struct {
	containerID string
	container   string // the Docker container name

	smu      sync.Mutex
	session  *session // its command server, once started (session.go)
	noServer bool     // it has none: every command is a docker exec
}

// Up creates the lab's networks and starts its router and nodes in
// parallel, returning when every one is ready or the budget is spent. On
// any failure, including a cancelled ctx, it removes everything it created
// before returning the error.
// interrupted is a start that the caller cut short: its text names the
// cause (the signal), and it is context.Canceled as well as what the start
// was doing, since a cancel with a cause (signal.NotifyContext) reaches
// Docker's calls as the cause alone.
type interrupted struct {
	msg  string
	errs []error
}

func (e *interrupted) Error() string   { return e.msg }
func (e *interrupted) Unwrap() []error { return e.errs }

func Up(ctx context.Context, spec *Spec, opts Options) (lab *Lab, err error) {
	images.DisableReaper()
	if opts.RunID == "" {
		opts.RunID = newRunID()
	}
	if opts.Budget == 0 {
		opts.Budget = loadScale(upBudget(1+len(spec.Routers)+len(spec.Nodes), opts.Router.Budget), machineLoad(), runtime.NumCPU())
	}
	if opts.HostImage == "" || opts.RouterImage == "" {
		return nil, fmt.Errorf("bring up lab %s: want both a host image and a router image, got %q and %q (images.Ensure returns them)", spec.Name, opts.HostImage, opts.RouterImage)
	}
	wiring, err := wiring(opts.Wiring)
	if err != nil {
		return nil, err
	}
	if wiring == WiringDocker {
		if err := dockerMACs(spec); err != nil {
			return nil, err
		}
		// Only Docker's wiring puts lab frames on bridges of this
		// machine's namespace, where it would answer ARP for its own
		// addresses; the netns wiring keeps them in the wire container,
		// so an export's network may hold this machine's address (a
		// documentation range such as 192.0.2.0/24).
		if err := checkHostAddresses(spec); err != nil {
			return nil, err
		}
	}
	docker, err := newDockerClient(ctx)
	if err != nil {
		return nil, err
	}
	progress := opts.Progress
	if progress == nil {
		progress = io.Discard
	}
	l := &Lab{Spec: spec, RunID: opts.RunID, docker: docker, progress: syncio.NewWriter(progress), nodes: map[string]*member{}, wiring: wiring, linkCmd: opts.Router.LinkCmd}
	if !opts.Kept {
		l.owner = ownerLabels()
	}
	l.extra = opts.Labels
	// Runs that died without cleaning up (SIGKILL) left their containers
	// and networks; their subnets would be taken. Failing to remove them is
	// no reason not to try this run.
	if rerr := reapOrphans(ctx, docker, l.progress); rerr != nil {
		l.logf("%v", rerr)
	}
	defer func() {
		if err == nil {
			return
		}
		// The caller's ctx may be the reason we are here (Ctrl-C): removal
		// gets a context of its own so that it still runs.
		rctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), removeTimeout)
		defer cancel()
		if opts.Keep != nil {
			l.keepLogs(rctx, opts.Keep)
			if opts.Router.Console != "" {
				// Always kept, since the error names it: an empty console
				// is a finding too (nothing of the guest's own ran).
				con, cerr := l.RouterConsole(rctx)
				switch {
				case cerr != nil:
					con = fmt.Appendf(nil, "(the serial console could not be read: %v)\n", cerr)
				case len(con) == 0:
					con = []byte("(the guest printed nothing on its serial console: no boot loader or kernel of its own wrote to it)\n")
				}
				opts.Keep("router-console.txt", con)
			}
		}
		rerr := removeByLabel(rctx, docker, LabelRun+"="+l.RunID, l.progress)
		if rerr != nil {
			err = errors.Join(err, fmt.Errorf("clean up after the failed start: %w", rerr))
		}
		l.box.close()
		docker.Close()
		l.locks.release()
		if errors.Is(ctx.Err(), context.Canceled) {
			// The caller's ctx was cancelled (Ctrl-C: its cause is "interrupt
			// signal received"): that is why the start failed, whatever
			// step it cut short says (forum31: "no answer from the wire
			// container"), so the error leads with it. Not the budget's end,
			// which is upCtx's deadline and leaves ctx alone.
			removed := "the lab was removed"
			if rerr != nil {
				removed = "removing the lab failed"
			}
			err = &interrupted{msg: fmt.Sprintf("bring up lab %s (run %s): interrupted (%v), and %s; the start was at: %v", spec.Name, l.RunID, context.Cause(ctx), removed, err),
				errs: []error{ctx.Err(), err}}
			return
		}
		err = fmt.Errorf("bring up lab %s (run %s): %w", spec.Name, l.RunID, err)
	}()

	// Waiting for another lab is not part of the budget: it lasts as long
	// as that lab does, and the caller's ctx bounds it. Under netns wiring
	// labs share nothing but the management subnets, which are picked
	// free, so they do not wait for each other.
	if wiring == WiringDocker {
		if l.locks, err = lockSubnets(ctx, spec, l.logf); err != nil {
			return nil, err
		}
	}
	start := time.Now()

	// The budget covers everything from here: one deadline for the whole
	// lab, rather than one per container that would add up.
	upCtx, cancel := context.WithTimeout(ctx, opts.Budget)
	defer cancel()

	if wiring == WiringDocker {
		if err := ensureForwardRule(upCtx); err != nil {
			return nil, err
		}
	}
	nets, err := l.createNetworks(upCtx, opts)
	if err != nil {
		return nil, budgetError(upCtx, ctx, opts.Budget, err)
	}

	g, gctx := errgroup.WithContext(upCtx)
	if wiring == WiringNetns {
		l.box = &wireBox{ready: make(chan struct{})}
		l.entrypoints = map[string][]string{}
		for _, img := range opts.images(spec) {
			if _, ok := l.entrypoints[img]; ok {
				continue
			}
			if l.entrypoints[img], err = l.entrypointOf(upCtx, img); err != nil {
				return nil, err
			}
		}
		g.Go(func() error { return l.startWire(gctx, opts.HostImage) })
	}
	l.veths = map[string][]veth{}
	for _, c := range l.containers(opts, nets) {
		l.veths[c.node] = c.veths
		g.Go(func() error { return l.startMember(gctx, c, opts.Budget, start) })
	}
	if err := g.Wait(); err != nil {
		return nil, budgetError(upCtx, ctx, opts.Budget, err)
	}
	if wiring == WiringNetns {
		wctx, cancel := context.WithCancel(context.WithoutCancel(ctx))
		l.stopWatch = cancel
		go l.rewireOnRestart(wctx)
	}
	l.logf("lab %s up in %.1fs (run %s, router management %s)", spec.Name, time.Since(start).Seconds(), l.RunID, l.RouterMgmt())
	// The members' command servers start now, side by side and beside
	// what the caller does next, rather than one by one on each member's
	// first command; started while members were still starting, they
	// slowed the start as much as they saved later.
	l.mu.Lock()
	for name := range l.nodes {
		go l.warmSession(name)
	}
	l.mu.Unlock()
	return l, nil
}

// budgetError says so when an error came from spending the budget rather
// than from the caller's ctx or a failing container.
func budgetError(upCtx, callerCtx context.Context, budget time.Duration, err error) error {
	if callerCtx.Err() == nil && errors.Is(upCtx.Err(), context.DeadlineExceeded) {
		return fmt.Errorf("not ready within the budget of %s: %w", budget, err)
	}
	return err
}

// removeTimeout bounds the removal of a lab: force-removing a container
// takes a fraction of a second, so this only matters when the engine hangs.
const removeTimeout = 60 * time.Second

// Down removes every container and network of the lab.
func (l *Lab) Down(ctx context.Context) error {
	start := time.Now()
	defer l.docker.Close()
	defer l.box.close()
	if l.stopWatch != nil {
		l.stopWatch()
	}
	l.closeSessions()
	if err := removeByLabel(ctx, l.docker, LabelRun+"="+l.RunID, l.progress); err != nil {
		// The locks stay held: the subnets may still be in use.
		return fmt.Errorf("tear down lab %s (run %s): %w", l.Spec.Name, l.RunID, err)
	}
	l.locks.release()
	l.logf("lab %s down in %.1fs", l.Spec.Name, time.Since(start).Seconds())
	return nil
}

// DownAll removes every container and network labelled chrlab, whatever
// run made it, and the host firewall rule Up installs: `make down`.
func DownAll(ctx context.Context) error {
	images.DisableReaper()
	docker, err := newDockerClient(ctx)
	if err != nil {
		return err
	}
	defer docker.Close()
	err = removeByLabel(ctx, docker, LabelKey, io.Discard)
	return errors.Join(err, removeForwardRule(ctx))
}

// RouterMgmt returns the router's address on the management network, where
// this machine reaches its API and SSH.
func (l *Lab) RouterMgmt() netip.Addr { return mgmtRouterAddr(l.mgmt) }

// ContainerID returns the Docker container ID of a node or the router.
func (l *Lab) ContainerID(node string) (string, bool) {
	m, ok := l.member(node)
	if !ok {
		return "", false
	}
	return m.containerID, true
}

// ContainerName returns the Docker container name of a node or the router,
// for `docker exec` hints; empty for an unknown node.
func (l *Lab) ContainerName(node string) string {
	m, ok := l.member(node)
	if !ok {
		return ""
	}
	return m.container
}

// ExecHint returns the command a person types to get a shell in a node.
func (l *Lab) ExecHint(node string) string {
	m, ok := l.member(node)
	if !ok {
		return ""
	}
	return "docker exec -it " + m.container + " bash"
}

// Members returns the names of the router and nodes, sorted.
func (l *Lab) Members() []string {
	l.mu.Lock()
	defer l.mu.Unlock()
	var out []string
	for n := range l.nodes {
		out = append(out, n)
	}
	sort.Strings(out)
	return out
}

func (l *Lab) member(name string) (*member, bool) {
	l.mu.Lock()
	defer l.mu.Unlock()
	m, ok := l.nodes[name]
	return m, ok
}

func (l *Lab) logf(format string, args ...any) {
	fmt.Fprintf(l.progress, "lab: "+format+"\n", args...)
}

// newRunID returns six random hex digits: short enough for bridge names
// (15 bytes at most) and for a person to type.
func newRunID() string {
	var b [3]byte
	_, _ = rand.Read(b[:])
	return hex.EncodeToString(b[:])
}

// RosemuArgs returns the rosemu command line for spec's router: its ports
// in order as ether1, ether2, ... by subnet, and its management subnet.
func RosemuArgs(spec *Spec, mgmt netip.Prefix) []string {
	args := []string{"--identity", spec.Router.Name}
	for i, p := range spec.Router.Ports {
		nw, _ := spec.Network(p.Network)
		args = append(args, "--port", fmt.Sprintf("ether%d=%s", i+1, nw.Subnet))
	}
	args = append(args, "--mgmt", mgmt.String(), "--api", fmt.Sprintf(":%d", RouterAPIPort), "--ssh", ":22")
	return append(args, spec.Router.Emulator...)
}

// AgentArgs returns the labagent command line for a node.
func AgentArgs(n Node) []string {
	args := []string{"node", "--name", n.Name}
	if n.Gateway.IsValid() {
		args = append(args, "--gateway", n.Gateway.String())
	}
	if n.Gateway6.IsValid() {
		args = append(args, "--gateway6", n.Gateway6.String())
	}
	if len(n.Serve) > 0 {
		args = append(args, "--serve", strings.Join(n.Serve, ","))
	}
	return append(args, n.Args...)
}

// dockerMACs refuses a host interface with a mac under the Docker wiring:
// Docker picks each endpoint's MAC (setting one at connect needs a newer
// engine API than the 1.41 chrlab speaks), and the lab finds an interface
// by the MAC Docker reports (macOn), so a MAC the host set itself would
// lose it. The netns wiring, the default, gives the veth the lab file's.
func dockerMACs(spec *Spec) error {
	for _, n := range spec.Nodes {
		for _, in := range n.Interfaces {
			if in.MAC != "" {
				return fmt.Errorf("node %s: mac %s on %s: the Docker wiring (%s=%s) cannot give a host the MAC its lab file names; run it with the default wiring (%s)", n.Name, in.MAC, in.Network, WiringEnv, WiringDocker, WiringNetns)
			}
		}
	}
	return nil
}
