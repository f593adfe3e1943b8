import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Plugin } from 'vite';
import { renderDefinitions } from './render.ts';

/** Where an HTML page asks for the rendered contract. */
export const definitionsPlaceholder = '<!-- docs/METRICS.md -->';

export const metricsContractPath = fileURLToPath(new URL('../../docs/METRICS.md', import.meta.url));

/**
 * Puts docs/METRICS.md, rendered, into any page holding the placeholder (client/definitions.html),
 * when the client is built and, in `vite dev`, on every request, so the page never lags the file.
 */
export function definitionsPage(contractPath = metricsContractPath): Plugin {
  return {
    name: 'lscb-definitions-page',
    configureServer(server) {
      server.watcher.add(contractPath);
      server.watcher.on('change', (file) => {
        if (file === contractPath) server.ws.send({ type: 'full-reload' });
      });
    },
    transformIndexHtml: {
      order: 'pre',
      handler(html) {
        if (!html.includes(definitionsPlaceholder)) return html;
        return html.replace(definitionsPlaceholder, () => renderDefinitions(readFileSync(contractPath, 'utf8')));
      },
    },
  };
}
