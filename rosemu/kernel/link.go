package kernel

import "golang.org/x/sys/unix"

// Running reports whether the router port with RouterOS default name
// name is running: up, and with carrier on its link, which a lab step
// that pulls the port's cable takes away. known is false when the port is
// not in the router namespace.
func (d *Dataplane) Running(name string) (running, known bool) {
	d.mu.Lock()
	defer d.mu.Unlock()
	l, err := d.nl.LinkByName(LinkName(name))
	if err != nil {
		return false, false
	}
	return l.Attrs().RawFlags&unix.IFF_RUNNING != 0, true
}
