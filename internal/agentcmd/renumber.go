package agentcmd

import (
	"bufio"
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"net"
	"net/netip"
	"os"
	"time"
)

// controlBudget bounds one exchange with the running DHCP server; it answers from memory.
const controlBudget = 5 * time.Second

// runDHCPControl runs labagent renumber and labagent dhcp-leases: both talk to the DHCP server
// of the node (docker exec in the same container), renumber to its PPPoE server when the node
// runs that instead, and print the JSON answer. Exit codes: 0 when the server did it, 1 when it
// refused or could not be reached, 2 for a usage error.
func runDHCPControl(ctx context.Context, cmd string, args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet(cmd, flag.ContinueOnError)
	socket := fs.String("socket", defaultDHCPSocket, "the DHCP server's control socket `path`")
	var to string
	if cmd == "renumber" {
		fs.StringVar(&to, "to", "", "the new `IP` the server offers from now on (required)")
		fs.Lookup("socket").Usage = "the control socket `path` of the node's DHCP server (default " + defaultDHCPSocket + "), or of its PPPoE server (" + defaultPPPoESocket + ") when it has no DHCP server"
	}
	if err := parseFlags(fs, args, stderr); err != nil {
		return 2
	}
	given := false
	fs.Visit(func(f *flag.Flag) { given = given || f.Name == "socket" })
	if cmd == "renumber" && !given {
		*socket = renumberSocket(defaultDHCPSocket, defaultPPPoESocket)
	}
	req := controlRequest{Op: "leases"}
	if cmd == "renumber" {
		if _, err := netip.ParseAddr(to); err != nil {
			usageErrorf(stderr, fs, "--to %q is not an IP address", to)
			return 2
		}
		req = controlRequest{Op: "renumber", To: to}
	}
	rep, err := dhcpControl(ctx, *socket, req)
	if err != nil {
		fmt.Fprintf(stderr, "labagent %s: %v\n", cmd, err)
		return 1
	}
	enc := json.NewEncoder(stdout)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(rep); err != nil {
		fmt.Fprintf(stderr, "labagent %s: print result: %v\n", cmd, err)
		return 1
	}
	if rep.Result != "ok" {
		return 1
	}
	return 0
}

// renumberSocket is the control socket renumber talks to: the DHCP
// server's when it listens (an ISP that leases by DHCP), else the PPPoE
// server's when that one does (an ISP that gives the address by IPCP),
// else the DHCP server's, whose absence the error then names.
func renumberSocket(dhcp, pppoe string) string {
	for _, p := range []string{dhcp, pppoe} {
		if fi, err := os.Stat(p); err == nil && fi.Mode()&os.ModeSocket != 0 {
			return p
		}
	}
	return dhcp
}

// dhcpControl sends one request to the server's control socket and reads its answer.
func dhcpControl(ctx context.Context, socket string, req controlRequest) (controlReply, error) {
	var rep controlReply
	ctx, cancel := context.WithTimeout(ctx, controlBudget)
	defer cancel()
	var d net.Dialer
	c, err := d.DialContext(ctx, "unix", socket)
	if err != nil {
		return rep, fmt.Errorf("reach the server (labagent node --serve dhcp or pppoe) on %s: %w", socket, err)
	}
	defer c.Close()
	if dl, ok := ctx.Deadline(); ok {
		c.SetDeadline(dl)
	}
	if err := json.NewEncoder(c).Encode(req); err != nil {
		return rep, fmt.Errorf("send %s to the server on %s: %w", req.Op, socket, err)
	}
	if err := json.NewDecoder(bufio.NewReader(c)).Decode(&rep); err != nil {
		return rep, fmt.Errorf("read the server's answer to %s on %s: %w", req.Op, socket, err)
	}
	return rep, nil
}
