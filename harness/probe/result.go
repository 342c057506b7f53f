// Package probe runs probes from lab hosts through the labagent binary inside each host
// container and returns their results as data.
//
// The JSON that labagent prints is defined here, by Result, and labagent imports this package to
// print it: the agent and the harness cannot disagree about a field name.
package probe

import (
	"bytes"
	"encoding/json"
	"fmt"
	"reflect"
	"slices"
	"strings"
)

// Kind names a probe. It is the first field of every result so a line of JSON says what it is.
type Kind string

// The probes labagent runs.
const (
	KindTCP       Kind = "tcp"
	KindUDP       Kind = "udp"
	KindIperf     Kind = "iperf"
	KindCPS       Kind = "cps"
	KindDNS       Kind = "dns"
	KindConntrack Kind = "conntrack"
	// KindConntrackRate sends N new UDP flows, each from its own source port, at a given rate:
	// the harness counts the router's conntrack entries around it.
	KindConntrackRate Kind = "conntrack-rate"
	// KindConntrackFill keeps a few established UDP flows going, fills the router's table with
	// new assured flows, then tries more new flows: the harness reads the table around it.
	KindConntrackFill Kind = "conntrack-fill"
	// KindHTTP asks an HTTP server for a page and says which host answered: a lab node (its
	// whoami body names it) or the router's own web page.
	KindHTTP Kind = "http"
	// KindPing sends ICMP echo requests.
	KindPing Kind = "ping"
	// KindPort tells open, closed and filtered TCP ports apart by the handshake alone.
	KindPort Kind = "port"
	// KindFTP logs in to an FTP server, asks for passive mode and fetches a listing over the
	// data connection the PASV answer names (what a router's FTP helper must rewrite).
	KindFTP Kind = "ftp"
	// KindFlow keeps one UDP flow going from a fixed source port and reports when replies stopped
	// and resumed.
	KindFlow Kind = "flow"
	// KindConnections opens N new connections and reports who answered each.
	KindConnections Kind = "connections"
	// KindResolveConnect resolves a name through a given resolver, then connects to the answer.
	KindResolveConnect Kind = "resolve-then-connect"
	// KindUPnP discovers a UPnP Internet Gateway Device by SSDP from a LAN host, reads its
	// external address and asks it for a port mapping (and, optionally, deletes it again): what
	// the gateway answered, its UPnP error code among it.
	KindUPnP Kind = "upnp"
	// KindNetem is not a probe but a link setting (delay, loss, rate) labagent applies to one of
	// its node's interfaces; it reports like a probe so the harness reads one format.
	KindNetem Kind = "netem"
	// KindL2TP dials the router as an L2TP road warrior (user and password) and leaves the
	// node routed through the session; Local is the session's address.
	KindL2TP Kind = "l2tp"
	// KindSSTP is the same as an SSTP road warrior (TCP 443, TLS).
	KindSSTP Kind = "sstp"
	// KindOVPN is the same as an OpenVPN road warrior (Debian's openvpn).
	KindOVPN Kind = "ovpn"
)

// Outcome is what a probe observed. A failed connection is an outcome, not an error: a negative
// control expects Timeout as firmly as a positive one expects OK.
type Outcome string

// The outcomes. Not every probe produces every outcome; validOutcomes lists which do.
const (
	// OK means the probe got the answer it asked for.
	OK Outcome = "ok"
	// Timeout means nothing answered within the probe's timeout (a silent drop).
	Timeout Outcome = "timeout"
	// Refused means a TCP reset or an ICMP port unreachable came back (an active reject).
	Refused Outcome = "refused"
	// Unreachable means an ICMP host or network unreachable came back, or no route existed.
	Unreachable Outcome = "unreachable"
	// WrongAnswer means something answered, but not the whoami line that was expected.
	WrongAnswer Outcome = "wrong-answer"
	// NXDomain is the DNS response code NXDOMAIN.
	NXDomain Outcome = "nxdomain"
	// ServFail is the DNS response code SERVFAIL.
	ServFail Outcome = "servfail"
	// NoData is a NOERROR answer with no record of the type asked (the name exists, the type
	// does not; RFC 2308's NODATA): told apart from ok so that a case can expect it (forum40 N3).
	NoData Outcome = "nodata"
	// Error means the probe could not be carried out; Result.Error says why.
	Error Outcome = "error"
	// Open, Closed and Filtered are the port probe's outcomes: the handshake completed, a reset
	// came back, or nothing (or an ICMP prohibition) came back.
	Open     Outcome = "open"
	Closed   Outcome = "closed"
	Filtered Outcome = "filtered"
)

// validOutcomes lists the outcomes each probe may report; anything else in the agent's output is
// garbage and fails validation.
var validOutcomes = map[Kind][]Outcome{
	KindTCP:            {OK, Timeout, Refused, Unreachable, WrongAnswer, Error},
	KindUDP:            {OK, Timeout, Refused, Unreachable, WrongAnswer, Error},
	KindIperf:          {OK, Timeout, Refused, Unreachable, Error},
	KindCPS:            {OK, Timeout, Refused, Unreachable, WrongAnswer, Error},
	KindDNS:            {OK, NoData, Timeout, Refused, Unreachable, NXDomain, ServFail, Error},
	KindConntrack:      {OK, Error},
	KindConntrackRate:  {OK, Timeout, Refused, Unreachable, WrongAnswer, Error},
	KindConntrackFill:  {OK, Timeout, Refused, Unreachable, WrongAnswer, Error},
	KindHTTP:           {OK, Timeout, Refused, Unreachable, WrongAnswer, Error},
	KindPing:           {OK, Timeout, Unreachable, Error},
	KindPort:           {Open, Closed, Filtered, Unreachable, Error},
	KindFTP:            {OK, Timeout, Refused, Unreachable, WrongAnswer, Error},
	KindFlow:           {OK, Timeout, Refused, Unreachable, WrongAnswer, Error},
	KindConnections:    {OK, Timeout, Refused, Unreachable, WrongAnswer, Error},
	KindResolveConnect: {OK, Timeout, Refused, Unreachable, WrongAnswer, NXDomain, ServFail, Error},
	KindUPnP:           {OK, Timeout, Refused, Unreachable, Error},
	KindNetem:          {OK, Error},
	KindL2TP:           {OK, Timeout, Refused, Error},
	KindSSTP:           {OK, Timeout, Refused, Error},
	KindOVPN:           {OK, Timeout, Refused, Error},
}

// Result is one probe's result, exactly as labagent prints it. Fields belong to the probes named in
// their `probe` tag; MarshalJSON prints only those, plus error when it is set, so each probe's
// JSON stays short. An ok result prints its zero values too (zero failures or zero conntrack
// entries are data); any other result leaves them out (a timeout has no server name). A field
// that is absent from the JSON is zero.
type Result struct {
	Probe  Kind    `json:"probe" probe:"all"`
	Result Outcome `json:"result" probe:"all"`

	// ServerName is the name in the whoami line: which host answered. For http it is "router"
	// when the router's own web page answered.
	ServerName string `json:"server_name" probe:"tcp,udp,http,flow,resolve-then-connect,ftp"`
	// ServerSaw is the source address the server saw (address only): the point of hairpin NAT.
	ServerSaw string `json:"server_saw" probe:"tcp,udp,http,flow,resolve-then-connect,ftp"`
	// ServerSawPort is the source port the server saw.
	ServerSawPort int `json:"server_saw_port" probe:"tcp,udp,flow"`
	// ServerAt is the address and port the server was reached at, after any destination NAT.
	ServerAt string `json:"server_at" probe:"tcp,udp"`
	// Local is the probe's own address and port, as the prober's kernel chose it (or as the
	// step fixed it with a source port); for l2tp and sstp the address the session got.
	Local string `json:"local" probe:"tcp,udp,flow,port,ftp,l2tp,sstp,ovpn"`
	// ConnectMS is the TCP handshake time, or for UDP the round trip of the answered attempt.
	ConnectMS float64 `json:"connect_ms" probe:"tcp,udp,http,port,resolve-then-connect,ftp"`
	// TotalMS is the whole probe, UDP retries included; for resolve-then-connect the lookup and
	// the connection together.
	TotalMS float64 `json:"total_ms" probe:"tcp,udp,http,ftp,resolve-then-connect,l2tp,sstp,ovpn"`
	// Gateway is the description URL a UPnP gateway's SSDP answer named (its LOCATION);
	// ExternalIP its GetExternalIPAddress answer; UPnPError the UPnP error code it refused an
	// action with (0: none), its description in Error.
	Gateway    string `json:"gateway" probe:"upnp"`
	ExternalIP string `json:"external_ip" probe:"upnp"`
	UPnPError  int    `json:"upnp_error" probe:"upnp"`
	// Mapped says what the gateway was asked to map ("tcp 12566 -> 192.168.88.20:12566 lease
	// 1h0m0s") and what it did ("added", "added, deleted").
	Mapped string `json:"mapped" probe:"upnp"`
	// Passive is the address and port an FTP server's PASV answer named, as it reached the
	// client (after any helper rewrote it).
	Passive string `json:"passive" probe:"ftp"`

	// Status is the HTTP status code; Marker the text that identified the router's own page.
	Status int    `json:"status" probe:"http"`
	Marker string `json:"marker,omitempty" probe:"http"`

	// Sent and Received count ICMP echoes (ping) or datagrams (flow); Loss is the lost share.
	Sent     int     `json:"sent" probe:"ping,flow,conntrack-rate,conntrack-fill"`
	Received int     `json:"received" probe:"ping,flow,conntrack-rate,conntrack-fill"`
	Loss     float64 `json:"loss" probe:"ping,flow"`
	RTTMinMS float64 `json:"rtt_min_ms" probe:"ping,flow"`
	RTTAvgMS float64 `json:"rtt_avg_ms" probe:"ping,flow"`
	RTTMaxMS float64 `json:"rtt_max_ms" probe:"ping,flow"`

	// FirstReplyS is when the flow's first reply came, StoppedS when replies last stopped and
	// ResumedS when they came back after that, in seconds from the first datagram; -1 for never.
	FirstReplyS float64 `json:"first_reply_s" probe:"flow"`
	StoppedS    float64 `json:"stopped_s" probe:"flow"`
	ResumedS    float64 `json:"resumed_s" probe:"flow"`
	// Gaps counts the times replies stopped after having come.
	Gaps int `json:"gaps" probe:"flow"`

	// Attempted counts new connections tried; AnsweredBy counts who answered the ones that
	// worked, by server name; Share is the share that worked.
	Attempted  int            `json:"attempted" probe:"connections"`
	AnsweredBy map[string]int `json:"answered_by" probe:"connections"`
	Share      float64        `json:"share" probe:"connections"`

	// Applied says what the netem command set, in tc's or nft's words.
	Applied string `json:"applied" probe:"netem"`

	// BitsPerSecond is the receiver's goodput (iperf3 end.sum_received), whichever way data flowed.
	BitsPerSecond float64 `json:"bits_per_second" probe:"iperf"`
	// SentBitsPerSecond is the sender's rate (iperf3 end.sum_sent).
	SentBitsPerSecond float64 `json:"sent_bits_per_second" probe:"iperf"`
	// Retransmits is the sender's TCP retransmission count (iperf3 end.sum_sent.retransmits).
	Retransmits int `json:"retransmits" probe:"iperf"`
	// Seconds is the measured duration of the iperf3 test.
	Seconds float64 `json:"seconds" probe:"iperf"`
	// Iperf3 is iperf3's own -J report, whole (intervals, CPU use, its error): the raw output the
	// figures above were read from, kept for the run's artifacts.
	Iperf3 json.RawMessage `json:"iperf3,omitempty" probe:"iperf"`

	// Connections counts connections that completed with a whoami line.
	Connections int `json:"connections" probe:"cps,connections"`
	// Failures counts attempts that did not; FailuresBy splits them by outcome.
	Failures   int             `json:"failures" probe:"cps,connections,conntrack-rate"`
	FailuresBy map[Outcome]int `json:"failures_by" probe:"cps,connections,conntrack-rate"`
	PerSecond  float64         `json:"per_second" probe:"cps,conntrack-rate"`
	P50MS      float64         `json:"p50_ms" probe:"cps"`
	P90MS      float64         `json:"p90_ms" probe:"cps"`
	P99MS      float64         `json:"p99_ms" probe:"cps"`
	P999MS     float64         `json:"p999_ms" probe:"cps"`
	MaxMS      float64         `json:"max_ms" probe:"cps"`
	// Mode is "open" (a fixed rate, latency from each connection's intended start) or "closed"
	// (as fast as the workers go); Rate is the open loop's target per second.
	Mode string  `json:"mode" probe:"cps"`
	Rate float64 `json:"rate" probe:"cps,conntrack-rate"`
	// CPUPercent is the prober's own CPU use (user+system over wall time, 100 = one core);
	// ProberBound says the prober, not the path, was the limit.
	CPUPercent  float64 `json:"cpu_percent" probe:"cps,conntrack-rate"`
	ProberBound bool    `json:"prober_bound" probe:"cps,conntrack-rate"`
	// Behind counts connections (flows, for conntrack-rate) the open loop started later than
	// planned by more than two milliseconds: the prober could not keep the rate.
	Behind int `json:"behind" probe:"cps,conntrack-rate"`
	// Distribution is the latency distribution: [percentile, milliseconds] pairs.
	Distribution [][2]float64 `json:"distribution" probe:"cps"`

	// Answers are the addresses (or, for type CNAME, the names) of the requested type.
	Answers []string `json:"answers" probe:"dns,resolve-then-connect"`
	// CNAMEs are the aliases the answer section walked through, in order.
	CNAMEs []string `json:"cnames" probe:"dns"`
	// Rcode is the DNS response code by name: NOERROR, NXDOMAIN, SERVFAIL, REFUSED, ...
	Rcode string `json:"rcode" probe:"dns"`
	// TTL is the smallest TTL among the answer records.
	TTL int `json:"ttl" probe:"dns"`
	// MS is the time from the query to the answer.
	MS float64 `json:"ms" probe:"dns"`
	// Message is the whole response as dig prints one (header, question, answer, authority and
	// additional sections), kept for the run's artifacts.
	Message string `json:"message,omitempty" probe:"dns"`

	// conntrack-fill: Sent and Received count the fill flows' first datagrams; Assured the fill
	// flows whose second exchange, 2 s later, was answered too (an entry the kernel calls assured
	// and never evicts to make room). NewFlows and NewAnswered are the new flows tried once the
	// fill was over; Established is the flows opened before the fill, and EstablishedSent and
	// EstablishedAnswered their datagrams while the new flows were tried.
	Assured             int `json:"assured" probe:"conntrack-fill"`
	NewFlows            int `json:"new_flows" probe:"conntrack-fill"`
	NewAnswered         int `json:"new_answered" probe:"conntrack-fill"`
	Established         int `json:"established" probe:"conntrack-fill"`
	EstablishedSent     int `json:"established_sent" probe:"conntrack-fill"`
	EstablishedAnswered int `json:"established_answered" probe:"conntrack-fill"`

	// Count is the number of conntrack entries.
	Count int `json:"count" probe:"conntrack"`

	// Error says why the result is not OK, in the words of the cause (errno text, iperf3's message).
	Error string `json:"error,omitempty" probe:"all"`
}

// MarshalJSON prints the fields that belong to r.Probe, in declaration order.
func (r Result) MarshalJSON() ([]byte, error) {
	var buf bytes.Buffer
	buf.WriteByte('{')
	v := reflect.ValueOf(r)
	t := v.Type()
	first := true
	for i := range t.NumField() {
		f := t.Field(i)
		name, opts, _ := strings.Cut(f.Tag.Get("json"), ",")
		kinds := strings.Split(f.Tag.Get("probe"), ",")
		if !slices.Contains(kinds, "all") && !slices.Contains(kinds, string(r.Probe)) {
			continue
		}
		if (opts == "omitempty" || r.Result != OK) && v.Field(i).IsZero() {
			continue
		}
		var val bytes.Buffer
		enc := json.NewEncoder(&val)
		// Error texts quote addresses as "a->b"; HTML escaping would make them unreadable.
		enc.SetEscapeHTML(false)
		if err := enc.Encode(v.Field(i).Interface()); err != nil {
			return nil, fmt.Errorf("marshal field %s of %s result: %w", name, r.Probe, err)
		}
		if !first {
			buf.WriteByte(',')
		}
		first = false
		key, _ := json.Marshal(name)
		buf.Write(key)
		buf.WriteByte(':')
		buf.Write(bytes.TrimSuffix(val.Bytes(), []byte("\n")))
	}
	buf.WriteByte('}')
	return buf.Bytes(), nil
}

// String prints the result as its JSON, for logs and failure messages.
func (r Result) String() string {
	b, err := r.MarshalJSON()
	if err != nil {
		return fmt.Sprintf("%s %s (unprintable: %v)", r.Probe, r.Result, err)
	}
	return string(b)
}

// Validate checks that r is a result of kind and carries what its outcome promises. It rejects
// output that parsed as JSON but is not a labagent result.
func (r Result) Validate(kind Kind) error {
	if r.Probe != kind {
		return fmt.Errorf("validate result: probe is %q, want %q", r.Probe, kind)
	}
	if !slices.Contains(validOutcomes[kind], r.Result) {
		return fmt.Errorf("validate %s result: unknown result %q", kind, r.Result)
	}
	if r.Result == Error && r.Error == "" {
		return fmt.Errorf("validate %s result: result is error but no error text", kind)
	}
	if r.Result != OK {
		return nil
	}
	switch kind {
	case KindTCP, KindUDP, KindFTP:
		if r.ServerName == "" || r.ServerSaw == "" || r.Local == "" {
			return fmt.Errorf("validate %s result: ok without server_name, server_saw or local", kind)
		}
	case KindIperf:
		if r.Seconds <= 0 {
			return fmt.Errorf("validate iperf result: ok with seconds %v", r.Seconds)
		}
	case KindL2TP, KindSSTP, KindOVPN:
		if r.Local == "" {
			return fmt.Errorf("validate %s result: ok without local (the session's address)", kind)
		}
	case KindUPnP:
		if r.Gateway == "" || r.ExternalIP == "" {
			return fmt.Errorf("validate upnp result: ok without gateway or external_ip")
		}
	case KindDNS:
		if r.Rcode == "" {
			return fmt.Errorf("validate dns result: ok without rcode")
		}
	}
	return nil
}
