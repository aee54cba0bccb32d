import { z } from 'zod';
import { SUPPORTED_LOCALES } from '../shared/locales.ts';
import { acceptedWarningSchema } from './content-rules/accepted-warnings.ts';

/**
 * The shape of a file in `surveys/`: platform metadata around a SurveyJS definition. The
 * definition is what respondents' clients and the server's validator load; the metadata tells the
 * catalogue what kind of instrument it is and which locales it promises.
 */
export const instrumentFileSchema = z
  .object({
    kind: z.enum(['resident', 'interview', 'stakeholder']),
    locales: z
      .array(z.enum(SUPPORTED_LOCALES))
      .min(1)
      .refine((locales) => locales.includes('de'), 'locales must include "de" (German is the default language)')
      .refine((locales) => new Set(locales).size === locales.length, 'locales must not repeat'),
    translationStatus: z.record(z.enum(SUPPORTED_LOCALES), z.enum(['reviewed', 'draft'])),
    definition: z.record(z.unknown()),
    /** Content warnings a reviewer accepted (see content-rules/); not part of the versioned content. */
    acceptedWarnings: z.array(acceptedWarningSchema).optional(),
  })
  .strict()
  .superRefine((file, ctx) => {
    for (const locale of file.locales) {
      if (!file.translationStatus[locale]) {
        ctx.addIssue({ code: 'custom', message: `translationStatus has no entry for locale "${locale}"` });
      }
    }
  });

export type InstrumentFile = z.infer<typeof instrumentFileSchema>;
export type TranslationStatus = InstrumentFile['translationStatus'];
