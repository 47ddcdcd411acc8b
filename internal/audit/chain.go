package audit

import (
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"errors"
	"fmt"

	"github.com/tandemcrm/tandem/internal/crm"
	"github.com/tandemcrm/tandem/internal/store"
)

// erasedDetails is what ErasePersonal leaves in details.
const erasedDetails = `{"erased":true}`

// ErrBroken is wrapped by the error Verify returns when the chain does not
// verify; errors.As gives the *BreakError with the first bad entry.
var ErrBroken = errors.New("audit: chain broken")

// BreakError says where and why the chain stopped verifying.
type BreakError struct {
	ID     crm.ID
	Seq    int64
	Reason string
}

func (e *BreakError) Error() string {
	return fmt.Sprintf("audit: chain broken at entry %d (seq %d): %s", e.ID, e.Seq, e.Reason)
}

func (e *BreakError) Unwrap() error { return ErrBroken }

// encoder writes fields unambiguously: fixed-width integers and
// length-prefixed strings, so no two different entries encode alike.
type encoder struct{ b []byte }

func (e *encoder) int(v int64) { e.b = binary.BigEndian.AppendUint64(e.b, uint64(v)) }
func (e *encoder) str(s string) {
	e.b = binary.AppendUvarint(e.b, uint64(len(s)))
	e.b = append(e.b, s...)
}

// personalDigest covers the fields erasure may blank (see the package doc).
func (r *row) personalDigest() string {
	e := encoder{b: []byte("tandem-audit-pd-v1")}
	e.str(r.pdSalt)
	e.str(r.ip)
	e.str(r.userAgent)
	e.str(r.details)
	sum := sha256.Sum256(e.b)
	return hex.EncodeToString(sum[:])
}

// chainHash is SHA-256(prev_hash || canonical entry) in hex.
func (r *row) chainHash() string {
	e := encoder{b: []byte("tandem-audit-v1")}
	e.str(r.prevHash)
	e.int(r.id)
	e.int(r.ws)
	e.int(r.seq)
	e.int(r.at)
	e.str(r.actorType)
	e.int(r.actorID)
	e.str(r.action)
	e.str(r.objectType)
	e.int(r.objectID)
	e.str(r.pdDigest)
	sum := sha256.Sum256(e.b)
	return hex.EncodeToString(sum[:])
}

// check compares r with what the chain expects after (prevSeq, prevHash) and
// returns why it does not fit, or "".
func (r *row) check(prevSeq int64, prevHash string) string {
	switch {
	case r.seq != prevSeq+1:
		return fmt.Sprintf("expected seq %d: an entry is missing or was inserted", prevSeq+1)
	case r.prevHash != prevHash:
		return "prev_hash does not match the previous entry"
	case r.pdSalt == "" && (r.ip != "" || r.userAgent != "" || r.details != erasedDetails):
		return "erased entry has personal fields"
	case r.pdSalt != "" && r.personalDigest() != r.pdDigest:
		return "ip, user agent or details were changed"
	case r.chainHash() != r.hash:
		return "entry was changed"
	}
	return ""
}

const selectRow = `SELECT id, workspace_id, seq, at, actor_type, actor_id, action, object_type, object_id,
	ip, user_agent, details, pd_salt, pd_digest, prev_hash, hash FROM audit_log`

func scanRow(rows *store.Rows, r *row) error {
	return rows.Scan(&r.id, &r.ws, &r.seq, &r.at, &r.actorType, &r.actorID, &r.action, &r.objectType,
		&r.objectID, &r.ip, &r.userAgent, &r.details, &r.pdSalt, &r.pdDigest, &r.prevHash, &r.hash)
}

// Verify walks the workspace's chain from the start and returns how many
// entries it checked. When the chain is broken it returns the first entry
// that does not fit and an error wrapping ErrBroken (a *BreakError); other
// errors mean the log could not be read.
func Verify(tx *store.Tx, ws crm.ID) (checked int, firstBad crm.ID, err error) {
	rows, err := tx.Query(selectRow+` WHERE workspace_id = ? ORDER BY seq`, ws)
	if err != nil {
		return 0, 0, fmt.Errorf("audit: verify: %w", err)
	}
	defer rows.Close()
	var prevSeq, lastID int64
	var prevHash string
	for rows.Next() {
		var r row
		if err := scanRow(rows, &r); err != nil {
			return checked, 0, fmt.Errorf("audit: verify: %w", err)
		}
		if why := r.check(prevSeq, prevHash); why != "" {
			return checked, crm.ID(r.id), &BreakError{ID: crm.ID(r.id), Seq: r.seq, Reason: why}
		}
		checked++
		prevSeq, prevHash, lastID = r.seq, r.hash, r.id
	}
	if err := rows.Err(); err != nil {
		return checked, 0, fmt.Errorf("audit: verify: %w", err)
	}
	rows.Close()
	if err := checkHead(tx, ws, prevSeq, prevHash, lastID); err != nil {
		var be *BreakError
		if errors.As(err, &be) {
			return checked, be.ID, err
		}
		return checked, 0, err
	}
	return checked, 0, nil
}

// checkHead catches entries deleted from the end of the chain, which leave
// no gap behind them.
func checkHead(tx *store.Tx, ws crm.ID, seq int64, hash string, lastID int64) error {
	var headSeq, headID int64
	var headHash string
	err := tx.QueryRow(`SELECT seq, last_id, hash FROM audit_heads WHERE workspace_id = ?`, ws).
		Scan(&headSeq, &headID, &headHash)
	if errors.Is(err, store.ErrNoRows) {
		if seq == 0 {
			return nil
		}
		return &BreakError{ID: crm.ID(lastID), Seq: seq, Reason: "the chain's head record is missing"}
	}
	if err != nil {
		return fmt.Errorf("audit: verify head: %w", err)
	}
	if headSeq != seq || headHash != hash {
		return &BreakError{ID: crm.ID(headID), Seq: headSeq,
			Reason: fmt.Sprintf("the chain ends at seq %d but its head says %d: newest entries were removed", seq, headSeq)}
	}
	return nil
}

// Chains lists the workspaces that have an audit chain (0 included), for
// the operator's `tandem audit verify --all`. It is the one instance-wide
// read in this package: never call it on behalf of a workspace user.
func Chains(tx *store.Tx) ([]crm.ID, error) {
	rows, err := tx.Query(`SELECT workspace_id FROM audit_heads ORDER BY workspace_id`)
	if err != nil {
		return nil, fmt.Errorf("audit: chains: %w", err)
	}
	defer rows.Close()
	var out []crm.ID
	for rows.Next() {
		var ws crm.ID
		if err := rows.Scan(&ws); err != nil {
			return nil, fmt.Errorf("audit: chains: %w", err)
		}
		out = append(out, ws)
	}
	return out, rows.Err()
}
