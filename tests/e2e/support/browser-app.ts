import type { AddressInfo } from 'node:net';
import { serve, type ServerType } from '@hono/node-server';
import { chromium, type Browser } from 'playwright-core';
import { openTestPlatform, type TestPlatform } from '../../support/test-platform.ts';
import { ensureFrontendBuilt } from './frontend-build.ts';

/** A test platform served on 127.0.0.1 and a Chromium to visit it with. */
export interface BrowserApp {
  platform: TestPlatform;
  server: ServerType;
  baseUrl: string;
  browser: Browser;
}

export interface BrowserAppOptions {
  /** Built front-end files the tests need (checked, never built here: see ensureFrontendBuilt). */
  pages?: string[];
  platform?: Parameters<typeof openTestPlatform>[0];
  /** What the server answers with; default the platform's app. (A test may swap apps behind it.) */
  fetch?: (request: Request) => Response | Promise<Response>;
}

/**
 * Debian's Chromium, the only one these machines have (`npx playwright install` cannot download).
 * No sandbox (tests run as root in containers), no background requests to Google.
 */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-background-networking', '--disable-gpu'],
  });
}

export async function startBrowserApp(options: BrowserAppOptions = {}): Promise<BrowserApp> {
  await ensureFrontendBuilt(options.pages);
  const started: Partial<BrowserApp> = {};
  try {
    const platform = (started.platform = await openTestPlatform(options.platform));
    const server = (started.server = serve({ fetch: options.fetch ?? platform.app.fetch, hostname: '127.0.0.1', port: 0 }));
    await new Promise<void>((resolve) => server.once('listening', () => resolve()));
    const baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const browser = await launchChromium();
    return { platform, server, baseUrl, browser };
  } catch (error) {
    await stopBrowserApp(started);
    throw error;
  }
}

/** Closes whatever of it was started (safe after a failed start). */
export async function stopBrowserApp(app: Partial<BrowserApp> | undefined): Promise<void> {
  await app?.browser?.close();
  const server = app?.server;
  if (server) await new Promise((resolve) => server.close(resolve));
  await app?.platform?.close();
}
