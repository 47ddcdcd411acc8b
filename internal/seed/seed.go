package seed

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"strconv"
	"strings"
	"time"

	"github.com/tandemcrm/tandem/internal/account"
	"github.com/tandemcrm/tandem/internal/crm"
	"github.com/tandemcrm/tandem/internal/ids"
	"github.com/tandemcrm/tandem/internal/store"
)

// Options say how much to generate. Zero counts generate nothing of that kind.
type Options struct {
	Seed          uint64
	WorkspaceName string
	Users         int // the first is the owner, demo@tandem.local
	Companies     int
	Contacts      int
	Deals         int
	Activities    int

	// Now anchors every generated date (history over the past year, tasks
	// due in the next month). Zero means the database clock. Fix it to make
	// two runs produce the same timestamps.
	Now time.Time
	// Password for every seeded user; empty means a random one, returned
	// in Result. Demo data must not come with a guessable password.
	Password string
	// Force allows a second workspace with the same name.
	Force bool
	// Batch is rows per INSERT (default 500); TxRows rows per transaction
	// (default 50,000).
	Batch, TxRows int
}

// Size returns the preset counts for "demo", "S", "M" or "L".
func Size(name string) (Options, error) {
	switch strings.ToUpper(name) {
	case "DEMO":
		return Options{Users: 8, Companies: 300, Contacts: 3_000, Deals: 1_500, Activities: 6_000, WorkspaceName: "Demo"}, nil
	case "S":
		return Options{Users: 10, Companies: 1_000, Contacts: 10_000, Deals: 2_000, Activities: 20_000, WorkspaceName: "Seed S"}, nil
	case "M":
		return Options{Users: 25, Companies: 10_000, Contacts: 100_000, Deals: 20_000, Activities: 200_000, WorkspaceName: "Seed M"}, nil
	case "L":
		return Options{Users: 50, Companies: 100_000, Contacts: 1_000_000, Deals: 200_000, Activities: 2_000_000, WorkspaceName: "Seed L"}, nil
	}
	return Options{}, fmt.Errorf("unknown size %q: use demo, S, M or L", name)
}

// Result is what Generate made.
type Result struct {
	WorkspaceID crm.ID
	OwnerEmail  string
	Password    string
	Users       int
	Companies   int
	Contacts    int
	Deals       int
	Activities  int
	Elapsed     time.Duration
}

// ErrExists is returned when a workspace of that name exists and Force is off.
var ErrExists = errors.New("seed: a workspace with this name already exists")

// Stream numbers of the per-table random generators.
const (
	streamUsers = iota + 1
	streamCompanies
	streamContacts
	streamDeals
	streamActivities
)

// gen carries what the tables generated so far, for the ones that refer to them.
type gen struct {
	o      Options
	ws     crm.ID
	now    time.Time
	users  []crm.ID // owner pool, most active first
	stages []stage

	companies []company
	contacts  []contact
	deals     []deal
}

type stage struct {
	id, pipeline crm.ID
	probability  int
}

// Generate creates a workspace with users and generated records.
func Generate(ctx context.Context, db *store.DB, o Options) (Result, error) {
	started := time.Now()
	if o.Batch <= 0 {
		o.Batch = 500
	}
	if o.TxRows <= 0 {
		o.TxRows = 50_000
	}
	if o.Users < 1 {
		o.Users = 1
	}
	if strings.TrimSpace(o.WorkspaceName) == "" {
		o.WorkspaceName = "Demo"
	}
	if o.Password == "" {
		o.Password = "demo-" + ids.Token(9)
	}
	g := &gen{o: o, now: o.Now.UTC().Truncate(time.Microsecond)}
	if g.now.IsZero() {
		g.now = db.Now().Truncate(time.Microsecond)
	}
	res := Result{Password: o.Password}
	var err error
	if res.OwnerEmail, err = g.setup(ctx, db); err != nil {
		return res, err
	}
	steps := []func(context.Context, *store.DB) error{g.insertCompanies, g.insertContacts, g.insertDeals, g.insertActivities}
	for _, step := range steps {
		if err := step(ctx, db); err != nil {
			return res, err
		}
	}
	res.WorkspaceID, res.Users = g.ws, len(g.users)
	res.Companies, res.Contacts, res.Deals, res.Activities = len(g.companies), len(g.contacts), len(g.deals), o.Activities
	res.Elapsed = time.Since(started)
	return res, nil
}

// setup creates the workspace, its users and memberships in one
// transaction, through internal/account so they get the usual events.
func (g *gen) setup(ctx context.Context, db *store.DB) (string, error) {
	r := rand.New(rand.NewPCG(g.o.Seed, streamUsers))
	var owner string
	err := db.Write(ctx, func(tx *store.Tx) error {
		var n int
		if err := tx.QueryRow(`SELECT count(*) FROM workspaces WHERE name = ?`, g.o.WorkspaceName).Scan(&n); err != nil {
			return err
		}
		if n > 0 && !g.o.Force {
			return ErrExists
		}
		suffix, err := emailSuffix(tx)
		if err != nil {
			return err
		}
		ws, err := account.CreateWorkspace(tx, g.o.WorkspaceName, crm.System)
		if err != nil {
			return err
		}
		g.ws = ws.ID
		owner = "demo" + suffix + "@tandem.local"
		if err := g.addUser(tx, owner, "Demo Owner", crm.RoleOwner); err != nil {
			return err
		}
		seen := map[string]bool{owner: true}
		for i := 1; i < g.o.Users; i++ {
			l := locales[pickLocale(r)]
			first, last := pick(r, l.first), pick(r, l.last)
			email := fold(first) + "." + fold(last) + suffix
			for k := 2; seen[email+"@tandem.local"]; k++ {
				email = fold(first) + "." + fold(last) + strconv.Itoa(k) + suffix
			}
			email += "@tandem.local"
			seen[email] = true
			role := crm.RoleMember
			if i%8 == 1 {
				role = crm.RoleManager
			}
			if err := g.addUser(tx, email, first+" "+last, role); err != nil {
				return err
			}
		}
		return g.loadStages(tx)
	})
	// The owner is the least active seller: rotate it to the end of the
	// owner pool, whose head gets the most records (Zipf).
	if len(g.users) > 1 {
		g.users = append(g.users[1:], g.users[0])
	}
	return owner, err
}

func (g *gen) addUser(tx *store.Tx, email, name string, role crm.Role) error {
	u, err := account.CreateUser(tx, account.NewUser{Email: email, Name: name, Password: g.o.Password})
	if err != nil {
		return fmt.Errorf("seed: user %s: %w", email, err)
	}
	g.users = append(g.users, u.ID)
	return account.AddMember(tx, g.ws, u.ID, role, crm.System)
}

// emailSuffix returns "" when demo@tandem.local is free, else the first
// number n for which demo<n>@tandem.local is: a second demo workspace
// (--force) gets its own users instead of failing on the unique email.
func emailSuffix(tx *store.Tx) (string, error) {
	for n := 1; ; n++ {
		suffix := ""
		if n > 1 {
			suffix = strconv.Itoa(n)
		}
		var c int
		if err := tx.QueryRow(`SELECT count(*) FROM users WHERE email = ?`, "demo"+suffix+"@tandem.local").Scan(&c); err != nil {
			return "", err
		}
		if c == 0 {
			return suffix, nil
		}
	}
}

func (g *gen) loadStages(tx *store.Tx) error {
	rows, err := tx.Query(`SELECT id, pipeline_id, probability FROM stages WHERE workspace_id = ? ORDER BY position`, g.ws)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var s stage
		if err := rows.Scan(&s.id, &s.pipeline, &s.probability); err != nil {
			return err
		}
		g.stages = append(g.stages, s)
	}
	if err := rows.Err(); err != nil {
		return err
	}
	if len(g.stages) == 0 {
		return errors.New("seed: the workspace has no pipeline stages")
	}
	return nil
}

// owner draws a user with a Zipf-like skew: a few people own most records,
// as on real sales teams.
func (g *gen) ownerPicker(r *rand.Rand) func() crm.ID {
	if len(g.users) == 1 {
		return func() crm.ID { return g.users[0] }
	}
	z := rand.NewZipf(r, 1.3, 2, uint64(len(g.users)-1))
	return func() crm.ID { return g.users[z.Uint64()] }
}

// between returns a time uniformly in [from, to).
func between(r *rand.Rand, from, to time.Time) time.Time {
	span := to.Sub(from)
	if span <= 0 {
		return from
	}
	return from.Add(time.Duration(r.Int64N(int64(span)))).Truncate(time.Second)
}

const day = 24 * time.Hour
