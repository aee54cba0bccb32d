export { createMeasureAdminRoutes, createResultsPublicRoutes, createSnapshotRoutes } from './routes.ts';
export { publishedSnapshot } from './service.ts';
