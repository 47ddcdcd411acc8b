package products

import (
	"errors"
	"strconv"
	"strings"
)

// Number is a number as a client wrote it, parsed by this package so that
// "not found" and permission answers come before any complaint about input.
//
// From the API a JSON number for a money or rate field is an integer in the
// smallest unit (Minor: minor units, basis points); a string is a decimal in
// the ordinary unit (currency units, percent). From forms everything is a
// decimal. Quantities are always in units, whichever way they come.
type Number struct {
	Text  string
	Minor bool
}

// Decimal is a Number given as decimal text ("12.50", "7.5").
func Decimal(s string) *Number { return &Number{Text: s} }

// Minor is a Number given in the smallest unit (1250 cents, 750 basis points).
func Minor(v int64) *Number { return &Number{Text: strconv.FormatInt(v, 10), Minor: true} }

var errWhole = errors.New("in minor units this must be a whole number; send a string such as \"12.50\" for a decimal")

func (n Number) integer() (int64, error) {
	v, err := ParseDecimal(n.Text, 0)
	if err != nil && strings.Contains(n.Text, ".") {
		return 0, errWhole
	}
	return v, err
}

// money resolves an amount in currency to minor units.
func (n Number) money(currency string) (int64, error) {
	if n.Minor {
		return n.integer()
	}
	return ParseMoney(n.Text, currency)
}

// rate resolves a percentage to basis points, 0..10000.
func (n Number) rate() (int64, error) {
	if !n.Minor {
		return ParsePercent(n.Text)
	}
	v, err := n.integer()
	if err == nil && (v < 0 || v > 10_000) {
		err = errors.New("basis points go from 0 to 10000 (100%)")
	}
	return v, err
}

// quantity resolves units to thousandths.
func (n Number) quantity() (int64, error) { return ParseQuantity(n.Text) }

func capital(err error) string {
	s := err.Error()
	if s == "" {
		return s
	}
	return strings.ToUpper(s[:1]) + s[1:] + "."
}
