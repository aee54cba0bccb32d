import { createHash } from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';
import { transformWithOxc, type Plugin } from 'vite';

export interface OfflineServiceWorkerOptions {
  /** The Vite input name of the page (`interview`). */
  entryName: string;
  /** The built HTML file of the page (`interview.html`). */
  htmlFile: string;
  /** The URL the server answers the page at (`/interview`). */
  route: string;
  /** Files of `public/` the installed app needs offline (manifest, icons), relative to it. */
  publicFiles: string[];
  /** The service worker's TypeScript source. */
  source: string;
  /** Its file name in the build output (`interview-sw.js`). */
  output: string;
  /** Its caches' name prefix; distinct per page, so one page's worker never deletes another's cache. */
  cachePrefix: string;
}

type BundleItem =
  | { type: 'chunk'; fileName: string; code: string; name: string; isEntry: boolean; imports: string[]; dynamicImports: string[]; viteMetadata?: { importedCss: Set<string>; importedAssets: Set<string> } }
  | { type: 'asset'; fileName: string; source: string | Uint8Array; viteMetadata?: { importedCss: Set<string>; importedAssets: Set<string> } };

/**
 * Everything the page loads, now or later: its entry chunk and every chunk it imports statically
 * or dynamically (translations, survey-core), with their CSS and assets.
 */
export function filesOfEntry(bundle: Record<string, BundleItem>, entryName: string): string[] {
  const entry = Object.values(bundle).find((item) => item.type === 'chunk' && item.isEntry && item.name === entryName);
  if (!entry) throw new Error(`interview service worker: no entry chunk named "${entryName}" in the build`);
  const files = new Set<string>();
  const visit = (fileName: string) => {
    if (files.has(fileName)) return;
    const item = bundle[fileName];
    if (!item) return;
    files.add(fileName);
    if (item.type === 'chunk') [...item.imports, ...item.dynamicImports].forEach(visit);
    for (const css of item.viteMetadata?.importedCss ?? []) visit(css);
    for (const asset of item.viteMetadata?.importedAssets ?? []) visit(asset);
  };
  visit(entry.fileName);
  return [...files].sort();
}

/**
 * Writes the interviewer app's service worker after the build: the precache list comes from the
 * bundle graph, and its version is a hash over every listed file's content, so any change to the
 * page makes a new service worker (and only then).
 */
export function offlineServiceWorker(options: OfflineServiceWorkerOptions): Plugin {
  let outDir = '';
  let publicDir = '';
  return {
    name: `vielstimmig-offline-service-worker-${options.entryName}`,
    apply: 'build',
    configResolved(config) {
      outDir = config.build.outDir;
      publicDir = config.publicDir;
    },
    async writeBundle(_outputOptions, bundle) {
      const items = bundle as unknown as Record<string, BundleItem>;
      const html = items[options.htmlFile];
      if (!html || html.type !== 'asset') throw new Error(`interview service worker: ${options.htmlFile} missing from the build`);

      const assets = filesOfEntry(items, options.entryName);
      const hash = createHash('sha256');
      hash.update(html.source);
      for (const file of assets) {
        const item = items[file]!;
        hash.update(file).update(item.type === 'chunk' ? item.code : item.source);
      }
      for (const file of options.publicFiles) hash.update(file).update(await fs.readFile(path.join(publicDir, file)));

      const manifest = {
        version: hash.digest('hex').slice(0, 16),
        shell: options.route,
        urls: [options.route, ...assets.map((file) => `/${file}`), ...options.publicFiles.map((file) => `/${file}`)],
        cachePrefix: options.cachePrefix,
      };
      const { code } = await transformWithOxc(await fs.readFile(options.source, 'utf8'), options.source, { lang: 'ts' });
      const script = code.replace(/^export\s*\{\s*\};?\s*$/m, '');
      if (/^\s*(import|export)\b/m.test(script)) {
        throw new Error('interview service worker: the source must not import or export (it is a classic script)');
      }
      await fs.writeFile(
        path.join(outDir, options.output),
        `const __INTERVIEW_PRECACHE__ = ${JSON.stringify(manifest)};\n${script}`,
      );
    },
  };
}
