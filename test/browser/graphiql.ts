import type { Page } from 'playwright-core';
import { waitFor } from '../harness/wait.js';

/** Drives the GraphiQL page as a user does: tabs, editors, the run button, the result pane. */
export class GraphiqlPage {
  constructor(readonly page: Page) {}

  /** Waits until GraphiQL has rendered and loaded the schema (the docs need introspection). */
  async ready(): Promise<void> {
    await this.page.locator('.graphiql-container').waitFor({ timeout: 30_000 });
    await this.page.locator('.graphiql-tab').first().waitFor();
  }

  /** The titles of the open tabs. */
  async tabTitles(): Promise<string[]> {
    return (await this.page.locator('.graphiql-tab .graphiql-tab-button').allInnerTexts()).map((title) =>
      title.trim(),
    );
  }

  async openTab(title: string): Promise<void> {
    await this.page.locator('.graphiql-tab .graphiql-tab-button', { hasText: title }).click();
    await this.page
      .locator('.graphiql-tab-active .graphiql-tab-button', { hasText: title })
      .waitFor({ timeout: 5_000 });
    // GraphiQL re-parses the new tab's document (and picks its operation name) after a debounce:
    // run at once and it sends the previous tab's operationName.
    await this.page.waitForTimeout(500);
  }

  /** Replaces the content of the Variables or Headers editor, typed like a paste. */
  async setEditor(tool: 'Variables' | 'Headers', text: string): Promise<void> {
    await this.page.locator('.graphiql-editor-tools button', { hasText: tool }).click();
    const editor = this.page.locator('.graphiql-editor-tool .graphiql-editor:not(.hidden) .CodeMirror');
    await editor.click();
    await this.page.keyboard.press('ControlOrMeta+A');
    await this.page.keyboard.insertText(text);
  }

  /** Presses the run button; with several operations in the tab, picks `operationName` in its menu. */
  async run(operationName?: string): Promise<void> {
    await this.page.locator('.graphiql-execute-button').click();
    if (operationName) await this.page.getByRole('menuitem', { name: operationName }).click();
  }

  /** The text shown in the result pane. */
  async resultText(): Promise<string> {
    return this.page.locator('.result-window').innerText();
  }

  /** Waits until the result pane shows every one of `texts`, and returns its text. */
  async waitForResult(texts: readonly string[], timeoutMs = 30_000): Promise<string> {
    return waitFor(
      async () => {
        const shown = await this.resultText();
        if (texts.every((text) => shown.includes(text))) return shown;
        // Reported when the deadline passes.
        throw new Error(`the result pane shows ${shown.slice(0, 600)}`);
      },
      { timeoutMs, message: `the result pane to show ${JSON.stringify(texts)}` },
    );
  }
}
