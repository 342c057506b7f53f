package rosemucmd

import (
	"net/netip"
	"testing"

	"github.com/chrlab/chrlab/rosemu/config"
	"github.com/chrlab/chrlab/rosemu/kernel"
)

// TestMgmtKernelOptional (forum48): the data plane of a router with a
// management port (the vm backend) still answers what the configuration
// layer asks of a kernel besides Apply, as the plain data plane of the
// rosemu backend does (the control): the entries rules added to address
// lists, learned neighbours and the routes kept out. The methods are
// those of rosemu/config's kernelLists, kernelNeighbors and
// inactiveRoutes.
func TestMgmtKernelOptional(t *testing.T) {
	for name, k := range map[string]config.Kernel{"rosemu": &kernel.Dataplane{}, "vm": mgmtKernel{port: "ether3"}} {
		if _, ok := k.(interface {
			DynamicListEntries() ([]kernel.DynEntry, error)
			RemoveDynamicEntry(list, addr string) error
		}); !ok {
			t.Errorf("%s: no address-list entries added by rules", name)
		}
		if _, ok := k.(interface {
			LearnedNeighbors() ([]kernel.LearnedNeighbor, error)
			RemoveLearnedNeighbor(addr netip.Addr, link string) error
		}); !ok {
			t.Errorf("%s: no learned neighbours", name)
		}
		if _, ok := k.(interface{ InactiveRoutes() []kernel.Route }); !ok {
			t.Errorf("%s: no inactive routes", name)
		}
	}
}
