package privacy

import (
	"fmt"
	"path/filepath"
	"strings"

	"github.com/tandemcrm/tandem/internal/crm"
	"github.com/tandemcrm/tandem/internal/store"
)

// Default returns the registry of everything Tandem stores today. Kinds
// about contacts run, in erasure, in the order registered here: the ones that
// need to find rows through others (events of the person's notes) come
// before those others, and the contact's own row comes last.
func Default() *Registry {
	r := NewRegistry()
	r.Register(eventsKind())
	r.Register(auditKind())
	r.Register(searchKind())
	r.Register(outboxKind())
	r.Register(jobsKind())
	r.Register(notesKind())
	r.Register(filesKind())
	// Tables found through activities or deals go before them: erasing
	// those deletes the rows the others would be found by.
	r.Register(ByContactColumn("activity_contacts", "Activity participants", "contact_id",
		"Which calls and meetings a person takes part in, and their role."))
	r.Register(Mentions("notifications", "Notifications", "In-app reminders to the team; a title or text that names the person is redacted.",
		"title", "body"))
	r.Register(activitiesKind())
	r.Register(ByContactColumn("deal_contacts", "Deal participants", "contact_id",
		"Which deals a person takes part in besides the primary contact, and their role."))
	r.Register(dealsKind())
	r.Register(ByContactColumn("contact_companies", "Past companies", "contact_id",
		"A person's former employers, with their title and dates."))
	r.Register(ByObject("import_before", "Import undo copies",
		"A person's record as it was before an import changed it, kept for the import's undo window (7 days)."))
	r.Register(stagedContactsKind())
	r.Register(Mentions("import_issues", "Import reports", "Lines of import reports whose cell value or message names the person.",
		"value", "message"))
	r.Register(companiesKind())
	r.Register(requestsKind())
	r.Register(consentKind())
	r.Register(suppressionsKind())
	r.Register(ByContactColumn("legal_holds", "Legal holds", "contact_id",
		"A hold that stops erasure of a person, with the reason (litigation, tax records)."))
	r.Register(contactsKind())
	registerStaff(r)
	registerNonPersonal(r)
	return r
}

func registerStaff(r *Registry) {
	r.Register(Staff("users", "User accounts", "Your team's sign-in accounts: name, email, password hash, second factor.",
		"users", "memberships", "team_members", "recovery_codes"))
	r.Register(Staff("sessions", "Sessions and devices", "Signed-in sessions and remembered devices: truncated IP address, browser.",
		"sessions", "known_devices", "signin_challenges"))
	r.Register(Staff("signin_security", "Sign-in protection", "Failed sign-in counters per address and IP, kept for hours.",
		"signin_throttle"))
	r.Register(Staff("account_links", "Invitations and resets", "Pending invitations and password resets: the invitee's email.",
		"invitations", "password_resets"))
	r.Register(Staff("api_keys", "API keys", "Keys created by users: name, owner, last use.", "api_keys"))
	r.Register(Staff("calendar_feeds", "Calendar feeds", "Each user's private calendar link (hashed) and when it was last read.", "calendar_feeds"))
}

func registerNonPersonal(r *Registry) {
	for t, why := range map[string]string{
		"nodes":              "process leases of running servers",
		"workspaces":         "the customer organisation's name and settings",
		"setup_tokens":       "hashed one-time setup links, no person",
		"pipelines":          "sales process configuration",
		"stages":             "sales process configuration",
		"fields":             "definitions of custom fields (values live in the records)",
		"views":              "saved list filters and columns",
		"teams":              "team names",
		"audit_heads":        "the last hash of each audit chain",
		"retention_policies": "retention settings per data kind",
		"privacy_settings":   "the public request form's token and default regime",
		"consent_purposes":   "the purposes consent is asked for",
		"consent_settings":   "the workspace's consent and tracking switches",
		"company_domains":    "companies' web domains",
		"imports":            "import jobs: file name, mapping, counts (the uploaded file is deleted when the undo window closes)",
		"import_templates":   "saved column mappings",
		"deal_items":         "products and prices on deals",
		"deal_stage_history": "when deals entered and left stages",
		"deal_stage_totals":  "counts and sums of open deals per stage (the board)",
		"lost_reasons":       "the workspace's list of reasons deals are lost",
		"products":           "the product catalogue",
		"product_prices":     "the product catalogue's prices",
		"rate_limits":        "public pages' hit counters: keyed hashes of client networks, gone after two hours",
		"goose_db_version":   "schema migration bookkeeping",
		"goose_lock":         "migration lock (PostgreSQL)",
		"river_leader":       "job-queue leader election",
		"river_migration":    "job-queue schema bookkeeping",
		"river_queue":        "job-queue settings",
		"river_client":       "job-queue process registry",
		"river_client_queue": "job-queue process registry",
		"river_notification": "job-queue wake-up signals (SQLite)",
	} {
		r.NonPersonal(t, why)
	}
}

func contactsKind() Kind {
	// Contacts merged into this one are the same person: they go too.
	where := ` FROM contacts WHERE workspace_id = ? AND (id = ? OR merged_into = ?)`
	return Kind{Name: "contacts", Title: "Person records", Tables: []string{"contacts"}, About: AboutContacts,
		Description: "People: names, emails, phones, job title, company, postal address, time zone, web links, owner, lifecycle, tags, custom fields.",
		Count: func(tx *store.Tx, s *Subject) (int, error) {
			return count(tx, `SELECT COUNT(*)`+where, s.WorkspaceID, s.ContactID, s.ContactID)
		},
		Export: func(tx *store.Tx, s *Subject) ([]map[string]any, error) {
			return rowMaps(tx, `SELECT *`+where+` ORDER BY id`, s.WorkspaceID, s.ContactID, s.ContactID)
		},
		Erase: func(tx *store.Tx, s *Subject, _ *Env) (int, error) {
			n, err := tx.Exec(`DELETE`+where, s.WorkspaceID, s.ContactID, s.ContactID)
			return int(n), err
		},
		Retention: trashRetention(),
	}
}

func companiesKind() Kind {
	cols := []string{"name", "domain", "phone", "industry", "custom"}
	return Kind{Name: "companies", Title: "Companies (as they relate)", Tables: []string{"companies"}, About: AboutContacts,
		Description: "Organisations. The person's employer is exported with them; their identifiers are redacted where a company record names them.",
		Count: func(tx *store.Tx, s *Subject) (int, error) {
			return countMentions(tx, s, "companies", "", nil, cols...)
		},
		Export: func(tx *store.Tx, s *Subject) ([]map[string]any, error) {
			return rowMaps(tx, `SELECT id, name, domain, industry FROM companies WHERE workspace_id = ? AND id = ?`, s.WorkspaceID, s.CompanyID)
		},
		Erase: func(tx *store.Tx, s *Subject, _ *Env) (int, error) { return scrubRows(tx, s, "companies", cols...) },
	}
}

func notesKind() Kind {
	on := ` FROM notes WHERE workspace_id = ? AND object_type = 'contact' AND object_id = ?`
	return Kind{Name: "notes", Title: "Notes", Tables: []string{"notes", "note_mentions"}, About: AboutContacts,
		Description: "Notes written on records. Notes on the person are deleted; notes elsewhere that name them are redacted.",
		Count: func(tx *store.Tx, s *Subject) (int, error) {
			n, err := count(tx, `SELECT COUNT(*)`+on, s.WorkspaceID, s.ContactID)
			if err != nil {
				return 0, err
			}
			m, err := countMentions(tx, s, "notes", "NOT (object_type = 'contact' AND object_id = ?)", []any{s.ContactID}, "body")
			return n + m, err
		},
		Export: func(tx *store.Tx, s *Subject) ([]map[string]any, error) {
			cond, args := s.mentions("body")
			return rowMaps(tx, `SELECT id, object_type, object_id, body, pinned, author_id, created_at, updated_at, deleted_at FROM notes
				WHERE workspace_id = ? AND ((object_type = 'contact' AND object_id = ?) OR `+cond+`) ORDER BY id`,
				append([]any{s.WorkspaceID, s.ContactID}, args...)...)
		},
		Erase: func(tx *store.Tx, s *Subject, _ *Env) (int, error) {
			if _, err := tx.Exec(`DELETE FROM note_mentions WHERE workspace_id = ? AND note_id IN (SELECT id`+on+`)`,
				s.WorkspaceID, s.WorkspaceID, s.ContactID); err != nil {
				return 0, err
			}
			n, err := tx.Exec(`DELETE`+on, s.WorkspaceID, s.ContactID)
			if err != nil {
				return 0, err
			}
			m, err := scrubRows(tx, s, "notes", "body", "html")
			return int(n) + m, err
		},
	}
}

func filesKind() Kind {
	on := ` FROM files WHERE workspace_id = ? AND object_type = 'contact' AND object_id = ?`
	return Kind{Name: "files", Title: "Attachments", Tables: []string{"files"}, About: AboutContacts,
		Description: "Files attached to records, stored on disk under the data directory. Files on the person are deleted, bytes included.",
		Count: func(tx *store.Tx, s *Subject) (int, error) {
			n, err := count(tx, `SELECT COUNT(*)`+on, s.WorkspaceID, s.ContactID)
			if err != nil {
				return 0, err
			}
			m, err := countMentions(tx, s, "files", "NOT (object_type = 'contact' AND object_id = ?)", []any{s.ContactID}, "name")
			return n + m, err
		},
		Export: func(tx *store.Tx, s *Subject) ([]map[string]any, error) {
			return rowMaps(tx, `SELECT id, name, content_type, size, sha256, uploaded_by, created_at, deleted_at`+on+` ORDER BY id`, s.WorkspaceID, s.ContactID)
		},
		Attachments: func(tx *store.Tx, s *Subject, env *Env) ([]Attachment, error) {
			keys, err := fileKeys(tx, `SELECT id, name, storage_key`+on, s.WorkspaceID, s.ContactID)
			if err != nil {
				return nil, err
			}
			var out []Attachment
			for _, k := range keys {
				out = append(out, Attachment{Name: k[0] + "-" + k[1], Path: filepath.Join(env.FilesDir, k[2])})
			}
			return out, nil
		},
		Erase: func(tx *store.Tx, s *Subject, env *Env) (int, error) {
			keys, err := fileKeys(tx, `SELECT id, name, storage_key`+on, s.WorkspaceID, s.ContactID)
			if err != nil {
				return 0, err
			}
			for _, k := range keys {
				env.removals = append(env.removals, filepath.Join(env.FilesDir, k[2]))
			}
			n, err := tx.Exec(`DELETE`+on, s.WorkspaceID, s.ContactID)
			if err != nil {
				return 0, err
			}
			m, err := scrubRows(tx, s, "files", "name")
			return int(n) + m, err
		},
	}
}

// fileKeys returns (id, name, storage key) triples.
func fileKeys(tx *store.Tx, q string, args ...any) ([][3]string, error) {
	rows, err := tx.Query(q, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out [][3]string
	for rows.Next() {
		var id crm.ID
		var name, key string
		if err := rows.Scan(&id, &name, &key); err != nil {
			return nil, err
		}
		if strings.Contains(key, "..") {
			return nil, fmt.Errorf("privacy: file %d has a suspicious storage key", id)
		}
		out = append(out, [3]string{id.String(), name, key})
	}
	return out, rows.Err()
}

func activitiesKind() Kind {
	on := ` FROM activities WHERE workspace_id = ? AND contact_id = ?`
	cols := []string{"title", "notes", "outcome"}
	return Kind{Name: "activities", Title: "Activities", Tables: []string{"activities"}, About: AboutContacts,
		Description: "Calls, meetings, tasks and emails logged with a person. Those with the person are deleted; others naming them are redacted.",
		Count: func(tx *store.Tx, s *Subject) (int, error) {
			n, err := count(tx, `SELECT COUNT(*)`+on, s.WorkspaceID, s.ContactID)
			if err != nil {
				return 0, err
			}
			m, err := countMentions(tx, s, "activities", "contact_id <> ?", []any{s.ContactID}, cols...)
			return n + m, err
		},
		Export: func(tx *store.Tx, s *Subject) ([]map[string]any, error) {
			return rowMaps(tx, `SELECT *`+on+` ORDER BY id`, s.WorkspaceID, s.ContactID)
		},
		Erase: func(tx *store.Tx, s *Subject, _ *Env) (int, error) {
			n, err := tx.Exec(`DELETE`+on, s.WorkspaceID, s.ContactID)
			if err != nil {
				return 0, err
			}
			m, err := scrubRows(tx, s, "activities", cols...)
			return int(n) + m, err
		},
	}
}

func dealsKind() Kind {
	on := ` FROM deals WHERE workspace_id = ? AND contact_id = ?`
	cols := []string{"title", "lost_reason", "custom"}
	countDeals := func(tx *store.Tx, s *Subject) (int, error) {
		n, err := count(tx, `SELECT COUNT(*)`+on, s.WorkspaceID, s.ContactID)
		if err != nil {
			return 0, err
		}
		m, err := countMentions(tx, s, "deals", "contact_id <> ?", []any{s.ContactID}, cols...)
		return n + m, err
	}
	return Kind{Name: "deals", Title: "Deals", Tables: []string{"deals"}, About: AboutContacts,
		Description: "Sales opportunities. A deal is the business's record: erasure removes the person from it and redacts their identifiers, and keeps the deal.",
		Count:       countDeals,
		Export: func(tx *store.Tx, s *Subject) ([]map[string]any, error) {
			return rowMaps(tx, `SELECT id, title, value, currency, status, expected_close, created_at, closed_at`+on+` ORDER BY id`, s.WorkspaceID, s.ContactID)
		},
		Erase: func(tx *store.Tx, s *Subject, _ *Env) (int, error) {
			n, err := countDeals(tx, s) // a deal both linked and naming them is one deal
			if err != nil {
				return 0, err
			}
			if _, err := tx.Exec(`UPDATE deals SET contact_id = 0, updated_at = ? WHERE workspace_id = ? AND contact_id = ?`,
				store.Micros(tx.Now), s.WorkspaceID, s.ContactID); err != nil {
				return 0, err
			}
			_, err = scrubRows(tx, s, "deals", cols...)
			return n, err
		},
	}
}

// Mentions registers a table that is not about a person but may name one in
// free text (cols): the rows naming them are exported, and redacted on
// erasure.
func Mentions(table, title, description string, cols ...string) Kind {
	return Kind{Name: table, Title: title, Tables: []string{table}, About: AboutContacts, Description: description,
		Count: func(tx *store.Tx, s *Subject) (int, error) {
			return countMentions(tx, s, table, "", nil, cols...)
		},
		Export: func(tx *store.Tx, s *Subject) ([]map[string]any, error) {
			cond, args := s.mentions(cols...)
			return rowMaps(tx, `SELECT * FROM `+table+` WHERE workspace_id = ? AND `+cond+` ORDER BY 1`, append([]any{s.WorkspaceID}, args...)...)
		},
		Erase: func(tx *store.Tx, s *Subject, _ *Env) (int, error) {
			return scrubRows(tx, s, table, cols...)
		},
	}
}

// stagedContactsKind: people a running import is about to create (they
// move into contacts after its last row). A staged row that names the
// person is deleted whole, so the import does not create them after all.
func stagedContactsKind() Kind {
	cols := []string{"first_name", "last_name", "email", "emails", "phone", "phone_digits", "phones", "title"}
	k := Mentions("import_stage_contacts", "Contacts being imported",
		"People an import is about to create, held until its last row is read.", cols...)
	k.Erase = func(tx *store.Tx, s *Subject, _ *Env) (int, error) {
		cond, args := s.mentions(cols...)
		n, err := tx.Exec(`DELETE FROM import_stage_contacts WHERE workspace_id = ? AND `+cond, append([]any{s.WorkspaceID}, args...)...)
		return int(n), err
	}
	return k
}
