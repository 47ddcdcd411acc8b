package records

import (
	"testing"

	"github.com/tandemcrm/tandem/internal/crm"
)

// TestSummarizeReadsLikeWords: a change reads as "field: before → after",
// emails and phones with their labels, a link by its address.
func TestSummarizeReadsLikeWords(t *testing.T) {
	ev := crm.Event{Action: crm.Updated, Changes: map[string]crm.Change{
		"emails":      {Before: nil, After: []any{map[string]any{"email": "a@x.io"}, map[string]any{"email": "b@x.io", "label": "home"}}},
		"company_id":  {Before: "1", After: nil},
		"title":       {Before: "", After: "CTO"},
		"links":       {Before: nil, After: []any{map[string]any{"label": "LinkedIn", "url": "https://linkedin.com/in/a"}}},
		"postal_code": {Before: "10117", After: nil},
		"phones":      {Before: []any{map[string]any{"phone": "+44 7700 900001", "label": "mobile"}}, After: []any{map[string]any{"phone": "(757) 555-0188", "label": ""}}},
	}}
	got := summarize(ev)
	want := "company: 1 → — · emails: — → a@x.io, b@x.io (home) · links: — → https://linkedin.com/in/a · phones: +44 7700 900001 (mobile) → (757) 555-0188 · " +
		"postal code: 10117 → — · title: — → CTO"
	if got != want {
		t.Fatalf("summary\n got %q\nwant %q", got, want)
	}
}

func TestSummarizeReadsActivities(t *testing.T) {
	ev := crm.Event{Action: crm.Updated, Changes: map[string]crm.Change{
		"activity": {After: map[string]any{"id": "1", "type": "meeting", "title": "Demo", "did": "completed",
			"due": "2026-12-03T15:00:00Z", "outcome": "Signed"}},
	}}
	if got, want := summarize(ev), "Meeting “Demo” completed, due Dec 3, 2026 15:00 UTC — Signed"; got != want {
		t.Fatalf("summary\n got %q\nwant %q", got, want)
	}
}
