package audit

import (
	"encoding/csv"
	"encoding/json"
	"io"
	"strconv"
	"time"

	"github.com/tandemcrm/tandem/internal/crm"
	"github.com/tandemcrm/tandem/internal/store"
)

// csvHeader is the first row of WriteCSV.
var csvHeader = []string{"seq", "at", "actor_type", "actor_id", "action", "object_type", "object_id",
	"ip", "user_agent", "details", "erased", "hash"}

// WriteCSV writes entries as CSV with a header row: the admin page's and the
// API's export. Cells that a spreadsheet would run as a formula are
// prefixed with a quote.
func WriteCSV(w io.Writer, entries []Entry) error {
	cw := csv.NewWriter(w)
	_ = cw.Write(csvHeader)
	for _, e := range entries {
		d, _ := json.Marshal(e.Details)
		_ = cw.Write([]string{strconv.FormatInt(e.Seq, 10), e.At.Format(time.RFC3339), e.Actor.Type, e.Actor.ID.String(), e.Action,
			e.ObjectType, e.ObjectID.String(), e.IP, csvSafe(e.UserAgent), csvSafe(string(d)), strconv.FormatBool(e.Erased), e.Hash})
	}
	cw.Flush()
	return cw.Error()
}

// csvSafe stops a spreadsheet from running a cell as a formula.
func csvSafe(s string) string {
	if s != "" && (s[0] == '=' || s[0] == '+' || s[0] == '-' || s[0] == '@') {
		return "'" + s
	}
	return s
}

// MaxExport caps one export of the log.
const MaxExport = 50_000

// Export returns up to MaxExport entries matching f, newest first, for
// WriteCSV.
func Export(tx *store.Tx, ws crm.ID, f Filter) ([]Entry, error) {
	var all []Entry
	var cursor int64
	for len(all) < MaxExport {
		page, next, err := List(tx, ws, f, min(MaxList, MaxExport-len(all)), cursor)
		if err != nil {
			return nil, err
		}
		all = append(all, page...)
		if next == 0 {
			break
		}
		cursor = next
	}
	return all, nil
}
