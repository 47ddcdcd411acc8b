// Package account owns who may use Tandem: workspaces, users, memberships and
// roles, passwords (argon2id), sessions, the first-run setup and, later,
// invitations, second factors and API keys. It speaks crm types and writes
// through store; it knows nothing about HTTP.
package account
