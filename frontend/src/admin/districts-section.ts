import { MARGIN_CATEGORIES, DISTRICT_CODE_PATTERN, districtCodeFromName } from '../../../api/src/shared/margin-codes.ts';
import { LOCALE_NATIVE_NAMES, RTL_LOCALES, SUPPORTED_LOCALES } from '../../../api/src/shared/locales.ts';
import { t } from '../i18n/index.ts';
import { h } from '../shared/dom.ts';
import { AdminRequestError, type AdminApi, type AdminDistrict, type ImportPreview } from './api.ts';
import { FieldSet, languageLabel, statusLine, textInput, chosenFile } from './form-fields.ts';

const NAME_KEYS = SUPPORTED_LOCALES.map((locale) => (locale === 'de' ? 'default' : locale));
const sum = (counts: Record<string, number>) => Object.values(counts).reduce((total, n) => total + n, 0);

/** Districts: the list (order, retire, delete while nobody answered), one form to create or edit, and the CSV import. */
export function renderDistrictsSection(root: HTMLElement, api: AdminApi): void {
  const status = statusLine('districts-status');
  const listSlot = h('div', { id: 'district-list' });
  const editorSlot = h('div', { id: 'district-editor' });
  const importSlot = h('div', { id: 'district-import' });
  const newButton = h('button', { type: 'button', class: 'button button--secondary', id: 'district-new' }, t('admin:districts.create'));
  let districts: AdminDistrict[] = [];

  const problem = (error: unknown) => {
    status.textContent = '';
    listSlot.prepend(h('p', { class: 'field-error', role: 'alert' }, error instanceof Error ? error.message : t('admin:loadFailed')));
  };

  const load = async () => {
    try {
      districts = (await api.districts()).districts;
      renderList();
    } catch (error) {
      problem(error);
    }
  };

  const act = async (work: () => Promise<unknown>, done: string) => {
    try {
      await work();
      await load();
      status.textContent = done;
    } catch (error) {
      problem(error);
    }
  };

  function renderList(): void {
    if (districts.length === 0) {
      listSlot.replaceChildren(h('p', {}, t('admin:districts.none')));
      return;
    }
    const head = ['code', 'name', 'total', 'year', 'source', 'responses', 'state', 'actions'].map((key) => h('th', { scope: 'col' }, t(`admin:districts.col.${key}`)));
    const rows = districts.map((district, index) => {
      const name = district.name.default ?? district.code;
      const button = (label: string, onClick: () => void, extra: Record<string, string> = {}) => {
        const element = h('button', { type: 'button', class: 'button button--secondary small', 'aria-label': `${label}: ${name}`, ...extra }, label);
        element.addEventListener('click', onClick);
        return element;
      };
      const codes = districts.map((d) => d.code);
      const move = (by: number) => {
        const next = [...codes];
        [next[index], next[index + by]] = [next[index + by]!, next[index]!];
        void act(() => api.orderDistricts(next), t('admin:districts.reordered'));
      };
      const actions = [
        button(t('admin:districts.edit'), () => renderEditor(district), { 'data-action': 'edit' }),
        index > 0 ? button(t('admin:districts.up'), () => move(-1), { 'data-action': 'up' }) : null,
        index < districts.length - 1 ? button(t('admin:districts.down'), () => move(1), { 'data-action': 'down' }) : null,
        button(district.retired ? t('admin:districts.unretire') : t('admin:districts.retire'), () =>
          void act(() => api.retireDistrict(district.code, !district.retired), district.retired ? t('admin:districts.unretired', { name }) : t('admin:districts.retired', { name })),
        ),
        district.responses === 0
          ? button(t('admin:districts.delete'), () => {
              if (confirm(t('admin:districts.confirmDelete', { name }))) void act(() => api.deleteDistrict(district.code), t('admin:districts.deleted', { name }));
            })
          : null,
      ];
      return h(
        'tr',
        { 'data-code': district.code },
        h('td', {}, district.code),
        h('th', { scope: 'row' }, name),
        h('td', {}, district.population.total === null ? '' : String(district.population.total)),
        h('td', {}, district.population.year === null ? '' : String(district.population.year)),
        h('td', {}, district.population.source ?? ''),
        h('td', {}, String(district.responses)),
        h('td', { class: 'state' }, district.retired ? t('admin:districts.stateRetired') : t('admin:districts.stateActive')),
        h('td', { class: 'actions' }, ...actions),
      );
    });
    listSlot.replaceChildren(h('table', { class: 'data-table', id: 'district-table' }, h('caption', {}, t('admin:districts.listCaption')), h('thead', {}, h('tr', {}, ...head)), h('tbody', {}, ...rows)));
  }

  function renderEditor(existing: AdminDistrict | null): void {
    const fields = new FieldSet('district');
    const code = textInput(existing?.code ?? '');
    if (existing) code.readOnly = true;
    const names = Object.fromEntries(NAME_KEYS.map((key) => [key, textInput(existing?.name[key] ?? '')])) as Record<string, HTMLInputElement>;
    names.default!.addEventListener('input', () => {
      if (!existing && !code.dataset.touched) code.value = districtCodeFromName(names.default!.value);
    });
    code.addEventListener('input', () => (code.dataset.touched = 'yes'));
    const number = (value: number | null | undefined) => {
      const input = textInput(value === null || value === undefined ? '' : String(value), 'number');
      input.min = '0';
      input.step = '1';
      return input;
    };
    const total = number(existing?.population.total);
    const year = number(existing?.population.year);
    const source = textInput(existing?.population.source ?? '');
    const ages = Object.fromEntries(MARGIN_CATEGORIES.age_band.map((band) => [band, number(existing?.population.byAgeBand[band])])) as Record<string, HTMLInputElement>;
    const genders = Object.fromEntries(MARGIN_CATEGORIES.gender.map((gender) => [gender, number(existing?.population.byGender[gender])])) as Record<string, HTMLInputElement>;
    const ageFieldset = h('fieldset', { class: 'margin-grid' }, h('legend', {}, t('admin:districts.byAgeBand')));
    ageFieldset.append(...MARGIN_CATEGORIES.age_band.map((band) => fields.field(`population.byAgeBand.${band}`, band, ages[band]!)), fields.groupError('population.byAgeBand', ageFieldset));
    const genderFieldset = h('fieldset', { class: 'margin-grid' }, h('legend', {}, t('admin:districts.byGender')));
    genderFieldset.append(
      ...MARGIN_CATEGORIES.gender.map((gender) => fields.field(`population.byGender.${gender}`, t(`admin:gender.${gender}`), genders[gender]!)),
      fields.groupError('population.byGender', genderFieldset),
    );
    const populationError = fields.groupError('population', total);
    const submit = h('button', { type: 'submit', class: 'button button--primary' }, t('admin:districts.save'));
    const cancel = h('button', { type: 'button', class: 'button button--secondary' }, t('admin:cancel'));
    cancel.addEventListener('click', () => editorSlot.replaceChildren());
    const headingText = existing ? t('admin:districts.editHeading', { name: existing.name.default ?? existing.code }) : t('admin:districts.createHeading');
    const form = h(
      'form',
      { id: 'district-form', novalidate: true, 'aria-labelledby': 'district-form-heading' },
      h('h3', { id: 'district-form-heading' }, headingText),
      fields.summary,
      h('fieldset', {}, h('legend', {}, t('admin:districts.names')),
        ...SUPPORTED_LOCALES.map((locale, index) => fields.field(`name.${NAME_KEYS[index]}`, languageLabel(locale, LOCALE_NATIVE_NAMES[locale], RTL_LOCALES.has(locale) ? 'rtl' : 'ltr', locale === 'de' ? t('admin:required') : undefined), names[NAME_KEYS[index]!]!, { lang: locale }))),
      fields.field('code', t('admin:districts.code'), code, { hint: t('admin:districts.codeHint') }),
      h('fieldset', {}, h('legend', {}, t('admin:districts.population')),
        h('p', { class: 'hint' }, t('admin:districts.populationHint')),
        fields.field('population.total', `${t('admin:districts.total')} (${t('admin:required')})`, total),
        populationError,
        fields.field('population.year', t('admin:districts.year'), year),
        fields.field('population.source', t('admin:districts.source'), source),
        ageFieldset,
        genderFieldset),
      h('div', { class: 'button-row' }, submit, cancel),
    );
    const counts = (inputs: Record<string, HTMLInputElement>) =>
      Object.fromEntries(Object.entries(inputs).filter(([, input]) => input.value.trim() !== '').map(([key, input]) => [key, Number(input.value)]));
    form.addEventListener('submit', async (event) => {
      event.preventDefault();
      fields.clear();
      const codeValue = code.value.trim();
      if (!DISTRICT_CODE_PATTERN.test(codeValue)) {
        fields.show([{ field: 'code', code: 'district_code_invalid', message: t('admin:districts.codeInvalid') }]);
        return;
      }
      const name: Record<string, string> = {};
      for (const key of NAME_KEYS) if (key === 'default' || names[key]!.value.trim()) name[key] = names[key]!.value.trim();
      const body = {
        name,
        population: {
          total: total.value.trim() === '' ? undefined : Number(total.value),
          year: year.value.trim() === '' ? null : Number(year.value),
          source: source.value.trim() || null,
          byAgeBand: counts(ages),
          byGender: counts(genders),
        },
      };
      submit.disabled = true;
      try {
        await api.saveDistrict(codeValue, body);
        editorSlot.replaceChildren();
        await load();
        status.textContent = t('admin:districts.saved', { name: name.default });
      } catch (error) {
        if (error instanceof AdminRequestError) fields.show(error.fieldErrors, error.message);
        else fields.show([], t('admin:loadFailed'));
      } finally {
        submit.disabled = false;
      }
    });
    editorSlot.replaceChildren(form);
    names.default!.focus();
  }

  function renderImport(): void {
    const file = h('input', { type: 'file', id: 'import-file', accept: '.csv,text/csv' });
    const year = h('input', { type: 'number', id: 'import-year', min: '1900', max: '2200', step: '1' });
    const source = h('input', { type: 'text', id: 'import-source' });
    const previewButton = h('button', { type: 'submit', class: 'button button--secondary', id: 'import-preview' }, t('admin:import.preview'));
    const result = h('div', { id: 'import-result', 'aria-live': 'polite' });
    const fileError = h('p', { class: 'field-error', id: 'import-file-error' });
    file.setAttribute('aria-describedby', 'import-format import-file-error');
    const query = () => {
      const params = new URLSearchParams();
      if (year.value.trim()) params.set('year', year.value.trim());
      if (source.value.trim()) params.set('source', source.value.trim());
      const text = params.toString();
      return text ? `?${text}` : '';
    };
    const showPreview = (preview: ImportPreview, bytes: ArrayBuffer, q: string) => {
      const problems = preview.problems.length > 0
        ? h('div', { class: 'error-summary', id: 'import-problems', role: 'alert' },
            h('p', {}, t('admin:import.problems', { count: preview.problems.length })),
            h('table', { class: 'data-table' }, h('caption', {}, t('admin:import.problemsCaption')),
              h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, t('admin:import.line')), h('th', { scope: 'col' }, t('admin:import.problem')))),
              h('tbody', {}, ...preview.problems.map((p) => h('tr', {}, h('td', {}, p.line === 0 ? t('admin:import.wholeFile') : String(p.line)), h('td', { class: 'text' }, p.message))))))
        : null;
      const table = preview.districts.length > 0
        ? h('table', { class: 'data-table', id: 'import-preview-table' },
            h('caption', {}, t('admin:import.previewCaption')),
            h('thead', {}, h('tr', {}, ...['code', 'name', 'total', 'ageSum', 'genderSum'].map((key) => h('th', { scope: 'col' }, t(`admin:import.col.${key}`))))),
            h('tbody', {}, ...preview.districts.map((d) => h('tr', {}, h('td', {}, d.code), h('th', { scope: 'row' }, d.name), h('td', {}, String(d.population.total)), h('td', {}, String(sum(d.population.byAgeBand))), h('td', {}, String(sum(d.population.byGender)))))))
        : null;
      const children: (HTMLElement | null)[] = [problems, table];
      if (preview.problems.length === 0 && preview.districts.length > 0) {
        const confirmButton = h('button', { type: 'button', class: 'button button--primary', id: 'import-confirm' }, t('admin:import.confirm', { count: preview.districts.length }));
        confirmButton.addEventListener('click', async () => {
          confirmButton.disabled = true;
          try {
            const outcome = await api.importDistricts(bytes, q);
            result.replaceChildren(h('p', { class: 'success', role: 'status' }, t('admin:import.done', { created: outcome.created, updated: outcome.updated })));
            await load();
          } catch (error) {
            if (error instanceof AdminRequestError && error.problems.length > 0) showPreview({ districts: [], problems: error.problems }, bytes, q);
            else result.replaceChildren(h('p', { class: 'field-error', role: 'alert' }, error instanceof Error ? error.message : t('admin:loadFailed')));
          }
        });
        children.push(h('p', { class: 'hint' }, t('admin:import.nothingSavedYet')), confirmButton);
      } else {
        children.push(h('p', { class: 'hint' }, t('admin:import.fixAndRetry')));
      }
      result.replaceChildren(...children.filter((child): child is HTMLElement => child !== null));
    };
    const form = h(
      'form',
      { id: 'import-form', novalidate: true, 'aria-labelledby': 'import-heading' },
      h('h3', { id: 'import-heading' }, t('admin:import.heading')),
      h('p', { class: 'hint', id: 'import-format' }, t('admin:import.format')),
      h('pre', { class: 'csv-example' }, 'district;age_band;gender;count\nNord;;;1200\nNord;16-20;;60\nNord;;female;505'),
      h('div', { class: 'form-field' }, h('label', { for: 'import-file' }, t('admin:import.file')), file, fileError),
      h('div', { class: 'form-field' }, h('label', { for: 'import-year' }, t('admin:districts.year')), year),
      h('div', { class: 'form-field' }, h('label', { for: 'import-source' }, t('admin:districts.source')), source),
      previewButton,
      result,
    );
    form.addEventListener('submit', async (event) => {
      event.preventDefault();
      fileError.textContent = '';
      file.removeAttribute('aria-invalid');
      const chosen = chosenFile(file, fileError, t('admin:import.chooseFile'));
      if (!chosen) return;
      const bytes = await chosen.arrayBuffer();
      const q = query();
      previewButton.disabled = true;
      try {
        showPreview(await api.previewImport(bytes, q), bytes, q);
      } catch (error) {
        const message = error instanceof AdminRequestError ? (error.fieldErrors[0]?.message ?? error.message) : t('admin:loadFailed');
        result.replaceChildren(h('p', { class: 'field-error', role: 'alert' }, message));
      } finally {
        previewButton.disabled = false;
      }
    });
    importSlot.replaceChildren(form);
  }

  newButton.addEventListener('click', () => renderEditor(null));
  root.replaceChildren(
    h('section', { 'aria-labelledby': 'districts-heading' },
      h('h2', { id: 'districts-heading' }, t('admin:districts.heading')),
      h('p', { class: 'hint' }, t('admin:districts.intro')),
      status,
      listSlot,
      newButton,
      editorSlot,
      importSlot),
  );
  renderImport();
  void load();
}
