package view

// sep is the separator before another query parameter: "?" or "&".
func sep(query string) string {
	if query == "" {
		return "?"
	}
	return "&"
}

// inputMode asks phones for a number pad on numeric line item fields.
func inputMode(name string) string {
	if name == "name" {
		return "text"
	}
	return "decimal"
}
