package capture

import (
	"bytes"
	"github.com/chrlab/chrlab/internal/shpause"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/google/gopacket"
	"github.com/google/gopacket/layers"
	"github.com/google/gopacket/pcapgo"

	"github.com/chrlab/chrlab/harness/lab"
)

func TestPlanHairpin(t *testing.T) {
	spec, err := lab.Load(filepath.Join("..", "..", "labs", "hairpin.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	got := Plan(spec)
	// The router's two networks on its ports; the internet, which the
	// router is not on, at the ISP that routes it (not at dns, the first
	// node listed there).
	want := []Point{{"isp", "router"}, {"internet", "isp"}, {"lan", "router"}}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("Plan(hairpin) = %v, want %v", got, want)
	}
	if f := got[0].File(); f != "pcap/isp.pcap" {
		t.Errorf("File = %q", f)
	}
}

func TestPlanFirstNodeWithoutRouter(t *testing.T) {
	spec := &lab.Spec{
		Router:   lab.Router{Name: "r", Ports: []lab.Interface{{Network: "a"}}},
		Networks: []lab.Network{{Name: "a"}, {Name: "b"}, {Name: "empty"}},
		Nodes: []lab.Node{
			{Name: "x", Interfaces: []lab.Interface{{Network: "a"}}},
			{Name: "y", Interfaces: []lab.Interface{{Network: "b"}}},
			{Name: "z", Interfaces: []lab.Interface{{Network: "b"}}},
		},
	}
	want := []Point{{"a", "r"}, {"b", "y"}} // a network nobody is on has no capture
	if got := Plan(spec); !reflect.DeepEqual(got, want) {
		t.Errorf("Plan = %v, want %v", got, want)
	}
}

func TestStartCommandBounds(t *testing.T) {
	cmd := Point{Network: "lan", Member: "router"}.StartCommand("ether2", Bounds{Snaplen: 256, FileMB: 3, Files: 5})
	script := shpause.Script(cmd)
	if script == "" {
		t.Fatalf("command %q", cmd)
	}
	for _, want := range []string{"-i 'ether2'", "-s 256", "-C 3", "-W 5", "-U", "--immediate-mode", "-Z root", "-w '/tmp/chrlab-pcap/lan.pcap'", "'listening on'", "echo $pid"} {
		if !strings.Contains(script, want) {
			t.Errorf("start command lacks %q: %s", want, script)
		}
	}
	if q := shellQuote("a'b"); q != `'a'\''b'` {
		t.Errorf("shellQuote = %s", q)
	}
}

// pcapFile writes a pcap of packets stamped at the given seconds.
func pcapFile(t *testing.T, secs ...int) []byte {
	t.Helper()
	var b bytes.Buffer
	w := pcapgo.NewWriter(&b)
	if err := w.WriteFileHeader(512, layers.LinkTypeEthernet); err != nil {
		t.Fatal(err)
	}
	for _, s := range secs {
		data := []byte{byte(s), 1, 2, 3}
		ci := gopacket.CaptureInfo{Timestamp: time.Unix(int64(s), 0), CaptureLength: len(data), Length: len(data)}
		if err := w.WritePacket(ci, data); err != nil {
			t.Fatal(err)
		}
	}
	return b.Bytes()
}

func stamps(t *testing.T, f []byte) []int64 {
	t.Helper()
	r, err := pcapgo.NewReader(bytes.NewReader(f))
	if err != nil {
		t.Fatal(err)
	}
	var out []int64
	for {
		_, ci, err := r.ReadPacketData()
		if err != nil {
			return out
		}
		out = append(out, ci.Timestamp.Unix())
	}
}

func TestMergeOrdersWrappedRing(t *testing.T) {
	// A ring that wrapped: file 0 holds the newest packets, file 1 the
	// oldest; file 2 was cut mid-packet by a stop.
	cut := pcapFile(t, 7, 8)
	cut = cut[:len(cut)-2]
	got, err := Merge([][]byte{pcapFile(t, 5, 6), pcapFile(t, 1, 2), cut, nil})
	if err != nil {
		t.Fatal(err)
	}
	if s := stamps(t, got); !reflect.DeepEqual(s, []int64{1, 2, 5, 6, 7}) {
		t.Errorf("merged stamps %v, want [1 2 5 6 7]", s)
	}
	if _, err := Merge([][]byte{[]byte("not a pcap file at all")}); err == nil {
		t.Error("Merge accepted a file that is not a pcap")
	}
	if _, err := Merge(nil); err == nil {
		t.Error("Merge of nothing gave no error")
	}
}
