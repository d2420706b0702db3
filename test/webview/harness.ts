/**
 * A stand-in for the VS Code webview host: a local HTTP server (127.0.0.1, random port) that serves a page like the
 * extension's (strict CSP, codicon and the webview's CSS links, the nonce'd module script), a fake `acquireVsCodeApi`
 * that records posted messages and keeps state in sessionStorage (so it survives a reload), and VS Code theme
 * variables for a dark and a light theme. Serves the diagram (/dark.html) and the lab panel (/labs/dark.html).
 */
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { extname, join, normalize } from 'node:path';
import { CHROMIUM_ARGS } from '../support/workbench';

/** The theme a harness page uses. */
export type Theme = 'dark' | 'light';

/** Which webview a harness page loads (dist/webview/<name>.js and .css). */
export type WebviewName = 'diagram' | 'labs';

const ROOT = join(__dirname, '..', '..');
const DIST = join(ROOT, 'dist', 'webview');

/** VS Code's Dark Modern and Light Modern colours for the variables the webviews and vscode-elements read. */
/** The further variables the lab panel reads (links, code, lists, tiles, test results, warnings). */
const LAB_DARK: Record<string, string> = {
  'textLink-foreground': '#4daafc', 'textLink-activeForeground': '#4daafc', 'textCodeBlock-background': '#2b2b2b',
  'textPreformat-foreground': '#d0d0d0', 'textPreformat-background': '#3c3c3c', 'textBlockQuote-background': '#2b2b2b',
  'textBlockQuote-border': '#616161', 'list-hoverBackground': '#2a2d2e', 'list-inactiveSelectionBackground': '#37373d',
  'testing-iconPassed': '#73c991', 'testing-iconFailed': '#f14c4c', 'editorWarning-foreground': '#cca700',
  'errorForeground': '#f85149', 'inputValidation-warningBackground': '#352a05', 'inputValidation-warningBorder': '#b89500',
  'inputValidation-errorBackground': '#5a1d1d', 'welcomePage-tileBackground': '#2b2b2b', 'welcomePage-tileHoverBackground': '#262626',
  'welcomePage-tileBorder': '#ffffff1a', 'welcomePage-progress-background': '#313131', 'welcomePage-progress-foreground': '#4daafc',
  'button-hoverBackground': '#026ec1', 'input-background': '#313131',
};
const LAB_LIGHT: Record<string, string> = {
  'textLink-foreground': '#005fb8', 'textLink-activeForeground': '#005fb8', 'textCodeBlock-background': '#f8f8f8',
  'textPreformat-foreground': '#3b3b3b', 'textPreformat-background': '#0000001f', 'textBlockQuote-background': '#f8f8f8',
  'textBlockQuote-border': '#e5e5e5', 'list-hoverBackground': '#f2f2f2', 'list-inactiveSelectionBackground': '#e4e6f1',
  'testing-iconPassed': '#388a34', 'testing-iconFailed': '#e51400', 'editorWarning-foreground': '#bf8803',
  'errorForeground': '#f85149', 'inputValidation-warningBackground': '#f6f5d2', 'inputValidation-warningBorder': '#bf8803',
  'inputValidation-errorBackground': '#f2dede', 'welcomePage-tileBackground': '#f3f3f3', 'welcomePage-tileHoverBackground': '#e8e8e8',
  'welcomePage-tileBorder': '#0000001a', 'welcomePage-progress-background': '#e5e5e5', 'welcomePage-progress-foreground': '#005fb8',
  'button-hoverBackground': '#0258a8', 'input-background': '#ffffff',
};

const THEMES: Record<Theme, Record<string, string>> = {
  dark: {
    'editor-background': '#1f1f1f', foreground: '#cccccc', descriptionForeground: '#9d9d9d', focusBorder: '#0078d4',
    'sideBar-background': '#181818', 'editorWidget-background': '#202020', 'editorWidget-border': '#454545',
    'panel-border': '#2b2b2b', 'charts-green': '#89d185', 'charts-red': '#f14c4c', 'charts-yellow': '#cca700',
    'charts-blue': '#3794ff', 'charts-orange': '#d18616', 'charts-purple': '#b180d7', 'button-background': '#0078d4',
    'button-foreground': '#ffffff', 'button-secondaryBackground': '#313131', 'button-secondaryForeground': '#cccccc',
    'button-secondaryHoverBackground': '#3c3c3c', 'button-border': '#ffffff12', 'badge-background': '#616161',
    'badge-foreground': '#f8f8f8', 'toolbar-hoverBackground': '#5a5d5e50', 'icon-foreground': '#cccccc',
    ...LAB_DARK,
  },
  light: {
    'editor-background': '#ffffff', foreground: '#3b3b3b', descriptionForeground: '#3b3b3b', focusBorder: '#005fb8',
    'sideBar-background': '#f8f8f8', 'editorWidget-background': '#f8f8f8', 'editorWidget-border': '#c8c8c8',
    'panel-border': '#e5e5e5', 'charts-green': '#388a34', 'charts-red': '#e51400', 'charts-yellow': '#bf8803',
    'charts-blue': '#1a85ff', 'charts-orange': '#d18616', 'charts-purple': '#652d90', 'button-background': '#005fb8',
    'button-foreground': '#ffffff', 'button-secondaryBackground': '#e5e5e5', 'button-secondaryForeground': '#3b3b3b',
    'button-secondaryHoverBackground': '#cccccc', 'button-border': '#0000001a', 'badge-background': '#cccccc',
    'badge-foreground': '#3b3b3b', 'toolbar-hoverBackground': '#b8b8b850', 'icon-foreground': '#3b3b3b',
    ...LAB_LIGHT,
  },
};

function themeCss(theme: Theme): string {
  const vars = Object.entries(THEMES[theme]).map(([k, v]) => `  --vscode-${k}: ${v};`);
  const fonts = [
    "  --vscode-font-family: system-ui, 'Ubuntu', 'Droid Sans', sans-serif;",
    '  --vscode-font-size: 13px;',
    '  --vscode-font-weight: normal;',
    "  --vscode-editor-font-family: 'Droid Sans Mono', 'monospace', monospace;",
  ];
  return `html {\n${[...vars, ...fonts].join('\n')}\n}\n`;
}

/** The fake VS Code API, injected as a nonce'd inline script (allowed by the CSP, like VS Code's own preload). */
const FAKE_API = `
window.__posted = [];
window.__csp = [];
document.addEventListener('securitypolicyviolation', (e) => window.__csp.push(e.violatedDirective + ' ' + e.blockedURI));
window.acquireVsCodeApi = () => ({
  postMessage: (m) => window.__posted.push(JSON.parse(JSON.stringify(m))),
  getState: () => { const s = sessionStorage.getItem('vscodeState'); return s ? JSON.parse(s) : undefined; },
  setState: (s) => { sessionStorage.setItem('vscodeState', JSON.stringify(s)); return s; },
});
`;

function page(theme: Theme, nonce: string, name: WebviewName): string {
  return name === 'diagram' ? diagramPage(theme, nonce) : panelPage(theme, nonce, name);
}

function diagramPage(theme: Theme, nonce: string): string {
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<link rel="stylesheet" href="/theme-${theme}.css">
<link rel="stylesheet" href="/dist/webview/codicon.css">
<link rel="stylesheet" href="/dist/webview/diagram.css">
<title>PodNet diagram</title>
</head>
<body class="vscode-${theme}" data-vscode-theme-kind="vscode-${theme}">
<script nonce="${nonce}">${FAKE_API}</script>
<script type="module" nonce="${nonce}" src="/dist/webview/diagram.js"></script>
</body>
</html>`;
}

/** A page shaped like src/vscode/diagram/webviewHtml.ts builds it: codicon link with its id, <div id="app">. */
function panelPage(theme: Theme, nonce: string, name: WebviewName): string {
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<link rel="stylesheet" href="/theme-${theme}.css">
<link rel="stylesheet" id="vscode-codicon-stylesheet" href="/dist/webview/codicon.css">
<link rel="stylesheet" href="/dist/webview/${name}.css">
<title>PodNet ${name}</title>
</head>
<body class="vscode-${theme}" data-vscode-theme-kind="vscode-${theme}">
<script nonce="${nonce}">${FAKE_API}</script>
<div id="app"></div>
<script type="module" nonce="${nonce}" src="/dist/webview/${name}.js"></script>
</body>
</html>`;
}

const TYPES: Record<string, string> = { '.js': 'text/javascript', '.css': 'text/css', '.ttf': 'font/ttf', '.html': 'text/html' };

/** A running harness server. */
export interface Harness {
  /** The page of webview `name` (the diagram when not given) in `theme`. */
  url(theme: Theme, name?: WebviewName): string;
  close(): Promise<void>;
}

/** Starts the harness on 127.0.0.1 with a random port. */
export async function startHarness(): Promise<Harness> {
  const server: Server = createServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://x').pathname;
    const nonce = randomBytes(16).toString('base64');
    const csp = `default-src 'none'; style-src 'self'; script-src 'nonce-${nonce}'; font-src 'self'; img-src 'self' data:`;
    const m = /^\/(?:(labs)\/)?(dark|light)\.html$/.exec(path);
    if (m) {
      res.writeHead(200, { 'content-type': 'text/html', 'content-security-policy': csp });
      res.end(page(m[2] as Theme, nonce, (m[1] as WebviewName | undefined) ?? 'diagram'));
      return;
    }
    const t = /^\/theme-(dark|light)\.css$/.exec(path);
    if (t) {
      res.writeHead(200, { 'content-type': 'text/css' });
      res.end(themeCss(t[1] as Theme));
      return;
    }
    if (path === '/favicon.ico') {
      res.writeHead(204).end();
      return;
    }
    const file = normalize(join(ROOT, path));
    if (!path.startsWith('/dist/webview/') || !file.startsWith(DIST)) {
      res.writeHead(404).end();
      return;
    }
    try {
      const body = readFileSync(file);
      res.writeHead(200, { 'content-type': TYPES[extname(file)] ?? 'application/octet-stream' });
      res.end(body);
    } catch {
      res.writeHead(404).end();
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    url: (theme, name = 'diagram') => `http://127.0.0.1:${port}/${name === 'diagram' ? '' : `${name}/`}${theme}.html`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** Debian's Chromium, which npm test installs (scripts/setup-e2e.mjs). */
export const CHROMIUM = '/usr/bin/chromium';
/** Where the webview tests save their screenshots. */
export const WEBVIEW_ARTIFACTS = join(ROOT, 'test-artifacts', 'webview');

/** Chromium plus the page server, for one test file; fails clearly when Chromium or the built `bundle` is missing. */
export async function startBrowserHarness(bundle: string): Promise<{ browser: import('playwright-core').Browser; harness: Harness; close(): Promise<void> }> {
  if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing: run node scripts/setup-e2e.mjs (npm test does)`);
  if (!existsSync(bundle)) throw new Error(`${bundle} is missing: run node scripts/build-webview.mjs first`);
  const { chromium } = await import('playwright-core');
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
  const harness = await startHarness();
  mkdirSync(WEBVIEW_ARTIFACTS, { recursive: true });
  return { browser, harness, close: async () => { await browser.close(); await harness.close(); } };
}
