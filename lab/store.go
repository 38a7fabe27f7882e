package lab

import (
	"crypto/rand"
	"encoding/base32"
	"encoding/base64"
	"encoding/hex"
	"strings"
	"sync"
	"time"
)

// maxSessions bounds one store's size (benchmarks create many sessions); beyond it,
// expired entries are swept and then the least recently used ones dropped.
const maxSessions = 200_000

// session is a snapshot of one server-side session.
type session struct {
	user    string
	data    map[string]string
	created time.Time
	used    time.Time
}

func (s *session) loggedIn() bool { return s != nil && s.user != "" }

// store is one node's in-memory session store.
type store struct {
	idle time.Duration // unused longer than this: dropped
	max  int           // size bound (maxSessions)

	mu sync.Mutex
	m  map[string]*session
}

func newStore(idle time.Duration) *store {
	return &store{idle: idle, max: maxSessions, m: make(map[string]*session)}
}

// get returns a copy of the session and marks it used; an entry idle for longer than the
// store's timeout is deleted and reported missing.
func (st *store) get(id string) (session, bool) {
	if id == "" {
		return session{}, false
	}
	now := time.Now()
	st.mu.Lock()
	defer st.mu.Unlock()
	s, ok := st.m[id]
	if !ok {
		return session{}, false
	}
	if now.Sub(s.used) > st.idle {
		delete(st.m, id)
		return session{}, false
	}
	s.used = now
	return s.copy(), true
}

// put stores a session under id (replacing any entry).
func (st *store) put(id, user string, data map[string]string) {
	now := time.Now()
	s := &session{user: user, data: map[string]string{}, created: now, used: now}
	for k, v := range data {
		s.data[k] = v
	}
	st.mu.Lock()
	defer st.mu.Unlock()
	if len(st.m) >= st.max {
		st.sweepLocked(now)
	}
	st.m[id] = s
}

// update changes an existing session; false when it is gone.
func (st *store) update(id string, fn func(s *session)) bool {
	st.mu.Lock()
	defer st.mu.Unlock()
	s, ok := st.m[id]
	if !ok {
		return false
	}
	fn(s)
	return true
}

// rename moves a session to a new ID (the old one is gone); false when it is gone already.
func (st *store) rename(old, id string) bool {
	st.mu.Lock()
	defer st.mu.Unlock()
	s, ok := st.m[old]
	if !ok {
		return false
	}
	delete(st.m, old)
	s.used = time.Now()
	st.m[id] = s
	return true
}

func (st *store) delete(id string) {
	st.mu.Lock()
	delete(st.m, id)
	st.mu.Unlock()
}

func (st *store) sweepLocked(now time.Time) {
	for id, s := range st.m {
		if now.Sub(s.used) > st.idle {
			delete(st.m, id)
		}
	}
	for len(st.m) >= st.max {
		var oldest string
		var t time.Time
		n := 0
		for id, s := range st.m { // sample: map order is random
			if oldest == "" || s.used.Before(t) {
				oldest, t = id, s.used
			}
			if n++; n == 64 {
				break
			}
		}
		delete(st.m, oldest)
	}
}

func (s *session) copy() session {
	c := *s
	c.data = make(map[string]string, len(s.data))
	for k, v := range s.data {
		c.data[k] = v
	}
	return c
}

// idFormat is how a framework spells a random session ID (128 bits unless said otherwise).
type idFormat int

const (
	idBase64URL idFormat = iota // 22 chars, [A-Za-z0-9_-]
	idHexLower                  // 32 chars, PHP, CodeIgniter, Django-like
	idHexUpper                  // 32 chars, Tomcat's JSESSIONID
	idUUID                      // a random (version 4) UUID, Spring Session's IDs
	idBase32                    // 256 bits, 52 chars of unpadded base32: gorilla/sessions' FilesystemStore
)

func newID(f idFormat) string {
	var b [16]byte
	_, _ = rand.Read(b[:]) // never fails (crypto/rand panics internally only on a broken OS)
	switch f {
	case idUUID:
		b[6] = b[6]&0x0f | 0x40 // version 4
		b[8] = b[8]&0x3f | 0x80 // RFC 4122 variant
		h := hex.EncodeToString(b[:])
		return h[:8] + "-" + h[8:12] + "-" + h[12:16] + "-" + h[16:20] + "-" + h[20:]
	case idBase32:
		return strings.TrimRight(base32.StdEncoding.EncodeToString(randomKey(32)), "=")
	case idHexLower:
		return hex.EncodeToString(b[:])
	case idHexUpper:
		return strings.ToUpper(hex.EncodeToString(b[:]))
	default:
		return base64.RawURLEncoding.EncodeToString(b[:])
	}
}

// wellFormedID reports whether a client-supplied ID looks like one PHP would accept
// ([A-Za-z0-9,-], 22 to 128 characters).
func wellFormedID(id string) bool {
	if len(id) < 22 || len(id) > 128 {
		return false
	}
	for i := 0; i < len(id); i++ {
		c := id[i]
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == ',' || c == '-') {
			return false
		}
	}
	return true
}
