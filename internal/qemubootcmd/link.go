package qemubootcmd

import (
	"bufio"
	"encoding/json"
	"fmt"
	"net"
	"strconv"
	"time"
)

// qmpSocket is where QEMU serves its machine protocol (QMP) inside the
// container. qemuboot uses it for one thing: a lab step that unplugs a
// port's cable (link-down) sets the guest NIC's link down, as pulling the
// cable of a real router port makes its ethernet lose carrier. The lab's
// own end of the wire going down is not enough for a guest: the container
// bridges the port to a tap, and QEMU keeps telling the guest the link is
// up.
const qmpSocket = "/run/qemuboot/qmp.sock"

// netdevID is the QEMU id of port n (1-based, the lab's port order), as
// qemuArgs names the NICs.
func netdevID(n int) string { return fmt.Sprintf("port%d", n) }

// linkMain is `qemuboot link N up|down`: it sets the link of port N of the
// running guest over QMP and exits 0, or prints why not and exits 1.
func linkMain(args []string) error {
	if len(args) != 2 {
		return fmt.Errorf("usage: qemuboot link PORT-NUMBER up|down")
	}
	n, err := strconv.Atoi(args[0])
	if err != nil || n < 1 {
		return fmt.Errorf("port number %q is not a number from 1", args[0])
	}
	var up bool
	switch args[1] {
	case "up":
		up = true
	case "down":
	default:
		return fmt.Errorf("link state %q is neither up nor down", args[1])
	}
	conn, err := net.DialTimeout("unix", qmpSocket, 5*time.Second)
	if err != nil {
		return fmt.Errorf("reach QEMU's QMP socket %s (is the guest running?): %w", qmpSocket, err)
	}
	defer conn.Close()
	_ = conn.SetDeadline(time.Now().Add(10 * time.Second))
	return setLink(conn, netdevID(n), up)
}

// qmpReply is one line QEMU sends: a greeting, a command's return or
// error, or an asynchronous event.
type qmpReply struct {
	QMP    json.RawMessage `json:"QMP"`
	Return json.RawMessage `json:"return"`
	Error  *struct {
		Class string `json:"class"`
		Desc  string `json:"desc"`
	} `json:"error"`
	Event string `json:"event"`
}

// setLink speaks QMP on conn: it reads the greeting, leaves capability
// negotiation, and runs set_link for the netdev id, skipping events.
func setLink(conn net.Conn, id string, up bool) error {
	rd := bufio.NewReader(conn)
	next := func(what string) (qmpReply, error) {
		for {
			line, err := rd.ReadBytes('\n')
			if err != nil {
				return qmpReply{}, fmt.Errorf("QMP %s: read QEMU's answer: %w", what, err)
			}
			var r qmpReply
			if err := json.Unmarshal(line, &r); err != nil {
				return qmpReply{}, fmt.Errorf("QMP %s: QEMU's answer %q is not JSON: %w", what, line, err)
			}
			if r.Event != "" {
				continue
			}
			return r, nil
		}
	}
	if r, err := next("greeting"); err != nil {
		return err
	} else if r.QMP == nil {
		return fmt.Errorf("QMP greeting: QEMU did not greet")
	}
	send := func(cmd map[string]any, what string) error {
		b, _ := json.Marshal(cmd)
		if _, err := conn.Write(append(b, '\n')); err != nil {
			return fmt.Errorf("QMP %s: %w", what, err)
		}
		r, err := next(what)
		if err != nil {
			return err
		}
		if r.Error != nil {
			return fmt.Errorf("QMP %s: %s: %s", what, r.Error.Class, r.Error.Desc)
		}
		if r.Return == nil {
			return fmt.Errorf("QMP %s: QEMU answered neither return nor error", what)
		}
		return nil
	}
	if err := send(map[string]any{"execute": "qmp_capabilities"}, "capabilities"); err != nil {
		return err
	}
	state := "down"
	if up {
		state = "up"
	}
	return send(map[string]any{"execute": "set_link", "arguments": map[string]any{"name": id, "up": up}},
		fmt.Sprintf("set_link %s %s", id, state))
}
