// Package consent owns what a person has agreed to and who must never be
// contacted: the consent ledger (append-only history per contact and purpose,
// with its current state), the suppression list (keyed hashes of e-mail
// addresses, phone numbers and domains), the workspace's privacy switches,
// and the one question every sender must ask: MayContact.
//
// The ledger's current state is its latest entry per contact and purpose,
// with one exception: undoing an import appends "reverted" entries and
// puts the state back to the entry before the import (revert.go).
//
// The suppression list never stores an identifier in clear. Values are
// normalised (Normalize) and hashed with an HMAC key derived from the
// instance key, so a suppression survives the erasure of the person it
// protects and is useless to anyone without the key.
//
// The key: a *store.Tx cannot reach the instance key, and the functions here
// are called from places that hold only a transaction (records' create path,
// privacy erasure, future senders). So the key is the one package-level value
// of this package, set once at startup with SetKey (web.NewServer does it
// from its Deps.Key; CLI commands that suppress must do it too). Without it,
// every function that needs a hash fails with an error rather than storing
// or matching anything unkeyed.
//
// This package must not import records or web: records calls into it (the
// create hook and the consent.<purpose> filter relation), and the web layer
// checks record visibility before calling it.
package consent
