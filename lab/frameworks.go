package lab

import (
	"bytes"
	"compress/zlib"
	"crypto/aes"
	"crypto/cipher"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha1"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"encoding/binary"
	"encoding/gob"
	"encoding/json"
	"errors"
	"io"
	"strconv"
	"strings"
	"time"
)

// The session-cookie formats of real frameworks that the lab's newer hosts use: Flask's
// signed client-side session (itsdangerous), an HS256 JWT, gorilla/securecookie's
// encrypted envelope and Spring Session's base64 cookie. Each codec has its own key,
// random per lab start.

// randomKey returns n bytes from crypto/rand.
func randomKey(n int) []byte {
	b := make([]byte, n)
	_, _ = rand.Read(b) // never fails (crypto/rand panics internally only on a broken OS)
	return b
}

// clientCodec keeps the whole session in the cookie value: there is no server store, so
// nothing can be revoked. decode verifies a value and returns the session it holds;
// encode signs a session into a new value.
type clientCodec interface {
	decode(v string, now time.Time) (session, bool)
	encode(s session, now time.Time) string
}

// --- Flask: itsdangerous URLSafeTimedSerializer, salt "cookie-session", HMAC-SHA1 ---

// flaskMaxAge is Flask's PERMANENT_SESSION_LIFETIME (31 days), which also bounds the age of
// a non-permanent session's signature.
const flaskMaxAge = 31 * 24 * time.Hour

// flaskCodec is Flask's default session interface (SecureCookieSessionInterface):
// base64url(JSON) "." base64url(timestamp) "." base64url(HMAC-SHA1), without padding. The key
// is derived as itsdangerous's "hmac" key derivation does: HMAC-SHA1(secret_key, salt). As
// itsdangerous does, the JSON is zlib-compressed when that saves more than one byte, and
// the payload then starts with "." (a session with a random CSRF token seldom compresses).
type flaskCodec struct {
	secret []byte // the app's SECRET_KEY
	key    []byte // the signing key derived from it
}

func newFlaskCodec(secret []byte) *flaskCodec {
	m := hmac.New(sha1.New, secret)
	m.Write([]byte("cookie-session"))
	return &flaskCodec{secret: secret, key: m.Sum(nil)}
}

// flaskPayload is the session as the app stores it (keys sorted, as Flask's JSON
// serializer writes them).
type flaskPayload struct {
	CSRF   string `json:"csrf,omitempty"`
	User   string `json:"user,omitempty"`
	Visits int    `json:"visits,omitempty"`
}

var b64 = base64.RawURLEncoding

func (f *flaskCodec) sign(value string) string {
	m := hmac.New(sha1.New, f.key)
	m.Write([]byte(value))
	return b64.EncodeToString(m.Sum(nil))
}

// itsdangerousTimestamp is itsdangerous's int_to_bytes: big-endian, no leading zero bytes.
func itsdangerousTimestamp(t time.Time) string {
	var b [8]byte
	binary.BigEndian.PutUint64(b[:], uint64(t.Unix()))
	i := 0
	for i < 7 && b[i] == 0 {
		i++
	}
	return b64.EncodeToString(b[i:])
}

func (f *flaskCodec) encode(s session, now time.Time) string {
	p := flaskPayload{CSRF: s.data["csrf"], User: s.user}
	p.Visits, _ = strconv.Atoi(s.data["visits"])
	j, _ := json.Marshal(p) // a struct of strings and an int: never fails
	payload := b64.EncodeToString(j)
	var z bytes.Buffer
	zw := zlib.NewWriter(&z)
	_, _ = zw.Write(j) // writes to a bytes.Buffer never fail
	_ = zw.Close()
	if z.Len() < len(j)-1 {
		payload = "." + b64.EncodeToString(z.Bytes())
	}
	value := payload + "." + itsdangerousTimestamp(now)
	return value + "." + f.sign(value)
}

func (f *flaskCodec) decode(v string, now time.Time) (session, bool) {
	i := strings.LastIndexByte(v, '.')
	if i < 0 || subtle.ConstantTimeCompare([]byte(v[i+1:]), []byte(f.sign(v[:i]))) != 1 {
		return session{}, false
	}
	body, compressed := strings.CutPrefix(v[:i], ".")
	payload, ts, ok := strings.Cut(body, ".")
	if !ok {
		return session{}, false
	}
	tb, err := b64.DecodeString(ts)
	if err != nil || len(tb) == 0 || len(tb) > 8 {
		return session{}, false
	}
	var buf [8]byte
	copy(buf[8-len(tb):], tb)
	signed := time.Unix(int64(binary.BigEndian.Uint64(buf[:])), 0)
	if now.Sub(signed) > flaskMaxAge {
		return session{}, false
	}
	j, err := b64.DecodeString(payload)
	if err != nil {
		return session{}, false
	}
	if compressed {
		zr, err := zlib.NewReader(bytes.NewReader(j))
		if err != nil {
			return session{}, false
		}
		j, err = io.ReadAll(io.LimitReader(zr, 64<<10))
		if err != nil {
			return session{}, false
		}
	}
	var p flaskPayload
	if json.Unmarshal(j, &p) != nil {
		return session{}, false
	}
	s := session{user: p.User, data: map[string]string{}}
	if p.CSRF != "" {
		s.data["csrf"] = p.CSRF
	}
	if p.Visits > 0 {
		s.data["visits"] = itoa(p.Visits)
	}
	return s, true
}

// --- an HS256 JWT in a cookie ---

// jwtLifetime is the access token's lifetime (exp = iat + 1 hour).
const jwtLifetime = time.Hour

// jwtCodec issues and verifies HS256 JWTs: base64url(header) "." base64url(claims) "."
// base64url(HMAC-SHA256). Only a logged-in session has a token.
type jwtCodec struct {
	key []byte
}

type jwtClaims struct {
	Sub string `json:"sub"`
	Iat int64  `json:"iat"`
	Exp int64  `json:"exp"`
	Jti string `json:"jti"`
}

const jwtHeader = `{"alg":"HS256","typ":"JWT"}`

func (j *jwtCodec) sign(value string) string {
	m := hmac.New(sha256.New, j.key)
	m.Write([]byte(value))
	return b64.EncodeToString(m.Sum(nil))
}

func (j *jwtCodec) encode(s session, now time.Time) string {
	c := jwtClaims{Sub: s.user, Iat: now.Unix(), Exp: now.Add(jwtLifetime).Unix(), Jti: newID(idBase64URL)}
	cj, _ := json.Marshal(c) // never fails
	value := b64.EncodeToString([]byte(jwtHeader)) + "." + b64.EncodeToString(cj)
	return value + "." + j.sign(value)
}

func (j *jwtCodec) decode(v string, now time.Time) (session, bool) {
	parts := strings.Split(v, ".")
	if len(parts) != 3 {
		return session{}, false
	}
	if subtle.ConstantTimeCompare([]byte(parts[2]), []byte(j.sign(parts[0]+"."+parts[1]))) != 1 {
		return session{}, false
	}
	hj, err := b64.DecodeString(parts[0])
	if err != nil {
		return session{}, false
	}
	var h struct {
		Alg string `json:"alg"`
	}
	if json.Unmarshal(hj, &h) != nil || h.Alg != "HS256" {
		return session{}, false
	}
	cj, err := b64.DecodeString(parts[1])
	if err != nil {
		return session{}, false
	}
	var c jwtClaims
	if json.Unmarshal(cj, &c) != nil || c.Sub == "" || now.Unix() >= c.Exp {
		return session{}, false
	}
	return session{user: c.Sub, data: map[string]string{}}, true
}

// --- gorilla/securecookie (as gorilla/sessions' FilesystemStore uses it) ---

// securecookieMaxAge is securecookie's default MaxAge (30 days): older timestamps are refused.
const securecookieMaxAge = 30 * 24 * time.Hour

// securecookie is gorilla/securecookie with a hash key (HMAC-SHA256) and a block key
// (AES-256 in CTR mode), serializing with encoding/gob (its default). A value is
// base64url("<unix time>|" + base64url(IV + ciphertext) + "|" + MAC), padded as Go's
// base64.URLEncoding pads, where the MAC covers "<name>|<unix time>|<base64url(...)>".
type securecookie struct {
	hashKey []byte
	block   cipher.Block
}

func newSecurecookie() *securecookie {
	block, err := aes.NewCipher(randomKey(32))
	if err != nil {
		panic(err) // a 32-byte key is always valid
	}
	return &securecookie{hashKey: randomKey(32), block: block}
}

var errSecurecookie = errors.New("securecookie: the value is not valid")

func (sc *securecookie) mac(b []byte) []byte {
	m := hmac.New(sha256.New, sc.hashKey)
	m.Write(b)
	return m.Sum(nil)
}

// encode is securecookie.Encode(name, value) for a string value.
func (sc *securecookie) encode(name, value string, now time.Time) string {
	var ser bytes.Buffer
	_ = gob.NewEncoder(&ser).Encode(value) // a string never fails
	b := ser.Bytes()
	iv := randomKey(sc.block.BlockSize())
	cipher.NewCTR(sc.block, iv).XORKeyStream(b, b)
	enc := base64.URLEncoding.EncodeToString(append(iv, b...))
	signed := name + "|" + strconv.FormatInt(now.Unix(), 10) + "|" + enc
	out := append([]byte(signed[len(name)+1:]+"|"), sc.mac([]byte(signed))...)
	return base64.URLEncoding.EncodeToString(out)
}

// decode is securecookie.Decode(name, value, &s) for a string value.
func (sc *securecookie) decode(name, value string, now time.Time) (string, error) {
	b, err := base64.URLEncoding.DecodeString(value)
	if err != nil {
		return "", errSecurecookie
	}
	parts := bytes.SplitN(b, []byte("|"), 3)
	if len(parts) != 3 {
		return "", errSecurecookie
	}
	signed := append([]byte(name+"|"), b[:len(b)-len(parts[2])-1]...)
	if !hmac.Equal(parts[2], sc.mac(signed)) {
		return "", errSecurecookie
	}
	t, err := strconv.ParseInt(string(parts[0]), 10, 64)
	if err != nil || t < now.Add(-securecookieMaxAge).Unix() {
		return "", errSecurecookie
	}
	ct, err := base64.URLEncoding.DecodeString(string(parts[1]))
	if err != nil || len(ct) <= sc.block.BlockSize() {
		return "", errSecurecookie
	}
	iv, ct := ct[:sc.block.BlockSize()], ct[sc.block.BlockSize():]
	cipher.NewCTR(sc.block, iv).XORKeyStream(ct, ct)
	var s string
	if err := gob.NewDecoder(bytes.NewReader(ct)).Decode(&s); err != nil {
		return "", errSecurecookie
	}
	return s, nil
}

// --- Spring Session ---

// springEncode is Spring Session's DefaultCookieSerializer with useBase64Encoding (the
// default): standard base64 of the session ID.
func springEncode(id string) string { return base64.StdEncoding.EncodeToString([]byte(id)) }

func springDecode(v string) string {
	b, err := base64.StdEncoding.DecodeString(v)
	if err != nil {
		return ""
	}
	return string(b)
}
