package fabrique_test

import (
	"strconv"
	"strings"
	"testing"

	"github.com/fabrique-a-communs/fabrique/internal/fabrique"
)

func TestParseAmount(t *testing.T) {
	t.Parallel()
	tests := []struct {
		in   string
		want int64 // 0: refused
	}{
		{"3000", 300000},
		{"3 000", 300000},
		{"3 000,50", 300050},
		{"3000.50", 300050},
		{"3 000,50 €", 300050},
		{"€3000", 300000},
		{"3\u00a0000,5", 300050},
		{"3\u202f000,05", 300005},
		{"12 000", 1200000},
		{"1 234 567,89", 123456789},
		{"0,01", 1},
		{",50", 0},
		{"460", 46000},
		{" 460,00 € ", 46000},
		{"10000000", 1000000000},
		{"10000000,01", 0},
		{"99999999999999999999", 0},
		{"0", 0},
		{"0,00", 0},
		{"-5", 0},
		{"", 0},
		{"€", 0},
		{"abc", 0},
		{"3,000.50", 0},
		{"3.000,50", 0},
		{"3,5,0", 0},
		{"3,505", 0},
		{"30 00", 0},
		{"3000 000", 0},
		{"3  000", 0},
		{"3,", 0},
		{"1e3", 0},
		{"+5", 0},
		{"٣٠٠٠", 0},
		{"NaN", 0},
	}
	for _, tt := range tests {
		got, err := fabrique.ParseAmount(tt.in)
		if tt.want == 0 {
			if err == nil || fabrique.ErrorCode(err) != fabrique.EINVALID || fabrique.ErrorMessage(err) == "" {
				t.Errorf("ParseAmount(%q): got %d, %v; want a refusal with a message", tt.in, got, err)
			}
			continue
		}
		if err != nil || got != tt.want {
			t.Errorf("ParseAmount(%q): got %d, %v; want %d", tt.in, got, err, tt.want)
		}
	}
}

func TestParseDays(t *testing.T) {
	t.Parallel()
	tests := []struct {
		in   string
		want int // quarters; 0: refused
	}{
		{"1", 4}, {"0,5", 2}, {"1.25", 5}, {"0,75", 3}, {"0,25", 1}, {"2,50", 10}, {",5", 2},
		{"31", 124}, {"31,25", 0}, {"32", 0}, {"0", 0}, {"0,0", 0}, {"-1", 0}, {"", 0},
		{"0,3", 0}, {"1,125", 0}, {"1,2", 0}, {"un", 0}, {"1 000", 0}, {"1e1", 0},
	}
	for _, tt := range tests {
		got, err := fabrique.ParseDays(tt.in)
		if tt.want == 0 {
			if err == nil || fabrique.ErrorMessage(err) == "" {
				t.Errorf("ParseDays(%q): got %d, %v; want a refusal with a message", tt.in, got, err)
			}
			continue
		}
		if err != nil || got != tt.want {
			t.Errorf("ParseDays(%q): got %d, %v; want %d", tt.in, got, err, tt.want)
		}
	}
}

func TestFormatDaysRoundTrip(t *testing.T) {
	t.Parallel()
	for q := 1; q <= fabrique.MaxDaysQuarters; q++ {
		s := fabrique.FormatDays(q)
		got, err := fabrique.ParseDays(s)
		if err != nil || got != q {
			t.Errorf("ParseDays(FormatDays(%d) = %q): got %d, %v", q, s, got, err)
		}
	}
}

func TestDayAmount(t *testing.T) {
	t.Parallel()
	tests := []struct {
		quarters int
		rate     int64
		want     int64
	}{
		{8, 23000, 46000}, // two days at 230,00 € = 460,00 €
		{1, 23000, 5750},
		{1, 23001, 5750},     // 5750,25 cents → 5750
		{2, 23001, 11501},    // 11500,5 → 11501 (half up)
		{3, 10, 8},           // 7,5 → 8
		{124, 23000, 713000}, // 31 days
	}
	for _, tt := range tests {
		if got := fabrique.DayAmount(tt.quarters, tt.rate); got != tt.want {
			t.Errorf("DayAmount(%d, %d): got %d, want %d", tt.quarters, tt.rate, got, tt.want)
		}
	}
	// Additivity within a cent: splitting days never gains or loses more than a cent.
	for q := 1; q < 40; q++ {
		for p := 1; p < 40; p++ {
			whole := fabrique.DayAmount(q+p, 23001)
			parts := fabrique.DayAmount(q, 23001) + fabrique.DayAmount(p, 23001)
			if d := whole - parts; d < -1 || d > 1 {
				t.Fatalf("DayAmount(%d+%d): whole %d, parts %d", q, p, whole, parts)
			}
		}
	}
}

// FuzzParseAmount checks that whatever is typed, an accepted amount is within bounds and
// reads back from its French formatting.
func FuzzParseAmount(f *testing.F) {
	for _, s := range []string{"3000", "3 000,50 €", "3000.50", "0,01", "-1", "1 234 567,89", "٣", "3,,0", "\u00a0"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		cents, err := fabrique.ParseAmount(s)
		if err != nil {
			if fabrique.ErrorCode(err) != fabrique.EINVALID {
				t.Fatalf("ParseAmount(%q): got code %q, want invalid", s, fabrique.ErrorCode(err))
			}
			return
		}
		if cents <= 0 || cents > fabrique.MaxAmount {
			t.Fatalf("ParseAmount(%q) = %d: out of bounds", s, cents)
		}
		french := strconv.FormatInt(cents/100, 10) + "," + strconv.FormatInt(cents%100+100, 10)[1:]
		if back, err := fabrique.ParseAmount(french); err != nil || back != cents {
			t.Fatalf("ParseAmount(%q) = %d, but %q reads %d, %v", s, cents, french, back, err)
		}
	})
}

// FuzzParseDays checks accepted days are whole quarter steps within bounds.
func FuzzParseDays(f *testing.F) {
	for _, s := range []string{"1", "0,5", "1.25", "31", "0,3", "-1", ",75"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		q, err := fabrique.ParseDays(s)
		if err != nil {
			return
		}
		if q < 1 || q > fabrique.MaxDaysQuarters {
			t.Fatalf("ParseDays(%q) = %d: out of bounds", s, q)
		}
		if back, err := fabrique.ParseDays(strings.ReplaceAll(fabrique.FormatDays(q), ",", ".")); err != nil || back != q {
			t.Fatalf("ParseDays(%q) = %d, round trip %d, %v", s, q, back, err)
		}
	})
}
