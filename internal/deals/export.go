package deals

import (
	"github.com/tandemcrm/tandem/internal/account"
	"github.com/tandemcrm/tandem/internal/crm"
	"github.com/tandemcrm/tandem/internal/records"
	"github.com/tandemcrm/tandem/internal/store"
)

// ExportRow is one deal as exports write it: the deal with the names and
// addresses its links are imported by again — the pipeline's name and the
// owner's email (the deal holds its contact's email and its company's
// name and domain).
type ExportRow struct {
	Deal
	PipelineName string
	OwnerEmail   string
}

// EachDeal streams every deal matching a list query (its filter and sort;
// the cursor and limit are ignored) that the principal may export, a page
// at a time through QueryDeals, so it sees what the deals list shows. The
// default order is oldest first (created_at, then id).
func EachDeal(tx *store.Tx, p crm.Principal, q records.ListQuery, fn func(*ExportRow) error) error {
	if err := account.Can(tx, p, account.ActExport, p.UserID); err != nil {
		return err
	}
	pipelines, err := ListPipelines(tx, p.WorkspaceID)
	if err != nil {
		return err
	}
	pipelineName := map[crm.ID]string{}
	for _, pl := range pipelines {
		pipelineName[pl.ID] = pl.Name
	}
	owners, err := records.MemberEmails(tx, p.WorkspaceID)
	if err != nil {
		return err
	}
	if q.Sort == "" {
		q.Sort = "created_at"
	}
	q.Cursor, q.Limit = "", records.MaxLimit
	for {
		page, err := QueryDeals(tx, p, q)
		if err != nil {
			return err
		}
		for _, d := range page.Items {
			r := ExportRow{Deal: d, PipelineName: pipelineName[d.PipelineID], OwnerEmail: owners[d.OwnerID]}
			if err := fn(&r); err != nil {
				return err
			}
		}
		if page.Next == "" {
			return nil
		}
		q.Cursor = page.Next
	}
}

// CheckExport says whether EachDeal would accept q from p (the permission,
// the filter and the sort), reading at most one deal.
func CheckExport(tx *store.Tx, p crm.Principal, q records.ListQuery) error {
	if err := account.Can(tx, p, account.ActExport, p.UserID); err != nil {
		return err
	}
	q.Cursor, q.Limit = "", 1
	_, err := QueryDeals(tx, p, q)
	return err
}
