package activities

import (
	"encoding/base64"
	"encoding/json"
	"time"

	"github.com/tandemcrm/tandem/internal/crm"
	"github.com/tandemcrm/tandem/internal/store"
)

// Bucket is a section of "my day".
type Bucket string

// The sections of "my day".
const (
	Overdue  Bucket = "overdue"
	Today    Bucket = "today"
	Upcoming Bucket = "upcoming"
)

// Buckets in the order the page shows them.
var Buckets = []Bucket{Overdue, Today, Upcoming}

// Day is "today" for one person: the moment and their time zone.
type Day struct {
	Now time.Time
	Loc *time.Location
}

// Bounds are the instants that split a day into buckets. A timed activity
// is overdue once its time has passed (Now), today until the next local
// midnight (End), upcoming after. An all-day one, stored at 00:00 UTC of
// its date, compares that date with today's local date (DateStart, at
// 00:00 UTC) and the next (DateEnd).
type Bounds struct {
	Now, End, DateStart, DateEnd time.Time
}

// Bounds computes today's bounds in d's zone. A day is not always 24 hours
// (daylight saving): End is the next local midnight.
func (d Day) Bounds() Bounds {
	loc := d.Loc
	if loc == nil {
		loc = time.UTC
	}
	t := d.Now.In(loc)
	y, m, dd := t.Date()
	b := Bounds{Now: d.Now.UTC(), End: time.Date(y, m, dd+1, 0, 0, 0, 0, loc).UTC(),
		DateStart: time.Date(y, m, dd, 0, 0, 0, 0, time.UTC)}
	b.DateEnd = b.DateStart.AddDate(0, 0, 1)
	return b
}

// BucketOf says where an open activity belongs on d.
func (d Day) BucketOf(a Activity) Bucket {
	b := d.Bounds()
	lo, hi := b.Now, b.End
	if a.AllDay {
		lo, hi = b.DateStart, b.DateEnd
	}
	switch {
	case a.DueAt.Before(lo):
		return Overdue
	case a.DueAt.Before(hi):
		return Today
	}
	return Upcoming
}

// Page is one page of activities; Next continues it ("" on the last page).
type Page struct {
	Items []Activity
	Next  string
}

// dayCursor is where a page of a bucket ended.
type dayCursor struct {
	Due int64  `json:"d"`
	ID  crm.ID `json:"id"`
}

// MyDay returns one page of the principal's open activities in bucket, in
// due order. It walks the partial index activities_open_due (owner, due
// time, id) within the bucket's range, so a page costs the same however
// many activities the person has.
func MyDay(tx *store.Tx, p crm.Principal, d Day, bucket Bucket, cursor string, limit int) (Page, error) {
	page, err := myDayPage(tx, p, d, bucket, cursor, limit)
	if err != nil {
		return page, err
	}
	return page, loadContacts(tx, p.WorkspaceID, page.Items)
}

// MyDayAll returns a page of every bucket, in Buckets order, each from its
// cursor (none: the first page), and looks up their participants at once:
// the "my day" page asks for all three, and each look-up is a statement
// SQLite parses anew.
func MyDayAll(tx *store.Tx, p crm.Principal, d Day, cursors map[Bucket]string, limit int) ([]Page, error) {
	pages := make([]Page, len(Buckets))
	var all []Activity
	for i, b := range Buckets {
		var err error
		if pages[i], err = myDayPage(tx, p, d, b, cursors[b], limit); err != nil {
			return nil, err
		}
		all = append(all, pages[i].Items...)
	}
	if err := loadContacts(tx, p.WorkspaceID, all); err != nil {
		return nil, err
	}
	for i := range pages {
		n := len(pages[i].Items)
		pages[i].Items, all = all[:n:n], all[n:]
	}
	return pages, nil
}

func myDayPage(tx *store.Tx, p crm.Principal, d Day, bucket Bucket, cursor string, limit int) (Page, error) {
	var page Page
	limit = clamp(limit)
	q, args, err := myDaySQL(p, d.Bounds(), bucket, cursor)
	if err != nil {
		return page, err
	}
	items, err := scan(tx, q, append(args, limit+1)...)
	if err != nil {
		return page, err
	}
	if len(items) > limit {
		items = items[:limit]
		last := items[len(items)-1]
		raw, _ := json.Marshal(dayCursor{Due: store.Micros(last.DueAt), ID: last.ID})
		page.Next = base64.RawURLEncoding.EncodeToString(raw)
	}
	page.Items = items
	return page, nil
}

// myDaySQL is the query of one bucket's page; its last argument, the
// limit, is the caller's.
func myDaySQL(p crm.Principal, b Bounds, bucket Bucket, cursor string) (string, []any, error) {
	q := `SELECT ` + cols + joins + ` WHERE a.workspace_id = ? AND a.owner_id = ? AND a.done_at IS NULL AND a.deleted_at IS NULL AND `
	args := []any{p.WorkspaceID, p.UserID}
	// The outer range (either kind) keeps the index scan tight; the bound
	// per row (all-day or timed) is a CASE, not an OR: SQLite turns an OR
	// into two index scans and a sort of the whole bucket, which at a few
	// thousand overdue activities costs tens of milliseconds.
	switch bucket {
	case Overdue:
		q += `a.due_at < ? AND a.due_at < ` + perKind
		args = append(args, store.Micros(latest(b.Now, b.DateStart)), store.Micros(b.DateStart), store.Micros(b.Now))
	case Today:
		q += `a.due_at >= ? AND a.due_at < ? AND a.due_at >= ` + perKind + ` AND a.due_at < ` + perKind
		args = append(args, store.Micros(earliest(b.Now, b.DateStart)), store.Micros(latest(b.End, b.DateEnd)),
			store.Micros(b.DateStart), store.Micros(b.Now), store.Micros(b.DateEnd), store.Micros(b.End))
	case Upcoming:
		q += `a.due_at >= ? AND a.due_at >= ` + perKind
		args = append(args, store.Micros(earliest(b.End, b.DateEnd)), store.Micros(b.DateEnd), store.Micros(b.End))
	default:
		return "", nil, (crm.FieldErrors{"bucket": "Choose overdue, today or upcoming."}).Err()
	}
	if cursor != "" {
		var c dayCursor
		raw, err := base64.RawURLEncoding.DecodeString(cursor)
		if err != nil || json.Unmarshal(raw, &c) != nil || c.ID <= 0 {
			return "", nil, (crm.FieldErrors{"cursor": "This cursor is not valid for this list; start again without it."}).Err()
		}
		// A row value, not an OR, for the same reason as above.
		q += ` AND (a.due_at, a.id) > (?, ?)`
		args = append(args, c.Due, c.ID)
	}
	return q + ` ORDER BY a.due_at, a.id LIMIT ?`, args, nil
}

// perKind is a bound that depends on the row: the first argument for an
// all-day activity, the second for a timed one.
const perKind = `CASE WHEN a.all_day THEN CAST(? AS BIGINT) ELSE CAST(? AS BIGINT) END`

func earliest(a, b time.Time) time.Time {
	if a.Before(b) {
		return a
	}
	return b
}

func latest(a, b time.Time) time.Time {
	if a.After(b) {
		return a
	}
	return b
}

func clamp(n int) int {
	if n <= 0 {
		return 50
	}
	return min(n, 200)
}
