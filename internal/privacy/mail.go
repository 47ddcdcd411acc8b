package privacy

import (
	"github.com/riverqueue/river"

	"github.com/tandemcrm/tandem/internal/crm"
	"github.com/tandemcrm/tandem/internal/store"
	"github.com/tandemcrm/tandem/internal/sysmail"
)

// SysMailer sends through the system outbox with q (nil: the message stays
// in the outbox undelivered, as in tests).
func SysMailer(q sysmail.Enqueuer) Mailer {
	if q == nil {
		q = keepQueued{}
	}
	return func(tx *store.Tx, ws crm.ID, to, subject, text, key string) error {
		_, err := sysmail.Queue(tx, q, sysmail.Message{WorkspaceID: ws, To: to, Subject: subject, Text: text}, key)
		return err
	}
}

type keepQueued struct{}

func (keepQueued) Enqueue(*store.Tx, river.JobArgs, *river.InsertOpts) error { return nil }
