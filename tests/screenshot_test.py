#!/usr/bin/env python3
"""Screenshot test of the HTML review (issue 19): hot spots, action plan and comparison.

Writes a review with --profile and --compare over tests/profile/app.py, renders it in headless
Chromium, and checks what a person would see:

- the screenshot is a PNG of the window's size that is not blank (enough distinct colours, and
  text or bars over a real part of it), read with zlib alone (no PIL on a bare CI image);
- the DOM Chromium built (--dump-dom) has the hot spots, action plan and comparison sections
  with their content, and references no asset on another host: the review is one file that must
  open offline and leak nothing to a third party.

Usage: screenshot_test.py PERFSCAN CHROMIUM [--keep DIR]
CHROMIUM may be empty: the test is then skipped (exit 77, ctest's SKIP_RETURN_CODE), so a
machine without a browser builds and tests; CI installs one (scripts/setup.sh).
"""
import argparse
import html.parser
import pathlib
import re
import shutil
import struct
import subprocess
import sys
import tempfile
import zlib

SKIP = 77
ROOT = pathlib.Path(__file__).resolve().parent.parent
PROFILES = ROOT / "tests" / "profile"
WIDTH, HEIGHT = 1280, 2400

# The previous review's code: render already joins (its finding is new now) and a CSV helper
# built a string with += (its finding is fixed now: the helper is gone).
BEFORE_RENDER = '''def render(rows):
    return "".join(f"<tr>{row}</tr>" for row in rows)
'''
LEGACY = '''

def legacy_csv(rows):
    out = ""
    for row in rows:
        out += ",".join(row) + "\\n"
    return out
'''


class Failure(Exception):
    pass


def check(condition, message):
    if not condition:
        raise Failure(message)


def run(command, cwd):
    # A bounded wait: a browser that hangs fails the test instead of stalling the suite.
    return subprocess.run(command, cwd=cwd, capture_output=True, text=True, timeout=120)


def write_review(perfscan, work):
    """The previous JSON report, then the HTML review with a profile and a comparison."""
    current = (PROFILES / "app.py").read_text()
    render_start = current.index("def render(rows):")
    render_end = current.index("class Report:")
    before = current[:render_start] + BEFORE_RENDER + "\n\n" + current[render_end:] + LEGACY
    (work / "app.py").write_text(before)
    first = run([perfscan, "--select", "ALL", "--no-cache", "--exit-zero", "--format", "json",
                 "-o", "before.json", "app.py"], work)
    check(first.returncode == 0, f"previous report: exit {first.returncode}: {first.stderr}")
    (work / "app.py").write_text(current)
    shutil.copy(PROFILES / "app.pyspy.txt", work / "app.pyspy.txt")
    review = run([perfscan, "--select", "ALL", "--no-cache", "--exit-zero", "--profile",
                  "app.pyspy.txt", "--compare", "before.json", "--format", "html", "-o",
                  "review.html", "app.py"], work)
    check(review.returncode == 0, f"review: exit {review.returncode}: {review.stderr}")
    return work / "review.html"


def chromium_command(chromium, work, *arguments):
    # --no-sandbox: CI containers run as root, where Chromium's sandbox refuses to start. A user
    # data folder of its own keeps parallel runs from sharing (and locking) one profile.
    return [chromium, "--headless", "--disable-gpu", "--no-sandbox", "--hide-scrollbars",
            f"--user-data-dir={work / 'chromium'}", *arguments]


def render(chromium, work, page):
    url = page.resolve().as_uri()
    png = work / "review.png"
    shot = run(chromium_command(chromium, work, f"--window-size={WIDTH},{HEIGHT}",
                                f"--screenshot={png}", url), work)
    check(shot.returncode == 0 and png.is_file(),
          f"chromium --screenshot: exit {shot.returncode}, no {png.name}: {shot.stderr[-2000:]}")
    dom = run(chromium_command(chromium, work, "--dump-dom", url), work)
    check(dom.returncode == 0 and "<html" in dom.stdout,
          f"chromium --dump-dom: exit {dom.returncode}: {dom.stderr[-2000:]}")
    return png, dom.stdout


# ---------------------------------------------------------------------------------------------
# PNG, with zlib only

def png_chunks(data):
    check(data[:8] == b"\x89PNG\r\n\x1a\n", "not a PNG signature")
    at = 8
    while at + 8 <= len(data):
        length, kind = struct.unpack(">I4s", data[at:at + 8])
        body = data[at + 8:at + 8 + length]
        check(len(body) == length, "truncated PNG chunk")
        yield kind, body
        at += 12 + length


def paeth(a, b, c):
    p = a + b - c
    pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
    if pa <= pb and pa <= pc:
        return a
    return b if pb <= pc else c


def unfilter(kind, row, previous, bpp):
    """One scanline's bytes from its filtered form (PNG spec, section 9)."""
    if kind == 0:
        return row
    out = bytearray(row)
    if kind == 1:
        for i in range(bpp, len(out)):
            out[i] = (out[i] + out[i - bpp]) & 0xFF
    elif kind == 2:
        out = bytearray((x + y) & 0xFF for x, y in zip(row, previous))
    elif kind == 3:
        for i in range(len(out)):
            left = out[i - bpp] if i >= bpp else 0
            out[i] = (out[i] + ((left + previous[i]) >> 1)) & 0xFF
    elif kind == 4:
        for i in range(len(out)):
            left = out[i - bpp] if i >= bpp else 0
            corner = previous[i - bpp] if i >= bpp else 0
            out[i] = (out[i] + paeth(left, previous[i], corner)) & 0xFF
    else:
        raise Failure(f"PNG filter type {kind} unknown")
    return bytes(out)


def read_png(path):
    """(width, height, rows of pixel bytes, bytes per pixel) of an 8-bit RGB or RGBA PNG."""
    header, compressed = None, b""
    for kind, body in png_chunks(path.read_bytes()):
        if kind == b"IHDR":
            header = struct.unpack(">IIBBBBB", body)
        elif kind == b"IDAT":
            compressed += body
    check(header is not None, "PNG without IHDR")
    width, height, depth, colour, _, _, interlace = header
    check(depth == 8 and colour in (2, 6) and interlace == 0,
          f"PNG of depth {depth}, colour type {colour}, interlace {interlace}: expected 8-bit "
          "RGB or RGBA, not interlaced")
    bpp = 3 if colour == 2 else 4
    raw = zlib.decompress(compressed)
    stride = width * bpp
    check(len(raw) == height * (stride + 1), "PNG data does not match its size")
    rows, previous = [], bytes(stride)
    for y in range(height):
        start = y * (stride + 1)
        previous = unfilter(raw[start], raw[start + 1:start + 1 + stride], previous, bpp)
        rows.append(previous)
    return width, height, rows, bpp


def check_screenshot(png):
    width, height, rows, bpp = read_png(png)
    check((width, height) == (WIDTH, HEIGHT),
          f"screenshot is {width}x{height}, expected the window's {WIDTH}x{HEIGHT}")
    colours = set()
    background = rows[0][:3]
    inked = 0
    for row in rows:
        pixels = {row[i:i + 3] for i in range(0, len(row), bpp)}
        colours |= pixels
        inked += any(p != background for p in pixels)
    # A blank page has one colour and no inked row; the review has text, badges and bars in a
    # few dozen colours (more with anti-aliasing) over most of its rows.
    check(len(colours) >= 32, f"screenshot has {len(colours)} distinct colours: blank?")
    check(inked >= height // 3, f"only {inked} of {height} rows differ from the background")
    return len(colours), inked


# ---------------------------------------------------------------------------------------------
# The DOM Chromium built

class Sections(html.parser.HTMLParser):
    """The text of each <section id=...>, and every URL an attribute or style refers to."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.text = {}
        self.current = []
        self.urls = []
        self.tags = set()
        self.in_style = False

    def handle_starttag(self, tag, attrs):
        self.tags.add(tag)
        attributes = dict(attrs)
        if tag == "section":
            self.current.append(attributes.get("id", ""))
            self.text.setdefault(self.current[-1], "")
        self.in_style = tag == "style"
        for name in ("src", "href", "srcset", "poster", "data", "action", "xlink:href"):
            if attributes.get(name):
                self.urls.append((tag, name, attributes[name]))
        if attributes.get("style"):
            self.urls.extend((tag, "style", url) for url in css_urls(attributes["style"]))

    def handle_endtag(self, tag):
        if tag == "section" and self.current:
            self.current.pop()
        if tag == "style":
            self.in_style = False

    def handle_data(self, data):
        if self.in_style:
            self.urls.extend(("style", "css", url) for url in css_urls(data))
        for section in self.current:
            self.text[section] += data


def css_urls(css):
    found = re.findall(r"url\(\s*['\"]?([^'\")]+)", css)
    found += re.findall(r"@import\s+['\"]([^'\"]+)", css)
    return found


def external(url):
    """A URL that leaves the file: another host (http, https, protocol-relative) or scheme."""
    url = url.strip().lower()
    return url.startswith(("http:", "https:", "//", "ftp:", "ws:", "wss:"))


def check_dom(dom):
    sections = Sections()
    sections.feed(dom)
    expected = {
        "hot-spots": ["Measured hot spots", "match_orders", "80.0%"],
        "action-plan": ["Action plan", "Quick wins", "PS106"],
        "changes": ["Changes since the last review", "before.json", "New", "Fixed"],
    }
    for section, phrases in expected.items():
        check(section in sections.text, f"no <section id={section!r}> in the DOM")
        for phrase in phrases:
            check(phrase in sections.text[section],
                  f"section {section!r} does not say {phrase!r}: {sections.text[section][:400]!r}")
    check("svg" in sections.tags, "no chart (<svg>) in the DOM")
    check("script" not in sections.tags, "a <script> in the review")
    leaks = [entry for entry in sections.urls if external(entry[2])]
    check(not leaks, f"external references: {leaks[:5]}")
    return sorted(sections.text)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("perfscan")
    parser.add_argument("chromium", nargs="?", default="")
    parser.add_argument("--keep", type=pathlib.Path, help="copy review.html and review.png here")
    args = parser.parse_args()
    if not args.chromium or not shutil.which(args.chromium):
        print("screenshot test skipped: no chromium (scripts/setup.sh installs it)")
        return SKIP
    with tempfile.TemporaryDirectory(prefix="perfscan-screenshot-") as folder:
        work = pathlib.Path(folder)
        try:
            page = write_review(str(pathlib.Path(args.perfscan).resolve()), work)
            png, dom = render(args.chromium, work, page)
            if args.keep:
                args.keep.mkdir(parents=True, exist_ok=True)
                shutil.copy(page, args.keep / "review.html")
                shutil.copy(png, args.keep / "review.png")
            colours, inked = check_screenshot(png)
            found = check_dom(dom)
        except (Failure, subprocess.TimeoutExpired) as error:
            print(f"screenshot test FAILED: {error}", file=sys.stderr)
            return 1
    print(f"screenshot {WIDTH}x{HEIGHT}: {colours} colours, {inked} inked rows; "
          f"sections {', '.join(found)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
