"""Users, roles, passwords, sessions and login throttling for the dashboard.

Passwords are hashed with Argon2 (argon2-cffi). A session is a random token in an HttpOnly, SameSite
cookie; the store keeps only its SHA-256, so a copy of the store file cannot be used to log in. Each
session carries its own CSRF token, which every form posts back.

Login throttling slows an attacker without locking the owner out: failed attempts are counted per user
name *and* client address, and after :data:`THROTTLE_LIMIT` of them that address waits ever longer
(:data:`FIRST_DELAY`, doubled with each further failure) before it may try that account again, while the
owner at another address logs in as usual. An address that fails on many accounts waits the same way
after :data:`ADDRESS_LIMIT`. Checking the count and reserving the attempt happen in one step under a lock,
so simultaneous attempts cannot all slip through, and at most :data:`HASHING_SLOTS` password checks
(Argon2, 64 MiB each) run at a time.
"""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets
import threading
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from enum import IntEnum

import duckdb
from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from zxcvbn import zxcvbn

from maaltal import privacy
from maaltal.errors import MaaltalError

SESSION_LIFETIME = timedelta(hours=8)
THROTTLE_WINDOW = timedelta(hours=1)  # failures older than this are forgotten
THROTTLE_LIMIT = 5     # failures for one user name from one address before that address must wait
ADDRESS_LIMIT = 30     # failures from one address on any user names before it must wait
FIRST_DELAY = timedelta(seconds=30)  # the first wait, doubled with each further failure
MAX_DELAY = timedelta(minutes=15)
HASHING_SLOTS = 2      # password checks at a time (each takes 64 MiB and most of a core for a moment)
HASHING_WAIT = 10.0    # seconds a login waits for a free slot before it is asked to come back
MIN_PASSWORD = 12
MAX_PASSWORD = 256
MIN_STRENGTH = 3       # zxcvbn's score 0–4: 3 is "safely unguessable" for an online attack
_USERNAME = re.compile(r"^[a-z0-9][a-z0-9._-]{1,39}$")
_hasher = PasswordHasher()
# Verifying against this when the user does not exist takes as long as a real check.
_DUMMY_HASH = _hasher.hash(secrets.token_hex(16))


class Role(IntEnum):
    """Each role may do what the roles below it may."""

    READER = 1
    ANALYST = 2
    ADMIN = 3

    @classmethod
    def parse(cls, text: str) -> Role:
        try:
            return cls[text.upper()]
        except KeyError:
            raise MaaltalError(f"Ukendt rolle '{text}'; vælg admin, analyst eller reader") from None

    @property
    def key(self) -> str:
        return self.name.lower()

    @property
    def label(self) -> str:
        return {1: "Læser", 2: "Analytiker", 3: "Administrator"}[self.value]


@dataclass(frozen=True)
class User:
    username: str
    role: Role
    active: bool = True
    areas: tuple[str, ...] = ()  # the municipalities the user may import figures for; none: every area

    def may(self, role: Role) -> bool:
        return self.active and self.role >= role


@dataclass(frozen=True)
class Session:
    user: User
    csrf: str
    token_hash: str


class LoginThrottled(MaaltalError):
    """Too many failed logins for a user name from this client, or from this client at all."""


class LoginBusy(LoginThrottled):
    """Every password-checking slot stayed busy: the visitor is asked to try again in a moment."""


_throttle_lock = threading.Lock()
_in_flight: Counter[tuple[str, str]] = Counter()  # attempts being checked now, per (user name, client)
_hashing = threading.BoundedSemaphore(HASHING_SLOTS)
_users_lock = threading.Lock()  # role changes: the last-admin check and the change are one step


def _now() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None, microsecond=0)


def _precise_now() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None)


def _token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


# Users ------------------------------------------------------------------------------------------

def check_username(username: str) -> str:
    name = username.strip().lower()
    if not _USERNAME.match(name):
        raise MaaltalError("Brugernavnet skal være 2–40 tegn: små bogstaver a–z, tal, punktum, - eller _")
    if privacy.mask(name) != name:
        raise MaaltalError("Brugernavnet ligner et CPR-nummer og kan ikke bruges; vælg fx fornavn og efternavn")
    return name


def check_password(password: str, username: str = "") -> None:
    """A password long enough, not too long, and not one of the common ones or a simple pattern.

    The strength check is zxcvbn's (Dropbox's estimator, with its list of the 30.000 most common passwords,
    words, names, keyboard patterns, repeats and dates); the user's own name counts as a known word.
    """
    if len(password) < MIN_PASSWORD:
        raise MaaltalError(f"Adgangskoden skal være mindst {MIN_PASSWORD} tegn")
    if len(password) > MAX_PASSWORD:
        raise MaaltalError(f"Adgangskoden må højst være {MAX_PASSWORD} tegn")
    if zxcvbn(password, user_inputs=[username] if username else [])["score"] < MIN_STRENGTH:
        raise MaaltalError("Adgangskoden er for let at gætte: den ligner en almindelig adgangskode, et ord, et navn "
                           "eller et mønster. Brug fx tre-fire ord med tegn imellem.")


def add_user(cur: duckdb.DuckDBPyConnection, username: str, password: str, role: Role,
             areas: Sequence[str] = ()) -> User:
    """Create a user; the name must be new. ``areas`` (municipality codes) scopes what they may import."""
    name = check_username(username)
    check_password(password, name)
    if cur.execute("SELECT 1 FROM web_users WHERE username = ?", [name]).fetchone():
        raise MaaltalError(f"Brugeren '{name}' findes allerede")
    cur.execute("INSERT INTO web_users VALUES (?, ?, ?, true, ?)", [name, role.key, _hasher.hash(password), _now()])
    for area in dict.fromkeys(areas):
        cur.execute("INSERT INTO web_user_areas VALUES (?, ?)", [name, area])
    return User(name, role, areas=tuple(sorted(set(areas))))


def _areas(cur: duckdb.DuckDBPyConnection, username: str) -> tuple[str, ...]:
    rows = cur.execute("SELECT area FROM web_user_areas WHERE username = ? ORDER BY area", [username]).fetchall()
    return tuple(area for (area,) in rows)


def users(cur: duckdb.DuckDBPyConnection) -> list[User]:
    rows = cur.execute("SELECT username, role, active FROM web_users ORDER BY username").fetchall()
    return [User(u, Role.parse(r), a, _areas(cur, u)) for u, r, a in rows]


def get_user(cur: duckdb.DuckDBPyConnection, username: str) -> User | None:
    row = cur.execute("SELECT username, role, active FROM web_users WHERE username = ?", [username]).fetchone()
    return User(row[0], Role.parse(row[1]), row[2], _areas(cur, row[0])) if row else None


def change_user(cur: duckdb.DuckDBPyConnection, username: str, *, role: Role, active: bool) -> User:
    """Set a user's role and whether they may log in; a deactivated user's sessions end at once.

    The last active administrator can be neither demoted nor deactivated; the check and the change are one
    step, so two administrators demoting each other at the same moment cannot leave none.
    """
    with _users_lock:
        before = get_user(cur, username)
        if before is None:
            raise MaaltalError(f"Brugeren '{username}' findes ikke")
        if before.role is Role.ADMIN and before.active and (role is not Role.ADMIN or not active) \
                and count_admins(cur) <= 1:
            raise MaaltalError("Den sidste administrator kan ikke fjernes.")
        cur.execute("UPDATE web_users SET role = ?, active = ? WHERE username = ?", [role.key, active, username])
        if not active:
            cur.execute("DELETE FROM web_sessions WHERE username = ?", [username])
    return User(username, role, active, _areas(cur, username))


def set_password(cur: duckdb.DuckDBPyConnection, username: str, password: str, *, keep_session: str = "") -> None:
    """Give a user a new password (checked as a new one is) and end their sessions, but ``keep_session``."""
    if get_user(cur, username) is None:
        raise MaaltalError(f"Brugeren '{username}' findes ikke")
    check_password(password, username)
    cur.execute("UPDATE web_users SET password_hash = ? WHERE username = ?", [_hasher.hash(password), username])
    cur.execute("DELETE FROM web_sessions WHERE username = ? AND token_hash <> ?", [username, keep_session])


def count_admins(cur: duckdb.DuckDBPyConnection) -> int:
    return cur.execute("SELECT count(*) FROM web_users WHERE role = 'admin' AND active").fetchone()[0]


# Logging in -------------------------------------------------------------------------------------

def authenticate(cur: duckdb.DuckDBPyConnection, username: str, password: str, client: str) -> User | None:
    """The user if the password is right; every checked attempt is counted, and a throttled one is refused.

    Raises :class:`LoginThrottled` (this address must wait) or :class:`LoginBusy` (no free checking slot)
    before any password is checked.
    """
    name = username.strip().lower()
    # whatever was typed as the user name is kept for throttling, but never a CPR number in clear
    key = (privacy.mask(name, whole=True), client)
    with _throttle_lock:  # the check and the reservation are one step
        _check_throttle(cur, *key)
        _in_flight[key] += 1
    ok, recorded = False, False
    try:
        row = cur.execute("SELECT role, password_hash, active FROM web_users WHERE username = ?", [name]).fetchone()
        ok = _verify(row[1] if row else None, password) and row is not None and row[2]
        recorded = True
    finally:
        with _throttle_lock:
            if recorded:
                cur.execute("INSERT INTO web_login_attempts VALUES (?, ?, ?, ?)", [_precise_now(), *key, bool(ok)])
            _in_flight[key] -= 1
            if not _in_flight[key]:
                del _in_flight[key]
    return User(name, Role.parse(row[0])) if ok else None


def _verify(password_hash: str | None, password: str) -> bool:
    """Whether the password matches, checked in one of the few hashing slots (unknown users take as long)."""
    if len(password) > MAX_PASSWORD:
        return False  # never a valid password: not worth a hash
    if not _hashing.acquire(timeout=HASHING_WAIT):
        raise LoginBusy("Der er mange, der logger ind lige nu. Prøv igen om et øjeblik.")
    try:
        return _hasher.verify(password_hash or _DUMMY_HASH, password) and password_hash is not None
    except (VerificationError, InvalidHashError):
        return False
    finally:
        _hashing.release()


def _check_throttle(cur: duckdb.DuckDBPyConnection, username: str, client: str) -> None:
    """Refuse the attempt while this address must wait, for this user name or for any."""
    now = _precise_now()
    since = now - THROTTLE_WINDOW
    last_success = cur.execute("SELECT max(created_at) FROM web_login_attempts WHERE success AND username = ?"
                               " AND client = ?", [username, client]).fetchone()[0]
    account = cur.execute(
        "SELECT count(*), max(created_at) FROM web_login_attempts WHERE NOT success AND username = ? AND client = ?"
        " AND created_at >= ?", [username, client, max(since, last_success) if last_success else since],
    ).fetchone()
    address = cur.execute("SELECT count(*), max(created_at) FROM web_login_attempts WHERE NOT success"
                          " AND client = ? AND created_at >= ?", [client, since]).fetchone()
    pending = _in_flight[(username, client)]
    pending_address = sum(n for (_, c), n in _in_flight.items() if c == client)
    wait = max(_wait(account[0] + pending, account[1], THROTTLE_LIMIT, now, pending > 0),
               _wait(address[0] + pending_address, address[1], ADDRESS_LIMIT, now, pending_address > 0))
    if wait > 0:
        minutes, seconds = divmod(int(wait) + 1, 60)
        when = f"{minutes} minut{'ter' if minutes > 1 else ''}" if minutes else f"{seconds} sekunder"
        raise LoginThrottled(f"For mange mislykkede forsøg på at logge ind. Prøv igen om {when}.")


def _wait(failures: int, newest: datetime | None, limit: int, now: datetime, pending: bool) -> float:
    """Seconds still to wait after ``failures`` (the newest at ``newest``): none below ``limit``, then doubling."""
    if failures < limit:
        return 0.0
    delay = min(MAX_DELAY, FIRST_DELAY * 2 ** min(failures - limit, 16))
    if pending or newest is None:  # attempts still being checked count as failures until they are known
        return delay.total_seconds()
    return max(0.0, (newest + delay - now).total_seconds())


# Sessions ---------------------------------------------------------------------------------------

def start_session(cur: duckdb.DuckDBPyConnection, user: User) -> str:
    """A new session for the user; returns the cookie's token (only its hash is stored)."""
    token = secrets.token_urlsafe(32)
    now = _now()
    cur.execute("DELETE FROM web_sessions WHERE expires_at < ?", [now])
    cur.execute("INSERT INTO web_sessions VALUES (?, ?, ?, ?, ?)",
                [_token_hash(token), user.username, secrets.token_urlsafe(32), now, now + SESSION_LIFETIME])
    return token


def session(cur: duckdb.DuckDBPyConnection, token: str | None) -> Session | None:
    """The live session of a cookie token, with its active user; None when absent, expired or revoked."""
    if not token:
        return None
    row = cur.execute(
        "SELECT u.username, u.role, s.csrf, s.token_hash FROM web_sessions s JOIN web_users u USING (username)"
        " WHERE s.token_hash = ? AND s.expires_at > ? AND u.active", [_token_hash(token), _now()],
    ).fetchone()
    return Session(User(row[0], Role.parse(row[1]), areas=_areas(cur, row[0])), row[2], row[3]) if row else None


def end_session(cur: duckdb.DuckDBPyConnection, token_hash: str) -> None:
    cur.execute("DELETE FROM web_sessions WHERE token_hash = ?", [token_hash])


def csrf_matches(expected: str | None, given: str | None) -> bool:
    """Constant-time comparison of a form's CSRF token with the one the session (or login cookie) holds."""
    return bool(expected) and bool(given) and hmac.compare_digest(expected.encode(), given.encode())


def new_csrf() -> str:
    return secrets.token_urlsafe(32)
