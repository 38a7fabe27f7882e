package scenarios_test

import (
	"fmt"
	"log"

	"github.com/sessiontrace/sessiontrace/scenarios"
)

func ExampleParse() {
	src := `name: Login rotates the session ID
target: ${lab}
vars:
  user: alice
steps:
  - goto: /login
  - fill: { selector: "#user", value: "${vars.user}" }
  - fill: { selector: "#password", value: "${env.SHOP_PASSWORD}", secret: true }
  - submit: "#login-form"
    as: login
  - expect: { session: rotated, cookie: { name: SID, httpOnly: true } }
`
	sc, err := scenarios.Parse("login.yaml", []byte(src))
	if err != nil {
		log.Fatal(err)
	}
	// Variables are replaced only when the scenario is about to run.
	sc, err = sc.Resolve(scenarios.Resolver{
		Env: func(name string) (string, bool) { return "hunter2", name == "SHOP_PASSWORD" },
		Lab: func(key string) (string, bool) { return "http://127.0.0.1:8080", key == "" },
	})
	if err != nil {
		log.Fatal(err)
	}
	for _, st := range sc.Steps {
		fmt.Printf("%d %-8s %s\n", st.Index, st.As, st)
	}
	login, _ := sc.URL(sc.Steps[0].URL)
	fmt.Println(login)
	fmt.Println("redact:", sc.Secrets())
	// Output:
	// 0          goto /login
	// 1          fill #user
	// 2          fill #password
	// 3 login    submit #login-form
	// 4          expect
	// http://127.0.0.1:8080/login
	// redact: [hunter2]
}

func ExampleParse_errors() {
	src := `name: Broken
target: https://shop.test
steps:
  - goot: /login
  - fill: { slector: "#user", value: alice }
  - wait: 2
`
	_, err := scenarios.Parse("broken.yaml", []byte(src))
	fmt.Println(err)
	// Output:
	// broken.yaml:4:5: step: unknown key "goot" (did you mean "goto"?)
	// broken.yaml:5:13: fill: unknown key "slector" (did you mean "selector"?)
	// broken.yaml:6:11: wait: expected a duration like 2s or 500ms, got "2" (did you mean "2s"?)
}
