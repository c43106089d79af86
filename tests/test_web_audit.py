"""The audit log's hash chain and ``maaltal audit verify``: a changed or deleted entry is found and named."""

from __future__ import annotations

import duckdb

from maaltal.web import audit
from maaltal.web.db import Database
from tests.conftest import run_cli


def _log(path, count: int) -> None:
    db = Database(path)
    with db.cursor() as cur:
        for i in range(count):
            audit.record(cur, "mette", "login", "mette", f"forsøg {i}", "192.0.2.1")
    db.close()


def test_an_untouched_log_verifies(store_path):
    _log(store_path, 5)
    result = run_cli("--store", str(store_path), "audit", "verify")
    assert result.returncode == 0 and "Loggen er hel: alle 5 poster" in result.stdout, result.stderr


def test_a_changed_entry_is_named(store_path):
    _log(store_path, 5)
    with duckdb.connect(str(store_path)) as con:
        con.execute("UPDATE web_audit SET username = 'ole' WHERE id = 3")
    result = run_cli("--store", str(store_path), "audit", "verify")
    assert result.returncode == 2 and "Loggen er brudt ved post 3: posten er ændret" in result.stderr
    assert "De 2 poster før den er hele" in result.stderr


def test_a_deleted_entry_is_named_by_the_one_after_it(store_path):
    _log(store_path, 5)
    with duckdb.connect(str(store_path)) as con:
        con.execute("DELETE FROM web_audit WHERE id = 2")
    result = run_cli("--store", str(store_path), "audit", "verify")
    assert result.returncode == 2 and "Loggen er brudt ved post 3: posten før den er ændret eller slettet" \
        in result.stderr


def test_a_log_from_before_the_chain_is_chained_once(store_path):
    db = Database(store_path)
    with db.cursor() as cur:  # as an older version wrote them: no client, no hashes
        cur.execute("INSERT INTO web_audit (id, created_at, username, action, object, detail) VALUES"
                    " (nextval('web_audit_seq'), now()::TIMESTAMP(0), 'a', 'import', 'x', ''),"
                    " (nextval('web_audit_seq'), now()::TIMESTAMP(0), 'b', 'comment', 'y', '')")
        cur.execute("UPDATE web_audit SET hash = '', prev_hash = ''")
    db.close()
    _log(store_path, 1)
    db = Database(store_path)
    with db.cursor() as cur:
        assert audit.verify(cur) == audit.Verification(3)
    db.close()
