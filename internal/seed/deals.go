package seed

import (
	"context"
	"fmt"
	"math"
	"math/rand/v2"
	"time"

	"github.com/tandemcrm/tandem/internal/crm"
	"github.com/tandemcrm/tandem/internal/store"
)

type deal struct {
	id      crm.ID
	owner   crm.ID
	contact int32 // index into gen.contacts, -1 for none
	created time.Time
}

// money converts US dollars into a currency's minor units: units per
// dollar, and the number of minor units in one major unit (JPY has none).
var money = map[string]struct{ perUSD, minor float64 }{
	"USD": {1, 100}, "EUR": {0.9, 100}, "GBP": {0.8, 100}, "PLN": {4, 100}, "BRL": {5, 100},
	"SEK": {10, 100}, "JPY": {150, 1}, "INR": {83, 100},
}

var dealCols = table{"deals", []string{"id", "workspace_id", "title", "value", "currency", "pipeline_id", "stage_id",
	"status", "lost_reason", "expected_close", "owner_id", "contact_id", "company_id", "stage_entered_at", "closed_at",
	"created_by", "updated_by", "created_at", "updated_at"}}

func (g *gen) insertDeals(ctx context.Context, db *store.DB) error {
	r := rand.New(rand.NewPCG(g.o.Seed, streamDeals))
	owner := g.ownerPicker(r)
	g.deals = make([]deal, g.o.Deals)
	return insertAll(ctx, db, dealCols, g.o.Deals, g.o.Batch, g.o.TxRows, func(tx *store.Tx, i int) []any {
		d := deal{id: tx.NewID(), owner: owner(), contact: -1, created: between(r, g.now.Add(-365*day), g.now.Add(-time.Hour))}
		var contactID, companyID crm.ID
		label, size, loc := "New business", int32(20), 0
		if len(g.contacts) > 0 {
			d.contact = int32(r.IntN(len(g.contacts)))
			c := g.contacts[d.contact]
			contactID, label, loc = c.id, c.name(), int(c.loc)
			if c.company >= 0 {
				co := g.companies[c.company]
				companyID, label, size = co.id, co.name, co.size
				if chance(r, 0.8) {
					d.owner = co.owner
				}
			}
		}
		g.deals[i] = d
		currency := locales[loc].currency
		st := g.dealState(r, d.created)
		closed := any(nil)
		if !st.closedAt.IsZero() {
			closed = store.Micros(st.closedAt)
		}
		return []any{d.id, g.ws, label + " – " + pick(r, products), dealValue(r, size, currency), currency,
			st.stage.pipeline, st.stage.id, st.status, st.lostReason, st.expectedClose, d.owner, contactID, companyID,
			store.Micros(st.enteredStage), closed, d.owner, d.owner, store.Micros(d.created), store.Micros(st.updated)}
	})
}

type dealState struct {
	stage                           stage
	status, lostReason              string
	expectedClose                   string
	enteredStage, closedAt, updated time.Time
}

// dealState decides where a deal created at created stands now: older deals
// are more often decided; open ones sit mostly in the early stages.
func (g *gen) dealState(r *rand.Rand, created time.Time) dealState {
	s := dealState{status: "open"}
	age := g.now.Sub(created)
	pWon, pLost := 0.05, 0.05
	if age > 60*day {
		pWon, pLost = 0.35, 0.30
	}
	switch x := r.Float64(); {
	case x < pWon:
		s.status = "won"
		s.stage = g.stages[len(g.stages)-1]
	case x < pWon+pLost:
		s.status, s.lostReason = "lost", pick(r, lostReasons)
		s.stage = g.stages[r.IntN(len(g.stages))]
	default:
		s.stage = g.stages[earlyStage(r, len(g.stages))]
	}
	if s.status == "open" {
		s.enteredStage = between(r, created, g.now)
		s.expectedClose = g.now.Add(time.Duration(5+r.IntN(85)) * day).Format(time.DateOnly)
		s.updated = s.enteredStage
		return s
	}
	s.closedAt = between(r, created.Add(day), g.now)
	s.enteredStage = between(r, created, s.closedAt)
	s.expectedClose = s.closedAt.Format(time.DateOnly)
	s.updated = s.closedAt
	return s
}

// earlyStage picks a stage index with weights n, n-1, …, 1.
func earlyStage(r *rand.Rand, n int) int {
	x := r.IntN(n * (n + 1) / 2)
	for i := 0; i < n; i++ {
		if x < n-i {
			return i
		}
		x -= n - i
	}
	return 0
}

// dealValue draws a log-normal amount that grows with the customer's head
// count, rounded to whole tens of the currency, in minor units.
func dealValue(r *rand.Rand, size int32, currency string) int64 {
	usd := math.Exp(r.NormFloat64()*0.8+math.Log(4000)) * (1 + math.Log10(float64(max(size, 1)))/2)
	m := money[currency]
	major := math.Round(usd*m.perUSD/10) * 10
	return int64(max(major, 10) * m.minor)
}

var activityCols = table{"activities", []string{"id", "workspace_id", "type", "title", "due_at", "duration_min", "done_at",
	"outcome", "owner_id", "contact_id", "company_id", "deal_id", "notes", "created_by", "created_at", "updated_at"}}

func (g *gen) insertActivities(ctx context.Context, db *store.DB) error {
	r := rand.New(rand.NewPCG(g.o.Seed, streamActivities))
	owner := g.ownerPicker(r)
	return insertAll(ctx, db, activityCols, g.o.Activities, g.o.Batch, g.o.TxRows, func(tx *store.Tx, i int) []any {
		own, from := owner(), g.now.Add(-365*day)
		var dealID, contactID, companyID crm.ID
		ci := int32(-1)
		if len(g.deals) > 0 && chance(r, 0.6) {
			d := g.deals[r.IntN(len(g.deals))]
			dealID, own, ci, from = d.id, d.owner, d.contact, d.created
		} else if len(g.contacts) > 0 {
			ci = int32(r.IntN(len(g.contacts)))
		}
		who := "the team"
		if ci >= 0 {
			c := g.contacts[ci]
			contactID, who = c.id, c.name()
			if c.company >= 0 {
				companyID = g.companies[c.company].id
			}
		}
		a := g.activity(r, from, who)
		created := a.due.Add(-time.Duration(1+r.IntN(14)) * day)
		if created.After(g.now) {
			created = g.now
		}
		return []any{tx.NewID(), g.ws, a.kind, a.title, store.Micros(a.due), a.minutes, a.done, a.outcome,
			own, contactID, companyID, dealID, "", own, store.Micros(created), store.Micros(created)}
	})
}

type activity struct {
	kind, title, outcome string
	due                  time.Time
	minutes              int
	done                 any // NULL or micros
}

// activity draws one: due over the past year (or since its deal began) up
// to a month ahead; nearly all past ones are done, calls and meetings with
// an outcome.
func (g *gen) activity(r *rand.Rand, from time.Time, who string) activity {
	a := activity{due: between(r, from, g.now.Add(30*day))}
	switch x := r.IntN(100); {
	case x < 30:
		a.kind, a.title = "task", fmt.Sprintf(pick(r, taskTitles), who)
	case x < 60:
		a.kind, a.title, a.minutes = "call", "Call "+who, 5+r.IntN(26)
	case x < 80:
		a.kind, a.title, a.minutes = "meeting", fmt.Sprintf(pick(r, meetingTitles), who), 30*(1+r.IntN(3))
	case x < 95:
		a.kind, a.title = "email", fmt.Sprintf(pick(r, emailTitles), who)
	default:
		a.kind, a.title = "deadline", "Contract deadline: "+who
	}
	if a.due.Before(g.now) && chance(r, 0.9) {
		done := a.due.Add(time.Duration(r.IntN(120)) * time.Minute)
		if done.After(g.now) {
			done = g.now
		}
		a.done = store.Micros(done)
		switch a.kind {
		case "call":
			a.outcome = pick(r, callOutcomes)
		case "meeting":
			a.outcome = pick(r, meetingOutcomes)
		}
	}
	return a
}
