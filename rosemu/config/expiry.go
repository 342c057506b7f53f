package config

import (
	"time"

	"github.com/chrlab/chrlab/rosemu/script"
)

// armExpiry sets the timer that drops the address-list entries whose
// timeout= ends, at the moment the first of them ends. RouterOS removes an
// entry when its timeout passes; rosemu dropped it only when some later
// transaction began, so on a quiet router a 6 s entry still let traffic
// through minutes later. Called with r.mu held, after each commit. Only a
// router with a kernel has a timer: the offline check has no time.
func (r *Router) armExpiry() {
	if r.opts.Kernel == nil {
		return
	}
	var first time.Time
	for _, tbl := range []string{"ip firewall address-list", "ipv6 firewall address-list"} {
		for _, it := range r.m.tables[tbl] {
			if !it.expires.IsZero() && (first.IsZero() || it.expires.Before(first)) {
				first = it.expires
			}
		}
	}
	if r.expiry != nil {
		r.expiry.Stop()
		r.expiry = nil
	}
	if first.IsZero() {
		return
	}
	r.expiry = time.AfterFunc(time.Until(first), func() {
		var err error
		r.mu.Lock()
		defer r.mu.Unlock()
		defer guarded("address-list timeout", &err)
		// begin drops what ended; commit applies it and arms the next.
		if cerr := r.commit(r.begin(false)); cerr != nil {
			r.appendLog(script.LogEntry{Time: time.Now(), Topics: "firewall,error", Msg: "address-list timeout: " + cerr.Error()})
		}
	})
}
