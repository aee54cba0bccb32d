import { describe, expect, it } from 'vitest';
import { readLinkContext, resumeLink, surveySlugFromPath } from './link-context.ts';

describe('readLinkContext', () => {
  it('reads district, channel and resume code from a QR-code link', () => {
    expect(readLinkContext('?d=klein-gerau&c=poster&resume=AB12-CD34-EF56')).toEqual({
      district: 'klein-gerau',
      channel: 'poster',
      resumeCode: 'AB12-CD34-EF56',
    });
  });

  it('drops values that do not have the shape of a code, so a link cannot carry personal data', () => {
    expect(readLinkContext('?d=max.mustermann@example.org&c=Erika%20Musterfrau%2C%20Hauptstr.%201')).toEqual({
      district: null,
      channel: null,
      resumeCode: null,
    });
    expect(readLinkContext(`?c=${'x'.repeat(33)}&d=${'a'.repeat(64)}`)).toEqual({ district: null, channel: null, resumeCode: null });
    expect(readLinkContext('?resume=<script>')).toEqual({ district: null, channel: null, resumeCode: null });
  });

  it('is case-insensitive for district and channel', () => {
    expect(readLinkContext('?d=Worfelden&c=Flyer')).toMatchObject({ district: 'worfelden', channel: 'flyer' });
  });
});

describe('surveySlugFromPath', () => {
  it('takes the slug from /s/<slug>', () => {
    expect(surveySlugFromPath('/s/resident-baseline')).toBe('resident-baseline');
    expect(surveySlugFromPath('/s/resident-baseline/')).toBe('resident-baseline');
  });

  it('refuses anything else', () => {
    expect(surveySlugFromPath('/s/')).toBeNull();
    expect(surveySlugFromPath('/s/a/b')).toBeNull();
    expect(surveySlugFromPath('/s/../etc')).toBeNull();
    expect(surveySlugFromPath('/respond.html')).toBeNull();
  });
});

describe('resumeLink', () => {
  it('builds the link to continue on another device with the code in the fragment, which browsers never send', () => {
    const link = resumeLink('https://mitreden.example', 'resident-baseline', 'AB12-CD34-EF56');
    expect(link).toBe('https://mitreden.example/s/resident-baseline#resume=AB12-CD34-EF56');
    const url = new URL(link);
    // What reaches the server (and its proxy's log): path and query only.
    expect(`${url.pathname}${url.search}`).not.toContain('AB12');
    expect(readLinkContext(url.search, url.hash).resumeCode).toBe('AB12-CD34-EF56');
  });

  it('prefers the fragment’s code and still reads ?resume= of links made before', () => {
    expect(readLinkContext('?resume=ZZ12-CD34-EF56', '#resume=AB12-CD34-EF56').resumeCode).toBe('AB12-CD34-EF56');
    expect(readLinkContext('?resume=AB12-CD34-EF56', '').resumeCode).toBe('AB12-CD34-EF56');
    expect(readLinkContext('', '#resume=<script>').resumeCode).toBeNull();
  });
});
