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

/** Reloads the page, as an editor would, and waits for the IDE to be back. */
export async function reloadIde(page: Page): Promise<void> {
  await page.reload();
  await page.locator(queryEditor).waitFor();
}

/**
 * Types the query into the editor the way a paste would, replacing what it held, and waits until
 * GraphiQL has read it: it takes the operation's name from the text a moment after an edit, and a
 * run before then would send the new text under the old text's operation name.
 */
export async function enterQuery(page: Page, query: string): Promise<void> {
  await replaceEditorText(page, queryEditor, query);
  // GraphiQL's own rule for a tab's title, which it updates as it reads the operation's name.
  const title = /^(?!#).*(query|subscription|mutation)\s+([a-zA-Z0-9_]+)/m.exec(query)?.[2] ?? "<untitled>";
  await page.locator(".graphiql-tab-active .graphiql-tab-button", { hasText: title }).waitFor();
}

/** Shows the headers editor and returns what it holds. */
export async function headersInIde(page: Page): Promise<string> {
  await page.getByRole("button", { name: "Headers", exact: true }).click();
  return editorText(page, shownToolEditor);
}

/** Enters the headers (as JSON) in the headers editor. */
export async function enterHeaders(page: Page, headers: Record<string, string>): Promise<void> {
  await page.getByRole("button", { name: "Headers", exact: true }).click();
  await replaceEditorText(page, shownToolEditor, JSON.stringify(headers, null, 2));
}

/** Opens the Docs pane and waits until it lists the schema's Query type, which it does once introspection has answered. */
export async function openDocs(page: Page): Promise<void> {
  await page.getByRole("button", { name: "Show Documentation Explorer" }).click();
  await page.locator(".graphiql-doc-explorer a.graphiql-doc-explorer-type-name", { hasText: /^Query$/ }).waitFor();
}

/** Opens the History pane and returns its entries' labels (operation names, or the query's text). */
export async function historyInIde(page: Page): Promise<string[]> {
  await page.getByRole("button", { name: "Show History" }).click();
  const items = page.locator(".graphiql-history-items .graphiql-history-item-label");
  await items.first().waitFor();
  return items.allTextContents();
}

/**
 * Types text key by key at the cursor of the focused editor, as an editor does, then waits for
 * the completion list and accepts its suggestion `choice` with Enter once it is the active one.
 * Returns the suggestions the list offered.
 */
export async function typeAndComplete(page: Page, text: string, choice: string): Promise<string[]> {
  await page.keyboard.type(text);
  const hints = page.locator(".CodeMirror-hints");
  await hints.waitFor();
  const offered = await hints.locator(".CodeMirror-hint").allTextContents();
  const wanted = offered.indexOf(choice);
  if (wanted === -1) throw new Error(`"${choice}" is not among the suggestions for "${text}": ${offered.join(", ")}`);
  for (let i = 0; i < wanted; i++) await page.keyboard.press("ArrowDown");
  await page.keyboard.press("Enter");
  await hints.waitFor({ state: "detached" });
  return offered;
}

/** The query editor's text, all of it. */
export function queryInIde(page: Page): Promise<string> {
  return editorText(page, queryEditor);
}

/**
 * Runs what the editor holds with the run button, as an editor would, and returns the result
 * pane's text once the server's answer to that query is in it.
 */
export async function runInIde(page: Page, baseUrl: string): Promise<string> {
  const endpoint = new URL(IDE_PATH, baseUrl).href;
  const query = await queryInIde(page);
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

/** Opens the IDE, enters the query and (in the headers editor) the headers, runs it, and returns the result pane's text. */
export async function runQueryInIde(page: Page, baseUrl: string, query: string, headers?: Record<string, string>): Promise<string> {
  await openIde(page, baseUrl);
  await enterQuery(page, query);
  if (headers) await enterHeaders(page, headers);
  return runInIde(page, baseUrl);
}
