package activities

import (
	"fmt"
	"net/url"
	"strings"

	"github.com/tandemcrm/tandem/internal/crm"
	"github.com/tandemcrm/tandem/internal/store"
	"github.com/tandemcrm/tandem/internal/sysmail"
)

// Invite emails each contact of a meeting (those with an address) an
// invitation through the outbox, with the meeting as an .ics attachment
// (METHOD:REQUEST) that calendar programs offer to accept. It reports how
// many were queued now. Sending the same version again queues nothing: the
// idempotency key names the activity, its version and the address.
func Invite(tx *store.Tx, q sysmail.Enqueuer, p crm.Principal, id crm.ID, baseURL string) (int, error) {
	a, err := View(tx, p, id)
	if err != nil {
		return 0, err
	}
	if a.Type != "meeting" {
		return 0, (crm.FieldErrors{"type": "Only meetings send invitations."}).Err()
	}
	var org Organizer
	if err := tx.QueryRow(`SELECT name, email FROM users WHERE id = ?`, a.OwnerID).Scan(&org.Name, &org.Email); err != nil {
		return 0, fmt.Errorf("activities: invite: organiser: %w", err)
	}
	loc, err := Zone(tx, crm.Principal{WorkspaceID: p.WorkspaceID, UserID: a.OwnerID})
	if err != nil {
		return 0, err
	}
	ics := WriteCalendar(CalendarOptions{Method: "REQUEST", Host: hostOf(baseURL)}, &org, []Activity{a}, tx.Now)
	n, addressed := 0, 0
	for _, c := range a.Contacts {
		if c.Email == "" {
			continue
		}
		addressed++
		key := fmt.Sprintf("invite:%d:%d:%s", a.ID, a.Version, c.Email)
		var one int
		if err := tx.QueryRow(`SELECT count(*) FROM outbox WHERE workspace_id = ? AND idempotency_key = ?`, p.WorkspaceID, key).Scan(&one); err != nil {
			return n, err
		} else if one > 0 {
			continue // sent already
		}
		text := fmt.Sprintf("%s invites you to: %s\nWhen: %s", org.Name, a.Title, FormatDue(a, loc))
		if a.DurationMin > 0 && !a.AllDay {
			text += fmt.Sprintf(" (%d minutes)", a.DurationMin)
		}
		if a.Location != "" {
			text += "\nWhere: " + a.Location
		}
		if a.Notes != "" {
			text += "\n\n" + a.Notes
		}
		text += "\n\nThe attached invitation adds it to your calendar.\n"
		msg := sysmail.Message{WorkspaceID: p.WorkspaceID, To: c.Email, Subject: "Invitation: " + a.Title, Text: text,
			Attachment: &sysmail.Attachment{Name: "invite.ics", ContentType: "text/calendar; method=REQUEST; charset=UTF-8", Body: ics}}
		if _, err := sysmail.Queue(tx, q, msg, key); err != nil {
			return n, err
		}
		n++
	}
	if addressed == 0 {
		return 0, (crm.FieldErrors{"contacts": "None of the meeting's contacts has an email address."}).Err()
	}
	return n, nil
}

// hostOf is the host of the public URL, for UIDs ("tandem" without one).
func hostOf(base string) string {
	if u, err := url.Parse(base); err == nil && u.Hostname() != "" {
		return strings.ToLower(u.Hostname())
	}
	return "tandem"
}

// Host is hostOf for callers writing feeds.
func Host(base string) string { return hostOf(base) }
