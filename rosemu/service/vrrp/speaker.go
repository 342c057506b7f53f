package vrrp

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/netip"
	"syscall"
	"time"

	"github.com/mdlayher/packet"
	"golang.org/x/net/ipv4"
	"golang.org/x/sys/unix"

	"github.com/chrlab/chrlab/internal/ctxwait"
	"github.com/chrlab/chrlab/rosemu/config"
)

// received is an advertisement as it arrived.
type received struct {
	Advert
	src netip.Addr
}

// conn is a speaker's socket: VRRP (IP protocol 112) on the parent link
// alone, in the multicast group, sending with TTL 255 as RFC 5798 5.1.1.3
// asks and receivers check.
type conn struct {
	pc  *ipv4.PacketConn
	ifi *net.Interface
}

func (s *speaker) open(cfg config.VRRP) (*conn, error) {
	var c *conn
	err := s.m.inNetns(func() error {
		ifi, err := net.InterfaceByName(cfg.Parent)
		if err != nil {
			return err
		}
		lc := net.ListenConfig{Control: func(_, _ string, rc syscall.RawConn) error {
			var serr error
			if err := rc.Control(func(fd uintptr) {
				serr = unix.SetsockoptString(int(fd), unix.SOL_SOCKET, unix.SO_BINDTODEVICE, cfg.Parent)
			}); err != nil {
				return err
			}
			return serr
		}}
		raw, err := lc.ListenPacket(context.Background(), "ip4:112", "0.0.0.0")
		if err != nil {
			return err
		}
		pc := ipv4.NewPacketConn(raw)
		for _, f := range []func() error{
			func() error { return pc.JoinGroup(ifi, &net.IPAddr{IP: Group.AsSlice()}) },
			func() error { return pc.SetMulticastInterface(ifi) },
			func() error { return pc.SetMulticastTTL(255) },
			func() error { return pc.SetTTL(255) },
			func() error { return pc.SetMulticastLoopback(false) },
			func() error { return pc.SetControlMessage(ipv4.FlagTTL|ipv4.FlagDst, true) },
		} {
			if err := f(); err != nil {
				pc.Close()
				return err
			}
		}
		c = &conn{pc: pc, ifi: ifi}
		return nil
	})
	return c, err
}

// readLoop hands every advertisement with TTL 255 to out until the socket
// closes.
func (c *conn) readLoop(ctx context.Context, asV2 func() bool, out chan<- received) {
	buf := make([]byte, 1500)
	for {
		n, cm, src, err := c.pc.ReadFrom(buf)
		if err != nil {
			return
		}
		ip, ok := src.(*net.IPAddr)
		if !ok || cm == nil || cm.TTL != 255 {
			continue // RFC 5798 7.1: not from the link itself
		}
		from, _ := netip.AddrFromSlice(ip.IP.To4())
		dst, _ := netip.AddrFromSlice(cm.Dst.To4())
		a, err := ParseAdvert(buf[:n], from, dst, asV2())
		if err != nil {
			continue
		}
		select {
		case out <- received{a, from}:
		case <-ctx.Done():
			return
		}
	}
}

// ownAddrs are the parent link's IPv4 addresses; the first, its primary
// address, is the source of the advertisements (RFC 5798 5.1.1.1) and
// breaks a tie of priorities.
func (s *speaker) ownAddrs(c *conn) (own []netip.Addr) {
	_ = s.m.inNetns(func() error {
		addrs, err := c.ifi.Addrs()
		if err != nil {
			return err
		}
		for _, a := range addrs {
			if n, ok := a.(*net.IPNet); ok {
				if ip, ok := netip.AddrFromSlice(n.IP.To4()); ok && n.IP.To4() != nil {
					own = append(own, ip)
				}
			}
		}
		return nil
	})
	return own
}

func (s *speaker) send(c *conn, cfg config.VRRP, priority int) error {
	own := s.ownAddrs(c)
	src := netip.IPv4Unspecified()
	if len(own) > 0 {
		src = own[0]
	}
	dst := Group
	if cfg.Remote.IsValid() {
		dst = cfg.Remote
	}
	a := Advert{Version: cfg.Version, VRID: cfg.VRID, Priority: priority, Interval: cfg.Interval, Addresses: cfg.Addresses, Password: cfg.Password}
	cm := &ipv4.ControlMessage{IfIndex: c.ifi.Index}
	if src.IsValid() && !src.IsUnspecified() {
		cm.Src = src.AsSlice()
	}
	_, err := c.pc.WriteTo(a.Marshal(src, dst, cfg.ChecksumAsV2), cm, &net.IPAddr{IP: dst.AsSlice()})
	return err
}

// masterDown is RFC 5798's Master_Down_Interval: three of the master's
// intervals and the skew, which lets the backup of highest priority
// take over first.
func masterDown(priority int, masterAdver time.Duration) time.Duration {
	return 3*masterAdver + skew(priority, masterAdver)
}

func skew(priority int, masterAdver time.Duration) time.Duration {
	return time.Duration(256-priority) * masterAdver / 256
}

func (s *speaker) run(ctx context.Context) {
	cfg := s.config()
	log := s.m.Log.With("vrrp", cfg.Name, "vrid", cfg.VRID)
	var c *conn
	for {
		var err error
		if c, err = s.open(cfg); err == nil {
			break
		}
		log.Warn("open VRRP socket", "interface", cfg.Parent, "error", err)
		if !ctxwait.Sleep(ctx, time.Second) {
			return
		}
	}
	rctx, stopRead := context.WithCancel(ctx)
	defer func() {
		stopRead()
		c.pc.Close()
	}()
	if cfg.Follows != "" {
		s.follow(ctx, c, log)
		return
	}
	adverts := make(chan received, 16)
	go c.readLoop(rctx, func() bool { return s.config().ChecksumAsV2 }, adverts)
	if err := s.e.SetVRRPState(cfg.ID, false); err != nil {
		log.Warn("set state", "error", err)
	}
	master := false
	masterAdver := cfg.Interval
	down := time.NewTimer(masterDown(cfg.Priority, masterAdver))
	defer down.Stop()
	adv := time.NewTimer(time.Hour)
	adv.Stop()
	defer adv.Stop()
	setState := func(m bool) {
		master = m
		if err := s.e.SetVRRPState(cfg.ID, m); err != nil {
			log.Warn("set state", "master", m, "error", err)
		}
		s.entered(ctx, cfg, m, log)
	}
	for {
		select {
		case <-ctx.Done():
			if master {
				// Priority 0: the backups take over after their skew
				// time rather than three intervals (RFC 5798 6.4.3).
				_ = s.send(c, cfg, 0)
			}
			return
		case <-s.changed:
			if n := s.config(); n.Priority != cfg.Priority || n.Interval != cfg.Interval || n.Preempt != cfg.Preempt {
				log.Info("changed", "priority", n.Priority, "interval", n.Interval, "preempt", n.Preempt)
			}
			cfg = s.config()
			if master {
				adv.Reset(cfg.Interval)
			}
		case <-down.C:
			if master {
				continue
			}
			if err := s.send(c, cfg, cfg.Priority); err != nil {
				log.Warn("send advertisement", "error", err)
			}
			adv.Reset(cfg.Interval)
			setState(true)
		case <-adv.C:
			if !master {
				continue
			}
			if err := s.send(c, cfg, cfg.Priority); err != nil {
				log.Warn("send advertisement", "error", err)
			}
			adv.Reset(cfg.Interval)
		case r := <-adverts:
			if r.VRID != cfg.VRID || r.Version != cfg.Version || r.Password != cfg.Password || ownAddr(s.ownAddrs(c), r.src) {
				continue
			}
			if !master {
				switch {
				case r.Priority == 0:
					down.Reset(skew(cfg.Priority, masterAdver))
				case !cfg.Preempt || r.Priority >= cfg.Priority:
					if cfg.Version == 3 && r.Interval > 0 {
						masterAdver = r.Interval
					}
					down.Reset(masterDown(cfg.Priority, masterAdver))
				}
				continue
			}
			own := s.ownAddrs(c)
			switch {
			case r.Priority == 0:
				_ = s.send(c, cfg, cfg.Priority)
				adv.Reset(cfg.Interval)
			case r.Priority > cfg.Priority || (r.Priority == cfg.Priority && len(own) > 0 && r.src.Compare(own[0]) > 0):
				adv.Stop()
				if cfg.Version == 3 && r.Interval > 0 {
					masterAdver = r.Interval
				}
				down.Reset(masterDown(cfg.Priority, masterAdver))
				setState(false)
			}
		}
	}
}

// follow runs a member of a group: it holds no election, takes the state
// the engine gives it (its authority's), advertises while master so that
// the other routers hear it, and runs its scripts on a change.
func (s *speaker) follow(ctx context.Context, c *conn, log *slog.Logger) {
	cfg := s.config()
	master := false
	adv := time.NewTimer(time.Hour)
	adv.Stop()
	defer adv.Stop()
	apply := func() {
		if cfg.Master == master {
			return
		}
		master = cfg.Master
		if master {
			_ = s.send(c, cfg, cfg.Priority)
			adv.Reset(cfg.Interval)
		} else {
			adv.Stop()
		}
		s.entered(ctx, cfg, master, log.With("group-authority", cfg.Follows))
	}
	apply()
	for {
		select {
		case <-ctx.Done():
			if master {
				_ = s.send(c, cfg, 0)
			}
			return
		case <-s.changed:
			cfg = s.config()
			apply()
		case <-adv.C:
			if master {
				if err := s.send(c, cfg, cfg.Priority); err != nil {
					log.Warn("send advertisement", "error", err)
				}
				adv.Reset(cfg.Interval)
			}
		}
	}
}

// entered follows a change of state: a new master announces its
// addresses (gratuitous ARP); the change is logged and the entry's
// on-master or on-backup script runs.
func (s *speaker) entered(ctx context.Context, cfg config.VRRP, master bool, log *slog.Logger) {
	script, state := cfg.OnBackup, "backup"
	if master {
		script, state = cfg.OnMaster, "master"
		s.announce(cfg, log)
	}
	log.Info("state", "state", state)
	if script != "" {
		if err := s.e.RunVRRPScript(ctx, cfg.Name, script); err != nil {
			log.Warn("script", "on", state, "error", err)
		}
	}
}

func ownAddr(own []netip.Addr, a netip.Addr) bool {
	for _, o := range own {
		if o == a {
			return true
		}
	}
	return false
}

// announce sends a gratuitous ARP request for each virtual address from
// the virtual router's MAC on its link (RFC 5798 6.4.1), so that the
// switches learn where the MAC is now.
func (s *speaker) announce(cfg config.VRRP, log *slog.Logger) {
	err := s.m.inNetns(func() error {
		ifi, err := net.InterfaceByName(cfg.Link)
		if err != nil {
			return err
		}
		pc, err := packet.Listen(ifi, packet.Raw, unix.ETH_P_ARP, nil)
		if err != nil {
			return err
		}
		defer pc.Close()
		var errs []error
		for _, a := range cfg.Addresses {
			if _, err := pc.WriteTo(garp(ifi.HardwareAddr, a), &packet.Addr{HardwareAddr: broadcast}); err != nil {
				errs = append(errs, fmt.Errorf("%s: %w", a, err))
			}
		}
		return errors.Join(errs...)
	})
	if err != nil {
		log.Warn("gratuitous ARP", "error", err)
	}
}

var broadcast = net.HardwareAddr{0xff, 0xff, 0xff, 0xff, 0xff, 0xff}

// garp is an Ethernet frame with an ARP request for a from mac.
func garp(mac net.HardwareAddr, a netip.Addr) []byte {
	f := make([]byte, 0, 42)
	f = append(f, broadcast...)
	f = append(f, mac...)
	f = append(f, 0x08, 0x06)                         // ARP
	f = append(f, 0x00, 0x01, 0x08, 0x00, 6, 4, 0, 1) // Ethernet, IPv4, request
	ip := a.As4()
	f = append(f, mac...)
	f = append(f, ip[:]...)
	f = append(f, 0, 0, 0, 0, 0, 0)
	f = append(f, ip[:]...)
	return f
}
