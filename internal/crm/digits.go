package crm

// Digits keeps only the ASCII digits of a phone number, for matching and
// search. The SQL function digits() (store.Dialect.Digits) is the same
// rule inside a query.
func Digits(s string) string {
	var b []byte
	for i := 0; i < len(s); i++ {
		if c := s[i]; c >= '0' && c <= '9' {
			b = append(b, c)
		}
	}
	return string(b)
}
