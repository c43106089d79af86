"""Privacy: keyed pseudonyms, masking, the suppression rule, and no CPR number anywhere after an import."""

from __future__ import annotations

import logging
import re

import pytest

from maaltal import privacy
from maaltal.errors import MaaltalError
from maaltal.measures.spells import importing as spell_import
from tests.conftest import run_cli
from tests.spells_helpers import KEY, fake_cpr, key_file, spell, write

# Anything shaped like a CPR number, dates or not: ten digits, with or without a hyphen after six.
CPR_SHAPED = re.compile(rb"(?<!\d)\d{6}-?\d{4}(?!\d)")


def test_pseudonyms_are_keyed_stable_and_never_cpr_shaped():
    one, other = privacy.Pseudonymizer(KEY.encode()), privacy.Pseudonymizer(b"en-anden-noegle-0123456789")
    cpr = fake_cpr(7)
    assert one.pseudonym(cpr) == one.pseudonym(cpr.replace("-", "")) == one.pseudonym(f" {cpr} ")
    assert one.pseudonym(cpr) != other.pseudonym(cpr)
    assert one.pseudonym(cpr) != one.pseudonym(fake_cpr(8))
    names = [one.pseudonym(fake_cpr(i)) for i in range(2000)]
    assert all(n.isalpha() and len(n) == 33 for n in names)
    assert len(set(names)) == 2000


def test_masking_hides_the_last_four_digits_wherever_they_are():
    assert privacy.mask("række 4: 0101001234 og 020300-0007") == "række 4: 010100-XXXX og 020300-XXXX"
    assert privacy.mask("beløb 12345678901 og 3213001234") == "beløb 12345678901 og 3213001234"


def test_suppression_rule():
    assert [privacy.is_suppressed(n) for n in (0, 1, 4, 5, None)] == [False, True, True, False, False]
    assert privacy.is_suppressed(9, threshold=10) and not privacy.is_suppressed(3, threshold=3)
    with pytest.raises(MaaltalError):
        privacy.check_threshold(0)


def test_key_from_file_or_environment(tmp_path, monkeypatch):
    monkeypatch.delenv(privacy.KEY_ENV, raising=False)
    assert privacy.Pseudonymizer.load(None) is None
    monkeypatch.setenv(privacy.KEY_ENV, KEY)
    from_env = privacy.Pseudonymizer.load(None)
    from_file = privacy.Pseudonymizer.load(key_file(tmp_path))
    assert from_env.pseudonym("x") == from_file.pseudonym("x")
    with pytest.raises(MaaltalError, match="for kort"):
        privacy.Pseudonymizer(b"kort")
    with pytest.raises(MaaltalError, match="kan ikke læses"):
        privacy.Pseudonymizer.load(tmp_path / "findes-ikke.key")


def test_no_cpr_number_in_the_store_or_the_logs_after_importing_spells(tmp_path, store_path, registry, caplog):
    rows = [spell(i, "a-dagpenge", "2021-01-04", "2021-06-30" if i % 2 else "", "167") for i in range(300)]
    path = write(tmp_path / "cpr_fake.csv", rows)
    assert CPR_SHAPED.search(path.read_bytes())  # the input does have them

    ok = run_cli("--store", str(store_path), "import", "spells", str(path), "--key-file", str(key_file(tmp_path)))
    assert ok.returncode == 0, ok.stderr
    broken = write(tmp_path / "broken_fake.csv", [*rows, (fake_cpr(1), "a-dagpenge", fake_cpr(2), "", "167",
                                                           fake_cpr(3), "K")])
    failed = run_cli("--store", str(store_path), "import", "spells", str(broken), "--key-file",
                     str(key_file(tmp_path)))
    assert failed.returncode == 2 and "række 302" in failed.stderr and "Traceback" not in failed.stderr
    no_key = run_cli("--store", str(store_path), "import", "spells", str(path), env={privacy.KEY_ENV: ""})
    assert no_key.returncode == 2 and "pseudonymnøgle" in no_key.stderr
    with caplog.at_level(logging.DEBUG):
        from maaltal.store import Store
        with Store.open(store_path) as store:
            spell_import.import_file(store, path, registry, privacy.Pseudonymizer(KEY.encode()))

    logs = "\n".join([ok.stdout, ok.stderr, failed.stdout, failed.stderr, no_key.stdout, no_key.stderr,
                      caplog.text]).encode()
    assert not CPR_SHAPED.search(logs), CPR_SHAPED.search(logs)
    for file in tmp_path.glob("*.duckdb*"):
        assert not CPR_SHAPED.search(file.read_bytes()), file
