package filter

import (
	"errors"
	"fmt"
	"strings"

	"github.com/tandemcrm/tandem/internal/crm"
)

// Pos is a place in the filter text: Line and Col count from 1, Col in
// characters (not bytes) so it matches what a person sees; Offset is in bytes.
type Pos struct {
	Offset, Line, Col int
}

func (p Pos) String() string { return fmt.Sprintf("%d:%d", p.Line, p.Col) }

// Error is the one error type of the package: what is wrong, where, and, when
// we can guess, what the person probably meant.
type Error struct {
	Line, Col int    // where the mistake starts, from 1; Col in characters
	Offset    int    // the same place in bytes
	Message   string // e.g. "unknown field 'ownr'"
	Hint      string // e.g. "did you mean 'owner'?"; may be empty
}

// Pos is where the mistake starts.
func (e *Error) Pos() Pos { return Pos{Offset: e.Offset, Line: e.Line, Col: e.Col} }

func (e *Error) Error() string {
	s := e.Message + " at " + e.Pos().String()
	if e.Hint != "" {
		s += " — " + e.Hint
	}
	return s
}

func errorf(p Pos, format string, args ...any) *Error {
	return &Error{Line: p.Line, Col: p.Col, Offset: p.Offset, Message: fmt.Sprintf(format, args...)}
}

func (e *Error) hint(format string, args ...any) *Error {
	e.Hint = fmt.Sprintf(format, args...)
	return e
}

// Invalid turns a filter error into the domain's invalid-input error, with the
// message attached to field (usually "filter") so the API reports it as a
// per-field problem. Other errors are returned unchanged.
func Invalid(err error, field string) error {
	var e *Error
	if !errors.As(err, &e) {
		return err
	}
	ce := crm.Errorf(crm.Invalid, "The filter is not valid: %s", e.Error())
	ce.Fields = map[string]string{field: e.Error()}
	return ce
}

// suggest returns the candidate closest to word, if it is close enough to be
// a plausible typo.
func suggest(word string, candidates []string) string {
	best, bestD := "", len(word)/3+2
	for _, c := range candidates {
		if d := distance(strings.ToLower(word), strings.ToLower(c)); d < bestD {
			best, bestD = c, d
		}
	}
	return best
}

// distance is the Levenshtein edit distance in characters.
func distance(a, b string) int {
	ra, rb := []rune(a), []rune(b)
	prev := make([]int, len(rb)+1)
	cur := make([]int, len(rb)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(ra); i++ {
		cur[0] = i
		for j := 1; j <= len(rb); j++ {
			cost := 1
			if ra[i-1] == rb[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(rb)]
}
