package records

import (
	"testing"

	"github.com/tandemcrm/tandem/internal/crm"
)

func TestSummarizeReadsLikeWords(t *testing.T) {
	ev := crm.Event{Action: crm.Updated, Changes: map[string]crm.Change{
		"emails":     {Before: nil, After: []any{map[string]any{"email": "a@x.io"}, map[string]any{"email": "b@x.io", "label": "home"}}},
		"company_id": {Before: "1", After: nil},
		"title":      {Before: "", After: "CTO"},
	}}
	got := summarize(ev)
	want := "company: 1 → — · emails: — → a@x.io, b@x.io · title: — → CTO"
	if got != want {
		t.Fatalf("summary\n got %q\nwant %q", got, want)
	}
}
