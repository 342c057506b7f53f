package kernel

import (
	"os"
	"os/exec"
	"sync"
	"testing"
	"time"

	"github.com/chrlab/chrlab/internal/netnstest"
)

// TestSendUDPOnePortWhileForking: sendUDP sends datagram after datagram
// from one port while other goroutines fork and exec, as this package's
// parallel tests do (ip, nft, tc). A forked child holds a copy of the
// socket sendUDP just closed until it execs, and without SO_REUSEADDR the
// next bind of that port failed "bind: address already in use"
// (TestNthOneCountPerRule's flake, sending from 192.168.88.20:5000).
func TestSendUDPOnePortWhileForking(t *testing.T) {
	if os.Geteuid() != 0 {
		t.Skip("needs root to create a network namespace")
	}
	nss, hs := netnstest.New(t, 1)
	netnstest.LoopbackUp(t, hs[0])
	stop := make(chan struct{})
	var wg sync.WaitGroup
	for range 2 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				select {
				case <-stop:
					return
				default:
				}
				_ = exec.Command("true").Run()
			}
		}()
	}
	defer wg.Wait()
	defer close(stop)
	sent := 0
	for end := time.Now().Add(time.Second); time.Now().Before(end); sent++ {
		sendUDP(t, nss[0], "127.0.0.1:5000", "127.0.0.1:9")
	}
	t.Logf("%d datagrams from port 5000", sent)
}
