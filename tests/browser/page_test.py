"""Drives ownup's page in headless Chromium, as a person would: types a draft with a known
deflection, waits for the underline and the score, reads the note on the mark (by pointer and
by moving the cursor into it), checks what is missing, picks a breakdown line, uses the
buttons, tabs through the controls, checks contrast, and saves screenshots at desktop and
phone width.

    python page_test.py OWNUP_BINARY SCREENSHOT_DIR [README_SCREENSHOT]

Chromium is the distribution's (`chromium` on PATH, or CHROMIUM); Playwright only drives it.
Prints one line per check and ends with `N passed, N failed`.
"""

import json
import os
import re
import shutil
import subprocess
import sys
import threading
import urllib.request

from playwright.sync_api import sync_playwright, expect

# The draft the test types: a conditional ("sorry if") and a blame shift, no repair.
DRAFT = "I'm sorry if you were upset, but you made me do it."
QUOTED = 'He keeps saying it was "just a joke". It was not: I am sorry I laughed along.'
CHROMIUM_FLAGS = [
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]

results = []


def check(name, fn):
    try:
        fn()
        results.append((name, None))
        print(f"ok    {name}", flush=True)
    except Exception as e:  # a failed check must not hide the others
        results.append((name, e))
        print(f"FAIL  {name}: {e}", flush=True)


def start_server(binary):
    proc = subprocess.Popen(
        [binary, "serve", "--port", "0"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        stdin=subprocess.DEVNULL,
        text=True,
    )
    line = proc.stdout.readline()
    m = re.search(r"http://\S+", line)
    if not m:
        proc.kill()
        raise SystemExit(f"the server printed no URL: {line!r} {proc.stderr.read()}")
    return proc, m.group(0)


def api_report(url, text):
    req = urllib.request.Request(
        url + "api/analyze",
        data=json.dumps({"text": text}).encode(),
        headers={"Content-Type": "application/json"},
    )
    with urllib.request.urlopen(req, timeout=30) as res:
        return json.load(res)


def luminance(rgb):
    def channel(c):
        c = c / 255
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (channel(c) for c in rgb)
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


# Every visible element with its own text: its colour and the first opaque background
# behind it, and whether its text counts as large (WCAG: 24px, or 18.66px bold).
CONTRAST_JS = """
() => {
  const parse = (c) => (c.match(/[\\d.]+/g) || []).map(Number);
  const out = [];
  for (const node of document.querySelectorAll('body *')) {
    const own = [...node.childNodes].some((n) => n.nodeType === 3 && n.textContent.trim());
    if (!own) continue;
    const style = getComputedStyle(node);
    const box = node.getBoundingClientRect();
    if (style.visibility === 'hidden' || box.width === 0 || box.height === 0) continue;
    if (node.closest('.visually-hidden, .backdrop, [hidden]')) continue;
    let bg = null;
    for (let p = node; p; p = p.parentElement) {
      const c = parse(getComputedStyle(p).backgroundColor);
      if (c.length >= 3 && (c.length === 3 || c[3] > 0.5)) { bg = c.slice(0, 3); break; }
    }
    const size = parseFloat(style.fontSize);
    const bold = parseInt(style.fontWeight, 10) >= 700;
    out.push({
      text: node.textContent.trim().slice(0, 40),
      fg: parse(style.color).slice(0, 3),
      alpha: (parse(style.color)[3] ?? 1) * parseFloat(style.opacity),
      bg: bg || [255, 255, 255],
      large: size >= 24 || (bold && size >= 18.66),
    });
  }
  return out;
}
"""


def contrast_failures(page):
    bad = []
    for item in page.evaluate(CONTRAST_JS):
        if item["alpha"] < 0.99:
            continue  # placeholder and disabled text are not read as content
        a, b = luminance(item["fg"]), luminance(item["bg"])
        ratio = (max(a, b) + 0.05) / (min(a, b) + 0.05)
        need = 3.0 if item["large"] else 4.5
        if ratio < need:
            bad.append(f"{item['text']!r} {ratio:.2f} < {need}")
    return bad


def main():
    if len(sys.argv) < 3:
        raise SystemExit(__doc__)
    binary, shots = sys.argv[1], sys.argv[2]
    readme_shot = sys.argv[3] if len(sys.argv) > 3 else None
    os.makedirs(shots, exist_ok=True)
    chromium = os.environ.get("CHROMIUM") or shutil.which("chromium")
    if not chromium:
        raise SystemExit("chromium not found (install the distribution's chromium package)")
    server, url = start_server(binary)
    # Drain the server's stderr so it never blocks, and keep it for the no-logging check.
    err_lines = []
    threading.Thread(target=lambda: err_lines.extend(server.stderr), daemon=True).start()
    expected = api_report(url, DRAFT)
    conditional = next(f for f in expected["findings"] if f["category"] == "conditional")
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=chromium, args=CHROMIUM_FLAGS)
            run_checks(browser, url, expected, conditional, shots, readme_shot)
            browser.close()
    finally:
        server.terminate()
        server.wait(timeout=60)
    check("the server logged no text", lambda: no_text_in(err_lines))
    failed = sum(1 for _, e in results if e)
    print(f"browser: {len(results) - failed} passed, {failed} failed")
    sys.exit(1 if failed else 0)


def no_text_in(lines):
    assert not any("made me" in l for l in lines), lines


def run_checks(browser, url, expected, conditional, shots, readme_shot):
    page = browser.new_page(viewport={"width": 1280, "height": 860})
    problems = []
    page.on("pageerror", lambda e: problems.append(f"page error: {e}"))
    page.on("console", lambda m: problems.append(f"console {m.type}: {m.text}") if m.type in ("error", "warning") else None)
    page.on("requestfailed", lambda r: problems.append(f"request failed: {r.url}"))
    page.on("request", lambda r: None if r.url.startswith(url) or r.url.startswith("data:") else problems.append(f"request elsewhere: {r.url}"))
    page.goto(url)

    draft = page.get_by_role("textbox", name="Your draft")

    def labels():
        expect(draft).to_be_visible()
        for name in ["Try a sample", "Copy JSON report", "Clear"]:
            expect(page.get_by_role("button", name=name)).to_be_visible()
        expect(page.get_by_role("status")).to_have_count(1)
        for heading in ["Suggestions", "What is missing", "Breakdown"]:
            expect(page.get_by_role("heading", name=heading)).to_be_visible()

    check("controls have names a screen reader reads", labels)

    def type_and_wait():
        draft.click()
        page.keyboard.type(DRAFT, delay=15)
        page.wait_for_selector(".backdrop .mark.def", timeout=15000)
        expect(page.locator("#score-value")).to_have_text(str(expected["score"]), timeout=15000)
        expect(page.locator("#verdict")).to_have_text(re.compile("Deflecting", re.I))

    check("typing a draft underlines the deflection and shows the score", type_and_wait)

    def underline_colour():
        mark = page.locator(".backdrop .mark.def").first
        style = mark.evaluate("m => getComputedStyle(m).textDecorationStyle + ' ' + getComputedStyle(m).textDecorationLine")
        assert "wavy" in style and "underline" in style, style
        colours = set(page.locator(".backdrop .mark.def").evaluate_all("ms => ms.map(m => getComputedStyle(m).textDecorationColor)"))
        assert len(colours) >= 2, f"categories share a colour: {colours}"
        assert page.locator(".backdrop .mark.own").count() >= 1, "ownership is marked too"

    check("deflections are underlined in their category's colour, ownership shaded", underline_colour)

    tip = page.locator("#tooltip")

    def hover_note():
        mark = page.locator(".backdrop .mark.def").filter(has_text="if you were upset").first
        box = mark.bounding_box()
        page.mouse.move(box["x"] + box["width"] * 0.6, box["y"] + box["height"] / 2)
        expect(tip).to_be_visible()
        expect(tip).to_contain_text(conditional["message"])
        expect(tip).to_contain_text(conditional["suggestion"])
        page.mouse.move(5, 5)
        expect(tip).to_be_hidden()

    check("pointing at a mark shows its message and suggestion", hover_note)

    def caret_note():
        draft.focus()
        page.keyboard.press("Control+Home")
        start = DRAFT.index("upset")
        for _ in range(start):
            page.keyboard.press("ArrowRight")
        expect(tip).to_be_visible()
        expect(tip).to_contain_text(conditional["message"])
        expect(page.locator("#mark-announce")).to_contain_text(conditional["message"])
        page.keyboard.press("Escape")
        expect(tip).to_be_hidden()

    check("moving the cursor into a mark shows and announces its note", caret_note)

    def missing():
        items = page.locator("#missing li")
        expect(items.filter(has_text="Responsibility")).to_have_count(1)
        expect(items.filter(has_text="Repair")).to_have_count(1)
        expect(items.filter(has_text="Regret")).to_have_count(0)

    check("what is missing lists the absent components", missing)

    def suggestions_in_order():
        texts = page.locator("#suggestions li").all_inner_texts()
        assert len(texts) >= 2, texts
        costs = {f["category"]: 0 for f in expected["findings"]}
        for c in expected["contributions"]:
            if c["points"] < 0:
                costs[expected["findings"][c["finding"]]["category"]] += -c["points"]
        first = max((f for f in expected["findings"] if f["kind"] == "deflection"), key=lambda f: costs[f["category"]])
        assert first["suggestion"] in texts[0], (texts[0], first["suggestion"])

    check("suggestions come costliest first", suggestions_in_order)

    def breakdown_selects():
        rows = page.locator("#breakdown button")
        assert rows.count() == len(expected["contributions"]), rows.count()
        row = rows.filter(has_text="Conditional").first
        row.click()
        selected = draft.evaluate("t => t.value.slice(t.selectionStart, t.selectionEnd)")
        assert selected == conditional["text"], selected
        total = sum(c["points"] for c in expected["contributions"])
        expect(page.locator("#breakdown .total")).to_contain_text(str(total))

    check("each breakdown line selects its phrase in the draft", breakdown_selects)

    page.mouse.move(5, 5)
    page.keyboard.press("Escape")

    def copy_json():
        page.context.grant_permissions(["clipboard-read", "clipboard-write"], origin=url.rstrip("/"))
        page.get_by_role("button", name="Copy JSON report", exact=True).click()
        expect(page.get_by_role("status")).to_have_text(re.compile("Copied"))
        copied = json.loads(page.evaluate("navigator.clipboard.readText()"))
        assert copied == expected, "the copied report is the API's"

    check("copy JSON puts the report on the clipboard", copy_json)

    def keyboard_only():
        page.goto(url)
        order = []
        for _ in range(5):
            page.keyboard.press("Tab")
            order.append(page.evaluate("document.activeElement.id || document.activeElement.className || document.activeElement.tagName"))
            ring = page.evaluate("getComputedStyle(document.activeElement).outlineStyle")
            assert ring != "none", f"no focus ring on {order[-1]}"
        # Copy is disabled until there is a report, so it is skipped.
        assert order == ["skip", "draft", "sample", "clear", "A"], order
        # Back to the sample button, and use it by keyboard.
        page.keyboard.press("Shift+Tab")
        while page.evaluate("document.activeElement.id") != "sample":
            page.keyboard.press("Shift+Tab")
        page.keyboard.press("Enter")
        expect(page.locator("#score-value")).not_to_have_text("–", timeout=15000)
        expect(draft).not_to_have_value("")
        page.keyboard.press("Tab")
        assert page.evaluate("document.activeElement.id") == "copy", "copy is enabled and next"
        # Results are reachable: tab on until a breakdown line has focus, then pick it.
        for _ in range(40):
            page.keyboard.press("Tab")
            if page.evaluate("!!document.activeElement.closest('#breakdown')"):
                break
        assert page.evaluate("!!document.activeElement.closest('#breakdown')"), "no breakdown line by Tab"
        expect(tip).to_be_visible()
        page.keyboard.press("Enter")
        assert page.evaluate("document.activeElement.id") == "draft"
        assert draft.evaluate("t => t.selectionEnd > t.selectionStart")

    check("everything works by keyboard alone", keyboard_only)

    def reported_speech():
        page.get_by_role("button", name="Clear", exact=True).click()
        draft.fill(QUOTED)
        page.wait_for_selector(".backdrop .mark.rep", timeout=15000)
        expect(page.locator("#reported-section")).to_be_visible()
        mark = page.locator(".backdrop .mark.rep").first
        box = mark.bounding_box()
        page.mouse.move(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
        expect(tip).to_contain_text("not counted")
        page.mouse.move(5, 5)

    check("quoted and reported speech is shown as such", reported_speech)

    def clearing():
        page.get_by_role("button", name="Clear", exact=True).click()
        expect(page.locator("#score-value")).to_have_text("–")
        expect(page.locator(".backdrop .mark")).to_have_count(0)
        expect(page.get_by_role("button", name="Copy JSON report", exact=True)).to_be_disabled()

    check("clearing the draft clears the results", clearing)

    def contrast():
        page.get_by_role("button", name=re.compile("sample")).click()
        expect(page.locator("#score-value")).not_to_have_text("–", timeout=15000)
        bad = contrast_failures(page)
        assert not bad, bad

    check("text has readable contrast (WCAG AA)", contrast)

    def screenshots():
        # The README's picture: a deflecting draft with the note on its first deflection.
        page.get_by_role("button", name="Clear", exact=True).click()
        draft.fill(DRAFT + " It was just a joke, and I was having a terrible week.")
        page.wait_for_selector(".backdrop .mark.def", timeout=15000)
        expect(page.locator("#score-value")).not_to_have_text("–", timeout=15000)
        page.evaluate("document.querySelector('.results').scrollTop = 0")
        mark = page.locator(".backdrop .mark.def").filter(has_text="if you were upset").first
        box = mark.bounding_box()
        page.mouse.move(box["x"] + box["width"] * 0.6, box["y"] + box["height"] / 2)
        expect(tip).to_be_visible()
        path = os.path.join(shots, "desktop.png")
        page.screenshot(path=path)
        if readme_shot:
            os.makedirs(os.path.dirname(readme_shot) or ".", exist_ok=True)
            shutil.copyfile(path, readme_shot)

    check("desktop screenshot", screenshots)

    def phone():
        page.set_viewport_size({"width": 390, "height": 844})
        page.mouse.move(5, 5)
        page.keyboard.press("Escape")
        wide = page.evaluate("document.documentElement.scrollWidth")
        assert wide <= 390, f"the page is {wide}px wide on a 390px screen"
        box = draft.bounding_box()
        assert box["width"] >= 300, box
        expect(page.locator("#mini-score")).to_be_visible()
        small = page.evaluate("[...document.querySelectorAll('button')].filter(b => b.offsetParent && b.getBoundingClientRect().height < 40 && !b.closest('.breakdown, .suggestions')).map(b => b.textContent)")
        assert not small, f"buttons too small to tap: {small}"
        page.screenshot(path=os.path.join(shots, "phone.png"), full_page=True)

    check("it fits a phone screen", phone)

    check("no page errors, failed requests or requests elsewhere", lambda: _assert_empty(problems))


def _assert_empty(xs):
    assert not xs, xs


if __name__ == "__main__":
    main()
