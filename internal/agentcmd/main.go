// Package agentcmd is labagent, the probe agent inside every lab host container. As the container's
// entrypoint (labagent node) it serves whoami and iperf3; through docker exec it runs one probe
// and prints one JSON result (see harness/probe.Result) on standard output.
//
// Build it static so it runs in any host image: CGO_ENABLED=0 go build ./cmd/labagent
//
// Exit codes: 0 whenever a result was printed, whatever the outcome (the outcome is data); 2 for a
// usage error; 1 when the node could not start.
package agentcmd

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"

	"github.com/chrlab/chrlab/harness/probe"
	"github.com/chrlab/chrlab/internal/execserve"
)

const usage = `usage: labagent <command> [flags]

commands:
  node       run as the container entrypoint: whoami on tcp+udp/12566, iperf3 servers
  tcp        connect to a whoami server over TCP
  udp        ask a whoami server over UDP
  iperf      measure TCP throughput with iperf3
  cps        measure new TCP connections per second against a whoami server
  dns        send one DNS query
  conntrack  count conntrack entries
  conntrack-rate  send N new UDP flows at a given rate: how many left and were answered
  conntrack-fill  keep established UDP flows going, fill the table with new flows, then try more
  http       get a page and say who answered: a lab node (its whoami body) or the router's own page
  ping       send ICMP echo requests: loss and round trips
  port       tell an open, closed or filtered TCP port by the handshake alone
  upnp       from a LAN host: discover the UPnP gateway by SSDP, read its external address, map a port to this host (and delete it)
  ftp        log in to a passive-mode FTP server and fetch a listing over the data connection its PASV answer names
  flow       keep one UDP flow going from a fixed source port: when replies stopped and resumed
  connections  open N new connections: the share that worked and who answered each
  resolve-then-connect  resolve a name through a given resolver, then connect to the answer (tcp or udp)
  l2tp       dial the router as an L2TP road warrior (user, password) and route the node through the session
  l2tp-session  (started by l2tp) the detached L2TP client that carries the session
  sstp       dial the router as an SSTP road warrior (user, password) and route the node through the session
  sstp-session  (started by sstp) the detached SSTP client that carries the session
  ovpn       dial the router as an OpenVPN road warrior (openvpn; user, password) and route the node through the tunnel
  netem      set delay, loss or a rate limit on the egress of one of the node's interfaces
  netem-delay  (started by netem on a kernel without sch_netem) hold an NFQUEUE queue's packets for a delay
  renumber   make the node's DHCP server offer another address (the ISP renumbers the router)
  dhcp-leases  print the node's DHCP server leases
  dhcp-address print the address the node's DHCP client leased (or its PPPoE session holds)
  webpage    fetch a web page and say whose it is (the router's own page or another server's)
  cloud-records  print the records the node's IP Cloud stand-in published, as JSON

run "labagent <command> -h" for the flags of a command
`

// errUsage marks a usage error that was already explained on standard error.
var errUsage = errors.New("usage error")

// Main runs labagent with os.Args; cmd/labagent and the labagent role of cmd/chrlab call it.
func Main() {
	os.Exit(run(context.Background(), os.Args[1:], os.Stdout, os.Stderr))
}

// run executes one labagent command and returns the process exit code.
func run(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	if len(args) == 0 {
		fmt.Fprint(stderr, usage)
		return 2
	}
	var (
		res probe.Result
		err error
	)
	switch cmd, rest := args[0], args[1:]; cmd {
	case "exec-serve":
		// The lab's command server (internal/execserve), on the exec's
		// standard streams.
		if err := execserve.Serve(os.Stdin, stdout); err != nil {
			fmt.Fprintf(stderr, "labagent exec-serve: %v\n", err)
			return 1
		}
		return 0
	case "node":
		if err := runNode(rest, stdout, stderr); err != nil {
			if errors.Is(err, errUsage) {
				return 2
			}
			fmt.Fprintf(stderr, "labagent: %v\n", err)
			return 1
		}
		return 0
	case "tcp":
		res, err = cmdConnect(ctx, probe.KindTCP, rest, stderr)
	case "udp":
		res, err = cmdConnect(ctx, probe.KindUDP, rest, stderr)
	case "iperf":
		res, err = cmdIperf(ctx, rest, stderr)
	case "cps":
		res, err = cmdCPS(ctx, rest, stderr)
	case "dns":
		res, err = cmdDNS(ctx, rest, stderr)
	case "conntrack":
		res, err = cmdConntrack(ctx, rest, stderr)
	case "conntrack-rate":
		res, err = cmdConntrackRate(ctx, rest, stderr)
	case "conntrack-fill":
		res, err = cmdConntrackFill(ctx, rest, stderr)
	case "http":
		res, err = cmdHTTP(ctx, rest, stderr)
	case "ping":
		res, err = cmdPing(ctx, rest, stderr)
	case "port":
		res, err = cmdPort(ctx, rest, stderr)
	case "ftp":
		res, err = cmdFTP(ctx, rest, stderr)
	case "upnp":
		res, err = cmdUPnP(ctx, rest, stderr)
	case "flow":
		res, err = cmdFlow(ctx, rest, stderr)
	case "connections":
		res, err = cmdConnections(ctx, rest, stderr)
	case "resolve-then-connect":
		res, err = cmdResolveConnect(ctx, rest, stderr)
	case "netem":
		res, err = cmdNetem(ctx, rest, stderr)
	case "l2tp":
		res, err = cmdRoadWarrior(ctx, l2tpRW, rest, stderr)
	case l2tpRW.role:
		return l2tpRW.runSession(rest, stderr)
	case "sstp":
		res, err = cmdRoadWarrior(ctx, sstpRW, rest, stderr)
	case "ovpn":
		res, err = cmdOVPN(ctx, rest, stderr)
	case sstpRW.role:
		return sstpRW.runSession(rest, stderr)
	case "netem-delay":
		return runNetemDelay(rest, stderr)
	case "renumber", "dhcp-leases":
		return runDHCPControl(ctx, cmd, rest, stdout, stderr)
	case "dhcp-address":
		return runDHCPAddress(rest, stdout, stderr)
	case "webpage":
		return runWebpage(ctx, rest, stdout, stderr)
	case "cloud-records":
		return runCloudRecords(ctx, rest, stdout, stderr)
	case "-h", "-help", "--help", "help":
		fmt.Fprint(stdout, usage)
		return 0
	default:
		fmt.Fprintf(stderr, "labagent: unknown command %q\n%s", cmd, usage)
		return 2
	}
	if err != nil {
		if !errors.Is(err, errUsage) {
			fmt.Fprintf(stderr, "labagent: %v\n", err)
		}
		return 2
	}
	// The result's own MarshalJSON already leaves HTML characters alone; the encoder must too.
	enc := json.NewEncoder(stdout)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(res); err != nil {
		fmt.Fprintf(stderr, "labagent: print result: %v\n", err)
		return 1
	}
	return 0
}

// parseFlags parses args into fs and turns every failure into errUsage, so flag mistakes exit 2.
// Positional arguments are refused: every probe input is a named flag.
func parseFlags(fs *flag.FlagSet, args []string, stderr io.Writer) error {
	fs.SetOutput(stderr)
	if err := fs.Parse(args); err != nil {
		return errUsage
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(stderr, "labagent %s: unexpected argument %q\n", fs.Name(), fs.Arg(0))
		return errUsage
	}
	return nil
}

// usageErrorf explains a bad flag value on stderr and returns errUsage.
func usageErrorf(stderr io.Writer, fs *flag.FlagSet, format string, args ...any) error {
	fmt.Fprintf(stderr, "labagent %s: %s\n", fs.Name(), fmt.Sprintf(format, args...))
	return errUsage
}
