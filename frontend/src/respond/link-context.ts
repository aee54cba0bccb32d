/**
 * What a link or QR code may carry to the respondent page, validated: the district to preset
 * (`?d=`), where the person came from (`?c=`, e.g. `poster`, `flyer`, `newsletter`) and a resume code
 * (`#resume=`, in the fragment: the browser never sends it, so no access log has it; `?resume=` of
 * links made before is still read). Neither `d` nor `c` can identify anyone: they are short codes from a fixed shape, so a
 * link cannot smuggle a name or an e-mail address into the data.
 */
export interface LinkContext {
  district: string | null;
  channel: string | null;
  resumeCode: string | null;
}

const DISTRICT_CODE = /^[a-z0-9][a-z0-9-]{0,62}$/;
const CHANNEL_CODE = /^[a-z0-9][a-z0-9_-]{0,31}$/;
// Human codes are 12 characters of Crockford base 32, typed with or without hyphens and spaces.
const RESUME_CODE = /^[0-9A-Za-z][0-9A-Za-z -]{10,20}$/;

export function readLinkContext(search: string, hash = ''): LinkContext {
  const params = new URLSearchParams(search);
  const fragment = new URLSearchParams(hash.replace(/^#/, ''));
  return {
    district: matching(params.get('d')?.toLowerCase(), DISTRICT_CODE),
    channel: matching(params.get('c')?.toLowerCase(), CHANNEL_CODE),
    resumeCode: matching((fragment.get('resume') ?? params.get('resume'))?.trim(), RESUME_CODE),
  };
}

function matching(value: string | undefined, pattern: RegExp): string | null {
  return value !== undefined && pattern.test(value) ? value : null;
}

/** The survey slug from `/s/<slug>`; null for any other path. */
export function surveySlugFromPath(pathname: string): string | null {
  const match = /^\/s\/([a-z0-9][a-z0-9-]{0,99})\/?$/.exec(pathname);
  return match ? match[1]! : null;
}

/** The address to continue a saved draft on another device. */
export function resumeLink(origin: string, slug: string, code: string): string {
  return `${origin}/s/${encodeURIComponent(slug)}#resume=${encodeURIComponent(code)}`;
}
