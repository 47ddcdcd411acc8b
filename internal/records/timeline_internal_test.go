package records

import (
	"testing"

	"github.com/tandemcrm/tandem/internal/crm"
)

func TestSummarizeReadsLikeWords(t *testing.T) {
	ev := crm.Event{Action: crm.Updated, Changes: map[string]crm.Change{
		"emails":      {Before: nil, After: []any{map[string]any{"email": "a@x.io"}, map[string]any{"email": "b@x.io", "label": "home"}}},
		"company_id":  {Before: "1", After: nil},
		"title":       {Before: "", After: "CTO"},
		"links":       {Before: nil, After: []any{map[string]any{"label": "LinkedIn", "url": "https://linkedin.com/in/a"}}},
		"postal_code": {Before: "10117", After: nil},
	}}
	got := summarize(ev)
	want := "company: 1 → — · emails: — → a@x.io, b@x.io · links: — → https://linkedin.com/in/a · postal code: 10117 → — · title: — → CTO"
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
