package agentcmd

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net"
	"path/filepath"
	"slices"
	"testing"
	"time"

	"github.com/miekg/dns"

	"github.com/chrlab/chrlab/harness/probe"
	"github.com/chrlab/chrlab/rosemu/service/cloud"
)

func TestCloudStandIn(t *testing.T) {
	o, err := parseNodeFlags([]string{"--name", "dns", "--serve", "dns,cloud", "--zone", "cloud.mikrotik.com=127.0.0.1", "--cloud-ttl", "60s"}, io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(o.serve, []string{"dns", "cloud"}) || o.cloud.ttl != time.Minute || o.cloud.port != cloud.Port {
		t.Fatalf("options = %+v", o)
	}
	for _, bad := range [][]string{{"--cloud-ttl", "1500ms"}, {"--cloud-ttl", "-1s"}, {"--cloud-port", "0"}} {
		if _, err := parseNodeFlags(append([]string{"--name", "dns", "--serve", "cloud"}, bad...), io.Discard); err == nil {
			t.Errorf("%v accepted", bad)
		}
	}

	f := o.cloud
	f.port = 0 // the kernel picks a free port on loopback
	f.socket = filepath.Join(t.TempDir(), "cloud.sock")
	var cs *cloudServer
	for attempt := 0; cs == nil; attempt++ {
		if cs, err = startCloud(f, "127.0.0.1", t.Logf); err != nil && attempt == 10 {
			t.Fatal(err)
		}
	}
	defer cs.close()
	var ds *publicDNS
	for attempt := 0; ds == nil; attempt++ {
		if ds, err = listenPublicDNS("127.0.0.1", 0, o.zones); err != nil && attempt == 10 {
			t.Fatal(err)
		}
	}
	defer ds.close()
	ds.cloud = cs.standIn
	ds.serve(t.Logf)
	dnsServer := ds.udp.LocalAddr().String()

	exchange := func(req []byte) []byte {
		t.Helper()
		c, err := net.Dial("udp", cs.udp.LocalAddr().String())
		if err != nil {
			t.Fatal(err)
		}
		defer c.Close()
		c.SetDeadline(time.Now().Add(5 * time.Second)) // only keeps a broken server from hanging the test
		if _, err := c.Write(req); err != nil {
			t.Fatal(err)
		}
		buf := make([]byte, 1500)
		n, err := c.Read(buf)
		if err != nil {
			t.Fatal(err)
		}
		return buf[:n]
	}
	resolve := func(name string) probe.Result {
		return probeDNS(context.Background(), aQuery(dnsServer, name))
	}

	name := "0123456789ab.sn.mynetname.net"
	if res := resolve(name); res.Result != probe.NXDomain {
		t.Fatalf("%s before any update: %s %v", name, res.Result, res.Answers)
	}
	if got := string(exchange(cloud.Request(cloud.OpUpdate, "0123456789AB"))); got != "chrlab-cloud/1 ok public-address=127.0.0.1" {
		t.Fatalf("update answered %q", got)
	}
	res := resolve(name)
	if res.Result != probe.OK || !slices.Equal(res.Answers, []string{"127.0.0.1"}) || res.TTL != 60 {
		t.Errorf("%s after update: %s %v ttl %d (%s)", name, res.Result, res.Answers, res.TTL, res.Error)
	}
	// The static zone keeps its own TTL.
	if res := resolve("cloud.mikrotik.com"); res.Result != probe.OK || res.TTL != publicDNSTTL || !slices.Equal(res.Answers, []string{"127.0.0.1"}) {
		t.Errorf("cloud.mikrotik.com: %s %v ttl %d", res.Result, res.Answers, res.TTL)
	}
	// cloud-records prints what was published.
	var out bytes.Buffer
	if code := runCloudRecords(context.Background(), []string{"--socket", f.socket}, &out, io.Discard); code != 0 {
		t.Fatalf("cloud-records exited %d", code)
	}
	var recs []cloud.Record
	if err := json.Unmarshal(out.Bytes(), &recs); err != nil {
		t.Fatalf("cloud-records printed %q: %v", out.String(), err)
	}
	if len(recs) != 1 || recs[0].Name != name || recs[0].Address.String() != "127.0.0.1" || recs[0].TTL != 60 || recs[0].Type != "A" {
		t.Errorf("records = %+v", recs)
	}
	if got := string(exchange([]byte("hello"))); !bytes.HasPrefix([]byte(got), []byte("chrlab-cloud/1 error ")) {
		t.Errorf("garbage answered %q", got)
	}
	if got := string(exchange(cloud.Request(cloud.OpDelete, "0123456789ab"))); got != "chrlab-cloud/1 ok" {
		t.Errorf("delete answered %q", got)
	}
	if res := resolve(name); res.Result != probe.NXDomain {
		t.Errorf("%s after delete: %s %v", name, res.Result, res.Answers)
	}
	if code := runCloudRecords(context.Background(), []string{"--socket", filepath.Join(t.TempDir(), "none.sock")}, io.Discard, io.Discard); code != 1 {
		t.Errorf("cloud-records without a stand-in exited %d, want 1", code)
	}
}

// aQuery is one A query with a bound that only keeps a broken server from hanging the test.
func aQuery(server, name string) dnsOptions {
	return dnsOptions{server: server, name: name, qtype: dns.TypeA, timeout: 5 * time.Second}
}
