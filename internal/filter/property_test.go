package filter

import (
	"context"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"slices"
	"testing"
	"time"

	"github.com/tandemcrm/tandem/internal/store"
	"github.com/tandemcrm/tandem/internal/store/testdb"
)

func TestMain(m *testing.M) { testdb.Main(m) }

// The property: for random records and random expressions, the rows the SQL
// selects on SQLite and PostgreSQL are exactly the records Eval accepts.

var orgSchema = &Schema{
	Object: "org", Table: "ft_orgs",
	Fields: []Field{{Name: "name", Type: Text, Column: "name"}, {Name: "size", Type: Number, Column: "size"}},
	Custom: []Field{{Name: "tier", Type: Enum, Values: []string{"gold", "silver"}}},
}

var itemSchema = &Schema{
	Object: "item", Table: "ft_items",
	Fields: []Field{
		{Name: "name", Type: Text, Column: "name"},
		{Name: "stage", Type: Enum, Column: "stage", Values: []string{"new", "won", "lost"}},
		{Name: "size", Type: Number, Column: "size"},
		{Name: "ratio", Type: Number, Column: "ratio"},
		{Name: "amount", Type: Money, Column: "amount"},
		{Name: "due", Type: Date, Column: "due"},
		{Name: "seen_at", Type: DateTime, Column: "seen_at"},
		{Name: "active", Type: Bool, Column: "active"},
		{Name: "owner", Type: User, Column: "owner_id"},
		{Name: "org", Type: Ref, Column: "org_id"},
		{Name: "tags", Type: Tags, Column: "tags"},
	},
	Custom: []Field{
		{Name: "region", Type: Text}, {Name: "score", Type: Number}, {Name: "vip", Type: Bool},
		{Name: "renew", Type: Date}, {Name: "labels", Type: Tags}, {Name: "level", Type: Enum, Values: []string{"a", "b", "c"}},
		{Name: "touched", Type: DateTime},
	},
	Relations: []Relation{{Name: "org", Target: orgSchema, LocalKey: "org_id"}},
}

var propEnv = Env{UserID: 7, Now: time.Date(2026, 3, 15, 3, 34, 56, 0, time.UTC), Location: time.FixedZone("UTC-5", -5*3600)}

func propTables(d store.Dialect) []string {
	boolT, jsonT, intT, realT := "INTEGER", "TEXT", "INTEGER", "REAL"
	if d == store.Postgres {
		boolT, jsonT, intT, realT = "BOOLEAN", "JSONB", "BIGINT", "DOUBLE PRECISION"
	}
	return []string{
		`CREATE TABLE ft_orgs (id ` + intT + ` NOT NULL, workspace_id ` + intT + ` NOT NULL, name TEXT, size ` + intT +
			`, custom ` + jsonT + ` NOT NULL DEFAULT '{}', PRIMARY KEY (workspace_id, id))`,
		`CREATE TABLE ft_items (id ` + intT + ` PRIMARY KEY, workspace_id ` + intT + ` NOT NULL, name TEXT, stage TEXT, size ` + intT +
			`, ratio ` + realT + `, amount ` + intT + `, due TEXT, seen_at ` + intT + `, active ` + boolT + `, owner_id ` + intT +
			`, org_id ` + intT + ` NOT NULL DEFAULT 0, tags ` + jsonT + `, custom ` + jsonT + ` NOT NULL DEFAULT '{}')`,
	}
}

// pools of values, chosen to collide often with the literals of genExpr and
// to probe case folding, wildcards, non-ASCII text and wrong JSON types.
var (
	pTexts  = []any{nil, "", "Alice", "alice", "ALICE", "Bob Smith", "bob", "Ünïcode", "ünïcode", "a_b%c", "100%", "zed"}
	pStages = []any{nil, "", "new", "won", "lost", "New"}
	pInts   = []any{nil, int64(0), int64(1), int64(5), int64(50), int64(-3), int64(1000)}
	pReals  = []any{nil, 0.5, 1.25, 2.0, -0.1, 50.0}
	pMoney  = []any{nil, int64(0), int64(100), int64(500000), int64(123456), int64(-50)}
	pBools  = []any{nil, true, false}
	pUsers  = []any{nil, int64(0), int64(7), int64(8)}
	pTags   = []any{nil, []any{}, []any{"VIP"}, []any{"vip", "x"}, []any{"a_b"}, []any{1.0, "x"}, []any{"Ünï"}}
	pCustom = map[string][]any{
		"region":  {"EMEA", "emea", "Americas", "", 5.0, true},
		"score":   {1.0, 2.5, 50.0, "50", -7.0},
		"vip":     {true, false, "yes"},
		"renew":   {"2026-03-14", "2026-03-15", "2026-04-01", "", 20260315.0},
		"labels":  {[]any{"Gold"}, []any{"gold", "x"}, "gold", []any{}},
		"level":   {"a", "b", "c", "A", 1.0},
		"touched": {0.0, float64(propEnv.Now.UnixMicro()), float64(propEnv.Now.Add(-50 * time.Hour).UnixMicro()), "x"},
	}
)

func pick(r *rand.Rand, vals []any) any { return vals[r.IntN(len(vals))] }

func randDay(r *rand.Rand) any {
	switch r.IntN(8) {
	case 0:
		return nil
	case 1:
		return ""
	}
	return propEnv.Now.AddDate(0, 0, r.IntN(21)-10).Format(time.DateOnly)
}

func randTime(r *rand.Rand) any {
	switch r.IntN(8) {
	case 0:
		return nil
	case 1:
		return int64(0)
	}
	return propEnv.Now.Add(time.Duration(r.IntN(40*24)-20*24)*time.Hour + time.Duration(r.IntN(3600))*time.Second).UnixMicro()
}

func randCustom(r *rand.Rand) map[string]any {
	m := map[string]any{}
	for k, vals := range pCustom {
		if r.IntN(4) > 0 {
			m[k] = pick(r, vals)
		}
	}
	return m
}

func jsonArg(v any) any {
	if v == nil {
		return nil
	}
	b, _ := json.Marshal(v)
	return string(b)
}

// seed writes n items in workspace 1 (and a few decoys in workspace 2) and
// returns workspace 1's items as records for Eval.
func seed(t *testing.T, db *store.DB, r *rand.Rand, n int) map[int64]Record {
	orgs := map[int64]Record{}
	recs := map[int64]Record{}
	err := db.Write(context.Background(), func(tx *store.Tx) error {
		for _, q := range propTables(tx.Dialect()) {
			if _, err := tx.Exec(q); err != nil {
				return err
			}
		}
		for ws := int64(1); ws <= 2; ws++ {
			for id := int64(1); id <= 3+ws; id++ { // org 5 exists only in workspace 2
				o := Record{Fields: map[string]any{"name": pick(r, pTexts), "size": pick(r, pInts)},
					Custom: map[string]any{"tier": pick(r, []any{"gold", "silver", "Gold", 1.0})}}
				if _, err := tx.Exec(`INSERT INTO ft_orgs (id, workspace_id, name, size, custom) VALUES (?, ?, ?, ?, ?)`,
					id, ws, o.Fields["name"], o.Fields["size"], jsonArg(o.Custom)); err != nil {
					return err
				}
				if ws == 1 {
					orgs[id] = o
				}
			}
		}
		for id := int64(1); id <= int64(n); id++ {
			f := map[string]any{"name": pick(r, pTexts), "stage": pick(r, pStages), "size": pick(r, pInts), "ratio": pick(r, pReals),
				"amount": pick(r, pMoney), "due": randDay(r), "seen_at": randTime(r), "active": pick(r, pBools),
				"owner": pick(r, pUsers), "org": int64(r.IntN(6)), "tags": pick(r, pTags)}
			rec := Record{Fields: f, Custom: randCustom(r)}
			ws := int64(1 + r.IntN(10)/9)
			_, err := tx.Exec(`INSERT INTO ft_items (id, workspace_id, name, stage, size, ratio, amount, due, seen_at, active, owner_id, org_id, tags, custom)
				VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`, id, ws, f["name"], f["stage"], f["size"], f["ratio"],
				f["amount"], f["due"], f["seen_at"], f["active"], f["owner"], f["org"], jsonArg(f["tags"]), jsonArg(rec.Custom))
			if err != nil {
				return err
			}
			if o, ok := orgs[f["org"].(int64)]; ok {
				rec.Related = map[string][]Record{"org": {o}}
			}
			if ws == 1 {
				recs[id] = rec
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return recs
}

func TestSQLMatchesEval(t *testing.T) {
	const records, exprs = 300, 600
	testdb.Each(t, func(t *testing.T, db *store.DB) {
		recs := seed(t, db, rand.New(rand.NewPCG(1, 2)), records)
		r := rand.New(rand.NewPCG(5, 6))
		matched := 0
		for i := range exprs {
			src := genExpr(r, itemSchema, 3).String()
			f, err := New(itemSchema, src)
			if err != nil {
				t.Fatalf("expr %d: New(%q): %v", i, src, err)
			}
			got := selectIDs(t, db, f)
			var want []int64
			for id, rec := range recs {
				ok, err := f.Eval(rec, propEnv)
				if err != nil {
					t.Fatalf("Eval(%q): %v", src, err)
				}
				if ok {
					want = append(want, id)
				}
			}
			slices.Sort(want)
			if !slices.Equal(got, want) {
				q, args, _ := f.SQL(db.Dialect(), propEnv)
				t.Fatalf("expr %d: %s\nSQL:  %s\nargs: %v\nSQL rows only:  %v\nEval rows only: %v",
					i, src, q, args, diff(got, want), diff(want, got))
			}
			if len(got) > 0 && len(got) < len(recs) {
				matched++
			}
		}
		// Guard against a generator that only ever matches nothing or everything.
		if matched < exprs/3 {
			t.Errorf("only %d of %d expressions selected a proper subset", matched, exprs)
		}
	})
}

func selectIDs(t *testing.T, db *store.DB, f *Filter) []int64 {
	t.Helper()
	var ids []int64
	err := db.Read(context.Background(), func(tx *store.Tx) error {
		where, args, err := f.SQL(tx.Dialect(), propEnv)
		if err != nil {
			return err
		}
		rows, err := tx.Query(`SELECT id FROM ft_items WHERE workspace_id = ? AND `+where+` ORDER BY id`, append([]any{1}, args...)...)
		if err != nil {
			return fmt.Errorf("%w\n%s", err, where)
		}
		defer rows.Close()
		for rows.Next() {
			var id int64
			if err := rows.Scan(&id); err != nil {
				return err
			}
			ids = append(ids, id)
		}
		return rows.Err()
	})
	if err != nil {
		t.Fatalf("%s: %v", f, err)
	}
	return ids
}

func diff(a, b []int64) []int64 {
	var out []int64
	for _, x := range a {
		if !slices.Contains(b, x) {
			out = append(out, x)
		}
	}
	return out
}
