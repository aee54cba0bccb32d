/** The free-text reader of the analysis: what the app mounts. */
export { createFreeTextRoutes, FREE_TEXT_PAGE_SIZE } from './routes.ts';
