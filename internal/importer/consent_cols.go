package importer

import (
	"fmt"
	"strings"
	"time"

	"github.com/tandemcrm/tandem/internal/consent"
	"github.com/tandemcrm/tandem/internal/crm"
	"github.com/tandemcrm/tandem/internal/store"
)

// contactKind is the contacts kind with consent columns: a column per
// purpose of the consent ledger (granted / withdrawn / denied, in the words
// other tools export), an optional lawful basis and date of the decision.
// Each row that creates or updates a contact records its consents in the
// ledger (internal/consent) with source "import", the import's id
// (Entry.ImportID) and, as evidence, its id and file name — after the
// contact is written, in the same transaction. A dry run records nothing;
// undo takes the entries back (Undo below).
type contactKind struct{ Contacts }

// consentSynonyms are the usual consent headers, by purpose.
var consentSynonyms = map[string][]string{
	"marketing_email": {"marketingemailconsent", "emailconsent", "emailoptin", "marketingconsent", "newsletter", "optin",
		"subscribed", "emailmarketing", "marketingemail", "gdprconsent", "newsletteroptin", "emailmarketingstatus"},
	"sms":       {"smsconsent", "smsoptin", "textconsent", "textmessages", "smsmarketing"},
	"calls":     {"callconsent", "phoneconsent", "callsconsent", "phonecalls"},
	"tracking":  {"trackingconsent", "emailtracking"},
	"profiling": {"profilingconsent", "profiling", "scoringconsent"},
}

// Fields implements Kind: the contact fields and a consent column for
// every purpose the workspace has (d.Purposes; the defaults when none are
// given), matched by its key or label with "consent" or "opt-in" around it
// ("Webinar invitations consent", "consent_webinars"), and for the default
// purposes also by the headers other tools export.
func (k contactKind) Fields(d Defs) []FieldSpec {
	specs := k.Contacts.Fields(d)
	for _, p := range purposesOf(d) {
		var syn []string
		for _, name := range []string{norm(p.Key), norm(p.Label)} {
			syn = append(syn, "consent"+name, name+"consent", name+"optin", "optin"+name)
		}
		specs = append(specs, FieldSpec{Key: "consent." + p.Key, Label: "Consent: " + p.Label, Options: consent.Statuses,
			Synonyms: append(syn, consentSynonyms[p.Key]...)})
	}
	return append(specs,
		FieldSpec{Key: "consent_basis", Label: "Consent: lawful basis", Options: consent.Bases, Synonyms: []string{"lawfulbasis",
			"legalbasis", "consentbasis", "legalbasisforprocessingcontactsdata", "basisforprocessing"}},
		FieldSpec{Key: "consent_at", Label: "Consent: date of the decision", Synonyms: []string{"consentdate", "optindate",
			"consentgivenat", "consentedat", "subscribedat", "optintime"}})
}

// purposesOf is the purposes a mapping offers: the workspace's, or the
// defaults when the caller loaded none (a zero Defs).
func purposesOf(d Defs) []consent.Purpose {
	if len(d.Purposes) == 0 {
		return consent.DefaultPurposes
	}
	return d.Purposes
}

// Undo implements Kind: the contacts' undo, then the consent entries the
// import recorded are taken back (consent.RevertImport): appended
// "reverted" entries put each purpose of a surviving contact back to its
// state before the import; the entries of contacts it created go with them.
func (k contactKind) Undo(tx *store.Tx, r *Run) (UndoResult, error) {
	res, err := k.Contacts.Undo(tx, r)
	if err != nil {
		return res, err
	}
	cr, err := consent.RevertImport(tx, r.WorkspaceID, r.ID, r.Principal.Actor())
	res.Consents = cr.Erased + cr.Reverted
	return res, err
}

// Start implements Kind.
func (k contactKind) Start(tx *store.Tx, r *Run) (Batch, error) {
	inner, err := k.Contacts.Start(tx, r)
	if err != nil {
		return inner, err
	}
	var purposes []string
	for _, f := range r.Plan.Fields {
		if p, ok := strings.CutPrefix(f, "consent."); ok {
			purposes = append(purposes, p)
		}
	}
	if len(purposes) == 0 {
		return inner, nil
	}
	var name string
	if err := tx.QueryRow(`SELECT file_name FROM imports WHERE workspace_id = ? AND id = ?`, r.WorkspaceID, r.ID).Scan(&name); err != nil && err != store.ErrNoRows {
		return nil, err
	}
	ev := "import " + r.ID.String() + ": " + name
	if len(ev) > 100 {
		ev = ev[:100]
	}
	contacts, ok := inner.(*contactBatch)
	if !ok {
		return nil, fmt.Errorf("importer: consent columns need the contacts batch, got %T", inner)
	}
	return &consentBatch{Batch: inner, contacts: contacts, run: r, purposes: purposes, evidence: ev, issues: domainBatch{run: r}}, nil
}

type consentRow struct {
	line    int
	vals    map[string]string
	entries []consent.Entry
	id      crm.ID // the contact the row wrote
	staged  bool   // in the staging table until the merge
}

type consentBatch struct {
	Batch
	contacts *contactBatch // the same batch: it says which contact a row wrote
	run      *Run
	purposes []string
	evidence string
	pending  []consentRow
	issues   domainBatch // for its report lines
}

// consentStatus reads a consent cell.
func consentStatus(v string) (string, bool) {
	switch norm(v) {
	case "granted", "yes", "y", "true", "1", "x", "optin", "optedin", "subscribed", "consented", "given", "on":
		return "granted", true
	case "withdrawn", "no", "n", "false", "0", "optout", "optedout", "unsubscribed", "revoked", "off":
		return "withdrawn", true
	case "denied", "refused", "declined", "rejected":
		return "denied", true
	}
	return "", false
}

// consentBasis reads a lawful basis, also in HubSpot's long words
// ("Legitimate interest – prospect/lead", "Performance of a contract").
func consentBasis(v string) (string, bool) {
	n := norm(v)
	for _, b := range []struct{ word, basis string }{{"legitimate", "legitimate_interest"}, {"contract", "contract"},
		{"legalobligation", "legal_obligation"}, {"vital", "vital_interest"}, {"public", "public_task"}, {"consent", "consent"}} {
		if strings.Contains(n, b.word) {
			return b.basis, true
		}
	}
	return "", false
}

// Row implements Batch: the consent cells are checked before the contact
// is, so a row with a bad one changes nothing.
func (b *consentBatch) Row(line int, vals map[string]string) Outcome {
	basis, at := "", time.Time{}
	if v := vals["consent_basis"]; v != "" {
		var ok bool
		if basis, ok = consentBasis(v); !ok {
			return fail("consent_basis", v, "not a lawful basis; use one of "+strings.Join(consent.Bases, ", "))
		}
	}
	if v := vals["consent_at"]; v != "" {
		var ok bool
		if at, ok = parseTime(v); !ok || at.After(b.run.Now) {
			return fail("consent_at", v, "not a date in the past like 2025-01-31")
		}
	}
	var entries []consent.Entry
	for _, p := range b.purposes {
		v := vals["consent."+p]
		if v == "" {
			continue
		}
		st, ok := consentStatus(v)
		if !ok {
			return fail("consent."+p, v, "use granted, withdrawn or denied (or yes / no, opted in / out)")
		}
		entries = append(entries, consent.Entry{Purpose: p, Status: st, Basis: basis, Source: "import", NoticeVersion: b.evidence, At: at,
			ImportID: b.run.ID})
	}
	out := b.Batch.Row(line, vals)
	if (out.Action == Created || out.Action == Updated) && len(entries) > 0 {
		row := consentRow{line: line, vals: vals, entries: entries}
		row.id, row.staged = b.contacts.Written()
		b.pending = append(b.pending, row)
	}
	return out
}

// Detach implements detacher: the contacts decided so far with their
// consents.
func (b *consentBatch) Detach() Batch {
	contacts := b.contacts.Detach().(*contactBatch)
	w := *b
	w.Batch, w.contacts = contacts, contacts
	b.pending = nil
	return &w
}

// Flush implements Batch: the contacts first, then their consents.
func (b *consentBatch) Flush(tx *store.Tx) error {
	if err := b.Batch.Flush(tx); err != nil {
		return err
	}
	pending := b.pending
	b.pending = nil
	if b.run.DryRun {
		return nil
	}
	for _, c := range pending {
		record := consent.Record
		if c.staged {
			record = consent.RecordStaged
		}
		for _, e := range c.entries {
			_, err := record(tx, b.run.WorkspaceID, c.id, e, b.run.Principal.Actor())
			if crm.ErrorCode(err) == crm.Invalid {
				err = b.issues.issue(tx, c.line, Warned, "consent."+e.Purpose, c.vals["consent."+e.Purpose], "consent not recorded: "+crm.ErrorMessage(err))
			}
			if err != nil {
				return err
			}
		}
	}
	return nil
}
