package products

import (
	"testing"

	"github.com/tandemcrm/tandem/internal/crm"
)

func TestLineCompute(t *testing.T) {
	const max = MaxAmount
	for _, c := range []struct {
		name string
		l    Line
		want Amounts
		err  bool
	}{
		{"one unit", Line{1000, 1250, 0, 0}, Amounts{1250, 0, 0, 1250}, false},
		{"fractional quantity", Line{1500, 999, 0, 0}, Amounts{1499, 0, 0, 1499}, false},     // 1498.5 → 1499
		{"half rounds away from zero", Line{500, 1, 0, 0}, Amounts{1, 0, 0, 1}, false},       // 0.5 → 1
		{"just under half rounds down", Line{499, 1, 0, 0}, Amounts{0, 0, 0, 0}, false},      // 0.499 → 0
		{"negative half away from zero", Line{500, -1, 0, 0}, Amounts{-1, 0, 0, -1}, false},  // -0.5 → -1
		{"negative under half", Line{1499, -1, 0, 0}, Amounts{-1, 0, 0, -1}, false},          // -1.499 → -1
		{"thousandth of a unit", Line{1, 1_000_000, 0, 0}, Amounts{1000, 0, 0, 1000}, false}, // 0.001 × 10,000.00
		{"discount 10%", Line{3000, 1999, 1000, 0}, Amounts{5997, 600, 0, 5397}, false},      // 599.7 → 600
		{"discount rounds half away", Line{1000, 5, 1000, 0}, Amounts{5, 1, 0, 4}, false},    // 0.5 → 1
		{"full discount", Line{2000, 1000, 10000, 2000}, Amounts{2000, 2000, 0, 0}, false},   // nothing to tax
		{"tax on the net", Line{1000, 10000, 2000, 1900}, Amounts{10000, 2000, 1520, 9520}, false},
		{"tax 7.25% rounds", Line{1000, 1999, 0, 725}, Amounts{1999, 0, 145, 2144}, false}, // 144.9275 → 145
		{"tax half cent", Line{1000, 10, 0, 500}, Amounts{10, 0, 1, 11}, false},            // 0.5 → 1
		{"JPY: yen are the minor unit", Line{3000, 333, 0, 1000}, Amounts{999, 0, 100, 1099}, false},
		{"KWD: fils, three decimals", Line{2500, 1234, 1500, 500}, Amounts{3085, 463, 131, 2753}, false}, // 3085, 462.75→463, 131.1→131
		{"credit line", Line{1000, -5000, 0, 2000}, Amounts{-5000, 0, -1000, -6000}, false},
		{"largest amount", Line{1000, max, 0, 0}, Amounts{max, 0, 0, max}, false},
		{"quantity × price beyond int64 is refused", Line{MaxQuantity, max, 0, 0}, Amounts{}, true},
		{"just over the largest amount", Line{2000, max/2 + 1, 0, 0}, Amounts{}, true},
		{"tax pushes total over", Line{1000, max, 0, 100}, Amounts{}, true},
		{"big but fine", Line{MaxQuantity, 9_007_199, 0, 0}, Amounts{9_007_199_000_000_000, 0, 0, 9_007_199_000_000_000}, false},
	} {
		t.Run(c.name, func(t *testing.T) {
			got, err := c.l.Compute()
			if c.err {
				if err == nil || crm.ErrorCode(err) != crm.Invalid {
					t.Fatalf("want overflow error, got %+v %v", got, err)
				}
				return
			}
			if err != nil || got != c.want {
				t.Fatalf("got %+v %v, want %+v", got, err, c.want)
			}
			if got.Total != got.Subtotal-got.Discount+got.Tax {
				t.Fatalf("amounts do not add up: %+v", got)
			}
		})
	}
}

func TestSumRefusesOverflow(t *testing.T) {
	half := Amounts{Subtotal: MaxAmount/2 + 1, Total: MaxAmount/2 + 1}
	if _, err := Sum([]Amounts{half, half}); err == nil {
		t.Fatal("sum beyond MaxAmount accepted")
	}
	s, err := Sum([]Amounts{{100, 10, 9, 99}, {50, 0, 5, 55}, {-20, 0, -2, -22}})
	if err != nil || s != (Amounts{130, 10, 12, 132}) || s.Net() != 120 {
		t.Fatalf("sum %+v %v", s, err)
	}
}

func TestParsing(t *testing.T) {
	for _, c := range []struct {
		in, cur string
		want    int64
		err     bool
	}{
		{"12.50", "USD", 1250, false}, {"12.5", "USD", 1250, false}, {"12", "USD", 1200, false}, {".5", "USD", 50, false},
		{" 0.01 ", "EUR", 1, false}, {"-3.10", "USD", -310, false}, {"+7", "USD", 700, false}, {"1234.567", "KWD", 1234567, false},
		{"1250", "JPY", 1250, false}, {"1250.5", "JPY", 0, true}, {"1.234", "USD", 0, true}, {"1,234.50", "USD", 0, true},
		{"12,50", "EUR", 0, true}, {"1e3", "USD", 0, true}, {"", "USD", 0, true}, {"5.", "USD", 0, true}, {".", "USD", 0, true},
		{"--1", "USD", 0, true}, {"0x10", "USD", 0, true}, {"90071992547409.91", "USD", MaxAmount, false},
		{"90071992547409.92", "USD", 0, true}, {"99999999999999999999999", "JPY", 0, true}, {"١٢", "USD", 0, true},
	} {
		got, err := ParseMoney(c.in, c.cur)
		if (err != nil) != c.err || (!c.err && got != c.want) {
			t.Errorf("ParseMoney(%q, %s) = %d, %v", c.in, c.cur, got, err)
		}
	}
	if _, err := ParseMoney("1.5", "JPY"); err == nil || err.Error() != "JPY has no decimals" {
		t.Errorf("JPY message: %v", err)
	}
	for in, want := range map[string]int64{"1": 1000, "1.5": 1500, "0.001": 1, "2.250": 2250, "1000000000": MaxQuantity} {
		if got, err := ParseQuantity(in); err != nil || got != want {
			t.Errorf("ParseQuantity(%q) = %d, %v", in, got, err)
		}
	}
	for _, bad := range []string{"0", "-1", "0.0001", "1000000000.001", "abc", "1/2"} {
		if _, err := ParseQuantity(bad); err == nil {
			t.Errorf("ParseQuantity(%q) accepted", bad)
		}
	}
	for in, want := range map[string]int64{"7.5": 750, "20": 2000, "0": 0, "100": 10000, "7.25%": 725} {
		if got, err := ParsePercent(in); err != nil || got != want {
			t.Errorf("ParsePercent(%q) = %d, %v", in, got, err)
		}
	}
	for _, bad := range []string{"100.01", "-1", "7.125"} {
		if _, err := ParsePercent(bad); err == nil {
			t.Errorf("ParsePercent(%q) accepted", bad)
		}
	}
	if n := (Number{Text: "12.5", Minor: true}); func() error { _, err := n.money("USD"); return err }() == nil {
		t.Error("minor units with decimals accepted")
	}
	if v, err := (Number{Text: "1250", Minor: true}).money("USD"); err != nil || v != 1250 {
		t.Errorf("minor units: %d %v", v, err)
	}
	if v, err := (Number{Text: "750", Minor: true}).rate(); err != nil || v != 750 {
		t.Errorf("basis points: %d %v", v, err)
	}
	if _, err := (Number{Text: "10001", Minor: true}).rate(); err == nil {
		t.Error("10001 basis points accepted")
	}
}

func TestFormatting(t *testing.T) {
	for _, c := range []struct {
		v    int64
		cur  string
		want string
	}{{123450, "USD", "1,234.50"}, {-5, "USD", "-0.05"}, {1250, "JPY", "1,250"}, {1234567, "KWD", "1,234.567"},
		{0, "EUR", "0.00"}, {MaxAmount, "USD", "90,071,992,547,409.91"}, {100, "XYZ", "1.00"}} {
		if got := FormatMoney(c.v, c.cur); got != c.want {
			t.Errorf("FormatMoney(%d, %s) = %q, want %q", c.v, c.cur, got, c.want)
		}
	}
	if FormatQuantity(1500) != "1.5" || FormatQuantity(2000) != "2" || FormatQuantity(1) != "0.001" {
		t.Error("FormatQuantity")
	}
	if FormatPercent(750) != "7.5" || FormatPercent(2000) != "20" || FormatPercent(5) != "0.05" {
		t.Error("FormatPercent")
	}
	ps, err := ParsePricesText("USD 12.50, 11 EUR; JPY 1200")
	if err != nil || len(ps) != 3 || ps[1].Currency != "EUR" || ps[1].UnitPrice.Text != "11" {
		t.Fatalf("ParsePricesText: %+v %v", ps, err)
	}
	if _, err := ParsePricesText("USD"); err == nil {
		t.Error("a code without an amount accepted")
	}
}

// FuzzParseDecimal: whatever the input, parsing never panics, stays in
// range, and what it accepts formats back to text that parses to the same
// value (the round trip the UI and API rely on).
func FuzzParseDecimal(f *testing.F) {
	for _, s := range []string{"12.50", "-0.05", ".5", "1e3", "90071992547409.91", "0", "+1", " 7 "} {
		f.Add(s, 2)
	}
	f.Fuzz(func(t *testing.T, s string, places int) {
		places = ((places % 4) + 4) % 4
		v, err := ParseDecimal(s, places)
		if err != nil {
			return
		}
		if v > MaxAmount || v < -MaxAmount {
			t.Fatalf("%q → %d out of range", s, v)
		}
		back, err := ParseDecimal(FormatDecimal(v, places), places)
		if err != nil || back != v {
			t.Fatalf("%q → %d → %q → %d, %v", s, v, FormatDecimal(v, places), back, err)
		}
		if q, err := ParseQuantity(s); err == nil && (q <= 0 || q > MaxQuantity) {
			t.Fatalf("quantity %q → %d", s, q)
		}
		if r, err := ParsePercent(s); err == nil && (r < 0 || r > 10_000) {
			t.Fatalf("percent %q → %d", s, r)
		}
	})
}

// FuzzParsePricesText: the settings form's price list never panics and
// every price it yields has a currency and an amount.
func FuzzParsePricesText(f *testing.F) {
	f.Add("USD 12.50, EUR 11")
	f.Fuzz(func(t *testing.T, s string) {
		ps, err := ParsePricesText(s)
		if err != nil {
			return
		}
		for _, p := range ps {
			if p.Currency == "" || p.UnitPrice == nil || p.UnitPrice.Text == "" {
				t.Fatalf("%q → %+v", s, p)
			}
		}
	})
}
