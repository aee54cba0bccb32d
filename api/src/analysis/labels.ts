import { LOCALE_NATIVE_NAMES, isLocale, type Locale } from '../shared/locales.ts';
import { messageFor } from '../i18n/messages.ts';
import { ALL, NO_DISTRICT, type Dimension, type GroupKey } from './breakdown.ts';
import { textIn, type Choice } from './questions.ts';
import type { AnalysisContext } from './service.ts';

export interface ItemLabelSource {
  question: { label: Record<string, string> };
  row: Choice | null;
}

/** Labels for one export in one locale: questions, options, groups. */
export function analysisLabels(context: AnalysisContext, locale: Locale) {
  const t = messageFor(locale);
  const districtNames = new Map(context.districts.map((district) => [district.code, district.name]));
  const groupNames = new Map(context.targetGroups.map((group) => [group.code, group.label]));

  const dimensionValue = (dim: Dimension, code: string): string => {
    if (code === ALL) return t(`analysis.all.${dim}`);
    switch (dim) {
      case 'district':
        return code === NO_DISTRICT ? t('analysis.no_district') : textIn(districtNames.get(code), locale) || code;
      case 'target_group':
        return textIn(groupNames.get(code), locale) || code;
      case 'mode':
        return t(`analysis.mode.${code}`, { defaultValue: code });
      case 'locale':
        return isLocale(code) ? LOCALE_NATIVE_NAMES[code] : code;
    }
  };

  return {
    t,
    locale,
    question: (item: ItemLabelSource) => {
      const question = textIn(item.question.label, locale);
      return item.row ? `${question} – ${textIn(item.row.label, locale)}` : question;
    },
    option: (choice: Choice) => textIn(choice.label, locale),
    dimensionValue,
    /** "Total", or the group's values joined ("Worfelden · Older people (65+)"). */
    group: (dims: readonly Dimension[], key: GroupKey) => {
      const parts = dims.filter((dim) => key[dim] !== undefined && key[dim] !== ALL).map((dim) => dimensionValue(dim, key[dim]!));
      return parts.length === 0 ? t('analysis.total') : parts.join(' · ');
    },
  };
}

export type AnalysisLabels = ReturnType<typeof analysisLabels>;
