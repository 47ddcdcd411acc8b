package filter

import (
	"encoding/json"
	"testing"
	"time"

	"github.com/tandemcrm/tandem/internal/crm"
)

// TestEvalGoTypes covers the Go value types callers hand to Eval; the
// property test covers the semantics against SQL.
func TestEvalGoTypes(t *testing.T) {
	acme := Record{Fields: map[string]any{"name": "Acme", "size": 120}, Custom: map[string]any{"tier": "gold"}}
	tiny := Record{Fields: map[string]any{"name": "Tiny", "size": int64(3)}}
	rec := Record{
		Fields: map[string]any{
			"email": "Ann@Acme.io", "lifecycle": "lead", "owner": crm.ID(7), "company": crm.ID(9),
			"created_at": propEnv.Now.Add(-time.Hour),
		},
		Custom:  map[string]any{"score": json.Number("2.5"), "vip": true, "labels": []string{"VIP"}, "renewal": "2026-04-01"},
		Related: map[string][]Record{"company": {tiny, acme}},
	}
	tests := []struct {
		in   string
		want bool
	}{
		{`email = "ann@acme.io" and email ~ "ACME"`, true},
		{`owner = me() and company = 9 and company != 10`, true},
		{`created_at = today and created_at > -2h and created_at < now`, true}, // 02:34 UTC is 21:34 on the 14th in UTC-5: today
		{`created_at >= 2026-03-15`, false},
		{`custom.score > 2 and custom.score < 3 and custom.vip = true`, true},
		{`custom.labels = "vip" and custom.labels !~ "x"`, true},
		{`custom.renewal > +1w and custom.renewal < +1mo`, true},
		{`company.size > 100 and company.custom.tier = "GOLD"`, true}, // any related record
		{`company.size > 1000`, false},
		{`custom.region is empty and custom.region != "EMEA" and not custom.region ~ "x"`, true},
		{`lifecycle is not empty and not lifecycle in ("customer")`, true},
	}
	for _, tt := range tests {
		f, err := New(contactSchema, tt.in)
		if err != nil {
			t.Fatalf("New(%q): %v", tt.in, err)
		}
		got, err := f.Eval(rec, propEnv)
		if err != nil || got != tt.want {
			t.Errorf("Eval(%q) = %v, %v; want %v", tt.in, got, err, tt.want)
		}
	}
}

func TestEvalEmptyRecord(t *testing.T) {
	f, err := New(contactSchema, `company.size > 5 or created_at < now or owner = me()`)
	if err != nil {
		t.Fatal(err)
	}
	if ok, err := f.Eval(Record{}, propEnv); ok || err != nil {
		t.Errorf("empty record matched: %v, %v", ok, err)
	}
	if ok, err := f.Eval(Record{Fields: map[string]any{"created_at": time.Time{}}}, propEnv); ok || err != nil {
		t.Errorf("zero time is not empty: %v, %v", ok, err)
	}
}
