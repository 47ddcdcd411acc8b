package records

import (
	"testing"
	"time"
)

// TestEverySortHasItsCursorValue: a page's cursor remembers the last row's
// value of each sort key. A key the switch forgets falls back to the id,
// and the next page's condition then compares, say, a city with a number
// (PostgreSQL refuses it; SQLite silently pages wrong).
func TestEverySortHasItsCursorValue(t *testing.T) {
	at := time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)
	c := Contact{ID: 1, FirstName: "f", LastName: "l", Email: "e", Lifecycle: "lead", Title: "t", OwnerID: 2,
		Address: Address{City: "c", Country: "k"}, CreatedAt: at, UpdatedAt: at}
	for name := range contactSorts {
		if v := contactSortValue(c, name); name != "id" && v == int64(c.ID) {
			t.Errorf("contact sort %q has no cursor value", name)
		}
	}
	co := Company{ID: 1, Name: "n", Domain: "d", Industry: "i", Size: 3, OwnerID: 2,
		Address: Address{City: "c", Country: "k"}, CreatedAt: at, UpdatedAt: at}
	for name := range companySorts {
		if v := companySortValue(co, name); name != "id" && v == int64(co.ID) {
			t.Errorf("company sort %q has no cursor value", name)
		}
	}
}
