/** Headless Chromium for the inspector tests: Debian's browser, a page, and what went wrong in it. */
import fs from "node:fs";
import { pathToFileURL } from "node:url";
import { chromium, type Browser, type Page } from "playwright-core";

export const CHROMIUM = "/usr/bin/chromium";
const ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"];
/** Filter: without Chromium these tests cannot run; on CI a missing browser is a failure, not a skip. */
export const NO_BROWSER = !fs.existsSync(CHROMIUM) && process.env.CI !== "true";

export interface OpenPage {
  readonly browser: Browser;
  readonly page: Page;
  /** Console errors and warnings, page errors, and requests that left the file system. */
  readonly problems: string[];
}

/** `file` opened at 1440×900 from disk. */
export async function openPage(file: string): Promise<OpenPage> {
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: ARGS });
  const page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
  const problems: string[] = [];
  page.on("console", (m) => {
    if (m.type() === "error" || m.type() === "warning") problems.push(`console.${m.type()}: ${m.text()}`);
  });
  page.on("pageerror", (e) => problems.push(`page error: ${e.message}`));
  page.on("request", (r) => {
    if (!r.url().startsWith("file:") && !r.url().startsWith("data:")) problems.push(`network request: ${r.url()}`);
  });
  await page.goto(pathToFileURL(file).href);
  return { browser, page, problems };
}
