package recording

import "testing"

func TestIsSessionName(t *testing.T) {
	yes := []string{"PHPSESSID", "jsessionid", "ASPSESSIONIDQACTDBRS", "__Host-sid", "_shop_session", "connect.sid", "my_sess_token", "__Secure-sessionid"}
	no := []string{"theme", "_ga", "csrftoken", "__Host-pref", "sidebar"}
	for _, n := range yes {
		if ok, why := IsSessionName(n); !ok || why == "" {
			t.Errorf("IsSessionName(%q) = false, want true", n)
		}
	}
	for _, n := range no {
		if ok, why := IsSessionName(n); ok {
			t.Errorf("IsSessionName(%q) = true (%s), want false", n, why)
		}
	}
}
