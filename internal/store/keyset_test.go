package store_test

import (
	"reflect"
	"testing"

	"github.com/tandemcrm/tandem/internal/store"
)

func TestKeyset(t *testing.T) {
	keys := []store.SortKey{{Expr: "c.last_name"}, {Expr: "c.created_at", Desc: true}}
	order, cond, args := store.Keyset(keys, "c.id", nil)
	if order != "c.last_name ASC, c.created_at DESC, c.id DESC" || cond != "" || args != nil {
		t.Fatalf("first page: %q %q %v", order, cond, args)
	}
	_, cond, args = store.Keyset(keys, "c.id", []any{"King", int64(7), int64(42)})
	want := "c.last_name >= ? AND ((c.last_name > ?) OR (c.last_name = ? AND c.created_at < ?) OR (c.last_name = ? AND c.created_at = ? AND c.id < ?))"
	if cond != want || !reflect.DeepEqual(args, []any{"King", "King", "King", int64(7), "King", int64(7), int64(42)}) {
		t.Fatalf("after a row: %q %v", cond, args)
	}
	_, cond, args = store.Keyset([]store.SortKey{{Expr: "d.created_at", Desc: true}}, "d.id", []any{int64(9), int64(3)})
	if want := "d.created_at <= ? AND ((d.created_at < ?) OR (d.created_at = ? AND d.id < ?))"; cond != want ||
		!reflect.DeepEqual(args, []any{int64(9), int64(9), int64(9), int64(3)}) {
		t.Fatalf("descending: %q %v", cond, args)
	}
	if _, cond, args = store.Keyset(nil, "d.id", []any{int64(3)}); cond != "((d.id > ?))" || len(args) != 1 {
		t.Fatalf("by id alone: %q %v", cond, args)
	}
}
