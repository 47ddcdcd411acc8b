package seed

import (
	"context"
	"hash/fnv"
	"math"
	"math/rand/v2"
	"strconv"
	"time"

	"github.com/tandemcrm/tandem/internal/crm"
	"github.com/tandemcrm/tandem/internal/store"
)

type company struct {
	id     crm.ID
	owner  crm.ID
	name   string
	domain string
	loc    uint8
	size   int32
	place  uint8 // index in places[loc].cities
}

type contact struct {
	id          crm.ID
	company     int32 // index into gen.companies, -1 for none
	loc         uint8
	first, last uint16 // indexes into the locale's name lists
}

func (c contact) name() string {
	l := locales[c.loc]
	return l.first[c.first] + " " + l.last[c.last]
}

var companyCols = table{"companies", []string{"id", "workspace_id", "name", "domain", "industry", "size",
	"city", "state", "country", "owner_id", "created_by", "updated_by", "created_at", "updated_at"}}

func (g *gen) insertCompanies(ctx context.Context, db *store.DB) error {
	r := rand.New(rand.NewPCG(g.o.Seed, streamCompanies))
	rp := rand.New(rand.NewPCG(g.o.Seed, streamPlaces))
	owner := g.ownerPicker(r)
	taken := map[string]int{} // domain stem → times used, to keep domains unique
	g.companies = make([]company, g.o.Companies)
	return insertAll(ctx, db, companyCols, g.o.Companies, g.o.Batch, g.o.TxRows, func(tx *store.Tx, i int) []any {
		li := pickLocale(r)
		l := locales[li]
		name := pick(r, companyStems)
		if chance(r, 0.75) {
			name += " " + pick(r, companyWords)
		}
		stem := fold(name)
		domain := stem + l.tld
		if n := taken[stem+l.tld]; n > 0 {
			domain = stem + strconv.Itoa(n+1) + l.tld
		}
		taken[stem+l.tld]++
		c := company{id: tx.NewID(), owner: owner(), name: name + " " + pick(r, l.suffixes), domain: domain,
			loc: uint8(li), size: companySize(r)}
		c.place = uint8(rp.IntN(len(places[li].cities)))
		g.companies[i] = c
		at := places[li].cities[c.place]
		created := store.Micros(between(r, g.now.Add(-730*day), g.now.Add(-30*day)))
		return []any{c.id, g.ws, c.name, c.domain, pick(r, industries), c.size, at.city, at.state, places[li].country,
			c.owner, c.owner, c.owner, created, created}
	})
}

// companySize draws a head count: most customers are small.
func companySize(r *rand.Rand) int32 {
	buckets := []struct {
		p      float64
		lo, hi int32
	}{{0.30, 2, 10}, {0.30, 11, 50}, {0.20, 51, 200}, {0.13, 201, 1000}, {0.07, 1001, 20000}}
	x := r.Float64()
	for _, b := range buckets {
		if x < b.p {
			return b.lo + r.Int32N(b.hi-b.lo+1)
		}
		x -= b.p
	}
	return 5
}

var contactCols = table{"contacts", []string{"id", "workspace_id", "first_name", "last_name", "email", "phone", "title",
	"company_id", "owner_id", "lifecycle", "source", "city", "state", "country", "time_zone", "created_by", "updated_by", "created_at", "updated_at"}}

func (g *gen) insertContacts(ctx context.Context, db *store.DB) error {
	r := rand.New(rand.NewPCG(g.o.Seed, streamContacts))
	rp := rand.New(rand.NewPCG(g.o.Seed, streamPeoplePlaces))
	owner := g.ownerPicker(r)
	assign := g.assignContacts(r)
	used := map[uint64]struct{}{} // hashes of emails handed out
	g.contacts = make([]contact, g.o.Contacts)
	return insertAll(ctx, db, contactCols, g.o.Contacts, g.o.Batch, g.o.TxRows, func(tx *store.Tx, i int) []any {
		c := contact{id: tx.NewID(), company: assign[i]}
		var companyID crm.ID
		var domain string
		own := owner()
		if c.company >= 0 {
			co := g.companies[c.company]
			companyID, domain, c.loc = co.id, co.domain, co.loc
			if chance(r, 0.7) {
				own = co.owner // accounts usually have one owner
			}
		} else {
			c.loc, domain = uint8(pickLocale(r)), pick(r, personalDomains)
		}
		l := locales[c.loc]
		c.first, c.last = uint16(r.IntN(len(l.first))), uint16(r.IntN(len(l.last)))
		g.contacts[i] = c
		email := uniqueEmail(r, used, l.first[c.first], l.last[c.last], domain)
		phone := ""
		if chance(r, 0.7) {
			phone = l.phone + digits(r, 3) + " " + digits(r, 3) + " " + digits(r, 4)
		}
		// Most people are where their company is; some are elsewhere in
		// its country, and a fifth have no address on file.
		var at place
		country := ""
		switch x := rp.Float64(); {
		case x < 0.2:
		case x < 0.8 && c.company >= 0:
			at, country = places[c.loc].cities[g.companies[c.company].place], places[c.loc].country
		default:
			at, country = pickPlace(rp, c.loc)
		}
		created := store.Micros(between(r, g.now.Add(-365*day), g.now.Add(-time.Hour)))
		return []any{c.id, g.ws, l.first[c.first], l.last[c.last], email, phone, pick(r, jobTitles),
			companyID, own, pick(r, lifecycles), pick(r, sources), at.city, at.state, country, at.zone, own, own, created, created}
	})
}

// assignContacts decides which company each contact works at (-1: none,
// with a personal address). Company sizes follow a heavy tail, and the
// order is shuffled so that id order does not cluster by company.
func (g *gen) assignContacts(r *rand.Rand) []int32 {
	n := g.o.Contacts
	out := make([]int32, 0, n)
	if len(g.companies) > 0 {
		atCompanies := n - n/20
		weights := make([]float64, len(g.companies))
		total := 0.0
		for i := range weights {
			weights[i] = math.Pow(1-r.Float64(), -0.6) // Pareto-ish, at least 1
			total += weights[i]
		}
		for i, w := range weights {
			k := int(w / total * float64(atCompanies))
			for range k {
				out = append(out, int32(i))
			}
		}
		for i := 0; len(out) < atCompanies; i++ { // rounding remainder
			out = append(out, int32(i%len(g.companies)))
		}
	}
	for len(out) < n {
		out = append(out, -1)
	}
	r.Shuffle(len(out), func(i, j int) { out[i], out[j] = out[j], out[i] })
	return out
}

// uniqueEmail builds an address in one of the usual shapes and numbers it
// when that address is taken. used holds 64-bit hashes rather than strings
// to keep size L (a million contacts) small in memory; a hash collision only
// adds a needless number.
func uniqueEmail(r *rand.Rand, used map[uint64]struct{}, first, last, domain string) string {
	f, l := fold(first), fold(last)
	var local string
	switch x := r.IntN(20); {
	case x < 14:
		local = f + "." + l
	case x < 17 && f != "":
		local = f[:1] + l
	default:
		local = f
	}
	email := local + "@" + domain
	for k := 2; ; k++ {
		h := fnv.New64a()
		h.Write([]byte(email))
		if _, dup := used[h.Sum64()]; !dup {
			used[h.Sum64()] = struct{}{}
			return email
		}
		email = local + strconv.Itoa(k) + "@" + domain
	}
}
