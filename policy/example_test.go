package policy_test

import (
	"fmt"
	"log"
	"os"

	"github.com/sessiontrace/sessiontrace/policy"
	"github.com/sessiontrace/sessiontrace/recording"
)

func ExamplePolicy_Check() {
	src := `version: 1
severity: high
cookies:
  - name: PHPSESSID
    secure: true
    httpOnly: true
    rotateAtLogin: true
`
	p, err := policy.Parse(policy.FileName, []byte(src))
	if err != nil {
		log.Fatal(err)
	}
	// A recording of the lab's fixation.test: no HttpOnly, and the same ID
	// before and after login.
	data, err := os.ReadFile("../analysis/testdata/lab/fixation.json")
	if err != nil {
		log.Fatal(err)
	}
	rec, err := recording.Decode("fixation.json", data)
	if err != nil {
		log.Fatal(err)
	}
	for _, f := range p.Check(rec, nil) {
		fmt.Println(f.Rule, f.Severity, "step", f.Step)
		fmt.Println(" ", f.Message)
	}
	// Output:
	// POLICY-VIOLATION high step 0
	//   sessiontrace.policy.yaml:6: PHPSESSID must be HttpOnly (httpOnly: true); it was set without HttpOnly at step 0
	// POLICY-VIOLATION high step 4
	//   sessiontrace.policy.yaml:7: PHPSESSID must get a new value at login (rotateAtLogin: true); it kept the value A4y-Az3H across the login step 4 (submit #login-form)
}

func ExampleParse() {
	src := `version: 1
cookies:
  - name: __Host-sid
    httponly: true
    sameSite: at-least-lx
    maxLifetime: 2y
`
	_, err := policy.Parse(policy.FileName, []byte(src))
	fmt.Println(err)
	// Output:
	// sessiontrace.policy.yaml:4:5: cookie: unknown key "httponly" (did you mean "httpOnly"?)
	// sessiontrace.policy.yaml:5:15: sameSite: unknown value "at-least-lx": want at-least-lax, at-least-strict, at-least-none, strict, lax or none (did you mean "at-least-lax"?)
	// sessiontrace.policy.yaml:6:18: maxLifetime: expected a duration like 30d, 12h or 15m, got "2y" (unknown unit "y": use d, h, m, s or ms)
}
