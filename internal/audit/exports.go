package audit

import (
	"context"

	"github.com/tandemcrm/tandem/internal/crm"
	"github.com/tandemcrm/tandem/internal/store"
)

// ListExported records, in its own transaction, that p exported a list of
// objectType records (rows of them, as format). Exports are never
// coalesced: each file that left the system is an entry. It runs after the
// file was streamed (so rows is what was sent), even if the client went
// away; the filter is not recorded, since it may quote personal data.
func ListExported(ctx context.Context, db *store.DB, p crm.Principal, objectType, format string, rows int) error {
	return db.Write(context.WithoutCancel(ctx), func(tx *store.Tx) error {
		_, err := Record(tx, Entry{WorkspaceID: p.WorkspaceID, Actor: p.Actor(), Action: DataExported,
			ObjectType: objectType, Details: map[string]any{"list": true, "format": format, "rows": rows}})
		return err
	})
}
