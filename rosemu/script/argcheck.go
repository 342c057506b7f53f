package script

// globalArgs lists what each global command cannot run without: the
// unnamed arguments by the name RouterOS's console help gives them, then
// the named ones. The interpreter relies on these checks, so that a bare
// ":for" or ":log" is refused when it is compiled instead of failing (or
// crashing the router) when it runs.
var globalArgs = map[string]struct {
	unnamed []string
	named   []string
}{
	"local":   {unnamed: []string{"name"}},
	"global":  {unnamed: []string{"name"}},
	"set":     {unnamed: []string{"name"}},
	"if":      {unnamed: []string{"condition"}},
	"while":   {unnamed: []string{"condition"}},
	"for":     {unnamed: []string{"counter"}, named: []string{"from", "to", "do"}},
	"foreach": {unnamed: []string{"counter"}, named: []string{"in", "do"}},
	"log":     {unnamed: []string{"topic", "message"}},
	"do":      {unnamed: []string{"command"}},
	"pick":    {unnamed: []string{"var", "start"}},
	"find":    {unnamed: []string{"var", "arg"}},
	"delay":   {unnamed: []string{"delay-time"}},
	"rndnum":  {named: []string{"from", "to"}},
	"onerror": {unnamed: []string{"error"}},
}

// checkGlobalArgs refuses a global command that lacks an argument it
// needs, in the console's words, at the command.
func checkGlobalArgs(st *GlobalStmt) error {
	spec, ok := globalArgs[st.Name]
	if !ok {
		return nil
	}
	n := 0
	named := map[string]bool{}
	for _, a := range st.Args {
		if a.Name == "" {
			n++
		} else {
			named[a.Name] = true
		}
	}
	// :log's message may also be given by its name (":log warning
	// message=...", as old scripts and the v2.4 manual write it).
	for i := n; i < len(spec.unnamed); i++ {
		// So may :delay's time (":delay delay-time=1", the console help's
		// name for it).
		if !(spec.unnamed[i] == "message" && named["message"]) && !(spec.unnamed[i] == "delay-time" && named["delay-time"]) && !(spec.unnamed[i] == "error" && named["error"]) {
			return &Error{Msg: "missing value for argument " + spec.unnamed[i], Category: 3, Pos: st.P}
		}
	}
	for _, k := range spec.named {
		if !named[k] {
			return &Error{Msg: "missing value for argument " + k, Category: 3, Pos: st.P}
		}
	}
	return nil
}

// unnamedAt returns the i-th unnamed argument, or a nothing literal: the
// interpreter's second line of defence behind checkGlobalArgs.
func (g gargs) unnamedAt(i int) Expr {
	if i < len(g.unnamed) {
		return g.unnamed[i]
	}
	return &Lit{Val: Nothing()}
}
