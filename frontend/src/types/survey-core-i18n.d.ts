// survey-core ships its per-language strings as side-effect modules without type declarations.
declare module 'survey-core/i18n/*';
