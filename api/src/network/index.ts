export { createActorRoutes, createNetworkAnalysisRoutes } from './routes.ts';
export { analyseNetwork, type NetworkAnalysis } from './analysis.ts';
