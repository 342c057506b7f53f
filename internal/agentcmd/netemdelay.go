package agentcmd

// The delay fallback of netem for kernels without sch_netem. The link's outgoing IPv4 packets are
// sent to an NFQUEUE queue by an iptables rule (the xt NFQUEUE target: kernels without nft_queue
// still have it through nft_compat), and a detached labagent process, "labagent netem-delay",
// holds each one for the delay before it lets it go on. That process reads the queue over
// nfnetlink itself: the protocol is a few fixed structures, and no nfqueue library is served to
// this project.

import (
	"bufio"
	"context"
	"encoding/binary"
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"os"
	"os/exec"
	"os/signal"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"

	"github.com/mdlayher/netlink"
	"golang.org/x/sys/unix"
)

// nfnetlink_queue's message types, attributes and values (linux/netfilter/nfnetlink_queue.h).
const (
	nfnlSubsysQueue = 3

	nfqnlMsgPacket       = 0
	nfqnlMsgConfig       = 2
	nfqnlMsgVerdictBatch = 3

	nfqaPacketHdr  = 1
	nfqaVerdictHdr = 2

	nfqaCfgCmd      = 1
	nfqaCfgParams   = 2
	nfqaCfgQueueMax = 3
	nfqaCfgMask     = 4
	nfqaCfgFlags    = 5

	nfqnlCfgCmdBind = 1
	nfqnlCopyMeta   = 1
	// nfqaCfgFGSO lets the kernel queue a GSO packet whole instead of cutting it into segments
	// first: the delayer never looks at the payload, and a whole burst then costs fewer entries.
	nfqaCfgFGSO = 1 << 2

	nfAccept = 1
)

// delayQueueLen is the queue's length in packets (the kernel's default is 1024). netem's own
// default limit is 1000; the fallback allows more because a queued GSO packet or a fast TCP flow
// over tens of milliseconds fills 1024 entries quickly, and a full queue drops.
const delayQueueLen = 16384

// delayStateDir holds one pid file per interface whose packets a delayer holds.
const delayStateDir = "/run/labagent"

// delayLine is the queue as user space sees it: packet ids in arrival order, each with the time
// it is due. The delay is the same for every packet, so due times never go back and releasing
// from the head keeps the order the packets came in.
type delayLine struct {
	delay time.Duration
	ids   []uint32
	due   []time.Time
}

// add records packet id, seen at now.
func (d *delayLine) add(id uint32, now time.Time) {
	d.ids = append(d.ids, id)
	d.due = append(d.due, now.Add(d.delay))
}

// release removes every packet due at now and returns the last one's id and how many there were.
// One ACCEPT verdict for that id lets them all go (a batch verdict covers every id up to it).
func (d *delayLine) release(now time.Time) (last uint32, n int) {
	for n < len(d.ids) && !d.due[n].After(now) {
		n++
	}
	if n == 0 {
		return 0, 0
	}
	last = d.ids[n-1]
	d.ids, d.due = d.ids[n:], d.due[n:]
	return last, n
}

// next says when the first held packet is due; ok is false when none is held.
func (d *delayLine) next() (at time.Time, ok bool) {
	if len(d.ids) == 0 {
		return time.Time{}, false
	}
	return d.due[0], true
}

// pending is the number of held packets.
func (d *delayLine) pending() int { return len(d.ids) }

// lastID is the newest held packet, for letting everything go at once.
func (d *delayLine) lastID() (uint32, bool) {
	if len(d.ids) == 0 {
		return 0, false
	}
	return d.ids[len(d.ids)-1], true
}

// nfqMsg builds one nfnetlink_queue message for queue: the nfgenmsg header (family, version 0,
// queue number in network order) and then attrs.
func nfqMsg(kind uint8, queue uint16, flags netlink.HeaderFlags, attrs func(*netlink.AttributeEncoder)) (netlink.Message, error) {
	ae := netlink.NewAttributeEncoder()
	attrs(ae)
	b, err := ae.Encode()
	if err != nil {
		return netlink.Message{}, err
	}
	hdr := []byte{unix.AF_UNSPEC, 0, 0, 0}
	binary.BigEndian.PutUint16(hdr[2:], queue)
	return netlink.Message{
		Header: netlink.Header{Type: netlink.HeaderType(nfnlSubsysQueue<<8 | uint16(kind)), Flags: flags},
		Data:   append(hdr, b...),
	}, nil
}

// nfqConfigMsg binds queue and sets it up: metadata only (no payload is copied to user space),
// delayQueueLen entries, GSO packets whole.
func nfqConfigMsg(queue uint16) (netlink.Message, error) {
	return nfqMsg(nfqnlMsgConfig, queue, netlink.Request|netlink.Acknowledge, func(ae *netlink.AttributeEncoder) {
		// struct nfqnl_msg_config_cmd: command, pad, protocol family (ignored since Linux 3.8).
		ae.Bytes(nfqaCfgCmd, []byte{nfqnlCfgCmdBind, 0, 0, unix.AF_INET})
		// struct nfqnl_msg_config_params: copy range (be32), copy mode; packed, 5 bytes.
		params := make([]byte, 5)
		binary.BigEndian.PutUint32(params, 0)
		params[4] = nfqnlCopyMeta
		ae.Bytes(nfqaCfgParams, params)
		ae.Bytes(nfqaCfgQueueMax, be32(delayQueueLen))
		ae.Bytes(nfqaCfgFlags, be32(nfqaCfgFGSO))
		ae.Bytes(nfqaCfgMask, be32(nfqaCfgFGSO))
	})
}

// nfqAcceptUpTo is the batch verdict letting every queued packet with an id up to id go on.
func nfqAcceptUpTo(queue uint16, id uint32) (netlink.Message, error) {
	return nfqMsg(nfqnlMsgVerdictBatch, queue, netlink.Request, func(ae *netlink.AttributeEncoder) {
		// struct nfqnl_msg_verdict_hdr: verdict, id; both be32.
		v := make([]byte, 8)
		binary.BigEndian.PutUint32(v, nfAccept)
		binary.BigEndian.PutUint32(v[4:], id)
		ae.Bytes(nfqaVerdictHdr, v)
	})
}

// nfqPacketID returns the id of a queued packet's message; ok is false for any other message.
func nfqPacketID(m netlink.Message) (id uint32, ok bool) {
	if m.Header.Type != netlink.HeaderType(nfnlSubsysQueue<<8|nfqnlMsgPacket) || len(m.Data) < 4 {
		return 0, false
	}
	ad, err := netlink.NewAttributeDecoder(m.Data[4:])
	if err != nil {
		return 0, false
	}
	for ad.Next() {
		// struct nfqnl_msg_packet_hdr: packet id (be32), hardware protocol, hook.
		if ad.Type() == nfqaPacketHdr && len(ad.Bytes()) >= 4 {
			return binary.BigEndian.Uint32(ad.Bytes()), true
		}
	}
	return 0, false
}

func be32(v uint32) []byte {
	b := make([]byte, 4)
	binary.BigEndian.PutUint32(b, v)
	return b
}

// delayOptions are the flags of "labagent netem-delay".
type delayOptions struct {
	queue uint16
	delay time.Duration
}

func parseDelayOptions(args []string, stderr io.Writer) (delayOptions, error) {
	fs := flag.NewFlagSet("netem-delay", flag.ContinueOnError)
	var o delayOptions
	var queue uint
	fs.UintVar(&queue, "queue", 0, "the NFQUEUE `number` to hold packets from (1..65535)")
	fs.DurationVar(&o.delay, "delay", 0, "how long to hold each packet")
	if err := parseFlags(fs, args, stderr); err != nil {
		return o, err
	}
	if queue == 0 || queue > 65535 {
		return o, usageErrorf(stderr, fs, "--queue %d: want a queue number within 1..65535", queue)
	}
	if o.delay <= 0 {
		return o, usageErrorf(stderr, fs, "--delay must be positive")
	}
	o.queue = uint16(queue)
	return o, nil
}

// runNetemDelay is "labagent netem-delay": it binds the queue, says "ready" on file descriptor 3
// when the starting netem command gave it one (or the error that stopped it), and then holds
// every packet for the delay until SIGTERM, when it lets every held packet go and exits.
func runNetemDelay(args []string, stderr io.Writer) int {
	o, err := parseDelayOptions(args, stderr)
	if err != nil {
		return 2
	}
	var ready io.WriteCloser = nopWriteCloser{}
	if f := os.NewFile(3, "ready"); f != nil {
		if _, err := f.Stat(); err == nil {
			ready = f
		}
	}
	sig := make(chan os.Signal, 1)
	signal.Notify(sig, syscall.SIGTERM, syscall.SIGINT)
	if err := holdQueue(o, ready, sig, stderr); err != nil {
		fmt.Fprintf(stderr, "labagent netem-delay: %v\n", err)
		return 1
	}
	return 0
}

type nopWriteCloser struct{}

func (nopWriteCloser) Write(b []byte) (int, error) { return len(b), nil }
func (nopWriteCloser) Close() error                { return nil }

// holdQueue runs the delayer on queue o.queue until a signal comes.
func holdQueue(o delayOptions, ready io.WriteCloser, stop <-chan os.Signal, stderr io.Writer) error {
	fail := func(err error) error {
		fmt.Fprintf(ready, "%v\n", err)
		ready.Close()
		return err
	}
	c, err := netlink.Dial(unix.NETLINK_NETFILTER, nil)
	if err != nil {
		return fail(fmt.Errorf("open nfnetlink: %w", err))
	}
	defer c.Close()
	// Every queued packet is one message; a receive buffer that overflows drops the packet, so
	// it is made large past the system's default cap (CAP_NET_ADMIN allows that).
	if rc, err := c.SyscallConn(); err == nil {
		_ = rc.Control(func(fd uintptr) {
			_ = unix.SetsockoptInt(int(fd), unix.SOL_SOCKET, unix.SO_RCVBUFFORCE, 16<<20)
		})
	}
	m, err := nfqConfigMsg(o.queue)
	if err != nil {
		return fail(err)
	}
	if _, err := c.Execute(m); err != nil {
		return fail(fmt.Errorf("bind NFQUEUE queue %d: %w", o.queue, err))
	}
	fmt.Fprintln(ready, "ready")
	ready.Close()

	var (
		mu   sync.Mutex
		line = delayLine{delay: o.delay}
		wake = make(chan struct{}, 1)
		dead = make(chan error, 1)
		done = make(chan struct{})
	)
	// Closed before the socket is: the reader then takes its errors for the shutdown they are.
	defer close(done)
	go func() {
		failures := 0
		for {
			msgs, err := c.Receive()
			now := time.Now()
			if err != nil {
				select {
				case <-done:
					return
				default:
				}
				// ENOBUFS: the kernel dropped packets it could not hand over. An error message
				// for a verdict comes here too. Packets whose messages were lost with it are
				// still let go by the next batch verdict, which covers every earlier id. Only an
				// error that persists ends the delayer.
				fmt.Fprintf(stderr, "labagent netem-delay: read queue %d: %v\n", o.queue, err)
				if failures++; failures > 100 {
					dead <- fmt.Errorf("read queue %d: %w", o.queue, err)
					return
				}
				continue
			}
			failures = 0
			mu.Lock()
			wasEmpty := line.pending() == 0
			for _, m := range msgs {
				if id, ok := nfqPacketID(m); ok {
					line.add(id, now)
				}
			}
			mu.Unlock()
			if wasEmpty {
				select {
				case wake <- struct{}{}:
				default:
				}
			}
		}
	}()

	accept := func(id uint32) error {
		m, err := nfqAcceptUpTo(o.queue, id)
		if err != nil {
			return err
		}
		if _, err := c.Send(m); err != nil {
			return fmt.Errorf("accept packets of queue %d up to %d: %w", o.queue, id, err)
		}
		return nil
	}
	timer := time.NewTimer(time.Hour)
	defer timer.Stop()
	for {
		mu.Lock()
		last, n := line.release(time.Now())
		at, held := line.next()
		mu.Unlock()
		if n > 0 {
			if err := accept(last); err != nil {
				return err
			}
		}
		wait := time.Hour
		if held {
			wait = time.Until(at)
		}
		timer.Reset(wait)
		select {
		case <-timer.C:
		case <-wake:
			// Since Go 1.23 Reset needs no drained channel: the next round resets it.
		case err := <-dead:
			return err
		case <-stop:
			// The netem command removed the rule before stopping us: no new packets come, and
			// the held ones go on now rather than being dropped with the queue.
			mu.Lock()
			id, ok := line.lastID()
			mu.Unlock()
			if ok {
				return accept(id)
			}
			return nil
		}
	}
}

// delayRule is the iptables rule sending dev's outgoing IPv4 packets to queue. --queue-bypass
// lets packets pass (undelayed) rather than be dropped while no delayer holds the queue.
func delayRule(op, dev string, queue uint16) []string {
	return []string{"-w", "-t", "mangle", op, "POSTROUTING", "-o", dev, "-j", "NFQUEUE",
		"--queue-num", strconv.Itoa(int(queue)), "--queue-bypass"}
}

// delayQueueOf is the queue number for dev: its interface index, unique within the node.
func delayQueueOf(dev string) (uint16, error) {
	ifi, err := net.InterfaceByName(dev)
	if err != nil {
		return 0, fmt.Errorf("find interface %s: %w", dev, err)
	}
	if ifi.Index <= 0 || ifi.Index > 65535 {
		return 0, fmt.Errorf("interface %s has index %d, beyond NFQUEUE's queue numbers", dev, ifi.Index)
	}
	return uint16(ifi.Index), nil
}

func delayPidFile(dev string) string { return filepath.Join(delayStateDir, "netem-delay-"+dev+".pid") }

// startDelay holds dev's outgoing packets for delay: it starts the delayer detached (its own
// session, so it outlives this command and the docker exec that ran it), waits until the queue
// is bound, records its pid, then adds the rule. It returns what it applied.
func startDelay(ctx context.Context, dev string, delay time.Duration) (string, error) {
	queue, err := delayQueueOf(dev)
	if err != nil {
		return "", err
	}
	if _, err := exec.LookPath("iptables"); err != nil {
		return "", fmt.Errorf("the delay fallback needs iptables (the NFQUEUE target) in the host image: %w", err)
	}
	exe, err := os.Executable()
	if err != nil {
		return "", fmt.Errorf("find labagent's own binary: %w", err)
	}
	if err := os.MkdirAll(delayStateDir, 0o755); err != nil {
		return "", err
	}
	logf := filepath.Join(delayStateDir, "netem-delay-"+dev+".log")
	pid, r, err := startDetached(exe, logf, nil, "netem-delay", "--queue", strconv.Itoa(int(queue)), "--delay", delay.String())
	if err != nil {
		return "", fmt.Errorf("start the delayer: %w", err)
	}
	defer r.Close()
	type answer struct {
		line string
		err  error
	}
	got := make(chan answer, 1)
	go func() {
		l, err := bufio.NewReader(r).ReadString('\n')
		got <- answer{strings.TrimSpace(l), err}
	}()
	select {
	case a := <-got:
		if a.line != "ready" {
			_ = syscall.Kill(pid, syscall.SIGKILL)
			if a.line == "" {
				// It died before it could say why; its log has the reason.
				a.line = fmt.Sprintf("it exited (%v); see %s", a.err, logf)
			}
			return "", fmt.Errorf("start the delayer for %s: %s", dev, a.line)
		}
	case <-time.After(5 * time.Second):
		_ = syscall.Kill(pid, syscall.SIGKILL)
		return "", fmt.Errorf("start the delayer for %s: it did not bind queue %d within 5s", dev, queue)
	case <-ctx.Done():
		_ = syscall.Kill(pid, syscall.SIGKILL)
		return "", ctx.Err()
	}
	if err := os.WriteFile(delayPidFile(dev), []byte(strconv.Itoa(pid)+"\n"), 0o644); err != nil {
		_ = syscall.Kill(pid, syscall.SIGKILL)
		return "", err
	}
	rule := delayRule("-A", dev, queue)
	if out, err := runCmd(ctx, "iptables", rule...); err != nil {
		_, _ = stopDelay(ctx, dev)
		return "", fmt.Errorf("queue %s's packets: iptables %s: %w: %s", dev, strings.Join(rule, " "), err, out)
	}
	return fmt.Sprintf("delay %s: iptables %s; labagent netem-delay (pid %d) holds each packet %s, up to %d packets",
		delay, strings.Join(rule, " "), pid, delay, delayQueueLen), nil
}

// startDetached starts labagent's role args in its own session, so it
// outlives this command and the docker exec that ran it, its output
// appended to logPath and env added to its environment. It returns its
// pid and the read end of a pipe that is its fd 3, where it reports.
func startDetached(exe, logPath string, env []string, args ...string) (int, *os.File, error) {
	logf, err := os.OpenFile(logPath, os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o644)
	if err != nil {
		return 0, nil, err
	}
	defer logf.Close()
	r, w, err := os.Pipe()
	if err != nil {
		return 0, nil, err
	}
	defer w.Close()
	// Named labagent whatever the file is called: chrlab, installed as its own images' agent,
	// picks its role by that name.
	cmd := &exec.Cmd{Path: exe, Args: append([]string{"labagent"}, args...)}
	if env != nil {
		cmd.Env = append(os.Environ(), env...)
	}
	cmd.Stdout, cmd.Stderr = logf, logf
	cmd.ExtraFiles = []*os.File{w}
	cmd.SysProcAttr = &syscall.SysProcAttr{Setsid: true}
	if err := cmd.Start(); err != nil {
		r.Close()
		return 0, nil, err
	}
	pid := cmd.Process.Pid
	// It is reaped by the container's init once this command has exited.
	_ = cmd.Process.Release()
	return pid, r, nil
}

// stopDelay undoes startDelay for dev, whatever part of it was done: the rule goes first so no
// packet waits on a queue nobody reads, then the delayer lets its held packets go and exits. It
// returns the pid it stopped, 0 for none.
func stopDelay(ctx context.Context, dev string) (int, error) {
	if queue, err := delayQueueOf(dev); err == nil {
		if _, err := exec.LookPath("iptables"); err == nil {
			// Delete until none is left: a rule added twice by hand would otherwise stay.
			for i := 0; i < 16; i++ {
				if _, err := runCmd(ctx, "iptables", delayRule("-D", dev, queue)...); err != nil {
					break
				}
			}
		}
	}
	b, err := os.ReadFile(delayPidFile(dev))
	if errors.Is(err, os.ErrNotExist) {
		return 0, nil
	}
	if err != nil {
		return 0, err
	}
	pid, err := strconv.Atoi(strings.TrimSpace(string(b)))
	if err != nil {
		return 0, fmt.Errorf("read %s: %w", delayPidFile(dev), err)
	}
	// The pid may have been reused since: only a netem-delay process is signalled.
	if isDelayer(pid) {
		_ = syscall.Kill(pid, syscall.SIGTERM)
		deadline := time.Now().Add(3 * time.Second)
		for isDelayer(pid) && time.Now().Before(deadline) {
			time.Sleep(20 * time.Millisecond)
		}
		if isDelayer(pid) {
			_ = syscall.Kill(pid, syscall.SIGKILL)
		}
	} else {
		pid = 0
	}
	if err := os.Remove(delayPidFile(dev)); err != nil && !errors.Is(err, os.ErrNotExist) {
		return pid, err
	}
	return pid, nil
}

// isDelayer reports whether pid is a live (not zombie) netem-delay process.
func isDelayer(pid int) bool { return isRole(pid, "netem-delay") }

// isRole reports whether pid is a live labagent process started for role
// (its command line holds the role's word), not a reused pid.
func isRole(pid int, role string) bool {
	cmdline, err := os.ReadFile(fmt.Sprintf("/proc/%d/cmdline", pid))
	if err != nil || !strings.Contains(string(cmdline), role) {
		return false
	}
	stat, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		return false
	}
	// The state follows the parenthesised command name.
	s := string(stat)
	if i := strings.LastIndexByte(s, ')'); i >= 0 && i+2 < len(s) {
		return s[i+2] != 'Z'
	}
	return true
}
