"""Find duplicates in the window, from the click on Run to the first group shown, on German
customer lists of the common-name shape (bench/synthetic/customers.py), in real Chromium.

    .venv/bin/python bench/desktop_review.py [ROWS ...]     # default 50,000

The app runs as buyers start it without a display (`datatools --serve`, its own process); the
page is Debian's Chromium driven by Playwright. Timed: the click on Run → the review's first
group on screen (the job's reading, candidates, model, groups and the first page all inside).
Beside it, from the same run: `datatools dedupe FILE --columns … -o OUT` on the command line (a
fresh process, start-up included), the same engine writing the annotated table. Both also as
CPU seconds of their own process and its ended workers (the app's server; the command), which
other work on a busy machine does not inflate as it inflates the wall clock; the load average
is printed beside, and the CPU seconds the browser (Chromium and its driver) used meanwhile, and the seconds the app's
threads waited for a processor (runnable, not running: the clock a busy machine takes).
Goal (issue 30): 50,000 rows ≤ 5 s from click to the first group.
"""

from __future__ import annotations

import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent))

CHROMIUM = "/usr/bin/chromium"
GOAL_S = 5.0
COLUMNS = ["first", "last", "street", "zip", "city", "phone", "email"]


def license_files(folder: Path) -> tuple[Path, str]:
    """A keyring the app is told to trust (--dev-keyring) and a Pro license signed by it."""
    from datatools import license as codec
    from datatools import license_keys
    from datatools.version import PRODUCT

    license_keys.generate_key(folder, "bench-1")
    blob = codec.mint_blob({"lid": "B-1", "product": PRODUCT, "tier": "pro", "seats": 1,
                            "name": "Bench", "email": "bench@example.com", "issued": "2026-11-01",
                            "updates_until": None, "expires": None},
                           license_keys.load_private_key(folder / "bench-1.pem"), "bench-1")
    return folder / "keyring.json", blob


def cpu_seconds(pid: int) -> float:
    """User + system CPU seconds process `pid` and its ended, waited-for children (a scoring
    worker, DECISIONS 409) have used (Linux /proc/PID/stat: utime, stime, cutime, cstime)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return sum(int(f) for f in fields[11:15]) / os.sysconf("SC_CLK_TCK")


class Waited:
    """Seconds the threads of process `pid` spend runnable but waiting for a processor (Linux
    /proc/PID/task/*/schedstat, second field: a busy machine's share of the clock), sampled
    every 20 ms from `start()` to `stop()`, so a thread that ends meanwhile (the job's) counts up
    to its last sample."""

    def __init__(self, pid: int) -> None:
        import threading

        self.pid, self.first, self.last = pid, {}, {}
        self.done = threading.Event()
        self.thread = threading.Thread(target=self._sample, daemon=True)

    def _read(self) -> dict[str, int]:
        found = {}
        for task in Path(f"/proc/{self.pid}/task").iterdir():
            try:
                found[task.name] = int((task / "schedstat").read_text().split()[1])
            except (OSError, IndexError, ValueError):
                pass
        return found

    def _sample(self) -> None:
        while not self.done.wait(0.02):
            self.last.update(self._read())

    def start(self) -> None:
        self.first = self._read()
        self.thread.start()

    def stop(self) -> float:
        self.done.set()
        self.thread.join()
        self.last.update(self._read())
        return sum(v - self.first.get(k, 0) for k, v in self.last.items()) / 1e9


def browser_cpu_seconds(app: int) -> float:
    """CPU seconds (as cpu_seconds) of every process below this one but the app's own: the
    Playwright driver and Chromium, which share the machine's cores with the app meanwhile."""
    children: dict[int, list[int]] = {}
    for name in os.listdir("/proc"):
        if name.isdigit():
            try:
                parent = int(Path(f"/proc/{name}/stat").read_text().rsplit(")", 1)[1].split()[1])
            except (OSError, IndexError, ValueError):
                continue
            children.setdefault(parent, []).append(int(name))
    total, todo = 0.0, [c for c in children.get(os.getpid(), []) if c != app]
    while todo:
        pid = todo.pop()
        try:
            total += cpu_seconds(pid)
        except OSError:
            continue
        todo.extend(children.get(pid, []))
    return total


TIMER = """() => {
  const when = (test) => new Promise((resolve) => {
    const look = () => {
      if (!test()) return false;
      requestAnimationFrame(() => resolve(performance.now()));    // the frame that shows it
      return true;
    };
    const observer = new MutationObserver(() => { if (look()) observer.disconnect(); });
    observer.observe(document.body, { subtree: true, childList: true, attributes: true });
  });
  document.getElementById("run").addEventListener("click", () => { window.benchClicked = performance.now(); },
                                                  { capture: true, once: true });
  window.benchShown = { result: when(() => !document.getElementById("result-area").hidden),
                        group: when(() => document.querySelector("#review-groups .group") !== null) };
}"""


class AppFailed(RuntimeError):
    """The app showed an error where the benchmark waited for a result."""


def wait_shown(tab, wanted: str, error: str) -> None:
    """Wait until `wanted` shows, or stop at once with the app's own words when the message box
    `error` shows instead (a failed job, an unreadable file): without this a failure waited the
    whole timeout (600 s) before saying nothing."""
    tab.wait_for_selector(f"{wanted}, {error}:not([hidden])")
    message = tab.locator(f"{error}:not([hidden])")
    if message.count():
        raise AppFailed(f"the app says: {message.first.inner_text()}")


def window_run(browser, url: str, blob: str, source: Path, app: int) -> tuple[float, ...]:
    """(seconds to the result shown, seconds to the first group shown, the app's CPU seconds,
    the browser's, and the seconds the app's threads waited for a processor, meanwhile) from
    the click on Run; `app` is the server's process id."""
    context = browser.new_context(viewport={"width": 1280, "height": 800})
    context.set_default_timeout(600_000)
    tab = context.new_page()
    tab.goto(url)
    tab.wait_for_selector("body[data-ready]")
    tab.evaluate("""async (blob) => { await fetch('/api/license', {method: 'POST',
        headers: {'X-DataTools-Token': sessionStorage.getItem('datatools-token'),
                  'Content-Type': 'application/json'}, body: JSON.stringify({blob})}); }""", blob)
    tab.reload()
    tab.wait_for_selector("body[data-ready]")
    tab.click("#tool-dedupe")
    tab.fill("#path-0", str(source))
    tab.press("#path-0", "Enter")
    wait_shown(tab, "#input-0 .preview", "#input-error-0")
    for column in COLUMNS:
        tab.check(f"#option-columns input[value='{column}']")
    cpu, browser_cpu = cpu_seconds(app), browser_cpu_seconds(app)
    # Timed by the page's own clock: from the click (a listener on #run) to the frame after the
    # result area, then the first group, entered the page (a MutationObserver). Playwright's
    # waits poll every 500 ms after their first tries, which rounded the seconds up to its steps.
    tab.evaluate(TIMER)
    waited = Waited(app)
    waited.start()
    tab.click("#run")
    wait_shown(tab, "#result-area:not([hidden])", "#run-error")
    wait_shown(tab, "#review-groups .group", "#review-error")
    result, first_group = tab.evaluate("Promise.all([window.benchShown.result, window.benchShown.group])"
                                       ".then(([r, g]) => [(r - window.benchClicked) / 1000, (g - window.benchClicked) / 1000])")
    cpu, browser_cpu = cpu_seconds(app) - cpu, browser_cpu_seconds(app) - browser_cpu
    queued = waited.stop()
    context.close()
    return result, first_group, cpu, browser_cpu, queued


def command_line(source: Path) -> tuple[float, float]:
    """(seconds, CPU seconds) of `datatools dedupe SOURCE --columns … -o OUT` in a fresh process."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    done = subprocess.run([sys.executable, "-m", "datatools", "dedupe", str(source), "--columns",
                           ",".join(COLUMNS), "-o", str(source.with_suffix(".out.csv")), "-q", "--force"],
                          cwd=HERE.parent, capture_output=True, text=True)   # its reading notes
    if done.returncode:
        raise AppFailed(f"`datatools dedupe` says: {(done.stderr.strip().splitlines() or [''])[-1]}")
    seconds = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return seconds, after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime


def main() -> int:
    from playwright.sync_api import sync_playwright

    from synthetic.customers import customers

    sizes = [int(a.replace(",", "").replace("_", "")) for a in sys.argv[1:]] or [50_000]
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        keyring, blob = license_files(folder / "keys")
        app = subprocess.Popen([sys.executable, "-m", "datatools", "--serve", "--dev-keyring", str(keyring)],
                               stdout=subprocess.PIPE, text=True, cwd=HERE.parent,
                               env={**os.environ, "DATATOOLS_HOME": str(folder / "home")})
        try:
            url = app.stdout.readline().strip()
            if not url:     # it stopped before serving; its own message is on stderr above
                raise AppFailed(f"`datatools --serve` ended with exit code {app.wait(timeout=30)}")
            print(f"{'rows':>9} {'result s':>9} {'1st group s':>12} {'app CPU s':>10} {'browser CPU s':>14} {'app waited s':>13} "
                  f"{'CLI s':>7} "
                  f"{'CLI CPU s':>10} {'load':>5}  goal ≤ {GOAL_S:g} s")
            with sync_playwright() as playwright:
                browser = playwright.chromium.launch(executable_path=CHROMIUM, args=[
                    "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage"])
                for rows in sizes:
                    table, _ = customers("de", rows)
                    source = folder / f"kunden-{rows}.csv"
                    table.to_csv(source, index=False)
                    result, first_group, cpu, browser_cpu, queued = window_run(browser, url, blob, source, app.pid)
                    cli, cli_cpu = command_line(source)
                    verdict = "met" if first_group <= GOAL_S else "missed"
                    print(f"{len(table):>9,} {result:9.2f} {first_group:12.2f} {cpu:10.2f} {browser_cpu:14.2f} {queued:13.2f} {cli:7.2f} "
                          f"{cli_cpu:10.2f} {os.getloadavg()[0]:5.1f}  {verdict}", flush=True)
                browser.close()
        finally:
            app.terminate()
            app.wait(timeout=30)
    return 0


def run() -> int:
    """main(), with the app's failure as one line and exit code 1 instead of a traceback."""
    try:
        return main()
    except AppFailed as exc:
        print(f"desktop_review: {exc}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(run())
