package words

import "testing"

func TestCount(t *testing.T) {
	for n, want := range map[int]string{0: "0 scenarios", 1: "1 scenario", 2: "2 scenarios", -1: "-1 scenarios"} {
		if got := Count(n, "scenario", "scenarios"); got != want {
			t.Errorf("Count(%d) = %q, want %q", n, got, want)
		}
	}
	if Plural(1, "is", "are") != "is" || Plural(3, "is", "are") != "are" {
		t.Error("Plural")
	}
}
