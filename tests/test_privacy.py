"""Privacy: keyed pseudonyms, masking, the suppression rule, and no CPR number anywhere after an import."""

from __future__ import annotations

import logging
import re
from pathlib import Path

import pytest

from maaltal import privacy
from maaltal.errors import MaaltalError, why_unreadable
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
    with pytest.raises(MaaltalError, match="kan ikke læses") as info:
        privacy.Pseudonymizer.load(tmp_path / "findes-ikke.key")
    assert str(info.value) == f"Nøglefilen {tmp_path / 'findes-ikke.key'} kan ikke læses: filen findes ikke"


def test_an_unreadable_key_file_is_explained_in_danish(tmp_path):
    """The system's own reason is English ("Permission denied"): the common ones are said in Danish."""
    with pytest.raises(MaaltalError) as info:
        privacy.Pseudonymizer.from_key_file(tmp_path)
    assert str(info.value) == f"Nøglefilen {tmp_path} kan ikke læses: det er en mappe, ikke en fil"
    assert why_unreadable(PermissionError(13, "Permission denied")) == "du har ikke adgang til at læse den"
    assert why_unreadable(OSError(5, "Input/output error")) == "styresystemet afviser (EIO)"


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
            # another threshold: the same file made into other figures, a whole import again, with its logs
            spell_import.import_file(store, path, registry, privacy.Pseudonymizer(KEY.encode()), threshold=3)

    logs = "\n".join([ok.stdout, ok.stderr, failed.stdout, failed.stderr, no_key.stdout, no_key.stderr,
                      caplog.text]).encode()
    assert not CPR_SHAPED.search(logs), CPR_SHAPED.search(logs)
    for file in tmp_path.glob("*.duckdb*"):
        assert not CPR_SHAPED.search(file.read_bytes()), file


# One CPR masker for every path (issue 14) -----------------------------------------------------------

EVERY_FORM = ("0101901234", "010190-1234", "010190 1234", "01.01.90-1234", "01-01-90-1234", "31-12-1990-1234",
              "31.12.1990 1234")


@pytest.mark.parametrize("written", EVERY_FORM)
def test_every_written_form_of_a_cpr_number_is_masked(written):
    masked = privacy.mask(f"Borgeren {written} er i job.")
    assert written not in masked and "1234" not in masked and masked.endswith("-XXXX er i job.")
    assert privacy.mask(f"Borgeren {written}.", whole=True) == "Borgeren XXXXXX-XXXX."
    assert privacy.is_cpr(written)


def test_the_date_stays_and_one_person_is_one_pseudonym_however_written():
    assert privacy.mask("31-12-1990-1234 og 01.01.90 1234") == "311290-XXXX og 010190-XXXX"
    one = privacy.Pseudonymizer(KEY.encode())
    assert len({one.pseudonym(w) for w in ("0101901234", "010190-1234", "01.01.90-1234", "01-01-1990-1234")}) == 1


def test_numbers_that_are_not_cpr_numbers_stay():
    for text in ("beløb 12345678901", "3213001234", "1.234.567", "2023-01-04", "04-01-2021", "tlf. 12 34 56 78",
                 "1.234,5 fuldtidspersoner"):
        assert privacy.mask(text) == text, text


def test_case_numbers_are_spared_where_asked():
    for case in ("sag 27-010203-1234", "27.69.08-P20-1-23", "23-152837-00.00.00-A00", "330-2019-283408"):
        assert privacy.mask(case, whole=True, spare_case_numbers=True) == case, case
    assert privacy.masked_lines("a\nsag 010203-1234.\nb 01.02.03 1234", whole=True, spare_case_numbers=True) \
        == ("a\nsag XXXXXX-XXXX.\nb XXXXXX-XXXX", [2, 3])
    assert privacy.mask("sag 27-010203-1234") == "sag 27-010203-XXXX"  # everywhere else: rather too much


def test_log_records_are_masked_message_and_traceback(caplog):
    privacy.mask_logs()
    log = logging.getLogger("maaltal.test")
    with caplog.at_level(logging.INFO):
        log.info("bruger %s loggede ind", "010190 1234")
        try:
            raise ValueError("celle 31-12-1990-1234")
        except ValueError:
            log.exception("fejl")
    assert "1234" not in caplog.text and "010190-XXXX" in caplog.text and "311290-XXXX" in caplog.text


def test_a_cpr_number_in_any_form_in_a_cli_comment_is_not_in_the_store_file(tmp_path):
    from maaltal.store import Store

    store_path = tmp_path / "maaltal.duckdb"
    with Store.open(store_path):
        pass
    catalogue = Path(__file__).parents[1] / "examples" / "gladsaxe-2023.yaml"
    result = run_cli("--store", str(store_path), "goals", "comment", str(catalogue), "--goal", "opkvalificering",
                     "--period", "2023M09", "--author", "sagsbehandler 010190 1234",
                     "--text", "Borgerne " + ", ".join(EVERY_FORM) + " er kommet i job.")
    assert result.returncode == 0, result.stderr
    with Store.open(store_path) as store:
        text, author = store.connection.execute("SELECT text, author FROM goal_comments").fetchone()
    assert text == "Borgerne " + ", ".join(["XXXXXX-XXXX"] * len(EVERY_FORM)) + " er kommet i job."
    assert author == "sagsbehandler XXXXXX-XXXX"
    data = b"".join(f.read_bytes() for f in tmp_path.glob("maaltal.duckdb*"))
    assert not any(form.encode() in data for form in EVERY_FORM) and b"1234" not in data
