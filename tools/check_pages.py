"""Read the built book in headless Chromium, as a reader would, and report what is broken.

After ``make book``:

    python tools/check_pages.py                       # checks _build/html
    python tools/check_pages.py --html DIR --out DIR  # another build; screenshots into --out

The built HTML is served on a loopback port (127.0.0.1 only) and every page of the book
(every ``*.html`` except ``genindex``, ``search``, ``py-modindex`` and what lies under
``_static``, ``_sources`` and ``_modules``) is opened in headless Chromium, driven through its
DevTools protocol with a small standard-library websocket client. A page fails when:

- the console shows an error: a JavaScript exception, ``console.error``, a failed request or
  an HTTP error status;
- the page asks for anything off the loopback server (the book promises to work offline);
- an ``<img>`` did not load (``naturalWidth`` is 0);
- math is not rendered offline: MathJax does not come from the build or does not finish, a
  math element holds no ``mjx-container``, or raw TeX is left in the text (``$$``, ``\\(``,
  ``\\[``, or ``$...$`` around a TeX command, subscript or superscript);
- a Colab launch link names a notebook that is not in the repository's ``book/`` folder (or,
  on a page of the Chinese edition under ``zh/``, in ``zh/book/``);
- a book page has no language switch (English ⇄ 中文), or its switch leads to a page that
  the build does not have.

One line per page (OK, or the problems), a summary, and a PNG screenshot per page (1280 wide,
the full page up to 16,000 pixels) under ``--out`` (default ``_build/screenshots``). Exit
status 1 when a page has a problem, else 0. A few console messages that come from the
toolchain rather than the book (``KNOWN_NOISE``, each with its reason) are listed in the summary
but do not fail a page. Without Chromium on the PATH (``chromium``, ``chromium-browser`` or
``google-chrome``) it says how to install it and exits 0, skipped.
"""

from __future__ import annotations

import argparse
import base64
import functools
import http.server
import json
import os
import re
import shutil
import socket
import struct
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BROWSERS = ("chromium", "chromium-browser", "google-chrome")
CHROMIUM_FLAGS = ("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                  "--disable-background-networking", "--disable-component-update",
                  "--disable-sync", "--disable-extensions", "--mute-audio", "--hide-scrollbars",
                  "--remote-debugging-port=0",
                  # Nothing off the loopback server resolves, so an outside request fails fast.
                  "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1")
SKIPPED_NAMES = {"genindex.html", "search.html", "py-modindex.html"}
SKIPPED_DIRS = {"_static", "_sources", "_modules"}
WIDTH, MAX_HEIGHT = 1280, 16000
FRAME_TIMEOUT = 30.0
START_TIMEOUT, LOAD_TIMEOUT, CHECK_TIMEOUT, SETTLE = 30.0, 20.0, 40.0, 0.4
# Console messages that come from the book's toolchain, not from its pages, and that a reader
# never notices. They are listed in the summary (so an upgrade that fixes them shows), not failed.
KNOWN_NOISE = (
    (re.compile(r"Identifier 'THEBE_JS_URL' has already been declared"),
     "sphinx-thebe 0.3.1 writes its inline `const THEBE_JS_URL` config into each page twice; "
     "the first one holds, so nothing breaks"),
    (re.compile(r"Got invalid theme mode: \. Resetting to auto"),
     "pydata-sphinx-theme on a first visit (empty localStorage); it resets to auto itself"),
    (re.compile(r"HTTP 404: http://127\.0\.0\.1:\d+/favicon\.ico$"),
     "the browser asks for /favicon.ico; the book sets no favicon"),
)
COLAB_PATH = re.compile(r"colab\.research\.google\.com/github/[^/]+/[^/]+/blob/[^/]+/([^?#]+)")

# Runs in the page after its load event; waits (bounded) for MathJax and the images, then
# returns what the checks need. Every wait is raced against a timer.
PAGE_CHECKS_JS = r"""
(async () => {
  const within = (promise, ms) => Promise.race([promise, new Promise(r => setTimeout(r, ms))]);
  const sleep = ms => new Promise(r => setTimeout(r, ms));
  const mathjaxScripts = [...document.scripts].map(s => s.src).filter(s => /mathjax/i.test(s));
  const mathElements = [...document.querySelectorAll(".math")];
  let mathjax = "absent";
  if (mathjaxScripts.length) {
    for (let i = 0; i < 100 && !(window.MathJax && MathJax.startup && MathJax.startup.promise); i++)
      await sleep(100);
    if (window.MathJax && MathJax.startup && MathJax.startup.promise) {
      mathjax = await within(MathJax.startup.promise.then(() => "typeset"), 10000) || "timeout";
    } else { mathjax = "not started"; }
  }
  const images = [...document.images];
  images.forEach(img => { img.loading = "eager"; });
  const settled = img => img.complete ? null : new Promise(r => {
    img.addEventListener("load", r); img.addEventListener("error", r); });
  await within(Promise.all(images.map(settled)), 8000);
  const skip = "script, style, pre, code, textarea, mjx-container, .math, .highlight";
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  const rawTex = [];
  for (let node; (node = walker.nextNode()); ) {
    if (node.parentElement && node.parentElement.closest(skip)) continue;
    const text = node.textContent;
    // $$, \(, \[ or an inline $...$ holding a TeX command, a subscript or a superscript
    if (/\$\$|\\\(|\\\[|\$(?!\s)[^$\n]*?(\\[A-Za-z]+|[_^])[^$\n]*?(?<!\s)\$/.test(text))
      rawTex.push(text.trim().slice(0, 80));
  }
  return {
    url: location.href,
    mathjax, mathjaxScripts,
    mathElements: mathElements.length,
    mathUnrendered: mathElements.filter(e => !e.querySelector("mjx-container")).length,
    mjxContainers: document.querySelectorAll("mjx-container").length,
    rawTex,
    images: images.length,
    brokenImages: images.filter(img => !(img.complete && img.naturalWidth > 0))
                        .map(img => img.getAttribute("src")),
    colabLinks: [...document.querySelectorAll("a[href*='colab.research.google.com']")]
                   .map(a => a.href),
    languageLinks: [...document.querySelectorAll(".mmtutor-language-switch a[hreflang]")]
                   .map(a => a.href),
  };
})()
"""

# Before a screenshot: stop the theme's transitions and settle the layout. Without this, the
# capture (which lays the page out again at its full height) can catch the sidebars halfway
# through a slide, shifting the whole page sideways.
STILL_JS = r"""
(async () => {
  const style = document.createElement("style");
  style.textContent = "*, *::before, *::after { transition: none !important; "
                      + "animation: none !important; scroll-behavior: auto !important; }";
  document.head.appendChild(style);
  void document.body.offsetHeight;
  await new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)));
})()
"""


# ---------------------------------------------------------------------------------------------
# A websocket client, just enough for the DevTools protocol (RFC 6455, text frames, no
# extensions).


class WebSocket:
    """A blocking websocket connection to ``ws://host:port/path``."""

    def __init__(self, url: str, timeout: float = 10.0):
        parts = urllib.parse.urlsplit(url)
        self.sock = socket.create_connection((parts.hostname, parts.port), timeout=timeout)
        key = base64.b64encode(os.urandom(16)).decode()
        self.sock.sendall((f"GET {parts.path} HTTP/1.1\r\nHost: {parts.netloc}\r\n"
                           "Upgrade: websocket\r\nConnection: Upgrade\r\n"
                           f"Sec-WebSocket-Key: {key}\r\nSec-WebSocket-Version: 13\r\n\r\n")
                          .encode())
        head = b""
        while b"\r\n\r\n" not in head:
            chunk = self.sock.recv(4096)
            if not chunk:
                raise ConnectionError("the websocket handshake was cut short")
            head += chunk
        head, self.buffer = head.split(b"\r\n\r\n", 1)
        if b" 101 " not in head.split(b"\r\n", 1)[0]:
            raise ConnectionError(f"websocket refused: {head.decode(errors='replace')}")

    def send(self, text: str) -> None:
        """Send one masked text frame."""
        payload, mask = text.encode(), os.urandom(4)
        size = len(payload)
        if size < 126:
            header = struct.pack("!BB", 0x81, 0x80 | size)
        elif size < 1 << 16:
            header = struct.pack("!BBH", 0x81, 0x80 | 126, size)
        else:
            header = struct.pack("!BBQ", 0x81, 0x80 | 127, size)
        masked = bytes(b ^ mask[i % 4] for i, b in enumerate(payload))
        self.sock.sendall(header + mask + masked)

    def _read(self, size: int) -> bytes:
        while len(self.buffer) < size:
            chunk = self.sock.recv(max(65536, size - len(self.buffer)))
            if not chunk:
                raise ConnectionError("the browser closed the connection")
            self.buffer += chunk
        data, self.buffer = self.buffer[:size], self.buffer[size:]
        return data

    def recv(self, timeout: float) -> str:
        """The next text message; ``socket.timeout`` when none comes within ``timeout``."""
        message = b""
        while True:
            self.sock.settimeout(max(timeout, 0.01) if not message else FRAME_TIMEOUT)
            first, second = self._read(2)
            self.sock.settimeout(FRAME_TIMEOUT)  # once a frame has begun, read all of it
            size = second & 0x7F
            if size == 126:
                size = struct.unpack("!H", self._read(2))[0]
            elif size == 127:
                size = struct.unpack("!Q", self._read(8))[0]
            payload = self._read(size)
            opcode = first & 0x0F
            if opcode == 0x8:
                raise ConnectionError("the browser closed the connection")
            if opcode == 0x9:  # ping: the server expects a pong with the same payload
                self.sock.sendall(struct.pack("!BB", 0x8A, 0x80 | len(payload)) + b"\0" * 4
                                  + payload)
                continue
            if opcode in (0x0, 0x1, 0x2):
                message += payload
                if first & 0x80:
                    return message.decode()

    def close(self) -> None:
        self.sock.close()


class DevTools:
    """Commands to one page target, and the events it sends, over the DevTools protocol."""

    def __init__(self, ws_url: str):
        self.ws = WebSocket(ws_url)
        self.next_id = 0
        self.events: list[dict] = []

    def _receive(self, deadline: float) -> dict | None:
        try:
            return json.loads(self.ws.recv(deadline - time.monotonic()))
        except TimeoutError:  # socket.timeout is TimeoutError
            return None

    def call(self, method: str, timeout: float = 10.0, **params) -> dict:
        """Send a command and return its result, keeping the events that arrive meanwhile."""
        self.next_id += 1
        self.ws.send(json.dumps({"id": self.next_id, "method": method, "params": params}))
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            message = self._receive(deadline)
            if message is None:
                break
            if message.get("id") == self.next_id:
                if "error" in message:
                    raise RuntimeError(f"{method}: {message['error'].get('message')}")
                return message["result"]
            if "method" in message:
                self.events.append(message)
        raise TimeoutError(f"{method} got no answer within {timeout:.0f} s")

    def wait_for(self, event: str, timeout: float) -> bool:
        """Wait for an event not seen yet; True if it came (it is taken off the list)."""
        for i, message in enumerate(self.events):
            if message["method"] == event:
                del self.events[i]
                return True
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            message = self._receive(deadline)
            if message is None:
                break
            if message.get("method") == event:
                return True
            if "method" in message:
                self.events.append(message)
        return False

    def drain(self, seconds: float) -> None:
        """Collect the events that arrive within ``seconds``."""
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            message = self._receive(deadline)
            if message is None:
                break
            if "method" in message:
                self.events.append(message)


# ---------------------------------------------------------------------------------------------
# The server and the browser.


class QuietHandler(http.server.SimpleHTTPRequestHandler):
    """Serves the build without a log line per request."""

    def log_message(self, format, *args):  # noqa: A002 (the base class's signature)
        pass


def serve(html_dir: Path) -> tuple[http.server.ThreadingHTTPServer, str]:
    """Serve ``html_dir`` on a free loopback port, in a thread; returns the server and its URL."""
    handler = functools.partial(QuietHandler, directory=str(html_dir))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_address[1]}/"


def find_chromium() -> str | None:
    """The first Chromium-like browser on the PATH."""
    return next(filter(None, map(shutil.which, BROWSERS)), None)


def start_chromium(binary: str, profile: Path) -> tuple[subprocess.Popen, str]:
    """Start headless Chromium on a fresh profile; returns it and its DevTools HTTP address."""
    log = open(profile / "chromium.log", "wb")  # noqa: SIM115 (closed with the process)
    process = subprocess.Popen([binary, *CHROMIUM_FLAGS, f"--user-data-dir={profile}",
                                f"--window-size={WIDTH},2400", "about:blank"],
                               stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL)
    port_file, deadline = profile / "DevToolsActivePort", time.monotonic() + START_TIMEOUT
    while time.monotonic() < deadline and process.poll() is None:
        if port_file.exists() and port_file.read_text().strip():
            return process, f"http://127.0.0.1:{port_file.read_text().split()[0]}"
        time.sleep(0.2)
    process.kill()
    tail = (profile / "chromium.log").read_text(errors="replace")[-2000:]
    raise RuntimeError(f"Chromium did not open its DevTools port within {START_TIMEOUT:.0f} s:\n"
                       f"{tail}")


def open_page_target(devtools_http: str) -> DevTools:
    """Connect to the browser's page (the about:blank it started with) and enable its events."""
    deadline = time.monotonic() + START_TIMEOUT
    while time.monotonic() < deadline:
        with urllib.request.urlopen(f"{devtools_http}/json/list", timeout=5) as answer:
            pages = [t for t in json.load(answer) if t.get("type") == "page"]
        if pages:
            break
        time.sleep(0.2)
    else:
        raise RuntimeError("Chromium shows no page to drive")
    tab = DevTools(pages[0]["webSocketDebuggerUrl"])
    for domain in ("Page", "Runtime", "Log", "Network"):
        tab.call(f"{domain}.enable")
    tab.call("Emulation.setDeviceMetricsOverride", width=WIDTH, height=2400,
             deviceScaleFactor=1, mobile=False)
    return tab


# ---------------------------------------------------------------------------------------------
# One page.


def book_pages(html_dir: Path) -> list[Path]:
    """Every HTML page of the book, relative to ``html_dir``."""
    return sorted(path.relative_to(html_dir) for path in html_dir.rglob("*.html")
                  if path.name not in SKIPPED_NAMES
                  and not SKIPPED_DIRS & set(path.relative_to(html_dir).parts[:-1]))


def load(tab: DevTools, url: str) -> dict:
    """Open ``url``, follow a <meta> refresh, and run the page checks on where it lands."""
    tab.events.clear()
    navigated = tab.call("Page.navigate", url=url)
    if navigated.get("errorText"):
        raise RuntimeError(f"navigation failed: {navigated['errorText']}")
    for _ in range(3):
        if not tab.wait_for("Page.loadEventFired", LOAD_TIMEOUT):
            raise RuntimeError(f"no load event within {LOAD_TIMEOUT:.0f} s")
        seen = len(tab.events)
        tab.drain(SETTLE)  # a redirect, if any, starts now
        if not any(event["method"] == "Page.frameStartedLoading"
                   for event in tab.events[seen:]):
            break
    result = tab.call("Runtime.evaluate", timeout=CHECK_TIMEOUT, expression=PAGE_CHECKS_JS,
                      awaitPromise=True, returnByValue=True)
    if "exceptionDetails" in result:
        raise RuntimeError(f"page checks failed: {result['exceptionDetails'].get('text')}")
    return result["result"]["value"]


def screenshot(tab: DevTools, path: Path) -> None:
    """Save a PNG of the whole page, 1280 wide, at most ``MAX_HEIGHT`` tall."""
    tab.call("Runtime.evaluate", expression=STILL_JS, awaitPromise=True, timeout=10.0)
    metrics = tab.call("Page.getLayoutMetrics")
    size = metrics.get("cssContentSize") or metrics["contentSize"]
    height = max(1, min(int(size["height"]), MAX_HEIGHT))
    shot = tab.call("Page.captureScreenshot", timeout=30.0, format="png",
                    captureBeyondViewport=True,
                    clip={"x": 0, "y": 0, "width": WIDTH, "height": height, "scale": 1})
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(base64.b64decode(shot["data"]))


def is_local(url: str) -> bool:
    """Whether ``url`` stays on the loopback server (or needs no network at all)."""
    parts = urllib.parse.urlsplit(url)
    return parts.scheme not in ("http", "https", "ws", "wss") or parts.hostname == "127.0.0.1"


def console_problems(events: list[dict]) -> list[str]:
    """JavaScript errors, console errors, failed requests and requests off the book."""
    problems, urls = [], {}
    for event in events:
        method, params = event["method"], event["params"]
        if method == "Network.requestWillBeSent":
            urls[params["requestId"]] = params["request"]["url"]
            if not is_local(params["request"]["url"]):
                problems.append(f"request off the book: {params['request']['url']}")
        elif (method == "Network.loadingFailed" and not params.get("canceled")
              and is_local(urls.get(params["requestId"], ""))):  # else reported above
            problems.append(f"failed request: {urls.get(params['requestId'], '?')} "
                            f"({params.get('errorText')})")
        elif method == "Network.responseReceived" and params["response"]["status"] >= 400:
            problems.append(f"HTTP {params['response']['status']}: {params['response']['url']}")
        elif method == "Runtime.exceptionThrown":
            details = params["exceptionDetails"]
            text = details.get("exception", {}).get("description") or details.get("text")
            problems.append(f"JavaScript error: {text.splitlines()[0]}")
        elif method == "Runtime.consoleAPICalled" and params["type"] == "error":
            text = " ".join(str(a.get("value", a.get("description", ""))) for a in params["args"])
            problems.append(f"console.error: {text[:200]}")
        elif (method == "Log.entryAdded" and params["entry"]["level"] == "error"
              and params["entry"].get("source") != "network"):  # network: reported above
            problems.append(f"console: {params['entry']['text'][:200]}")
    return list(dict.fromkeys(problems))


def split_noise(problems: list[str]) -> tuple[list[str], list[str]]:
    """Set apart the known toolchain noise (see ``KNOWN_NOISE``); returns (problems, noise)."""
    noise = [p for p in problems if any(pattern.search(p) for pattern, _ in KNOWN_NOISE)]
    return [p for p in problems if p not in noise], noise


def math_problems(page: dict, base_url: str) -> list[str]:
    """MathJax missing, not from the build, not run, or math left as raw TeX."""
    problems = []
    if page["mathElements"] and not page["mathjaxScripts"]:
        problems.append(f"{page['mathElements']} math elements but no MathJax script")
    for src in page["mathjaxScripts"]:
        if not src.startswith(base_url):
            problems.append(f"MathJax not served by the build: {src}")
    if page["mathjaxScripts"] and page["mathjax"] != "typeset":
        problems.append(f"MathJax did not finish (state: {page['mathjax']})")
    if page["mathUnrendered"]:
        problems.append(f"{page['mathUnrendered']} of {page['mathElements']} math elements "
                        "have no MathJax output (mjx-container)")
    problems += [f"raw TeX in the text: {text!r}" for text in page["rawTex"][:5]]
    return problems


def colab_problems(links: list[str], folder: str = "book/") -> list[str]:
    """Colab launch links that do not name a notebook in the repository's ``folder``."""
    problems = []
    for link in dict.fromkeys(links):
        match = COLAB_PATH.search(link)
        path = urllib.parse.unquote(match.group(1)) if match else None
        if path is None or not path.startswith(folder) or not path.endswith(".ipynb"):
            problems.append(f"Colab link names no notebook under {folder}: {link}")
        elif not (ROOT / path).is_file():
            problems.append(f"Colab link to a notebook that does not exist: {path}")
    return problems


def language_problems(page: Path, links: list[str], base_url: str, html_dir: Path) -> list[str]:
    """A book page without its English ⇄ 中文 switch, or a switch to a page not built."""
    if "book" not in page.parts:
        return []
    if len(links) != 1:
        return [f"expected one language switch, found {len(links)}"]
    target = urllib.parse.urlsplit(links[0]).path
    base = urllib.parse.urlsplit(base_url).path
    if not target.startswith(base) or not (html_dir / target[len(base):]).is_file():
        return [f"the language switch leads to a page the build does not have: {links[0]}"]
    return []


def check_page(tab: DevTools, base_url: str, page: Path, html_dir: Path,
               out_dir: Path) -> tuple[list[str], list[str], str]:
    """Open one page, check it and screenshot it; returns its problems, noise and a summary."""
    try:
        result = load(tab, base_url + page.as_posix())
        tab.drain(SETTLE)  # late failures (fonts MathJax asked for, say) still count
        screenshot(tab, out_dir / page.with_suffix(".png"))
    except (RuntimeError, TimeoutError, ConnectionError, OSError) as error:
        return [f"could not check the page: {error}"], [], ""
    problems, noise = split_noise(console_problems(tab.events))
    problems += (math_problems(result, base_url)
                + [f"image did not load: {src}" for src in result["brokenImages"]]
                + colab_problems(result["colabLinks"],
                                 "zh/book/" if page.parts[0] == "zh" else "book/")
                + language_problems(page, result["languageLinks"], base_url, html_dir))
    landed = result["url"][len(base_url):] if result["url"].startswith(base_url) else result["url"]
    summary = (f"{result['images']} images, {result['mjxContainers']} math, "
               f"{len(result['colabLinks'])} Colab link(s), "
               f"{len(result['languageLinks'])} language switch(es)"
               + ("" if landed == page.as_posix() else f", redirected to {landed}"))
    return problems, noise, summary


# ---------------------------------------------------------------------------------------------


def report_noise(noise_seen: dict[str, list[str]]) -> None:
    """List the known toolchain noise that was seen, with why it is not counted."""
    if noise_seen:
        print("\nNot counted, known toolchain noise:")
    for message, pages in noise_seen.items():
        reason = next(why for pattern, why in KNOWN_NOISE if pattern.search(message))
        print(f"  - {message}\n    on {len(pages)} page(s): {reason}")


def check_book(binary: str, html_dir: Path, out_dir: Path) -> int:
    """Check every page; prints one line a page and a summary, returns the number failing."""
    pages = book_pages(html_dir)
    server, base_url = serve(html_dir)
    failing, noise_seen = 0, {}
    with tempfile.TemporaryDirectory(prefix="check-pages-") as profile:
        process, devtools_http = start_chromium(binary, Path(profile))
        try:
            tab = open_page_target(devtools_http)
            for page in pages:
                problems, noise, summary = check_page(tab, base_url, page, html_dir, out_dir)
                for message in noise:
                    noise_seen.setdefault(message, []).append(page.as_posix())
                failing += bool(problems)
                print(f"{'FAIL' if problems else 'OK  '} {page.as_posix()}"
                      + (f"  ({summary})" if summary and not problems else ""), flush=True)
                for problem in problems:
                    print(f"       - {problem}", flush=True)
            tab.ws.close()
        finally:
            process.terminate()
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
            server.shutdown()
    report_noise(noise_seen)
    print(f"\n{len(pages) - failing} of {len(pages)} pages OK, {failing} with problems; "
          f"screenshots in {out_dir}")
    return failing


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--html", type=Path, default=ROOT / "_build" / "html",
                        help="the built book (default: _build/html)")
    parser.add_argument("--out", type=Path, default=ROOT / "_build" / "screenshots",
                        help="where the screenshots go (default: _build/screenshots)")
    args = parser.parse_args(argv)
    binary = find_chromium()
    if binary is None:
        print("skipped: no Chromium found (looked for " + ", ".join(BROWSERS) + " on the PATH).\n"
              "Install it to check the pages, on Debian or Ubuntu with\n"
              "    sudo apt-get install chromium    # chromium-browser on older Ubuntu")
        return 0
    html_dir = args.html.resolve()
    if not (html_dir / "index.html").is_file():
        print(f"No built book at {html_dir} (no index.html): run `make book` first.")
        return 1
    started = time.monotonic()
    try:
        failing = check_book(binary, html_dir, args.out.resolve())
    except (RuntimeError, OSError) as error:  # Chromium did not start, or its port is closed
        print(f"Could not drive Chromium ({binary}): {error}")
        return 1
    print(f"checked in {time.monotonic() - started:.0f} s")
    return 1 if failing else 0


if __name__ == "__main__":
    sys.exit(main())
