"""``track report --html``: one self-contained page with the JSON report's figures (issue 11).

The page is opened in a real headless browser (Debian's chromium): it must render without
console errors (the page's Content-Security-Policy turns any load from outside into one),
and every figure of the JSON report must be in the rendered page, in the cell that names
its place (``data-path``), with the same text. Skipped only where chromium is absent and
X12KIT_REQUIRE_BROWSER is not set (CI sets it).
"""
from __future__ import annotations

import json
import os
import shutil
import struct
import subprocess

import lxml.html
import pytest
from click.testing import CliRunner

from x12kit.cli import main
from x12kit.tracker.report_html import NO_VALUE, html_page

from .test_tracker_cli import FIXTURE_FILES, PHI
from .test_tracker_scenarios import FILES
from .tracker_support import database_url  # noqa: F401  (a fixture)

AS_OF = "2025-01-20"
PHONE = (390, 844)


def run(*args: str):
    result = CliRunner().invoke(main, list(args))
    assert result.exit_code == 0, result.output
    return result


def filled(url: str, folder, files: dict) -> None:
    for name, content in files.items():
        (folder / name).write_bytes(content)
    run("track", "ingest", "--db", url, *(str(folder / name) for name in files))


def report_json_and_page(url: str, folder) -> tuple[dict, str]:
    report = json.loads(run("track", "report", "--db", url, "--as-of", AS_OF, "--format",
                            "json").output)
    page = folder / "report.html"
    run("track", "report", "--db", url, "--as-of", AS_OF, "--html", str(page))
    return report, str(page)


def leaves(value, path: str = ""):
    """(JSON pointer, text as the page shows it) of every figure of the document."""
    if isinstance(value, dict):
        for key, inner in value.items():
            yield from leaves(inner, f"{path}/{key}")
    elif isinstance(value, list):
        for n, inner in enumerate(value):
            yield from leaves(inner, f"{path}/{n}")
    else:
        yield path, NO_VALUE if value is None else str(value)


def chromium() -> str:
    found = shutil.which("chromium") or shutil.which("chromium-browser")
    if found is None:
        if os.environ.get("X12KIT_REQUIRE_BROWSER"):
            pytest.fail("X12KIT_REQUIRE_BROWSER is set but chromium is not installed")
        pytest.skip("chromium is not installed (apt-get install chromium)")
    return found


def browse(page: str, profile, *extra: str) -> subprocess.CompletedProcess:
    """chromium --headless on the page, offline and quiet, console messages on stderr."""
    return subprocess.run(
        [chromium(), "--headless", "--no-sandbox", "--disable-gpu",
         "--disable-background-networking", "--disable-component-update", "--disable-sync",
         "--no-first-run", f"--user-data-dir={profile}", "--enable-logging=stderr", "--v=0",
         *extra, f"file://{page}"],
        capture_output=True, text=True, timeout=120, check=False)


def console_errors(stderr: str) -> list[str]:
    return [line for line in stderr.splitlines()
            if "Uncaught" in line or "ERROR:CONSOLE" in line or "Content Security" in line]


def test_the_browser_shows_every_figure_of_the_json_report(database_url, tmp_path):
    filled(database_url, tmp_path, FILES)
    report, page = report_json_and_page(database_url, tmp_path)
    shown = browse(page, tmp_path / "profile", "--dump-dom")
    assert shown.returncode == 0, shown.stderr[-2000:]
    assert console_errors(shown.stderr) == []
    dom = lxml.html.fromstring(shown.stdout)
    cells = {e.get("data-path"): e.text_content() for e in dom.xpath("//*[@data-path]")}
    assert cells == dict(leaves(report))
    # the scenarios have something in every section, so no section went missing quietly
    assert report["provider_adjustments"] and report["adjustments_by_carc"]
    assert report["unmatched"]["count"] == 2


def test_the_charts_are_inline_svg_with_the_report_amounts(database_url, tmp_path):
    filled(database_url, tmp_path, FILES)
    report, page = report_json_and_page(database_url, tmp_path)
    dom = lxml.html.fromstring(browse(page, tmp_path / "profile", "--dump-dom").stdout)
    charts = dom.xpath("//svg")
    assert len(charts) == 2
    aging = {e.get("data-chart-path"): e.text for e in charts[0].xpath(".//*[@data-chart-path]")}
    assert aging == {f"/aging/{n}/balance": a["balance"] for n, a in enumerate(report["aging"])}
    bars = charts[1].xpath(".//*[@data-chart-path]")
    amounts = [float(a["amount"]) for a in report["adjustments_by_carc"]]
    assert [float(b.text) for b in bars] == sorted(amounts, reverse=True)[:len(bars)]
    widths = [int(r.get("width")) for r in charts[1].xpath(".//rect")]
    assert widths == sorted(widths, reverse=True) and widths[0] > widths[-1]


def test_the_page_renders_at_phone_width(database_url, tmp_path):
    filled(database_url, tmp_path, FILES)
    _, page = report_json_and_page(database_url, tmp_path)
    picture = tmp_path / "phone.png"
    shot = browse(page, tmp_path / "profile", f"--screenshot={picture}",
                  f"--window-size={PHONE[0]},{PHONE[1]}", "--hide-scrollbars")
    assert shot.returncode == 0, shot.stderr[-2000:]
    assert console_errors(shot.stderr) == []
    header = picture.read_bytes()[:24]
    assert header[:8] == b"\x89PNG\r\n\x1a\n"
    assert struct.unpack(">II", header[16:24]) == PHONE
    text = open(page, encoding="utf-8").read()
    assert 'name="viewport"' in text and 'class="scroll"' in text


def test_the_page_loads_nothing_and_escapes_every_value(database_url, tmp_path):
    filled(database_url, tmp_path, FILES)
    report, _ = report_json_and_page(database_url, tmp_path)
    report["by_payer"][0]["payer_name"] = "<script>alert(1)</script> & <img src=x>"
    page = html_page(report)
    dom = lxml.html.fromstring(page)
    assert dom.xpath("//script | //img | //link | //iframe | //*[@src] | //*[@href]") == []
    cell = dom.xpath('//*[@data-path="/by_payer/0/payer_name"]')[0]
    assert cell.text_content() == report["by_payer"][0]["payer_name"]
    assert "default-src 'none'" in page


def test_the_fixtures_page_names_no_patient(tmp_path):
    url = f"sqlite:///{tmp_path / 'track.db'}"
    run("track", "ingest", "--db", url, *FIXTURE_FILES)
    _, page = report_json_and_page(url, tmp_path)
    text = open(page, encoding="utf-8").read()
    assert "SUMMIT HMO" in text               # the payer's name is there, the patients' not
    assert [word for word in PHI if word in text] == []


def test_a_page_that_cannot_be_written_is_one_line_and_exit_1(tmp_path):
    url = f"sqlite:///{tmp_path / 'track.db'}"
    result = CliRunner().invoke(main, ["track", "report", "--db", url, "--html",
                                       str(tmp_path / "no" / "such" / "r.html")])
    assert result.exit_code == 1
    assert "cannot write the report" in result.output
    assert "Traceback" not in result.output


def test_the_console_check_sees_a_page_that_loads_from_outside(tmp_path):
    """The check the tests above rely on: the report's policy blocks the load, and the
    browser's console says so."""
    page = tmp_path / "outside.html"
    text = html_page({"as_of": "2025-01-20", "by_payer": [], "aging": [],
                      "adjustments_by_carc": [],
                      "days_to_payment": {"claims": 0, "average": None, "least": None,
                                          "most": None},
                      "patient_balances": {"claims_with_patient_responsibility": 0,
                                           "total": "0.00", "largest": []},
                      "provider_adjustments": [], "unmatched": {"count": 0, "paid": "0.00"}})
    page.write_text(text.replace("</body>", '<img src="http://192.0.2.1/x.png"></body>'))
    shown = browse(str(page), tmp_path / "profile", "--dump-dom")
    assert console_errors(shown.stderr)
