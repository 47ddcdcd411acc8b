package seed

import "math/rand/v2"

// streamPlaces and streamPeoplePlaces are the PCG streams of companies'
// and people's addresses, apart from the tables' own streams, so that
// adding places left every other generated value as it was for the same
// seed.
const (
	streamPlaces       = 102
	streamPeoplePlaces = 103
)

// place is a city a company or person is in.
type place struct{ city, state, zone string }

// places are the cities of each locale (same index as locales), with the
// country as people write it.
var places = []struct {
	country string
	cities  []place
}{
	{"United States", []place{{"New York", "NY", "America/New_York"}, {"Boston", "MA", "America/New_York"},
		{"Chicago", "IL", "America/Chicago"}, {"Austin", "TX", "America/Chicago"}, {"Denver", "CO", "America/Denver"},
		{"San Francisco", "CA", "America/Los_Angeles"}, {"Seattle", "WA", "America/Los_Angeles"}}},
	{"United Kingdom", []place{{"London", "", "Europe/London"}, {"Manchester", "", "Europe/London"}, {"Edinburgh", "", "Europe/London"}}},
	{"Germany", []place{{"Berlin", "", "Europe/Berlin"}, {"München", "", "Europe/Berlin"}, {"Hamburg", "", "Europe/Berlin"}, {"Köln", "", "Europe/Berlin"}}},
	{"France", []place{{"Paris", "", "Europe/Paris"}, {"Lyon", "", "Europe/Paris"}, {"Toulouse", "", "Europe/Paris"}}},
	{"Spain", []place{{"Madrid", "", "Europe/Madrid"}, {"Barcelona", "", "Europe/Madrid"}, {"Valencia", "", "Europe/Madrid"}}},
	{"Italy", []place{{"Milano", "", "Europe/Rome"}, {"Roma", "", "Europe/Rome"}, {"Torino", "", "Europe/Rome"}}},
	{"Netherlands", []place{{"Amsterdam", "", "Europe/Amsterdam"}, {"Rotterdam", "", "Europe/Amsterdam"}, {"Utrecht", "", "Europe/Amsterdam"}}},
	{"Poland", []place{{"Warszawa", "", "Europe/Warsaw"}, {"Kraków", "", "Europe/Warsaw"}, {"Wrocław", "", "Europe/Warsaw"}}},
	{"Brazil", []place{{"São Paulo", "SP", "America/Sao_Paulo"}, {"Rio de Janeiro", "RJ", "America/Sao_Paulo"}}},
	{"Sweden", []place{{"Stockholm", "", "Europe/Stockholm"}, {"Göteborg", "", "Europe/Stockholm"}}},
	{"Japan", []place{{"Tokyo", "", "Asia/Tokyo"}, {"Osaka", "", "Asia/Tokyo"}}},
	{"India", []place{{"Bengaluru", "KA", "Asia/Kolkata"}, {"Mumbai", "MH", "Asia/Kolkata"}, {"New Delhi", "DL", "Asia/Kolkata"}}},
}

// pickPlace draws a city of locale loc: its city, state, country and zone.
func pickPlace(r *rand.Rand, loc uint8) (p place, country string) {
	l := places[loc]
	return l.cities[r.IntN(len(l.cities))], l.country
}
