package records

import (
	"fmt"
	"math"
	"strconv"
	"strings"

	"github.com/tandemcrm/tandem/internal/crm"
	"github.com/tandemcrm/tandem/internal/store"
)

// A deal's line items write events of their own (object type "deal_item",
// package products): the line added with its name, changed, removed. They
// belong on the deal's timeline, and products writes them without the
// deal's id except on adding and removing, so they are found by item: the
// deal's current lines through deal_items, and a line removed since
// through its removal. Each change of a deal's lines that moves its totals
// also writes an items_net/items_total event on the deal, in the same
// transaction right after the line's own; a page's such events that no
// current line explains lead back to the removed lines. A removed line
// whose removal left the totals as they were (a line of zero) is not found.

type itemInfo struct{ name, currency string }

// maxWalks bounds the look-ups for removed lines on one page.
const maxWalks = 50

// idsPerMinute spans a minute of ids (package ids: milliseconds above 22
// bits of node and sequence): a line's event and its deal's, one
// transaction apart by microseconds, are sought no further apart.
const idsPerMinute = 60_000 << 22

// itemEvents returns the newest events of deal d's line items, at most
// limit, given the page of the deal's own events, with each item's name.
func itemEvents(tx *store.Tx, ws crm.ID, d crm.ID, currency string, dealEvs []crm.Event, limit int) ([]crm.Event, map[crm.ID]itemInfo, error) {
	info := map[crm.ID]itemInfo{}
	rows, err := tx.Query(`SELECT id, name FROM deal_items WHERE workspace_id = ? AND deal_id = ?`, ws, d)
	if err != nil {
		return nil, nil, fmt.Errorf("records: items of deal %d: %w", d, err)
	}
	var ids []any
	for rows.Next() {
		var id crm.ID
		var name string
		if err := rows.Scan(&id, &name); err != nil {
			rows.Close()
			return nil, nil, err
		}
		ids = append(ids, id)
		info[id] = itemInfo{name, currency}
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, nil, err
	}
	evs, err := eventsOf(tx, ws, "deal_item", ids, limit)
	if err != nil {
		return nil, nil, err
	}
	gone, err := removedItems(tx, ws, d, dealEvs, evs, limit)
	if err != nil || len(gone) == 0 {
		return evs, info, err
	}
	more, err := eventsOf(tx, ws, "deal_item", gone, limit)
	if err != nil {
		return nil, nil, err
	}
	for _, ev := range more {
		// A removed line is named by its removal (the newest of its events).
		if _, ok := info[ev.ObjectID]; !ok {
			info[ev.ObjectID] = itemInfo{itemName(ev), currency}
		}
	}
	return newest(append(evs, more...), limit), info, nil
}

// eventsOf returns the newest events of the objects ids, at most limit.
func eventsOf(tx *store.Tx, ws crm.ID, objectType string, ids []any, limit int) ([]crm.Event, error) {
	if len(ids) == 0 {
		return nil, nil
	}
	rows, err := tx.Query(`SELECT `+eventCols+` FROM events e WHERE e.workspace_id = ? AND e.object_type = ?
		AND e.object_id IN (`+placeholders(len(ids))+`) ORDER BY e.id DESC LIMIT ?`,
		append(append([]any{ws, objectType}, ids...), limit)...)
	if err != nil {
		return nil, fmt.Errorf("records: events of %d %ss: %w", len(ids), objectType, err)
	}
	defer rows.Close()
	var out []crm.Event
	for rows.Next() {
		ev, err := scanEvent(rows, ws)
		if err != nil {
			return nil, err
		}
		out = append(out, ev)
	}
	return out, rows.Err()
}

// removedItems finds the lines behind the deal's totals events that no
// event of a current line (evs, a page of limit) explains.
func removedItems(tx *store.Tx, ws, d crm.ID, dealEvs, evs []crm.Event, limit int) ([]any, error) {
	explained := map[int64]bool{}
	for _, ev := range evs {
		explained[ev.At.UnixMicro()] = true
	}
	var out []any
	seen := map[crm.ID]bool{}
	walks := 0
	for _, e := range dealEvs {
		_, net := e.Changes["items_net"]
		_, total := e.Changes["items_total"]
		if !net && !total || explained[e.At.UnixMicro()] {
			continue
		}
		if len(evs) == limit && e.ID < evs[len(evs)-1].ID {
			continue // older than any line the page can still take
		}
		if walks++; walks > maxWalks {
			break
		}
		id, ok, err := lineBefore(tx, ws, d, e)
		if err != nil {
			return nil, err
		}
		if ok && !seen[id] {
			seen[id] = true
			out = append(out, id)
		}
	}
	return out, nil
}

// lineBefore finds the line event that deal event e followed in its
// transaction: the newest line event before e with e's time, read back
// over at most a minute of ids.
func lineBefore(tx *store.Tx, ws, d crm.ID, e crm.Event) (crm.ID, bool, error) {
	rows, err := tx.Query(lineBeforeSQL, ws, e.ID-idsPerMinute, e.ID, store.Micros(e.At))
	if err != nil {
		return 0, false, fmt.Errorf("records: line before event %d: %w", e.ID, err)
	}
	defer rows.Close()
	if !rows.Next() {
		return 0, false, rows.Err()
	}
	ev, err := scanEvent(rows, ws)
	if err != nil {
		return 0, false, err
	}
	// Adding and removing name the deal; a change does not, but shares
	// the deal event's transaction.
	for _, c := range []crm.Change{ev.Changes["deal_id"]} {
		for _, v := range []any{c.Before, c.After} {
			if s, ok := v.(string); ok && s != d.String() {
				return 0, false, nil
			}
		}
	}
	return ev.ObjectID, true, nil
}

// lineBeforeSQL reads events by id range (object_type is kept off the
// index: by type, it would walk every line event of the workspace).
const lineBeforeSQL = `SELECT ` + eventCols + ` FROM events e
	WHERE e.workspace_id = ? AND e.id > ? AND e.id < ? AND e.at = ? AND e.object_type || '' = 'deal_item'
	ORDER BY e.id DESC LIMIT 1`

func itemName(ev crm.Event) string {
	c := ev.Changes["name"]
	for _, v := range []any{c.After, c.Before} {
		if s, ok := v.(string); ok && s != "" {
			return s
		}
	}
	return ""
}

// itemSummary says what happened to a line: "added item “Gizmo”: 2 × EUR
// 12.50, 10% off", "changed item “Gizmo”: quantity: 1 → 2", "removed item
// “Gizmo”".
func itemSummary(ev crm.Event, it itemInfo) string {
	name := "“" + it.name + "”"
	ch := ev.Changes
	switch ev.Action {
	case crm.Created:
		s := "added item " + name + ": " + quantity(ch["quantity"].After) + " × " + fmt.Sprint(orDash(money(ch["unit_price"].After, it.currency)))
		if _, ok := ch["discount"]; ok {
			s += ", " + percent(ch["discount"].After) + " off"
		}
		if _, ok := ch["tax_rate"]; ok {
			s += ", " + percent(ch["tax_rate"].After) + " tax"
		}
		return s
	case crm.Deleted:
		return "removed item " + name
	}
	if p, ok := ch["position"]; ok && len(ch) == 1 {
		if f, ok := p.After.(float64); ok {
			return fmt.Sprintf("moved item %s to line %d", name, int(f)+1)
		}
	}
	var parts []string
	for _, f := range []struct {
		key, label string
		show       func(any) string
	}{
		{"name", "name", func(v any) string { return fmt.Sprint(orDash(v)) }},
		{"quantity", "quantity", quantity},
		{"unit_price", "unit price", func(v any) string { return fmt.Sprint(orDash(money(v, it.currency))) }},
		{"discount", "discount", percent},
		{"tax_rate", "tax", percent},
	} {
		if c, ok := ch[f.key]; ok {
			parts = append(parts, f.label+": "+f.show(c.Before)+" → "+f.show(c.After))
		}
	}
	if len(parts) == 0 {
		return "changed item " + name // its product, which the name follows
	}
	return "changed item " + name + ": " + strings.Join(parts, " · ")
}

// quantity writes thousandths (a JSON number in the event) as units: 2500 → "2.5".
func quantity(v any) string { return fraction(v, 3) }

// percent writes basis points as a percentage: 750 → "7.5%".
func percent(v any) string { return fraction(v, 2) + "%" }

// fraction writes v, in units of 10^-places, as a short decimal. (products
// has formatters for these, but products imports records.)
func fraction(v any, places int) string {
	if v == nil {
		v = 0.0
	}
	f, ok := v.(float64)
	if !ok {
		return fmt.Sprint(orDash(v))
	}
	return strconv.FormatFloat(f/math.Pow10(places), 'f', -1, 64)
}
