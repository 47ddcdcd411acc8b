// Package secrets protects secrets at rest (mailbox passwords, provider
// tokens, webhook secrets, TOTP seeds) with the instance key, and hashes
// identifiers that must be matched later without being stored in clear (the
// privacy suppression list).
//
// Every operation names a context ("mailbox.password", "suppression.email")
// from which a separate key is derived with HKDF-SHA256, so one instance key
// never encrypts or hashes two kinds of data the same way, and a ciphertext
// copied from one column into another does not decrypt.
//
// The package owns key handling and the ciphertext format. It must not log,
// print or return key material: Key formats itself as "[redacted]".
package secrets
