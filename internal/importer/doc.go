// Package importer moves records in and out of Tandem in bulk: it decodes
// CSV files of any common dialect (delimiter, BOM, quoting, line endings,
// UTF-8 or Latin-1, detected and reported), maps their columns to fields,
// and runs an import as a resumable, cancellable, undoable job; it also
// streams exports (CSV and vCard).
//
// Reading is streaming everywhere: a file is never held in memory, only the
// current row and, during a run, the maps that resolve duplicates and
// companies (one entry per distinct key).
//
// Kinds of record plug in through the Kind interface (kind.go): contacts
// and companies are built here; deals, products and activities add a Kind
// each without touching the decoder, the mapping, the job table, the
// checkpointing or undo.
//
// The package must not import net/http: the API and the CLI call it.
package importer
