// Package sysmail sends Tandem's own email: invitations, password resets,
// second-factor notices. It is not the CRM's mail capability (mailboxes,
// sequences, tracking); it has no templates, consent checks or tracking.
//
// Every message is first written to the outbox table in the caller's
// transaction (Queue), together with the job that delivers it, so a message
// exists exactly when the change that caused it was committed, and nothing
// disappears silently: without TANDEM_SMTP_URL the worker marks it "logged"
// and writes it to the log, and the owner-facing outbox page lists it.
//
// Delivery happens once per outbox row: the worker claims the row before
// talking to the SMTP server and marks it sent in the transaction that
// completes the job. Only a crash between the server accepting the message
// and that commit can send it twice, and then with the same Message-ID.
//
// The package must never log or store SMTP credentials.
package sysmail
