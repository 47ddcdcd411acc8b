package seed

import (
	"testing"
	"time"
)

// TestPlacesMatchLocales: every locale has its cities (same index), and
// every city's time zone is one the records accept.
func TestPlacesMatchLocales(t *testing.T) {
	if len(places) != len(locales) {
		t.Fatalf("%d locales, %d lists of places", len(locales), len(places))
	}
	for i, l := range places {
		if l.country == "" || len(l.cities) == 0 || len(l.cities) > 255 {
			t.Errorf("locale %d (%s): %+v", i, locales[i].tld, l)
		}
		for _, c := range l.cities {
			if _, err := time.LoadLocation(c.zone); err != nil || c.city == "" {
				t.Errorf("%s: %+v: %v", l.country, c, err)
			}
		}
	}
}
