package privacy

import (
	"archive/zip"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"sort"
	"strings"
	"time"

	"github.com/tandemcrm/tandem/internal/account"
	"github.com/tandemcrm/tandem/internal/audit"
	"github.com/tandemcrm/tandem/internal/crm"
	"github.com/tandemcrm/tandem/internal/store"
)

// Export writes the bundle of everything about contact id to w, as p
// (managers and above, for people they see), and records the export in the
// audit log.
func (sv Service) Export(tx *store.Tx, p crm.Principal, id crm.ID, w io.Writer) (Report, error) {
	s, err := sv.authorize(tx, p, id, account.ActExport)
	if err != nil {
		return Report{}, err
	}
	return sv.ExportSubjects(tx, p.WorkspaceID, p.Actor(), []*Subject{s}, w)
}

// ExportSubjects writes one bundle for the given people (the CLI may find
// several contacts with one address) without a permission check, and audits
// it. With no subjects the bundle says that nothing is held.
func (sv Service) ExportSubjects(tx *store.Tx, ws crm.ID, actor crm.Actor, subjects []*Subject, w io.Writer) (Report, error) {
	zw := zip.NewWriter(w)
	var r Report
	readme := &strings.Builder{}
	writeReadme(readme, tx.Now, subjects)
	for _, s := range subjects {
		dir := ""
		if len(subjects) > 1 {
			dir = "contact-" + s.ContactID.String() + "/"
		}
		r.ContactID = s.ContactID
		counts, err := sv.exportOne(tx, zw, dir, s)
		if err != nil {
			return r, err
		}
		r.Counts = append(r.Counts, counts...)
		fmt.Fprintf(readme, "\n%sFiles for contact %s:\n", dir, s.ContactID)
		for _, c := range counts {
			if c.Rows > 0 {
				k, _ := sv.Registry.Kind(c.Kind)
				fmt.Fprintf(readme, "  %s%s.json / .csv  %d row(s)  %s\n", dir, c.Kind, c.Rows, k.Description)
			}
		}
	}
	f, err := zw.Create("README.txt")
	if err != nil {
		return r, err
	}
	if _, err := io.WriteString(f, readme.String()); err != nil {
		return r, err
	}
	if err := zw.Close(); err != nil {
		return r, fmt.Errorf("privacy: export: %w", err)
	}
	for _, s := range subjects {
		if _, err := audit.Record(tx, audit.Entry{WorkspaceID: ws, Actor: actor, Action: audit.DataExported,
			ObjectType: "contact", ObjectID: s.ContactID, Details: map[string]any{"rows": r.Total()}}); err != nil {
			return r, err
		}
	}
	return r, nil
}

func writeReadme(b *strings.Builder, now time.Time, subjects []*Subject) {
	fmt.Fprintf(b, `Personal data export
Generated %s (UTC) by Tandem.

This archive holds every record Tandem stores about the person named in it,
one file per kind of data, in two forms:

  <kind>.json  the rows exactly as stored (times in RFC 3339, UTC)
  <kind>.csv   the same rows as a spreadsheet (nested values as JSON)
  attachments/ files attached to the person's record, as uploaded

Kinds with nothing about the person have no file. Internal ids are included
so the rows can be related to each other (contact_id, company_id, …).
`, now.Format("2006-01-02 15:04"))
	if len(subjects) == 0 {
		b.WriteString("\nNo person with this address is held in this workspace: there is no data to export.\n")
	}
}

func (sv Service) exportOne(tx *store.Tx, zw *zip.Writer, dir string, s *Subject) ([]Count, error) {
	env := &Env{FilesDir: sv.FilesDir}
	var counts []Count
	for _, k := range sv.Registry.ContactKinds() {
		rows, err := k.Export(tx, s)
		if err != nil {
			return nil, fmt.Errorf("privacy: export %s: %w", k.Name, err)
		}
		counts = append(counts, Count{Kind: k.Name, Title: k.Title, Rows: len(rows)})
		if len(rows) == 0 {
			continue
		}
		if err := writeJSON(zw, dir+k.Name+".json", rows); err != nil {
			return nil, err
		}
		if err := writeCSV(zw, dir+k.Name+".csv", rows); err != nil {
			return nil, err
		}
		if k.Attachments == nil {
			continue
		}
		atts, err := k.Attachments(tx, s, env)
		if err != nil {
			return nil, err
		}
		for _, a := range atts {
			if err := copyFile(zw, dir+"attachments/"+a.Name, a.Path); err != nil {
				return nil, err
			}
		}
	}
	return counts, nil
}

func writeJSON(zw *zip.Writer, name string, rows []map[string]any) error {
	f, err := zw.Create(name)
	if err != nil {
		return err
	}
	enc := json.NewEncoder(f)
	enc.SetIndent("", "  ")
	return enc.Encode(rows)
}

func writeCSV(zw *zip.Writer, name string, rows []map[string]any) error {
	f, err := zw.Create(name)
	if err != nil {
		return err
	}
	set := map[string]bool{}
	for _, r := range rows {
		for k := range r {
			set[k] = true
		}
	}
	cols := make([]string, 0, len(set))
	for k := range set {
		cols = append(cols, k)
	}
	sort.Strings(cols)
	cw := csv.NewWriter(f)
	if err := cw.Write(cols); err != nil {
		return err
	}
	for _, r := range rows {
		rec := make([]string, len(cols))
		for i, c := range cols {
			rec[i] = csvCell(r[c])
		}
		if err := cw.Write(rec); err != nil {
			return err
		}
	}
	cw.Flush()
	return cw.Error()
}

func csvCell(v any) string {
	var s string
	switch x := v.(type) {
	case nil:
		return ""
	case string:
		s = x
	case map[string]any, []any:
		b, _ := json.Marshal(x)
		s = string(b)
	default:
		s = fmt.Sprint(x)
	}
	// A cell starting with = + - @ is a formula to a spreadsheet: defuse it.
	if s != "" && strings.ContainsRune("=+-@", rune(s[0])) {
		s = "'" + s
	}
	return s
}

func copyFile(zw *zip.Writer, name, path string) error {
	in, err := os.Open(path)
	if os.IsNotExist(err) {
		return nil // the row outlived its bytes: nothing to add
	}
	if err != nil {
		return err
	}
	defer in.Close()
	f, err := zw.Create(name)
	if err != nil {
		return err
	}
	_, err = io.Copy(f, in)
	return err
}
