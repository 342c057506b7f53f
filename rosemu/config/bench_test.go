package config

import (
	"context"
	"fmt"
	"os"
	"strings"
	"testing"
)

// BenchmarkRun measures one console transaction of the emulator (parse,
// execute on a copy of the model, build the kernel state, commit): the
// lab's base configuration, and a large NAT table of a thousand port
// forwards, side by side so that their ratio shows how apply time grows
// with the configuration.
func BenchmarkRun(b *testing.B) {
	base, err := os.ReadFile("../../labs/hairpin.rsc")
	if err != nil {
		b.Fatal(err)
	}
	var big strings.Builder
	big.WriteString("/ip firewall nat\n")
	for i := 0; i < 1000; i++ {
		fmt.Fprintf(&big, "add action=dst-nat chain=dstnat comment=\"forward %d\" dst-address=203.0.113.2 dst-port=%d protocol=tcp to-addresses=192.168.88.10\n", i, 10000+i)
	}
	for _, tc := range []struct {
		name string
		src  string
	}{
		{"base", string(base)},
		{"base+1000-forwards", string(base) + big.String()},
	} {
		b.Run(tc.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				r := New(Options{Ports: []string{"ether1", "ether2"}})
				if _, err := r.Run(context.Background(), tc.src); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
