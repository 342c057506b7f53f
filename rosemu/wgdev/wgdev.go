// Package wgdev starts a user-space WireGuard device (wireguard-go) on a
// TUN link, for rosemu's WireGuard interfaces and the lab's WireGuard
// nodes alike.
package wgdev

import (
	"fmt"

	"github.com/chrlab/chrlab/rosemu/tundev"
	"golang.zx2c4.com/wireguard/conn"
	"golang.zx2c4.com/wireguard/device"
	"golang.zx2c4.com/wireguard/tun"
)

// Open attaches a device to the TUN link name, making the link when it is
// missing (a persistent link the kernel package made is attached to), with
// its UDP socket in the calling process's network namespace. errorf gets
// the device's errors; its verbose log is dropped. The caller configures
// the device (IpcSet), brings it up and closes it, and tells the returned
// NoPeer the peers and their allowed addresses after each configuration.
func Open(name string, mtu int, errorf func(format string, args ...any)) (*device.Device, *NoPeer, error) {
	if err := tundev.EnsureNode(); err != nil {
		return nil, nil, err
	}
	td, err := tun.CreateTUN(name, mtu)
	if err != nil {
		return nil, nil, fmt.Errorf("attach to the TUN link %s: %w", name, err)
	}
	np := &NoPeer{Device: td}
	l := &device.Logger{Verbosef: func(string, ...any) {}, Errorf: errorf}
	d := device.NewDevice(np, conn.NewDefaultBind(), l)
	np.state = d.IpcGet // before the caller's first SetPeers, which turns the answers on
	return d, np, nil
}
