package capture

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"math"
	"sort"

	"github.com/google/gopacket"
	"github.com/google/gopacket/layers"
	"github.com/google/gopacket/pcapgo"
)

type packet struct {
	ci   gopacket.CaptureInfo
	data []byte
}

type ringFile struct {
	link    layers.LinkType
	snaplen uint32
	packets []packet
}

// Merge joins the files of one tcpdump ring into one pcap file, oldest
// packet first. The ring's file numbers say nothing of age once it has
// wrapped, so files are ordered by their first packet. A file cut short (a
// capture stopped mid-write) contributes the packets it holds whole.
func Merge(files [][]byte) ([]byte, error) {
	var ring []ringFile
	for i, f := range files {
		r, err := pcapgo.NewReader(bytes.NewReader(f))
		if err != nil {
			if len(f) == 0 {
				continue // opened by tcpdump, nothing written yet
			}
			return nil, fmt.Errorf("read file %d of the ring: %w", i, err)
		}
		rf := ringFile{link: r.LinkType(), snaplen: r.Snaplen()}
		for {
			data, ci, err := r.ReadPacketData()
			if err != nil {
				if !errors.Is(err, io.EOF) && !errors.Is(err, io.ErrUnexpectedEOF) {
					return nil, fmt.Errorf("read file %d of the ring: %w", i, err)
				}
				break
			}
			rf.packets = append(rf.packets, packet{ci: ci, data: data})
		}
		ring = append(ring, rf)
	}
	if len(ring) == 0 {
		return nil, errors.New("no file of the ring has a pcap header")
	}
	sort.SliceStable(ring, func(a, b int) bool { return first(ring[a]) < first(ring[b]) })
	var out bytes.Buffer
	w := pcapgo.NewWriter(&out)
	if err := w.WriteFileHeader(ring[0].snaplen, ring[0].link); err != nil {
		return nil, err
	}
	for _, rf := range ring {
		if rf.link != ring[0].link {
			return nil, fmt.Errorf("the ring mixes link types %s and %s", ring[0].link, rf.link)
		}
		for _, p := range rf.packets {
			if err := w.WritePacket(p.ci, p.data); err != nil {
				return nil, err
			}
		}
	}
	return out.Bytes(), nil
}

// first is the time of a file's first packet; an empty file sorts last.
func first(rf ringFile) int64 {
	if len(rf.packets) == 0 {
		return math.MaxInt64
	}
	return rf.packets[0].ci.Timestamp.UnixNano()
}
