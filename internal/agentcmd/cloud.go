package agentcmd

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"os"
	"strconv"
	"time"

	"github.com/chrlab/chrlab/rosemu/service/cloud"
)

// The lab's stand-in for MikroTik's IP Cloud (labagent node --serve dns,cloud), run on the public
// DNS node. MikroTik's protocol is encrypted and private; the stand-in speaks the plain protocol
// documented in rosemu/service/cloud (protocol.go) on UDP port 15252: an update publishes
// <serial>.sn.mynetname.net as an A record for the source address the request came from, with
// TTL --cloud-ttl (60 s at MikroTik), in the node's DNS zone; a delete withdraws it. Pointing the
// zone's cloud.mikrotik.com at this node (--zone cloud.mikrotik.com=198.51.100.53) completes it.
// labagent cloud-records prints the published records as JSON, through a unix socket.

// defaultCloudSocket is where the running stand-in answers labagent cloud-records.
const defaultCloudSocket = "/run/labagent-cloud.sock"

// cloudFlags are the --cloud-* flags of labagent node.
type cloudFlags struct {
	ttl    time.Duration
	port   int
	socket string
}

func (f *cloudFlags) register(fs *flag.FlagSet) {
	fs.DurationVar(&f.ttl, "cloud-ttl", 60*time.Second, "cloud: TTL of the published records")
	fs.IntVar(&f.port, "cloud-port", cloud.Port, "cloud: UDP `port` of the stand-in")
	fs.StringVar(&f.socket, "cloud-socket", defaultCloudSocket, "cloud: control socket `path` for labagent cloud-records")
}

func (f *cloudFlags) check() error {
	if f.ttl < 0 || f.ttl > (1<<31-1)*time.Second || f.ttl%time.Second != 0 {
		return fmt.Errorf("--cloud-ttl %s is not a whole number of seconds between 0 and 2^31-1", f.ttl)
	}
	if f.port <= 0 || f.port > 65535 {
		return fmt.Errorf("--cloud-port %d is out of range", f.port)
	}
	return nil
}

// cloudServer is the running stand-in: its UDP socket and control socket.
type cloudServer struct {
	standIn *cloud.StandIn
	udp     net.PacketConn
	ctl     net.Listener
}

// startCloud listens on host:port over UDP and on the control socket and serves both until close.
func startCloud(f cloudFlags, host string, logf func(string, ...any)) (*cloudServer, error) {
	s := &cloudServer{standIn: &cloud.StandIn{TTL: f.ttl}}
	pc, err := net.ListenPacket("udp", net.JoinHostPort(host, strconv.Itoa(f.port)))
	if err != nil {
		return nil, fmt.Errorf("listen for the cloud stand-in on udp %s:%d: %w", host, f.port, err)
	}
	_ = os.Remove(f.socket) // a socket file left by an earlier run of the node
	ctl, err := net.Listen("unix", f.socket)
	if err != nil {
		pc.Close()
		return nil, fmt.Errorf("listen for labagent cloud-records on %s: %w", f.socket, err)
	}
	s.udp, s.ctl = pc, ctl
	go func() {
		if err := s.standIn.Serve(pc, logf); err != nil {
			logf("cloud: serve: %v", err)
		}
	}()
	go s.serveControl(logf)
	return s, nil
}

// serveControl writes the published records as JSON to every connection.
func (s *cloudServer) serveControl(logf func(string, ...any)) {
	for {
		c, err := s.ctl.Accept()
		if err != nil {
			if !errors.Is(err, net.ErrClosed) {
				logf("cloud: accept control connection: %v", err)
			}
			return
		}
		_ = c.SetDeadline(time.Now().Add(controlBudget))
		if err := json.NewEncoder(c).Encode(s.standIn.Records()); err != nil {
			logf("cloud: send records: %v", err)
		}
		c.Close()
	}
}

func (s *cloudServer) close() {
	s.udp.Close()
	s.ctl.Close()
}

// runCloudRecords is labagent cloud-records: it prints the stand-in's published records as a JSON
// array (name, type, address, ttl, serial, updated). Exit codes: 0 printed, 1 the stand-in could
// not be reached, 2 usage.
func runCloudRecords(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("cloud-records", flag.ContinueOnError)
	socket := fs.String("socket", defaultCloudSocket, "the cloud stand-in's control socket `path`")
	if err := parseFlags(fs, args, stderr); err != nil {
		return 2
	}
	recs, err := cloudRecords(ctx, *socket)
	if err != nil {
		fmt.Fprintf(stderr, "labagent cloud-records: %v\n", err)
		return 1
	}
	enc := json.NewEncoder(stdout)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(recs); err != nil {
		fmt.Fprintf(stderr, "labagent cloud-records: print records: %v\n", err)
		return 1
	}
	return 0
}

func cloudRecords(ctx context.Context, socket string) ([]cloud.Record, error) {
	ctx, cancel := context.WithTimeout(ctx, controlBudget)
	defer cancel()
	var d net.Dialer
	c, err := d.DialContext(ctx, "unix", socket)
	if err != nil {
		return nil, fmt.Errorf("reach the cloud stand-in (labagent node --serve cloud) on %s: %w", socket, err)
	}
	defer c.Close()
	if dl, ok := ctx.Deadline(); ok {
		_ = c.SetDeadline(dl)
	}
	recs := []cloud.Record{}
	if err := json.NewDecoder(c).Decode(&recs); err != nil {
		return nil, fmt.Errorf("read the records from the cloud stand-in on %s: %w", socket, err)
	}
	return recs, nil
}
