package cli

import (
	"context"
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"github.com/tandemcrm/tandem/internal/audit"
	"github.com/tandemcrm/tandem/internal/crm"
	"github.com/tandemcrm/tandem/internal/importer"
	"github.com/tandemcrm/tandem/internal/records"
	"github.com/tandemcrm/tandem/internal/store"
)

const exportUsage = "export contacts|companies|deals --workspace ID [--as EMAIL] [--filter EXPR] [--sort FIELDS] [--columns A,B] [--format csv|xlsx|vcf] [--out FILE]"

func runExport(ctx context.Context, env Env, args []string) error {
	exports := map[string]struct {
		object string
		export func(context.Context, *store.DB, crm.Principal, records.ListQuery, string, []string, io.Writer) (int, error)
	}{"contacts": {"contact", importer.ExportContacts}, "companies": {"company", importer.ExportCompanies}, "deals": {"deal", importer.ExportDeals}}
	if len(args) == 0 || exports[args[0]].object == "" {
		fmt.Fprintln(env.Stderr, "usage: tandem "+exportUsage)
		return errUsage
	}
	what, object, export := args[0], exports[args[0]].object, exports[args[0]].export
	var ws, as, filter, sortBy, columns, format, out *string
	return withWriteDB(ctx, env, "export", exportUsage, args[1:],
		func(fs flagSet) {
			ws = fs.String("workspace", "", "workspace id")
			as = fs.String("as", "", "email of the member the export acts as, whose visibility applies (default: the first owner)")
			filter = fs.String("filter", "", "filter expression, as in list views (docs/FILTERS.md)")
			sortBy = fs.String("sort", "", "sort fields, - for descending (default created_at: oldest first)")
			columns = fs.String("columns", "", "comma-separated column headers to export, in order (default: all)")
			format = fs.String("format", "csv", "csv, xlsx or vcf (vCard 3.0, contacts only)")
			out = fs.String("out", "", "write to this file instead of standard output")
		},
		func(db *store.DB, _ []string) error {
			wsID, err := crm.ParseID(*ws)
			if err != nil {
				return fmt.Errorf("--workspace %q is not a workspace id", *ws)
			}
			p, err := actingMember(ctx, db, wsID, *as)
			if err != nil {
				return describe(err)
			}
			var w io.Writer = env.Stdout
			if *out != "" {
				f, err := os.Create(*out)
				if err != nil {
					return err
				}
				defer f.Close()
				w = f
			}
			var cols []string
			if *columns != "" {
				cols = strings.Split(*columns, ",")
			}
			start := time.Now()
			n, err := export(ctx, db, p, records.ListQuery{Filter: *filter, Sort: *sortBy}, *format, cols, w)
			if err != nil {
				return describe(err)
			}
			if err := audit.ListExported(ctx, db, p, object, *format, n); err != nil {
				return err
			}
			fmt.Fprintf(env.Stderr, "exported %d %s in %s\n", n, what, time.Since(start).Round(time.Millisecond))
			return nil
		})
}
