package ipsec

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"

	"github.com/vishvananda/netlink"

	"github.com/chrlab/chrlab/rosemu/config"
	"github.com/chrlab/chrlab/rosemu/guard"
	"github.com/chrlab/chrlab/rosemu/kernel"
	"github.com/chrlab/chrlab/rosemu/service/internal/doorbell"
	"github.com/chrlab/chrlab/rosemu/service/internal/proclog"
	"github.com/chrlab/chrlab/rosemu/tundev"
)

// Charon and Swanctl are Debian's programs (strongswan-charon,
// strongswan-swanctl; kernel-libipsec comes with libcharon-extra-plugins).
const (
	Charon     = "/usr/lib/ipsec/charon"
	SwanctlBin = "swanctl"
)

// Engine is the part of the router the service drives; *config.Router
// implements it.
type Engine interface {
	IPsecPeers() []config.IPsecPeer
	SetIPsecState(config.IPsecState) error
}

// Service runs one charon for the router's peers while it has any it can
// run, and starts it anew with their new configuration when they change.
// Hand it to config.Options.IPsec, then call Run with the router.
type Service struct {
	Log *slog.Logger
	// Poll is how often the SAs are read; 0 is a second.
	Poll time.Duration

	want  doorbell.Latest[[]config.IPsecPeer]
	start func(*exec.Cmd) error
	// charon is the daemon's path (Charon; tests: one that is missing).
	charon string
	// inNS runs f in the router's namespace (tests: another namespace).
	inNS func(f func() error) error

	mu   sync.Mutex
	last string // the swanctl.conf charon runs
}

// New returns a service for this process's network namespace.
func New(log *slog.Logger) *Service {
	return &Service{Log: log, start: (*exec.Cmd).Start, charon: Charon, inNS: func(f func() error) error { return f() }}
}

// Update implements config.IPsecService without blocking.
func (s *Service) Update(peers []config.IPsecPeer) {
	s.want.Set(append([]config.IPsecPeer(nil), peers...))
}

// Run runs charon as the peers change until ctx ends.
func (s *Service) Run(ctx context.Context, e Engine) error {
	if s.Log == nil {
		s.Log = slog.New(slog.DiscardHandler)
	}
	if s.Poll == 0 {
		s.Poll = time.Second
	}
	s.want.Seed(e.IPsecPeers())
	var cur *charon
	defer func() {
		if cur != nil {
			cur.end()
		}
	}()
	tick := time.NewTicker(s.Poll)
	defer tick.Stop()
	for {
		select {
		case <-ctx.Done():
			return nil
		case <-s.want.C():
			peers := s.want.Get()
			conf, problems := Swanctl(peers)
			for _, p := range problems {
				s.Log.Warn("ipsec: not run", "what", p.What, "why", p.Why)
			}
			if cur != nil && conf == cur.conf {
				continue
			}
			if cur != nil {
				cur.end()
				cur = nil
				_ = e.SetIPsecState(config.IPsecState{})
			}
			if !hasConn(conf) {
				continue
			}
			_ = guard.Do(s.Log, "IPsec", func() error {
				c, err := s.launch(ctx, conf)
				if err != nil {
					s.Log.Warn("ipsec: charon", "err", err)
					return nil
				}
				cur = c
				return nil
			})
		case <-tick.C:
			if cur == nil {
				continue
			}
			select {
			case err := <-cur.exited:
				s.Log.Warn("ipsec: charon exited", "err", err, "last", cur.tail())
				cur.end()
				cur = nil
				_ = e.SetIPsecState(config.IPsecState{})
				// The next change starts it again.
				continue
			default:
			}
			st, err := s.status(cur)
			if err != nil {
				s.Log.Debug("ipsec: status", "err", err)
				continue
			}
			if err := e.SetIPsecState(st); err != nil {
				s.Log.Warn("ipsec: state", "err", err)
			}
		}
	}
}

// hasConn says whether conf has a connection to run.
func hasConn(conf string) bool { return strings.Contains(conf, "\n  peer-") }

// charon is one running charon.
type charon struct {
	conf   string
	dir    string
	stop   context.CancelFunc
	exited chan error
	tail   func() string
}

func (c *charon) vici() string { return filepath.Join(c.dir, "charon.vici") }

func (c *charon) end() {
	c.stop()
	select {
	case err := <-c.exited:
		c.exited <- err
	case <-time.After(5 * time.Second):
	}
	os.RemoveAll(c.dir)
}

// launch starts charon with conf and loads it. charon writes its pid to
// a fixed /var/run/charon.pid and refuses to start beside another: it
// runs in a mount namespace of its own with a tmpfs on /run, so that
// routers sharing a file system (tests) each have one.
func (s *Service) launch(ctx context.Context, conf string) (c *charon, err error) {
	// Said first and in these words: a machine without them logged only
	// that unshare was missing (ipsec73, the vm guest before ipsec74).
	for _, bin := range []string{s.charon, "unshare"} {
		if _, err := exec.LookPath(bin); err != nil {
			return nil, fmt.Errorf("%s is not installed on this machine (rosemu's IPsec needs strongSwan's charon and unshare, docs/ipsec.md): no IKE, and every policy stays without an SA", bin)
		}
	}
	if err := tundev.EnsureNode(); err != nil {
		return nil, err
	}
	dir, err := os.MkdirTemp("", "rosemu-ipsec-")
	if err != nil {
		return nil, err
	}
	defer func() {
		if err != nil {
			os.RemoveAll(dir)
		}
	}()
	c = &charon{conf: conf, dir: dir, exited: make(chan error, 1)}
	if err := os.WriteFile(filepath.Join(dir, "strongswan.conf"), []byte(StrongswanConf(c.vici())), 0o600); err != nil {
		return nil, err
	}
	if err := os.WriteFile(filepath.Join(dir, "swanctl.conf"), []byte(conf), 0o600); err != nil {
		return nil, err
	}
	run, _ := filepath.EvalSymlinks("/var/run")
	if run == "" {
		run = "/run"
	}
	pctx, stop := context.WithCancel(ctx)
	cmd := exec.CommandContext(pctx, "unshare", "--mount", "--propagation", "private", "sh", "-c",
		`mount -t tmpfs tmpfs "$1" && exec "$2"`, "charon", run, s.charon)
	cmd.Env = append(os.Environ(), "STRONGSWAN_CONF="+filepath.Join(dir, "strongswan.conf"))
	cmd.Cancel = func() error { return cmd.Process.Signal(syscall.SIGTERM) }
	cmd.WaitDelay = 3 * time.Second
	tail, err := proclog.Start(s.start, cmd, s.Log, "charon", 6)
	if err != nil {
		stop()
		return nil, err
	}
	c.stop, c.tail = stop, tail
	go func() { c.exited <- cmd.Wait() }()
	// charon opens the vici socket once its plugins are loaded.
	deadline := time.Now().Add(10 * time.Second)
	for {
		if _, err := os.Stat(c.vici()); err == nil {
			break
		}
		select {
		case err := <-c.exited:
			c.exited <- err
			stop()
			return nil, fmt.Errorf("charon exited: %v: %s", err, tail())
		case <-time.After(50 * time.Millisecond):
		}
		if time.Now().After(deadline) {
			c.end()
			return nil, fmt.Errorf("charon opened no vici socket: %s", tail())
		}
	}
	out, err := s.swanctl(ctx, c, "--load-all", "--file", filepath.Join(dir, "swanctl.conf"))
	if err != nil {
		c.end()
		return nil, fmt.Errorf("swanctl --load-all: %v: %s", err, out)
	}
	s.Log.Info("ipsec: charon runs", "dir", dir)
	return c, nil
}

func (s *Service) swanctl(ctx context.Context, c *charon, args ...string) (string, error) {
	cctx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	cmd := exec.CommandContext(cctx, SwanctlBin, append(args, "--uri", "unix://"+c.vici())...)
	var b strings.Builder
	cmd.Stdout, cmd.Stderr = &b, &b
	if err := s.start(cmd); err != nil {
		return "", err
	}
	err := cmd.Wait()
	return b.String(), err
}

// status reads the SAs and removes the rule charon gave its routes'
// table (StrongswanConf).
func (s *Service) status(c *charon) (config.IPsecState, error) {
	if err := s.inNS(routeRule); err != nil {
		s.Log.Debug("ipsec: routing rule", "err", err)
	}
	out, err := s.swanctl(context.Background(), c, "--list-sas", "--raw")
	if err != nil {
		return config.IPsecState{}, fmt.Errorf("swanctl --list-sas: %v: %s", err, out)
	}
	st := parseSAs(out)
	st.Tun = kernel.IPsecTun
	return st, nil
}

// routeRule deletes the rules that look up table 220, where
// kernel-libipsec puts a route into its TUN per SA.
func routeRule() error {
	rules, err := netlink.RuleList(netlink.FAMILY_V4)
	if err != nil {
		return err
	}
	var errs []error
	for _, r := range rules {
		if r.Table == 220 {
			r := r
			errs = append(errs, netlink.RuleDel(&r))
		}
	}
	return errors.Join(errs...)
}

// parseSAs reads swanctl --list-sas --raw: one "list-sa event {...}" line
// per IKE SA, whose child-sas hold the ESP SAs.
func parseSAs(out string) config.IPsecState {
	var st config.IPsecState
	for _, l := range strings.Split(out, "\n") {
		body, ok := strings.CutPrefix(strings.TrimSpace(l), "list-sa event ")
		if !ok {
			continue
		}
		top := parseVici(body)
		for conn, v := range top {
			ike, ok := v.(map[string]any)
			if !ok {
				continue
			}
			peer, ok := peerOf(conn)
			if !ok {
				continue
			}
			str := func(m map[string]any, k string) string { s, _ := m[k].(string); return s }
			side := "responder"
			if str(ike, "initiator") == "yes" {
				side = "initiator"
			}
			ap := config.IPsecActivePeer{ID: peer, RemoteAddress: str(ike, "remote-host"), LocalAddress: str(ike, "local-host"),
				State: strings.ToLower(str(ike, "state")), Side: side}
			if n, err := strconv.Atoi(str(ike, "established")); err == nil {
				ap.Uptime = (time.Duration(n) * time.Second).String()
			}
			children, _ := ike["child-sas"].(map[string]any)
			for _, cv := range children {
				ch, ok := cv.(map[string]any)
				if !ok {
					continue
				}
				pol, ok := policyOf(str(ch, "name"))
				if !ok || str(ch, "state") != "INSTALLED" {
					continue
				}
				ap.PH2Total++
				st.Up = append(st.Up, pol)
				enc := strings.ToLower(str(ch, "encr-alg"))
				if k := str(ch, "encr-keysize"); k != "" {
					enc += "-" + k
				}
				integ := strings.ToLower(str(ch, "integ-alg"))
				local, remote := str(ike, "local-host"), str(ike, "remote-host")
				st.SAs = append(st.SAs,
					config.IPsecInstalledSA{SPI: str(ch, "spi-out"), SrcAddress: local, DstAddress: remote, State: "mature", EncAlgorithm: enc,
						AuthAlgorithm: integ, CurrentBytes: str(ch, "bytes-out"), CurrentPackets: str(ch, "packets-out")},
					config.IPsecInstalledSA{SPI: str(ch, "spi-in"), SrcAddress: remote, DstAddress: local, State: "mature", EncAlgorithm: enc,
						AuthAlgorithm: integ, CurrentBytes: str(ch, "bytes-in"), CurrentPackets: str(ch, "packets-in")})
			}
			st.Peers = append(st.Peers, ap)
		}
	}
	return st
}

// parseVici reads swanctl's raw form of a message: "k=v", "k {...}"
// sections and "k=[a b]" lists, separated by spaces.
func parseVici(s string) map[string]any {
	toks := tokenize(s)
	i := 0
	var section func() map[string]any
	section = func() map[string]any {
		m := map[string]any{}
		for i < len(toks) {
			t := toks[i]
			i++
			switch {
			case t == "}":
				return m
			case t == "{":
				return section() // the outer braces
			case i < len(toks) && toks[i] == "{":
				i++
				m[t] = section()
			default:
				k, v, _ := strings.Cut(t, "=")
				m[k] = v
			}
		}
		return m
	}
	return section()
}

func tokenize(s string) []string {
	var out []string
	var cur strings.Builder
	depth := 0 // inside [ ]
	flush := func() {
		if cur.Len() > 0 {
			out = append(out, cur.String())
			cur.Reset()
		}
	}
	for _, r := range s {
		switch {
		case r == '[':
			depth++
			cur.WriteRune(r)
		case r == ']':
			depth--
			cur.WriteRune(r)
		case depth == 0 && (r == '{' || r == '}'):
			flush()
			out = append(out, string(r))
		case depth == 0 && r == ' ':
			flush()
		default:
			cur.WriteRune(r)
		}
	}
	flush()
	return out
}
