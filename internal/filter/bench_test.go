package filter

import (
	"testing"

	"github.com/tandemcrm/tandem/internal/store"
)

// BenchmarkCompile measures the whole path a list request takes: parse,
// check and compile a typical saved-view filter.
func BenchmarkCompile(b *testing.B) {
	const src = `lifecycle in ("lead","prospect") and company.size >= 50 and owner = me() and custom.region = "EMEA" and created_at > -30d`
	b.ReportAllocs()
	for b.Loop() {
		f, err := New(contactSchema, src)
		if err != nil {
			b.Fatal(err)
		}
		if _, _, err := f.SQL(store.Postgres, propEnv); err != nil {
			b.Fatal(err)
		}
	}
}
