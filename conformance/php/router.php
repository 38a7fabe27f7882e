<?php
// PHP's native sessions (ext/session, files store) behind the built-in
// server: php -S 127.0.0.1:PORT router.php. The session ID is the cookie
// PHPSESSID; the data stays on the server.
//
// CONFORMANCE_NO_REGENERATE=1 leaves out session_regenerate_id at login:
// the ID issued to the anonymous visitor is kept (session fixation).

session_start();
$path = parse_url($_SERVER['REQUEST_URI'], PHP_URL_PATH);
$method = $_SERVER['REQUEST_METHOD'];
header('Content-Type: text/html; charset=utf-8');

if ($path === '/login' && $method === 'GET') {
    echo '<!doctype html><title>Sign in</title>',
        '<form id="login-form" method="post" action="/login">',
        '<input id="user" name="user"> <input id="password" name="password" type="password">',
        '<button type="submit">Sign in</button></form>';
    return true;
}
if ($path === '/login' && $method === 'POST') {
    if (getenv('CONFORMANCE_NO_REGENERATE') !== '1') {
        session_regenerate_id(true); // a new ID at login; true deletes the old session's data
    }
    $_SESSION['user'] = $_POST['user'] ?? 'anonymous';
    header('Location: /account', true, 303);
    return true;
}
if ($path === '/account') {
    if (!isset($_SESSION['user'])) {
        header('Location: /login', true, 302);
        return true;
    }
    echo '<!doctype html><title>Account</title>',
        '<p id="welcome">Welcome, ', htmlspecialchars($_SESSION['user']), '</p>',
        '<form id="logout-form" method="post" action="/logout">',
        '<button id="logout" type="submit">Sign out</button></form>';
    return true;
}
if ($path === '/logout' && $method === 'POST') {
    // The manual's logout: empty the data, expire the cookie, destroy the session.
    $_SESSION = [];
    $p = session_get_cookie_params();
    setcookie(session_name(), '', time() - 42000, $p['path'], $p['domain'], $p['secure'], $p['httponly']);
    session_destroy();
    header('Location: /login', true, 303);
    return true;
}
http_response_code(404);
echo 'not found';
return true;
