package ui

import (
	"net/url"
	"regexp"
	"strconv"
	"strings"

	"github.com/tandemcrm/tandem/internal/crm"
)

// maxPrev bounds the stack of earlier cursors kept in a list's URL; older
// pages are reached through "First page".
const maxPrev = 20

// listState is what a list URL says: ?filter=…&sort=…&columns=…&view=ID
// &cursor=…&prev=c1,c2&total=N. Everything a list shows can be linked to.
type listState struct {
	path string
	// has* say the URL names the value (possibly empty), which then wins
	// over the saved view's.
	hasFilter, hasSort, hasColumns bool
	Filter                         string
	Sort                           string
	Columns                        string
	ViewID                         crm.ID
	Cursor                         string
	Prev                           []string // cursors of the pages before this one (after the first)
	Total                          string   // the first page's count, carried along for display
}

var totalRE = regexp.MustCompile(`^[0-9]{1,9}\+?$`)

func readListState(q url.Values, path string) listState {
	s := listState{path: path, hasFilter: q.Has("filter"), hasSort: q.Has("sort"), hasColumns: q.Has("columns"), Filter: strings.TrimSpace(q.Get("filter")), Sort: strings.TrimSpace(q.Get("sort")),
		Columns: strings.TrimSpace(q.Get("columns")), Cursor: q.Get("cursor"), Total: q.Get("total")}
	s.ViewID, _ = crm.ParseID(q.Get("view"))
	if p := q.Get("prev"); p != "" && s.Cursor != "" {
		s.Prev = strings.Split(p, ",")
	}
	if len(s.Prev) > maxPrev {
		s.Prev = s.Prev[len(s.Prev)-maxPrev:]
	}
	if !totalRE.MatchString(s.Total) {
		s.Total = ""
	}
	return s
}

// url renders the state as a link; paging fields are dropped unless set.
func (s listState) url() string {
	q := url.Values{}
	set := func(k, v string) {
		if v != "" {
			q.Set(k, v)
		}
	}
	if s.ViewID != 0 {
		// With a view, an empty value overrides the view's, so keep it.
		q.Set("view", s.ViewID.String())
		set = func(k, v string) { q.Set(k, v) }
	}
	set("filter", s.Filter)
	set("sort", s.Sort)
	set("columns", s.Columns)
	set = func(k, v string) {
		if v != "" {
			q.Set(k, v)
		}
	}
	set("cursor", s.Cursor)
	if s.Cursor != "" {
		set("prev", strings.Join(s.Prev, ","))
		set("total", s.Total)
	}
	if len(q) == 0 {
		return s.path
	}
	return s.path + "?" + q.Encode()
}

// first is the same list from its first page.
func (s listState) first() listState {
	s.Cursor, s.Prev, s.Total = "", nil, ""
	return s
}

func (s listState) next(cursor, total string) string {
	n := s
	n.Prev = append([]string(nil), s.Prev...)
	if s.Cursor != "" {
		n.Prev = append(n.Prev, s.Cursor)
	}
	n.Cursor, n.Total = cursor, total
	return n.url()
}

func (s listState) prev() string {
	if s.Cursor == "" {
		return ""
	}
	p := s
	if len(s.Prev) == 0 {
		return s.first().url()
	}
	p.Cursor, p.Prev = s.Prev[len(s.Prev)-1], s.Prev[:len(s.Prev)-1]
	return p.url()
}

// sortBy is the link a column header points to: ascending first, then
// descending on a second click.
func (s listState) sortBy(key string) (string, string) {
	dir := ""
	for i, part := range strings.Split(s.Sort, ",") {
		if i == 0 && part == key {
			dir = "asc"
		} else if i == 0 && part == "-"+key {
			dir = "desc"
		}
	}
	n := s.first()
	n.Sort = key
	if dir == "asc" {
		n.Sort = "-" + key
	}
	return n.url(), dir
}

// count formats a total: "1,234 contacts", "1,000+ contacts".
func count(n int, exact bool, nouns string) string {
	s := strconv.Itoa(n)
	for i := len(s) - 3; i > 0; i -= 3 {
		s = s[:i] + "," + s[i:]
	}
	if !exact {
		s += "+"
	}
	if n == 1 && exact {
		return s + " " + map[string]string{"contacts": "contact", "companies": "company"}[nouns]
	}
	return s + " " + nouns
}

func urlQuery(s string) string { return url.QueryEscape(s) }
