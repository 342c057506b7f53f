package api

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"strings"
)

// limits bound what the server is willing to buffer for one sentence. RouterOS
// limits the number and size of sentences before login (API-DOC); the
// emulator does the same so that an unauthenticated peer cannot make it
// allocate a word of up to 4 GiB, which the 5-byte length encoding allows.
type limits struct {
	maxWord  int64 // bytes in one word
	maxWords int   // words in one sentence
}

var (
	// preLogin fits any real /login sentence (name and password) with room to spare.
	preLogin = limits{maxWord: 4 << 10, maxWords: 32}
	// postLogin fits scripts and long comments yet still refuses absurd
	// lengths from a broken client.
	postLogin = limits{maxWord: 16 << 20, maxWords: 8192}
)

// errFraming reports a sentence the server cannot parse; the connection
// cannot be resynchronised after it and is closed.
var errFraming = errors.New("invalid API framing")

// readLength decodes one word length as RouterOS frames it (docs/routeros.md).
func readLength(br *bufio.Reader) (int64, error) {
	b0, err := br.ReadByte()
	if err != nil {
		return 0, err
	}
	var extra int
	var n int64
	switch {
	case b0&0x80 == 0x00:
		return int64(b0), nil
	case b0&0xC0 == 0x80:
		extra, n = 1, int64(b0&^0xC0)
	case b0&0xE0 == 0xC0:
		extra, n = 2, int64(b0&^0xE0)
	case b0&0xF0 == 0xE0:
		extra, n = 3, int64(b0&^0xF0)
	case b0&0xF8 == 0xF0:
		// The five-byte form carries the whole length in the next four bytes.
		extra, n = 4, 0
	default:
		return 0, fmt.Errorf("read word length: %w: control byte %#x", errFraming, b0)
	}
	for range extra {
		b, err := br.ReadByte()
		if err != nil {
			return 0, unexpectedEOF(err)
		}
		n = n<<8 | int64(b)
	}
	return n, nil
}

// readSentence reads the words of one sentence, without the terminating
// empty word. An empty sentence yields no words and no error.
func readSentence(br *bufio.Reader, lim limits) ([]string, error) {
	var words []string
	for {
		n, err := readLength(br)
		if err != nil {
			if len(words) > 0 {
				err = unexpectedEOF(err)
			}
			return nil, err
		}
		if n == 0 {
			return words, nil
		}
		if n > lim.maxWord {
			return nil, fmt.Errorf("read word: %w: length %d exceeds the limit of %d bytes", errFraming, n, lim.maxWord)
		}
		if len(words) >= lim.maxWords {
			return nil, fmt.Errorf("read sentence: %w: more than %d words", errFraming, lim.maxWords)
		}
		b := make([]byte, n)
		if _, err := io.ReadFull(br, b); err != nil {
			return nil, unexpectedEOF(err)
		}
		words = append(words, string(b))
	}
}

func unexpectedEOF(err error) error {
	if err == io.EOF {
		return io.ErrUnexpectedEOF
	}
	return err
}

// request is one command sentence as the client sent it (docs/routeros.md).
type request struct {
	command string
	tag     string
	// attrs holds attribute words without the leading '=' (".id", "numbers",
	// ".proplist", "count-only", ...); a repeated name keeps the last value.
	attrs map[string]string
	// queries holds query words without the leading '?', in the order sent,
	// because query evaluation is order-dependent.
	queries []string
}

// parseRequest splits a sentence into its parts. Words of no known kind are
// dropped: RouterOS's answer to them is unverified, and dropping keeps the
// rest of the command meaningful.
func parseRequest(words []string) request {
	// An empty sentence is no command (the server skips them; this keeps
	// the decoder safe on its own).
	if len(words) == 0 {
		return request{attrs: map[string]string{}}
	}
	req := request{command: words[0], attrs: make(map[string]string)}
	for _, w := range words[1:] {
		switch {
		case strings.HasPrefix(w, ".tag="):
			req.tag = w[len(".tag="):]
		case strings.HasPrefix(w, "="):
			name, value, _ := strings.Cut(w[1:], "=")
			req.attrs[name] = value
		case strings.HasPrefix(w, "?"):
			req.queries = append(req.queries, w[1:])
		case strings.HasPrefix(w, "."):
			// Some clients send ".proplist=a,b" as an API attribute word
			// instead of "=.proplist=a,b"; both mean the same.
			name, value, _ := strings.Cut(w, "=")
			req.attrs[name] = value
		}
	}
	return req
}
