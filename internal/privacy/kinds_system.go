package privacy

import (
	"github.com/tandemcrm/tandem/internal/audit"
	"github.com/tandemcrm/tandem/internal/crm"
	"github.com/tandemcrm/tandem/internal/search"
	"github.com/tandemcrm/tandem/internal/store"
)

// The kinds that hold copies of a person's data made by the system itself:
// the event stream, the audit log, the search index, system mail, job
// payloads and the requests register.

// personIDs is the subquery of the person's contact rows (merged ones too).
const personIDs = `(SELECT id FROM contacts WHERE workspace_id = ? AND (id = ? OR merged_into = ?))`

func eventsKind() Kind {
	own := `((object_type = 'contact' AND object_id IN ` + personIDs + `)
		OR (object_type = 'note' AND object_id IN (SELECT id FROM notes WHERE workspace_id = ? AND object_type = 'contact' AND object_id = ?))
		OR (object_type = 'activity' AND object_id IN (SELECT id FROM activities WHERE workspace_id = ? AND contact_id = ?)))`
	ownArgs := func(s *Subject) []any {
		w, c := s.WorkspaceID, s.ContactID
		return []any{w, c, c, w, c, w, c}
	}
	return Kind{Name: "events", Title: "Timeline events", Tables: []string{"events"}, About: AboutContacts,
		Description: "The change history behind every timeline (before and after values). The person's own history is deleted; values naming them elsewhere are redacted.",
		Count: func(tx *store.Tx, s *Subject) (int, error) {
			n, err := count(tx, `SELECT COUNT(*) FROM events WHERE workspace_id = ? AND `+own, append([]any{s.WorkspaceID}, ownArgs(s)...)...)
			if err != nil {
				return 0, err
			}
			m, err := countMentions(tx, s, "events", "NOT "+own, ownArgs(s), "changes")
			return n + m, err
		},
		Export: func(tx *store.Tx, s *Subject) ([]map[string]any, error) {
			return rowMaps(tx, `SELECT id, at, actor_type, actor_id, object_type, object_id, action, changes FROM events
				WHERE workspace_id = ? AND `+own+` ORDER BY id`, append([]any{s.WorkspaceID}, ownArgs(s)...)...)
		},
		Erase: func(tx *store.Tx, s *Subject, _ *Env) (int, error) {
			n, err := tx.Exec(`DELETE FROM events WHERE workspace_id = ? AND `+own, append([]any{s.WorkspaceID}, ownArgs(s)...)...)
			if err != nil {
				return 0, err
			}
			m, err := scrubRows(tx, s, "events", "changes")
			return int(n) + m, err
		},
	}
}

func auditKind() Kind {
	find := func(tx *store.Tx, s *Subject) ([]crm.ID, error) {
		cond, args := s.mentions("details")
		return tx.IDs(`SELECT id FROM audit_log WHERE workspace_id = ? AND pd_salt <> ''
			AND ((object_type = 'contact' AND object_id IN `+personIDs+`) OR `+cond+`)`,
			append([]any{s.WorkspaceID, s.WorkspaceID, s.ContactID, s.ContactID}, args...)...)
	}
	return Kind{Name: "audit_log", Title: "Audit log", Tables: []string{"audit_log"}, About: AboutContacts,
		Description: "Who viewed, exported, changed or deleted personal data. Entries about the person are pseudonymised: details blanked, the hash chain kept.",
		Count: func(tx *store.Tx, s *Subject) (int, error) {
			ids, err := find(tx, s)
			return len(ids), err
		},
		Export: func(tx *store.Tx, s *Subject) ([]map[string]any, error) {
			return rowMaps(tx, `SELECT at, actor_type, actor_id, action, details FROM audit_log
				WHERE workspace_id = ? AND object_type = 'contact' AND object_id IN `+personIDs+` ORDER BY seq`,
				s.WorkspaceID, s.WorkspaceID, s.ContactID, s.ContactID)
		},
		Erase: func(tx *store.Tx, s *Subject, _ *Env) (int, error) {
			ids, err := find(tx, s)
			if err != nil {
				return 0, err
			}
			return audit.ErasePersonal(tx, s.WorkspaceID, ids...)
		},
		Retention: auditRetention(),
	}
}

func searchKind() Kind {
	own := ` FROM search_index WHERE workspace_id = ? AND object_type = 'contact' AND object_id IN ` + personIDs
	ownArgs := func(s *Subject) []any {
		return []any{s.WorkspaceID, s.WorkspaceID, s.ContactID, s.ContactID}
	}
	return Kind{Name: "search_index", Title: "Search index", Tables: []string{"search_index"}, About: AboutContacts,
		Description: "Words from records kept for global search. Rebuilt from the records; the person's document is removed and the index compacted.",
		Count: func(tx *store.Tx, s *Subject) (int, error) {
			n, err := count(tx, `SELECT COUNT(*)`+own, ownArgs(s)...)
			if err != nil {
				return 0, err
			}
			m, err := countMentions(tx, s, "search_index", "NOT (object_type = 'contact' AND object_id IN "+personIDs+")",
				ownArgs(s)[1:], "title", "body")
			return n + m, err
		},
		Export: func(tx *store.Tx, s *Subject) ([]map[string]any, error) {
			return rowMaps(tx, `SELECT title, body`+own, ownArgs(s)...)
		},
		Erase: func(tx *store.Tx, s *Subject, _ *Env) (int, error) {
			n, err := search.Delete(tx, `workspace_id = ? AND object_type = 'contact' AND object_id IN `+personIDs, ownArgs(s)...)
			if err != nil {
				return 0, err
			}
			m, err := scrubSearch(tx, s)
			if err != nil {
				return 0, err
			}
			if tx.Dialect() == store.SQLite {
				// FTS5 keeps deleted terms in old segments until they are
				// merged: merge them all now, so the words are really gone.
				// An instance-wide maintenance statement, hence Unscoped.
				if _, err := tx.Unscoped().Exec(`INSERT INTO search_index_fts (search_index_fts) VALUES ('optimize')`); err != nil {
					return 0, err
				}
			}
			return int(n) + m, nil
		},
	}
}

// scrubSearch redacts the person's identifiers in other records' documents
// (a company named after them).
func scrubSearch(tx *store.Tx, s *Subject) (int, error) {
	cond, args := s.mentions("title", "body")
	rows, err := tx.Query(`SELECT object_type, object_id, title, body FROM search_index WHERE workspace_id = ? AND `+cond,
		append([]any{s.WorkspaceID}, args...)...)
	if err != nil {
		return 0, err
	}
	type doc struct {
		typ         string
		id          crm.ID
		title, body string
	}
	var docs []doc
	for rows.Next() {
		var d doc
		if err := rows.Scan(&d.typ, &d.id, &d.title, &d.body); err != nil {
			rows.Close()
			return 0, err
		}
		docs = append(docs, d)
	}
	rows.Close()
	for _, d := range docs {
		if err := search.Index(tx, s.WorkspaceID, d.typ, d.id, s.Scrub(d.title), s.Scrub(d.body)); err != nil {
			return 0, err
		}
	}
	return len(docs), rows.Err()
}

func outboxKind() Kind {
	own := func(s *Subject) (string, []any) {
		in, args := inList(s.Emails)
		return `workspace_id = ? AND lower(recipient) IN ` + in, append([]any{s.WorkspaceID}, args...)
	}
	cols := []string{"subject", "text_body", "html_body"}
	return Kind{Name: "outbox", Title: "System email", Tables: []string{"outbox"}, About: AboutContacts,
		Description: "Email Tandem sent itself (request confirmations, invitations): recipient, subject and body. Mail to the person is deleted.",
		Count: func(tx *store.Tx, s *Subject) (int, error) {
			w, a := own(s)
			n, err := count(tx, `SELECT COUNT(*) FROM outbox WHERE `+w, a...)
			if err != nil {
				return 0, err
			}
			in, args := inList(s.Emails)
			m, err := countMentions(tx, s, "outbox", "lower(recipient) NOT IN "+in, args, cols...)
			return n + m, err
		},
		Export: func(tx *store.Tx, s *Subject) ([]map[string]any, error) {
			w, a := own(s)
			return rowMaps(tx, `SELECT id, recipient, subject, text_body, status, created_at, sent_at FROM outbox WHERE `+w+` ORDER BY id`, a...)
		},
		Erase: func(tx *store.Tx, s *Subject, _ *Env) (int, error) {
			w, a := own(s)
			n, err := tx.Exec(`DELETE FROM outbox WHERE `+w, a...)
			if err != nil {
				return 0, err
			}
			m, err := scrubRows(tx, s, "outbox", cols...)
			return int(n) + m, err
		},
		Retention: outboxRetention(),
	}
}

func jobsKind() Kind {
	// river_job has no workspace column: a job is the workspace's when its
	// arguments name the workspace; it is the person's when they name the
	// contact or one of the person's identifiers. Running jobs are left to
	// finish (they find the records gone).
	cond := func(s *Subject) (string, []any) {
		m, args := s.mentions("args")
		return `state <> 'running' AND CAST(args AS TEXT) LIKE ? AND (CAST(args AS TEXT) LIKE ? OR ` + m + `)`,
			append([]any{"%" + s.WorkspaceID.String() + "%", "%" + s.ContactID.String() + "%"}, args...)
	}
	return Kind{Name: "job_payloads", Title: "Background job payloads", Tables: []string{"river_job"}, About: AboutContacts,
		Description: "Arguments of queued and recent background jobs. Jobs about the person that have not started are deleted.",
		Count: func(tx *store.Tx, s *Subject) (int, error) {
			c, a := cond(s)
			return count(tx, `SELECT COUNT(*) FROM river_job WHERE `+c, a...)
		},
		Export: func(tx *store.Tx, s *Subject) ([]map[string]any, error) { return []map[string]any{}, nil },
		Erase: func(tx *store.Tx, s *Subject, _ *Env) (int, error) {
			c, a := cond(s)
			n, err := tx.Exec(`DELETE FROM river_job WHERE `+c, a...)
			return int(n), err
		},
	}
}

func requestsKind() Kind {
	own := func(s *Subject) (string, []any) {
		in, args := inList(s.Emails)
		return `workspace_id = ? AND (contact_id = ? OR lower(subject_email) IN ` + in + `)`, append([]any{s.WorkspaceID, s.ContactID}, args...)
	}
	return Kind{Name: "privacy_requests", Title: "Privacy requests", Tables: []string{"privacy_requests"}, About: AboutContacts,
		Description: "Access, erasure and other requests from people, with verification and outcome. Kept as proof of compliance; erasure pseudonymises the requester.",
		Count: func(tx *store.Tx, s *Subject) (int, error) {
			w, a := own(s)
			return count(tx, `SELECT COUNT(*) FROM privacy_requests WHERE `+w, a...)
		},
		Export: func(tx *store.Tx, s *Subject) ([]map[string]any, error) {
			w, a := own(s)
			return rowMaps(tx, `SELECT id, type, regime, status, subject_email, subject_name, agent_name, source, details,
				received_at, due_at, verified_at, closed_at, outcome FROM privacy_requests WHERE `+w+` ORDER BY id`, a...)
		},
		Erase: func(tx *store.Tx, s *Subject, _ *Env) (int, error) {
			w, a := own(s)
			n, err := tx.Exec(`UPDATE privacy_requests SET subject_email = '', subject_name = ?, verify_token = '' WHERE `+w,
				append([]any{Redacted}, a...)...)
			if err != nil {
				return 0, err
			}
			m, err := scrubRows(tx, s, "privacy_requests", "details", "evidence", "outcome", "agent_name", "agent_email")
			return max(int(n), m), err
		},
	}
}
