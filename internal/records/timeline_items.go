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
// belong on the deal's timeline. Products names the deal in a line's
// first event and in its removal, not in the changes between, so the
// lines are found by item: the deal's current lines through deal_items,
// and the lines removed since through their removal events (the partial
// index events_removed_items, migration 00038), then every event of those
// items through events_object.

type itemInfo struct{ name, currency string }

// maxRemoved bounds the removed lines read for one timeline page: the
// newest removals, far more than a page of entries shows.
const maxRemoved = 1000

// itemEvents returns the newest events of deal d's line items, current and
// removed, at most limit, with each item's name.
func itemEvents(tx *store.Tx, ws crm.ID, d crm.ID, currency string, limit int) ([]crm.Event, map[crm.ID]itemInfo, error) {
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
	removed, err := removedItems(tx, ws, d)
	if err != nil {
		return nil, nil, err
	}
	for _, id := range removed {
		if _, ok := info[id]; !ok { // an id is never reused; be safe anyway
			ids = append(ids, id)
		}
	}
	evs, err := eventsOf(tx, ws, "deal_item", ids, limit)
	if err != nil {
		return nil, nil, err
	}
	for _, ev := range evs {
		// A removed line is named by its removal (the newest of its events).
		if _, ok := info[ev.ObjectID]; !ok {
			info[ev.ObjectID] = itemInfo{itemName(ev), currency}
		}
	}
	return evs, info, nil
}

// removedItems returns the lines removed from deal d, the newest removals
// first (at most maxRemoved).
func removedItems(tx *store.Tx, ws, d crm.ID) ([]crm.ID, error) {
	ids, err := tx.IDs(removedItemsSQL(tx.Dialect()), ws, d.String(), maxRemoved)
	if err != nil {
		return nil, fmt.Errorf("records: removed items of deal %d: %w", d, err)
	}
	return ids, nil
}

// removedItemsSQL reads removal events through events_removed_items: the
// expression and the literals are the index's own, or it does not apply.
func removedItemsSQL(d store.Dialect) string {
	deal := `json_extract(e.changes, '$.deal_id.before')`
	if d == store.Postgres {
		deal = `((e.changes::jsonb -> 'deal_id') ->> 'before')`
	}
	return `SELECT e.object_id FROM events e WHERE e.workspace_id = ? AND ` + deal + ` = ?
		AND e.object_type = 'deal_item' AND e.action = 'deleted' ORDER BY e.id DESC LIMIT ?`
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
