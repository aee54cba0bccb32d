export { createAdminRoutes } from './routes.ts';
