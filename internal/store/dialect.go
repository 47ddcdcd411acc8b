package store

import (
	"strconv"
	"strings"
)

// Dialect is the SQL flavour of the database.
type Dialect int

// The two supported dialects.
const (
	SQLite Dialect = iota
	Postgres
)

func (d Dialect) String() string {
	if d == Postgres {
		return "postgres"
	}
	return "sqlite"
}

// rebind rewrites "?" placeholders to PostgreSQL's "$n", leaving question
// marks inside string literals, quoted identifiers and comments alone.
func rebind(q string) string {
	if !strings.Contains(q, "?") {
		return q
	}
	var b strings.Builder
	b.Grow(len(q) + 16)
	n := 0
	for i := 0; i < len(q); i++ {
		c := q[i]
		switch c {
		case '\'', '"':
			j := i + 1
			for j < len(q) && q[j] != c {
				j++
			}
			b.WriteString(q[i:min(j+1, len(q))])
			i = j
		case '-':
			if i+1 < len(q) && q[i+1] == '-' {
				j := strings.IndexByte(q[i:], '\n')
				if j < 0 {
					j = len(q) - i
				}
				b.WriteString(q[i : i+j])
				i += j - 1
				continue
			}
			b.WriteByte(c)
		case '?':
			n++
			b.WriteByte('$')
			b.WriteString(strconv.Itoa(n))
		default:
			b.WriteByte(c)
		}
	}
	return b.String()
}

// Upsert returns the clause that turns an INSERT into an upsert on the given
// conflict columns; both dialects share the PostgreSQL syntax, and SQLite
// accepts it since 3.24.
func (d Dialect) Upsert(conflict string, set string) string {
	return " ON CONFLICT (" + conflict + ") DO UPDATE SET " + set
}

// Now returns SQL for the current Unix time in microseconds, for the rare
// statement that must use the database clock rather than Tx.Now.
func (d Dialect) NowMicros() string {
	if d == Postgres {
		return "(extract(epoch from clock_timestamp()) * 1000000)::bigint"
	}
	return "(CAST((julianday('now') - 2440587.5) * 86400000000 AS INTEGER))"
}
