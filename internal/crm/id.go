package crm

import (
	"strconv"
)

// ID identifies every record. It is a 64-bit, time-ordered integer generated in
// Go (see package ids) so that replicas and shards never collide and keys stay
// compact. The API shows it as a decimal string, because JavaScript numbers
// cannot hold 64 bits.
type ID int64

func (id ID) String() string { return strconv.FormatInt(int64(id), 10) }

// IsZero reports whether the id is unset.
func (id ID) IsZero() bool { return id == 0 }

// ParseID parses a decimal id. Anything else is a not-found error, so a
// malformed id in a URL reads exactly like an id of another workspace.
func ParseID(s string) (ID, error) {
	n, err := strconv.ParseInt(s, 10, 64)
	if err != nil || n <= 0 {
		return 0, Errorf(NotFound, "Not found.")
	}
	return ID(n), nil
}

// MarshalText lets ids travel as strings in JSON.
func (id ID) MarshalText() ([]byte, error) { return []byte(id.String()), nil }

// UnmarshalText accepts the decimal string form.
func (id *ID) UnmarshalText(b []byte) error {
	n, err := strconv.ParseInt(string(b), 10, 64)
	if err != nil {
		return Errorf(Invalid, "%q is not an id", string(b))
	}
	*id = ID(n)
	return nil
}
