export { createActorRoutes, createNetworkAnalysisRoutes } from './routes.ts';
export { analyseNetwork, type NetworkAnalysis } from './analysis.ts';
export { seedNetwork, type SeedActor, type SeedTie } from './registry-service.ts';
export { createWorkshopRoutes } from './workshop-routes.ts';
