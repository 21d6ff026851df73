"""The editors' report in a real headless Chromium (Debian's chromium and chromium-driver, via selenium).

Scans the invented sample corpus in data/ with --report, opens the file, and checks what an editor
does: the page loads without console errors, a copy opens to its diff, the relation filter hides the
other copies, the search narrows the groups, article text stays text. Saves docs/report.png, the
screenshot the README shows.
"""
from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from dedup.cli import main

pytestmark = pytest.mark.browser

REPO = Path(__file__).resolve().parents[1]
CHROMIUM, CHROMEDRIVER = Path("/usr/bin/chromium"), Path("/usr/bin/chromedriver")
SCREENSHOT = REPO / "docs" / "report.png"


@pytest.fixture(scope="module")
def browser(tmp_path_factory):
    if not CHROMIUM.exists() or not CHROMEDRIVER.exists():
        pytest.skip("needs Debian's chromium and chromium-driver (/usr/bin/chromium, /usr/bin/chromedriver): "
                    "apt-get install -y chromium chromium-driver")
    webdriver = pytest.importorskip("selenium.webdriver", reason="needs selenium (pip install selenium)")
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = str(CHROMIUM)
    for arg in ("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--disable-dev-shm-usage", "--window-size=1400,1000", "--hide-scrollbars",
                f"--user-data-dir={tmp_path_factory.mktemp('chromium-profile')}"):
        options.add_argument(arg)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    driver = webdriver.Chrome(service=Service(str(CHROMEDRIVER)), options=options)
    driver.set_page_load_timeout(60)
    yield driver
    driver.quit()


@pytest.fixture(scope="module")
def report(tmp_path_factory) -> Path:
    corpus = REPO / "data" / "corpus.jsonl"
    if not corpus.exists():
        pytest.skip("data/corpus.jsonl (the sample corpus) is absent")
    out = tmp_path_factory.mktemp("scan")
    done = CliRunner().invoke(main, ["scan", str(corpus), "-o", str(out / "o"), "--report", str(out / "report.html"),
                                     "-q", "--workers", "1"])
    assert done.exit_code == 0, done.output
    return out / "report.html"


def errors(driver) -> list[dict]:
    return [e for e in driver.get_log("browser") if e.get("level") == "SEVERE"]


def displayed(driver, css: str) -> list:
    from selenium.webdriver.common.by import By

    return [e for e in driver.find_elements(By.CSS_SELECTOR, css) if e.is_displayed()]


def open_member(driver, relation: str | None = None):
    """Click the first copy (of `relation`, if given) and return its <details> once its diff is built."""
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import WebDriverWait

    which = f'[data-relation="{relation}"]' if relation else ':not([data-relation="source"])'
    row = displayed(driver, f"details.member{which}:not([open]) > summary")[0]
    driver.execute_script("arguments[0].scrollIntoView({block: 'center'})", row)
    row.click()
    details = row.find_element(By.XPATH, "..")
    WebDriverWait(driver, 10).until(lambda d: details.find_element(By.CSS_SELECTOR, ".diff").get_attribute("data-done"))
    return details


def test_page_loads_opens_a_diff_and_filters(browser, report):
    from selenium.webdriver.common.by import By

    browser.get(report.as_uri())
    assert browser.title == "dedup report"
    assert errors(browser) == []
    groups = displayed(browser, "section.group")
    assert len(groups) >= 3
    assert not displayed(browser, ".diff .body")  # no diff is built before it is opened

    details = open_member(browser, "edited")
    marks = [e for e in details.find_elements(By.CSS_SELECTOR, ".diff del, .diff ins") if e.is_displayed()]
    assert marks, "an edited copy shows its changed phrases"
    assert any(e.tag_name == "del" and e.text.strip() for e in marks)
    assert any(e.tag_name == "ins" and e.text.strip() for e in marks)

    source = open_member(browser, "source")
    body = source.find_element(By.CSS_SELECTOR, ".diff .body")
    assert body.text.strip() and not body.find_elements(By.CSS_SELECTOR, "del, ins")  # the source as published
    source.find_element(By.CSS_SELECTOR, "summary").click()  # closed again

    # screenshot for the README: the overview and a group with an opened diff
    browser.execute_script("window.scrollTo(0, 0)")
    browser.set_window_size(1400, 1700)
    SCREENSHOT.parent.mkdir(exist_ok=True)
    assert browser.save_screenshot(str(SCREENSHOT))
    browser.set_window_size(1400, 1000)

    # only rewrites: every other copy is hidden, and groups without a rewrite too
    for box in browser.find_elements(By.CSS_SELECTOR, 'input[name="relation"]'):
        if (box.get_attribute("value") == "rewrite") != box.is_selected():
            box.click()
    shown = displayed(browser, "details.member")
    assert shown and {e.get_attribute("data-relation") for e in shown} == {"source", "rewrite"}
    visible = displayed(browser, "section.group")
    assert 0 < len(visible) < len(groups)
    assert all(g.find_elements(By.CSS_SELECTOR, 'details.member[data-relation="rewrite"]') for g in visible)
    assert browser.find_element(By.ID, "shown").text == f"{len(visible)} of {len(groups)} groups"
    for box in browser.find_elements(By.CSS_SELECTOR, 'input[name="relation"]'):
        if not box.is_selected():
            box.click()
    assert len(displayed(browser, "section.group")) == len(groups)
    assert errors(browser) == []


def test_search_narrows_the_groups_to_matching_text(browser, report):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import WebDriverWait

    browser.get(report.as_uri())
    total = len(displayed(browser, "section.group"))
    first = browser.find_element(By.CSS_SELECTOR, "section.group .dtitle").text
    search = browser.find_element(By.ID, "search")
    search.send_keys(first[:30])
    WebDriverWait(browser, 10).until(lambda d: len(displayed(d, "section.group")) < total)
    assert any(first in g.text for g in displayed(browser, "section.group"))
    search.clear()
    search.send_keys("a phrase no article of the sample corpus holds")
    WebDriverWait(browser, 10).until(lambda d: not displayed(d, "section.group"))
    assert errors(browser) == []


def test_article_text_is_shown_as_text(browser, tmp_path):
    from selenium.common.exceptions import NoAlertPresentException
    from selenium.webdriver.common.by import By

    wire = ("Ferry crews on the Ostrel coast returned to work on Friday after the operator agreed to hire "
            "twenty more deckhands, the crews' spokeswoman Ilse Varnow said.\n\nThe walkout had stranded "
            "island residents for four days and left a lorry queue three kilometres long at the terminal.")
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "wire.txt").write_text(wire, encoding="utf-8")
    (folder / "copy.txt").write_text(wire + "\n\n<script>alert('dedup-xss')</script><b>bold?</b>", encoding="utf-8")
    page = tmp_path / "report.html"
    done = CliRunner().invoke(main, ["scan", str(folder), "--report", str(page), "-q", "--workers", "1"])
    assert done.exit_code == 0, done.output
    browser.get(page.as_uri())
    details = open_member(browser)
    body = details.find_element(By.CSS_SELECTOR, ".diff .body")
    assert "<script>alert('dedup-xss')</script><b>bold?</b>" in body.text
    assert not body.find_elements(By.CSS_SELECTOR, "script, b")
    with pytest.raises(NoAlertPresentException):
        browser.switch_to.alert.text
    assert errors(browser) == []

