package config

import "strconv"

// Prop is one property of a printed row, in RouterOS naming.
type Prop struct {
	Name, Value string
}

// Row is one item as print returns it, properties in RouterOS's order
// (".id" first over the API).
type Row []Prop

// Get returns the value of the named property and whether it is present.
func (r Row) Get(name string) (string, bool) {
	for _, p := range r {
		if p.Name == name {
			return p.Value, true
		}
	}
	return "", false
}

// Error is a RouterOS error: the message in RouterOS's own words, its API
// trap category (0 missing item or command, 1 argument value failure,
// 2 interrupted, 3 scripting failure, 4 general failure, 5 API failure), and
// where it applies the 1-based line and column of the CLI source it refers to.
type Error struct {
	Msg      string
	Category int
	Line     int // 0 when no position applies (API commands)
	Col      int
	// In names the script whose source Line and Col are in, when it is
	// not the source being run (script.Error.In).
	In string

	arg string // the argument at fault, for placing console errors
}

func (e *Error) Error() string {
	if e.Line > 0 {
		return e.Msg + " (line " + strconv.Itoa(e.Line) + " column " + strconv.Itoa(e.Col) + ")"
	}
	return e.Msg
}

// Message is the error's text without its position: what a script's
// :onerror variable holds (script.Messager).
func (e *Error) Message() string { return e.Msg }

// ArgName names the argument the error is about ("" for the whole
// command); the script interpreter uses it to point at the argument.
func (e *Error) ArgName() string { return e.arg }

// Place sets the source position of the error.
func (e *Error) Place(line, col int) { e.Line, e.Col = line, col }
