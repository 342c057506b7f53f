package qemubootcmd

import (
	"context"
	"fmt"
	"io"
	"net"
	"net/netip"
	"time"
)

// relay accepts TCP connections on from (the container's management
// address) and joins each to a connection to to (QEMU's forward on
// loopback), until ctx ends.
func relay(ctx context.Context, from, to netip.AddrPort) error {
	l, err := net.Listen("tcp", from.String())
	if err != nil {
		return fmt.Errorf("listen on %s to relay to the guest: %w", from, err)
	}
	go func() {
		<-ctx.Done()
		l.Close()
	}()
	go func() {
		for {
			c, err := l.Accept()
			if err != nil {
				return
			}
			go join(c, to)
		}
	}()
	return nil
}

func join(c net.Conn, to netip.AddrPort) {
	defer c.Close()
	u, err := net.DialTimeout("tcp", to.String(), 5*time.Second)
	if err != nil {
		return
	}
	defer u.Close()
	done := make(chan struct{}, 2)
	cp := func(dst, src net.Conn) {
		_, _ = io.Copy(dst, src)
		if tc, ok := dst.(*net.TCPConn); ok {
			_ = tc.CloseWrite()
		}
		done <- struct{}{}
	}
	go cp(u, c)
	go cp(c, u)
	<-done
	<-done
}
