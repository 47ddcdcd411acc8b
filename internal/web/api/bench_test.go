package api

import (
	"encoding/json"
	"fmt"
	"io"
	"testing"
	"time"

	"github.com/tandemcrm/tandem/internal/crm"
	"github.com/tandemcrm/tandem/internal/records"
)

// BenchmarkContactsPageJSON encodes a page of 50 contacts as the list
// endpoint answers it (the records → API conversion included).
func BenchmarkContactsPageJSON(b *testing.B) {
	var page []records.Contact
	now := time.Date(2026, 11, 30, 12, 0, 0, 0, time.UTC)
	for i := range 50 {
		page = append(page, records.Contact{ID: crm.ID(400000000000000000 + i), FirstName: "Person", LastName: fmt.Sprint("Last", i),
			Email: fmt.Sprintf("p%d@example.com", i), Emails: []records.EmailAddr{{Email: fmt.Sprintf("p%d@example.com", i), Label: "work"}},
			Phone: "+44 20 7946 0000", Phones: []records.PhoneNum{{Phone: "+44 20 7946 0000", Label: "work"}}, Title: "Buyer",
			CompanyID: 7, OwnerID: 3, Lifecycle: "lead", Tags: []string{"vip"}, Custom: map[string]any{"region": "EMEA", "score": 42},
			CreatedAt: now, UpdatedAt: now, Version: 3})
	}
	b.ReportAllocs()
	for b.Loop() {
		out := make([]Contact, len(page))
		for i, c := range page {
			out[i] = contactOut(c, nil, nil)
		}
		if err := json.NewEncoder(io.Discard).Encode(map[string]any{"data": out, "next_cursor": "x"}); err != nil {
			b.Fatal(err)
		}
	}
}
