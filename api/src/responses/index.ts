export { createResponseRoutes, RESPONSE_BODY_LIMIT_BYTES } from './routes.ts';
export { storeResponse, type ResponseSubmission, type StoreOutcome } from './service.ts';
export { AnswerValidator, DISTRICT_QUESTION_NAMES, validatorFor, type AnswerError, type AnswerValidation, type Answers } from './validate-answers.ts';
export { countResponsesPerDistrict } from './repository.ts';
