// Package activities owns the work around records: tasks, calls, meetings,
// deadlines and emails to write, with a due time, a duration, an owner, the
// contact, company and deal they concern, and done/undone with an outcome.
// It also keeps what hangs off them: "my day" (overdue, today, upcoming in
// the user's time zone), the calendar range, reminders that become in-app
// notifications (and email through the outbox) exactly once, and private
// iCalendar feeds and invitations written by hand to RFC 5545.
//
// Times are stored in UTC (Unix microseconds) and turned into the user's
// time zone only for bucketing and display. An all-day activity is stored
// as 00:00 UTC of its date and shown as that date everywhere.
//
// Deals belong to another package; this one knows them only by id and by
// the deals table's workspace_id, owner_id and status columns. It imports
// nothing from web.
package activities
