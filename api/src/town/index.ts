export { readTownSettings, writeTownSettings } from './repository.ts';
export { createTownAdminRoutes, createTownRoutes } from './routes.ts';
export { publicTown, requireTownSetUp, townIsSetUp, townNameIn } from './service.ts';
export { isoDate, townSettingsSchema, type PublicTown, type TownSettings } from './settings-schema.ts';
