package agentcmd

import (
	"context"
	"flag"
	"fmt"
	"io"
	"net/netip"
	"os/exec"
	"strconv"
	"strings"
	"time"

	"github.com/vishvananda/netlink"

	"github.com/chrlab/chrlab/harness/probe"
)

// nftNetemTable is the table the loss fallback uses; it belongs to labagent alone.
const nftNetemTable = "labagent_netem"

type netemOptions struct {
	address netip.Addr
	delay   time.Duration
	loss    float64 // percent
	rate    string  // tc rate: 10mbit
	clear   bool
}

func cmdNetem(ctx context.Context, args []string, stderr io.Writer) (probe.Result, error) {
	fs := flag.NewFlagSet("netem", flag.ContinueOnError)
	var o netemOptions
	var addr, loss string
	fs.StringVar(&addr, "address", "", "the lab `address` whose interface gets the setting (egress)")
	fs.DurationVar(&o.delay, "delay", 0, "added one-way delay")
	fs.StringVar(&loss, "loss", "", "share of packets to drop, in `percent` (20 or 20%)")
	fs.StringVar(&o.rate, "rate", "", "rate limit in tc's words (`10mbit`, 512kbit)")
	fs.BoolVar(&o.clear, "clear", false, "remove any setting")
	if err := parseFlags(fs, args, stderr); err != nil {
		return probe.Result{}, err
	}
	a, err := netip.ParseAddr(addr)
	if err != nil {
		return probe.Result{}, usageErrorf(stderr, fs, "--address %q is not an address", addr)
	}
	o.address = a
	if loss != "" {
		if o.loss, err = strconv.ParseFloat(strings.TrimSuffix(loss, "%"), 64); err != nil || o.loss < 0 || o.loss > 100 {
			return probe.Result{}, usageErrorf(stderr, fs, "--loss %q is not a percentage within 0..100", loss)
		}
	}
	if o.rate != "" && !validRate(o.rate) {
		return probe.Result{}, usageErrorf(stderr, fs, "--rate %q: want a number and a unit: kbit, mbit or gbit", o.rate)
	}
	if o.delay < 0 {
		return probe.Result{}, usageErrorf(stderr, fs, "--delay must not be negative")
	}
	if !o.clear && o.delay == 0 && o.loss == 0 && o.rate == "" {
		return probe.Result{}, usageErrorf(stderr, fs, "give --delay, --loss, --rate or --clear")
	}
	return applyNetem(ctx, o), nil
}

// validRate accepts the tc rates a scenario needs.
func validRate(r string) bool {
	for _, unit := range []string{"kbit", "mbit", "gbit"} {
		if n, ok := strings.CutSuffix(r, unit); ok {
			v, err := strconv.ParseFloat(n, 64)
			return err == nil && v > 0
		}
	}
	return false
}

// applyNetem sets delay, loss and rate on the egress of the interface holding o.address, with the
// netem qdisc as containerlab's "tools netem" does. A kernel without sch_netem (some cloud
// kernels) gets stand-ins that combine: delay through an NFQUEUE queue that a detached labagent
// holds packets in (netemdelay.go), loss through an nftables rule dropping a random share, rate
// through a tbf qdisc.
func applyNetem(ctx context.Context, o netemOptions) probe.Result {
	res := probe.Result{Probe: probe.KindNetem}
	dev, err := interfaceOf(o.address)
	if err != nil {
		return failed(res, err)
	}
	// Start from a clean link: an earlier setting is replaced, not stacked.
	stopped, err := stopDelay(ctx, dev)
	if err != nil {
		return failed(res, fmt.Errorf("stop the earlier delay on %s: %w", dev, err))
	}
	_, _ = runCmd(ctx, "tc", "qdisc", "del", "dev", dev, "root")
	deleteLossTables(ctx)
	if o.clear {
		res.Result, res.Applied = probe.OK, "cleared "+dev
		if stopped != 0 {
			res.Applied += fmt.Sprintf(" (stopped the delayer, pid %d)", stopped)
		}
		return res
	}
	args := []string{"qdisc", "replace", "dev", dev, "root", "netem"}
	if o.delay > 0 {
		args = append(args, "delay", fmt.Sprintf("%dus", o.delay.Microseconds()))
	}
	if o.loss > 0 {
		args = append(args, "loss", fmt.Sprintf("%g%%", o.loss))
	}
	if o.rate != "" {
		args = append(args, "rate", o.rate)
	}
	out, err := runCmd(ctx, "tc", args...)
	if err == nil {
		res.Result, res.Applied = probe.OK, "tc "+strings.Join(args, " ")
		return res
	}
	if !strings.Contains(out, "qdisc kind is unknown") {
		return failed(res, fmt.Errorf("set netem on %s: tc %s: %w: %s", dev, strings.Join(args, " "), err, out))
	}
	var applied []string
	undo := func() {
		_, _ = stopDelay(ctx, dev)
		_, _ = runCmd(ctx, "tc", "qdisc", "del", "dev", dev, "root")
		deleteLossTables(ctx)
	}
	if o.rate != "" {
		// A burst of a few milliseconds' worth keeps the limit tight at lab speeds; the latency
		// bound keeps the queue from hiding the limit behind seconds of buffering.
		targs := []string{"qdisc", "replace", "dev", dev, "root", "tbf", "rate", o.rate, "burst", "32kb", "latency", "100ms"}
		if out, err := runCmd(ctx, "tc", targs...); err != nil {
			return failed(res, fmt.Errorf("set rate %s on %s: tc %s: %w: %s", o.rate, dev, strings.Join(targs, " "), err, out))
		}
		applied = append(applied, "tc "+strings.Join(targs, " "))
	}
	if o.loss > 0 {
		// netem's loss drops frames of every protocol, ARP and IPv6 too (a
		// dead modem answers no ARP either, forum41 N1): the netdev egress
		// hook sees every frame that leaves dev, as the qdisc does. A
		// kernel older than 5.16 has no egress hook; there the ip family's
		// postrouting rule drops IPv4 only, and Applied says so.
		b, err := nftApply(ctx, lossRule(dev, o.loss))
		switch {
		case err == nil:
			// The rule itself is a whole nft table: too long for the results table's SEEN column.
			applied = append(applied, fmt.Sprintf("loss %g%%: nft table netdev %s drops at random every frame (IPv4, IPv6, ARP) leaving %s", o.loss, nftNetemTable, dev))
		default:
			if b2, err2 := nftApply(ctx, lossRuleIPv4(dev, o.loss)); err2 != nil {
				undo()
				return failed(res, fmt.Errorf("set loss %g%% on %s: nft: %w: %s (netdev egress: %s)", o.loss, dev, err2, b2, b))
			}
			applied = append(applied, fmt.Sprintf("loss %g%%: nft table ip %s drops at random the IPv4 packets leaving %s; ARP and IPv6 pass (no netdev egress hook in this kernel: %s)", o.loss, nftNetemTable, dev, b))
		}
	}
	if o.delay > 0 {
		// The queue is in iptables' mangle postrouting (priority -150), before the loss rule
		// (priority 0) and the qdisc: a packet is delayed, then may be dropped, then is paced.
		a, err := startDelay(ctx, dev, o.delay)
		if err != nil {
			undo()
			return failed(res, fmt.Errorf("set a %s delay on %s without the netem qdisc: %w", o.delay, dev, err))
		}
		applied = append(applied, a)
	}
	res.Result, res.Applied = probe.OK, "no netem qdisc in this kernel; "+strings.Join(applied, "; ")
	return res
}

// interfaceOf names the interface that holds a.
func interfaceOf(a netip.Addr) (string, error) {
	links, err := netlink.LinkList()
	if err != nil {
		return "", fmt.Errorf("list interfaces to find %s: %w", a, err)
	}
	for _, l := range links {
		addrs, err := netlink.AddrList(l, netlink.FAMILY_ALL)
		if err != nil {
			continue
		}
		for _, ad := range addrs {
			if x, ok := netip.AddrFromSlice(ad.IP); ok && x.Unmap() == a {
				return l.Attrs().Name, nil
			}
		}
	}
	return "", fmt.Errorf("find the interface of %s: no interface of this node holds it", a)
}

// runCmd runs a command and returns its combined output.
func runCmd(ctx context.Context, name string, args ...string) (string, error) {
	b, err := exec.CommandContext(ctx, name, args...).CombinedOutput()
	return strings.TrimSpace(string(b)), err
}

// nftApply loads an nft script and returns nft's output.
func nftApply(ctx context.Context, script string) (string, error) {
	cmd := exec.CommandContext(ctx, "nft", "-f", "-")
	cmd.Stdin = strings.NewReader(script)
	b, err := cmd.CombinedOutput()
	return strings.TrimSpace(string(b)), err
}

// deleteLossTables removes the loss stand-in of either family.
func deleteLossTables(ctx context.Context) {
	_, _ = runCmd(ctx, "nft", "delete", "table", "netdev", nftNetemTable)
	_, _ = runCmd(ctx, "nft", "delete", "table", "ip", nftNetemTable)
}

// lossMatch is the random share of netem's loss, in hundredths of a
// percent. 100 % drops everything with no numgen: numgen's "mod 10000"
// yields 0 to 9999, and nft refuses the comparison "< 10000" as out of its
// range (a case's link-down step, loss: 100, failed before it ran).
func lossMatch(loss float64) string {
	if loss >= 100 {
		return ""
	}
	return fmt.Sprintf("numgen random mod 10000 < %d ", int(loss*100))
}

// lossRule is the nftables stand-in for netem's loss: drop a random share
// of every frame that leaves dev (IPv4, IPv6, ARP) at the netdev egress
// hook, where the netem qdisc would sit.
func lossRule(dev string, loss float64) string {
	return fmt.Sprintf("table netdev %s { chain out { type filter hook egress device %q priority 0; %sdrop; }; }",
		nftNetemTable, dev, lossMatch(loss))
}

// lossRuleIPv4 is lossRule for a kernel without the egress hook: IPv4
// packets only, at postrouting.
func lossRuleIPv4(dev string, loss float64) string {
	return fmt.Sprintf("table ip %s { chain out { type filter hook postrouting priority 0; oifname %q %sdrop; }; }",
		nftNetemTable, dev, lossMatch(loss))
}
