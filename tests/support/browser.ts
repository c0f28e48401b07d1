import { chromium, type Browser, type Page } from "playwright-core";
import { chromiumPath } from "../../src/config.js";

/** Where the server mounts the IDE; the IDE posts its queries to the same path. */
export const IDE_PATH = "/graphql";

/**
 * Debian's Chromium (apt-get install chromium), never a browser Playwright downloads. The flags keep
 * it from reaching out on its own (updates, sync, QUIC probes), so any request seen is the page's.
 */
export function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: chromiumPath(),
    args: [
      "--headless",
      "--no-sandbox",
      "--disable-gpu",
      "--disable-quic",
      "--no-first-run",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
    ],
  });
}

const queryEditor = "section.graphiql-query-editor .CodeMirror";
// The variables and headers editors share one panel; the one not shown is hidden by a class.
const shownToolEditor = "section.graphiql-editor-tool .graphiql-editor:not(.hidden) .CodeMirror";
const resultPane = "section.result-window .CodeMirror";

/** GraphiQL's editors are CodeMirror 5, which hangs its instance on the editor's element. */
interface CodeMirrorElement {
  CodeMirror: { getValue(): string };
}

/** What an editor holds, all of it: CodeMirror renders only the lines in view. */
function editorText(page: Page, selector: string): Promise<string> {
  return page.locator(selector).evaluate((el) => (el as unknown as CodeMirrorElement).CodeMirror.getValue());
}

/** Replaces an editor's text the way a paste would, so bracket auto-closing adds nothing. */
async function replaceEditorText(page: Page, selector: string, text: string): Promise<void> {
  await page.locator(selector).click();
  await page.keyboard.press("ControlOrMeta+A");
  await page.keyboard.insertText(text);
}

/** Opens the IDE fresh and returns the text of its query editor, e.g. to see the default tab. */
export async function openIde(page: Page, baseUrl: string): Promise<string> {
  await page.goto(new URL(IDE_PATH, baseUrl).href);
  await page.locator(queryEditor).waitFor();
  return editorText(page, queryEditor);
}

/**
 * Opens the IDE, enters the query and (in the headers editor) the headers, runs it with the run
 * button as an editor would, and returns the result pane's text once the server's answer is in it.
 */
export async function runQueryInIde(page: Page, baseUrl: string, query: string, headers?: Record<string, string>): Promise<string> {
  const endpoint = new URL(IDE_PATH, baseUrl).href;
  await openIde(page, baseUrl);
  await replaceEditorText(page, queryEditor, query);
  if (headers) {
    await page.getByRole("button", { name: "Headers", exact: true }).click();
    await replaceEditorText(page, shownToolEditor, JSON.stringify(headers, null, 2));
  }
  const answered = page.waitForResponse(
    (response) =>
      response.url() === endpoint &&
      response.request().method() === "POST" &&
      (response.request().postDataJSON() as { query?: string } | null)?.query === query,
  );
  await page.getByRole("button", { name: /^Execute query/ }).click();
  await answered;
  // GraphiQL empties the pane when a run starts, so whatever shows up in it once the answer has
  // arrived is this run's result.
  await page.waitForFunction(
    (el) => (el as unknown as CodeMirrorElement).CodeMirror.getValue() !== "",
    await page.locator(resultPane).elementHandle(),
  );
  return editorText(page, resultPane);
}
