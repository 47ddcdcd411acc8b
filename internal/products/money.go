package products

import (
	"errors"
	"fmt"
	"math/big"
	"slices"
	"strings"

	"github.com/tandemcrm/tandem/internal/crm"
)

// MaxAmount bounds every amount, price and total, in minor units: 2^53−1,
// the largest integer a JSON number survives as in JavaScript (90 trillion
// dollars). Arithmetic that would leave the range fails instead of wrapping.
const MaxAmount = 1<<53 - 1

// MaxQuantity is the largest quantity of a line, in thousandths: one
// billion units.
const MaxQuantity = 1_000_000_000_000

// QuantityScale: quantities are stored in thousandths of a unit.
const QuantityScale = 1000

// ErrOverflow is returned when an amount would leave ±MaxAmount.
var ErrOverflow = crm.Errorf(crm.Invalid, "The amount is too large (at most %s minor units).", groupDigits(fmt.Sprint(int64(MaxAmount))))

// known are the currencies the catalogue offers; their decimals come from
// crm.CurrencyDecimals (ISO 4217), the one table deals and products share.
var known = []string{
	"AED", "ARS", "AUD", "BGN", "BHD", "BRL", "CAD", "CHF", "CLP", "CNY",
	"COP", "CZK", "DKK", "EGP", "EUR", "GBP", "HKD", "HUF", "IDR", "ILS",
	"INR", "ISK", "JOD", "JPY", "KES", "KRW", "KWD", "LYD", "MAD", "MXN",
	"MYR", "NGN", "NOK", "NZD", "OMR", "PEN", "PHP", "PKR", "PLN", "QAR",
	"RON", "SAR", "SEK", "SGD", "THB", "TND", "TRY", "TWD", "UAH", "USD",
	"VND", "XAF", "XOF", "ZAR",
}

// Currencies lists the known currency codes, sorted.
func Currencies() []string { return append([]string(nil), known...) }

// KnownCurrency reports whether code is in the catalogue's currency list.
func KnownCurrency(code string) bool { return slices.Contains(known, code) }

// Exponent is the number of decimals of code's minor unit. A code missing
// from the table (a deal may carry one the catalogue does not know) counts
// as two, the most common exponent.
func Exponent(code string) int { return crm.CurrencyDecimals(strings.ToUpper(code)) }

// Line is what a line's amounts are computed from.
type Line struct {
	Quantity  int64 // thousandths of a unit, > 0
	UnitPrice int64 // minor units, may be negative (a credit)
	Discount  int64 // basis points, 0..10000
	TaxRate   int64 // basis points, 0..10000
}

// Amounts are a line's (or a deal's) figures in minor units. Net is
// Subtotal − Discount; Total is Net + Tax.
type Amounts struct {
	Subtotal, Discount, Tax, Total int64
}

// Net is the amount after discount and before tax.
func (a Amounts) Net() int64 { return a.Subtotal - a.Discount }

// Compute works out a line: each step rounds half away from zero to the
// minor unit, once.
//
//	subtotal = quantity × unit price / 1000
//	discount = subtotal × discount / 10000
//	tax      = (subtotal − discount) × tax rate / 10000
//	total    = subtotal − discount + tax
func (l Line) Compute() (Amounts, error) {
	var a Amounts
	var ok bool
	if a.Subtotal, ok = mulDivRound(l.Quantity, l.UnitPrice, QuantityScale); !ok {
		return a, ErrOverflow
	}
	if a.Discount, ok = mulDivRound(a.Subtotal, l.Discount, 10_000); !ok {
		return a, ErrOverflow
	}
	if a.Tax, ok = mulDivRound(a.Net(), l.TaxRate, 10_000); !ok {
		return a, ErrOverflow
	}
	a.Total = a.Net() + a.Tax
	if !inRange(a.Total) || !inRange(a.Net()) {
		return a, ErrOverflow
	}
	return a, nil
}

// Sum adds lines' amounts, failing when a total leaves ±MaxAmount.
func Sum(lines []Amounts) (Amounts, error) {
	var s Amounts
	for _, l := range lines {
		s.Subtotal += l.Subtotal
		s.Discount += l.Discount
		s.Tax += l.Tax
		s.Total += l.Total
		// Each addend is within ±2^53, so the sums cannot wrap before this check.
		if !inRange(s.Subtotal) || !inRange(s.Discount) || !inRange(s.Tax) || !inRange(s.Total) || !inRange(s.Net()) {
			return s, ErrOverflow
		}
	}
	return s, nil
}

func inRange(v int64) bool { return v >= -MaxAmount && v <= MaxAmount }

// mulDivRound returns a×b/d rounded half away from zero, and false when the
// result leaves ±MaxAmount. The product is exact (big integers): no
// intermediate can overflow.
func mulDivRound(a, b, d int64) (int64, bool) {
	p := new(big.Int).Mul(big.NewInt(a), big.NewInt(b))
	q, r := new(big.Int).QuoRem(p, big.NewInt(d), new(big.Int)) // truncates toward zero
	r.Abs(r).Lsh(r, 1)
	if r.Cmp(big.NewInt(d)) >= 0 {
		q.Add(q, big.NewInt(int64(p.Sign())))
	}
	if !q.IsInt64() || !inRange(q.Int64()) {
		return 0, false
	}
	return q.Int64(), true
}

// errDecimal explains what a decimal should look like.
var errDecimal = errors.New("enter a number like 12.50 (a dot for decimals, no thousands separators)")

// ParseDecimal reads a decimal number with at most places decimals and
// returns it in units of 10^-places: ParseDecimal("12.5", 2) = 1250.
// It accepts an optional sign, digits and a dot; no exponent, no grouping,
// no rounding (more decimals than places is an error). The result is
// within ±MaxAmount.
func ParseDecimal(s string, places int) (int64, error) {
	s = strings.TrimSpace(s)
	neg := false
	if s != "" && (s[0] == '-' || s[0] == '+') {
		neg, s = s[0] == '-', s[1:]
	}
	whole, frac, dotted := strings.Cut(s, ".")
	if (whole == "" && frac == "") || (dotted && frac == "") || !allDigits(whole) || !allDigits(frac) {
		return 0, errDecimal
	}
	if len(frac) > places {
		if places == 0 {
			return 0, errors.New("use a whole number (no decimals)")
		}
		return 0, fmt.Errorf("use at most %d decimals", places)
	}
	frac += strings.Repeat("0", places-len(frac))
	var v int64
	for _, c := range strings.TrimLeft(whole+frac, "0") {
		v = v*10 + int64(c-'0')
		if v > MaxAmount {
			return 0, errors.New("the number is too large")
		}
	}
	if neg {
		v = -v
	}
	return v, nil
}

func allDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// FormatDecimal writes v (in units of 10^-places) as a plain decimal with
// exactly places decimals: FormatDecimal(-5, 2) = "-0.05".
func FormatDecimal(v int64, places int) string {
	neg := v < 0
	u := uint64(v)
	if neg {
		u = uint64(-v)
	}
	s := fmt.Sprintf("%0*d", places+1, u)
	if places > 0 {
		s = s[:len(s)-places] + "." + s[len(s)-places:]
	}
	if neg {
		s = "-" + s
	}
	return s
}

// trimZeros drops trailing fraction zeros: "2.500" → "2.5", "3.000" → "3".
func trimZeros(s string) string {
	if !strings.Contains(s, ".") {
		return s
	}
	return strings.TrimSuffix(strings.TrimRight(s, "0"), ".")
}

// ParseMoney reads a decimal amount in major units of currency:
// ParseMoney("12.5", "USD") = 1250, ParseMoney("1.234", "KWD") = 1234.
func ParseMoney(s, currency string) (int64, error) {
	e := Exponent(currency)
	v, err := ParseDecimal(s, e)
	if err != nil && strings.HasPrefix(err.Error(), "use ") {
		return 0, fmt.Errorf("%s has %s", strings.ToUpper(currency), decimalsPhrase(e))
	}
	return v, err
}

func decimalsPhrase(e int) string {
	switch e {
	case 0:
		return "no decimals"
	case 1:
		return "at most 1 decimal"
	}
	return fmt.Sprintf("at most %d decimals", e)
}

// FormatMoney writes minor units as a decimal in major units with
// thousands grouped: FormatMoney(123450, "USD") = "1,234.50".
func FormatMoney(v int64, currency string) string {
	s := FormatDecimal(v, Exponent(currency))
	neg := strings.HasPrefix(s, "-")
	s = strings.TrimPrefix(s, "-")
	whole, frac, dotted := strings.Cut(s, ".")
	s = groupDigits(whole)
	if dotted {
		s += "." + frac
	}
	if neg {
		s = "-" + s
	}
	return s
}

func groupDigits(s string) string {
	var b strings.Builder
	for i, c := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(c)
	}
	return b.String()
}

// ParseQuantity reads a quantity in units with at most three decimals and
// returns thousandths: "1.5" → 1500. It must be above zero and at most
// MaxQuantity.
func ParseQuantity(s string) (int64, error) {
	v, err := ParseDecimal(s, 3)
	if err != nil {
		return 0, err
	}
	if v <= 0 || v > MaxQuantity {
		return 0, errors.New("enter a quantity above 0 and up to 1,000,000,000")
	}
	return v, nil
}

// FormatQuantity writes thousandths as units without trailing zeros: 1500 → "1.5".
func FormatQuantity(milli int64) string { return trimZeros(FormatDecimal(milli, 3)) }

// ParsePercent reads a percentage with at most two decimals and returns
// basis points: "7.5" → 750. It must be within 0..100.
func ParsePercent(s string) (int64, error) {
	v, err := ParseDecimal(strings.TrimSuffix(strings.TrimSpace(s), "%"), 2)
	if err != nil {
		return 0, err
	}
	if v < 0 || v > 10_000 {
		return 0, errors.New("enter a percentage from 0 to 100")
	}
	return v, nil
}

// FormatPercent writes basis points as a percentage without trailing zeros: 750 → "7.5".
func FormatPercent(bp int64) string { return trimZeros(FormatDecimal(bp, 2)) }
