package script

import "strconv"

// Pos is a 1-based line and column in the source.
type Pos struct{ Line, Col int }

// Error is a RouterOS console error with the position it refers to. Package
// config converts it into its own Error type for callers.
type Error struct {
	Msg      string
	Category int // the API trap category (see config.Error)
	Pos      Pos
	// In names the script whose source Pos is in, when that is not the
	// source being run (/system script run): the message stays
	// RouterOS's, and a caller placing the error in its own text knows
	// the position is not its.
	In string
}

func (e *Error) Error() string {
	if e.Pos.Line > 0 {
		return e.Msg + " (line " + strconv.Itoa(e.Pos.Line) + " column " + strconv.Itoa(e.Pos.Col) + ")"
	}
	return e.Msg
}

// Placeable is implemented by errors a Host returns so that the interpreter
// can put them at the right place in the source: the named argument when
// ArgName is not empty and appears in the command, the command otherwise.
type Placeable interface {
	error
	ArgName() string
	Place(line, col int)
}

// Messager is implemented by a Host's errors whose text stands apart from
// the position their Error adds: :onerror gives a script the text alone,
// as it does for the interpreter's own errors.
type Messager interface {
	error
	Message() string
}

// Block is a sequence of statements: a whole source, a { } block, a do=
// body or the inside of a command substitution.
type Block struct {
	P     Pos
	Stmts []Stmt
}

// Stmt is one statement.
type Stmt interface{ Position() Pos }

// MenuStmt is a line that is only a menu path: it changes the current menu
// of the lines that follow, as in .rsc exports.
type MenuStmt struct {
	P    Pos
	Path []string
}

// CmdStmt is a menu command with its absolute, resolved menu path.
type CmdStmt struct {
	P       Pos
	Path    []string
	Verb    string
	VerbPos Pos
	Args    []Arg
	// Where is the expression of "where ..." (print) or of find's
	// arguments; nil when absent.
	Where Expr
	// Do is the do={ } block of a monitor, run with the reading's values
	// as its variables DoVars; nil when absent.
	Do     *Block
	DoVars []string
}

// GlobalStmt is a global command such as :put or :if.
type GlobalStmt struct {
	P    Pos
	Name string
	Args []Arg
}

// BlockStmt is a { } block as a statement.
type BlockStmt struct{ Block *Block }

// ExprStmt is an expression used as a statement, such as a parenthesised
// expression.
type ExprStmt struct{ X Expr }

// CallStmt is a line that starts with a variable: $f a=1 "x" calls the
// function $f holds with the named argument $a and the positional $1; a
// variable that holds no code is the line's value ([$name] is $name).
type CallStmt struct {
	P    Pos
	Fn   Expr
	Args []Arg
}

func (s *MenuStmt) Position() Pos   { return s.P }
func (s *CmdStmt) Position() Pos    { return s.P }
func (s *GlobalStmt) Position() Pos { return s.P }
func (s *BlockStmt) Position() Pos  { return s.Block.P }
func (s *ExprStmt) Position() Pos   { return s.X.Position() }
func (s *CallStmt) Position() Pos   { return s.P }

// Arg is one argument: Name is empty for unnamed arguments. A bare
// unnamed word keeps its text in Value as a *Word.
type Arg struct {
	P     Pos
	Name  string
	Value Expr
}

// Expr is an expression node.
type Expr interface{ Position() Pos }

// Lit is a typed literal.
type Lit struct {
	P   Pos
	Val Value
	// Raw is the source text of an unquoted literal; where clauses compare
	// it with property values as RouterOS prints them.
	Raw string
}

// Word is a bare word: a property name in where expressions, a typed
// literal elsewhere.
type Word struct {
	P    Pos
	Text string
}

// StrLit is a quoted string; Parts are literal pieces and $variables.
type StrLit struct {
	P     Pos
	Parts []Expr
}

// Var is $name or $"name".
type Var struct {
	P    Pos
	Name string
	// Item is set for a variable used in a where clause without being
	// declared: it reads the tested item's property of its name.
	Item bool
}

// Sub is [ ... ] command substitution.
type Sub struct {
	P    Pos
	Body *Block
}

// Unary is a prefix operator: ! - any.
type Unary struct {
	P  Pos
	Op string
	X  Expr
}

// Binary is an infix operator.
type Binary struct {
	P    Pos
	Op   string
	X, Y Expr
}

// Concat is adjacent value pieces without whitespace: a"b"$c.
type Concat struct {
	P     Pos
	Parts []Expr
}

// ArrayLit is {a;b;c} or {k=v;...}.
type ArrayLit struct {
	P     Pos
	Keys  []string // "" for un-keyed elements
	Elems []Expr
}

// CodeLit is a { } block used as a value (do=, else=, on-error=).
type CodeLit struct{ Body *Block }

func (e *Lit) Position() Pos      { return e.P }
func (e *Word) Position() Pos     { return e.P }
func (e *StrLit) Position() Pos   { return e.P }
func (e *Var) Position() Pos      { return e.P }
func (e *Sub) Position() Pos      { return e.P }
func (e *Unary) Position() Pos    { return e.P }
func (e *Binary) Position() Pos   { return e.P }
func (e *Concat) Position() Pos   { return e.P }
func (e *ArrayLit) Position() Pos { return e.P }
func (e *CodeLit) Position() Pos  { return e.Body.P }

// WhereNames are the words of a where clause that name properties of the
// item under test: the left side of a comparison ("default=yes",
// "address in 10.0.0.0/8") and a word that stands alone as a condition
// ("find running", "print where !disabled"). A word on the right side is
// a value and is not among them.
func WhereNames(x Expr) []*Word {
	switch n := x.(type) {
	case *Word:
		return []*Word{n}
	case *Unary:
		if n.Op == "!" {
			return WhereNames(n.X)
		}
	case *Binary:
		switch n.Op {
		case "and", "&&", "or", "||":
			return append(WhereNames(n.X), WhereNames(n.Y)...)
		case "in", "=", "!=", "<", ">", "<=", ">=", "~":
			if w, ok := n.X.(*Word); ok {
				return []*Word{w}
			}
		}
	}
	return nil
}
