// Package privacy makes "every personal datum is reachable from the person
// it is about" true by construction. It owns:
//
//   - the registry of kinds of personal data (registry.go, kinds*.go): each
//     kind names its tables, how to count, export and erase what is about one
//     contact, a description for the data inventory and, optionally, a
//     retention rule. A test enumerates every table of the migrated schema on
//     both dialects and fails unless each is in a kind or declared
//     non-personal with a reason, so a new table cannot be forgotten;
//   - access and portability (export.go): one zip with JSON and CSV per kind,
//     the attachments and a README;
//   - erasure with preview and legal hold (erase.go, hold.go);
//   - the privacy-requests register with verification and due dates
//     (requests.go);
//   - retention policies and their daily job (retention.go).
//
// It must not decide consent or suppression (package consent does; erasure
// calls it through Service.Suppress) and must not import net/http.
package privacy
