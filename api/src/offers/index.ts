export { createOfferAnalysisRoutes, createOfferPublicRoutes } from './routes.ts';
export { loadOffers, offerInventory } from './service.ts';
export { normaliseOffers } from './normalise.ts';
