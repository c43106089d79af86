"""Users, roles, passwords, sessions and login throttling for the dashboard.

Passwords are hashed with Argon2 (argon2-cffi). A session is a random token in an HttpOnly, SameSite
cookie; the store keeps only its SHA-256, so a copy of the store file cannot be used to log in. Each
session carries its own CSRF token, which every form posts back. Failed logins are counted per user name
and per client address, and too many within a quarter of an hour block further tries for a while.
"""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from enum import IntEnum

import duckdb
from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from maaltal.committee.minutes import mask_cpr
from maaltal.errors import MaaltalError

SESSION_LIFETIME = timedelta(hours=8)
THROTTLE_WINDOW = timedelta(minutes=15)
THROTTLE_LIMIT = 5  # failed attempts per user name or per client within the window
MIN_PASSWORD = 10
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

    def may(self, role: Role) -> bool:
        return self.active and self.role >= role


@dataclass(frozen=True)
class Session:
    user: User
    csrf: str
    token_hash: str


class LoginThrottled(MaaltalError):
    """Too many failed logins for a user name or from a client."""


def _now() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None, microsecond=0)


def _token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


# Users ------------------------------------------------------------------------------------------

def check_username(username: str) -> str:
    name = username.strip().lower()
    if not _USERNAME.match(name):
        raise MaaltalError("Brugernavnet skal være 2–40 tegn: små bogstaver a–z, tal, punktum, - eller _")
    return name


def check_password(password: str) -> None:
    if len(password) < MIN_PASSWORD:
        raise MaaltalError(f"Adgangskoden skal være mindst {MIN_PASSWORD} tegn")


def add_user(cur: duckdb.DuckDBPyConnection, username: str, password: str, role: Role) -> User:
    """Create a user; the name must be new."""
    name = check_username(username)
    check_password(password)
    if cur.execute("SELECT 1 FROM web_users WHERE username = ?", [name]).fetchone():
        raise MaaltalError(f"Brugeren '{name}' findes allerede")
    cur.execute("INSERT INTO web_users VALUES (?, ?, ?, true, ?)", [name, role.key, _hasher.hash(password), _now()])
    return User(name, role)


def users(cur: duckdb.DuckDBPyConnection) -> list[User]:
    rows = cur.execute("SELECT username, role, active FROM web_users ORDER BY username").fetchall()
    return [User(u, Role.parse(r), a) for u, r, a in rows]


def get_user(cur: duckdb.DuckDBPyConnection, username: str) -> User | None:
    row = cur.execute("SELECT username, role, active FROM web_users WHERE username = ?", [username]).fetchone()
    return User(row[0], Role.parse(row[1]), row[2]) if row else None


def change_user(cur: duckdb.DuckDBPyConnection, username: str, *, role: Role, active: bool) -> User:
    """Set a user's role and whether they may log in; a deactivated user's sessions end at once."""
    if get_user(cur, username) is None:
        raise MaaltalError(f"Brugeren '{username}' findes ikke")
    cur.execute("UPDATE web_users SET role = ?, active = ? WHERE username = ?", [role.key, active, username])
    if not active:
        cur.execute("DELETE FROM web_sessions WHERE username = ?", [username])
    return User(username, role, active)


def count_admins(cur: duckdb.DuckDBPyConnection) -> int:
    return cur.execute("SELECT count(*) FROM web_users WHERE role = 'admin' AND active").fetchone()[0]


# Logging in -------------------------------------------------------------------------------------

def authenticate(cur: duckdb.DuckDBPyConnection, username: str, password: str, client: str) -> User | None:
    """The user if the password is right; every attempt is counted, and a throttled one is refused."""
    name = username.strip().lower()
    _check_throttle(cur, name, client)
    row = cur.execute("SELECT role, password_hash, active FROM web_users WHERE username = ?", [name]).fetchone()
    ok = False
    try:
        ok = _hasher.verify(row[1] if row else _DUMMY_HASH, password) and row is not None and row[2]
    except (VerificationError, InvalidHashError):
        ok = False
    # whatever was typed as the user name is kept for throttling, but never a CPR number in clear
    cur.execute("INSERT INTO web_login_attempts VALUES (?, ?, ?, ?)", [_now(), mask_cpr(name)[0], client, bool(ok)])
    return User(name, Role.parse(row[0])) if ok else None


def _check_throttle(cur: duckdb.DuckDBPyConnection, username: str, client: str) -> None:
    since = _now() - THROTTLE_WINDOW
    failures, newest = cur.execute(
        "SELECT count(*), max(created_at) FROM web_login_attempts WHERE NOT success AND created_at >= ? AND"
        " (username = ? OR client = ?)", [since, username, client],
    ).fetchone()
    if failures >= THROTTLE_LIMIT:
        wait = max(1, int((newest + THROTTLE_WINDOW - _now()).total_seconds() // 60) + 1)
        raise LoginThrottled(f"For mange mislykkede forsøg på at logge ind. Prøv igen om {wait} minutter.")


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
    return Session(User(row[0], Role.parse(row[1])), row[2], row[3]) if row else None


def end_session(cur: duckdb.DuckDBPyConnection, token_hash: str) -> None:
    cur.execute("DELETE FROM web_sessions WHERE token_hash = ?", [token_hash])


def csrf_matches(expected: str | None, given: str | None) -> bool:
    """Constant-time comparison of a form's CSRF token with the one the session (or login cookie) holds."""
    return bool(expected) and bool(given) and hmac.compare_digest(expected.encode(), given.encode())


def new_csrf() -> str:
    return secrets.token_urlsafe(32)
